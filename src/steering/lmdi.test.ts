import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteeringError } from './errors.js';
import {
  type ChangeInput,
  type EmbodiedFactors,
  type MatchedIndicator,
  type UseFactors,
  ChangeDecomposition,
  EFFECTS,
  decomposeChange,
  logMean,
} from './lmdi.js';

const CC = 'CLIMATE_CHANGE';

/**
 * The worked example of docs/steering.md (§1.4), criterion CLIMATE_CHANGE, kg CO2 eq per year:
 * - laptops (key "laptops"), MANUFACTURING: q 10 → 12, F 200, τ 1, s 1, L 4 → 5 years
 *     V0 = 10·200/4 = 500, V1 = 12·200/5 = 480
 * - server (key "srv-1"), USE: q 2, E 1000 kWh, τ 1, s 1, PUE 1.5 → 1.2, M 0.06 → 0.05 kg/kWh
 *     V0 = 2·1000·1.5·0.06 = 180, V1 = 2·1000·1.2·0.05 = 120
 * - printer (key "printer"), campaign 0 only: 10
 * - tablets (key "tablets"), campaign 1 only: 30
 */
const example: ChangeInput = {
  matched: [
    {
      key: 'laptops',
      criterion: CC,
      step: 'MANUFACTURING',
      kind: 'embodied',
      before: { q: 10, F: 200, tau: 1, s: 1, L: 4 },
      after: { q: 12, F: 200, tau: 1, s: 1, L: 5 },
    },
    {
      key: 'srv-1',
      criterion: CC,
      step: 'USE',
      kind: 'use',
      before: { q: 2, E: 1000, tau: 1, s: 1, PUE: 1.5, M: 0.06 },
      after: { q: 2, E: 1000, tau: 1, s: 1, PUE: 1.2, M: 0.05 },
    },
  ],
  onlyBefore: [{ key: 'printer', criterion: CC, step: 'MANUFACTURING', value: 10 }],
  onlyAfter: [{ key: 'tablets', criterion: CC, step: 'MANUFACTURING', value: 30 }],
};

describe('logMean', () => {
  it('is (a − b)/(ln a − ln b) and L(a, a) = a', () => {
    // L(2, 1) = 1 / ln 2 = 1.4426950408889634
    expect(logMean(2, 1)).toBeCloseTo(1.4426950408889634, 14);
    // L(e, 1) = (e − 1) / 1
    expect(logMean(Math.E, 1)).toBeCloseTo(Math.E - 1, 14);
    expect(logMean(7.25, 7.25)).toBe(7.25);
    expect(logMean(0, 1)).toBeNaN();
    expect(logMean(-1, 1)).toBeNaN();
  });

  it('keeps full precision for a ≈ b, where the naive formula cancels', () => {
    // a = 3 + 3e-12, b = 3: L = b·(1 + δ/2 − δ²/12 + …) with δ = (a − b)/b ≈ 1e-12, so L = b + d/2 to ~1e-24·b,
    // d = a − b (exact in floating point).
    const a = 3 + 3e-12;
    const d = a - 3;
    const expected = 3 + d / 2;
    expect(Math.abs(logMean(a, 3) - expected)).toBeLessThan(1e-15);
    // The naive form divides d by ln a − ln 3, whose absolute rounding (~1e-16) is ~1e-4 of its value ~1e-12.
    const naive = (a - 3) / (Math.log(a) - Math.log(3));
    expect(Math.abs(naive - expected)).toBeGreaterThan(1e-8);
  });

  it('keeps full precision when a ≪ b', () => {
    // a = 1e-12, b = 3.5e-4: L = (a − b)/ln(a/b) = −3.49999999e-4 / ln(2.857142857e-9) = 3.49999999e-4 / 19.6734…
    // ln(2.857142857142857e-9) = ln(2.857142857142857) − 9·ln(10) = 1.0498221244986776 − 20.723265836946414
    //                           = −19.67344371244773
    const expected = (3.5e-4 - 1e-12) / 19.67344371244773;
    expect(Math.abs(logMean(1e-12, 3.5e-4) - expected) / expected).toBeLessThan(1e-14);
  });

  it('is symmetric and lies between the geometric and the arithmetic mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (a, b) => {
          const l = logMean(a, b);
          expect(Math.abs(logMean(b, a) - l)).toBeLessThanOrEqual(1e-14 * l);
          expect(l).toBeGreaterThanOrEqual(Math.sqrt(a * b) * (1 - 1e-12));
          expect(l).toBeLessThanOrEqual(((a + b) / 2) * (1 + 1e-12));
        },
      ),
      { seed: 20261206, numRuns: 500 },
    );
  });
});

