/**
 * The mapping layer and spreadsheet readers wired into `empreinte validate` (src/cli/validate.ts → pipeline):
 * preset auto-detection without --mapping, --mapping with a file and a preset id, XLSX/ODS tables.
 */
import { describe, expect, it } from 'vitest';
import { runValidate, type ValidateOptions } from '../../../src/cli/validate.js';
import type { InventoryResult } from '../../../src/inventory/pipeline.js';
import { SAMPLES } from './helpers.js';

async function validate(paths: string[], o: ValidateOptions = {}): Promise<InventoryResult> {
  const io = { out: () => undefined, err: () => undefined, tty: false, today: () => '2025-12-31' };
  return runValidate(paths, { format: 'json', ...o }, io);
}

describe('validate with presets', () => {
  it('recognises every sample without --mapping; read = imported + rejected', async () => {
    const r = await validate([SAMPLES]);
    const by = Object.fromEntries(r.files.map((f) => [f.file.replace(SAMPLES, ''), f]));
    // Rejected lines, by hand from the samples: GLPI FR computers 3 VMs (lines 40–42); EN 3 VMs (23–25); network
    // none (line 20 "Onduleur" is a synonym of the pack's UPS type); OCS line 24 (VMware guest); Intune none. Monitors line 25, phones line 22, printers line 21 have an empty model:
    // kept (§2.4, INP_MODEL_EMPTY warning).
    const expected: Record<string, [string, number, number]> = {
      'glpi-computers-fr.csv': ['mapping:glpi-computers', 43, 3],
      'glpi-computers-en.csv': ['mapping:glpi-computers', 25, 3],
      'glpi-monitors-fr.csv': ['mapping:glpi-monitors', 26, 0],
      'glpi-networkequipment-fr.csv': ['mapping:glpi-network-equipment', 21, 0],
      'glpi-phones-fr.csv': ['mapping:glpi-phones', 22, 0],
      'glpi-printers-fr.csv': ['mapping:glpi-printers', 20, 0],
      'ocs-computers.csv': ['mapping:ocs-computers', 25, 1],
      'intune-devices.csv': ['mapping:intune-devices', 28, 0],
    };
    for (const [file, [style, read, rejected]] of Object.entries(expected)) {
      const f = by[file]!;
      expect([f.headerStyle, f.kind, f.read, f.rejected], file).toEqual([style, 'physical-equipment', read, rejected]);
      expect(f.imported + f.rejected, file).toBe(f.read);
    }
  });

  it('--mapping with a preset id; a header lacking a mapped column is a file error naming it', async () => {
    const r = await validate([SAMPLES + 'glpi-printers-fr.csv'], { mapping: 'glpi-printers' });
    expect([r.files[0]!.headerStyle, r.files[0]!.imported, r.files[0]!.rejected]).toEqual([
      'mapping:glpi-printers',
      20,
      0,
    ]);
    // Intune has no Nom/Name column: the file fails (validate reports it and exits 2).
    await expect(validate([SAMPLES + 'intune-devices.csv'], { mapping: 'glpi-printers' })).rejects.toMatchObject({
      issue: { code: 'INP_HEADER_MISSING', column: 'Nom | Name' },
    });
    // A mapping file.
    const m = await validate([SAMPLES + 'ocs-computers.csv'], { mapping: 'test/fixtures/mapping/ocs-extends.yaml' });
    expect([m.files[0]!.headerStyle, m.files[0]!.imported]).toEqual(['mapping:ocs-italy', 24]);
  });

  it('reads ODS sheets, padded to the header width', async () => {
    const r = await validate(['test/fixtures/mapping/inventory.ods']);
    expect(r.files.map((f) => [f.sheet, f.format, f.kind, f.read, f.imported, f.rejected])).toEqual([
      // rows 2, 3, 4, 8; line 4 repeats line 3 (row repeated twice) → duplicate key
      ['Equipment', 'ods', 'physical-equipment', 4, 3, 1],
      ['Datacenters', 'ods', 'datacenter', 2, 2, 0],
    ]);
    expect(r.files[0]!.issueCounts.INP_DUPLICATE_KEY).toBe(1);
  });
});
