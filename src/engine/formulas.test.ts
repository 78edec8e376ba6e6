/**
 * Unit tests of each formula and fallback of methodology F1–F9, F13, F20, with hand-computed expectations.
 */
import { describe, expect, it } from 'vitest';
import { embodiedItem, testReferential, type TestRef } from '../../test/helpers/referential.js';
import { run } from '../../test/helpers/engine.js';

const base: TestRef = {
  items: {
    lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5] }, 20),
    srv: embodiedItem({ CLIMATE_CHANGE: [1000, 20, 10] }, 1000),
    'Latitude 5420': embodiedItem({ CLIMATE_CHANGE: [300, 30, 3] }),
    matched: embodiedItem({ CLIMATE_CHANGE: [200, 20, 2] }, 40),
    nokwh: embodiedItem({ CLIMATE_CHANGE: [1, 1, 1] }),
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap', synonyms: ['Ordinateur portable'] },
    Server: { lifespan: 4, defaultItem: 'srv', isServer: true },
    Gadget: { defaultItem: 'lap' },
    Orphan: { lifespan: 3 },
    NoKwh: { lifespan: 1, defaultItem: 'nokwh' },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 }, Germany: { CLIMATE_CHANGE: 0.4 } },
  matchings: { 'HP 840 G8': 'matched' },
};
const ref = testReferential(base);

describe('F2 lifetime', () => {
  it('retired equipment: (dateRetrait − dateAchat) / 365; 2192 days = 6.005479452054795 years (G4IT uc4)', () => {
    const r = run(
      {
        physical: [
          {
            name: 'a',
            type: 'Laptop',
            quantity: 10,
            country: 'France',
            purchaseDate: '2015-01-01',
            retirementDate: '2021-01-01',
            annualKWh: 0,
          },
        ],
      },
      ref,
      // Assessed in 2020, when the item was in service all year (share 1, §2.2): the lifetime alone is tested here.
      { referenceDate: '2020-06-30' },
    );
    expect(r.results[0]!.lifetimeYears).toBe(2192 / 365);
    // 10 × 100 × 1 / 6.005479452054795
    expect(r.value('a', 'MANUFACTURING').value).toBeCloseTo((10 * 100) / (2192 / 365), 10);
    expect(r.value('a', 'MANUFACTURING').trace!.lifetime).toMatchObject({ source: 'DATES', valueRetained: 2192 / 365 });
  });

  it('in service, rcp: max(age, expected); numecoeval: age, floored at 1 year', () => {
    const pe = { name: 'b', type: 'Laptop', quantity: 1, country: 'France', purchaseDate: '2024-10-03', annualKWh: 0 };
    // age on 2025-01-01 = 90 days / 365 = 0.2466 yr
    const rcp = run({ physical: [pe] }, ref);
    expect(rcp.results[0]!.lifetimeYears).toBe(5); // type default 5 > age
    const nee = run({ physical: [pe] }, ref, { profile: 'numecoeval' });
    expect(nee.results[0]!.lifetimeYears).toBe(1);
    expect(nee.results[0]!.warnings.map((w) => w.code)).toContain('CALC_LIFESPAN_FLOORED');
  });

  it('in service, rcp: the real age beyond the expected duration (RCP DC §4.2.1)', () => {
    const r = run(
      {
        physical: [
          { name: 'c', type: 'Laptop', quantity: 1, country: 'France', purchaseDate: '2018-01-01', annualKWh: 0 },
        ],
      },
      ref,
    );
    // 2018-01-01 → 2025-01-01 = 2557 days
    expect(r.results[0]!.lifetimeYears).toBe(2557 / 365);
  });

  it('purchase after the reference date: age 0 and a warning', () => {
    const r = run(
      {
        physical: [
          { name: 'd', type: 'Laptop', quantity: 1, country: 'France', purchaseDate: '2025-06-01', annualKWh: 0 },
        ],
      },
      ref,
      {
        profile: 'numecoeval',
      },
    );
    expect(r.results[0]!.lifetimeYears).toBe(1);
    expect(r.results[0]!.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['INP_PURCHASE_AFTER_REFERENCE', 'CALC_LIFESPAN_FLOORED']),
    );
  });

  it('FIXE: dureeUsageInterne first; then type default; then the global default; then error', () => {
    const fixe = { lifetimeMethod: 'FIXE' as const };
    const pe = { type: 'Laptop', quantity: 1, country: 'France', annualKWh: 0, purchaseDate: '2010-01-01' };
    expect(run({ physical: [{ ...pe, name: 'e', internalLifeYears: 3 }] }, ref, fixe).results[0]!.lifetimeYears).toBe(
      3,
    );
    expect(
      run({ physical: [{ name: 'f', type: 'Laptop', quantity: 1, country: 'France', annualKWh: 0 }] }, ref, fixe)
        .results[0]!.lifetimeYears,
    ).toBe(5);
    expect(
      run({ physical: [{ name: 'g', type: 'Gadget', quantity: 1, country: 'France', annualKWh: 0 }] }, ref, fixe)
        .results[0]!.lifetimeYears,
    ).toBe(2);
    const noDefault = testReferential({ ...base, hypotheses: { dureeVieParDefaut: 0 } });
    const r = run(
      { physical: [{ name: 'h', type: 'Gadget', quantity: 1, country: 'France', annualKWh: 0 }] },
      noDefault,
      fixe,
    );
    expect(r.value('h', 'MANUFACTURING')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_LIFESPAN_UNDETERMINED',
      value: 0,
    });
  });

  it('F3 rule line and downstream reuse: L = 4 + 2 (upstream) + 0.5 × 2 (reuse)', () => {
    const r = run(
      {
        physical: [
          {
            name: 'i',
            type: 'Laptop',
            quantity: 1,
            country: 'France',
            annualKWh: 0,
            internalLifeYears: 4,
            upstreamLifeYears: 2,
            downstreamLifeYears: 2,
            reuseRate: 0.5,
          },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE', refurbishedRule: 'line' },
    );
    expect(r.results[0]!.lifetimeYears).toBe(7);
  });
});

