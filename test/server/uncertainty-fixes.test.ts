/**
 * The fixes that narrow the uncertainty most (src/server/usecases/uncertainty.ts, docs/steering.md "Uncertainty
 * fixes"), on a small case worked by hand from F21:
 *
 * Var(M) of a lognormal multiplier with relative uncertainty u: σ = ln(1 + u), Var = (e^{σ²} − 1) e^{σ²}:
 *   u = 0.3 → 0.0763373530; u = 0.1 → 0.0092086886.
 * Inputs of the climate total (kg CO2 eq):
 *   A  item:Laptop|MANUFACTURING    S = 100, u 0.3 (2 items, 1 on its type's default item) → 100² × 0.0763373530 = 763.3735
 *   B  elec:FR                      S =  50, u 0.1                                         →  50² × 0.0092086886 =  23.0217
 *   C  item:Monitor|MANUFACTURING   S =  20, u 0.3 (1 item, its own model)                 →  20² × 0.0763373530 =  30.5349
 *   LOW     Σv² = 400   (one item of 20),      u 0.5  → 0.25   × 400   = 100
 *   MEDIUM  Σv² = 11250 (two items of 75),     u 0.2  → 0.04   × 11250 = 450
 *   HIGH    Σv² = 100   (one item of 10),      u 0.05 → 0.0025 × 100   = 0.25
 *   V = 1367.1802; shares: A 0.558356, MEDIUM 0.329145, LOW 0.073143, C 0.022334, B 0.016839 (HIGH: no fix left).
 * Width of the range with an input exact, normal approximation 2 × 1.6449 × √(V − its variance): A 80.8, MEDIUM 99.6.
 */
import { describe, expect, it } from 'vitest';
import { rankFixes, type FixInputs } from '../../src/server/usecases/uncertainty.js';
import { uncertaintyRange } from '../../src/steering/uncertainty.js';

const SEED = '0123456789abcdef';

const inputs: FixInputs = {
  criterion: 'CLIMATE_CHANGE',
  unit: 'kg CO2 eq',
  factors: [
    { id: 'elec:FR|CLIMATE_CHANGE', sum: 50, u: 0.1, items: 3, defaultFactorItems: 0 },
    { id: 'item:Laptop|MANUFACTURING|CLIMATE_CHANGE', sum: 100, u: 0.3, items: 2, defaultFactorItems: 1 },
    { id: 'item:Monitor|MANUFACTURING|CLIMATE_CHANGE', sum: 20, u: 0.3, items: 1, defaultFactorItems: 0 },
  ],
  activity: [
    { quality: 'MEDIUM', sumOfSquares: 11250, u: 0.2, items: 2, value: 150 },
    { quality: 'LOW', sumOfSquares: 400, u: 0.5, items: 1, value: 20 },
    { quality: 'HIGH', sumOfSquares: 100, u: 0.05, items: 1, value: 10 },
  ],
};

describe('the fixes that narrow the uncertainty most (F21)', () => {
  const r = rankFixes(inputs, SEED);

  it('ranks every input by its share of the variance, each with its fix and items', () => {
    expect(r.fixes.map((f) => [f.input, f.fix, f.items, f.defaultFactorItems])).toEqual([
      ['item:Laptop|MANUFACTURING|CLIMATE_CHANGE', 'GIVE_MODEL', 2, 1],
      ['activity:MEDIUM', 'MEASURE', 2, 0],
      ['activity:LOW', 'MEASURE', 1, 0],
      ['item:Monitor|MANUFACTURING|CLIMATE_CHANGE', 'SPECIFIC_FACTOR', 1, 0],
      ['elec:FR|CLIMATE_CHANGE', 'ELECTRICITY_FACTOR', 3, 0],
    ]);
    const hand = [0.558356195, 0.329144616, 0.073143248, 0.022334248, 0.016838835];
    r.fixes.forEach((f, i) => expect(f.share).toBeCloseTo(hand[i]!, 8));
    expect(r.fixes.map((f) => f.value)).toEqual([100, 150, 20, 20, 50]);
    expect(r.fixes.map((f) => f.kind)).toEqual(['factor', 'activity', 'activity', 'factor', 'factor']);
  });

  it('the range is the total’s; with an input exact it narrows by about its share', () => {
    expect(r.nominal).toBe(170);
    const base = uncertaintyRange({
      factors: inputs.factors.map((f) => ({ id: f.id, sum: f.sum, uncertainty: { kind: 'lognormal', u: f.u } })),
      activity: inputs.activity.map(({ quality, sumOfSquares, u }) => ({ quality, sumOfSquares, u })),
      seed: SEED,
    });
    expect([r.p5, r.p95, r.width]).toEqual([base.p5, base.p95, base.p95 - base.p5]);
    for (const f of r.fixes) expect(f.widthIfExact).toBeGreaterThan(0);
    // Normal approximation of the rest (1,000 draws: a few per cent of sampling error).
    const [a, medium] = r.fixes;
    expect(Math.abs(a!.widthIfExact / 80.836 - 1)).toBeLessThan(0.1);
    expect(Math.abs(medium!.widthIfExact / 99.629 - 1)).toBeLessThan(0.1);
    // The same draws otherwise: the laptop factor exact is the library's range with its u at 0.
    const exactA = uncertaintyRange({
      factors: inputs.factors.map((f) => ({
        id: f.id,
        sum: f.sum,
        uncertainty: { kind: 'lognormal', u: f.id.startsWith('item:Laptop') ? 0 : f.u },
      })),
      activity: inputs.activity.map(({ quality, sumOfSquares, u }) => ({ quality, sumOfSquares, u })),
      seed: SEED,
    });
    expect(a!.widthIfExact).toBe(exactA.p95 - exactA.p5);
  });

  it('keeps at most ten fixes, exact inputs and measured items out', () => {
    const many: FixInputs = {
      ...inputs,
      factors: Array.from({ length: 14 }, (_, i) => ({
        id: `item:T${String(i).padStart(2, '0')}|USE|CLIMATE_CHANGE`,
        sum: 10 + i,
        u: i === 13 ? 0 : 0.3,
        items: 1,
        defaultFactorItems: 0,
      })),
      activity: [{ quality: 'HIGH', sumOfSquares: 100, u: 0.05, items: 1, value: 10 }],
    };
    const m = rankFixes(many, SEED);
    expect(m.fixes).toHaveLength(10);
    // Largest S first: T12 (22) … T03 (13); T13 has u = 0 (no uncertainty to remove), HIGH has no fix left.
    expect(m.fixes.map((f) => f.input.slice(5, 8))).toEqual([
      'T12',
      'T11',
      'T10',
      'T09',
      'T08',
      'T07',
      'T06',
      'T05',
      'T04',
      'T03',
    ]);
  });
});
