/**
 * ADEME presets (methodology §5.1) evaluated with the pinned publicodes model: check cases C-12, C-14, C-15, C-16
 * (§7) and the published variants, the stage → tier × step mapping (§1.5), the g → kg conversion and the
 * plausibility band of Obringer et al. (2021).
 */
import { describe, expect, it } from 'vitest';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { evaluateAdemePreset } from './ademe.js';
import { ADEME_MODEL_NAME, ADEME_MODEL_VERSION, createAdemeEngine } from './ademe-model.js';
import { ADEME_PRESETS } from './ademe-presets.js';
import type { AdemeKind } from './ademe-presets.js';
import type { ServiceDefinition } from './schema.js';

const engine = createAdemeEngine();
const { referential } = mergeLayers([(await loadDefaultPack()).layer, profileLayer('rcp')]);
const rel = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const grams = (kind: AdemeKind, parameters: Record<string, number | string> = {}) =>
  evaluateAdemePreset(kind, parameters, { engine });
const stage = (kind: AdemeKind, id: number, parameters: Record<string, number | string> = {}) =>
  grams(kind, parameters).stages.find((s) => s.stage.id === id)?.grams ?? 0;

const preset = (kind: AdemeKind, parameters: Record<string, number | string> = {}, volume = 1): ServiceDefinition => ({
  service: `test ${kind}`,
  version: '1',
  kind,
  functionalUnit: { kind: 'unit' },
  volume,
  parameters,
});

describe('ADEME model version', () => {
  it('is the pinned 2.1.0', () => {
    expect(ADEME_MODEL_VERSION).toBe('2.1.0');
    expect(ADEME_MODEL_NAME).toBe('@incubateur-ademe/publicodes-acv-numerique@2.1.0');
  });
});

describe('C-12 videoconference (visio 1 h, 2 laptops, SD, fixe FR)', () => {
  it('reproduces the total and the five stages to rel 1e-5', () => {
    const e = grams('videoconference');
    expect(rel(e.totalGrams, 83.64794)).toBeLessThan(1e-5);
    const expected: Record<number, number> = { 13: 67.61279, 14: 2.7507, 15: 12.97709, 16: 0.23664, 17: 0.07074 };
    // stage figures are published to 5 decimals: half a unit of the last digit (§7 tolerances)
    for (const [id, g] of Object.entries(expected))
      expect(Math.abs(stage('videoconference', Number(id)) - g)).toBeLessThanOrEqual(5e-6);
  });
  it('reproduces the published variants', () => {
    expect(rel(grams('videoconference', { quality: 'audio' }).totalGrams, 73.65821)).toBeLessThan(1e-5);
    expect(rel(grams('videoconference', { quality: 'HD' }).totalGrams, 126.51936)).toBeLessThan(1e-5);
    // §5.1 variants: 1 laptop HD fixe FR 63.530, same on fixe EU 128.146, 5 devices HD 315.489 (published to 3 decimals)
    const one = { quality: 'HD', devices: 1, device: 'laptop' };
    expect(Math.abs(grams('videoconference', one).totalGrams - 63.53)).toBeLessThan(5e-4);
    expect(Math.abs(grams('videoconference', { ...one, network: 'fixed-EU' }).totalGrams - 128.146)).toBeLessThan(5e-4);
    expect(Math.abs(grams('videoconference', { quality: 'HD', devices: 5 }).totalGrams - 315.489)).toBeLessThan(5e-4);
  });
  it('accepts ADEME rule names as parameter names and French values', () => {
    const a = grams('videoconference', { 'visio . qualité': 'HD' }).totalGrams;
    const b = grams('videoconference', { qualité: 'HD' }).totalGrams;
    expect(a).toBe(grams('videoconference', { quality: 'HD' }).totalGrams);
    expect(b).toBe(a);
    expect(grams('videoconference', { network: 'fixe EU' }).totalGrams).toBe(
      grams('videoconference', { network: 'FIXED_EU' }).totalGrams,
    );
  });
  it('splits into tiers × steps (13 → TERMINAL/EMBODIED … 17 → DATACENTER/USE), in kg, with rule citations', () => {
    const a = assessService(preset('videoconference', {}, 1000), { referential, ademeEngine: engine });
    const cc = a.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(a.criteria).toHaveLength(1);
    // per FU = one visio, kg: 67.61279 g → 0.06761279 kg etc.
    expect(rel(cc.perFunctionalUnit.byTier.TERMINAL.EMBODIED!, 0.06761279)).toBeLessThan(1e-5);
    expect(rel(cc.perFunctionalUnit.byTier.TERMINAL.USE!, 0.0027507)).toBeLessThan(1e-5);
    expect(rel(cc.perFunctionalUnit.byTier.NETWORK.WHOLE_LIFE!, 0.01297709)).toBeLessThan(1e-5);
    expect(Math.abs(cc.perFunctionalUnit.byTier.DATACENTER.EMBODIED! - 0.00023664)).toBeLessThanOrEqual(5e-9);
    expect(Math.abs(cc.perFunctionalUnit.byTier.DATACENTER.USE! - 0.00007074)).toBeLessThanOrEqual(5e-9);
    // per year = per FU × volume 1000: 83.64794 g × 1000 / 1000 = 83.64794 kg
    expect(rel(cc.perYear.total, 83.64794)).toBeLessThan(1e-5);
    expect(a.functionalUnit.perYear).toBe(1000);
    const ind = a.indicators.find((i) => i.trace.stage === 15)!;
    expect(ind.trace.rules).toEqual(['visio', 'visio . transmission']);
    expect(ind.trace.model).toBe('@incubateur-ademe/publicodes-acv-numerique@2.1.0');
    expect(ind.tier).toBe('NETWORK');
    expect(ind.step).toBe('WHOLE_LIFE');
    expect(ind.trace.variables['quality']).toMatchObject({ origin: 'DEFAULT', value: "'SD'" });
  });
});

