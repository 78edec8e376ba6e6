/** Versions of a service and their comparison: absolute and relative differences per tier and criterion. */
import { describe, expect, it } from 'vitest';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { compareAssessments, difference } from './compare.js';
import type { ServiceDefinition } from './schema.js';

const { referential } = mergeLayers([(await loadDefaultPack()).layer, profileLayer('rcp')]);

const version = (v: string, dataPerSessionGB: number, whPerSession: number): ServiceDefinition => ({
  service: 'HR portal',
  version: v,
  kind: 'business_application',
  functionalUnit: { kind: 'unit' },
  usage: { users: 100, sessionsPerYear: 1000, sessionHours: 0.5, dataPerSessionGB, remoteShare: 1 },
  servers: [{ energy: { whPerSession, pue: 1.5, location: 'FR' } }],
});

describe('compareAssessments', () => {
  it('difference: absolute = after − before, relative = / before, null for before = 0', () => {
    expect(difference(4, 3)).toEqual({ before: 4, after: 3, absolute: -1, relative: -0.25 });
    expect(difference(0, 3).relative).toBeNull();
  });
  it('halving the data and the server energy halves the network and datacenter tiers, terminals unchanged', () => {
    const before = assessService(version('before', 0.02, 4), { referential });
    const after = assessService(version('after', 0.01, 2), { referential });
    const c = compareAssessments(before, after);
    const cc = c.criteria.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    // network: 1000 sessions × 0.02 GB × 9.26934695867389 g/GB = 0.185387 kg → half
    const net = (1000 * 0.02 * 9.26934695867389) / 1000;
    expect(cc.perYear.byTier.NETWORK.before).toBeCloseTo(net, 12);
    expect(cc.perYear.byTier.NETWORK.relative).toBeCloseTo(-0.5, 12);
    // datacenter: 1000 × 4 Wh / 1000 × 1.5 × 0.0519 = 0.3114 kg → 0.1557 kg
    expect(cc.perYear.byTier.DATACENTER.absolute).toBeCloseTo(-0.1557, 12);
    expect(cc.perYear.byTier.TERMINAL.absolute).toBe(0);
    expect(cc.perFunctionalUnit.total.absolute).toBeCloseTo((-net / 2 - 0.1557) / 1000, 15);
    expect(c.before.version).toBe('before');
    expect(c.notes).toEqual([]);
    expect(c.sci!.absolute).toBeCloseTo(cc.perFunctionalUnit.total.absolute, 15);
  });
});
