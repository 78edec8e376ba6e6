import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteeringError } from './errors.js';
import { Xoshiro128 } from './random.js';
import { deltaUncertaintyRange, multiplierVariance, quantile, uncertaintyRange } from './uncertainty.js';

const SEED = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('seeded generator', () => {
  it('follows the xoshiro128** recurrence (first outputs from state 1, 2, 3, 4 worked by hand)', () => {
    // output = rotl(s1·5, 7)·9, then t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
    // 1st: s1 = 2 → rotl(10, 7) = 1280 → 11520. State → (7, 0, 1026, 12288).
    // 2nd: s1 = 0 → 0. State → (12295, 1029, 1029, 25165824).
    // 3rd: s1 = 1029 → 5145, rotl(5145, 7) = 658560 → 5927040.
    const r = new Xoshiro128([1, 2, 3, 4]);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('is reproducible per (seed, stream) and differs across seeds and streams', () => {
    const take = (seed: string, stream: string): number[] => {
      const r = Xoshiro128.forStream(seed, stream);
      return Array.from({ length: 5 }, () => r.nextUint32());
    };
    expect(take(SEED, 'a')).toEqual(take(SEED, 'a'));
    expect(take(SEED, 'a')).not.toEqual(take(SEED, 'b'));
    expect(take('00000000', 'a')).not.toEqual(take(SEED, 'a'));
  });

  it('gives uniforms in (0, 1) with mean ½ and variance 1/12', () => {
    // 100 000 uniforms: SE of the mean = √(1/12/1e5) = 0.000913; 5 SE = 0.0046.
    // Variance 1/12 = 0.083333; SE of the sample variance ≈ √((1/80 − 1/144)/1e5) = 0.000236; 5 SE = 0.0012.
    const r = Xoshiro128.forStream(SEED, 'uniform');
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.nextUniform();
      expect(u > 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.0012);
  });
});

describe('quantile and multiplier variance', () => {
  it('interpolates between order statistics (type 7)', () => {
    // n = 5, p = 0.05 → h = 0.2 → 10 + 0.2·(20 − 10) = 12; p = 0.5 → 30; p = 0.95 → h = 3.8 → 40 + 0.8·10 = 48
    const xs = [10, 20, 30, 40, 50];
    expect(quantile(xs, 0.05)).toBeCloseTo(12, 12);
    expect(quantile(xs, 0.5)).toBe(30);
    expect(quantile(xs, 0.95)).toBeCloseTo(48, 12);
  });

  it('computes Var(M) in closed form', () => {
    // lognormal u = 0.3: σ = ln 1.3 = 0.262364264, σ² = 0.068835, Var = (e^{σ²} − 1)·e^{σ²} = 0.0763373530
    expect(multiplierVariance({ kind: 'lognormal', u: 0.3 })).toBeCloseTo(0.076337353, 8);
    // triangular 8/10/15: (64 + 100 + 225 − 80 − 120 − 150)/18 = 39/18 = 2.1666667, / 10² = 0.021666667
    expect(multiplierVariance({ kind: 'triangular', min: 8, mode: 10, max: 15 })).toBeCloseTo(39 / 1800, 14);
  });
});

describe('uncertaintyRange', () => {
  it('with one lognormal factor, matches the analytic quantiles within the Monte-Carlo tolerance', () => {
    // S = 100, u = 0.3 → σ = ln 1.3 = 0.2623643; the total is 100·e^{σZ}:
    //   P5 = 100·e^{−1.6448536·σ} = 64.9501, P50 = 100, P95 = 100·e^{1.6448536·σ} = 153.9643.
    // Tolerance: the sample p-quantile of n = 1000 draws has SE ≈ √(p(1 − p)/n) / φ(z_p) on the Z scale
    //   (p = 0.05: √(0.0475/1000)/0.1031356 = 0.066825; p = 0.5: √(0.25/1000)/0.3989423 = 0.039633),
    //   times dx/dz = x·σ: P5 1.1387, P50 1.0398, P95 2.6993. We allow 4 SE.
    const r = uncertaintyRange({
      factors: [{ id: 'laptop', sum: 100, uncertainty: { kind: 'lognormal', u: 0.3 } }],
      seed: SEED,
    });
    expect(r.draws).toBe(1000);
    expect(r.nominal).toBe(100);
    expect(Math.abs(r.p5 - 64.9501)).toBeLessThan(4 * 1.1387);
    expect(Math.abs(r.p50 - 100)).toBeLessThan(4 * 1.0398);
    expect(Math.abs(r.p95 - 153.9643)).toBeLessThan(4 * 2.6993);
    expect(r.activityVariance).toBe(0);
    expect(r.topFactors).toHaveLength(1);
    expect(r.topFactors[0]?.share).toBe(1);
  });

  it('with more draws the same estimate tightens (tolerance scaled by √(1000/40000) = 1/√40)', () => {
    const r = uncertaintyRange({
      factors: [{ id: 'laptop', sum: 100, uncertainty: { kind: 'lognormal', u: 0.3 } }],
      seed: SEED,
      draws: 40_000,
    });
    const k = 1 / Math.sqrt(40);
    expect(Math.abs(r.p5 - 64.9501)).toBeLessThan(4 * 1.1387 * k);
    expect(Math.abs(r.p50 - 100)).toBeLessThan(4 * 1.0398 * k);
    expect(Math.abs(r.p95 - 153.9643)).toBeLessThan(4 * 2.6993 * k);
  });

  it('with one triangular factor, matches the triangular quantiles within the Monte-Carlo tolerance', () => {
    // Archetype min 8, default 10, max 15, S = 10: the total is S·X/10 = X ~ Tri(8, 10, 15); F(10) = 2/7.
    //   P5  = 8 + √(0.05·7·2) = 8 + √0.7 = 8.836660       (density 2·0.836660/(7·2) = 0.119523)
    //   P50 = 15 − √(0.5·7·5) = 15 − √17.5 = 10.816699   (density 2·4.183301/(7·5) = 0.239046)
    //   P95 = 15 − √(0.05·7·5) = 15 − √1.75 = 13.677124  (density 2·1.322876/(7·5) = 0.075593)
    // SE = √(p(1 − p)/1000)/density: P5 0.006892/0.119523 = 0.05766, P50 0.015811/0.239046 = 0.06614,
    // P95 0.006892/0.075593 = 0.09117; we allow 4 SE.
    const r = uncertaintyRange({
      factors: [{ id: 'archetype', sum: 10, uncertainty: { kind: 'triangular', min: 8, mode: 10, max: 15 } }],
      seed: SEED,
    });
    expect(Math.abs(r.p5 - 8.83666)).toBeLessThan(4 * 0.05766);
    expect(Math.abs(r.p50 - 10.816699)).toBeLessThan(4 * 0.06614);
    expect(Math.abs(r.p95 - 13.677124)).toBeLessThan(4 * 0.09117);
  });

  it('adds the activity variance in closed form as a normal term', () => {
    // One certain factor (u = 0) of 1000 plus activity Σv² = 10 000 at u = 0.2 → V_a = 0.04·10 000 = 400, sd 20:
    // P5/P95 = 1000 ∓ 1.6448536·20 = 967.103, 1032.897; SE at p = 0.05: 20·0.066825 = 1.3365 → 4 SE = 5.35.
    const r = uncertaintyRange({
      factors: [{ id: 'grid', sum: 1000, uncertainty: { kind: 'lognormal', u: 0 } }],
      activity: [{ quality: 'MOYENNE', sumOfSquares: 10_000, u: 0.2 }],
      seed: SEED,
    });
    expect(r.activityVariance).toBeCloseTo(400, 10);
    expect(r.variance).toBeCloseTo(400, 10);
    expect(Math.abs(r.p5 - 967.103)).toBeLessThan(5.35);
    expect(Math.abs(r.p95 - 1032.897)).toBeLessThan(5.35);
    expect(r.topFactors).toEqual([]);
  });

  it('is reproducible for the same seed and differs for another seed', () => {
    const input = {
      factors: [
        { id: 'a', sum: 100, uncertainty: { kind: 'lognormal' as const, u: 0.3 } },
        { id: 'b', sum: 40, uncertainty: { kind: 'triangular' as const, min: 8, mode: 10, max: 15 } },
      ],
      activity: [{ quality: 'BASSE', sumOfSquares: 50, u: 0.5 }],
      seed: SEED,
    };
    const r1 = uncertaintyRange(input);
    const r2 = uncertaintyRange(input);
    expect(r2).toEqual(r1);
    const r3 = uncertaintyRange({ ...input, seed: 'deadbeef' });
    expect(r3.p50).not.toBe(r1.p50);
    expect(r3.p5).not.toBe(r1.p5);
    // Order of the factors does not matter (one stream per factor id): same draws, up to summation order.
    const r4 = uncertaintyRange({ ...input, factors: [...input.factors].reverse() });
    expect(r4.p50).toBeCloseTo(r1.p50, 9);
  });

  it('ranks the five factors contributing most to the variance (worked by hand)', () => {
    // Contribution S² · Var(M), Var(M) lognormal = (e^{σ²} − 1)e^{σ²}, σ = ln(1 + u):
    //   A: 100, u 0.1 → 10 000 × 0.0092087 =  92.087
    //   B:  30, u 0.5 →    900 × 0.2106174 = 189.556
    //   C:  50, u 0.3 →  2 500 × 0.0763374 = 190.843
    //   D:  60, u 0.2 →  3 600 × 0.0349422 = 125.792
    //   E:  40, triangular 8/10/15 → 1 600 × 0.0216667 = 34.667
    //   F:  10, u 0.5 →    100 × 0.2106174 =  21.062 (sixth: left out)
    // Total variance (no activity) = 92.087 + 189.556 + 190.843 + 125.792 + 34.667 + 21.062 = 654.007
    // → share of C = 190.843 / 654.007 = 0.29181
    const r = uncertaintyRange({
      factors: [
        { id: 'A', sum: 100, uncertainty: { kind: 'lognormal', u: 0.1 } },
        { id: 'B', sum: 30, uncertainty: { kind: 'lognormal', u: 0.5 } },
        { id: 'C', sum: 50, uncertainty: { kind: 'lognormal', u: 0.3 } },
        { id: 'D', sum: 60, uncertainty: { kind: 'lognormal', u: 0.2 } },
        { id: 'E', sum: 40, uncertainty: { kind: 'triangular', min: 8, mode: 10, max: 15 } },
        { id: 'F', sum: 10, uncertainty: { kind: 'lognormal', u: 0.5 } },
      ],
      seed: SEED,
    });
    expect(r.topFactors.map((f) => f.id)).toEqual(['C', 'B', 'D', 'A', 'E']);
    expect(r.topFactors[0]?.variance).toBeCloseTo(190.843, 3);
    expect(r.variance).toBeCloseTo(654.007, 2);
    expect(r.topFactors[0]?.share).toBeCloseTo(0.29181, 4);
    expect(r.nominal).toBe(290);
  });
});

describe('deltaUncertaintyRange', () => {
  const laptop = { id: 'laptop', before: 500, after: 500, uncertainty: { kind: 'lognormal' as const, u: 0.3 } };
  const grid = { id: 'grid', before: 180, after: 180, uncertainty: { kind: 'lognormal' as const, u: 0.1 } };
  const factors = [laptop, grid];

  it('gives a delta of zero width for identical campaigns (correlated draws)', () => {
    const r = deltaUncertaintyRange({ factors, seed: SEED });
    expect([r.p5, r.p50, r.p95]).toEqual([0, 0, 0]);
    expect(r.variance).toBe(0);
  });

  it('draws the same multiplier for a factor in both campaigns', () => {
    // Only the laptop sum changes, 500 → 400: delta = −100·M_laptop, exactly −1 × the range of a campaign with
    // laptop sum 100 alone (same stream): P5 of the delta = −P95 of that campaign.
    const delta = deltaUncertaintyRange({
      factors: [{ ...laptop, after: 400 }, grid],
      seed: SEED,
    });
    const alone = uncertaintyRange({
      factors: [{ id: 'laptop', sum: 100, uncertainty: { kind: 'lognormal', u: 0.3 } }],
      seed: SEED,
    });
    expect(delta.nominal).toBe(-100);
    expect(delta.p5).toBeCloseTo(-alone.p95, 9);
    expect(delta.p95).toBeCloseTo(-alone.p5, 9);
    // Independent draws would give a much wider delta for the same campaigns; the shared grid factor cancels here.
    expect(delta.topFactors.map((f) => f.id)).toEqual(['laptop']);
  });
});

describe('uncertainty — bad input', () => {
  const code = (f: () => unknown): [string, string] => {
    try {
      f();
    } catch (e) {
      if (e instanceof SteeringError) return [e.code, e.path];
      throw e;
    }
    throw new Error('no error');
  };

  it('rejects a bad seed, a negative u, unordered triangular bounds, duplicated factors and too few draws', () => {
    const ok = { id: 'a', sum: 1, uncertainty: { kind: 'lognormal' as const, u: 0.2 } };
    expect(code(() => uncertaintyRange({ factors: [ok], seed: 'not-hex!' }))).toEqual(['STR_SEED_FORMAT', 'seed']);
    expect(
      code(() => uncertaintyRange({ factors: [{ ...ok, uncertainty: { kind: 'lognormal', u: -0.1 } }], seed: SEED })),
    ).toEqual(['STR_UNCERTAINTY_RANGE', 'factors.0.uncertainty.u']);
    expect(
      code(() =>
        uncertaintyRange({
          factors: [{ ...ok, uncertainty: { kind: 'triangular', min: 12, mode: 10, max: 15 } }],
          seed: SEED,
        }),
      ),
    ).toEqual(['STR_TRIANGULAR_BOUNDS', 'factors.0.uncertainty']);
    expect(code(() => uncertaintyRange({ factors: [ok, ok], seed: SEED }))).toEqual([
      'STR_DUPLICATE_KEY',
      'factors.1.id',
    ]);
    expect(code(() => uncertaintyRange({ factors: [ok], seed: SEED, draws: 3 }))).toEqual(['STR_DRAWS_RANGE', 'draws']);
  });
});

describe('uncertainty — properties', () => {
  const factorList = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      sum: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      u: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 8, selector: (f) => f.id },
  );
  const toFactors = (list: readonly { id: string; sum: number; u: number }[]) =>
    list.map((f) => ({ id: f.id, sum: f.sum, uncertainty: { kind: 'lognormal' as const, u: f.u } }));

  it('orders the percentiles and scales them with the sums (same streams)', () => {
    fc.assert(
      fc.property(factorList, fc.double({ min: 0.01, max: 100, noNaN: true }), (list, k) => {
        const r = uncertaintyRange({ factors: toFactors(list), seed: SEED, draws: 200 });
        expect(r.p5).toBeLessThanOrEqual(r.p50);
        expect(r.p50).toBeLessThanOrEqual(r.p95);
        const scaled = uncertaintyRange({
          factors: toFactors(list.map((f) => ({ ...f, sum: f.sum * k }))),
          seed: SEED,
          draws: 200,
        });
        // Σ k·S_f·M_f = k · Σ S_f·M_f draw by draw.
        expect(Math.abs(scaled.p50 - k * r.p50)).toBeLessThanOrEqual(1e-9 * k * r.p95);
        expect(Math.abs(scaled.p95 - k * r.p95)).toBeLessThanOrEqual(1e-9 * k * r.p95);
      }),
      { seed: 21, numRuns: 60 },
    );
  });

  it('gives a zero-width delta for identical campaigns, whatever the factors', () => {
    fc.assert(
      fc.property(factorList, (list) => {
        const r = deltaUncertaintyRange({
          factors: list.map((f) => ({
            id: f.id,
            before: f.sum,
            after: f.sum,
            uncertainty: { kind: 'lognormal' as const, u: f.u },
          })),
          seed: SEED,
          draws: 100,
        });
        expect([r.p5, r.p50, r.p95]).toEqual([0, 0, 0]);
      }),
      { seed: 22, numRuns: 60 },
    );
  });
});
