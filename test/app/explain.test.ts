/** The explain use case: one item's indicators with their traces, the same values as the assessment of the run. */
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../src/app/assess.js';
import { standardDeps } from '../../src/app/deps.js';
import { explainItem } from '../../src/app/explain.js';
import { memorySink } from '../../src/app/sinks/memory.js';
import { pathSources } from '../../src/app/sources.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';

const DATE = '2025-06-30';
const deps = standardDeps(() => DATE);
const input: AssessInput = {
  sources: pathSources(['examples/inventory']),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  trace: false, // explain builds traces whatever the run says
};

describe('explain use case', () => {
  it("returns the item's rows with traces: SWITCH-COEUR USE = 4 × 876 kWh × PUE 1.9 × 0.0519 kg/kWh", async () => {
    const e = await explainItem(deps, { ...input, item: 'SWITCH-COEUR' });
    expect(e.matches).toHaveLength(1);
    const m = e.matches[0]!;
    expect(m).toMatchObject({ kind: 'physical-equipment', item: 'SWITCH-COEUR', quantity: 4, inTotal: true });
    expect(m.file).toBe('examples/inventory/equipements_physiques.csv');
    const use = m.indicators.find((r) => r.lifecycleStep === 'USE' && r.criterion === 'CLIMATE_CHANGE')!;
    expect(use.value).toBeCloseTo(4 * 876 * 1.9 * 0.0519, 9);
    expect(use.trace?.formula).toContain('4 × 876 × 1 × 1.9 × 0.0519');
    expect(m.indicators.every((r) => r.trace !== undefined && r.item === 'SWITCH-COEUR')).toBe(true);
  });

  it("gives exactly the assessment's rows of that item", async () => {
    const all = memorySink({ rows: true });
    await assess(deps, { ...input, trace: true }, all);
    const e = await explainItem(deps, { ...input, item: 'VM-ETAT-CIVIL' });
    const expected = all.indicators.filter((r) => r.item === 'VM-ETAT-CIVIL');
    expect(expected.length).toBeGreaterThan(0);
    expect(e.matches.flatMap((m) => m.indicators)).toEqual(expected);
  });

  it('an unknown name is INP_ITEM_NOT_FOUND', async () => {
    const err = await explainItem(deps, { ...input, item: 'NO-SUCH-ITEM' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EmpreinteError);
    expect((err as EmpreinteError).issue).toMatchObject({
      code: 'INP_ITEM_NOT_FOUND',
      details: { value: 'NO-SUCH-ITEM' },
    });
  });
});
