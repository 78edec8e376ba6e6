/**
 * ADEME presets evaluated with publicodes (methodology §5.1): one evaluation = one use (one e-mail, one
 * videoconference…), in gCO2e, split into the five stage rules and converted to kg (§0 "Units").
 */
import { issue } from '../issues/catalogue.js';
import type { Issue } from '../issues/catalogue.js';
import { ADEME_MODEL_NAME, createAdemeEngine } from './ademe-model.js';
import type { AdemeEngine } from './ademe-model.js';
import { ADEME_PRESETS, findParameter, parameterDefault, toSituation } from './ademe-presets.js';
import type { AdemeKind, AdemePreset, AdemeStage } from './ademe-presets.js';
import type { TraceVariable } from './result.js';
import { fail, locate } from './source.js';
import type { ServiceSource } from './source.js';

export interface AdemeStageValue {
  readonly stage: AdemeStage;
  /** gCO2e per evaluation, as computed by the model. */
  readonly grams: number;
}

export interface AdemeEvaluation {
  readonly preset: AdemePreset;
  readonly totalGrams: number;
  readonly stages: readonly AdemeStageValue[];
  /** Every exposed parameter with its value (INPUT when given, DEFAULT = the ADEME rule's default). */
  readonly parameters: Readonly<Record<string, TraceVariable>>;
  readonly situation: Readonly<Record<string, string | number>>;
  readonly warnings: readonly Issue[];
  readonly notes: readonly string[];
}

/** Validate preset parameters and build the publicodes situation; unknown names or values stop with an error. */
export function presetSituation(
  kind: AdemeKind,
  parameters: Readonly<Record<string, number | string>>,
  source?: ServiceSource,
): { situation: Record<string, string | number>; given: Map<string, number | string> } {
  const preset = ADEME_PRESETS[kind];
  const situation: Record<string, string | number> = {};
  const given = new Map<string, number | string>();
  for (const [key, value] of Object.entries(parameters)) {
    const p = findParameter(preset, key);
    if (!p)
      fail(source, ['parameters', key], 'SVC_UNKNOWN_PARAMETER', {
        preset: kind,
        parameter: key,
        allowed: preset.parameters.map((x) => x.name).join(', '),
      });
    const s = toSituation(p, value);
    if ('kind' in s)
      fail(source, ['parameters', key], 'SVC_BAD_PARAMETER_VALUE', {
        preset: kind,
        parameter: key,
        value: String(value),
        allowed: s.allowed,
      });
    situation[p.rule] = s.situation;
    given.set(p.name, s.display);
  }
  return { situation, given };
}

export function evaluateAdemePreset(
  kind: AdemeKind,
  parameters: Readonly<Record<string, number | string>> = {},
  options: { engine?: AdemeEngine; source?: ServiceSource } = {},
): AdemeEvaluation {
  const preset = ADEME_PRESETS[kind];
  const { situation, given } = presetSituation(kind, parameters, options.source);
  const engine = (options.engine ?? createAdemeEngine()).shallowCopy();
  engine.setSituation(situation);
  const grams = (rule: string): number => {
    const v = engine.evaluate(rule).nodeValue;
    return typeof v === 'number' ? v : 0;
  };
  const stages = preset.stages.map((stage) => ({ stage, grams: grams(stage.rule) }));
  const totalGrams = grams(preset.namespace);
  const warnings: Issue[] = [];
  const notes: string[] = [];
  const quirk = (rule: string, text: string) => {
    warnings.push(
      issue('SVC_MODEL_QUIRK', { version: ADEME_MODEL_NAME, rule, quirk: text }, locate(options.source, [])),
    );
    notes.push(`${rule}: ${text}`);
  };
  const sum = stages.reduce((a, s) => a + s.grams, 0);
  if (Math.abs(sum - totalGrams) > 1e-9 * Math.max(1, Math.abs(totalGrams)))
    quirk(preset.namespace, `stage rules sum to ${sum} g but the total is ${totalGrams} g`);
  if (
    (kind === 'email' || kind === 'web_search') &&
    !Object.keys(situation).some((r) => r.includes('moyenne utilisation'))
  ) {
    const device = given.get('device');
    if (device === undefined || device === 'average')
      quirk(
        `${preset.namespace} . appareil . moyenne utilisation *`,
        'the default device mix sums to 101 % (reproduced as is)',
      );
  }
  if (kind === 'web_search')
    notes.push(
      `${preset.namespace} . data center . usage: the model carries an extra × 1000 (reproduced as is, §9 #18)`,
    );

  const params: Record<string, TraceVariable> = {};
  for (const p of preset.parameters) {
    const v = given.get(p.name);
    params[p.name] =
      v !== undefined
        ? { value: v, unit: p.unit ?? '', origin: 'INPUT', ref: { key: p.rule } }
        : {
            value: parameterDefault(p),
            unit: p.unit ?? '',
            origin: 'DEFAULT',
            ref: { key: p.rule, source: ADEME_MODEL_NAME },
          };
  }
  return { preset, totalGrams, stages, parameters: params, situation, warnings, notes };
}