describe('decomposeChange — hand-worked example', () => {
  it('splits the change into scope, fleet, lifetime, PUE and electricity-mix effects', () => {
    const [r] = decomposeChange(example);
    expect(r).toBeDefined();
    if (r === undefined) return;
    // Totals: before = 500 + 180 + 10 = 690; after = 480 + 120 + 30 = 630; change = −60.
    expect(r.criterion).toBe(CC);
    expect(r.before).toBeCloseTo(690, 12);
    expect(r.after).toBeCloseTo(630, 12);
    expect(r.change).toBeCloseTo(-60, 12);
    expect(r.referenceData).toBe(0);
    // Scope: +30 (tablets) − 10 (printer) = +20.
    expect(r.effects.scope).toBeCloseTo(20, 12);
    // Laptops: L(480, 500) = −20 / ln(0.96) = 489.931965232…
    //   fleet    = 489.931965 · ln(12/10) = 489.931965 · 0.182321557 = +89.325159
    //   lifetime = −489.931965 · ln(5/4) = −489.931965 · 0.223143551 = −109.325159
    expect(r.effects.fleet).toBeCloseTo(89.325159, 5);
    expect(r.effects.lifetime).toBeCloseTo(-109.325159, 5);
    // Server: L(120, 180) = −60 / ln(2/3) = 147.978208…
    //   PUE = 147.978208 · ln(1.2/1.5) = 147.978208 · (−0.223143551) = −33.020383
    //   mix = 147.978208 · ln(0.05/0.06) = 147.978208 · (−0.182321557) = −26.979617
    expect(r.effects.pue).toBeCloseTo(-33.020383, 5);
    expect(r.effects.electricityMix).toBeCloseTo(-26.979617, 5);
    // Unchanged factors: no effect.
    expect(r.effects.equipmentFactor).toBe(0);
    expect(r.effects.consumption).toBe(0);
    expect(r.effects.usageShare).toBe(0);
    // 20 + 89.325159 − 109.325159 − 33.020383 − 26.979617 = −60
    const sum = EFFECTS.reduce((s, e) => s + r.effects[e], 0);
    expect(sum).toBeCloseTo(-60, 10);
    expect(r.zeroValueMoves).toBe(0);
  });

  it('reports the reference-data effect apart when campaign 0 was recomputed with campaign 1’s referential', () => {
    // Campaign 0 with its own referential totalled 700; with campaign 1's referential (0′) it is 690.
    const [r] = decomposeChange({ ...example, originalBefore: [{ criterion: CC, value: 700 }] });
    if (r === undefined) throw new Error('no result');
    expect(r.before).toBe(700);
    expect(r.recomputedBefore).toBeCloseTo(690, 12);
    // reference data = 690 − 700 = −10; change = 630 − 700 = −70 = −10 + (−60)
    expect(r.referenceData).toBeCloseTo(-10, 12);
    expect(r.change).toBeCloseTo(-70, 12);
    const sum = EFFECTS.reduce((s, e) => s + r.effects[e], 0);
    expect(r.referenceData + sum).toBeCloseTo(-70, 10);
  });

  it('applies the zero-value rule: a consumption that appears moves that indicator into the scope effect', () => {
    // Screen, USE: E 0 → 100 kWh, q 3, M 0.05: V0 = 0, V1 = 3·100·0.05 = 15 → scope +15, no consumption effect.
    const r = decomposeChange({
      matched: [
        {
          key: 'screen',
          criterion: CC,
          step: 'USE',
          kind: 'use',
          before: { q: 3, E: 0, tau: 1, s: 1, PUE: 1, M: 0.05 },
          after: { q: 3, E: 100, tau: 1, s: 1, PUE: 1, M: 0.05 },
        },
      ],
      onlyBefore: [],
      onlyAfter: [],
    })[0];
    if (r === undefined) throw new Error('no result');
    expect(r.effects.scope).toBeCloseTo(15, 12);
    expect(r.effects.consumption).toBe(0);
    expect(r.zeroValueMoves).toBe(1);
  });

  it('treats a value that underflows to 0 like a zero factor (no NaN)', () => {
    // V0 = 1e-200 · 1e-200 / 1 = 1e-400 → 0 in double precision; V1 = 1 · 5 / 1 = 5: scope +5.
    const [r] = decomposeChange({
      matched: [
        {
          key: 'tiny',
          criterion: CC,
          step: 'MANUFACTURING',
          kind: 'embodied',
          before: { q: 1e-200, F: 1e-200, tau: 1, s: 1, L: 1 },
          after: { q: 1, F: 5, tau: 1, s: 1, L: 1 },
        },
      ],
      onlyBefore: [],
      onlyAfter: [],
    });
    expect(r?.effects.scope).toBe(5);
    expect(r?.effects.fleet).toBe(0);
    expect(r?.zeroValueMoves).toBe(1);
  });

  it('keeps criteria apart, in order of first appearance', () => {
    const r = decomposeChange({
      matched: [],
      onlyBefore: [{ key: 'a', criterion: 'B', step: 'USE', value: 4 }],
      onlyAfter: [{ key: 'b', criterion: 'A', step: 'USE', value: 6 }],
    });
    expect(r.map((x) => [x.criterion, x.before, x.after, x.effects.scope])).toEqual([
      ['B', 4, 0, -4],
      ['A', 0, 6, 6],
    ]);
  });
});

