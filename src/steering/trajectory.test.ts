import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteeringError } from './errors.js';
import { targetValueAt, trajectory } from './trajectory.js';

/**
 * Worked example of docs/steering.md §2.4: baseline 2023 = 1000 t CO2 eq, −30 % by 2030, linear path.
 * Target value 2030 = 1000 × 0.7 = 700; path: 1000 × (1 − 0.3·(y − 2023)/7).
 * Campaigns 2023: 1000, 2024: 980, 2025: 900.
 */
const target = {
  baseline: { year: 2023, value: 1000 },
  targetYear: 2030,
  reduction: -0.3,
  shape: 'linear' as const,
};
const campaigns = [
  { year: 2025, value: 900 },
  { year: 2023, value: 1000 },
  { year: 2024, value: 980 },
];

function codeOf(f: () => unknown): { code: string; path: string; allowed: readonly string[] | undefined } {
  try {
    f();
  } catch (e) {
    if (e instanceof SteeringError) return { code: e.code, path: e.path, allowed: e.allowed };
    throw e;
  }
  throw new Error('no error thrown');
}

describe('trajectory — linear path worked by hand', () => {
  const r = trajectory({ target, campaigns });

  it('gives the target value, the gap and the status per campaign', () => {
    expect(r.targetValue).toBeCloseTo(700, 12);
    // linear: −0.30 / 7 years = −0.0428571 of the baseline per year
    expect(r.annualChange).toBeCloseTo(-0.3 / 7, 15);
    // 2023: target 1000, gap 0 → on track (value ≤ target)
    // 2024: target 1000·(1 − 0.3/7) = 957.142857, gap 980 − 957.142857 = +22.857143 → off track
    // 2025: target 1000·(1 − 0.6/7) = 914.285714, gap 900 − 914.285714 = −14.285714 → on track
    expect(r.campaigns.map((c) => c.year)).toEqual([2023, 2024, 2025]);
    expect(r.campaigns.map((c) => c.status)).toEqual(['on-track', 'off-track', 'on-track']);
    expect(r.campaigns[1]?.target).toBeCloseTo(957.142857, 5);
    expect(r.campaigns[1]?.gap).toBeCloseTo(22.857143, 5);
    expect(r.campaigns[1]?.relativeGap).toBeCloseTo(22.857143 / 957.142857, 8);
    expect(r.campaigns[2]?.target).toBeCloseTo(914.285714, 5);
    expect(r.campaigns[2]?.gap).toBeCloseTo(-14.285714, 5);
  });

  it('forecasts by least squares with a Student-t prediction interval', () => {
    // x̄ = 2024, ȳ = (1000 + 980 + 900)/3 = 960; Sxx = 1 + 0 + 1 = 2;
    // Sxy = (−1)(1000 − 960) + 0 + (1)(900 − 960) = −40 − 60 = −100 → slope b = −50 t/yr.
    // Fitted 1010, 960, 910; residuals −10, +20, −10; SSE = 600; s² = 600/(3 − 2) = 600.
    // t_{0.975, 1} = tan(0.475π) = 12.7062047.
    // 2030: ŷ = 960 − 50·6 = 660; s·√(1 + 1/3 + 36/2) = √(600 · 58/3) = √11600 = 107.7032961;
    //       half-width = 12.7062047 × 107.7032961 = 1368.50013 → [−708.50013, 2028.50013], the lower end held at 0
    //       (a footprint cannot be negative).
    const f = r.forecast;
    expect(f.available).toBe(true);
    if (!f.available) return;
    expect(f.slope).toBeCloseTo(-50, 12);
    expect(f.meanYear).toBe(2024);
    expect(f.meanValue).toBeCloseTo(960, 12);
    expect(f.residualSd).toBeCloseTo(Math.sqrt(600), 12);
    expect(f.studentT).toBeCloseTo(12.7062047, 6);
    expect(f.points.map((p) => p.year)).toEqual([2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030]);
    const p2030 = f.points[7];
    expect(p2030?.value).toBeCloseTo(660, 10);
    expect(p2030?.lower).toBe(0);
    expect(p2030?.upper).toBeCloseTo(2028.50013, 4);
    // 2026: ŷ = 860; √(600 · (1 + 1/3 + 4/2)) = √2000 = 44.7213595; half = 12.7062047 × 44.7213595 = 568.2387
    expect(f.points[3]?.value).toBeCloseTo(860, 10);
    expect(f.points[3]?.upper).toBeCloseTo(860 + 568.2387, 3);
    // Target 700 reached when 960 − 50·(y − 2024) = 700 → y = 2024 + 260/50 = 2029.2
    expect(f.reachedYear).toBeCloseTo(2029.2, 10);
    expect(f.note).toBeNull();
  });

  it('holds the forecast at 0 where the fitted line falls below zero, and says from which year', () => {
    // Two campaigns 2023: 1000, 2024: 600 → slope −400 t/yr; ŷ(2025) = 200, ŷ(2026) = −200 → 0, … 2030 → 0.
    const steep = trajectory({
      target,
      campaigns: [
        { year: 2023, value: 1000 },
        { year: 2024, value: 600 },
      ],
    });
    const f = steep.forecast;
    expect(f.available).toBe(true);
    if (!f.available) return;
    expect(f.slope).toBeCloseTo(-400, 10);
    expect(f.points.map((p) => p.value)).toEqual([1000, 600, 200, 0, 0, 0, 0, 0].map((v) => expect.closeTo(v, 9)));
    expect(f.note).toContain('falls below zero in 2026');
  });

  it('has no budget report without a budget', () => {
    expect(r.budget).toBeNull();
  });
});

