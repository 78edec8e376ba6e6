/**
 * The referential is the only source of the generic model's reference data: every figure is traced to its layer and
 * source, a user layer over the default pack changes the result, and a referential without an entry stops the
 * assessment instead of falling back to a hidden copy. Locations resolve through `normaliseLocation`.
 */
import { describe, expect, it } from 'vitest';
import { testReferential } from '../../test/helpers/referential.js';
import { EmpreinteError } from '../issues/catalogue.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { emptyLayer } from '../referential/model.js';
import type { Referential } from '../referential/model.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { createReferenceData, networkCode } from './reference-data.js';
import type { ServiceAssessment, ServiceIndicator } from './result.js';
import type { ServerLink, ServiceDefinition } from './schema.js';

const pack = (await loadDefaultPack()).layer;
const { referential } = mergeLayers([pack, profileLayer('rcp')]);
const PACK = 'embedded:empreinte-default';

const close = (actual: number, expected: number, tol = 1e-12) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
const cc = (a: ServiceAssessment) => a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
const find = (a: ServiceAssessment, p: Partial<ServiceIndicator>) =>
  a.indicators.find((i) => Object.entries(p).every(([k, v]) => i[k as keyof ServiceIndicator] === v))!;
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof EmpreinteError) return e.issue.code;
    throw e;
  }
  return 'no error';
};

// 10 users × 10 sessions = 100 sessions of 1 h on the default mix (100 % laptop), 0.1 GB each, all remote
const app = (servers: ServerLink[] = [], over: Partial<ServiceDefinition['usage']> = {}): ServiceDefinition => ({
  service: 'Intranet',
  version: '1',
  kind: 'business_application',
  functionalUnit: { kind: 'unit' },
  usage: { users: 10, sessionsPerUserPerYear: 10, sessionHours: 1, dataPerSessionGB: 0.1, ...over },
  servers,
});
// ADEME file transfer whose datacenter stages are replaced by the links: only the links read the referential
const transfer = (servers: ServerLink[]): ServiceDefinition => ({
  service: 'Upload',
  version: '1',
  kind: 'file_transfer',
  functionalUnit: { kind: 'unit' },
  volume: 1000,
  servers,
});

