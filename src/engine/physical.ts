/**
 * Physical equipment (methodology F1–F7), also used for non-IT items (F10) and telework boxes (F14).
 *   embodied steps: I(s,c) = q × F(s,c) × τ × s / L          (F5; L = 1 when the item is not amortised)
 *   use step:       I(USE,c) = q × E × τ × s × PUE × M(c, ℓ)  (F6, F7)
 *   electricity:    itKWh = q × E × τ × s; facilityKWh = itKWh × PUE
 * s = the item's share of the assessed period (§2.2, profile rcp; 1 in numecoeval); s = 0 → CALC_OUT_OF_PERIOD.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { Datacenter, PhysicalEquipment, Quality, SourceRef, UsageMode } from '../inventory/model.js';
import type { ElectricityFactor, ItemType, ReferenceItem, Tier } from '../referential/model.js';
import type { EngineEnv } from './env.js';
import { computeLifetime, lifetimeTrace, type LifetimeResult } from './lifetime.js';
import { periodShare, periodTrace } from './period.js';
import { resolveReferenceItem, type Resolution } from './resolution.js';
import { equipmentTier, isNetworkGear } from './tier.js';
import {
  ABSENT,
  OK,
  type EquipmentFactors,
  type IndicatorKind,
  type ItemDims,
  type ItemResult,
  type SlotFactors,
} from './result.js';
import { coefficient, EMBODIED, positionalRenderer, symbolic, USE, type FormulaOut } from './formula.js';
import { refOf, variable, type Sourced, type Trace, type TraceVariable } from './trace.js';
import { resultHostView, type HostView } from './host-view.js';
import { finiteResult } from './finite.js';
import {
  buildTemplate,
  MODE_EMBODIED,
  MODE_USE,
  MODE_WHOLE,
  type FactorVector,
  type SlotTemplate,
  type VectorCache,
} from './vectors.js';

export const NO_ERRORS: ReadonlyMap<number, Issue> = new Map();

/** An item's retained lifetime L (F2, F3) and the upstream and downstream lives F3 added to it. */
export interface RetainedLifetime {
  readonly years: number;
  readonly upstream: number;
  readonly downstream: number;
}

/** The years L an item's embodied steps are divided by (F5), when it has a lifetime and is amortised. */
const retainedYears = (lifetime: LifetimeResult, amortised: boolean): number | undefined =>
  lifetime.kind === 'value' && amortised ? lifetime.years : undefined;

/**
 * The factors of an item's formulas (EMBODIED, USE of formula.ts) but the slot's own F or M, in this order; E and L
 * are NaN when unknown (those slots are then not computed). A plain array: one small allocation per item.
 */
const FACTOR_NAMES = ['q', 'tau', 's', 'E', 'PUE', 'L'] as const;
type ItemFactors = readonly [q: number, tau: number, s: number, E: number, PUE: number, L: number];
// The hot path's multipliers, compiled once from the formulas (never written a second time).
const K_EMBODIED = coefficient(EMBODIED, FACTOR_NAMES, 'F'); // q × τ × s / L
const K_WHOLE = coefficient(EMBODIED, FACTOR_NAMES, 'F', 'L'); // q × τ × s: whole-life values are not amortised
const FACILITY_KWH = coefficient(USE, FACTOR_NAMES, 'M'); // q × E × τ × s × PUE
const IT_KWH = coefficient(USE, FACTOR_NAMES, 'PUE', 'M'); // q × E × τ × s
export const NO_WARNINGS: readonly Issue[] = [];

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
      return FULL_SHARE;
  }
}

const FULL_SHARE: Sourced = { value: 1, origin: 'DEFAULT' };
/**
 * The origin of an E read from the inventory (consoElecAnnuelle), shared by every such item: the number itself is the
 * item's factor E, which the traces write (`{ ...E, value: factors E }`); this value is never read.
 */
const INPUT_KWH: Sourced = Object.freeze({ value: NaN, origin: 'INPUT' });
const NO_PUE = { pue: { value: 1, origin: 'DEFAULT' } as Sourced, applies: false, isDefault: false };

/** §2.2: CALC_OUT_OF_PERIOD for an item whose share of the period is 0 (named, built only for such items). */
export function outOfPeriodIssue(
  name: string,
  from: string | undefined,
  to: string | undefined,
  env: EngineEnv,
): Issue {
  const { start, end } = env.period;
  return issue('CALC_OUT_OF_PERIOD', { name, start, end, from: from ?? '–', to: to ?? '–' });
}