describe('C-14 e-mail (1 Mo, 1 recipient, 10 years of storage)', () => {
  it('reproduces total, terminals, network and datacenter to rel 1e-5', () => {
    const e = grams('email');
    expect(rel(e.totalGrams, 2.92204)).toBeLessThan(1e-5);
    expect(rel(stage('email', 13) + stage('email', 14), 1.84363)).toBeLessThan(1e-5);
    expect(Math.abs(stage('email', 15) - 0.03581)).toBeLessThanOrEqual(5e-6);
    expect(rel(stage('email', 16) + stage('email', 17), 1.0426)).toBeLessThan(1e-5);
  });
  it('reproduces the 0.1 Mo variant and flags the 101 % device mix', () => {
    expect(rel(grams('email', { sizeMB: 0.1 }).totalGrams, 1.96305)).toBeLessThan(1e-5);
    expect(grams('email').warnings.map((w) => w.code)).toContain('SVC_MODEL_QUIRK');
  });
  it('stores the result in kg per e-mail', () => {
    const a = assessService(preset('email', {}, 1_000_000), { referential, ademeEngine: engine });
    expect(rel(a.criteria[0]!.perFunctionalUnit.total, 0.00292204)).toBeLessThan(1e-5);
    // 2.92204 g × 10⁶ e-mails = 2922.04 kg
    expect(rel(a.criteria[0]!.perYear.total, 2922.04)).toBeLessThan(1e-5);
  });
});

describe('C-15 streaming (1 h HD, default mix)', () => {
  it('reproduces total, terminals, network, datacenter and the SD variant', () => {
    expect(rel(grams('streaming').totalGrams, 67.81534)).toBeLessThan(1e-5);
    expect(rel(stage('streaming', 13) + stage('streaming', 14), 39.4675)).toBeLessThan(1e-5);
    expect(rel(stage('streaming', 15), 27.80804)).toBeLessThan(1e-5);
    expect(Math.abs(stage('streaming', 16) + stage('streaming', 17) - 0.5398)).toBeLessThanOrEqual(5e-6);
    expect(rel(grams('streaming', { quality: 'SD' }).totalGrams, 46.26342)).toBeLessThan(1e-5);
  });
});

describe('file transfer and web search (§5.1 published default results)', () => {
  it('download 1 Go = 9.49495 g, no terminals', () => {
    const e = grams('file_transfer');
    expect(rel(e.totalGrams, 9.49495)).toBeLessThan(1e-5);
    expect(e.stages.map((s) => s.stage.id)).toEqual([15, 16, 17]);
  });
  it('web search = 1.08298 g', () => {
    expect(rel(grams('web_search').totalGrams, 1.08298)).toBeLessThan(1e-5);
    expect(rel(stage('web_search', 13), 1.00586)).toBeLessThan(1e-5);
  });
});

describe('C-16 network per GB', () => {
  const expected: Record<string, number> = {
    'fixe FR': 9.26934695867389,
    'fixe FR hors box': 2.59,
    'mobile FR': 24.6836791969497,
    'fixe EU': 30.8081869990301,
    'fixe EU hors box': 14.4,
    'mobile EU': 96.0097311973246,
  };
  it('the publicodes rules give the six factors to rel 1e-9', () => {
    for (const [name, g] of Object.entries(expected)) {
      const v = engine.evaluate(`transmission par défaut . facteur réseau ${name}`).nodeValue as number;
      expect(rel(v, g)).toBeLessThan(1e-9);
    }
  });
  it('the default pack carries the same values (kg/GB, step WHOLE_LIFE), for the generic model', () => {
    const codes: Record<string, string> = {
      FIXED_FR: 'fixe FR',
      FIXED_FR_NO_BOX: 'fixe FR hors box',
      MOBILE_FR: 'mobile FR',
      FIXED_EU: 'fixe EU',
      FIXED_EU_NO_BOX: 'fixe EU hors box',
      MOBILE_EU: 'mobile EU',
    };
    for (const [code, name] of Object.entries(codes)) {
      const item = referential.items.get(code)!;
      expect(item.unit).toBe('GB');
      // g/GB = kg/GB × 1000
      expect(rel(item.factors.get('WHOLE_LIFE|CLIMATE_CHANGE')!.value * 1000, expected[name]!)).toBeLessThan(1e-9);
    }
  });
  it('a 1 Go file on fixe FR has a network stage of exactly the factor', () => {
    expect(rel(stage('file_transfer', 15), 9.26934695867389)).toBeLessThan(1e-9);
  });
});

describe('plausibility: videoconference per hour on the French mix (Obringer et al., 2021: 150–1,000 gCO2e/h)', () => {
  it('falls below the upper bound for every quality, 1 to 5 devices; SD with 2 devices is below the band', () => {
    for (const quality of ['audio', 'SD', 'HD', 'ultra-HD'])
      for (const devices of [1, 2, 5]) {
        const perDeviceHour = grams('videoconference', { quality, devices, durationMinutes: 60 }).totalGrams / devices;
        expect(perDeviceHour).toBeLessThan(1000);
      }
    expect(grams('videoconference').totalGrams).toBeLessThan(150);
  });
});

describe('preset registry', () => {
  it('every preset stage rule and parameter rule exists in the model', () => {
    for (const p of Object.values(ADEME_PRESETS)) {
      for (const s of p.stages) expect(engine.getRule(s.rule)).toBeDefined();
      for (const q of p.parameters) expect(engine.getRule(q.rule)).toBeDefined();
    }
  });
});
