/**
 * A service's cloud instance is the engine's F15 (issue 14): end to end, the service's cloud part equals the same
 * instance assessed as an inventory line (`assessInventory` on a NumEcoEval cloud virtual-equipment line with the
 * same provider, instance type, location, quantity, hours and load, with the engine's hooks as the CLI builds them),
 * in both profiles; a share β of the instance takes β × each value. Bad provider, instance or region: the engine's
 * coded error, located at the service's field.
 */
import { describe, expect, it } from 'vitest';
import { assessInventory } from '../engine/assess.js';
import { engineHooks } from '../engine/hooks.js';
import { profileLayer } from '../referential/hypotheses.js';
import type { Profile } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { parseServiceText } from './parse.js';
import type { ServiceDefinition } from './schema.js';
import { thrownIssue } from '../../test/helpers/issues.js';
import { expectClose } from '../../test/helpers/numbers.js';

const pack = (await loadDefaultPack()).layer;
const referentialFor = (profile: Profile) => mergeLayers([pack, profileLayer(profile)]).referential;

const close = (actual: number | undefined, expected: number) => expectClose(actual, expected, 1e-12);

const service = (profile: Profile, share = 1): ServiceDefinition => ({
  service: 'API',
  version: '1',
  kind: 'business_application',
  profile,
  functionalUnit: { kind: 'service-year' },
  usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 },
  servers: [
    {
      label: 'api',
      instance: {
        provider: 'aws',
        instanceType: 'm5.large',
        location: 'eu-west-3',
        quantity: 3,
        hoursPerYear: 6000,
        loadPercent: 30,
        share,
      },
    },
  ],
});

describe.each(['rcp', 'numecoeval'] as const)('cloud instance = the inventory line (%s)', (profile) => {
  const referential = referentialFor(profile);
  const inventory = assessInventory(
    {
      virtual: [
        {
          name: 'api',
          infrastructure: 'CLOUD_SERVICES',
          provider: 'aws',
          instanceType: 'm5.large',
          location: 'eu-west-3',
          quantity: 3,
          annualHours: 6000,
          avgLoad: 30,
        },
      ],
    },
    referential,
    {
      profile,
      referenceDate: '2025-01-01',
      lifetimeMethod: 'FIXE',
      criteria: [...referential.criteria.keys()],
      steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
    },
    engineHooks(referential, { profile }),
  );
  const rows = inventory.indicators.filter((r) => r.status === 'OK');
  it('the inventory line is assessed (MANUFACTURING and USE of CLIMATE_CHANGE at least)', () => {
    expect(inventory.indicators.filter((r) => r.status === 'ERROR' && r.criterion === 'CLIMATE_CHANGE')).toEqual([]);
    expect(rows.filter((r) => r.criterion === 'CLIMATE_CHANGE').map((r) => r.lifecycleStep)).toEqual(
      expect.arrayContaining(['MANUFACTURING', 'USE']),
    );
  });
  it('every step and criterion of the service part equals the line, and nothing else is there', () => {
    const a = assessService(service(profile), { referential });
    const dc = a.indicators.filter((i) => i.tier === 'DATACENTER');
    expect(dc.length).toBe(rows.length);
    for (const r of rows) {
      const s = dc.find((i) => i.step === r.lifecycleStep && i.criterion === r.criterion);
      close(s?.perYear, r.value);
      expect(s?.trace.formula).toBe(r.trace?.formula);
    }
  });
  it('a share β = 0.25 of the instance: 0.25 × each value of the line', () => {
    const a = assessService(service(profile, 0.25), { referential });
    for (const r of rows) {
      const s = a.indicators.find(
        (i) => i.tier === 'DATACENTER' && i.step === r.lifecycleStep && i.criterion === r.criterion,
      );
      close(s?.perYear, 0.25 * r.value);
      expect(s?.trace.formula).toBe(`0.25 × ${r.value} = ${0.25 * r.value}`);
    }
  });
});

const yaml = (instance: string) => `service: API
version: 1
kind: business_application
functionalUnit: service-year
usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 }
servers:
  - instance: ${instance}
`;

describe('bad cloud instances', () => {
  const referential = referentialFor('rcp');
  const assess = (instance: string) => {
    const { definition, source } = parseServiceText(yaml(instance), 'api.yaml');
    return assessService(definition, { referential, source });
  };
  it('unknown provider: INP_UNKNOWN_CLOUD_PROVIDER at servers[0].instance, with the known providers', () => {
    const e = thrownIssue(() => assess('{ provider: nimbus, instanceType: m5.large, location: FR }'));
    expect(e.code).toBe('INP_UNKNOWN_CLOUD_PROVIDER');
    expect(e.file).toBe('api.yaml');
    expect(e.column).toBe('servers[0].instance');
    expect(String(e.details.what)).toContain('aws');
  });
  it('unknown instance type: INP_UNKNOWN_CLOUD_INSTANCE', () => {
    expect(thrownIssue(() => assess('{ provider: aws, instanceType: zz9.huge, location: FR }')).code).toBe(
      'INP_UNKNOWN_CLOUD_INSTANCE',
    );
  });
  it('unknown region: INP_UNKNOWN_CLOUD_REGION', () => {
    expect(thrownIssue(() => assess('{ provider: aws, instanceType: m5.large, location: mars-north-1 }')).code).toBe(
      'INP_UNKNOWN_CLOUD_REGION',
    );
  });
  it('more than 8,760 hours or a load above 100 %: refused before any computation', () => {
    expect(
      thrownIssue(() => assess('{ provider: aws, instanceType: m5.large, location: FR, hoursPerYear: 9000 }')).code,
    ).toBe('INP_OUT_OF_RANGE');
    expect(
      thrownIssue(() => assess('{ provider: aws, instanceType: m5.large, location: FR, loadPercent: 120 }')).code,
    ).toBe('INP_OUT_OF_RANGE');
  });
});