/** F7: the PUE that applies, or 1 when the item is outside the profile's PUE scope. */
export function effectivePue(
  hosted: Datacenter | undefined,
  type: ItemType | undefined,
  env: EngineEnv,
): { pue: Sourced; applies: boolean; isDefault: boolean } {
  const isServer = type?.isServer === true;
  const applies = env.opts.pueScope === 'server-only' ? isServer : isServer || hosted !== undefined;
  if (!applies) return NO_PUE;
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
  return env.defaultPueApplied;
}

export interface EquipmentInput {
  readonly kind: IndicatorKind;
  readonly item: PhysicalEquipment;
  /** Non-IT items: the type's default item only, lifetime FIXE (F10). */
  readonly nonIt?: boolean;
  /** The trace of a quantity derived by the engine (F14 telework boxes); else q is the input's. */
  readonly quantityTrace?: TraceVariable;
}

/** What an item's (kind, type, model, manufacturer + server components) determines: resolved once per cache entry. */
interface Prepared {
  readonly resolution: Resolution;
  readonly type: ItemType | undefined;
  /** `isNetworkGear(type)`, once per cache entry. */
  readonly networkGear: boolean;
  readonly refItem: ReferenceItem | undefined;
  /** The factor vector of `refItem`. */
  readonly fv: FactorVector | undefined;
  readonly amortised: boolean;
  /** E when the inventory gives none (F6): the reference item's average consumption, else the type's default item's. */
  readonly kwh: Sourced | undefined;
  /** The resolution's warnings (empty when unresolved). */
  readonly warnings: readonly Issue[];
  readonly nonIt: boolean;
  /** Per location label: its key, mixes and slot templates by variant (a few entries, capped at `PLACES_CAP`). */
  readonly places: Map<string, Place>;
  /** The same for an item without a location. */
  readonly nowhere: Place;
}

/** An item's location as its values use it: the canonical key, the mix per criterion, the templates by variant. */
interface Place {
  readonly key: string | undefined;
  readonly mixes: readonly (ElectricityFactor | undefined)[] | undefined;
  readonly templates: (SlotTemplate | undefined)[];
}

/**
 * Location labels kept per prepared entry: fleets use a few countries; beyond the cap a label's place is built per item
 * (the templates themselves stay shared through the vector cache), so memory does not grow with the input.
 */
const PLACES_CAP = 64;

/** Per-run state of the equipment calculator: the resolution cache and factor/mix vectors. */
export class EquipmentCalculator {
  private readonly resolutions = new Map<string, Map<string, Map<string, Prepared>>>();
  private readonly nonItResolutions = new Map<string, Map<string, Map<string, Prepared>>>();
  /** Server items described by their core count alone (the usual bottom-up input), keyed by the number. */
  private readonly byCores = new Map<Map<string, Prepared>, Map<string, Map<number, Prepared>>>();
  private readonly nonItLifetimeEnv: EngineEnv['lifetimeEnv'];

  constructor(
    private readonly env: EngineEnv,
    private readonly vectors: VectorCache,
  ) {
    this.nonItLifetimeEnv = { ...env.lifetimeEnv, method: 'FIXE' };
  }

  private prepare(e: PhysicalEquipment, nonIt: boolean): Prepared {
    // Cache per (kind, type, model, manufacturer + server components) in nested maps: the resolution depends on
    // nothing else, and fleets repeat the same few hundred combinations.
    const byType = nonIt ? this.nonItResolutions : this.resolutions;
    let byModel = byType.get(e.type);
    if (byModel === undefined) byType.set(e.type, (byModel = new Map()));
    let byMaker = byModel.get(e.model ?? '');
    const disks = e.ssdCount !== undefined || e.ssdSizeGb !== undefined || e.hddCount !== undefined;
    const others = e.memoryGB !== undefined || e.diskGB !== undefined || e.cpuType !== undefined || disks;
    if (e.cores !== undefined && !others) {
      // A core count alone: keyed by the number under the manufacturer (no key string built per item).
      const byNumber = byMaker !== undefined ? this.byCores.get(byMaker)?.get(e.manufacturer ?? '') : undefined;
      const hit = byNumber?.get(e.cores);
      if (hit !== undefined) return hit;
    }
    const makerKey =
      e.cores !== undefined || others
        ? `${e.manufacturer ?? ''}\u0000${e.cores ?? ''}\u0000${e.memoryGB ?? ''}\u0000${e.diskGB ?? ''}\u0000${e.cpuType ?? ''}` +
          (disks ? `\u0000${e.ssdCount ?? ''}\u0000${e.ssdSizeGb ?? ''}\u0000${e.hddCount ?? ''}` : '')
        : (e.manufacturer ?? '');
    let p = byMaker?.get(makerKey);
    if (p === undefined) {
      p = this.resolve(e, nonIt);
      if (byMaker === undefined) byModel.set(e.model ?? '', (byMaker = new Map()));
      byMaker.set(makerKey, p);
    }
    if (e.cores !== undefined && !others) {
      let byMakerName = this.byCores.get(byMaker!);
      if (byMakerName === undefined) this.byCores.set(byMaker!, (byMakerName = new Map()));
      let byNumber = byMakerName.get(e.manufacturer ?? '');
      if (byNumber === undefined) byMakerName.set(e.manufacturer ?? '', (byNumber = new Map()));
      byNumber.set(e.cores, p);
    }
    return p;
  }

