/** `empreinte explain <path…> --item <name>` end to end (in process): JSON on stdout, exit codes. */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const run = (args: string[]) => runCli(args);

afterEach(() => {
  process.exitCode = undefined;
});

describe('explain', () => {
  it('prints the item with every indicator and its trace as JSON', async () => {
    // --format json: the text rendering is the default since issue 11.
    const r = await run([
      'explain',
      'examples/inventory',
      '--item',
      'SWITCH-COEUR',
      '--date',
      '2025-06-30',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      meta: { referenceDate: string };
      item: string;
      matches: {
        kind: string;
        indicators: { lifecycleStep: string; criterion: string; value: number; trace: { formula: string } }[];
      }[];
    };
    expect(doc.item).toBe('SWITCH-COEUR');
    expect(doc.meta.referenceDate).toBe('2025-06-30');
    const use = doc.matches[0]!.indicators.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
    // 4 switches × 876 kWh × PUE 1.9 × 0.0519 kg/kWh (ADEME France mix).
    expect(use.value).toBeCloseTo(4 * 876 * 1.9 * 0.0519, 9);
    expect(use.trace.formula).toContain('4 × 876 × 1 × 1.9 × 0.0519');
  });

  it('prints a readable text by default: each indicator, its formula and its variables', async () => {
    const r = await run(['explain', 'examples/inventory', '--item', 'SWITCH-COEUR', '--date', '2025-06-30']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Item SWITCH-COEUR — reference date 2025-06-30, profile rcp');
    expect(lines).toContain(
      'physical-equipment SWITCH-COEUR (examples/inventory/equipements_physiques.csv:17), quantity 4',
    );
    // 4 × 876 kWh × PUE 1.9 × 0.0519 kg/kWh = 345.52944 kg, shown to 6 significant digits.
    const use = lines.indexOf('  USE CLIMATE_CHANGE: 345.529 kg CO2 eq');
    expect(use).toBeGreaterThan(0);
    expect(lines[use + 1]).toContain('4 × 876 × 1 × 1.9 × 0.0519');
    expect(lines.slice(use + 2, use + 8).some((l) => /^ {6}\S+ = 0\.0519 kg CO2 eq\/kWh \(REFERENCE/.test(l))).toBe(
      true,
    );
    expect(r.out.endsWith('\n')).toBe(true);
  });

  it('an unknown item is one coded line and exit 2, nothing on stdout', async () => {
    const r = await run(['explain', 'examples/inventory', '--item', 'NOPE', '--date', '2025-06-30']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("empreinte: INP_ITEM_NOT_FOUND No item named 'NOPE' in the inventory assessed.\n");
  });

  it('--item is required', async () => {
    const r = await run(['explain', 'examples/inventory']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--item/);
  });
});
