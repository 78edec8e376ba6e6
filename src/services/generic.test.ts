/**
 * The generic service model (methodology §5.2) worked by hand: F12 terminals (activeHours / calendarHours), F11
 * network, server links (inventory β, energy, cloud, provider), per year and per functional unit, SCI (F19, C-07),
 * people-equivalent (F18). Factors are those of §6, read from the embedded default pack (profile rcp).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../test/helpers/engine.js';
import { testReferential } from '../../test/helpers/referential.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { indicatorsFromRows } from './inventory-link.js';
import type { IndicatorRow } from './inventory-link.js';
import { sciEmbodied, sciScore } from './result.js';
import type { ServiceAssessment } from './result.js';
import type { ServiceDefinition } from './schema.js';

const { referential } = mergeLayers([(await loadDefaultPack()).layer, profileLayer('rcp')]);

const close = (actual: number, expected: number, tol = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
const cc = (a: ServiceAssessment) => a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;

// §6: ademe-laptop 170 + 12.3 + 2.79 kg, 5 yr, 26.5 W × 3 h/day; FR 0.0519 kg/kWh; FIXED_FR 9.26934695867389 g/GB
const LAPTOP = { M: 170, D: 12.3, E: 2.79, L: 5, d: 3, P: 26.5, kwh: 29.0175 };
const FR = 0.0519;
const FIXED_FR = 9.26934695867389 / 1000;
const MOBILE_FR = 24.6836791969497 / 1000;

const businessApp = (over: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  service: 'HR portal',
  version: 'v1',
  kind: 'business_application',
  functionalUnit: { kind: 'unit', label: 'one session' },
  usage: {
    users: 100,
    sessionsPerUserPerYear: 200,
    sessionHours: 0.5,
    dataPerSessionGB: 0.01,
    remoteShare: 0.5,
  },
  servers: [{ energy: { whPerSession: 2, pue: 1.5, location: 'FR' } }],
  ...over,
});

describe('business application, activeHours (rcp)', () => {
  // n = 100 × 200 = 20 000 sessions; H = 20 000 × 0.5 = 10 000 device-hours; 100 % laptop (default mix)
  const a = assessService(businessApp(), { referential });
  const r = cc(a);
  const H = 10_000;
  it('terminals: I = F × H / (365 × L × d), USE = P × H / 1000 × M', () => {
    close(r.perYear.byTier.TERMINAL.MANUFACTURING!, (170 * H) / (365 * 5 * 3)); // 310.502…
    close(r.perYear.byTier.TERMINAL.DISTRIBUTION!, (12.3 * H) / (365 * 5 * 3));
    close(r.perYear.byTier.TERMINAL.END_OF_LIFE!, (2.79 * H) / (365 * 5 * 3));
    close(r.perYear.byTier.TERMINAL.USE!, ((26.5 * H) / 1000) * FR); // 265 kWh × 0.0519 = 13.7535
  });
  it('network: remote half on fixed FR (200 GB × 0.5 × 9.269 g/GB), the other half on the LAN (0)', () => {
    close(r.perYear.byTier.NETWORK.WHOLE_LIFE!, 200 * 0.5 * FIXED_FR); // 0.926934… kg
  });
  it('datacenter: 20 000 × 2 Wh / 1000 × PUE 1.5 × 0.0519', () => {
    close(r.perYear.byTier.DATACENTER.USE!, 40 * 1.5 * FR); // 3.114 kg
  });
  it('per functional unit = per year / 20 000 sessions', () => {
    const total = ((LAPTOP.M + LAPTOP.D + LAPTOP.E) * H) / 5475 + 265 * FR + 200 * 0.5 * FIXED_FR + 40 * 1.5 * FR;
    close(r.perYear.total, total); // 355.858 kg/yr
    close(r.perFunctionalUnit.total, total / 20_000);
    expect(a.functionalUnit).toMatchObject({ kind: 'unit', perYear: 20_000, origin: 'DERIVED' });
  });
  it('other criteria from the multi-criteria EMBODIED table, with their gaps named', () => {
    const adp = a.criteria.find((c) => c.criterion === 'RESOURCE_USE')!;
    close(adp.perYear.byTier.TERMINAL.EMBODIED!, (0.0086 * H) / 5475);
    expect(adp.gaps).toEqual(['terminals:users use', 'network:users (FIXED_FR)', 'server:hosting energy use']);
    expect(cc(a).gaps).toEqual([]);
  });
  it('people-equivalent = total / 851.25 kg (JRC)', () => {
    close(r.peopleEquivalent!.perYear, r.perYear.total / 851.25);
    expect(r.peopleEquivalent!.divisor).toBe(851.25);
  });
  it('SCI per session = O + M + not split = the CLIMATE_CHANGE total per session', () => {
    const sci = a.sci!;
    close(sci.operational, (265 * FR + 40 * 1.5 * FR) / 20_000);
    close(sci.embodied, ((LAPTOP.M + LAPTOP.D + LAPTOP.E) * H) / 5475 / 20_000);
    close(sci.notSplit, (200 * 0.5 * FIXED_FR) / 20_000);
    close(sci.score, r.perFunctionalUnit.total);
  });
  it('every indicator carries a trace whose formula ends with its value', () => {
    for (const i of a.indicators) {
      expect(i.trace.formula.endsWith(`= ${i.perYear}`)).toBe(true);
      expect(Object.keys(i.trace.variables).length).toBeGreaterThan(0);
    }
  });
  it('user-year and service-year functional units', () => {
    const u = cc(assessService(businessApp({ functionalUnit: { kind: 'user-year' } }), { referential }));
    close(u.perFunctionalUnit.total, r.perYear.total / 100);
    const s = cc(assessService(businessApp({ functionalUnit: { kind: 'service-year' } }), { referential }));
    close(s.perFunctionalUnit.total, r.perYear.total);
  });
});

describe('business application, calendarHours (numecoeval profile)', () => {
  it('I = H × F / (L × 8760), USE = H × E_yr × M / 8760', () => {
    const r = cc(assessService(businessApp({ profile: 'numecoeval' }), { referential }));
    const H = 10_000;
    close(r.perYear.byTier.TERMINAL.MANUFACTURING!, (H * 170) / (5 * 8760)); // 38.81 kg
    close(r.perYear.byTier.TERMINAL.USE!, (H * LAPTOP.kwh * FR) / 8760);
  });
});

describe('online administrative procedure', () => {
  // P = 1000 procedures × 2 sessions = 2000 sessions of 15 min → H = 500 h; 10 pages × 2 MB = 0.02 GB per session
  const def: ServiceDefinition = {
    service: 'Permit request',
    version: '1',
    kind: 'online_procedure',
    functionalUnit: { kind: 'unit' },
    usage: {
      proceduresPerYear: 1000,
      sessionsPerProcedure: 2,
      sessionMinutes: 15,
      pagesPerSession: 10,
      pageSizeMB: 2,
      mobileShare: 0.3,
    },
    backOffice: { minutesPerProcedure: 30 },
  };
  const a = assessService(def, { referential });
  const r = cc(a);
  it('citizens on the web-search mix / 1.01, back office on laptops; per completed procedure', () => {
    const H = 500;
    const emb = (C: number, L: number, d: number) => (C * H) / (365 * L * d);
    // desktop 259 + 2.94 + 6.61 and monitor 64.6 + 1.29 + 3.95 (6 yr, 4 h/day) share 0.24; laptop 0.24; tablet
    // 80.5 + 3.43 + 0.364 (3 yr, 2.5 h) 0.08; smartphone 77 + 2.27 + 0.246 (2.5 yr, 3 h) 0.45; all / 1.01
    const citizensEmb =
      (0.24 * (emb(268.55, 6, 4) + emb(69.84, 6, 4)) +
        0.24 * emb(185.09, 5, 3) +
        0.08 * emb(84.294, 3, 2.5) +
        0.45 * emb(79.516, 2.5, 3)) /
      1.01;
    const citizensUse = ((0.24 * 120 + 0.24 * 26.5 + 0.08 * 20 + 0.45 * 4.5) / 1.01) * (H / 1000) * FR;
    // back office: 1000 procedures × 0.5 h = 500 h on a laptop, LAN (0)
    const backEmb = emb(185.09, 5, 3);
    const backUse = ((26.5 * 500) / 1000) * FR;
    const terminals = r.perYear.byTierTotal.TERMINAL;
    close(terminals, citizensEmb + citizensUse + backEmb + backUse, 1e-12);
    // network: 2000 × 0.02 = 40 GB, 70 % fixed FR, 30 % mobile FR
    close(r.perYear.byTierTotal.NETWORK, 40 * (0.7 * FIXED_FR + 0.3 * MOBILE_FR));
    expect(a.functionalUnit.perYear).toBe(1000);
    close(r.perFunctionalUnit.total, r.perYear.total / 1000);
  });
});

describe('servers from an assessed inventory (indicator rows built by hand)', () => {
  // Application 'hr-portal' runs on two VMs: its allocated rows (F9) are vm-1 MANUFACTURING 40 kg, USE 10 kg and
  // vm-2 MANUFACTURING 20 kg, USE 5 kg, RESOURCE_USE 0.001 kg Sb. The service uses 25 % of it: β = 0.25.
  const rows: IndicatorRow[] = [
    {
      kind: 'application',
      item: 'hr-portal',
      lifecycleStep: 'MANUFACTURING',
      criterion: 'CLIMATE_CHANGE',
      value: 40,
      status: 'OK',
      virtualEquipment: 'vm-1',
    },
    {
      kind: 'application',
      item: 'hr-portal',
      lifecycleStep: 'USING',
      criterion: 'Climate change',
      value: 10,
      status: 'OK',
      virtualEquipment: 'vm-1',
    },
    {
      kind: 'application',
      item: 'hr-portal',
      lifecycleStep: 'FABRICATION',
      criterion: 'CLIMATE_CHANGE',
      value: 20,
      status: 'OK',
      virtualEquipment: 'vm-2',
    },
    {
      kind: 'application',
      item: 'hr-portal',
      lifecycleStep: 'USE',
      criterion: 'CLIMATE_CHANGE',
      value: 5,
      status: 'OK',
      virtualEquipment: 'vm-2',
    },
    {
      kind: 'application',
      item: 'hr-portal',
      lifecycleStep: 'MANUFACTURING',
      criterion: 'RESOURCE_USE',
      value: 0.001,
      status: 'OK',
    },
    {
      kind: 'physical-equipment',
      item: 'srv-9',
      lifecycleStep: 'USE',
      criterion: 'CLIMATE_CHANGE',
      value: 0,
      status: 'ERROR',
    },
  ];
  const inventory = indicatorsFromRows(rows);
  const def = businessApp({ servers: [{ inventory: 'application', name: 'hr-portal', share: 0.25 }] });
  it('takes β × the summed yearly indicators, all steps and criteria', () => {
    const a = assessService(def, { referential, inventory });
    const r = cc(a);
    close(r.perYear.byTier.DATACENTER.MANUFACTURING!, 0.25 * (40 + 20)); // 15 kg
    close(r.perYear.byTier.DATACENTER.USE!, 0.25 * (10 + 5)); // 3.75 kg
    close(r.perFunctionalUnit.byTierTotal.DATACENTER, 18.75 / 20_000);
    const adp = a.criteria.find((c) => c.criterion === 'RESOURCE_USE')!;
    close(adp.perYear.byTier.DATACENTER.MANUFACTURING!, 0.00025);
    const trace = a.indicators.find((i) => i.tier === 'DATACENTER' && i.step === 'USE')!.trace;
    expect(trace.formula).toBe('0.25 × 15 = 3.75');
  });
  it('an indicator in error counts 0 with a warning', () => {
    const a = assessService(businessApp({ servers: [{ inventory: 'physical-equipment', name: 'srv-9' }] }), {
      referential,
      inventory,
    });
    expect(a.warnings.map((w) => w.code)).toContain('SVC_INVENTORY_ROW_IN_ERROR');
    expect(cc(a).perYear.byTierTotal.DATACENTER).toBe(0);
  });
  it('an unknown object or a missing inventory stops with a clear error', () => {
    const unknown = businessApp({ servers: [{ inventory: 'application', name: 'nope', share: 1 }] });
    expect(() => assessService(unknown, { referential, inventory })).toThrow(
      /SVC_UNKNOWN_INVENTORY_OBJECT.*application 'nope'/,
    );
    expect(() => assessService(def, { referential })).toThrow(/SVC_INVENTORY_REQUIRED/);
  });
});

describe('servers from the real engine on a tiny inventory', () => {
  it('a physical server of 500 kg over 5 years (C-08: 100 kg/yr) shared at 50 % gives 50 kg/yr', () => {
    const ref = testReferential({
      items: { server500: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 500 } } } },
      types: { Server: { lifespan: 5, defaultItem: 'server500', isServer: true } },
      electricity: { France: { CLIMATE_CHANGE: 0.0519 } },
    });
    const out = run(
      {
        physical: [
          { name: 'srv-1', type: 'Server', quantity: 1, internalLifeYears: 5, country: 'France', annualKWh: 0 },
        ],
      },
      ref,
      { lifetimeMethod: 'FIXE' },
    );
    const inventory = indicatorsFromRows(out.indicators);
    const a = assessService(
      businessApp({ servers: [{ inventory: 'physical-equipment', name: 'srv-1', share: 0.5 }] }),
      { referential, inventory },
    );
    close(cc(a).perYear.byTier.DATACENTER.MANUFACTURING!, 50);
  });
});

describe('declared cloud instances and third-party providers', () => {
  it('cloud: q × β × kWh × provider PUE × M, and q × β × embodied / 4 yr', () => {
    const a = assessService(
      businessApp({
        servers: [
          {
            cloud: { provider: 'AWS', quantity: 2, share: 0.5, kWhPerYear: 1000, embodiedKgCO2e: 800, location: 'FR' },
          },
        ],
      }),
      { referential },
    );
    close(cc(a).perYear.byTier.DATACENTER.USE!, 2 * 0.5 * 1000 * 1.135 * FR); // AWS PUE 1.135 (CCF)
    close(cc(a).perYear.byTier.DATACENTER.MANUFACTURING!, (2 * 0.5 * 800) / 4); // 35 040 h = 4 yr
  });
  it('provider: sessions × factor, WHOLE_LIFE by default, with its quality grade', () => {
    const a = assessService(
      businessApp({
        servers: [
          {
            provider: {
              name: 'SaaS vendor',
              per: 'session',
              factors: [{ criterion: 'CLIMATE_CHANGE', value: 0.0002 }],
              quality: 'MEDIUM',
              source: 'vendor report 2024',
            },
          },
        ],
      }),
      { referential },
    );
    close(cc(a).perYear.byTier.DATACENTER.WHOLE_LIFE!, 20_000 * 0.0002); // 4 kg
    expect(a.dataQuality).toEqual([{ component: 'server:provider SaaS vendor', quality: 'MEDIUM' }]);
  });
  it('energy without PUE uses the default 1.75 with a warning', () => {
    const a = assessService(businessApp({ servers: [{ energy: { kWhPerYear: 100 } }] }), { referential });
    close(cc(a).perYear.byTier.DATACENTER.USE!, 100 * 1.75 * FR);
    expect(a.warnings.map((w) => w.code)).toContain('CALC_DEFAULT_PUE');
  });
});

describe('SCI (F19)', () => {
  it('C-07: 1000 kg, 4-year life, 1 hour reserved → 28.53881 g', () => {
    const M = sciEmbodied({ totalEmbodiedKg: 1000, expectedLifeYears: 4, timeReservedHours: 1, resourceShare: 1 });
    expect(Math.abs(M * 1000 - 28.53881) / 28.53881).toBeLessThan(1e-6);
    expect(sciScore({ energyKWh: 0, intensityKgPerKWh: 0.0519, embodiedKg: M, units: 1 })).toBe(M);
  });
});

describe('shares under 100 % are normalised with a warning', () => {
  it('0.4 + 0.4 laptop/smartphone → 0.5 / 0.5', () => {
    const a = assessService(
      businessApp({
        usage: {
          users: 1,
          sessionsPerYear: 1,
          sessionHours: 1,
          dataPerSessionGB: 0,
          devices: [
            { share: 0.4, items: [{ item: 'ademe-laptop', quantity: 1 }] },
            { share: 0.4, items: [{ item: 'ademe-smartphone', quantity: 1 }] },
          ],
        },
        servers: [],
      }),
      { referential },
    );
    expect(a.warnings.map((w) => w.code)).toContain('SVC_SHARES_NORMALISED');
    // 0.5 × 170 / (365 × 5 × 3) + 0.5 × 77 / (365 × 2.5 × 3)
    close(cc(a).perYear.byTier.TERMINAL.MANUFACTURING!, (0.5 * 170) / 5475 + (0.5 * 77) / 2737.5);
  });
});