  private resolve(e: PhysicalEquipment, nonIt: boolean): Prepared {
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
        ...(e.ssdCount !== undefined ? { ssdCount: e.ssdCount } : {}),
        ...(e.ssdSizeGb !== undefined ? { ssdSizeGb: e.ssdSizeGb } : {}),
        ...(e.hddCount !== undefined ? { hddCount: e.hddCount } : {}),
      },
      type,
      this.env,
      !nonIt,
    );
    const refItem = resolution.kind === 'value' ? resolution.item : undefined;
    return {
      resolution,
      type,
      networkGear: isNetworkGear(type),
      refItem,
      fv: refItem ? this.vectors.factors(refItem) : undefined,
      amortised: refItem?.amortised ?? true,
      kwh:
        refItem?.avgKWhPerYear !== undefined
          ? { value: refItem.avgKWhPerYear, origin: 'REFERENCE' }
          : resolution.kind === 'value'
            ? resolution.typeKWh // the type's default item
            : undefined,
      warnings: resolution.kind === 'value' ? resolution.warnings : NO_WARNINGS,
      nonIt,
      places: new Map(),
      nowhere: { key: undefined, mixes: undefined, templates: [] },
    };
  }

  /** The place of a location label for a prepared entry (kept per entry up to `PLACES_CAP` labels). */
  private place(p: Prepared, label: string | undefined): Place {
    if (label === undefined) return p.nowhere;
    let place = p.places.get(label);
    if (place === undefined) {
      const key = this.env.locationKey(label);
      place = { key, mixes: this.vectors.mix(key), templates: [] };
      if (p.places.size < PLACES_CAP) p.places.set(label, place);
    }
    return place;
  }

  /** The compact view of a result of `assess` kept for the VMs and applications of a host. */
  hostView(r: ItemResult): HostView {
    return r instanceof EquipmentResult ? r.hostView() : resultHostView(r);
  }

  /** The item's lifetime (F2, F3): a non-IT item's from its own duration alone, in FIXE (F10). */
  private lifetime(e: PhysicalEquipment, type: ItemType | undefined, nonIt: boolean): LifetimeResult {
    const { env } = this;
    return computeLifetime(
      nonIt
        ? { name: e.name, ...(e.internalLifeYears !== undefined ? { internalLifeYears: e.internalLifeYears } : {}) }
        : e,
      type,
      nonIt || env.upstream.empty ? undefined : env.upstream.stats(typeKeyOf(e.type)),
      nonIt ? this.nonItLifetimeEnv : env.lifetimeEnv,
    );
  }

  /**
   * The lifetime `assess` retains for a physical item (its result's `lifetimeYears`: the years L of F5 when the item
   * is amortised, kept only when finite, §2.1) and the F3 parts it holds (upstream and downstream lives), without
   * computing its indicators: what a scenario's `lifetime` lever extends. The upstream statistics (F3) must be indexed
   * first, as for `assess`.
   */
  retainedLifetime(e: PhysicalEquipment): RetainedLifetime | undefined {
    const p = this.prepare(e, false);
    const lifetime = this.lifetime(e, p.type, false);
    const years = retainedYears(lifetime, p.amortised);
    if (years === undefined || !Number.isFinite(years) || lifetime.kind !== 'value') return undefined;
    return { years, upstream: lifetime.upstream, downstream: lifetime.downstream };
  }

  /**
   * The result of one equipment, its values finite (§2.1): the check is made as the values are computed, and only an
   * item with a value out of the float range goes through `finiteResult`.
   */
  assess(input: EquipmentInput): ItemResult {
    const { env } = this;
    const { layout } = env;
    const e = input.item;
    const nonIt = input.nonIt === true;
    const p = this.prepare(e, nonIt);
    const { type, refItem } = p;
    const hosted = e.datacenter !== undefined ? env.datacenters.get(e.datacenter) : undefined;
    const locationLabel = hosted?.location ?? e.country;
    const place = this.place(p, locationLabel);
    const q = e.quantity;
    const tau = usageShare(e.usageRate, e.usageMode, env);

    const lifetime = this.lifetime(e, type, nonIt);
    const pue = effectivePue(hosted, type, env);
    // Warnings in order: the resolution's, the lifetime's, the default PUE; an array is shared when it is the only one.
    let itemWarnings: readonly Issue[] = p.warnings;
    if (lifetime.kind === 'value' && lifetime.warnings.length)
      itemWarnings = itemWarnings.length ? [...itemWarnings, ...lifetime.warnings] : lifetime.warnings;
    if (pue.isDefault)
      itemWarnings = [...itemWarnings, issue('CALC_DEFAULT_PUE', { value: pue.pue.value, name: e.name })];

    // Electricity (F6): the inventory's value, else the reference item's average consumption.
    // E's origin is kept (the trace's), its number goes to the factors: no object per item.
    const E: Sourced | undefined = e.annualKWh !== undefined ? INPUT_KWH : p.kwh;
    const kwh = e.annualKWh !== undefined ? e.annualKWh : p.kwh !== undefined ? p.kwh.value : NaN;
    // §2.2: share of the period (rcp; non-IT items and telework boxes have no dates, so s = 1).
    const share = env.opts.periodShare ? periodShare(e.purchaseDate, e.retirementDate, env.period) : 1;
    const amortised = p.amortised;
    // The factors of this item's formulas (formula.ts EMBODIED, USE): the slot's F or M is the template's coef.
    const factors: ItemFactors = [
      q,
      tau.value,
      share,
      kwh,
      pue.pue.value,
      lifetime.kind === 'value' ? (amortised ? lifetime.years : 1) : NaN,
    ];
    const itKWh = E !== undefined ? IT_KWH(factors) : 0;
    const facilityKWh = E !== undefined ? FACILITY_KWH(factors) : 0;

    // Which slots are computed, and from which factor, depends only on (reference item, location) when the item
    // has a lifetime and a consumption: that template is shared by every such item; other items get their own.
    const lifetimeIssue = lifetime.kind === 'missing' ? lifetime.issue : undefined;
    const variant = (E !== undefined ? 1 : 0) + (lifetimeIssue === undefined ? 2 : 0);
    const template: SlotTemplate =
      place.templates[variant] ??
      (place.templates[variant] = this.template(p, place, locationLabel, variant, E, lifetimeIssue));
    // Copy of the template's row of doubles (a typed array costs ~10× more to allocate per item), 0 where a slot is
    // not computed; then one multiplier per step kind, each the item's part of its formula (the slot factor F or M
    // taken as 1), times the factor of each computed slot of that kind.
    const values = template.blank.slice();
    const { coef, embodiedSlots, useSlots, wholeSlots } = template;
    const kEmbodied = lifetime.kind === 'value' ? K_EMBODIED(factors) : 0; //  q × τ × s / L      (F5)
    const kWhole = lifetime.kind === 'value' ? K_WHOLE(factors) : 0; //        q × τ × s (L = 1)
    const kUse = facilityKWh; //                                              q × E × τ × s × PUE (F6, F7)
    for (let i = 0; i < embodiedSlots.length; i++) {
      const s = embodiedSlots[i]!;
      values[s] = coef[s]! * kEmbodied;
    }
    for (let i = 0; i < useSlots.length; i++) {
      const s = useSlots[i]!;
      values[s] = coef[s]! * kUse;
    }
    for (let i = 0; i < wholeSlots.length; i++) {
      const s = wholeSlots[i]!;
      values[s] = coef[s]! * kWhole;
    }
    // §2.1 finiteness without a test per slot: x × 0 is 0 for a finite x and NaN otherwise, and a mode's largest
    // factor times its multiplier is finite only when all its values are (the template's `maxCoef`). Only an item
    // with a value, its electricity or its lifetime out of the float range goes through `finiteResult`, which finds
    // the slots (a multiplier that is not finite for a mode without slots sends an item there too, unchanged).
    const lifetimeYears = retainedYears(lifetime, amortised);
    const { maxCoef } = template;
    const check =
      itKWh * 0 +
      facilityKWh * 0 +
      (lifetimeYears !== undefined ? lifetimeYears * 0 : 0) +
      maxCoef[MODE_EMBODIED]! * kEmbodied * 0 +
      maxCoef[MODE_USE]! * kUse * 0 +
      maxCoef[MODE_WHOLE]! * kWhole * 0;

    const tier: Tier = equipmentTier(
      refItem,
      type,
      {
        namesDatacenter: e.datacenter !== undefined,
        hosted: hosted !== undefined,
      },
      p.networkGear,
    );
    const r = new EquipmentResult(
      input.kind,
      e,
      values,
      template,
      itKWh,
      facilityKWh,
      lifetimeYears,
      type?.type ?? e.type,
      place.key,
      tier,
      itemWarnings,
      share,
      share === 0 ? outOfPeriodIssue(e.name, e.purchaseDate, e.retirementDate, env) : undefined,
      env,
      p,
      lifetime,
      tau,
      pue,
      E,
      hosted,
      locationLabel,
      place.mixes,
      factors,
      input.quantityTrace,
    );
    return check === 0 ? r : finiteResult(r, layout);
  }

  /** The slot template of (reference item or resolution error, location, variant), shared through the vector cache. */
  private template(
    p: Prepared,
    place: Place,
    locationLabel: string | undefined,
    variant: number,
    E: Sourced | undefined,
    lifetimeIssue: Issue | undefined,
  ): SlotTemplate {
    const { refItem, resolution } = p;
    const owner = refItem ?? resolution;
    return (
      this.vectors.template(owner, place.key, variant) ??
      this.vectors.storeTemplate(
        owner,
        place.key,
        variant,
        buildTemplate(this.env, this.vectors, {
          refItem,
          fv: p.fv,
          mixes: place.mixes,
          locationLabel,
          ...(resolution.kind === 'missing' ? { resolutionIssue: resolution.issue } : {}),
          ...(lifetimeIssue ? { lifetimeIssue } : {}),
          ...(E === undefined && refItem ? { electricityIssue: this.vectors.electricityError(refItem) } : {}),
        }),
      )
    );
  }
}

