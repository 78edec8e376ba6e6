/**
 * Every service indicator's trace reproduces its value (issue 10: traces cannot drift from their numbers): the
 * formula's arithmetic, once its unit words are dropped, evaluates to the indicator's per-year value (relative
 * 1e-9), and ends with that value. Run over services of every component kind: terminals (activeHours,
 * calendarHours, several devices, a floored life), networks (fixed, mobile, LAN), server links (inventory, energy
 * per session / per FU / per year, cloud with embodied, provider) and an ADEME preset; and the issue-14 parts: G4IT
 * terminal lines, G4IT network codes, cloud instances, dedicated and shared servers, AI inference. Traces written by
 * the engine's formulas (`symbolic = numbers = result`) are read by the engine's own evaluator, with their variables.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateFormula as evaluateEngineFormula } from '../engine/trace-eval.js';
import { readReferential } from '../referential/csv-read.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { emptyLayer } from '../referential/model.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { indicatorsFromRows } from './inventory-link.js';
import type { ServiceIndicator } from './result.js';
import type { ServiceDefinition } from './schema.js';

const pack = (await loadDefaultPack()).layer;
const rcp = mergeLayers([pack, profileLayer('rcp')]).referential;
const numecoeval = mergeLayers([pack, profileLayer('numecoeval')]).referential;
const floored = mergeLayers([
  pack,
  profileLayer('rcp'),
  {
    ...emptyLayer('user:test'),
    hypotheses: [{ code: 'dureeVieMinimale', value: 7, prov: { source: 'test', layer: 'user:test' } }],
  },
]).referential;

/**
 * The arithmetic of a formula's last `a = b` segment: unit words ("sessions", "kg CO2 eq/GB", "(LAN)") are dropped,
 * numbers and × / + ( ) kept, and the expression evaluated with the usual precedence.
 */
function evaluateFormula(formula: string): { lhs: number; rhs: number } {
  const last = formula.split(';').at(-1)!;
  const eq = last.lastIndexOf('=');
  const clean = (s: string) =>
    s
      // (a letter right after a digit is an exponent: 9.76e-7)
      .replace(/(?<![\d.])[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9 ]*(?:\/[A-Za-z]+)*/g, ' ') // unit words, with their "/GB" tails
      .replace(/\(\s*\)/g, ' ');
  return { lhs: evaluate(clean(last.slice(0, eq))), rhs: evaluate(clean(last.slice(eq + 1))) };
}

function evaluate(text: string): number {
  const tokens = text.match(/\d+(?:\.\d+)?(?:e[+-]?\d+)?|[×/+()*-]/g) ?? [];
  let i = 0;
  const primary = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') throw new Error(`unbalanced '(' in ${text}`);
      return v;
    }
    if (t === '-') return -primary();
    const v = Number(t);
    if (t === undefined || Number.isNaN(v)) throw new Error(`unexpected '${t}' in ${text}`);
    return v;
  };
  const product = (): number => {
    let v = primary();
    // Adjacent numbers (a formula's "20000 sessions × 2 Wh" keeps both) never occur without an operator.
    while (tokens[i] === '×' || tokens[i] === '*' || tokens[i] === '/')
      v = tokens[i++] === '/' ? v / primary() : v * primary();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const v = sum();
  if (i !== tokens.length) throw new Error(`trailing '${tokens.slice(i).join(' ')}' in ${text}`);
  return v;
}

const base = (over: Partial<ServiceDefinition>): ServiceDefinition => ({
  service: 'every kind',
  version: 'v1',
  kind: 'business_application',
  functionalUnit: { kind: 'unit' },
  usage: { users: 120, sessionsPerUserPerYear: 150, sessionMinutes: 25, dataPerSessionMB: 12, remoteShare: 0.4 },
  ...over,
});

const inventory = indicatorsFromRows([
  {
    kind: 'application',
    item: 'app',
    lifecycleStep: 'MANUFACTURING',
    criterion: 'CLIMATE_CHANGE',
    value: 42.5,
    status: 'OK',
  },
  { kind: 'application', item: 'app', lifecycleStep: 'USE', criterion: 'CLIMATE_CHANGE', value: 7.25, status: 'OK' },
]);

const servers: ServiceDefinition['servers'] = [
  { inventory: 'application', name: 'app', share: 0.3 },
  { energy: { whPerSession: 1.7, location: 'FR' } },
  { energy: { whPerFunctionalUnit: 0.9, pue: 1.4, location: 'DE' } },
  { energy: { kWhPerYear: 250, pue: 1.2 } },
  { cloud: { provider: 'AWS', quantity: 3, share: 0.25, kWhPerYear: 800, embodiedKgCO2e: 950, location: 'FR' } },
  {
    cloud: {
      provider: 'OVH',
      quantity: 1,
      share: 1,
      kWhPerYear: 300,
      embodiedKgCO2e: 600,
      lifespanYears: 6,
      location: 'FR',
    },
  },
  {
    provider: {
      name: 'SaaS',
      per: 'session',
      factors: [
        { criterion: 'CLIMATE_CHANGE', value: 0.0003, step: 'USE' },
        { criterion: 'CLIMATE_CHANGE', value: 0.0001 },
      ],
      quality: 'LOW',
      source: 'vendor',
    },
  },
];

const g4itLayer = (
  await readReferential([join(import.meta.dirname, '../../test/fixtures/cli/services/g4it-terminals')], {
    layerName: 'user:g4it',
  })
).layer;
const g4it = mergeLayers([pack, profileLayer('numecoeval'), g4itLayer]).referential;

