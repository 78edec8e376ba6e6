import { describe, expect, it } from 'vitest';
import { logGamma, studentCdf, studentQuantile } from './student.js';

describe('Student t', () => {
  it('ln Γ matches known values', () => {
    // Γ(5) = 24; Γ(1/2) = √π; Γ(10.5) = 1133278.388948786 (tables).
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10.5)).toBeCloseTo(Math.log(1133278.388948786), 12);
  });

  it('the CDF matches closed forms for 1 and 2 degrees of freedom', () => {
    // ν = 1 (Cauchy): F(t) = ½ + atan(t)/π; ν = 2: F(t) = ½ + t / (2·√(2 + t²)).
    for (const t of [-3, -0.5, 0, 0.7, 2, 10]) {
      expect(studentCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it('quantiles match the published tables', () => {
    // ν = 1: tan(π·(0.975 − ½)) = tan(0.475π) = 12.706204736…
    expect(studentQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 8);
    // ν = 2: t = (2p − 1)·√(2 / (4p(1 − p))) → p = 0.975: 0.95·√(2/0.0975) = 4.302652730…
    expect(studentQuantile(0.975, 2)).toBeCloseTo(0.95 * Math.sqrt(2 / 0.0975), 8);
    // Tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2): t_{0.975,10} = 2.228, t_{0.95,30} = 1.697, t_{0.975,60} = 2.000.
    expect(studentQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentQuantile(0.95, 30)).toBeCloseTo(1.697, 3);
    expect(studentQuantile(0.975, 60)).toBeCloseTo(2.0, 3);
    expect(studentQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
    expect(studentQuantile(0.5, 4)).toBe(0);
  });
});
