/**
 * Physical equipment (methodology F1–F7), also used for non-IT items (F10) and telework boxes (F14).
 *   embodied steps: I(s,c) = q × F(s,c) × τ / L          (F5; L = 1 when the item is not amortised)
 *   use step:       I(USE,c) = q × E × τ × PUE × M(c, ℓ)  (F6, F7)
 *   electricity:    itKWh = q × E × τ; facilityKWh = itKWh × PUE
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { Datacenter, PhysicalEquipment, Quality, UsageMode } from '../inventory/model.js';
import type { ElectricityFactor, ItemType, ReferenceItem, Tier } from '../referential/model.js';
import type { EngineEnv } from './env.js';
import { computeLifetime, type LifetimeResult } from './lifetime.js';
import { resolveReferenceItem, type Resolution } from './resolution.js';
import { ABSENT, ERROR, OK, type IndicatorKind, type ItemResult } from './result.js';
import { num, refOf, variable, type Sourced, type Trace, type TraceVariable } from './trace.js';
import type { FactorVector, VectorCache } from './vectors.js';

export const NO_ERRORS: ReadonlyMap<number, Issue> = new Map();

/** F4: τ = tauxUtilisation, else the hypothesis of the usage mode, else 1. */
export function usageShare(usageRate: number | undefined, mode: UsageMode | undefined, env: EngineEnv): Sourced {
  if (usageRate !== undefined) return { value: usageRate, origin: 'INPUT' };
  switch (mode) {
    case 'BYOD':
      return env.hyp.usageByod;
    case 'COPE':
      return env.hyp.usageCope;
    case 'PRO':
      return env.hyp.usagePro;
    default:
      return { value: 1, origin: 'DEFAULT' };
  }
}

/** F7: the PUE that applies, or 1 when the item is outside the profile's PUE scope. */
export function effectivePue(
  hosted: Datacenter | undefined,
  type: ItemType | undefined,
  env: EngineEnv,
): { pue: Sourced; applies: boolean; isDefault: boolean } {
  const isServer = type?.isServer === true;
  const applies = env.opts.pueScope === 'server-only' ? isServer : isServer || hosted !== undefined;
  if (!applies) return { pue: { value: 1, origin: 'DEFAULT' }, applies, isDefault: false };
  if (hosted?.pue !== undefined) {
    return {
      pue: {
        value: hosted.pue,
        origin: 'INPUT',
        ...(hosted.at ? { ref: { file: hosted.at.file, line: hosted.at.line, key: hosted.name } } : {}),
      },
      applies,
      isDefault: false,
    };
  }
  return { pue: env.hyp.defaultPue, applies, isDefault: true };
}

export interface EquipmentInput {
  readonly kind: IndicatorKind;
  readonly item: PhysicalEquipment;
  /** Non-IT items: the type's default item only, lifetime FIXE (F10). */
  readonly nonIt?: boolean;
}

interface Prepared {
  readonly resolution: Resolution;
  readonly type: ItemType | undefined;
}

/** Per-run state of the equipment calculator: the resolution cache and factor/mix vectors. */
export class EquipmentCalculator {
  private readonly resolutions = new Map<string, Prepared>();

  constructor(
    private readonly env: EngineEnv,
    private readonly vectors: VectorCache,
  ) {}

  private prepare(e: PhysicalEquipment, nonIt: boolean): Prepared {
    const hasComponents = e.cores !== undefined || e.memoryGB !== undefined || e.diskGB !== undefined;
    const key = hasComponents
      ? undefined
      : `${nonIt ? 1 : 0}\u0000${e.type}\u0000${e.model ?? ''}\u0000${e.manufacturer ?? ''}`;
    const cached = key !== undefined ? this.resolutions.get(key) : undefined;
    if (cached) return cached;
    const type = this.env.itemType(e.type);
    const resolution = resolveReferenceItem(
      {
        name: e.name,
        type: e.type,
        ...(e.model !== undefined ? { model: e.model } : {}),
        ...(e.manufacturer !== undefined ? { manufacturer: e.manufacturer } : {}),
        ...(e.cores !== undefined ? { cores: e.cores } : {}),
        ...(e.memoryGB !== undefined ? { memoryGB: e.memoryGB } : {}),
        ...(e.diskGB !== undefined ? { diskGB: e.diskGB } : {}),
        ...(e.cpuType !== undefined ? { cpuType: e.cpuType } : {}),
      },
      type,
      this.env,
      !nonIt,
    );
    const p = { resolution, type };
    if (key !== undefined) {
      // The error message names the line's equipment; cache successes only so every error names its own line.
      if (resolution.kind === 'value') this.resolutions.set(key, p);
    }
    return p;
  }

