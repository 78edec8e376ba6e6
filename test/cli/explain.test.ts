/** `empreinte explain <path…> --item <name>` end to end (in process): JSON on stdout, exit codes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('explain', () => {
  it('prints the item with every indicator and its trace as JSON', async () => {
    const r = await run(['explain', 'examples/inventory', '--item', 'SWITCH-COEUR', '--date', '2025-06-30']);
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