/**
 * The named factors of one slot of an equipment as its value used them, the numbers `explain` writes in the slot's
 * trace (F5: q, F, τ, s, L, with L = 1 for a whole-life value; F6: q, E, τ, s, PUE, M); undefined for a slot not
 * computed from them. No trace is built: steering reads these for every counted indicator (F21, F22).
 */
export function slotFactors(x: EquipmentFactors, slot: number): SlotFactors | undefined {
  const f = new Float64Array(6);
  const kind = slotFactorsInto(x.mode, x.coef, x.item, 0, slot, f);
  if (kind === 1) return { kind: 'embodied', f: { q: f[0]!, F: f[1]!, tau: f[2]!, s: f[3]!, L: f[4]! } };
  if (kind === 2) return { kind: 'use', f: { q: f[0]!, E: f[1]!, tau: f[2]!, s: f[3]!, PUE: f[4]!, M: f[5]! } };
  return undefined;
}

/**
 * `slotFactors` without an object, the one place that maps a slot's mode to its factors: the factors written into `out`
 * in the trace's order (embodied q, F, τ, s, L; use q, E, τ, s, PUE, M), and 1 (embodied or whole-life), 2 (use) or 0
 * (not computed, L or E unknown) returned. `item` holds q, τ, s, E, PUE, L from index `at` (`EquipmentFactors.item`, or
 * a compact copy of many items' factors, six numbers each).
 */
