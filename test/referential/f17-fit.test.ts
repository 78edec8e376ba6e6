/**
 * F17 with a known TDP: least-squares fit of P(load) = a·ln(b·(load + c)) + d through the four points of methodology
 * §4 F17, (0, 0.12·TDP), (10, 0.32·TDP), (50, 0.75·TDP), (100, 1.02·TDP). The checks do not reuse the program's
 * search: the four fitted points are within a stated tolerance of the spec's points, the residuals satisfy the
 * least-squares normal equations (first-order optimality in a, k = a·ln b + d and c), a nearby c is worse, and the
 * fit scales with the TDP as the spec's shape implies.
 */
import { describe, expect, it } from 'vitest';
import {
  CPU_PROFILES,
  DEFAULT_CPU_PROFILE,
  TDP_FIT_POINTS,
  cpuPower,
  cpuProfileFor,
  fitCpuProfile,
} from '../../src/referential/boavizta/components.js';

const P = (load: number, p: { a: number; b: number; c: number; d: number }) => p.a * Math.log(p.b * (load + p.c)) + p.d;

describe('F17 TDP fit', () => {
  it('uses the four TDP points of the spec', () => {
    expect(TDP_FIT_POINTS).toEqual([
      [0, 0.12],
      [10, 0.32],
      [50, 0.75],
      [100, 1.02],
    ]);
  });

  it('TDP 240 W (Xeon Platinum 8175M): the four fitted points within 0.2 % of the TDP (0.48 W) of the spec points', () => {
    const p = fitCpuProfile(240, CPU_PROFILES['Xeon Platinum']);
    // spec points: 0.12 × 240 = 28.8 W, 0.32 × 240 = 76.8 W, 0.75 × 240 = 180 W, 1.02 × 240 = 244.8 W
    const expected = [28.8, 76.8, 180, 244.8];
    TDP_FIT_POINTS.forEach(([load], i) => expect(Math.abs(P(load, p) - expected[i]!)).toBeLessThan(0.002 * 240));
    // The log model cannot pass through the four points exactly (3 identifiable parameters), so the fit is a
    // genuine compromise: the largest gap is above 0.1 % of the TDP.
    const worst = Math.max(...TDP_FIT_POINTS.map(([load], i) => Math.abs(P(load, p) - expected[i]!)));
    expect(worst).toBeGreaterThan(0.001 * 240);
    // d is kept at the base profile's d (Xeon Platinum −10.1336); b follows from k = a·ln b + d.
    expect(p.d).toBe(-10.1336);
    expect(p.a).toBeGreaterThan(0);
    expect(p.b).toBeGreaterThan(0);
    expect(p.c).toBeGreaterThan(0);
    // cpuPower is the same curve (floored at 1 W, not reached here)
    expect(cpuPower(50, p)).toBeCloseTo(P(50, p), 10);
  });

  it('satisfies the least-squares normal equations (gradient of the residual sum of squares = 0)', () => {
    const tdp = 240;
    const p = fitCpuProfile(tdp);
    const pts = TDP_FIT_POINTS.map(([x, r]) => [x, r * tdp] as const);
    const e = pts.map(([x, y]) => P(x, p) - y);
    // ∂/∂k: Σ e_i = 0; ∂/∂a: Σ e_i·ln(x_i + c) = 0; ∂/∂c: Σ e_i·a/(x_i + c) = 0 (relative to the scale of y)
    const sum = (f: (i: number) => number) => pts.reduce((s, _p, i) => s + f(i), 0);
    expect(Math.abs(sum((i) => e[i]!))).toBeLessThan(1e-9 * tdp);
    expect(Math.abs(sum((i) => e[i]! * Math.log(pts[i]![0] + p.c)))).toBeLessThan(1e-8 * tdp);
    expect(Math.abs(sum((i) => (e[i]! * p.a) / (pts[i]![0] + p.c)))).toBeLessThan(1e-6 * tdp);
    // A nearby c (with its own best a, k) is worse: RSS(c ± 5 %) > RSS(c).
    const rss = (c: number) => {
      const u = pts.map(([x]) => Math.log(x + c));
      const mu = u.reduce((s, v) => s + v, 0) / 4;
      const my = pts.reduce((s, [, y]) => s + y, 0) / 4;
      const a = u.reduce((s, v, i) => s + (v - mu) * (pts[i]![1] - my), 0) / u.reduce((s, v) => s + (v - mu) ** 2, 0);
      const k = my - a * mu;
      return u.reduce((s, v, i) => s + (a * v + k - pts[i]![1]) ** 2, 0);
    };
    const at = sum((i) => e[i]! ** 2);
    expect(rss(p.c)).toBeCloseTo(at, 9);
    expect(rss(p.c * 1.05)).toBeGreaterThan(at);
    expect(rss(p.c * 0.95)).toBeGreaterThan(at);
  });

  it('scales with the TDP: c does not depend on it, the curve doubles with the TDP', () => {
    const p1 = fitCpuProfile(100);
    const p2 = fitCpuProfile(200);
    expect(p2.c).toBeCloseTo(p1.c, 9);
    expect(p2.a).toBeCloseTo(2 * p1.a, 9);
    // P = a·ln(x + c) + k with a, k ∝ TDP: the whole curve is ∝ TDP
    for (const load of [0, 25, 50, 75, 100]) expect(P(load, p2)).toBeCloseTo(2 * P(load, p1), 9);
    expect(p1.d).toBe(DEFAULT_CPU_PROFILE.d); // default base profile
  });

  it('rejects a non-positive TDP', () => {
    expect(() => fitCpuProfile(0)).toThrow(RangeError);
  });

  it('profile choice: TDP fit when a TDP is known, else the range profile, else the default', () => {
    expect(cpuProfileFor({ tdpW: 150 }).rule).toMatch(/TDP 150 W/);
    expect(cpuProfileFor({ modelRange: 'Xeon Gold' }).profile).toEqual(CPU_PROFILES['Xeon Gold']);
    expect(cpuProfileFor({ modelRange: 'Graviton2' }).profile).toEqual(DEFAULT_CPU_PROFILE);
    expect(cpuProfileFor(undefined).profile).toEqual(DEFAULT_CPU_PROFILE);
  });
});