describe('F1 reference item', () => {
  it('matching table first, then direct model name (rcp only), then the type default with a warning', () => {
    const r = run(
      {
        physical: [
          { name: 'm', model: 'HP 840 G8', type: 'Laptop', quantity: 1, country: 'France', internalLifeYears: 1 },
          {
            name: 'n',
            model: 'latitude  5420',
            type: 'Laptop',
            quantity: 1,
            country: 'France',
            internalLifeYears: 1,
            annualKWh: 0,
          },
          {
            name: 'o',
            model: 'Unknown 123',
            type: 'ordinateur PORTABLE',
            quantity: 1,
            country: 'France',
            internalLifeYears: 1,
          },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE' },
    );
    expect(r.value('m', 'MANUFACTURING').value).toBe(200);
    expect(r.value('m', 'MANUFACTURING').trace!.resolution).toMatchObject({ via: 'MATCHING', refItem: 'matched' });
    expect(r.value('n', 'MANUFACTURING').value).toBe(300);
    expect(r.value('n', 'MANUFACTURING').trace!.resolution).toMatchObject({ via: 'MODEL' });
    expect(r.value('o', 'MANUFACTURING').value).toBe(100);
    expect(r.value('o', 'MANUFACTURING').trace!.resolution).toMatchObject({ via: 'TYPE', refItem: 'lap' });
    expect(r.results[2]!.warnings.map((w) => w.code)).toContain('CALC_MODEL_FALLBACK');
    const nee = run(
      {
        physical: [
          { name: 'n', model: 'Latitude 5420', type: 'Laptop', quantity: 1, country: 'France', internalLifeYears: 1 },
        ],
      },
      ref,
      {
        profile: 'numecoeval',
        lifetimeMethod: 'FIXE',
      },
    );
    expect(nee.value('n', 'MANUFACTURING').value).toBe(100); // no direct model match in numecoeval
  });

  it('no reference item: CALC_NO_REFERENCE_ITEM on every step, naming what was tried and the known types', () => {
    const r = run(
      {
        physical: [
          { name: 'p', model: 'X', type: 'Orphan', quantity: 1, country: 'France' },
          { name: 'q', model: 'Y', type: 'Spaceship', quantity: 1, country: 'France' },
        ],
      },
      ref,
    );
    for (const s of ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE']) {
      expect(r.value('p', s)).toMatchObject({ status: 'ERROR', errorCode: 'CALC_NO_REFERENCE_ITEM', value: 0 });
    }
    const msg = JSON.stringify(r.value('q', 'USE').errorMessage);
    expect(msg).toContain("item type 'Spaceship' (unknown; known types:");
    expect(msg).toContain('Laptop');
  });
});

describe('F6/F7 use step, electricity, PUE and location', () => {
  const dc = { name: 'DC1', location: 'Germany', pue: 1.5 };
  it('inventory kWh wins over the reference average; the reference average is the fallback; none is an error', () => {
    const r = run(
      {
        physical: [
          { name: 'a', type: 'Laptop', quantity: 2, country: 'France', annualKWh: 30, internalLifeYears: 1 },
          { name: 'b', type: 'Laptop', quantity: 2, country: 'France', internalLifeYears: 1 },
          { name: 'c', type: 'NoKwh', quantity: 1, country: 'France' },
        ],
      },
      ref,
    );
    expect(r.value('a', 'USE').value).toBeCloseTo(2 * 30 * 0.05, 12); // 3
    expect(r.value('b', 'USE').value).toBeCloseTo(2 * 20 * 0.05, 12); // 2
    expect(r.value('b', 'USE').trace!.variables.E).toMatchObject({ origin: 'REFERENCE', value: 20 });
    expect(r.value('c', 'USE')).toMatchObject({ status: 'ERROR', errorCode: 'CALC_ELECTRICITY_MISSING' });
    expect(r.totals.electricity.itKWh).toBe(60 + 40);
  });

  it('rcp: PUE for hosted items and servers; numecoeval: servers only; the datacenter location overrides the country', () => {
    const input = {
      datacenters: [dc],
      physical: [
        { name: 'hosted-laptop', type: 'Laptop', quantity: 1, country: 'France', datacenter: 'DC1', annualKWh: 100 },
        { name: 'office-server', type: 'Server', quantity: 1, country: 'France', annualKWh: 100 },
        { name: 'dc-server', type: 'Server', quantity: 10, country: 'France', datacenter: 'DC1', annualKWh: 17082 },
      ],
    };
    const rcp = run(input, ref);
    expect(rcp.value('hosted-laptop', 'USE').value).toBeCloseTo(100 * 1.5 * 0.4, 12); // DE mix, DC PUE
    expect(rcp.value('office-server', 'USE').value).toBeCloseTo(100 * 1.75 * 0.05, 12); // default PUE
    expect(rcp.results[1]!.warnings.map((w) => w.code)).toContain('CALC_DEFAULT_PUE');
    const nee = run(input, ref, { profile: 'numecoeval' });
    expect(nee.value('hosted-laptop', 'USE').value).toBeCloseTo(100 * 1 * 0.4, 12);
    expect(nee.value('office-server', 'USE').value).toBeCloseTo(100 * 1.75 * 0.05, 12);
    // G4IT uc4 worked example shape: 10 × 17082 × (M × 1.5) × 1
    expect(nee.value('dc-server', 'USE').value).toBeCloseTo(10 * 17082 * 0.4 * 1.5, 8);
    expect(rcp.results[2]!.facilityKWh).toBe(10 * 17082 * 1.5);
  });

  it('missing electricity factor for the location: CALC_ELEC_FACTOR_MISSING on USE only, embodied steps still OK', () => {
    const r = run(
      { physical: [{ name: 'x', type: 'Laptop', quantity: 1, country: 'Japan', annualKWh: 10, internalLifeYears: 1 }] },
      ref,
    );
    expect(r.value('x', 'USE')).toMatchObject({ status: 'ERROR', errorCode: 'CALC_ELEC_FACTOR_MISSING' });
    expect(r.value('x', 'MANUFACTURING').status).toBe('OK');
    expect(r.totals.electricity.itKWh).toBe(10);
  });

  it('missing factor for one step/criterion: CALC_FACTOR_MISSING for that indicator only', () => {
    const r = run(
      { physical: [{ name: 'y', type: 'Laptop', quantity: 1, country: 'France', annualKWh: 1, internalLifeYears: 1 }] },
      ref,
      {
        criteria: ['CLIMATE_CHANGE', 'ACIDIFICATION'],
      },
    );
    expect(r.value('y', 'MANUFACTURING', 'ACIDIFICATION')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_FACTOR_MISSING',
    });
    expect(r.value('y', 'MANUFACTURING', 'CLIMATE_CHANGE').status).toBe('OK');
    // 4 CC indicators OK; ACIDIFICATION: 3 factor-missing + 1 elec-factor-missing
    expect(r.totals.dataConsistency).toMatchObject({ indicators: 8, errors: 4, errorShare: 0.5 });
  });
});

describe('F8 virtual equipment and F9 applications', () => {
  const host = { name: 'h1', type: 'Server', quantity: 1, country: 'France', annualKWh: 1000, internalLifeYears: 4 };
  // host MANUFACTURING = 1000 / 4 = 250; USE = 1000 × 1.75 × 0.05 = 87.5
  it('vCPU share over all VMs of the host', () => {
    const r = run(
      {
        physical: [host],
        virtual: [
          { name: 'v1', host: 'h1', vcpu: 2, vmType: 'compute' },
          { name: 'v2', host: 'h1', vcpu: 6, vmType: 'compute' },
        ],
      },
      ref,
    );
    expect(r.value('v1', 'MANUFACTURING').value).toBeCloseTo(250 * 0.25, 12);
    expect(r.value('v2', 'USE').value).toBeCloseTo(87.5 * 0.75, 12);
    expect(r.value('v1', 'MANUFACTURING').trace!.allocation).toMatchObject({
      rule: 'VCPU',
      alpha: 0.25,
      hostTotal: 8,
      nVm: 2,
    });
    // VMs are allocations: not added to the inventory total
    expect(r.totals.byCriterion[0]!.value).toBeCloseTo(250 + 5 + 2.5 + 87.5, 10);
  });

  it('allocation key first; storage share for stockage; equal split when a VM lacks vCPU', () => {
    const key = run(
      {
        physical: [host],
        virtual: [
          { name: 'k', host: 'h1', allocationKey: 0.1, vcpu: 4 },
          { name: 'l', host: 'h1', vcpu: 4 },
        ],
      },
      ref,
    );
    expect(key.value('k', 'MANUFACTURING').value).toBeCloseTo(25, 12);
    const sto = run(
      {
        physical: [host],
        virtual: [
          { name: 's1', host: 'h1', vmType: 'storage', storage: 1 },
          { name: 's2', host: 'h1', vmType: 'storage', storage: 3 },
        ],
      },
      ref,
    );
    expect(sto.value('s2', 'MANUFACTURING').value).toBeCloseTo(250 * 0.75, 12);
    const eq = run(
      {
        physical: [host],
        virtual: [
          { name: 'e1', host: 'h1', vcpu: 4 },
          { name: 'e2', host: 'h1' },
          { name: 'e3', host: 'h1', vcpu: 2 },
        ],
      },
      ref,
    );
    expect(eq.value('e1', 'MANUFACTURING').value).toBeCloseTo(250 / 3, 12);
    expect(eq.value('e1', 'MANUFACTURING').trace!.allocation).toMatchObject({ rule: 'EQUAL', nVm: 3 });
  });

  it("a VM's own kWh gives its use step: E × PUE(host) × M(host location)", () => {
    const r = run({ physical: [host], virtual: [{ name: 'own', host: 'h1', vcpu: 1, annualKWh: 200 }] }, ref);
    expect(r.value('own', 'USE').value).toBeCloseTo(200 * 1.75 * 0.05, 12);
    expect(r.value('own', 'MANUFACTURING').value).toBeCloseTo(250, 12);
  });

  it('allocation keys over 100 % warn; a host in error gives CALC_HOST_IN_ERROR', () => {
    const over = run(
      {
        physical: [host],
        virtual: [
          { name: 'a', host: 'h1', allocationKey: 0.7 },
          { name: 'b', host: 'h1', allocationKey: 0.6 },
        ],
      },
      ref,
    );
    expect(over.totals.warnings.CALC_ALLOCATION_OVER_100).toBe(1);
    const bad = run(
      {
        physical: [{ name: 'h2', type: 'Orphan', quantity: 1, country: 'France' }],
        virtual: [{ name: 'c', host: 'h2' }],
      },
      ref,
    );
    expect(bad.value('c', 'MANUFACTURING')).toMatchObject({ status: 'ERROR', errorCode: 'CALC_HOST_IN_ERROR' });
  });

  it('applications share their VM equally; an application total sums over its VMs', () => {
    const r = run(
      {
        physical: [host],
        virtual: [
          { name: 'v1', host: 'h1', vcpu: 1 },
          { name: 'v2', host: 'h1', vcpu: 3 },
        ],
        applications: [
          { name: 'app1', environment: 'prod', vm: 'v1', domain: 'HR' },
          { name: 'app2', environment: 'prod', vm: 'v1', domain: 'HR' },
          { name: 'app1', environment: 'prod', vm: 'v2', domain: 'HR' },
        ],
      },
      ref,
    );
    const rows = r.indicators.filter(
      (x) => x.kind === 'application' && x.item === 'app1' && x.lifecycleStep === 'MANUFACTURING',
    );
    expect(rows.map((x) => x.value)).toEqual([250 * 0.25 * 0.5, 250 * 0.75]);
    expect(rows[0]).toMatchObject({ virtualEquipment: 'v1', physicalEquipment: 'h1' });
    // app1 all steps: v1 share 1/8 + v2 share 3/4 of the host's 250 + 5 + 2.5 + 87.5 = 345
    expect(r.totals.allocations.application!.app1!.CLIMATE_CHANGE).toBeCloseTo(345 * (0.125 + 0.75), 10);
    expect(r.totals.allocations.domain!.HR!.CLIMATE_CHANGE).toBeCloseTo(345, 10);
  });
});

describe('F13 messaging (inferred) and F20 aggregates', () => {
  it('(A × V/N + b) × N_d, only with a declared volume unit', () => {
    const mref = testReferential({ ...base, messaging: { CLIMATE_CHANGE: { A: 0.001, b: 0.002 } } });
    const row = { sentCount: 100, sentTimesRecipients: 300, totalVolume: 50, year: 2025, month: 3, entity: 'E' };
    const r = run({ messaging: [row] }, mref, { messagingVolumeUnit: 'MB' });
    // x = 0.5 MB; (0.001 × 0.5 + 0.002) × 300 = 0.75
    expect(r.value('E 03/2025', 'WHOLE_LIFE').value).toBeCloseTo(0.75, 12);
    expect(r.value('E 03/2025', 'WHOLE_LIFE').trace!.inferred).toBe(true);
    const nounit = run({ messaging: [row] }, mref);
    expect(nounit.value('E 03/2025', 'WHOLE_LIFE')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_MESSAGING_UNIT_UNDECLARED',
    });
  });

  it('quantity-weighted average lifetime, totals by type, country and entity, people-equivalent', () => {
    const nref = testReferential({ ...base, normalisation: { CLIMATE_CHANGE: 851.25 } });
    const r = run(
      {
        physical: [
          {
            name: 'a',
            type: 'Laptop',
            quantity: 3,
            country: 'France',
            annualKWh: 0,
            internalLifeYears: 2,
            entity: 'HR',
          },
          {
            name: 'b',
            type: 'Laptop',
            quantity: 1,
            country: 'Germany',
            annualKWh: 0,
            internalLifeYears: 6,
            entity: 'IT',
          },
        ],
      },
      nref,
      { lifetimeMethod: 'FIXE' },
    );
    expect(r.totals.averageLifetimeYears).toBe((3 * 2 + 1 * 6) / 4);
    // a: 3 × 115 / 2 = 172.5; b: 115 / 6
    expect(r.totals.by.entity!.HR!.CLIMATE_CHANGE).toBeCloseTo(172.5, 10);
    expect(r.totals.by.country!.DE!.CLIMATE_CHANGE).toBeCloseTo(115 / 6, 10);
    expect(r.totals.byCriterion[0]!.peopleEquivalent).toBeCloseTo((172.5 + 115 / 6) / 851.25, 12);
  });
});