export function slotFactorsInto(
  mode: ArrayLike<number>,
  coef: ArrayLike<number>,
  item: ArrayLike<number>,
  at: number,
  slot: number,
  out: Float64Array,
): 0 | 1 | 2 {
  const m = mode[slot];
  if (m === MODE_EMBODIED || m === MODE_WHOLE) {
    const L = item[at + 5]!;
    if (Number.isNaN(L)) return 0;
    out[0] = item[at]!;
    out[1] = coef[slot]!;
    out[2] = item[at + 1]!;
    out[3] = item[at + 2]!;
    out[4] = m === MODE_WHOLE ? 1 : L;
    return 1;
  }
  if (m === MODE_USE) {
    const E = item[at + 3]!;
    if (Number.isNaN(E)) return 0;
    out[0] = item[at]!;
    out[1] = E;
    out[2] = item[at + 1]!;
    out[3] = item[at + 2]!;
    out[4] = item[at + 4]!;
    out[5] = coef[slot]!;
    return 2;
  }
  return 0;
}

/**
 * The result of one equipment; its own dimensions (`dims` is the object itself, to allocate once per item). What
 * `explain` needs to rebuild a slot's trace is held by reference in the same object (the prepared entry and the template
 * are shared; the item's own parts were made for its values anyway), so an item costs one result object.
 */
