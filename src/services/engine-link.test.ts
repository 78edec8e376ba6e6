/**
 * Services take the engine's hypotheses and lifetime rule instead of their own (issue 10): a device's life is floored
 * at the run's `dureeVieMinimale` hypothesis by the engine's F2 (not at a constant of the services), and a link
 * without PUE gets the engine's default PUE. Expected values by hand from §6 (ademe-laptop 170 kg MANUFACTURING,
 * 5 yr, 3 h/day; FR 0.0519 kg/kWh).
 */
import { describe, expect, it } from 'vitest';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { emptyLayer } from '../referential/model.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import type { ServiceAssessment } from './result.js';
import type { ServiceDefinition } from './schema.js';

const pack = (await loadDefaultPack()).layer;
const prov = { source: 'test', layer: 'user:test' };
const withHypotheses = (hypotheses: { code: string; value: number }[]) =>
  mergeLayers([
    pack,
    profileLayer('rcp'),
    { ...emptyLayer('user:test'), hypotheses: hypotheses.map((h) => ({ ...h, prov })) },
  ]).referential;

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));

// 100 users × 200 sessions × 0.5 h = 10 000 device-hours on the default laptop, activeHours.
const app: ServiceDefinition = {
  service: 'HR portal',
  version: 'v1',
  kind: 'business_application',
  functionalUnit: { kind: 'unit' },
  usage: { users: 100, sessionsPerUserPerYear: 200, sessionHours: 0.5, dataPerSessionGB: 0.01 },
  servers: [{ energy: { kWhPerYear: 100, location: 'FR' } }],
};
const H = 10_000;
const manufacturing = (a: ServiceAssessment) =>
  a.indicators.find((i) => i.tier === 'TERMINAL' && i.step === 'MANUFACTURING' && i.criterion === 'CLIMATE_CHANGE')!;

describe('device lives by the engine’s F2', () => {
  it('a 5-year laptop is raised to a 6-year dureeVieMinimale, with the engine’s warning located in the service', () => {
    const a = assessService(app, { referential: withHypotheses([{ code: 'dureeVieMinimale', value: 6 }]) });
    close(manufacturing(a).perYear, (170 * H) / (365 * 6 * 3)); // 258.751… kg (310.502… with 5 years)
    const floored = a.warnings.filter((w) => w.code === 'CALC_LIFESPAN_FLOORED');
    expect(floored).toHaveLength(1);
    expect(floored[0]!.details).toEqual({ file: '<service>', name: 'ademe-laptop', value: 5, min: 6 });
    expect(floored[0]!.column).toBe('usage.devices[0].item');
    // The trace carries the engine's own lifetime record (F2, FIXE): 5 years given, 6 retained, floored.
    expect(manufacturing(a).trace.lifetime).toEqual({
      method: 'FIXE',
      valueRetained: 6,
      source: 'INTERNAL',
      upstream: 0,
      downstream: 0,
      floored: true,
    });
  });

  it('a floor below the laptop’s life leaves it at 5 years, without warning', () => {
    const a = assessService(app, { referential: withHypotheses([{ code: 'dureeVieMinimale', value: 0.5 }]) });
    close(manufacturing(a).perYear, (170 * H) / (365 * 5 * 3)); // 310.502… kg
    expect(a.warnings.map((w) => w.code)).not.toContain('CALC_LIFESPAN_FLOORED');
  });
});

describe('the default PUE is the engine’s', () => {
  it('an energy link without PUE takes the run’s PUEParDefaut (here 1.4) and warns', () => {
    const a = assessService(app, { referential: withHypotheses([{ code: 'PUEParDefaut', value: 1.4 }]) });
    const use = a.indicators.find(
      (i) => i.tier === 'DATACENTER' && i.step === 'USE' && i.criterion === 'CLIMATE_CHANGE',
    )!;
    close(use.perYear, 100 * 1.4 * 0.0519); // 7.266 kg
    expect(use.trace.variables['PUE']).toMatchObject({ value: 1.4, origin: 'HYPOTHESIS', ref: { layer: 'user:test' } });
    expect(a.warnings.find((w) => w.code === 'CALC_DEFAULT_PUE')?.details).toMatchObject({ value: 1.4 });
  });
});
