/**
 * Methodology §7 check cases that concern equipment (C-01…C-06, C-08…C-11), with the factors each case states.
 * Expected values are the spec's, not the program's.
 */
import { describe, expect, it } from 'vitest';
import { embodiedItem, testReferential } from '../../test/helpers/referential.js';
import { run as runEngine } from '../../test/helpers/engine.js';
import { checkResultTraces } from './trace-eval.js';

/** Every case also checks that each indicator's trace reproduces its value (issue 10, trace-eval.test.ts). */
const run = (...args: Parameters<typeof runEngine>) => {
  const r = runEngine(...args);
  expect(checkResultTraces(r.results).problems).toEqual([]);
  return r;
};

const ademe = testReferential({
  items: {
    'ademe-laptop': embodiedItem({ CLIMATE_CHANGE: [170, 12.3, 2.79] }),
    'ademe-desktop-pro': embodiedItem({ CLIMATE_CHANGE: [203, 1.85, 6.61] }),
    'ademe-monitor': embodiedItem({ CLIMATE_CHANGE: [64.6, 1.29, 3.95] }),
    'ademe-smartphone': embodiedItem({ CLIMATE_CHANGE: [77, 2.27, 0.246] }),
    'ademe-box': { ...embodiedItem({ CLIMATE_CHANGE: [60.8, 0.61, 1.63] }, 70.08), tier: 'NETWORK' },
    server500: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 500 } } },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'ademe-laptop' },
    Desktop: { lifespan: 6, defaultItem: 'ademe-desktop-pro' },
    Monitor: { lifespan: 6, defaultItem: 'ademe-monitor' },
    Smartphone: { lifespan: 2.5, defaultItem: 'ademe-smartphone' },
    Box: { lifespan: 5, defaultItem: 'ademe-box', tier: 'NETWORK' },
    Server: { lifespan: 5, defaultItem: 'server500', isServer: true },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.0519 } },
});

const total = (r: ReturnType<typeof run>) => r.totals.byCriterion[0]!.value;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('C-01…C-05 devices (ACV-NUM 2.1.0, FIXE, France 0.0519)', () => {
  const cases = [
    { id: 'C-01', model: 'ademe-laptop', type: 'Laptop', life: 5, kwh: 29.0175, total: 38.52401, use: 1.50600825 },
    { id: 'C-02', model: 'ademe-desktop-pro', type: 'Desktop', life: 6, kwh: 153.3, total: 43.1996, use: 7.95627 },
    { id: 'C-03', model: 'ademe-monitor', type: 'Monitor', life: 6, kwh: 73, total: 15.4287, use: 3.7887 },
    {
      id: 'C-04',
      model: 'ademe-smartphone',
      type: 'Smartphone',
      life: 2.5,
      kwh: 4.9275,
      total: 32.06214,
      use: 0.25573725,
    },
    { id: 'C-05', model: 'ademe-box', type: 'Box', life: 5, kwh: 70.08, total: 16.24515, use: 3.63715 },
  ];
  for (const c of cases) {
    it(`${c.id}: ${c.total} kg CO2 eq/yr`, () => {
      const r = run(
        {
          physical: [
            {
              name: 'x',
              model: c.model,
              type: c.type,
              quantity: 1,
              country: 'France',
              internalLifeYears: c.life,
              annualKWh: c.kwh,
            },
          ],
        },
        ademe,
        { lifetimeMethod: 'FIXE' },
      );
      expect(rel(total(r), c.total)).toBeLessThan(1e-6);
      expect(rel(r.value('x', 'USE').value, c.use)).toBeLessThan(1e-6);
      expect(r.value('x', 'USE').trace!.formula).toContain('× 0.0519');
    });
  }
  it('C-01 per step: 34.0, 2.46, 0.558', () => {
    const r = run(
      {
        physical: [
          {
            name: 'pc-1',
            model: 'ademe-laptop',
            type: 'Laptop',
            quantity: 1,
            country: 'France',
            internalLifeYears: 5,
            annualKWh: 29.0175,
          },
        ],
      },
      ademe,
      { lifetimeMethod: 'FIXE' },
    );
    expect(r.value('pc-1', 'MANUFACTURING').value).toBeCloseTo(34.0, 12); // 170 / 5
    expect(r.value('pc-1', 'DISTRIBUTION').value).toBeCloseTo(2.46, 12); // 12.3 / 5
    expect(r.value('pc-1', 'END_OF_LIFE').value).toBeCloseTo(0.558, 12); // 2.79 / 5
    expect(r.totals.electricity.itKWh).toBe(29.0175);
  });
});

describe('C-06: desktop pro use step with the Base IMPACTS factor 0.0813225 (numecoeval)', () => {
  it('153.3 kWh × 0.0813225 = 12.46674 kg CO2 eq/yr', () => {
    const ref = testReferential({
      items: { 'ademe-desktop-pro': { factors: { MANUFACTURING: { CLIMATE_CHANGE: 203 } } } },
      types: { Desktop: { lifespan: 6, defaultItem: 'ademe-desktop-pro' } },
      electricity: { France: { CLIMATE_CHANGE: 0.0813225 } },
      matchings: { 'ademe-desktop-pro': 'ademe-desktop-pro' },
    });
    const r = run(
      {
        physical: [
          {
            name: 'd',
            model: 'ademe-desktop-pro',
            type: 'Desktop',
            quantity: 1,
            country: 'France',
            internalLifeYears: 6,
            annualKWh: 153.3,
          },
        ],
      },
      ref,
      { profile: 'numecoeval', lifetimeMethod: 'FIXE' },
    );
    expect(rel(r.value('d', 'USE').value, 12.46674)).toBeLessThan(1e-6);
  });
});