class EquipmentResult implements ItemResult, ItemDims {
  // Own data properties, as results always had them (callers copy or derive results by their own properties).
  readonly entity: string | undefined;
  readonly name: string;
  readonly quantity: number;
  readonly datacenter: string | undefined;
  readonly quality: Quality | undefined;
  readonly inTotal = true;
  readonly status: Uint8Array;
  readonly errors: ReadonlyMap<number, Issue>;

  constructor(
    readonly kind: IndicatorKind,
    private readonly e: PhysicalEquipment,
    readonly values: number[],
    /** The slot template the values were computed with (mode and factor F or M per slot, statuses, errors). */
    private readonly template: SlotTemplate,
    readonly itKWh: number,
    readonly facilityKWh: number,
    readonly lifetimeYears: number | undefined,
    readonly type: string,
    readonly country: string | undefined,
    readonly tier: Tier,
    readonly warnings: readonly Issue[],
    readonly periodShare: number,
    readonly outOfPeriod: Issue | undefined,
    private readonly env: EngineEnv,
    private readonly prepared: Prepared,
    private readonly lifetime: LifetimeResult,
    private readonly tau: Sourced,
    private readonly pue: { pue: Sourced; applies: boolean; isDefault: boolean },
    /** The origin of E (its number is the factors' E; `INPUT_KWH` for the inventory's value), undefined without E. */
    private readonly E: Sourced | undefined,
    private readonly hosted: Datacenter | undefined,
    private readonly locationLabel: string | undefined,
    private readonly mixes: readonly (ElectricityFactor | undefined)[] | undefined,
    /** The numbers the values were computed from: the trace writes these, never a second computation of them. */
    private readonly factors: ItemFactors,
    private readonly quantityTrace: TraceVariable | undefined,
  ) {
    this.name = e.name;
    this.entity = e.entity;
    this.quantity = e.quantity;
    this.datacenter = e.datacenter;
    this.quality = e.quality;
    this.status = template.status;
    this.errors = template.errors;
  }

  get dims(): ItemDims {
    return this;
  }

  get at(): SourceRef | undefined {
    return this.e.at;
  }

  /**
   * What a host's VMs and applications read of it (`HostView`), without the parsed line, the warnings and the trace
   * context: its values (the result's own array, never written after), the shared status and error template, and the
   * numbers of its formula.
   */
  hostView(): HostView {
    return new EquipmentHostView(
      this.values,
      this.status,
      this.errors,
      this.itKWh,
      this.facilityKWh,
      this.country,
      this.datacenter,
      this.periodShare,
      this.outOfPeriod,
      {
        env: this.env,
        factors: this.factors,
        quantityTrace: this.quantityTrace,
        E: this.E,
        mixes: this.mixes,
        fv: this.prepared.fv,
      },
    );
  }

  /** The numbers the values were computed from (the template's modes and F or M, the item's factors), no trace. */
  get equipmentFactors(): EquipmentFactors {
    const { resolution, fv } = this.prepared;
    return {
      item: this.factors,
      mode: this.template.mode,
      coef: this.template.coef,
      ...(resolution.kind === 'value' ? { referenceItem: resolution.item.name } : {}),
      ...(fv !== undefined ? { factors: fv.factors } : {}),
      ...(this.mixes !== undefined ? { mixes: this.mixes } : {}),
    };
  }

  /** The formula text of `explain(slot)` without the rest of the trace (same function, same numbers). */
  formula(slot: number): string {
    return this.writeFormula(slot);
  }

  /** `formula(slot)` written piece by piece to `out` (same function, same numbers; returns '' then). */
  writeFormula(slot: number, out?: FormulaOut): string {
    return equipmentFormula(
      slot,
      { env: this.env, factors: this.factors, quantityTrace: this.quantityTrace, E: this.E, fv: this.prepared.fv },
      this.status[slot]!,
      this.values[slot]!,
      this.mixes?.[slot % this.env.layout.criteria.length],
      out,
    );
  }

