/**
 * The share of the assessed period (methodology §2.2) and coverage apart from errors (F20), with hand-computed
 * expectations. Period = calendar year of the reference date, both ends counted: 2025 has D = 365 days.
 */
import { describe, expect, it } from 'vitest';
import { embodiedItem, testReferential, type TestRef } from '../../test/helpers/referential.js';
import { run } from '../../test/helpers/engine.js';
import { daysInPeriod, monthShare, periodShare, resolvePeriod } from './period.js';
import { isoDay } from './dates.js';

const base: TestRef = {
  items: {
    lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5] }, 20),
    srv: embodiedItem({ CLIMATE_CHANGE: [1000, 20, 10] }, 1000),
    nokwh: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1, ACIDIFICATION: 2 } } },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    Server: { lifespan: 4, defaultItem: 'srv', isServer: true },
    NoKwh: { lifespan: 1, defaultItem: 'nokwh' },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
};
const ref = testReferential(base);
const MID_2025 = { referenceDate: '2025-06-30' };
const laptop = { type: 'Laptop', quantity: 1, country: 'France' };

describe('§2.2 period and share s = d / D', () => {
  it('period: calendar year of the reference date by default, both days included; a given period', () => {
    expect(resolvePeriod('2025-06-30')).toMatchObject({ start: '2025-01-01', end: '2025-12-31', days: 365 });
    expect(resolvePeriod('2024-03-01').days).toBe(366); // leap year
    // 2025-07-01 … 2026-06-30: 184 days (Jul–Dec 2025) + 181 (Jan–Jun 2026) = 365
    expect(resolvePeriod('2025-06-30', { start: '2025-07-01', end: '2026-06-30' }).days).toBe(365);
    expect(() => resolvePeriod('2025-06-30', { start: '2025-07-01', end: '2025-06-30' })).toThrow(/invalid period/);
  });

  it('d counts both ends; absent dates read as the period bounds', () => {
    const p = resolvePeriod('2025-06-30');
    // withdrawn on 30 June: 1 Jan … 30 Jun = 31+28+31+30+31+30 = 181 days
    expect(daysInPeriod(NaN, isoDay('2025-06-30'), p)).toBe(181);
    // bought on 1 July: 1 Jul … 31 Dec = 31+31+30+31+30+31 = 184 days
    expect(periodShare('2025-07-01', undefined, p)).toBe(184 / 365);
    expect(periodShare(undefined, undefined, p)).toBe(1);
    expect(periodShare('2020-01-01', '2030-01-01', p)).toBe(1);
    // withdrawn on the first day of the period: in service that one day
    expect(periodShare(undefined, '2025-01-01', p)).toBe(1 / 365);
    expect(periodShare(undefined, '2024-12-31', p)).toBe(0);
    expect(periodShare('2026-01-01', undefined, p)).toBe(0);
  });

  it('an item bought mid-period counts for its share, embodied, use and electricity (not a whole year)', () => {
    const r = run({ physical: [{ ...laptop, name: 'new', purchaseDate: '2025-07-01' }] }, ref, MID_2025);
    const s = 184 / 365; // 1 Jul … 31 Dec 2025
    // L = max(age 0, expected 5) = 5 (rcp); MANUFACTURING = q × F × τ × s / L = 1 × 100 × 1 × s / 5 = 10.0822 kg
    expect(r.value('new', 'MANUFACTURING').value).toBeCloseTo((100 * s) / 5, 12);
    // USE = q × E × τ × s × PUE × M = 1 × 20 × 1 × s × 1 × 0.05 = 0.50411 kg; electricity 20 × s = 10.082 kWh
    expect(r.value('new', 'USE').value).toBeCloseTo(20 * s * 0.05, 12);
    expect(r.totals.electricity.itKWh).toBeCloseTo(20 * s, 12);
    const trace = r.value('new', 'MANUFACTURING').trace!;
    expect(trace.formula).toBe(`(q × F × τ × s) / L = (1 × 100 × 1 × ${s}) / 5 = ${(1 * 100 * 1 * s) / 5}`);
    expect(trace.variables.s).toMatchObject({ value: s, unit: 'share' });
    expect(trace.period).toEqual({ start: '2025-01-01', end: '2025-12-31', days: 365, daysInService: 184, share: s });
    expect(r.value('new', 'USE').trace!.formula).toContain(`q × E × τ × s × PUE × M = 1 × 20 × 1 × ${s} × 1 × 0.05`);
  });

  it('an item withdrawn mid-period: s = 181/365 on top of its lifetime (dateRetrait − dateAchat)', () => {
    const r = run(
      { physical: [{ ...laptop, name: 'old', purchaseDate: '2020-01-01', retirementDate: '2025-06-30' }] },
      ref,
      MID_2025,
    );
    // L = (2020-01-01 → 2025-06-30) = 1827 days (2020-01-01 → 2025-01-01, two 29 Februaries) + 180 = 2007 days / 365
    // MANUFACTURING = 100 × (181/365) / (2007/365) = 100 × 181 / 2007 = 9.0184 kg
    expect(r.value('old', 'MANUFACTURING').value).toBeCloseTo((100 * 181) / 2007, 12);
    expect(r.results[0]!.periodShare).toBe(181 / 365);
  });

  it('withdrawn before or bought after the period: CALC_OUT_OF_PERIOD, no rows, out of every total, listed', () => {
    const r = run(
      {
        physical: [
          { ...laptop, name: 'kept', purchaseDate: '2023-01-01' },
          { ...laptop, name: 'gone', quantity: 30, purchaseDate: '2015-05-01', retirementDate: '2024-06-30' },
          { ...laptop, name: 'future', quantity: 2, purchaseDate: '2026-02-01' },
        ],
      },
      ref,
      MID_2025,
    );
    const gone = r.results.find((x) => x.name === 'gone')!;
    expect(gone.outOfPeriod).toMatchObject({
      code: 'CALC_OUT_OF_PERIOD',
      details: { name: 'gone', start: '2025-01-01', end: '2025-12-31', from: '2015-05-01', to: '2024-06-30' },
    });
    expect(r.results.find((x) => x.name === 'future')!.outOfPeriod?.code).toBe('CALC_OUT_OF_PERIOD');
    expect(r.indicators.filter((x) => x.item !== 'kept')).toEqual([]);
    // Only 'kept' (bought 2023, s = 1, L = max(2.5 yr, 5) = 5): 100/5 + 10/5 + 5/5 + 20 × 0.05 = 24 kg CO2 eq.
    expect(r.totals.byCriterion[0]!.value).toBeCloseTo(24, 12);
    expect(r.totals.electricity.itKWh).toBe(20);
    expect(r.totals.items).toEqual({ 'physical-equipment': 1 });
    expect(r.totals.dataConsistency.indicators).toBe(4);
    expect(r.totals.outOfPeriod).toMatchObject({
      code: 'CALC_OUT_OF_PERIOD',
      items: 2,
      quantity: 32,
      byKind: { 'physical-equipment': { items: 2, quantity: 32 } },
      first: [
        { kind: 'physical-equipment', item: 'gone', from: '2015-05-01', to: '2024-06-30' },
        { kind: 'physical-equipment', item: 'future', from: '2026-02-01', to: '–' },
      ],
    });
  });

  it('VMs and applications follow their host: allocated values, own consumption, and exclusion', () => {
    const host = { name: 'h1', type: 'Server', quantity: 1, country: 'France', purchaseDate: '2025-07-01' };
    const s = 184 / 365;
    const r = run(
      {
        physical: [host],
        virtual: [
          { name: 'v1', host: 'h1', vcpu: 1 },
          { name: 'v2', host: 'h1', vcpu: 3, annualKWh: 200 },
        ],
        applications: [{ name: 'app', environment: 'prod', vm: 'v1' }],
      },
      ref,
      MID_2025,
    );
    // host MANUFACTURING = 1000 × s / 4 (type lifespan 4 > age 0); v1 = host × 1/4; app = v1 / 1
    expect(r.value('h1', 'MANUFACTURING').value).toBeCloseTo((1000 * s) / 4, 12);
    expect(r.value('v1', 'MANUFACTURING').value).toBeCloseTo(((1000 * s) / 4) * 0.25, 12);
    expect(r.value('app', 'MANUFACTURING').value).toBeCloseTo(((1000 * s) / 4) * 0.25, 12);
    // v2's own kWh: E_vm × s × PUE_host × M = 200 × s × 1.75 (server, default PUE) × 0.05
    expect(r.value('v2', 'USE').value).toBeCloseTo(200 * s * 1.75 * 0.05, 12);
    expect(r.value('v2', 'USE').trace!.formula).toContain(`E_vm × s × PUE_host × M = 200 × ${s} × 1.75 × 0.05`);
    expect(r.value('v1', 'MANUFACTURING').trace!.period).toMatchObject({ share: s, from: 'host h1' });

    const out = run(
      {
        physical: [{ ...host, purchaseDate: '2016-01-01', retirementDate: '2024-12-31' }],
        virtual: [{ name: 'v1', host: 'h1', vcpu: 1 }],
        applications: [{ name: 'app', environment: 'prod', vm: 'v1', domain: 'HR' }],
      },
      ref,
      MID_2025,
    );
    expect(out.indicators).toEqual([]);
    expect(out.results.map((x) => [x.name, x.outOfPeriod?.code])).toEqual([
      ['h1', 'CALC_OUT_OF_PERIOD'],
      ['v1', 'CALC_OUT_OF_PERIOD'],
      ['app', 'CALC_OUT_OF_PERIOD'],
    ]);
    expect(out.totals.allocations.application).toEqual({});
    expect(out.totals.outOfPeriod.byKind).toEqual({
      'physical-equipment': { items: 1, quantity: 1 },
      'virtual-equipment': { items: 1, quantity: 1 },
      application: { items: 1, quantity: 1 },
    });
  });

  it('numecoeval keeps NumEcoEval behaviour: every line counts for the whole year, no exclusion', () => {
    const r = run(
      {
        physical: [
          { ...laptop, name: 'gone', purchaseDate: '2020-01-01', retirementDate: '2024-06-30' },
          { ...laptop, name: 'new', purchaseDate: '2025-07-01' },
        ],
      },
      ref,
      { ...MID_2025, profile: 'numecoeval' },
    );
    // gone: L = 2020-01-01 → 2024-06-30 = 1461 + 181 = 1642 days; MANUFACTURING = 100 / (1642/365), whole year
    expect(r.value('gone', 'MANUFACTURING').value).toBeCloseTo(100 / (1642 / 365), 12);
    // new: age 0 floored to 1 year (numecoeval); MANUFACTURING = 100 / 1, USE = 20 × 0.05
    expect(r.value('new', 'MANUFACTURING').value).toBe(100);
    expect(r.value('new', 'USE').value).toBeCloseTo(1, 12);
    expect(r.value('new', 'MANUFACTURING').trace!.period).toBeUndefined();
    expect(r.totals.outOfPeriod.items).toBe(0);
    expect(r.meta.period).toEqual({ start: '2025-01-01', end: '2025-12-31', shares: false });
  });

  it('a given period: 2025-07-01 … 2026-06-30 (D = 365)', () => {
    const r = run(
      { physical: [{ ...laptop, name: 'x', retirementDate: '2025-12-31', purchaseDate: '2021-01-01' }] },
      ref,
      {
        ...MID_2025,
        period: { start: '2025-07-01', end: '2026-06-30' },
      },
    );
    // in service 1 Jul … 31 Dec 2025 = 184 of 365 days; L = 2021-01-01 → 2025-12-31 = 1461 days (to 2025-01-01, with
    // 29 Feb 2024) + 364 = 1825 days
    expect(r.results[0]!.periodShare).toBe(184 / 365);
    expect(r.value('x', 'MANUFACTURING').value).toBeCloseTo((100 * (184 / 365)) / (1825 / 365), 12);
  });

  it('messaging (F13): months of the period count, others are out of it (rcp)', () => {
    const mref = testReferential({ ...base, messaging: { CLIMATE_CHANGE: { A: 0.001, b: 0.002 } } });
    const row = { sentCount: 100, sentTimesRecipients: 300, totalVolume: 50, entity: 'E' };
    const r = run(
      {
        messaging: [
          { ...row, year: 2025, month: 3 },
          { ...row, year: 2024, month: 12 },
        ],
      },
      mref,
      { ...MID_2025, messagingVolumeUnit: 'MB' },
    );
    // (0.001 × 50/100 + 0.002) × 300 = 0.75 for March 2025 only
    expect(r.totals.byCriterion[0]!.value).toBeCloseTo(0.75, 12);
    expect(r.totals.outOfPeriod.first).toEqual([
      { kind: 'messaging', item: 'E 12/2024', from: '2024-12-01', to: '2024-12-31' },
    ]);
    // a period starting mid-month takes the month's share: 16 of the 31 days of March
    expect(monthShare(2025, 3, resolvePeriod('2025-06-30', { start: '2025-03-16', end: '2026-03-15' }))).toBe(16 / 31);
    expect(monthShare(2024, 2, resolvePeriod('2024-06-30'))).toBe(1); // February 2024 (29 days) inside 2024
  });
});