  assess(input: EquipmentInput): ItemResult {
    const { env } = this;
    const { layout } = env;
    const e = input.item;
    const nonIt = input.nonIt === true;
    const { resolution, type } = this.prepare(e, nonIt);
    const hosted = e.datacenter !== undefined ? env.datacenters.get(e.datacenter) : undefined;
    const locationLabel = hosted?.location ?? e.country;
    const locationKey = locationLabel !== undefined ? env.locationKey(locationLabel) : undefined;
    const q = e.quantity;
    const tau = usageShare(e.usageRate, e.usageMode, env);
    const warnings: Issue[] = [];
    if (resolution.kind === 'value') warnings.push(...resolution.warnings);

    const lifetime: LifetimeResult = computeLifetime(
      nonIt
        ? { name: e.name, ...(e.internalLifeYears !== undefined ? { internalLifeYears: e.internalLifeYears } : {}) }
        : e,
      type,
      nonIt ? undefined : env.upstream.stats(typeKeyOf(e.type)),
      nonIt ? { ...env.lifetimeEnv, method: 'FIXE' } : env.lifetimeEnv,
    );
    if (lifetime.kind === 'value') warnings.push(...lifetime.warnings);

    const pue = effectivePue(hosted, type, env);
    if (pue.isDefault) warnings.push(issue('CALC_DEFAULT_PUE', { value: pue.pue.value, name: e.name }));

    const values = new Float64Array(layout.size);
    const status = new Uint8Array(layout.size);
    let errors: Map<number, Issue> | undefined;
    const fail = (slot: number, i: Issue) => {
      status[slot] = ERROR;
      (errors ??= new Map()).set(slot, i);
    };

    const refItem = resolution.kind === 'value' ? resolution.item : undefined;
    const amortised = refItem?.amortised ?? true;
    const L = lifetime.kind === 'value' ? (amortised ? lifetime.years : 1) : NaN;
    const fv: FactorVector | undefined = refItem ? this.vectors.factors(refItem) : undefined;

    // Electricity (F6): the inventory's value, else the reference item's average consumption.
    let E: Sourced | undefined;
    if (e.annualKWh !== undefined) E = { value: e.annualKWh, origin: 'INPUT' };
    else if (refItem?.avgKWhPerYear !== undefined)
      E = { value: refItem.avgKWhPerYear, origin: 'REFERENCE', ref: refOf(refItem.prov, refItem.name) };
    const itKWh = E !== undefined ? q * E.value * tau.value : 0;
    const facilityKWh = itKWh * pue.pue.value;
    const mixes = locationKey !== undefined ? this.vectors.mix(locationKey) : undefined;

    const nc = layout.criteria.length;
    for (let si = 0; si < layout.steps.length; si++) {
      const step = layout.steps[si]!;
      for (let ci = 0; ci < nc; ci++) {
        const slot = si * nc + ci;
        if (resolution.kind === 'missing') {
          if (step === 'EMBODIED' || step === 'WHOLE_LIFE') continue;
          fail(slot, resolution.issue);
          continue;
        }
        if (step === 'USE') {
          if (E === undefined) {
            fail(slot, issue('CALC_ELECTRICITY_MISSING', { name: e.name, item: refItem!.name }));
            continue;
          }
          const m = mixes?.[ci];
          if (m === undefined) {
            fail(
              slot,
              issue('CALC_ELEC_FACTOR_MISSING', {
                location: locationLabel ?? '(none)',
                criterion: layout.criteria[ci]!,
              }),
            );
            continue;
          }
          values[slot] = q * E.value * tau.value * pue.pue.value * m.valuePerKWh;
          status[slot] = OK;
          continue;
        }
        const f = fv!.values[slot]!;
        if (step === 'EMBODIED' || step === 'WHOLE_LIFE') {
          // Aggregate columns: computed when the source gives only the aggregate (EMBODIED) or a whole-life value.
          if (Number.isNaN(f) || (step === 'EMBODIED' && fv!.split[ci])) continue;
        } else if (Number.isNaN(f)) {
          // Split step missing: not applicable when the source gives the criterion only as EMBODIED.
          if (!fv!.split[ci] && fv!.embodied[ci]) continue;
          fail(slot, issue('CALC_FACTOR_MISSING', { item: refItem!.name, step, criterion: layout.criteria[ci]! }));
          continue;
        }
        if (lifetime.kind === 'missing') {
          fail(slot, lifetime.issue);
          continue;
        }
        const Ls = step === 'WHOLE_LIFE' ? 1 : L;
        values[slot] = (q * f * tau.value) / Ls;
        status[slot] = OK;
      }
    }

    const tier: Tier = refItem?.tier ?? type?.tier ?? (type?.isServer || hosted ? 'DATACENTER' : 'UNASSIGNED');
    const explain = (slot: number): Trace =>
      explainEquipment(slot, {
        env,
        e,
        resolution,
        lifetime,
        tau,
        pue,
        E,
        hosted,
        locationLabel,
        mix: mixes?.[slot % nc],
        fv,
        warnings,
        status: status[slot]!,
        error: errors?.get(slot),
        value: values[slot]!,
        amortised,
        nonIt,
      });
    return {
      kind: input.kind,
      name: e.name,
      ...(e.entity !== undefined ? { entity: e.entity } : {}),
      quantity: q,
      values,
      status,
      errors: errors ?? NO_ERRORS,
      itKWh,
      facilityKWh,
      ...(lifetime.kind === 'value' && amortised ? { lifetimeYears: lifetime.years } : {}),
      dims: {
        type: type?.type ?? e.type,
        ...(locationKey !== undefined ? { country: locationKey } : {}),
        ...(e.datacenter !== undefined ? { datacenter: e.datacenter } : {}),
        tier,
        ...(e.quality !== undefined ? { quality: e.quality as Quality } : {}),
      },
      warnings,
      inTotal: true,
      explain,
    };
  }
}