  explain(slot: number): Trace {
    const p = this.prepared;
    return explainEquipment(slot, {
      env: this.env,
      e: this.e,
      resolution: p.resolution,
      lifetime: this.lifetime,
      tau: this.tau,
      pue: this.pue,
      E: this.E,
      hosted: this.hosted,
      locationLabel: this.locationLabel,
      mix: this.mixes?.[slot % this.env.layout.criteria.length],
      fv: p.fv,
      warnings: this.warnings,
      status: this.status[slot]!,
      error: this.errors.get(slot),
      value: this.values[slot]!,
      amortised: p.amortised,
      nonIt: p.nonIt,
      share: this.periodShare,
      factors: this.factors,
      quantityTrace: this.quantityTrace,
    });
  }
}

/** What the formula text of any slot of an item needs (by reference: shared vectors, the item's factors). */
interface FormulaContext {
  readonly env: EngineEnv;
  readonly factors: ItemFactors;
  readonly quantityTrace: TraceVariable | undefined;
  readonly E: Sourced | undefined;
  readonly mixes: readonly (ElectricityFactor | undefined)[] | undefined;
  readonly fv: FactorVector | undefined;
}

/** A host kept for its VMs and applications (see `EquipmentResult.hostView`). */
class EquipmentHostView implements HostView {
  readonly dims: { readonly country?: string; readonly datacenter?: string };

  constructor(
    readonly values: readonly number[],
    readonly status: Uint8Array,
    readonly errors: ReadonlyMap<number, Issue>,
    readonly itKWh: number,
    readonly facilityKWh: number,
    country: string | undefined,
    datacenter: string | undefined,
    readonly periodShare: number,
    readonly outOfPeriod: Issue | undefined,
    private readonly x: FormulaContext,
  ) {
    this.dims = {
      ...(country !== undefined ? { country } : {}),
      ...(datacenter !== undefined ? { datacenter } : {}),
    };
  }