describe('provenance of every reference figure (default pack, profile rcp)', () => {
  const a = assessService(app([{ energy: { kWhPerYear: 100 } }]), { referential });
  it('device factors, power and life come from the pack items', () => {
    const manuf = find(a, { tier: 'TERMINAL', step: 'MANUFACTURING', criterion: 'CLIMATE_CHANGE' });
    // H = 100 h; 170 kg × 100 / (365 × 5 × 3)
    close(manuf.perYear, (170 * 100) / 5475);
    expect(manuf.trace.variables['F']).toMatchObject({
      value: 170,
      origin: 'REFERENCE',
      ref: { layer: PACK, key: 'ademe-laptop|MANUFACTURING|CLIMATE_CHANGE' },
    });
    expect(manuf.trace.variables['F']!.ref!.source).toContain('acv . ordinateur portable . carbone . fabrication');
    expect(manuf.trace.variables['L']).toMatchObject({ value: 5, origin: 'REFERENCE', ref: { layer: PACK } });
    expect(manuf.trace.variables['d']).toMatchObject({ value: 3, origin: 'REFERENCE', ref: { layer: PACK } });
    const use = find(a, { tier: 'TERMINAL', step: 'USE', criterion: 'CLIMATE_CHANGE' });
    // 26.5 W × 100 h / 1000 × 0.0519
    close(use.perYear, 2.65 * 0.0519);
    expect(use.trace.variables['P']).toMatchObject({ value: 26.5, origin: 'REFERENCE', ref: { key: 'ademe-laptop' } });
  });
  it('electricity, network and people-equivalent come from the pack tables', () => {
    const use = find(a, { tier: 'TERMINAL', step: 'USE', criterion: 'CLIMATE_CHANGE' });
    expect(use.trace.variables['M']).toMatchObject({
      value: 0.0519,
      origin: 'REFERENCE',
      ref: { layer: PACK, key: 'FR|CLIMATE_CHANGE' },
    });
    expect(use.trace.variables['M']!.ref!.source).toContain('mix électrique . empreinte carbone');
    const net = find(a, { tier: 'NETWORK', criterion: 'CLIMATE_CHANGE' });
    // 100 sessions × 0.1 GB = 10 GB × 9.26934695867389 g/GB
    close(net.perYear, (10 * 9.26934695867389) / 1000);
    expect(net.trace.variables['f']).toMatchObject({
      origin: 'REFERENCE',
      ref: { layer: PACK, key: 'FIXED_FR|WHOLE_LIFE|CLIMATE_CHANGE' },
    });
    const pe = cc(a).peopleEquivalent!;
    expect(pe.divisor).toBe(851.25);
    expect(pe.source).toContain('ref_sustainable_individual_package.csv');
  });
  it('an energy link without PUE reads the PUEParDefaut hypothesis (1.75) and warns', () => {
    const dc = find(a, { tier: 'DATACENTER', step: 'USE', criterion: 'CLIMATE_CHANGE' });
    close(dc.perYear, 100 * 1.75 * 0.0519); // 9.0825 kg
    expect(dc.trace.variables['PUE']).toMatchObject({
      value: 1.75,
      origin: 'HYPOTHESIS',
      ref: { layer: 'profile:rcp', key: 'PUEParDefaut' },
    });
    expect(a.warnings.map((w) => w.code)).toContain('CALC_DEFAULT_PUE');
  });
  it('a cloud link reads PUE_cloud_<PROVIDER> and the generic platform life (35 040 h = 4 yr)', () => {
    const cloud = (provider: string) =>
      assessService(
        app([{ cloud: { provider, quantity: 1, share: 1, kWhPerYear: 100, embodiedKgCO2e: 400, location: 'FR' } }]),
        { referential },
      );
    const c = cloud('AWS');
    const use = find(c, { tier: 'DATACENTER', step: 'USE', criterion: 'CLIMATE_CHANGE' });
    close(use.perYear, 100 * 1.135 * 0.0519);
    expect(use.trace.variables['PUE']).toMatchObject({
      value: 1.135,
      origin: 'HYPOTHESIS',
      ref: { layer: PACK, key: 'PUE_cloud_AWS' },
    });
    expect(use.trace.variables['PUE']!.ref!.source).toContain('cloud-carbon-footprint');
    const emb = find(c, { tier: 'DATACENTER', step: 'MANUFACTURING' });
    close(emb.perYear, 400 / 4); // 400 kg / (35 040 h / 8760 h) = 100 kg/yr
    expect(emb.trace.variables['H_life']).toMatchObject({
      value: 35040,
      origin: 'REFERENCE',
      ref: { layer: PACK, key: 'platform_compute_medium|hours_life_time' },
    });
    expect(c.warnings.map((w) => w.code)).not.toContain('CALC_DEFAULT_PUE');
    // GCP 1.1 and Azure 1.185, also under the provider names of the pack's cloud table
    close(find(cloud('gcp'), { tier: 'DATACENTER', step: 'USE' }).perYear, 100 * 1.1 * 0.0519);
    close(find(cloud('Microsoft Azure'), { tier: 'DATACENTER', step: 'USE' }).perYear, 100 * 1.185 * 0.0519);
    // a provider without a PUE_cloud_* hypothesis: PUEParDefaut with the warning
    const ovh = cloud('OVH');
    close(find(ovh, { tier: 'DATACENTER', step: 'USE' }).perYear, 100 * 1.75 * 0.0519);
    expect(ovh.warnings.map((w) => w.code)).toContain('CALC_DEFAULT_PUE');
  });
  it('the assessment names the referential it used', () => {
    expect(a.sources).toContain(`referential ${referential.id} ${referential.version} (${referential.hash})`);
  });
});

describe('a user layer over the pack replaces its figures', () => {
  const prov = { source: 'own measurement 2025', layer: 'user:test' };
  const user = {
    ...emptyLayer('user:test'),
    hypotheses: [{ code: 'PUEParDefaut', value: 1.3, prov }],
    electricity: [
      {
        location: 'FR',
        locationLabel: 'France',
        criterion: 'CLIMATE_CHANGE',
        valuePerKWh: 0.06,
        dataset: 'referential',
        prov,
      },
    ],
  };
  const { referential: mine } = mergeLayers([pack, profileLayer('rcp'), user]);
  it('PUE and electricity of the user layer, with its provenance', () => {
    const a = assessService(transfer([{ energy: { kWhPerYear: 100 } }]), { referential: mine });
    const dc = find(a, { tier: 'DATACENTER', step: 'USE' });
    close(dc.perYear, 100 * 1.3 * 0.06); // 7.8 kg
    expect(dc.trace.variables['PUE']).toMatchObject({ value: 1.3, origin: 'HYPOTHESIS', ref: { layer: 'user:test' } });
    expect(dc.trace.variables['M']).toMatchObject({ value: 0.06, ref: { layer: 'user:test' } });
  });
});

