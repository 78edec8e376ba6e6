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