describe('F20 coverage apart from errors', () => {
  it('not covered (no factor in the referential) vs to fix in the data, per code with the first items', () => {
    const r = run(
      {
        physical: [
          // nokwh: MANUFACTURING factors for CLIMATE_CHANGE and ACIDIFICATION, no consumption, France mix for climate only
          { name: 'p1', type: 'NoKwh', quantity: 1, country: 'France', at: { file: 'pe.csv', line: 2 } },
          { name: 'p2', type: 'NoKwh', quantity: 1, country: 'France', at: { file: 'pe.csv', line: 3 } },
        ],
      },
      ref,
      { ...MID_2025, criteria: ['CLIMATE_CHANGE', 'ACIDIFICATION'] },
    );
    // Per item, 2 criteria × 4 steps = 8 indicators: MANUFACTURING ×2 computed;
    // DISTRIBUTION, END_OF_LIFE × 2 criteria: CALC_FACTOR_MISSING → not covered (4);
    // USE × ACIDIFICATION: CALC_ELECTRICITY_MISSING, but no ACIDIFICATION mix for France → not covered (1);
    // USE × CLIMATE_CHANGE: CALC_ELECTRICITY_MISSING with a France climate mix → to fix (1).
    // Two items: 16 indicators, 4 computed, 10 not covered, 2 to fix.
    const c = r.totals.coverage;
    expect(c).toMatchObject({ indicators: 16, computed: 4 });
    expect(c.notCovered).toMatchObject({
      indicators: 10,
      share: 10 / 16,
      openReferentialOnly: false,
      byCriterion: {
        CLIMATE_CHANGE: { DISTRIBUTION: 2, END_OF_LIFE: 2 },
        ACIDIFICATION: { DISTRIBUTION: 2, USE: 2, END_OF_LIFE: 2 },
      },
    });
    expect(c.notCovered.howToLoad).toContain('--referential <folder with your licensed factors>');
    expect(c.toFix).toEqual({
      indicators: 2,
      share: 2 / 16,
      byCode: {
        CALC_ELECTRICITY_MISSING: {
          indicators: 2,
          items: 2,
          first: [
            { kind: 'physical-equipment', item: 'p1', file: 'pe.csv', line: 2 },
            { kind: 'physical-equipment', item: 'p2', file: 'pe.csv', line: 3 },
          ],
        },
      },
    });
    // The error codes themselves are unchanged: 8 CALC_FACTOR_MISSING, 4 CALC_ELECTRICITY_MISSING.
    expect(r.totals.dataConsistency.errorCodes).toEqual({ CALC_FACTOR_MISSING: 8, CALC_ELECTRICITY_MISSING: 4 });
  });
});
