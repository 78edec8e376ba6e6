/**
 * AI inference by the EcoLogits LLM-inference methodology v1.0 (issue 14), worked by hand. Medium class = 70 B
 * parameters, dense, 4-bit weights: memory 1.2 × 70 × 4 / 8 = 42 GB → 1 GPU (A100 80 GB). 500 output tokens:
 * E_GPU = 500 × (8.91e-5 × 70 + 1.43e-3) = 3.8335 Wh; ΔT = 500 × (8.02e-4 × 70 + 2.23e-2) = 39.22 s;
 * E_server\GPU = 39.22 s × 1 kW × 1/8 = 1.361805… Wh; E_request = 1.2 × (1.361805… + 3.8335) = 6.234416… Wh.
 * 10,000 requests a year in France (0.0519 kg/kWh): USE = 10,000 × 0.006234416… × 0.0519 = 3.23566… kg.
 * Embodied: I_server = 1/8 × 3000 + 143 = 518 kg; × ΔT / 5 yr (157,680,000 s) × 10,000 = 1.28838… kg.
 */
import { describe, expect, it } from 'vitest';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { parseServiceText } from './parse.js';
import type { ServiceAssessment } from './result.js';
import type { ServiceDefinition, ServerLink } from './schema.js';
import { thrownIssue } from '../../test/helpers/issues.js';
import { expectClose } from '../../test/helpers/numbers.js';

const referential = mergeLayers([(await loadDefaultPack()).layer, profileLayer('rcp')]).referential;
const service = (ai: ServerLink['ai']): ServiceDefinition => ({
  service: 'Assistant',
  version: '1',
  kind: 'business_application',
  functionalUnit: { kind: 'service-year' },
  usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 },
  servers: [{ label: 'assistant', ai }],
});
const dc = (a: ServiceAssessment, step: string, criterion = 'CLIMATE_CHANGE') =>
  a.indicators.find((i) => i.tier === 'DATACENTER' && i.step === step && i.criterion === criterion);

describe('EcoLogits v1.0, medium model, 10,000 requests × 500 output tokens in France', () => {
  const a = assessService(
    service({ sizeClass: 'medium', requestsPerYear: 10_000, outputTokensPerRequest: 500, location: 'FR' }),
    { referential },
  );
  const eGpu = 500 * (8.91e-5 * 70 + 1.43e-3); // 3.8335 Wh
  const dT = 500 * (8.02e-4 * 70 + 2.23e-2); // 39.22 s
  const eServer = ((dT / 3600) * 1000) / 8; // 1.3618… Wh
  const eRequest = (1.2 * (eServer + eGpu)) / 1000; // 0.0062344… kWh
  it('use = N × E_request × M', () => {
    expectClose(dc(a, 'USE')?.perYear, 10_000 * eRequest * 0.0519); // 3.2357 kg
  });
  it('embodied = N × ΔT / 5 yr × (1/8 × 3000 + 143) kg, and the same for RESOURCE_USE and PRIMARY_ENERGY', () => {
    const L = 5 * 365 * 24 * 3600;
    expectClose(dc(a, 'MANUFACTURING')?.perYear, (10_000 * dT * (3000 / 8 + 143)) / L); // 1.2884 kg
    expectClose(dc(a, 'MANUFACTURING', 'RESOURCE_USE')?.perYear, (10_000 * dT * (0.25 / 8 + 5.09e-3)) / L);
    expectClose(dc(a, 'MANUFACTURING', 'PRIMARY_ENERGY')?.perYear, (10_000 * dT * (39000 / 8 + 1828)) / L);
  });
  it('flagged as an estimate: inferred traces, the method named, data quality LOW', () => {
    const t = dc(a, 'USE')!.trace;
    expect(t.inferred).toBe(true);
    expect(t.notes?.[0]).toContain('ESTIMATE by EcoLogits LLM inference methodology v1.0');
    expect(t.notes).toContain('P_total 70 B, P_active 70 B, Q 4 bits: memory 1.2 × 70 × 4 / 8 = 42 GB → GPU = 1');
    expect(a.dataQuality).toContainEqual({ component: 'server:assistant', quality: 'LOW' });
  });
});

describe('a large model needs several GPUs', () => {
  it('405 B at 4 bits: 1.2 × 405 × 4 / 8 = 243 GB → 4 GPUs; E_request = 1.2 × (ΔT × 1 kW × 4/8 + 4 × E_GPU)', () => {
    const a = assessService(
      service({ sizeClass: 'large', requestsPerYear: 1000, outputTokensPerRequest: 100, location: 'FR' }),
      { referential },
    );
    const eGpu = 100 * (8.91e-5 * 405 + 1.43e-3); // 3.75155 Wh
    const dT = 100 * (8.02e-4 * 405 + 2.23e-2); // 34.711 s
    const eRequest = (1.2 * (((dT / 3600) * 1000 * 4) / 8 + 4 * eGpu)) / 1000;
    expectClose(dc(a, 'USE')?.perYear, 1000 * eRequest * 0.0519);
  });
});

describe('bad AI links', () => {
  const yaml = (ai: string) => `service: A
version: 1
kind: business_application
functionalUnit: service-year
usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 }
servers:
  - ai: ${ai}
`;
  it('unknown size class: refused with the accepted values', () => {
    const e = thrownIssue(() =>
      parseServiceText(
        yaml('{ sizeClass: huge, requestsPerYear: 1, outputTokensPerRequest: 1, location: FR }'),
        'a.yaml',
      ),
    );
    expect(e.code).toBe('SVC_FIELD_INVALID');
    expect(String(e.details.reason)).toMatch(/small.*medium.*large/);
  });
  it('negative requests: INP_NEGATIVE', () => {
    const e = thrownIssue(() =>
      parseServiceText(
        yaml('{ sizeClass: small, requestsPerYear: -1, outputTokensPerRequest: 1, location: FR }'),
        'a.yaml',
      ),
    );
    expect(e.code).toBe('INP_NEGATIVE');
  });
  it('a location without electricity factor stops the service', () => {
    const { definition, source } = parseServiceText(
      yaml('{ sizeClass: small, requestsPerYear: 1, outputTokensPerRequest: 1, location: Atlantis }'),
      'a.yaml',
    );
    expect(thrownIssue(() => assessService(definition, { referential, source })).code).toBe('CALC_ELEC_FACTOR_MISSING');
  });
});