export function typeKeyOf(type: string): string {
  return type.trim().toLowerCase();
}

interface ExplainInput {
  env: EngineEnv;
  e: PhysicalEquipment;
  resolution: Resolution;
  lifetime: LifetimeResult;
  tau: Sourced;
  pue: { pue: Sourced; applies: boolean; isDefault: boolean };
  E: Sourced | undefined;
  hosted: Datacenter | undefined;
  locationLabel: string | undefined;
  mix: ElectricityFactor | undefined;
  fv: FactorVector | undefined;
  warnings: readonly Issue[];
  status: number;
  error: Issue | undefined;
  value: number;
  amortised: boolean;
  nonIt: boolean;
}

function explainEquipment(slot: number, x: ExplainInput): Trace {
  const { layout } = x.env;
  const step = layout.stepOf(slot);
  const criterion = layout.criterionOf(slot);
  const unit = layout.unitOf(slot);
  const q: TraceVariable = { value: x.e.quantity, unit: 'item', origin: 'INPUT' };
  const tau = variable(x.tau, 'share');
  const resolutionTrace = x.resolution.kind === 'value' ? x.resolution.trace : undefined;
  const lifetimeTrace = x.lifetime.kind === 'value' ? x.lifetime.trace : undefined;
  const common = {
    ...(resolutionTrace ? { resolution: resolutionTrace } : {}),
    ...(lifetimeTrace ? { lifetime: lifetimeTrace } : {}),
    ...(x.nonIt ? { inferred: true } : {}),
    warnings: x.warnings,
  };
  if (x.status === ABSENT) {
    return { formula: 'not applicable for this item', variables: {}, ...common };
  }
  if (step === 'USE') {
    const E = x.E ? variable(x.E, 'kWh/yr') : undefined;
    const pue = {
      ...variable(x.pue.pue, ''),
      ...(x.pue.applies ? {} : { note: 'PUE outside the profile scope (F7)' }),
    };
    const M: TraceVariable | undefined = x.mix
      ? {
          value: x.mix.valuePerKWh,
          unit: `${unit}/kWh`,
          origin: 'REFERENCE',
          ref: refOf(x.mix.prov, `${x.mix.locationLabel}|${criterion}`),
        }
      : undefined;
    const formula =
      x.status === OK && E && M
        ? `q × E × τ × PUE × M = ${num(x.e.quantity)} × ${num(E.value as number)} × ${num(x.tau.value)} × ${num(x.pue.pue.value)} × ${num(M.value as number)} = ${num(x.value)}`
        : 'q × E × τ × PUE × M (not computed: see error)';
    return {
      formula,
      variables: {
        q,
        ...(E ? { E } : {}),
        tau,
        PUE: pue as TraceVariable,
        ...(M ? { M } : {}),
        location: {
          value: x.locationLabel ?? '',
          unit: 'country',
          origin: 'INPUT',
          ...(x.hosted ? { ref: { key: `datacenter ${x.hosted.name}` } } : {}),
        },
      },
      ...common,
    };
  }
  const factor = x.fv?.factors[slot];
  const F: TraceVariable | undefined = factor
    ? {
        value: factor.value,
        unit: `${unit}/item`,
        origin: 'REFERENCE',
        ref: refOf(factor.prov, `${x.resolution.kind === 'value' ? x.resolution.item.name : ''}|${step}|${criterion}`),
      }
    : undefined;
  const Lval = x.lifetime.kind === 'value' ? (x.amortised && step !== 'WHOLE_LIFE' ? x.lifetime.years : 1) : undefined;
  const L: TraceVariable | undefined =
    Lval !== undefined ? { value: Lval, unit: 'yr', origin: x.amortised ? 'DERIVED' : 'DEFAULT' } : undefined;
  const formula =
    x.status === OK && F && L
      ? `(q × F × τ) / L = (${num(x.e.quantity)} × ${num(F.value as number)} × ${num(x.tau.value)}) / ${num(L.value as number)} = ${num(x.value)}`
      : '(q × F × τ) / L (not computed: see error)';
  return { formula, variables: { q, ...(F ? { F } : {}), tau, ...(L ? { L } : {}) }, ...common };
}

export type { ReferenceItem };
