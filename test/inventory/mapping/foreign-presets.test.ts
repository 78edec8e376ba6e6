/**
 * Issue 11: Snipe-IT and Lansweeper presets, GLPI default monitor/phone lists told apart by their values, no NumEcoEval
 * kind on a weak header match. Fixtures (test/fixtures/mapping/, hand-made; columns from Snipe-IT's lang files and
 * report code, Lansweeper's report fields: docs/mapping.md §3); expectations written by hand from the fixture lines
 * quoted in the comments.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate, type ValidateOptions } from '../../../src/cli/validate.js';
import { guessKind } from '../../../src/inventory/detect.js';
import { applyMapping, detectPreset, presetMapping } from '../../../src/inventory/mapping/index.js';
import type { InventoryResult } from '../../../src/inventory/pipeline.js';
import { FIXTURES, ok, readSample } from './helpers.js';

async function validate(paths: string[], o: ValidateOptions = {}): Promise<InventoryResult> {
  const io = { out: () => undefined, err: () => undefined, tty: false, today: () => '2025-12-31' };
  return runValidate(paths, { format: 'json', ...o }, io);
}

describe('Snipe-IT assets (Custom Asset Report)', () => {
  it('en-US headers: detected by the header; tag as name, category → type (else the model), dates, quantity 1', async () => {
    const { preset, rows } = await readSample('snipeit-assets-en.csv', {}, FIXTURES);
    expect(preset).toBe('snipeit-assets');
    expect(rows.size).toBe(6);
    // Line 2: 1,Acme Corp,,LAP-0001,Latitude 5420,P137G,Laptops,Dell,5CD1234XYZ,2021-03-15,…,Claire Martin,user,cmartin,Ready to Deploy (deployed)
    expect(ok(rows, 2)).toMatchObject({
      name: 'LAP-0001',
      model: 'Latitude 5420',
      type: 'Laptop',
      quantity: 1,
      purchaseDate: '2021-03-15',
      manufacturer: 'Dell',
      user: 'Claire Martin',
      status: 'Ready to Deploy (deployed)',
      entity: 'Acme Corp',
      country: 'France', // no Country column: defaultCountry
      dataSource: 'Snipe-IT',
    });
    // The EOL column (2025-03-15) is Snipe-IT's computed end of life, not a retirement: not mapped.
    expect(ok(rows, 2).retirementDate).toBeUndefined();
    expect(ok(rows, 3)).toMatchObject({
      name: 'DSP-0007',
      type: 'Monitor',
      model: 'P2422H',
      purchaseDate: '2022-09-28',
    });
    expect(ok(rows, 4)).toMatchObject({ name: 'PHN-0112', type: 'Smartphone', model: 'iPhone 13' });
    // Line 5: category "Workstations" is not in the map: the model rule (OptiPlex) gives Desktop.
    expect(ok(rows, 5)).toMatchObject({ name: 'DSK-0042', type: 'Desktop', purchaseDate: '2020-11-02' });
    expect(ok(rows, 6)).toMatchObject({ name: 'VOIP-0003', type: 'IP phone', status: 'Pending (pending)' });
    expect(ok(rows, 7)).toMatchObject({ name: 'LAP-0002', type: 'Laptop', model: 'ThinkPad T14 Gen 2i' });
  });

  it('fr-FR headers (BOM, Cyrillic С of « Сatégorie », « Date de libération » = checked out to, « Type  »)', async () => {
    const { preset, rows } = await readSample('snipeit-assets-fr.csv', {}, FIXTURES);
    expect(preset).toBe('snipeit-assets');
    expect(rows.size).toBe(4);
    // Line 2: DDT,,PC-0301,Latitude 5430,…,Ordinateurs portables,Dell,…,2022-05-20,"1 189,00",…,France,35000,Claire Martin,user,En service (deployed)
    expect(ok(rows, 2)).toMatchObject({
      name: 'PC-0301',
      type: 'Laptop',
      model: 'Latitude 5430',
      quantity: 1,
      purchaseDate: '2022-05-20',
      user: 'Claire Martin',
      entity: 'DDT',
      country: 'France',
      status: 'En service (deployed)',
    });
    expect(ok(rows, 3)).toMatchObject({ name: 'ECR-0302', type: 'Monitor', purchaseDate: '2022-09-28' });
    // Line 4: the location's country (Pays) is used when filled.
    expect(ok(rows, 4)).toMatchObject({ name: 'TAB-0007', type: 'Tablet', country: 'Belgique' });
    expect(ok(rows, 5)).toMatchObject({ name: 'MOB-0031', type: 'Smartphone', country: 'France' });
  });

  it('the list export (AssetPresenter titles: Checked Out To, Purchase Date, EOL Date) maps the same way', () => {
    const header = [
      'Asset Name', 'Device Image', 'Asset Tag', 'Serial', 'Model', 'Category', 'Status', 'Checked Out To',
      'Location', 'Manufacturer', 'Purchase Date', 'Purchase Cost', 'EOL Date', 'Checkin/Checkout', 'Actions',
    ]; // prettier-ignore
    const preset = detectPreset(header);
    expect(preset?.id).toBe('snipeit-assets');
    const applied = applyMapping(presetMapping(preset!.id), header, { file: 'list.csv' });
    const cells = ['', '', 'LAP-0100', 'PF3XYZ', 'ThinkPad X1 Carbon Gen 10', 'Laptops', 'Deployed', 'Inès Leroy'];
    cells.push('Lyon', 'Lenovo', '2023-04-03', '1 799,00', '2027-04-03', 'Checkin', '');
    expect(applied.map(cells, 2).record).toMatchObject({
      nomEquipementPhysique: 'LAP-0100',
      modele: 'ThinkPad X1 Carbon Gen 10',
      type: 'Laptop',
      quantite: '1',
      dateAchat: '2023-04-03',
      utilisateur: 'Inès Leroy',
      fabricant: 'Lenovo',
      statut: 'Deployed',
      paysDUtilisation: 'France',
    });
    expect(applied.map(cells, 2).record.dateRetrait).toBeUndefined();
  });

  it('validate: read through the preset without --mapping, every line imported', async () => {
    const r = await validate([FIXTURES + 'snipeit-assets-en.csv', FIXTURES + 'snipeit-assets-fr.csv']);
    expect(r.files.map((f) => [f.headerStyle, f.kind, f.status, f.read, f.imported, f.rejected])).toEqual([
      ['mapping:snipeit-assets', 'physical-equipment', 'ok', 6, 6, 0],
      ['mapping:snipeit-assets', 'physical-equipment', 'ok', 4, 4, 0],
    ]);
  });
});

describe('Lansweeper assets (report export, Windows-1252, ;, dd/MM/yyyy HH:mm:ss)', () => {
  it('decodes Windows-1252, types from the asset type or the model, memory MB → GiB, VMware guests excluded', async () => {
    const { preset, rows, encoding } = await readSample('lansweeper-assets-fr.csv', {}, FIXTURES);
    expect(preset).toBe('lansweeper-assets');
    expect(encoding).toBe('windows-1252');
    expect(rows.size).toBe(8);
    // Line 2: 1021;PC-COMPTA-01;Windows;Dell Inc.;Latitude 5420;…;16271;15/03/2021 00:00:00;…;Comptabilité;cmartin
    expect(ok(rows, 2)).toMatchObject({
      name: 'PC-COMPTA-01',
      type: 'Laptop', // asset type "Windows" is the OS: the model (Latitude) decides
      model: 'Latitude 5420',
      quantity: 1,
      purchaseDate: '2021-03-15',
      memoryGB: 16, // 16271 MiB = 15.89 GiB, rounded up
      entity: 'Comptabilité', // é decoded from byte E9
      user: 'cmartin',
      manufacturer: 'Dell Inc.',
      country: 'France',
      dataSource: 'Lansweeper',
    });
    expect(ok(rows, 3)).toMatchObject({
      type: 'Server',
      model: 'PowerEdge R740',
      memoryGB: 64,
      purchaseDate: '2020-01-02',
    });
    // Line 4: a monitor, Memory 0 → no memory (not a 0 GB rejection), no purchase date.
    const monitor = ok(rows, 4);
    expect(monitor).toMatchObject({ name: 'DELL P2422H', type: 'Monitor' });
    expect(monitor.memoryGB).toBeUndefined();
    expect(monitor.purchaseDate).toBeUndefined();
    expect(ok(rows, 5)).toMatchObject({ type: 'Laptop', model: 'MacBookPro18,3', purchaseDate: '2022-09-12' });
    expect(ok(rows, 6)).toMatchObject({ type: 'Printer', purchaseDate: '2019-04-04' });
    expect(ok(rows, 7)).toMatchObject({ type: 'Switch', model: 'C9200L-48P-4G' });
    // Line 8: VMware Guest → excluded with the mapping's reason.
    expect(rows.get(8)!.errors.map((e) => e.code)).toEqual(['INP_MAPPING_EXCLUDED']);
    expect(ok(rows, 9)).toMatchObject({ type: 'Server', model: 'ProLiant DL360 Gen10', memoryGB: 32 });
  });

  it('validate: detected without --mapping; the VMware guest is the one rejected line', async () => {
    const r = await validate([FIXTURES + 'lansweeper-assets-fr.csv']);
    const f = r.files[0]!;
    expect([f.headerStyle, f.encoding, f.read, f.imported, f.rejected]).toEqual([
      'mapping:lansweeper-assets',
      'windows-1252',
      8,
      7,
      1,
    ]);
  });
});

describe('GLPI default monitor and phone lists (same columns: told apart by their values)', () => {
  it('the default monitors export is read as monitors, the default phones export as phones', async () => {
    const monitors = await readSample('glpi-monitors-default-fr.csv', {}, FIXTURES);
    expect(monitors.preset).toBe('glpi-monitors');
    // Line 4: "ECR-DDT-0301";…;"Écran plat";"P2422H" (no serial column: the name is the item name).
    expect(ok(monitors.rows, 4)).toMatchObject({ name: 'ECR-DDT-0301', type: 'Monitor', model: 'P2422H' });
    // Line 26: "Écran de visioconférence" → TV, as with the full export.
    expect(ok(monitors.rows, 26)).toMatchObject({ type: 'TV', model: 'QM65B' });
    const phones = await readSample('glpi-phones-default-fr.csv', {}, FIXTURES);
    expect(phones.preset).toBe('glpi-phones');
    // Line 2: "TEL-DDT-2101";…;"Téléphone IP";"CP-8841".
    expect(ok(phones.rows, 2)).toMatchObject({ name: 'TEL-DDT-2101', type: 'IP phone', model: 'CP-8841' });
    expect(ok(phones.rows, 12)).toMatchObject({ type: 'Smartphone', model: 'Galaxy A54 5G' });
  });

  it('columns only one of them has decide before any row: monitor connectors, phone line count', () => {
    const base = ['Nom', 'Entité', 'Statut', 'Fabricant', 'Lieu', 'Type', 'Modèle', 'Dernière modification', 'Usager'];
    // Monitor.php option 47 (HDMI) in the header: monitors, whatever the rows.
    expect(detectPreset([...base, 'HDMI'])?.id).toBe('glpi-monitors');
    // Phone.php option 9 (Number of lines): phones, even with rows that look like EDID monitors.
    const edidRow = ['DELL P2422H', 'E', 'En service', 'Dell Inc.', 'L', '', 'DELL P2422H', '', '', '1'];
    expect(detectPreset([...base, 'Number of lines'], [edidRow])?.id).toBe('glpi-phones');
    // The same row without that column: monitors.
    expect(detectPreset(base, [edidRow.slice(0, 9)])?.id).toBe('glpi-monitors');
    // No row to decide from: phones, as before.
    expect(detectPreset(base)?.id).toBe('glpi-phones');
  });

  it('validate: both default exports detected; EDID monitors sharing a name are reported as duplicates', async () => {
    const r = await validate([FIXTURES + 'glpi-monitors-default-fr.csv', FIXTURES + 'glpi-phones-default-fr.csv']);
    // Without the serial column, "DELL P2422H" (lines 2–3), "HP E24 G4" (10–11), "LEN T24i-20" (15–16) repeat: the
    // second of each pair is rejected (INP_DUPLICATE_KEY), counted, never dropped silently.
    expect(r.files.map((f) => [f.headerStyle, f.read, f.imported, f.rejected])).toEqual([
      ['mapping:glpi-monitors', 26, 23, 3],
      ['mapping:glpi-phones', 22, 22, 0],
    ]);
    expect(r.files[0]!.issueCounts.INP_DUPLICATE_KEY).toBe(3);
  });
});

describe('no NumEcoEval kind on a weak match', () => {
  it('a Snipe-IT-like header whose Name and Location are the two datacenter columns is of no kind', () => {
    // 11 columns, 2 known (name, location): the datacenter's mandatory columns, yet a weak match.
    const header =
      'Name,Asset Tag,Serial,Model,Category,Status,Location,Purchase Date,Purchase Cost,Manufacturer,Notes';
    expect(guessKind(header.split(','))).toBeUndefined();
    // A real datacenter file, even with an extra column, is still recognised.
    expect(guessKind(['nomCourtDatacenter', 'localisation', 'pue', 'commentaire'])).toBe('datacenter');
    expect(guessKind(['name', 'location', 'pue'])).toBe('datacenter');
    // A native file with all its mandatory columns and many columns of the user's own stays physical equipment:
    // 5 known of 17 (at least three, and a quarter of the header).
    const own = Array.from({ length: 12 }, (_, i) => `own${i}`);
    expect(guessKind(['name', 'model', 'quantity', 'type', 'country', ...own])).toBe('physical-equipment');
    // …but not with 18 own columns (5 of 23 is less than a quarter).
    expect(guessKind(['name', 'model', 'quantity', 'type', 'country', ...own, 'a', 'b', 'c', 'd', 'e', 'f'])).toBe(
      undefined,
    );
  });

  it('validate: such a file is of unknown kind (a file error), not a datacenter file whose every line is rejected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-weak-'));
    try {
      const p = join(dir, 'export.csv');
      await writeFile(
        p,
        'Name,Serial,Model,Status,Location,Purchase Cost,Notes\nLAP-1,5CD1,Latitude 5420,Deployed,Paris,1249.00,\n',
      );
      const outcome = await validate([p]).then(
        (r) => r.files[0]!.fileError?.code,
        (e: { issue?: { code: string } }) => e.issue?.code,
      );
      expect(outcome).toBe('INP_FILE_KIND_UNKNOWN');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