  formula(slot: number): string {
    const x = this.x;
    return equipmentFormula(
      slot,
      x,
      this.status[slot]!,
      this.values[slot]!,
      x.mixes?.[slot % x.env.layout.criteria.length],
    );
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
  share: number;
  factors: ItemFactors;
  quantityTrace: TraceVariable | undefined;
}

function explainEquipment(slot: number, x: ExplainInput): Trace {
  const { layout } = x.env;
  const step = layout.stepOf(slot);
  const criterion = layout.criterionOf(slot);
  const unit = layout.unitOf(slot);
  const [fq, fTau, fS, fE, fPue, fL] = x.factors;
  const f = {
    q: fq,
    tau: fTau,
    s: fS,
    E: Number.isNaN(fE) ? undefined : fE,
    PUE: fPue,
    L: Number.isNaN(fL) ? undefined : fL,
  };
  const q: TraceVariable = x.quantityTrace ?? { value: f.q, unit: 'item', origin: 'INPUT' };
  const tau = variable({ ...x.tau, value: f.tau }, 'share');
  const resolutionTrace = x.resolution.kind === 'value' ? x.resolution.trace : undefined;
  const ltEnv = x.nonIt ? { ...x.env.lifetimeEnv, method: 'FIXE' as const } : x.env.lifetimeEnv;
  const lt = x.lifetime.kind === 'value' ? lifetimeTrace(x.lifetime, x.e, ltEnv) : undefined;
  // §2.2: the share of the period is shown whenever the profile applies it; in the formula when it is not 1.
  const withShare = f.s !== 1;
  const s: TraceVariable = { value: f.s, unit: 'share', origin: 'DERIVED' };
  const common = {
    ...(resolutionTrace ? { resolution: resolutionTrace } : {}),
    ...(lt ? { lifetime: lt } : {}),
    ...(x.env.opts.periodShare && !x.nonIt ? { period: periodTrace(f.s, x.env.period) } : {}),
    ...(x.nonIt ? { inferred: true } : {}),
    warnings: x.warnings,
  };
  if (x.status === ABSENT) {
    return { formula: NOT_APPLICABLE, variables: {}, ...common };
  }
  if (step === 'USE') {
    const refItem = x.resolution.kind === 'value' ? x.resolution.item : undefined;
    const E =
      x.E === undefined || f.E === undefined
        ? undefined
        : x.E.origin === 'REFERENCE' && refItem
          ? variable({ ...x.E, value: f.E, ref: refOf(refItem.kwhProv ?? refItem.prov, refItem.name) }, 'kWh/yr')
          : variable({ ...x.E, value: f.E }, 'kWh/yr');
    const PUE: TraceVariable = {
      ...variable({ ...x.pue.pue, value: f.PUE }, ''),
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
    const variables: Record<string, TraceVariable> = {
      q,
      ...(E ? { E } : {}),
      tau,
      ...(withShare ? { s } : {}),
      PUE,
      ...(M ? { M } : {}),
      location: {
        value: x.locationLabel ?? '',
        unit: 'country',
        origin: 'INPUT',
        ...(x.hosted ? { ref: { key: `datacenter ${x.hosted.name}` } } : {}),
      },
    };
    return { formula: equipmentFormula(slot, x, x.status, x.value, x.mix), variables, ...common };
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
  // L as the value used it: the item's (amortised) lifetime, 1 for whole-life values (K_WHOLE) and unamortised items.
  const Lval = f.L === undefined ? undefined : step === 'WHOLE_LIFE' ? 1 : f.L;
  const L: TraceVariable | undefined =
    Lval !== undefined
      ? { value: Lval, unit: 'yr', origin: x.amortised && step !== 'WHOLE_LIFE' ? 'DERIVED' : 'DEFAULT' }
      : undefined;
  const variables: Record<string, TraceVariable> = {
    q,
    ...(F ? { F } : {}),
    tau,
    ...(withShare ? { s } : {}),
    ...(L ? { L } : {}),
  };
  return { formula: equipmentFormula(slot, x, x.status, x.value, x.mix), variables, ...common };
}

/** What the formula text of a slot needs (a part of `ExplainInput`). */
type FormulaInput = Pick<ExplainInput, 'env' | 'factors' | 'quantityTrace' | 'E' | 'fv'>;

/**
 * The formula text of a slot's trace (`symbolic = numbers = result`), from the numbers the value was computed from:
 * the trace's variables carry the same numbers (q, E, τ, s when ≠ 1, PUE, M for the use step; q, F, τ, s, L for the
 * embodied steps). `explain` writes its formula with this function, and `formula(slot)` calls it alone when an output
 * needs the text without the rest of the trace (`--format csv --long`, JSON rows' short traces). Given `out`, the
 * same text is written to it piece by piece (`writeFormula`: the long CSV's bytes) and '' is returned.
 */
function equipmentFormula(
  slot: number,
  x: FormulaInput,
  status: number,
  value: number,
  mix: ElectricityFactor | undefined,
  out?: FormulaOut,
): string {
  if (status === ABSENT) return constant(NOT_APPLICABLE, out);
  const step = x.env.layout.stepOf(slot);
  const f = x.factors;
  const fq = f[0];
  const qv = x.quantityTrace ? x.quantityTrace.value : fq;
  const q = typeof qv === 'number' ? qv : undefined;
  const s = f[2] !== 1 ? f[2] : undefined;
  if (step === 'USE') {
    const fE = f[3];
    const E = x.E === undefined || Number.isNaN(fE) ? undefined : fE;
    const M = mix?.valuePerKWh;
    return status === OK && E !== undefined && M !== undefined
      ? RENDER_USE([q, E, f[1], s, f[4], M], value, out)
      : constant(USE_NOT_COMPUTED, out);
  }
  const F = x.fv?.factors[slot]?.value;
  // L as the value used it: the item's (amortised) lifetime, 1 for whole-life values (K_WHOLE) and unamortised items.
  const fL = f[5];
  const L = Number.isNaN(fL) ? undefined : step === 'WHOLE_LIFE' ? 1 : fL;
  return status === OK && F !== undefined && L !== undefined
    ? RENDER_EMBODIED([q, F, f[1], s, L], value, out)
    : constant(EMBODIED_NOT_COMPUTED, out);
}

/** A formula text without numbers: returned, or written to `out` ('' returned then). */
function constant(text: string, out: FormulaOut | undefined): string {
  if (out === undefined) return text;
  out.text(text);
  return '';
}

/** The formulas' factors by position: those of `RENDER_USE` and `RENDER_EMBODIED` calls, in this order. */
const RENDER_USE = positionalRenderer(USE, ['q', 'E', 'tau', 's', 'PUE', 'M']);
const RENDER_EMBODIED = positionalRenderer(EMBODIED, ['q', 'F', 'tau', 's', 'L']);
const NOT_APPLICABLE = 'not applicable for this item';
const USE_NOT_COMPUTED = `${symbolic(USE)} (not computed: see error)`;
const EMBODIED_NOT_COMPUTED = `${symbolic(EMBODIED)} (not computed: see error)`;

export type { ReferenceItem };