describe('trajectory — constant annual rate and budget', () => {
  it('follows (1 + r)^(k/span) and reports the cumulative budget', () => {
    const r = trajectory({ target: { ...target, shape: 'constant-rate', budget: 6500 }, campaigns });
    // annual rate = 0.7^(1/7) − 1 = −0.0496772; 2024: 1000·0.7^(1/7) = 950.3228; 2025: 1000·0.7^(2/7) = 903.1134
    expect(r.annualChange).toBeCloseTo(-0.0496772, 7);
    expect(r.campaigns[1]?.target).toBeCloseTo(950.3228, 4);
    expect(r.campaigns[2]?.target).toBeCloseTo(903.1134, 4);
    // 2025: 900 ≤ 903.1134 → on track; 2024: 980 > 950.3228 → off track
    expect(r.campaigns.map((c) => c.status)).toEqual(['on-track', 'off-track', 'on-track']);
    // Budget 2023–2030: emitted so far 1000 + 980 + 900 = 2880; remaining 6500 − 2880 = 3620.
    // Forecast 2026…2030 = 860 + 810 + 760 + 710 + 660 = 3800 → projected 6680 > 6500: not within budget.
    // Path total (constant rate) = Σ_{k=0..7} 1000·0.7^(k/7) = 1000·(1 − 0.7^(8/7))/(1 − 0.7^(1/7)) = 6713.68…
    const b = r.budget;
    expect(b).not.toBeNull();
    expect(b?.emittedSoFar).toBeCloseTo(2880, 10);
    expect(b?.remaining).toBeCloseTo(3620, 10);
    expect(b?.projectedTotal).toBeCloseTo(6680, 9);
    expect(b?.projectedWithinBudget).toBe(false);
    const q = Math.pow(0.7, 1 / 7);
    expect(b?.targetPathTotal).toBeCloseTo((1000 * (1 - Math.pow(q, 8))) / (1 - q), 8);
  });

  it('interpolates missing years linearly for the emitted total, and holds the target after the target year', () => {
    // Campaigns 2023: 1000 and 2025: 900 → 2024 counted as 950; emitted = 1000 + 950 + 900 = 2850.
    const r = trajectory({
      target: { ...target, budget: 7000 },
      campaigns: [
        { year: 2023, value: 1000 },
        { year: 2025, value: 900 },
      ],
    });
    expect(r.budget?.emittedSoFar).toBeCloseTo(2850, 10);
    // Linear path total = Σ_{k=0..7} 1000·(1 − 0.3k/7) = 1000·(8 − 0.3·28/7) = 6800
    expect(r.budget?.targetPathTotal).toBeCloseTo(6800, 9);
    expect(targetValueAt(target, 2035)).toBeCloseTo(700, 12);
    expect(targetValueAt(target, 2020)).toBeNull();
  });
});

describe('trajectory — few campaigns', () => {
  it('gives no forecast with fewer than two campaigns, and says why', () => {
    const r = trajectory({ target, campaigns: [{ year: 2023, value: 1000 }] });
    expect(r.forecast).toEqual({ available: false, reason: 'a forecast needs at least two campaigns; 1 given' });
    expect(trajectory({ target, campaigns: [] }).forecast.available).toBe(false);
  });

  it('with two campaigns gives the exact line without an interval', () => {
    // 2023: 1000, 2025: 900 → slope −50; 2030: 950 − 50·6 = 650; reached at 950 − 50(y − 2024) = 700 → 2029
    const f = trajectory({
      target,
      campaigns: [
        { year: 2023, value: 1000 },
        { year: 2025, value: 900 },
      ],
    }).forecast;
    if (!f.available) throw new Error('expected a forecast');
    expect(f.slope).toBeCloseTo(-50, 12);
    expect(f.points.at(-1)).toEqual({ year: 2030, value: 650, lower: null, upper: null });
    expect(f.reachedYear).toBeCloseTo(2029, 10);
    expect(f.note).toMatch(/no prediction interval/);
  });

  it('marks campaigns before the baseline and gives no reached year for a rising footprint', () => {
    const r = trajectory({
      target,
      campaigns: [
        { year: 2022, value: 950 },
        { year: 2023, value: 1000 },
        { year: 2024, value: 1050 },
      ],
    });
    expect(r.campaigns[0]?.status).toBe('before-baseline');
    expect(r.campaigns[0]?.gap).toBeNull();
    if (!r.forecast.available) throw new Error('expected a forecast');
    expect(r.forecast.reachedYear).toBeNull();
  });
});

