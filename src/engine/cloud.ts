/**
 * Cloud instances (methodology F15): the Boavizta instance model, provided through the `cloud` hook (it needs the
 * provider archetypes of the referential), gives the yearly MANUFACTURING share of the bare-metal platform and the
 * instance's yearly electricity; the use step is kWh × PUE(provider) × M(location). Embodied results are
 * MANUFACTURING only (Boavizta component data exclude distribution and end of life): those steps are not applicable.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { VirtualEquipment } from '../inventory/model.js';
import type { EngineEnv } from './env.js';
import { NO_ERRORS } from './physical.js';
import { ERROR, OK, type ItemResult } from './result.js';
import { CLOUD_EMBODIED, CLOUD_USE, coefficient, numbersOf, render, symbolic } from './formula.js';
import { refOf, type Sourced, type Trace, type TraceVariable } from './trace.js';
import type { VectorCache } from './vectors.js';

/** What the cloud model returns for one instance line (already × quantity). */
export interface CloudEstimate {
  /** MANUFACTURING per criterion for the year (criterion unit). */
  readonly embodied: Readonly<Record<string, number>>;
  /** Electricity per year before PUE, kWh. */
  readonly kWh: number;
  readonly pue: Sourced;
  /** Country or region the electricity factor is read for. */
  readonly location: string;
  /** Platform (bare-metal archetype) and the formula inputs, for the trace. */
  readonly platform: string;
  readonly details: Readonly<Record<string, number | string>>;
  readonly source: string;
}

// F15 compiled from its description (formula.ts): [E, PUE, M] by position.
const USE_NAMES = ['E', 'PUE', 'M'] as const;
const USE_VALUE = coefficient(CLOUD_USE, USE_NAMES);
const FACILITY_KWH = coefficient(CLOUD_USE, USE_NAMES, 'M');
const MANUFACTURING = coefficient(CLOUD_EMBODIED, ['I_model']);

export type CloudModel = (vm: VirtualEquipment) => CloudEstimate | { readonly error: Issue };

export function assessCloud(vm: VirtualEquipment, env: EngineEnv, vectors: VectorCache): ItemResult {
  const { layout } = env;
  const values: number[] = new Array<number>(layout.size).fill(0);
  const status: number[] = new Array<number>(layout.size).fill(0);
  const errors = new Map<number, Issue>();
  const est: CloudEstimate | { readonly error: Issue } = env.hooks.cloud
    ? env.hooks.cloud(vm)
    : { error: issue('CALC_CLOUD_PLATFORM_UNKNOWN', { instance: vm.instanceType ?? vm.name }) };
  const nc = layout.criteria.length;
  const ok = !('error' in est);
  const locationKey = ok
    ? env.locationKey(est.location)
    : vm.location !== undefined
      ? env.locationKey(vm.location)
      : undefined;
  const mixes = ok && locationKey !== undefined ? vectors.mix(locationKey) : undefined;
  const use = ok ? [est.kWh, est.pue.value, NaN] : [NaN, NaN, NaN];
  for (let s = 0; s < layout.size; s++) {
    const step = layout.stepOf(s);
    const criterion = layout.criteria[s % nc]!;
    if (!ok) {
      if (step !== 'EMBODIED' && step !== 'WHOLE_LIFE') {
        status[s] = ERROR;
        errors.set(s, est.error);
      }
      continue;
    }
    if (step === 'MANUFACTURING') {
      const v = est.embodied[criterion];
      if (v === undefined) {
        status[s] = ERROR;
        errors.set(s, issue('CALC_FACTOR_MISSING', { item: est.platform, step, criterion }));
      } else {
        values[s] = MANUFACTURING([v]);
        status[s] = OK;
      }
    } else if (step === 'USE') {
      const m = mixes?.[s % nc];
      if (m === undefined) {
        status[s] = ERROR;
        errors.set(s, vectors.mixError(est.location, s % nc));
      } else {
        use[2] = m.valuePerKWh;
        values[s] = USE_VALUE(use);
        status[s] = OK;
      }
    }
  }
  const explain = (slot: number): Trace => {
    if (!ok)
      return { formula: 'cloud instance model (F15): not computed, see error', variables: {}, warnings: [est.error] };
    const step = layout.stepOf(slot);
    const vars: Record<string, TraceVariable> = {
      instance: { value: vm.instanceType ?? '', unit: '', origin: 'INPUT' },
      provider: { value: vm.provider ?? '', unit: '', origin: 'INPUT' },
      platform: { value: est.platform, unit: '', origin: 'REFERENCE', ref: { source: est.source } },
      quantity: { value: vm.quantity ?? 1, unit: 'instance', origin: vm.quantity !== undefined ? 'INPUT' : 'DEFAULT' },
    };
    for (const [k, v] of Object.entries(est.details)) vars[k] = { value: v, unit: '', origin: 'DERIVED' };
    if (step === 'USE') {
      const m = mixes?.[slot % nc];
      const variables: Record<string, TraceVariable> = {
        ...vars,
        E: { value: est.kWh, unit: 'kWh/yr', origin: 'DERIVED' },
        PUE: { value: est.pue.value, unit: '', origin: est.pue.origin, ...(est.pue.ref ? { ref: est.pue.ref } : {}) },
        ...(m
          ? {
              M: {
                value: m.valuePerKWh,
                unit: `${layout.unitOf(slot)}/kWh`,
                origin: 'REFERENCE' as const,
                ref: refOf(m.prov),
              },
            }
          : {}),
      };
      return {
        formula: m
          ? render(CLOUD_USE, numbersOf(variables), values[slot]!)
          : `${symbolic(CLOUD_USE)} (no electricity factor)`,
        variables,
        warnings: [],
      };
    }
    // The instance model's value (already × quantity), named: the model's inputs are the other variables.
    const criterion = layout.criterionOf(slot);
    const I = est.embodied[criterion];
    const variables: Record<string, TraceVariable> = {
      ...vars,
      ...(I !== undefined
        ? {
            I_model: {
              value: I,
              unit: layout.unitOf(slot),
              origin: 'DERIVED' as const,
              ref: {
                source: `Σ components × instance/platform ratios × min(1, h / H_life) × quantity (F15); ${est.source}`,
              },
            },
          }
        : {}),
    };
    return {
      formula:
        I !== undefined && status[slot] === OK
          ? render(CLOUD_EMBODIED, numbersOf(variables), values[slot]!)
          : `${symbolic(CLOUD_EMBODIED)} (not computed: see error)`,
      variables,
      warnings: [],
    };
  };
  return {
    kind: 'virtual-equipment',
    name: vm.name,
    entity: vm.entity,
    quantity: vm.quantity ?? 1,
    values,
    status,
    errors: errors.size ? errors : NO_ERRORS,
    itKWh: ok ? est.kWh : 0,
    facilityKWh: ok ? FACILITY_KWH(use) : 0,
    dims: { tier: 'DATACENTER', country: locationKey },
    warnings: [],
    inTotal: true,
    explain,
  };
}