describe('C-08: RCP DC §4.2.1 — server 500 kg over 5 years, 1-year study', () => {
  it('gives exactly 100 kg', () => {
    const r = run(
      { physical: [{ name: 's', type: 'Server', quantity: 1, internalLifeYears: 5, country: 'France', annualKWh: 0 }] },
      ademe,
      {
        lifetimeMethod: 'FIXE',
      },
    );
    expect(r.value('s', 'MANUFACTURING').value).toBe(100);
  });
});

describe('C-09: RCP SI §4 — 250 laptops, 50 refurbished after a 3-year first life', () => {
  it('adds 3 × 50/250 = 0.6 year to every line; 250 laptops give 8262.946 kg/yr embodied', () => {
    const r = run(
      {
        physical: [
          { name: 'new', type: 'Laptop', quantity: 200, internalLifeYears: 5, country: 'France', annualKWh: 0 },
          {
            name: 'refurb',
            type: 'Laptop',
            quantity: 50,
            internalLifeYears: 5,
            upstreamLifeYears: 3,
            country: 'France',
            annualKWh: 0,
          },
        ],
      },
      ademe,
      { lifetimeMethod: 'FIXE' },
    );
    expect(r.results[0]!.lifetimeYears).toBeCloseTo(5.6, 9);
    expect(r.results[1]!.lifetimeYears).toBeCloseTo(5.6, 9);
    const embodied = ['MANUFACTURING', 'DISTRIBUTION', 'END_OF_LIFE'].reduce(
      (a, s) => a + r.value('new', s).value + r.value('refurb', s).value,
      0,
    );
    // 250 × 185.09 / 5.6 = 8262.946428…
    expect(rel(embodied, 8262.946)).toBeLessThan(1e-6);
  });
});

describe('C-10: RCP SI §4 — 250 teleworkers, 100 days a year', () => {
  it('29.77963 boxes outside France (2.3), 31.70979 in France (2.16), × 16.245152 kg/yr', () => {
    const ref = testReferential({
      items: {
        'ademe-box': embodiedItem({ CLIMATE_CHANGE: [60.8, 0.61, 1.63] }, 70.08),
      },
      types: { Box: { lifespan: 5, defaultItem: 'ademe-box', tier: 'NETWORK' } },
      electricity: { France: { CLIMATE_CHANGE: 0.0519 }, Germany: { CLIMATE_CHANGE: 0.0519 } },
    });
    const r = run({}, ref, {
      telework: [
        { country: 'Germany', employees: 250, daysPerYear: 100 },
        { country: 'France', employees: 250, daysPerYear: 100 },
      ],
    });
    expect(rel(r.results[0]!.quantity, 29.77963)).toBeLessThan(1e-6);
    expect(rel(r.results[1]!.quantity, 31.70979)).toBeLessThan(1e-6);
    const cc = (i: number) => Array.from(r.results[i]!.values).reduce((a, b) => a + b, 0);
    expect(rel(cc(0), 483.77463)).toBeLessThan(1e-6);
    expect(rel(cc(1), 515.13039)).toBeLessThan(1e-6);
    expect(r.results[0]!.dims.tier).toBe('NETWORK');
  });
});

describe('C-11: usage shares (RCP SI Table 3; NumEcoEval COPE 0.8)', () => {
  const ref = testReferential({
    items: { it: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 } } } },
    types: { Laptop: { lifespan: 1, defaultItem: 'it' } },
    electricity: { France: { CLIMATE_CHANGE: 1 } },
  });
  const share = (mode: 'BYOD' | 'COPE' | 'PRO' | undefined, profile: 'rcp' | 'numecoeval') =>
    run(
      {
        physical: [
          {
            name: 'p',
            type: 'Laptop',
            quantity: 1,
            country: 'France',
            annualKWh: 0,
            internalLifeYears: 1,
            ...(mode ? { usageMode: mode } : {}),
          },
        ],
      },
      ref,
      { profile, lifetimeMethod: 'FIXE' },
    ).value('p', 'MANUFACTURING').value / 100;
  it('BYOD 0.57 (the RCP rounds 213×8/(213×8+365×3.5) = 0.5715 to 57 %), COPE 0.85, PRO 1 under rcp', () => {
    expect(Math.abs(share('BYOD', 'rcp') - 0.57)).toBeLessThan(5e-4);
    expect(Math.round(((213 * 8) / (213 * 8 + 365 * 3.5)) * 100)).toBe(57);
    expect(share('COPE', 'rcp')).toBeCloseTo(0.85, 12);
    expect(share('PRO', 'rcp')).toBe(1);
    expect(share(undefined, 'rcp')).toBe(1);
  });
  it('COPE 0.8 and BYOD 0.57 under numecoeval', () => {
    expect(share('COPE', 'numecoeval')).toBeCloseTo(0.8, 12);
    expect(share('BYOD', 'numecoeval')).toBeCloseTo(0.57, 12);
  });
});
