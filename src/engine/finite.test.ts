/**
 * The engine never produces or adds a non-finite value (issue 9 point 2): an overflowing indicator becomes an error
 * CALC_NOT_FINITE, and aggregation counts as an error what would overflow a total. Expected values by hand.
 */
import { describe, expect, it } from 'vitest';
import { testReferential } from '../../test/helpers/referential.js';
import { run } from '../../test/helpers/engine.js';

const ref = testReferential({
  items: {
    huge: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1e303 }, DISTRIBUTION: { CLIMATE_CHANGE: 1 } } },
    big: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1e308 } } },
    lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 }, DISTRIBUTION: { CLIMATE_CHANGE: 10 } } },
  },
  types: {
    Huge: { lifespan: 1, defaultItem: 'huge' },
    Big: { lifespan: 1, defaultItem: 'big' },
    Laptop: { lifespan: 5, defaultItem: 'lap' },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});
const ctx = { lifetimeMethod: 'FIXE' as const, steps: ['MANUFACTURING' as const, 'DISTRIBUTION' as const] };

describe('finite results', () => {
  it('an indicator that overflows (1e6 × 1e303 / 1 year) is an error CALC_NOT_FINITE, not Infinity', () => {
    const out = run(
      {
        physical: [
          { name: 'H', type: 'Huge', quantity: 1e6, country: 'France' },
          { name: 'L', type: 'Laptop', quantity: 1, country: 'France' },
        ],
      },
      ref,
      ctx,
    );
    const m = out.value('H', 'MANUFACTURING');
    expect([m.status, m.errorCode, m.value]).toEqual(['ERROR', 'CALC_NOT_FINITE', 0]);
    expect(out.value('H', 'DISTRIBUTION').value).toBe(1e6); // 1e6 × 1 / 1
    const cc = out.totals.byCriterion[0]!;
    // MANUFACTURING: only the laptop, 100 / 5 = 20; DISTRIBUTION: 1e6 + 10 / 5 = 1 000 002
    expect(cc.byStep).toEqual({ MANUFACTURING: 20, DISTRIBUTION: 1_000_002 });
    expect(cc.value).toBe(1_000_022);
    expect(cc.errors).toBe(1);
    expect(out.totals.dataConsistency.errorCodes).toEqual({ CALC_NOT_FINITE: 1 });
    expect(JSON.stringify(out.totals)).not.toContain('null');
  });
  it('a consumption that overflows (1e6 × 1e303 kWh) makes the use step an error; the embodied steps stay', () => {
    const out = run(
      { physical: [{ name: 'E', type: 'Laptop', quantity: 1e6, country: 'France', annualKWh: 1e303 }] },
      ref,
      { ...ctx, steps: ['MANUFACTURING', 'USE'] },
    );
    const use = out.value('E', 'USE');
    expect([use.status, use.errorCode, use.value]).toEqual(['ERROR', 'CALC_NOT_FINITE', 0]);
    expect(out.value('E', 'MANUFACTURING').value).toBe(2e7); // 1e6 × 100 / 5
    const r = out.results[0]!;
    expect([r.itKWh, r.facilityKWh]).toEqual([0, 0]); // 1e309 kWh is no number: 0, as the value in error
    expect(out.totals.byCriterion[0]!.byStep).toEqual({ MANUFACTURING: 2e7 });
  });
  it('items of one reference item and location share one status array (the aggregator counts by it)', () => {
    // 80 spellings of France: past the per-entry cache of location labels (64), every item still gets the template
    // shared through the vector cache, and the same values.
    const spellings = Array.from(
      { length: 80 },
      (_, i) => [...'france'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('') + ' '.repeat(i >> 6),
    );
    const out = run(
      { physical: spellings.map((country, i) => ({ name: `L${i}`, type: 'Laptop', quantity: 1, country })) },
      ref,
      ctx,
    );
    const first = out.results[0]!;
    for (const r of out.results) {
      expect(r.status).toBe(first.status);
      expect(r.dims.country).toBe('FR');
      expect(Array.from(r.values)).toEqual([20, 2]); // 100 / 5, 10 / 5
    }
  });
  it('aggregation never overflows: the second 1e308 is counted as an error, the total stays 1e308', () => {
    const out = run(
      {
        physical: [
          { name: 'B1', type: 'Big', quantity: 1, country: 'France' },
          { name: 'B2', type: 'Big', quantity: 1, country: 'France' },
        ],
      },
      ref,
      { ...ctx, steps: ['MANUFACTURING'] },
    );
    expect(out.value('B2', 'MANUFACTURING').value).toBe(1e308); // the indicator itself is finite
    const cc = out.totals.byCriterion[0]!;
    expect(cc.value).toBe(1e308);
    expect([cc.indicators, cc.errors]).toEqual([2, 1]);
    expect(out.totals.dataConsistency.errorCodes).toEqual({ CALC_NOT_FINITE: 1 });
    expect(out.totals.by.type!.Big!.CLIMATE_CHANGE).toBe(1e308);
  });
});
