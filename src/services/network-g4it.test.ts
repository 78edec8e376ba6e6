/**
 * F11 with G4IT's network types (issue 14): a fixed line by the capacity model (GB ÷ yearly GB per line, per-line-year
 * factors per step, the line's kWh × mix) and a mobile network per GB (per-GB factors per step, kWh per GB × mix),
 * both through the engine's F5/F6 formulas; the ADEME per-GB figure stays the `fixed` / `mobile` model. Expected
 * values by hand from the fixture rows (test/fixtures/cli/services/g4it-terminals/ref_item_impact.csv:
 * fixed-line-network-1 30 + 1 + 2 kg per line-year, 25 kWh per line-year; fixed-line-network-2 30 kg, 25 kWh;
 * mobile-network-1 0.005 kg/GB, 0.15 kWh/GB), the default pack's network types fixed-line-network-1 2640 GB/yr and
 * fixed-line-network-2 2400 GB/yr (G4IT ref_network_type.csv), FR 0.0519 kg/kWh, Germany 0.4 kg/kWh (fixture),
 * FIXED_FR 9.26934695867389 g/GB.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateFormula } from '../engine/trace-eval.js';
import { readReferential } from '../referential/csv-read.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import type { ServiceAssessment } from './result.js';
import type { NetworkEntry, ServiceDefinition } from './schema.js';
import { thrownIssue } from '../../test/helpers/issues.js';
import { expectClose } from '../../test/helpers/numbers.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/cli/services/g4it-terminals');
const pack = (await loadDefaultPack()).layer;
const g4it = await readReferential([FIXTURE], { layerName: 'user:g4it' });
const referential = mergeLayers([pack, profileLayer('numecoeval'), g4it.layer]).referential;
const withoutG4it = mergeLayers([pack, profileLayer('numecoeval')]).referential;

// 1,000 sessions × 2 GB = 2,000 GB a year.
const service = (network: NetworkEntry[], country = 'FR'): ServiceDefinition => ({
  service: 'Portal',
  version: '1',
  kind: 'business_application',
  profile: 'numecoeval',
  functionalUnit: { kind: 'service-year' },
  usage: {
    sessionsPerYear: 1000,
    sessionHours: 0,
    dataPerSessionGB: 2,
    country,
    devices: [{ share: 1, items: [{ item: 'ademe-laptop', quantity: 1 }] }],
    network,
  },
});

const net = (a: ServiceAssessment, step: string) =>
  a.indicators.filter((i) => i.tier === 'NETWORK' && i.step === step && i.criterion === 'CLIMATE_CHANGE');

describe('F11 G4IT: 75 % fixed line FR (capacity model), 25 % mobile FR (per GB)', () => {
  const a = assessService(
    service([
      { type: 'fixed-line-network-1', share: 0.75 },
      { type: 'mobile-network-1', share: 0.25 },
    ]),
    { referential },
  );
  const lines = (0.75 * 2000) / 2640; // 0.568181… line-years
  it('fixed: lines = 1,500 GB / 2,640 GB per line-year; each step = lines × its per-line-year factor', () => {
    const [fixedM, mobileM] = net(a, 'MANUFACTURING');
    expectClose(fixedM?.perYear, lines * 30); // 17.045…
    expectClose(mobileM?.perYear, 500 * 0.005); // 2.5
    expectClose(net(a, 'DISTRIBUTION')[0]?.perYear, lines * 1); // 0.568…
    expectClose(net(a, 'END_OF_LIFE')[0]?.perYear, lines * 2); // 1.136…
  });
  it('use: fixed lines × 25 kWh × 0.0519; mobile 500 GB × 0.15 kWh/GB × 0.0519', () => {
    const [fixedU, mobileU] = net(a, 'USE');
    expectClose(fixedU?.perYear, lines * 25 * 0.0519); // 0.737…
    expectClose(mobileU?.perYear, 500 * 0.15 * 0.0519); // 3.8925
  });
  it('the network tier is the sum of the per-step results', () => {
    const cc = a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    const total = lines * (30 + 1 + 2) + 2.5 + lines * 25 * 0.0519 + 500 * 0.15 * 0.0519; // 25.37…
    const t = cc.perYear.byTier.NETWORK;
    expectClose(
      Object.values(t).reduce((x, y) => x + (y ?? 0), 0),
      total,
    );
  });
  it("traces are the engine's F5/F6 formulas and reproduce their values; the capacity is named", () => {
    for (const i of a.indicators.filter((x) => x.tier === 'NETWORK')) {
      const [symbolic, numbers, stated] = i.trace.formula.split(' = ');
      expectClose(evaluateFormula(symbolic!, i.trace.variables), i.perYear);
      expectClose(evaluateFormula(numbers!), i.perYear);
      expectClose(Number(stated), i.perYear);
    }
    const t = net(a, 'MANUFACTURING')[0]!.trace;
    expect(t.formula).toBe(`(q × F × τ) / L = (${lines} × 30 × 1) / 1 = ${lines * 30}`);
    expect(t.notes).toContain(
      `lines = 0.75 × 2000 GB / 2640 GB per line-year (network type fixed-line-network-1) = ${lines}`,
    );
  });
});

describe('F11 G4IT: fixed line EU in Germany (2,400 GB per line-year)', () => {
  const a = assessService(service([{ type: 'fixed-line-network-2', share: 1 }], 'Germany'), { referential });
  it('lines = 2,000 / 2,400; manufacturing lines × 30, use lines × 25 kWh × 0.4', () => {
    expectClose(net(a, 'MANUFACTURING')[0]?.perYear, (2000 / 2400) * 30); // 25
    expectClose(net(a, 'USE')[0]?.perYear, (2000 / 2400) * 25 * 0.4); // 8.333…
  });
});

describe('the ADEME per-GB figure stays the `fixed` model', () => {
  it('fixed FR: 2,000 GB × 9.26934695867389 g/GB, whole life', () => {
    const a = assessService(service([{ type: 'fixed', share: 1 }]), { referential });
    expectClose(net(a, 'WHOLE_LIFE')[0]?.perYear, (2000 * 9.26934695867389) / 1000); // 18.5387 kg
  });
});

describe('bad network codes', () => {
  it('an unknown code: SVC_UNKNOWN_NETWORK at the field, listing the accepted codes with G4IT’s', () => {
    const e = thrownIssue(() => assessService(service([{ type: 'fixed-line-network-9', share: 1 }]), { referential }));
    expect(e.code).toBe('SVC_UNKNOWN_NETWORK');
    expect(e.details).toMatchObject({ value: 'fixed-line-network-9' });
    for (const code of ['fixed', 'mobile', 'FIXED_FR', 'fixed-line-network-1', 'mobile-network-2'])
      expect(String(e.details.allowed)).toContain(code);
  });
  it('a G4IT code whose reference item is not loaded: SVC_UNKNOWN_NETWORK saying so', () => {
    const e = thrownIssue(() =>
      assessService(service([{ type: 'fixed-line-network-1', share: 1 }]), { referential: withoutG4it }),
    );
    expect(e.code).toBe('SVC_UNKNOWN_NETWORK');
    expect(String(e.details.value)).toContain('reference item is not in the referential');
  });
});