describe('no hidden copy: what the referential lacks is missing', () => {
  // A referential that states only the French electricity factor (test/helpers/referential.ts)
  const bare = testReferential({ electricity: { France: { CLIMATE_CHANGE: 0.05 } } });
  it('the default laptop of the business-application mix is unknown without the pack', () => {
    expect(code(() => assessService(app(), { referential: bare }))).toBe('SVC_UNKNOWN_DEVICE');
  });
  it('PUEParDefaut absent from every layer: the §3.6 registry default, origin DEFAULT', () => {
    const a = assessService(transfer([{ energy: { kWhPerYear: 100 } }]), { referential: bare });
    const dc = find(a, { tier: 'DATACENTER', step: 'USE' });
    close(dc.perYear, 100 * 1.75 * 0.05); // 8.75 kg
    expect(dc.trace.variables['PUE']).toMatchObject({ origin: 'DEFAULT', ref: { layer: 'registry' } });
  });
  it('a PUEParDefaut stated by the referential is used', () => {
    const ref = testReferential({
      electricity: { France: { CLIMATE_CHANGE: 0.05 } },
      hypotheses: { PUEParDefaut: 1.2 },
    });
    close(
      find(assessService(transfer([{ energy: { kWhPerYear: 100 } }]), { referential: ref }), {
        tier: 'DATACENTER',
        step: 'USE',
      }).perYear,
      100 * 1.2 * 0.05,
    ); // 6 kg
  });
  it('cloud: no PUE_cloud_AWS → PUEParDefaut with a warning; no platform archetype → life undetermined', () => {
    const link = (lifespanYears?: number): ServerLink => ({
      cloud: {
        provider: 'AWS',
        quantity: 1,
        share: 1,
        kWhPerYear: 100,
        embodiedKgCO2e: 400,
        location: 'FR',
        ...(lifespanYears !== undefined ? { lifespanYears } : {}),
      },
    });
    const a = assessService(transfer([link(5)]), { referential: bare });
    close(find(a, { tier: 'DATACENTER', step: 'USE' }).perYear, 100 * 1.75 * 0.05);
    close(find(a, { tier: 'DATACENTER', step: 'MANUFACTURING' }).perYear, 400 / 5);
    expect(a.warnings.map((w) => w.code)).toContain('CALC_DEFAULT_PUE');
    expect(code(() => assessService(transfer([link()]), { referential: bare }))).toBe('CALC_LIFESPAN_UNDETERMINED');
  });
  it('a network absent from the referential is unknown', () => {
    const def = app([], { network: [{ type: 'fixed', share: 1 }] });
    const noFixedFr: Referential = {
      ...referential,
      items: new Map([...referential.items].filter(([name]) => name !== 'FIXED_FR')),
    };
    expect(code(() => assessService(def, { referential: noFixedFr }))).toBe('SVC_UNKNOWN_NETWORK');
  });
});

describe('locations (normaliseLocation)', () => {
  const data = createReferenceData(referential);
  it('FR, France and FRA read the French factor; Europe and EU the EU one', () => {
    for (const l of ['FR', 'France', 'fra', ' france '])
      expect(data.electricity(l, 'CLIMATE_CHANGE')!.value).toBe(0.0519);
    const eu = referential.electricity.get('EU')!.get('CLIMATE_CHANGE')!.valuePerKWh;
    expect(data.electricity('Europe', 'CLIMATE_CHANGE')!.value).toBe(eu);
    expect(data.electricity('EU', 'CLIMATE_CHANGE')!.ref.key).toBe('EU|CLIMATE_CHANGE');
  });
  it('a country name resolves to its ISO key (Germany → DE), an unknown place has no factor', () => {
    const de = referential.electricity.get('DE')!.get('CLIMATE_CHANGE')!.valuePerKWh;
    expect(data.electricity('Germany', 'CLIMATE_CHANGE')!.value).toBe(de);
    expect(data.electricity('Allemagne', 'CLIMATE_CHANGE')!.value).toBe(de);
    expect(data.electricity('Atlantis', 'CLIMATE_CHANGE')).toBeUndefined();
  });
  it('network region: FR factors for France, EU factors elsewhere (noted unless the place is Europe)', () => {
    const codes = data.networkCodes();
    expect([...codes].sort()).toEqual([
      'FIXED_EU',
      'FIXED_EU_NO_BOX',
      'FIXED_FR',
      'FIXED_FR_NO_BOX',
      'MOBILE_EU',
      'MOBILE_FR',
    ]);
    expect(networkCode('fixed', 'France', codes)).toEqual({ code: 'FIXED_FR' });
    expect(networkCode('mobile', 'FR', codes)).toEqual({ code: 'MOBILE_FR' });
    expect(networkCode('fixed-no-box', 'Europe', codes)).toEqual({ code: 'FIXED_EU_NO_BOX' });
    expect(networkCode('wifi', 'Germany', codes)).toEqual({ code: 'FIXED_EU', note: 'EU factor used for Germany' });
    expect(networkCode('lan', 'Germany', codes)).toEqual({ code: 'LAN' });
    expect(networkCode('mobile_eu', 'France', codes)).toEqual({ code: 'MOBILE_EU' });
    expect(networkCode('carrier-pigeon', 'France', codes)).toBeUndefined();
  });
});
