/**
 * Terminal lines as G4IT describes them (issue 14, methodology F12, F2): device type or reference item, country,
 * users, yearly hours per user, optional lifespan; G4IT `ref_device_type` rows loaded as item types; lifespan
 * fallback line → item → type → `dureeVieParDefaut`, each origin in the trace. Expected values by hand from the
 * fixture rows (test/fixtures/cli/services/g4it-terminals) and §6 (ademe-laptop 170 kg, 5 yr, 26.5 W × 3 h/day,
 * 29.0175 kWh/yr; FR 0.0519 kg/kWh).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReferential } from '../referential/csv-read.js';
import { profileLayer } from '../referential/hypotheses.js';
import type { Profile } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { parseServiceText } from './parse.js';
import type { ServiceAssessment } from './result.js';
import type { ServiceDefinition, TerminalLine } from './schema.js';
import { thrownIssue } from '../../test/helpers/issues.js';
import { expectClose } from '../../test/helpers/numbers.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/cli/services/g4it-terminals');
const pack = (await loadDefaultPack()).layer;
const g4it = await readReferential([FIXTURE], { layerName: 'user:g4it' });
const referentialFor = (profile: Profile) => mergeLayers([pack, profileLayer(profile), g4it.layer]).referential;

const service = (terminals: TerminalLine[], profile: Profile): ServiceDefinition => ({
  service: 'Intranet',
  version: '1',
  kind: 'business_application',
  profile,
  functionalUnit: { kind: 'service-year' },
  // The network part is on the LAN (0): only the terminals are under test here.
  usage: { users: 170, sessionsPerUserPerYear: 1, dataPerSessionGB: 0, remoteShare: 0, terminals },
});

const lines: TerminalLine[] = [
  { label: 'agents laptops', deviceType: 'laptop-g4it', country: 'FR', users: 100, hoursPerUserPerYear: 1600 },
  {
    label: 'field phones',
    deviceType: 'Smartphone-G4IT',
    country: 'Germany',
    users: 50,
    hoursPerUserPerYear: 500,
    lifespanYears: 4,
  },
  { label: 'monitors', item: 'monitor-g4it', country: 'FR', users: 10, hoursPerUserPerYear: 100 },
  { label: 'ademe laptops', item: 'ademe-laptop', country: 'FR', users: 20, hoursPerUserPerYear: 1000 },
];

const part = (a: ServiceAssessment, label: string, step: string) =>
  a.indicators.find((i) => i.component === `terminals:${label}` && i.step === step && i.criterion === 'CLIMATE_CHANGE');

describe('G4IT device types are loaded from ref_device_type.csv', () => {
  it('as item types: the code is the reference item, lifespan is the type default', () => {
    expect(g4it.issues).toEqual([]);
    expect(g4it.layer.itemTypes.map((t) => [t.type, t.defaultRefItem, t.defaultLifespanYears, t.category])).toEqual([
      ['laptop-g4it', 'laptop-g4it', 6, 'Laptop'],
      ['smartphone-g4it', 'smartphone-g4it', 3, 'Smartphone'],
    ]);
  });
});

describe('terminal lines, calendarHours (numecoeval): I_emb = U × h × F / (L × 8760), I_use = U × h × E × M / 8760', () => {
  const a = assessService(service(lines, 'numecoeval'), { referential: referentialFor('numecoeval') });

  it('line 1: laptop-g4it type, 100 users × 1,600 h = 160,000 h, L = 6 yr from the device type', () => {
    expectClose(part(a, 'agents laptops', 'MANUFACTURING')?.perYear, (160_000 * 200) / (6 * 8760)); // 608.828…
    expectClose(part(a, 'agents laptops', 'DISTRIBUTION')?.perYear, (160_000 * 10) / (6 * 8760)); // 30.441…
    expectClose(part(a, 'agents laptops', 'END_OF_LIFE')?.perYear, (160_000 * 4) / (6 * 8760)); // 12.177…
    expectClose(part(a, 'agents laptops', 'USE')?.perYear, (160_000 * 30 * 0.0519) / 8760); // 28.438…
    const t = part(a, 'agents laptops', 'MANUFACTURING')!.trace;
    expect(t.lifetime).toMatchObject({ source: 'TYPE_DEFAULT', valueRetained: 6 });
    expect(t.variables.L).toMatchObject({ value: 6, origin: 'REFERENCE', ref: { key: 'laptop-g4it' } });
    expect(t.notes).toContain('lifespan 6 yr of device type laptop-g4it (item laptop-g4it has none)');
  });

  it('line 2: smartphone type (any case), Germany 0.4 kg/kWh, 25,000 h, L = 4 yr given on the line', () => {
    expectClose(part(a, 'field phones', 'MANUFACTURING')?.perYear, (25_000 * 50) / (4 * 8760)); // 35.674…
    expectClose(part(a, 'field phones', 'USE')?.perYear, (25_000 * 4 * 0.4) / 8760); // 4.566…
    const t = part(a, 'field phones', 'MANUFACTURING')!.trace;
    expect(t.lifetime).toMatchObject({ source: 'INTERNAL', valueRetained: 4 });
    expect(t.variables.L).toMatchObject({ value: 4, origin: 'INPUT' });
    expect(t.notes).toContain('lifespan 4 yr given on the line');
  });

  it('line 3: an item with no lifespan and no type: dureeVieParDefaut (2 yr), 1,000 h', () => {
    expectClose(part(a, 'monitors', 'MANUFACTURING')?.perYear, (1000 * 80) / (2 * 8760)); // 4.566…
    expectClose(part(a, 'monitors', 'USE')?.perYear, (1000 * 20 * 0.0519) / 8760); // 0.118…
    const t = part(a, 'monitors', 'MANUFACTURING')!.trace;
    expect(t.lifetime).toMatchObject({ source: 'GLOBAL_DEFAULT', valueRetained: 2 });
    expect(t.variables.L).toMatchObject({ value: 2, origin: 'HYPOTHESIS' });
    expect(t.notes).toContain('lifespan 2 yr from dureeVieParDefaut (neither item monitor-g4it nor its type has one)');
  });

  it('line 4: a reference item with its own lifespan (ademe-laptop, 5 yr), 20 users × 1,000 h', () => {
    expectClose(part(a, 'ademe laptops', 'MANUFACTURING')?.perYear, (20_000 * 170) / (5 * 8760)); // 77.626…
    expectClose(part(a, 'ademe laptops', 'USE')?.perYear, (20_000 * 29.0175 * 0.0519) / 8760); // 3.438…
    const t = part(a, 'ademe laptops', 'MANUFACTURING')!.trace;
    expect(t.lifetime).toMatchObject({ source: 'INTERNAL', valueRetained: 5 });
    expect(t.variables.L).toMatchObject({ value: 5, origin: 'REFERENCE' });
    expect(t.notes).toContain('lifespan 5 yr of item ademe-laptop');
    expect(t.notes).toContain('H = 20 users × 1000 h per user per year = 20000 device-hours (ademe laptops)');
  });

  it('the terminal tier is the sum of the four lines', () => {
    const cc = a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    const embodied =
      (160_000 * 214) / (6 * 8760) +
      (25_000 * 50) / (4 * 8760) +
      (1000 * 80) / (2 * 8760) +
      (20_000 * (170 + 12.3 + 2.79)) / (5 * 8760);
    const use =
      (160_000 * 30 * 0.0519) / 8760 +
      (25_000 * 4 * 0.4) / 8760 +
      (1000 * 20 * 0.0519) / 8760 +
      (20_000 * 29.0175 * 0.0519) / 8760;
    const t = cc.perYear.byTier.TERMINAL;
    expectClose((t.MANUFACTURING ?? 0) + (t.DISTRIBUTION ?? 0) + (t.END_OF_LIFE ?? 0), embodied); // 608.828 + 30.441 + 12.177 + 35.674 + 4.566 + 84.521 = 776.207…
    expectClose(t.USE, use);
  });
});

describe('terminal lines, activeHours (rcp): I_emb = U × h × F / (365 × L × d), I_use = P × U × h / 1000 × M', () => {
  const a = assessService(service([lines[3]!, lines[0]!], 'rcp'), { referential: referentialFor('rcp') });
  it('ademe-laptop: 170 × 20,000 / (365 × 5 × 3) and 26.5 W × 20,000 h / 1000 × 0.0519', () => {
    expectClose(part(a, 'ademe laptops', 'MANUFACTURING')?.perYear, (170 * 20_000) / (365 * 5 * 3)); // 621.005
    expectClose(part(a, 'ademe laptops', 'USE')?.perYear, ((26.5 * 20_000) / 1000) * 0.0519); // 27.507
  });
  it('a G4IT item without active power and daily hours falls back to calendarHours, said in the trace', () => {
    expectClose(part(a, 'agents laptops', 'MANUFACTURING')?.perYear, (160_000 * 200) / (6 * 8760));
    expect(part(a, 'agents laptops', 'MANUFACTURING')!.trace.notes).toContain(
      "allocationFallback: 'laptop-g4it' has no active power, daily hours or life",
    );
  });
});

const yaml = (line: string) => `service: Intranet
version: 1
kind: business_application
profile: numecoeval
functionalUnit: service-year
usage:
  users: 1
  sessionsPerUserPerYear: 1
  dataPerSessionGB: 0
  remoteShare: 0
  terminals:
    - ${line}
`;

describe('bad terminal lines', () => {
  const referential = referentialFor('numecoeval');
  it('more than 8,760 hours per user: a coded error naming the file, the field and the accepted range', () => {
    const e = thrownIssue(() =>
      parseServiceText(yaml('{ deviceType: laptop-g4it, country: FR, users: 2, hoursPerUserPerYear: 9000 }'), 's.yaml'),
    );
    expect(e.code).toBe('INP_OUT_OF_RANGE');
    expect(e.details).toMatchObject({ field: 'usage.terminals[0].hoursPerUserPerYear', min: 0, max: '8760' });
    expect(e.file).toBe('s.yaml');
  });
  it('negative users: INP_NEGATIVE at the field', () => {
    const e = thrownIssue(() =>
      parseServiceText(yaml('{ deviceType: laptop-g4it, country: FR, users: -2, hoursPerUserPerYear: 9 }'), 's.yaml'),
    );
    expect(e.code).toBe('INP_NEGATIVE');
    expect(e.details).toMatchObject({ field: 'usage.terminals[0].users' });
  });
  it('both a device type and an item: refused', () => {
    const e = thrownIssue(() =>
      parseServiceText(
        yaml('{ deviceType: laptop-g4it, item: ademe-laptop, country: FR, users: 2, hoursPerUserPerYear: 9 }'),
        's.yaml',
      ),
    );
    expect(e.code).toBe('SVC_FIELD_INVALID');
    expect(e.details).toMatchObject({ reason: "give exactly one of 'deviceType' or 'item'" });
  });
  it('an unknown device type: SVC_UNKNOWN_DEVICE at the field, listing the device types that resolve', () => {
    const { definition, source } = parseServiceText(
      yaml('{ deviceType: tablet-g4it, country: FR, users: 2, hoursPerUserPerYear: 9 }'),
      's.yaml',
    );
    const e = thrownIssue(() => assessService(definition, { referential, source }));
    expect(e.code).toBe('SVC_UNKNOWN_DEVICE');
    expect(e.details).toMatchObject({ item: 'tablet-g4it' });
    expect(String(e.details.allowed)).toContain('laptop-g4it');
    expect(String(e.details.allowed)).toContain('smartphone-g4it');
    expect(e.file).toBe('s.yaml');
  });
});
