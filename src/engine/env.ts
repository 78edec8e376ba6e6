/**
 * The prepared run: referential lookups, hypotheses and indexes shared by every item of one assessment. Built once
 * per run; holds per-run caches only (no module-level state). Pure: no I/O.
 */
import { issue } from '../issues/catalogue.js';
import { foldKey, LIFECYCLE_STEPS, type StepCode } from '../referential/codes.js';
import { normaliseLocation } from '../referential/countries.js';
import type { Datacenter } from '../inventory/model.js';
import type { ElectricityFactor, ItemType, ReferenceItem, Referential } from '../referential/model.js';
import { profileOptions, type ProfileOptions, type RunContext } from './context.js';
import { isoDay } from './dates.js';
import { resolveHypotheses, type EngineHypotheses } from './hypotheses.js';
import type { Sourced } from './trace.js';
import type { CloudModel } from './cloud.js';
import { Layout } from './layout.js';
import { resolvePeriod, type Period } from './period.js';
import { UpstreamIndex, type LifetimeEnv } from './lifetime.js';

/** F1 rules 2–3 (`MODEL`, `MODEL_FUZZY`): provided by the referential's matcher (exact and fuzzy name matching). */
export interface ModelMatcher {
  /** Best candidate at or above the threshold, or undefined. */
  match(
    model: string,
    typeName?: string,
  ): { item: string; score: number; via?: 'MATCHING' | 'MODEL' | 'MODEL_FUZZY' } | undefined;
  /** Best candidate whatever its score (for the fallback warning). */
  best(model: string, typeName?: string): { item: string; score: number } | undefined;
}

/** F16 bottom-up: a synthetic reference item for a server described by its components, or undefined. */
export type BottomUpModel = (item: {
  name: string;
  cores?: number;
  memoryGB?: number;
  diskGB?: number;
  cpuType?: string;
  /** F16 optional disk columns `nbSsd`, `tailleSsd`, `nbHdd`. */
  ssdCount?: number;
  ssdSizeGb?: number;
  hddCount?: number;
}) => ReferenceItem | undefined;

export interface EngineHooks {
  readonly matcher?: ModelMatcher;
  readonly bottomUp?: BottomUpModel;
  /** F15: the Boavizta cloud instance model (needs the provider archetypes of the referential). */
  readonly cloud?: CloudModel;
}

export class EngineEnv {
  readonly layout: Layout;
  readonly hyp: EngineHypotheses;
  readonly opts: ProfileOptions;
  readonly lifetimeEnv: LifetimeEnv;
  /** The assessed period (§2.2); shares apply only when `opts.periodShare` (profile rcp). */
  readonly period: Period;
  readonly datacenters = new Map<string, Datacenter>();
  readonly upstream = new UpstreamIndex();
  /**
   * A row of doubles to copy for each item's values: -0 keeps V8's array of unboxed doubles (a 0 would start as small
   * integers); every slot is overwritten by the calculation, so no -0 reaches a result.
   */
  readonly zeroRow: number[];
  /** F7 result when the default PUE applies (shared by every such item). */
  readonly defaultPueApplied: { pue: Sourced; applies: boolean; isDefault: boolean };
  private readonly typeCache = new Map<string, ItemType | null>();
  private readonly locationCache = new Map<string, string | null>();
  private readonly matchingByFold: Map<string, string>;
  private readonly itemByFold: Map<string, string>;

