/**
 * G4IT's non-cloud servers in a service (issue 14): dedicated or shared, host archetype S/M/L (G4IT
 * `ref_server_host.csv`: Compute S = rack-server--8, 32 vCPU, 5 yr; Storage S = storage-bay--1, 6144 GB, 5 yr),
 * vCPU or storage allocation, operating hours, datacenter PUE — assessed by the engine as a physical server line (F5–F7)
 * and a VM on it (F8). Expected values by hand from the fixture rows (test/fixtures/cli/services/g4it-terminals:
 * rack-server--8 1000 + 20 + 10 kg, 800 kWh/yr; storage-bay--1 2000 + 40 + 20 kg, 1200 kWh/yr), FR 0.0519 kg/kWh,
 * PUE 1.5, profile numecoeval (τ = 1).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReferential } from '../referential/csv-read.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { parseServiceText } from './parse.js';
import type { ServiceAssessment } from './result.js';
import type { ServiceDefinition, ServerLink } from './schema.js';
import { thrownIssue } from '../../test/helpers/issues.js';
import { expectClose } from '../../test/helpers/numbers.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/cli/services/g4it-terminals');
const pack = (await loadDefaultPack()).layer;
const g4it = await readReferential([FIXTURE], { layerName: 'user:g4it' });
const referential = mergeLayers([pack, profileLayer('numecoeval'), g4it.layer]).referential;
const withoutG4it = mergeLayers([pack, profileLayer('numecoeval')]).referential;

const service = (server: ServerLink['server']): ServiceDefinition => ({
  service: 'Intranet',
  version: '1',
  kind: 'business_application',
  profile: 'numecoeval',
  functionalUnit: { kind: 'service-year' },
  usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 },
  servers: [{ label: 'app', server }],
});
const dc = (a: ServiceAssessment, step: string) =>
  a.indicators.find((i) => i.tier === 'DATACENTER' && i.step === step && i.criterion === 'CLIMATE_CHANGE')?.perYear;
const DC = { location: 'FR', pue: 1.5 };

describe('servers through the engine', () => {
  it('dedicated, 2 × Compute S: embodied 2 × F / 5, use 2 × 800 kWh × 1.5 × 0.0519', () => {
    const a = assessService(service({ mode: 'dedicated', size: 'S', kind: 'compute', quantity: 2, datacenter: DC }), {
      referential,
    });
    expectClose(dc(a, 'MANUFACTURING'), (2 * 1000) / 5); // 400
    expectClose(dc(a, 'DISTRIBUTION'), (2 * 20) / 5); // 8
    expectClose(dc(a, 'END_OF_LIFE'), (2 * 10) / 5); // 4
    expectClose(dc(a, 'USE'), 2 * 800 * 1.5 * 0.0519); // 124.56
  });
  it('operating 4,380 h a year: use on 800 × 4380 / 8760 = 400 kWh, embodied unchanged', () => {
    const a = assessService(
      service({ mode: 'dedicated', size: 'S', kind: 'compute', quantity: 2, hoursPerYear: 4380, datacenter: DC }),
      { referential },
    );
    expectClose(dc(a, 'MANUFACTURING'), (2 * 1000) / 5);
    expectClose(dc(a, 'USE'), 2 * 400 * 1.5 * 0.0519); // 62.28
  });
  it('shared Compute S, 8 of its 32 vCPU: α = 0.25 of the host (engine F8 VCPU)', () => {
    const a = assessService(
      service({ mode: 'shared', size: 'S', kind: 'compute', vcpu: 8, quantity: 1, datacenter: DC }),
      { referential },
    );
    expectClose(dc(a, 'MANUFACTURING'), (1000 / 5) * 0.25); // 50
    expectClose(dc(a, 'USE'), 800 * 1.5 * 0.0519 * 0.25); // 15.57
    const t = a.indicators.find((i) => i.tier === 'DATACENTER' && i.step === 'USE')!.trace;
    expect(t.allocation).toMatchObject({ rule: 'VCPU', alpha: 0.25 });
  });
  it('shared Storage S, 1,536 of its 6,144 GB: α = 0.25', () => {
    const a = assessService(
      service({ mode: 'shared', size: 'S', kind: 'storage', storageGB: 1536, quantity: 1, datacenter: DC }),
      { referential },
    );
    expectClose(dc(a, 'MANUFACTURING'), (2000 / 5) * 0.25); // 100
    expectClose(dc(a, 'USE'), 1200 * 1.5 * 0.0519 * 0.25); // 23.355
  });
});

describe('a host given by a reference item, profile rcp', () => {
  const rcp = mergeLayers([pack, profileLayer('rcp')]).referential;
  // §6: ademe-server 748 kg MANUFACTURING only, 3214.92 kWh/yr, 5 years.
  const a = assessService(
    {
      ...service({ mode: 'dedicated', item: 'ademe-server', kind: 'compute', quantity: 1, datacenter: DC }),
      profile: 'rcp',
    },
    { referential: rcp },
  );
  it('embodied 748 / 5, use 3214.92 kWh × 1.5 × 0.0519', () => {
    expectClose(dc(a, 'MANUFACTURING'), 748 / 5); // 149.6
    expectClose(dc(a, 'USE'), 3214.92 * 1.5 * 0.0519); // 250.28
  });
  it('the steps the item has no factor for are a named gap, not a stop', () => {
    expect(a.warnings.map((w) => w.code)).toContain('CALC_FACTOR_MISSING');
    expect(a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!.gaps).toContain('server:app');
  });
});

const yaml = (server: string) => `service: Intranet
version: 1
kind: business_application
profile: numecoeval
functionalUnit: service-year
usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 }
servers:
  - server: ${server}
`;

describe('bad servers', () => {
  const assess = (server: string, ref = referential) => {
    const { definition, source } = parseServiceText(yaml(server), 's.yaml');
    return assessService(definition, { referential: ref, source });
  };
  it('unknown host size: the accepted values', () => {
    const e = thrownIssue(() => assess('{ mode: shared, size: XL, vcpu: 4, datacenter: { location: FR } }'));
    expect(e.code).toBe('SVC_FIELD_INVALID');
    expect(String(e.details.reason)).toMatch(/S.*M.*L/);
  });
  it('more vCPU than the host has: SVC_FIELD_INVALID with the accepted range', () => {
    const e = thrownIssue(() => assess('{ mode: shared, size: S, vcpu: 40, datacenter: { location: FR, pue: 1.5 } }'));
    expect(e.code).toBe('SVC_FIELD_INVALID');
    expect(String(e.details.reason)).toContain('0 < vcpu ≤ 32');
    expect(e.column).toBe('servers[0].server.vcpu');
  });
  it('a shared compute server without vcpu: refused', () => {
    const e = thrownIssue(() => assess('{ mode: shared, size: S, datacenter: { location: FR } }'));
    expect(e.code).toBe('SVC_FIELD_INVALID');
    expect(String(e.details.reason)).toContain("needs 'vcpu'");
  });
  it('an archetype whose item is not in the referential: SVC_UNKNOWN_DEVICE saying what to load', () => {
    const e = thrownIssue(() => assess('{ mode: dedicated, size: M, datacenter: { location: FR } }', withoutG4it));
    expect(e.code).toBe('SVC_UNKNOWN_DEVICE');
    expect(String(e.details.item)).toContain('rack-server--30');
  });
  it('PUE below 1: refused before any computation', () => {
    expect(
      thrownIssue(() => assess('{ mode: dedicated, size: S, datacenter: { location: FR, pue: 0.9 } }')).code,
    ).toMatch(/INP_OUT_OF_RANGE|SVC_FIELD_INVALID/);
  });
});
