/**
 * Issue 10: the four formula mutations that survived the suite, each pinned by a test with hand-computed values
 * (methodology F2, F3, F5–F7). The mutation each test kills is named in its title; docs/engine.md lists them.
 */
import { describe, expect, it } from 'vitest';
import { testReferential } from '../../test/helpers/referential.js';
import { run } from '../../test/helpers/engine.js';

const ref = testReferential({
  items: {
    lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 170 } }, kwh: 20 },
    srv: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1300 } }, kwh: 1000 },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    // No lifespan, and no global default below: the item has no lifetime at all.
    Appliance: { defaultItem: 'srv', isServer: true },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 }, Germany: { CLIMATE_CHANGE: 0.38 } },
  hypotheses: { dureeVieParDefaut: 0, dureeVieMinimale: 1 },
});

describe('mutation "PUE dropped in the branch without a lifetime" (F6, F7)', () => {
  it('an item without a lifetime still has its use step × PUE: 4 × 500 kWh × 1.42 × 0.38 = 1079.2', () => {
    const r = run(
      {
        datacenters: [{ name: 'DC1', pue: 1.42, location: 'Germany' }],
        physical: [{ name: 'a', type: 'Appliance', quantity: 4, datacenter: 'DC1', annualKWh: 500 }],
      },
      ref,
    );
    expect(r.value('a', 'MANUFACTURING').errorCode).toBe('CALC_LIFESPAN_UNDETERMINED');
    const use = r.value('a', 'USE');
    expect(use.status).toBe('OK');
    expect(use.value).toBeCloseTo(1079.2, 9); // 4 × 500 = 2000 kWh; × 1.42 = 2840; × 0.38 = 1079.2
    expect(r.results[0]!.itKWh).toBe(2000);
    expect(r.results[0]!.facilityKWh).toBeCloseTo(2840, 9);
    expect(use.trace!.variables['PUE']!.value).toBe(1.42);
  });
});

describe('mutation "reuse-rate default" (F3: r = 1 when tauxReemploi is absent)', () => {
  const life = (extra: { reuseRate?: number }) =>
    run(
      {
        physical: [
          {
            name: 'l',
            type: 'Laptop',
            quantity: 1,
            country: 'France',
            internalLifeYears: 4,
            downstreamLifeYears: 3,
            annualKWh: 0,
            ...extra,
          },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE' },
    );
  it('without a rate the whole downstream life counts: L = 4 + 1 × 3 = 7, MANUFACTURING = 170 / 7', () => {
    const r = life({});
    expect(r.results[0]!.lifetimeYears).toBe(7);
    expect(r.value('l', 'MANUFACTURING').value).toBeCloseTo(170 / 7, 12);
    expect(r.value('l', 'MANUFACTURING').trace!.lifetime).toMatchObject({ downstream: 3, valueRetained: 7 });
  });
  it('with a rate r, r × the downstream life: L = 4 + 0.4 × 3 = 5.2', () => {
    const r = life({ reuseRate: 0.4 });
    expect(r.results[0]!.lifetimeYears).toBeCloseTo(5.2, 12);
    expect(r.value('l', 'MANUFACTURING').value).toBeCloseTo(170 / 5.2, 12);
  });
});

describe('mutation "lifetime floor boundary" (F2: raised to dureeVieMinimale only when below it)', () => {
  const at = (years: number) =>
    run(
      {
        physical: [
          { name: 'l', type: 'Laptop', quantity: 1, country: 'France', internalLifeYears: years, annualKWh: 0 },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE' },
    );
  it('exactly the minimum (1 year) is not floored: no CALC_LIFESPAN_FLOORED, floored false', () => {
    const r = at(1);
    expect(r.results[0]!.warnings.map((w) => w.code)).not.toContain('CALC_LIFESPAN_FLOORED');
    expect(r.value('l', 'MANUFACTURING').trace!.lifetime).toMatchObject({ valueRetained: 1, floored: false });
    expect(r.value('l', 'MANUFACTURING').value).toBe(170);
  });
  it('just below it (0.75 year) is raised to 1 with the warning', () => {
    const r = at(0.75);
    const w = r.results[0]!.warnings.find((x) => x.code === 'CALC_LIFESPAN_FLOORED');
    expect(w?.details).toEqual({ name: 'l', value: 0.75, min: 1 });
    expect(r.value('l', 'MANUFACTURING').trace!.lifetime).toMatchObject({ valueRetained: 1, floored: true });
    expect(r.value('l', 'MANUFACTURING').value).toBe(170);
  });
});

describe('mutation "the trace\'s lifetime" (§4.0: the trace shows the L the value was divided by)', () => {
  it('internal 4 + upstream 2 × 0.5 + downstream 3 × 0.4 = 6.2 years in the value, the formula and the lifetime record', () => {
    const r = run(
      {
        physical: [
          {
            name: 'l',
            type: 'Laptop',
            quantity: 2,
            country: 'France',
            internalLifeYears: 4,
            upstreamLifeYears: 2,
            refurbishedRate: 0.5,
            downstreamLifeYears: 3,
            reuseRate: 0.4,
            annualKWh: 0,
          },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE' },
    );
    const m = r.value('l', 'MANUFACTURING');
    // 2 × 170 / 6.2 = 54.838709677…
    expect(m.value).toBeCloseTo(340 / 6.2, 12);
    expect(m.trace!.variables['L']!.value).toBeCloseTo(6.2, 12);
    expect(m.trace!.formula).toBe(`(q × F × τ) / L = (2 × 170 × 1) / ${4 + 2 * 0.5 + 3 * 0.4} = ${m.value}`);
    expect(m.trace!.lifetime).toEqual({
      method: 'FIXE',
      valueRetained: 4 + 2 * 0.5 + 3 * 0.4,
      source: 'INTERNAL',
      upstream: 1,
      downstream: 3 * 0.4,
      floored: false,
    });
  });
});