  constructor(
    readonly ref: Referential,
    readonly ctx: RunContext,
    readonly hooks: EngineHooks = {},
  ) {
    this.hyp = resolveHypotheses(ref, ctx.profile);
    this.opts = profileOptions(ctx.profile);
    this.defaultPueApplied = { pue: this.hyp.defaultPue, applies: true, isDefault: true };
    this.layout = new Layout(stepsOf(ref, ctx), ctx.criteria, ref);
    this.zeroRow = new Array<number>(this.layout.size).fill(-0);
    const referenceDay = isoDay(ctx.referenceDate);
    if (Number.isNaN(referenceDay))
      throw new Error(`invalid reference date '${ctx.referenceDate}' (expected yyyy-MM-dd)`);
    this.period = resolvePeriod(ctx.referenceDate, ctx.period);
    this.lifetimeEnv = {
      method: ctx.lifetimeMethod,
      profile: this.opts,
      referenceDate: ctx.referenceDate,
      referenceDay,
      hypotheses: this.hyp,
      refurbishedRule: ctx.refurbishedRule ?? 'category',
      day: isoDay,
      undeterminedLifetime: issue('CALC_LIFESPAN_UNDETERMINED'),
    };
    this.matchingByFold = new Map();
    for (const [model, m] of ref.matchings)
      if (!this.matchingByFold.has(foldKey(model))) this.matchingByFold.set(foldKey(model), m.refItemTarget);
    this.itemByFold = new Map();
    for (const name of ref.items.keys()) {
      const k = foldKey(name);
      if (!this.itemByFold.has(k)) this.itemByFold.set(k, name);
    }
  }

  addDatacenter(dc: Datacenter): void {
    if (!this.datacenters.has(dc.name)) this.datacenters.set(dc.name, dc);
  }

  itemType(type: string): ItemType | undefined {
    let t = this.typeCache.get(type);
    if (t === undefined) {
      t = this.ref.itemTypes.get(foldKey(type)) ?? null;
      this.typeCache.set(type, t);
    }
    return t ?? undefined;
  }

  /** Canonical location key (ISO alpha-2, EU, WORLD) or the folded name when the country is unknown. */
  locationKey(location: string): string {
    let k = this.locationCache.get(location);
    if (k === undefined) {
      k = normaliseLocation(location)?.key ?? foldKey(location);
      this.locationCache.set(location, k);
    }
    return k ?? foldKey(location);
  }

  mix(locationKey: string, criterion: string): ElectricityFactor | undefined {
    return this.ref.electricity.get(locationKey)?.get(criterion);
  }

  /** F1 rule 1: matching table (exact `modelSource`, then case/accent-insensitive). */
  matching(model: string): string | undefined {
    return this.ref.matchings.get(model)?.refItemTarget ?? this.matchingByFold.get(foldKey(model));
  }

  /** F1 rule 2: a reference item whose normalised name equals the model, a leading manufacturer optional. */
  itemNamed(model: string, manufacturer?: string): string | undefined {
    const k = foldKey(model);
    const direct = this.itemByFold.get(k);
    if (direct !== undefined) return direct;
    if (manufacturer) {
      const withMaker = this.itemByFold.get(foldKey(`${manufacturer} ${model}`));
      if (withMaker !== undefined) return withMaker;
    }
    const sp = k.indexOf(' ');
    return sp > 0 ? this.itemByFold.get(k.slice(sp + 1)) : undefined;
  }

  knownTypeNames(limit = 40): string[] {
    const names = new Set<string>();
    for (const t of this.ref.itemTypes.values()) names.add(t.type);
    return [...names].sort().slice(0, limit);
  }
}

/**
 * Steps of the run: the requested canonical steps, plus the aggregate columns EMBODIED / WHOLE_LIFE when the
 * referential holds factors under them (§1.2: reported as separate columns, never re-attributed).
 */
function stepsOf(ref: Referential, ctx: RunContext): StepCode[] {
  const steps: StepCode[] = LIFECYCLE_STEPS.filter((s) => ctx.steps.includes(s));
  let embodied = false;
  let whole = false;
  for (const item of ref.items.values()) {
    for (const k of item.factors.keys()) {
      if (k.startsWith('EMBODIED|')) embodied = true;
      else if (k.startsWith('WHOLE_LIFE|')) whole = true;
    }
    if (embodied && whole) break;
  }
  const wantsEmbodied = ctx.steps.some((s) => s !== 'USE');
  if (embodied && wantsEmbodied) steps.push('EMBODIED');
  if (whole || ref.messaging.size > 0 || ctx.messagingVolumeUnit !== undefined) steps.push('WHOLE_LIFE');
  return steps;
}
