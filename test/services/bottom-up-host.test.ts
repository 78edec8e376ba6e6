/**
 * A service's server described by its components (issue 14): the engine's F16 bottom-up model, as for an inventory
 * server line. Expected value independent of Empreinte: BoaviztAPI 2.4.1's own result for the same server
 * (shared/data/boavizta/boaviztapi-reference-results.json: 2 × AMD EPYC 7502, 8 × 32 GB RAM, 1 × 1,920 GB SSD,
 * 4-year life → gwp.embedded 250.9380108878515 kg CO2 eq for one year).
 */
import { describe, expect, it } from 'vitest';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { assessService } from '../../src/services/assess.js';
import { parseServiceText } from '../../src/services/parse.js';
import type { ServiceAssessment } from '../../src/services/result.js';

const pack = (await loadDefaultPack()).layer;
const rcp = mergeLayers([pack, profileLayer('rcp')]).referential;
const numecoeval = mergeLayers([pack, profileLayer('numecoeval')]).referential;

const service = (server: string, profile = 'rcp') =>
  parseServiceText(
    `service: API
version: 1
kind: business_application
profile: ${profile}
functionalUnit: service-year
usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 }
servers:
  - label: api
    server: ${server}
`,
    'api.yaml',
  );
const EPYC =
  "components: { cores: 64, cpuType: 'AMD EPYC 7502', memoryGB: 256, ssdCount: 1, ssdSizeGB: 1920 }, lifespanYears: 4, datacenter: { location: France }";
const manufacturing = (a: ServiceAssessment) =>
  a.indicators.find(
    (i) => i.component === 'server:api' && i.step === 'MANUFACTURING' && i.criterion === 'CLIMATE_CHANGE',
  );

describe('bottom-up host (F16 through the engine)', () => {
  it("dedicated: BoaviztAPI's yearly embedded value for the same server", () => {
    const s = service(`{ mode: dedicated, ${EPYC} }`);
    const a = assessService(s.definition, { referential: rcp, source: s.source });
    expect(manufacturing(a)?.perYear).toBeCloseTo(250.9380108878515, 6);
    expect(manufacturing(a)?.trace.resolution).toMatchObject({ via: 'BOTTOM_UP' });
  });
  it('shared: 64 of 128 vCPU → half of it (engine F8)', () => {
    const s = service(`{ mode: shared, hostVcpu: 128, vcpu: 64, ${EPYC} }`);
    const a = assessService(s.definition, { referential: rcp, source: s.source });
    expect(manufacturing(a)?.perYear).toBeCloseTo(250.9380108878515 / 2, 6);
  });
  it('refused under numecoeval (no bottom-up model there), and with no component at all', () => {
    const s = service(`{ mode: dedicated, ${EPYC} }`, 'numecoeval');
    let issue;
    try {
      assessService(s.definition, { referential: numecoeval, source: s.source });
    } catch (e) {
      issue = e instanceof EmpreinteError ? e.issue : undefined;
    }
    expect(issue).toMatchObject({
      code: 'SVC_FIELD_INVALID',
      file: 'api.yaml',
      column: 'servers[0].server.components',
    });
    expect(() => service('{ mode: dedicated, components: { cpuType: x }, datacenter: { location: FR } }')).toThrow(
      /at least one of 'cores'/,
    );
    expect(() => service(`{ mode: dedicated, size: S, ${EPYC} }`)).toThrow(/exactly one of 'size'/);
  });
});