describe('trajectory — bad input', () => {
  it('rejects a target year before or at the baseline', () => {
    const e = codeOf(() => trajectory({ target: { ...target, targetYear: 2020 }, campaigns }));
    expect(e.code).toBe('STR_TARGET_YEAR_BEFORE_BASELINE');
    expect(e.path).toBe('target.targetYear');
    expect(e.allowed).toEqual(['a year after 2023']);
    expect(codeOf(() => trajectory({ target: { ...target, targetYear: 2023 }, campaigns })).code).toBe(
      'STR_TARGET_YEAR_BEFORE_BASELINE',
    );
  });

  it('rejects a reduction outside (−100 %, 0)', () => {
    for (const reduction of [0, 0.3, -1, -1.5]) {
      const e = codeOf(() => trajectory({ target: { ...target, reduction }, campaigns }));
      expect(e.code).toBe('STR_REDUCTION_RANGE');
      expect(e.path).toBe('target.reduction');
    }
  });

  it('rejects an unknown shape with the allowed values, a duplicated year and a negative value', () => {
    const s = codeOf(() => trajectory({ target: { ...target, shape: 'exponential' }, campaigns }));
    expect(s).toEqual({ code: 'STR_SHAPE', path: 'target.shape', allowed: ['linear', 'constant-rate'] });
    const d = codeOf(() => trajectory({ target, campaigns: [...campaigns, { year: 2024, value: 1 }] }));
    expect(d.code).toBe('STR_DUPLICATE_YEAR');
    expect(d.path).toBe('campaigns.3.year');
    const v = codeOf(() => trajectory({ target, campaigns: [{ year: 2024, value: -1 }] }));
    expect(v).toMatchObject({ code: 'STR_CAMPAIGN_VALUE', path: 'campaigns.0.value' });
    const b = codeOf(() => trajectory({ target: { ...target, baseline: { year: 2023, value: 0 } }, campaigns }));
    expect(b).toMatchObject({ code: 'STR_BASELINE_VALUE', path: 'target.baseline.value' });
  });
});

describe('trajectory — properties', () => {
  const targets = fc.record({
    baseline: fc.record({
      year: fc.integer({ min: 2000, max: 2040 }),
      value: fc.double({ min: 1, max: 1e7, noNaN: true }),
    }),
    span: fc.integer({ min: 1, max: 30 }),
    reduction: fc.double({ min: -0.99, max: -0.01, noNaN: true }),
    shape: fc.constantFrom('linear' as const, 'constant-rate' as const),
  });

  it('reaches baseline × (1 + reduction) at the target year, and is monotone in between', () => {
    fc.assert(
      fc.property(targets, (t) => {
        const target = { ...t, targetYear: t.baseline.year + t.span };
        const end = targetValueAt(target, target.targetYear);
        expect(end).not.toBeNull();
        expect(Math.abs((end ?? 0) - t.baseline.value * (1 + t.reduction))).toBeLessThanOrEqual(
          1e-9 * t.baseline.value,
        );
        expect(targetValueAt(target, t.baseline.year)).toBe(t.baseline.value);
        for (let y = t.baseline.year; y < target.targetYear; y++) {
          expect(targetValueAt(target, y + 1) ?? 0).toBeLessThan(targetValueAt(target, y) ?? 0);
        }
      }),
      { seed: 31, numRuns: 200 },
    );
  });

  it('recovers an exact line: slope, zero residual, zero-width interval; status follows the gap sign', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 5000, max: 10000, noNaN: true }),
        (n, slope, start) => {
          const campaigns = Array.from({ length: n }, (_, i) => ({ year: 2023 + i, value: start + slope * i }));
          const r = trajectory({ target: { ...target, baseline: { year: 2023, value: start } }, campaigns });
          if (!r.forecast.available) throw new Error('expected a forecast');
          expect(r.forecast.slope).toBeCloseTo(slope, 6);
          expect(r.forecast.residualSd ?? 1).toBeLessThan(1e-6);
          for (const p of r.forecast.points) expect((p.upper ?? 0) - (p.lower ?? 0)).toBeLessThan(1e-4);
          for (const c of r.campaigns) expect(c.status === 'on-track').toBe((c.gap ?? 0) <= 0);
        },
      ),
      { seed: 32, numRuns: 100 },
    );
  });
});