describe('dates', () => {
  it('isoDay agrees with the platform calendar on every day from 1900 to 2100, and rejects malformed dates', async () => {
    const { isoDay, isoDayViaDate } = await import('./dates.js');
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      if (isoDay(iso) !== isoDayViaDate(iso)) throw new Error(iso);
    }
    expect(isoDay('2020-02-29') - isoDay('2020-02-28')).toBe(1);
    expect(isoDay('2015-01-01T10:00')).toBe(isoDayViaDate('2015-01-01'));
    for (const bad of ['2020/01/01', '20200101', '2020-13-01', 'abcd-01-01', '']) expect(isoDay(bad)).toBeNaN();
  });
});

describe('F10 non-IT items, F13 missing factor, F15 cloud instances', () => {
  it('non-IT: the type default item, lifetime dureeDeVie (FIXE), location = localisation, flagged inferred', () => {
    const r = run(
      { nonIt: [{ name: 'clim', type: 'Laptop', quantity: 2, lifeYears: 4, location: 'Germany', annualKWh: 100 }] },
      ref,
    );
    // embodied 2 × 100 / 4 = 50; use 2 × 100 × 0.4 (Germany) = 80
    expect(r.value('clim', 'MANUFACTURING')).toMatchObject({ kind: 'non-it', value: 50 });
    expect(r.value('clim', 'USE').value).toBeCloseTo(80, 12);
    expect(r.value('clim', 'USE').trace!.inferred).toBe(true);
    expect(r.totals.by.kind!['non-it']!.CLIMATE_CHANGE).toBeCloseTo(50 + 5 + 2.5 + 80, 10);
  });

  it('messaging without an (A, b) factor for a criterion: CALC_MESSAGING_FACTOR_MISSING', () => {
    const mref = testReferential({ ...base, messaging: { ACIDIFICATION: { A: 1, b: 1 } } });
    const r = run(
      { messaging: [{ sentCount: 1, sentTimesRecipients: 1, totalVolume: 1, year: 2025, month: 1 }] },
      mref,
      {
        messagingVolumeUnit: 'MB',
      },
    );
    expect(r.value('01/2025', 'WHOLE_LIFE')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_MESSAGING_FACTOR_MISSING',
    });
  });

  it('cloud instances without a cloud model: CALC_CLOUD_PLATFORM_UNKNOWN; counted in the inventory total', () => {
    const r = run(
      {
        virtual: [
          {
            name: 'ec2',
            infrastructure: 'CLOUD_SERVICES',
            provider: 'aws',
            instanceType: 'm5.large',
            location: 'France',
          },
        ],
      },
      ref,
    );
    expect(r.value('ec2', 'MANUFACTURING')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_CLOUD_PLATFORM_UNKNOWN',
    });
    expect(r.results[0]!.inTotal).toBe(true);
  });

  it('cloud instances with a cloud model: MANUFACTURING from the model, USE = kWh × PUE × M(location)', async () => {
    const { assessInventory } = await import('./index.js');
    const out = assessInventory(
      {
        virtual: [
          {
            name: 'vm',
            infrastructure: 'CLOUD_SERVICES',
            provider: 'aws',
            instanceType: 'x',
            location: 'Germany',
            quantity: 2,
          },
        ],
      },
      ref,
      {
        profile: 'rcp',
        referenceDate: '2025-01-01',
        lifetimeMethod: 'REEL',
        criteria: ['CLIMATE_CHANGE'],
        steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
      },
      {
        cloud: () => ({
          embodied: { CLIMATE_CHANGE: 12 },
          kWh: 100,
          pue: { value: 1.135, origin: 'HYPOTHESIS' },
          location: 'Germany',
          platform: 'platform_aws_m5',
          details: {},
          source: 'test',
        }),
      },
    );
    const row = (step: string) => out.indicators.find((x) => x.lifecycleStep === step)!;
    expect(row('MANUFACTURING').value).toBe(12);
    expect(row('USE').value).toBeCloseTo(100 * 1.135 * 0.4, 12);
    expect(out.indicators.find((x) => x.lifecycleStep === 'DISTRIBUTION')).toBeUndefined(); // not in the model
    expect(out.totals.electricity.facilityKWh).toBeCloseTo(113.5, 12);
  });
});