describe('decomposeChange — bad input', () => {
  const laptop = example.matched[0];
  if (laptop === undefined || laptop.kind !== 'embodied') throw new Error('example');

  it('rejects a zero lifetime and a negative factor with the field path', () => {
    const bad: MatchedIndicator = { ...laptop, after: { ...laptop.after, L: 0 } };
    try {
      decomposeChange({ matched: [bad], onlyBefore: [], onlyAfter: [] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SteeringError);
      if (!(e instanceof SteeringError)) return;
      expect(e.code).toBe('STR_FACTOR_RANGE');
      expect(e.path).toBe('matched.0.after.L');
      expect(e.allowed).toEqual(['a finite number > 0']);
    }
    const neg: MatchedIndicator = { ...laptop, before: { ...laptop.before, F: -1 } };
    expect(() => decomposeChange({ matched: [neg], onlyBefore: [], onlyAfter: [] })).toThrow(
      /STR_FACTOR_RANGE at matched\.0\.before\.F/,
    );
  });

  it('rejects a duplicated indicator and an original total missing a criterion', () => {
    expect(() => decomposeChange({ matched: [laptop, laptop], onlyBefore: [], onlyAfter: [] })).toThrow(
      /STR_DUPLICATE_KEY at matched\.1/,
    );
    expect(() => decomposeChange({ ...example, originalBefore: [{ criterion: 'ACIDIFICATION', value: 1 }] })).toThrow(
      /STR_CRITERION_MISSING at originalBefore/,
    );
  });
});

describe('decomposeChange — properties on random inventory pairs', () => {
  const factor = fc.oneof(
    { weight: 12, arbitrary: fc.double({ min: 0.01, max: 1e4, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
  const lifetime = fc.double({ min: 0.5, max: 12, noNaN: true });
  const embodied: fc.Arbitrary<EmbodiedFactors> = fc.record({
    q: factor,
    F: factor,
    tau: factor,
    s: factor,
    L: lifetime,
  });
  const use: fc.Arbitrary<UseFactors> = fc.record({
    q: factor,
    E: factor,
    tau: factor,
    s: factor,
    PUE: factor,
    M: factor,
  });
  const criterion = fc.constantFrom('CLIMATE_CHANGE', 'ACIDIFICATION');
  const matched = fc.oneof(
    fc.record({
      criterion,
      step: fc.constant('MANUFACTURING'),
      kind: fc.constant('embodied' as const),
      before: embodied,
      after: embodied,
    }),
    fc.record({ criterion, step: fc.constant('USE'), kind: fc.constant('use' as const), before: use, after: use }),
  );
  const scope = fc.record({ criterion, step: fc.constant('USE'), value: fc.double({ min: 0, max: 1e5, noNaN: true }) });
  const pair = fc.record({
    matched: fc.array(matched, { maxLength: 40 }),
    onlyBefore: fc.array(scope, { maxLength: 5 }),
    onlyAfter: fc.array(scope, { maxLength: 5 }),
  });
  const withKeys = <T extends object>(list: readonly T[], prefix: string): (T & { key: string })[] =>
    list.map((x, i) => ({ ...x, key: `${prefix}${i}` }));
  type Pair = typeof pair extends fc.Arbitrary<infer T> ? T : never;
  /** A generated pair as the decomposition's input, each item keyed by its list and position. */
  const inputOf = (p: Pair): ChangeInput => ({
    matched: withKeys(p.matched, 'm'),
    onlyBefore: withKeys(p.onlyBefore, 'b'),
    onlyAfter: withKeys(p.onlyAfter, 'a'),
  });

  it('the effects sum to the change (1e-9 relative) for every criterion', () => {
    fc.assert(
      fc.property(pair, (p) => {
        const input = inputOf(p);
        for (const r of decomposeChange(input)) {
          const sum = EFFECTS.reduce((s, e) => s + r.effects[e], 0);
          const scale = Math.max(r.before, r.after, 1e-300);
          expect(Math.abs(r.referenceData + sum - r.change)).toBeLessThanOrEqual(1e-9 * scale);
        }
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('the numeric entries (factors as numbers, criterion ids) give the same numbers as the objects', () => {
    const EMB = ['q', 'F', 'tau', 's', 'L'] as const;
    const USE = ['q', 'E', 'tau', 's', 'PUE', 'M'] as const;
    fc.assert(
      fc.property(pair, (p) => {
        const input = inputOf(p);
        const d = new ChangeDecomposition();
        for (const m of p.matched) {
          const keys: readonly string[] = m.kind === 'embodied' ? EMB : USE;
          const b = m.before as unknown as Record<string, number>;
          const a = m.after as unknown as Record<string, number>;
          d.matchedFactors(
            d.criterionId(m.criterion),
            m.kind === 'embodied',
            Float64Array.from(keys, (k) => b[k]!),
            keys.map((k) => a[k]!),
          );
        }
        for (const x of p.onlyBefore) d.onlyBeforeValue(d.criterionId(x.criterion), x.value);
        for (const x of p.onlyAfter) d.onlyAfterValue(d.criterionId(x.criterion), x.value);
        expect(d.result()).toEqual(decomposeChange(input));
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('the numeric entry rejects bad factors as the objects are rejected', () => {
    const d = new ChangeDecomposition();
    d.matchedFactors(d.criterionId(CC), true, [10, 200, 1, 1, 4], [12, 200, 1, 1, 0]);
    expect(() => d.result()).toThrow(/STR_FACTOR_RANGE at matched\.0\.after\.L/);
    const u = new ChangeDecomposition();
    u.matchedFactors(u.criterionId(CC), false, [2, 1000, 1, 1, 1.5, 0.06], [2, 1000, 1, 1, 1.2, 0.05]);
    u.matchedFactors(u.criterionId(CC), false, [2, Number.NaN, 1, 1, 1.5, 0.06], [2, 1000, 1, 1, 1.2, 0.05]);
    expect(() => u.result()).toThrow(/STR_FACTOR_RANGE at matched\.1\.before\.E/);
  });

  it('a change of one factor only is attributed whole to its effect', () => {
    fc.assert(
      fc.property(embodied, fc.double({ min: 0.1, max: 10, noNaN: true }), (f, ratio) => {
        fc.pre(f.q > 0 && f.F > 0 && f.tau > 0 && f.s > 0);
        // Only F changes: V1 − V0 = q·F·(ratio − 1)·τ·s/L, all of it the equipment-factor effect.
        const after = { ...f, F: f.F * ratio };
        const [r] = decomposeChange({
          matched: [{ key: 'x', criterion: CC, step: 'MANUFACTURING', kind: 'embodied', before: f, after }],
          onlyBefore: [],
          onlyAfter: [],
        });
        if (r === undefined) throw new Error('no result');
        const expected = (f.q * after.F * f.tau * f.s) / f.L - (f.q * f.F * f.tau * f.s) / f.L;
        expect(Math.abs(r.effects.equipmentFactor - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected) + 1e-300);
        expect(r.effects.fleet + r.effects.lifetime + r.effects.scope + r.effects.usageShare).toBe(0);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