const cases: [string, () => readonly ServiceIndicator[]][] = [
  [
    'G4IT terminal lines and network codes, a shared server, a cloud instance (whole and shared), AI inference',
    () =>
      assessService(
        base({
          profile: 'numecoeval',
          usage: {
            sessionsPerYear: 3000,
            dataPerSessionGB: 0.5,
            terminals: [
              { deviceType: 'laptop-g4it', country: 'FR', users: 40, hoursPerUserPerYear: 900 },
              { item: 'monitor-g4it', country: 'Germany', users: 5, hoursPerUserPerYear: 300, lifespanYears: 3 },
            ],
            network: [
              { type: 'fixed-line-network-1', share: 0.6 },
              { type: 'mobile-network-1', share: 0.4 },
            ],
          },
          servers: [
            {
              server: {
                mode: 'shared',
                size: 'S',
                kind: 'compute',
                vcpu: 4,
                quantity: 1,
                datacenter: { location: 'FR', pue: 1.3 },
              },
            },
            {
              server: {
                mode: 'dedicated',
                size: 'S',
                kind: 'storage',
                quantity: 1,
                hoursPerYear: 5000,
                datacenter: { location: 'FR', pue: 1.3 },
              },
            },
            { instance: { provider: 'aws', instanceType: 'm5.large', location: 'eu-west-3', quantity: 1, share: 1 } },
            { instance: { provider: 'aws', instanceType: 'm5.xlarge', location: 'FR', quantity: 2, share: 0.4 } },
            { ai: { sizeClass: 'small', requestsPerYear: 2500, outputTokensPerRequest: 300, location: 'FR' } },
          ],
        }),
        { referential: g4it },
      ).indicators,
  ],
  [
    'business application, activeHours, every server link',
    () => assessService(base({ servers }), { referential: rcp, inventory }).indicators,
  ],
  [
    'business application, calendarHours (numecoeval), desktop + monitor and a smartphone',
    () =>
      assessService(
        base({
          profile: 'numecoeval',
          usage: {
            users: 80,
            sessionsPerUserPerYear: 220,
            sessionHours: 1.5,
            dataPerSessionGB: 0.02,
            devices: [
              {
                share: 0.7,
                items: [
                  { item: 'ademe-desktop', quantity: 1 },
                  { item: 'ademe-monitor', quantity: 2 },
                ],
              },
              { share: 0.3, items: [{ item: 'ademe-smartphone', quantity: 1 }] },
            ],
            network: [
              { type: 'fixed', share: 0.5 },
              { type: 'mobile', share: 0.3 },
              { type: 'lan', share: 0.2 },
            ],
          },
        }),
        { referential: numecoeval },
      ).indicators,
  ],
  [
    'online procedure with back office, lives floored at 7 years',
    () =>
      assessService(
        base({
          kind: 'online_procedure',
          functionalUnit: { kind: 'user-year' },
          usage: {
            users: 5000,
            proceduresPerYear: 12_000,
            sessionsPerProcedure: 2,
            sessionMinutes: 12,
            pagesPerSession: 8,
            pageSizeMB: 2.5,
            mobileShare: 0.35,
          },
          backOffice: { minutesPerProcedure: 20, dataPerProcedureGB: 0.004 },
          servers: [{ energy: { kWhPerYear: 120 } }],
        }),
        { referential: floored },
      ).indicators,
  ],
  [
    'ADEME preset (video conference), data center replaced by an energy link',
    () =>
      assessService(
        {
          service: 'visio',
          version: '1',
          kind: 'videoconference',
          functionalUnit: { kind: 'unit' },
          volume: 1000,
          servers: [{ energy: { whPerSession: 3, pue: 1.3, location: 'FR' } }],
        },
        { referential: rcp },
      ).indicators,
  ],
];

describe('service traces evaluate to their values', () => {
  it('the evaluator reads the formula shapes of the services', () => {
    expect(evaluateFormula('(20000 sessions × 2 Wh / 1000) × 1.5 × 0.0519 = 3.114')).toEqual({
      lhs: 3.114,
      rhs: 3.114,
    });
    expect(evaluateFormula('0.5 × 200 GB × 0.00926 kg CO2 eq/GB = 0.926').lhs).toBeCloseTo(0.926, 12);
    expect(evaluateFormula('1 × 30 GB × 0 (LAN) = 0')).toEqual({ lhs: 0, rhs: 0 });
    expect(evaluateFormula('x . y = 2 gCO2e per use; 2 / 1000 × 500 = 1')).toEqual({ lhs: 1, rhs: 1 });
  });

  for (const [name, indicators] of cases) {
    it(name, () => {
      const all = indicators();
      expect(all.length).toBeGreaterThan(3);
      for (const i of all) {
        const parts = i.trace.formula.split(' = ');
        if (parts.length === 3 && !/\d/.test(parts[0]!) && !i.trace.formula.includes(';')) {
          // The engine's `symbolic = numbers = result`: both sides give the value.
          const what = `${i.component} ${i.step} ${i.criterion}: ${i.trace.formula}`;
          const symbolic = evaluateEngineFormula(parts[0]!, i.trace.variables);
          const numbers = evaluateEngineFormula(parts[1]!);
          expect(Math.abs(symbolic - i.perYear), what).toBeLessThanOrEqual(1e-9 * Math.abs(i.perYear));
          expect(Math.abs(numbers - i.perYear), what).toBeLessThanOrEqual(1e-9 * Math.abs(i.perYear));
          expect(Number(parts[2]), what).toBe(i.perYear);
          continue;
        }
        const { lhs, rhs } = evaluateFormula(i.trace.formula);
        const what = `${i.component} ${i.step} ${i.criterion}: ${i.trace.formula}`;
        expect(rhs, what).toBe(i.perYear);
        expect(Math.abs(lhs - i.perYear), what).toBeLessThanOrEqual(1e-9 * Math.abs(i.perYear));
      }
    });
  }
});
