/**
 * Use case: uncertainty ranges (methodology F21) of a campaign's totals and of a change between two assessments. The
 * per-factor sums are built from the engine's own indicators (the counted ones, with their traces, as
 * `countedIndicators` gives them to the decomposition) and handed to the steering core (`uncertaintyRange`,
 * `deltaUncertaintyRange`), which draws the shared multipliers.
 *
 * Which factor an indicator uses, read from its trace (docs/steering.md "Uncertainty"):
 * - use step with an electricity factor `M`: the mix of its location for the criterion (`elec:<location|criterion>`),
 *   relative uncertainty 0.1;
 * - a step with an equipment factor `F`: the reference item's factor for the step and criterion
 *   (`item:<item>|<step>|<criterion>`), 0.5 for a per-GB (network) factor, 0.2 for a factor of a user layer, else 0.3
 *   (ADEME devices, product footprints, bottom-up servers: F21's default; product footprints' own `gwp_error_ratio`
 *   and the archetypes' triangular min/max are not carried by the referential yet);
 * - anything else (cloud instances, messaging, non-IT, telework…): one factor per kind, step and criterion, 0.3.
 * Activity: each item's value for the criterion, by its `qualite` (HAUTE 0.05, MOYENNE or absent 0.2, BASSE 0.5).
 * Seed: the referential's content hash, so a run is reproducible.
 */
import type { IndicatorRow } from '../../engine/index.js';
import type { Layout } from '../../engine/layout.js';
import type { EquipmentFactors, ItemResult } from '../../engine/result.js';
import { MODE_EMBODIED, MODE_USE, MODE_WHOLE } from '../../engine/vectors.js';
import type { Counted } from './counted.js';
import { OK } from '../../engine/result.js';
import {
  DEFAULT_DRAWS,
  DEFAULT_RELATIVE_UNCERTAINTY as U,
  QUALITY_UNCERTAINTY,
  deltaUncertaintyRange,
  uncertaintyRange,
  type ActivityClass,
  type DeltaUncertaintyInput,
  type UncertaintyRange,
} from '../../steering/uncertainty.js';

export interface CriterionRange {
  readonly criterion: string;
  readonly unit: string;
  readonly range: UncertaintyRange;
}

interface Factor {
  readonly id: string;
  readonly u: number;
}

/** The factor an indicator's value is proportional to, and its relative uncertainty (see above). */
export function factorOf(
  row: Pick<IndicatorRow, 'trace' | 'lifecycleStep' | 'criterion' | 'item'>,
  kind: string,
): Factor {
  const v = row.trace?.variables;
  const M = v?.['M'];
  if (row.lifecycleStep === 'USE' && M !== undefined && typeof M.value === 'number') {
    return { id: `elec:${M.ref?.key ?? `${String(v?.['location']?.value ?? '')}|${row.criterion}`}`, u: U.electricity };
  }
  const F = v?.['F'];
  if (F !== undefined && typeof F.value === 'number') {
    const u = F.unit.endsWith('/GB')
      ? U.networkPerGb
      : F.ref?.layer?.startsWith('user:') === true
        ? U.userLoaded
        : U.ademeDevice;
    // The factor's key in the referential is `<item>|<step>|<criterion>`.
    return { id: `item:${F.ref?.key ?? `${row.item}|${row.lifecycleStep}|${row.criterion}`}`, u };
  }
  return { id: `other:${kind}:${row.lifecycleStep}:${row.criterion}`, u: U.productFootprint };
}

/**
 * `factorOf` for an equipment's slot, from the numbers of its computation instead of its trace (the same ids: the
 * trace's M is the location's mix, keyed `<location>|<criterion>`; its F the reference item's factor, keyed
 * `<item>|<step>|<criterion>`, with a unit per item); undefined when the slot has neither (its trace then decides).
 */
function equipmentFactorOf(x: EquipmentFactors, slot: number, layout: Layout): Factor | undefined {
  const m = x.mode[slot];
  const step = layout.stepOf(slot);
  const criterion = layout.criterionOf(slot);
  if (m === MODE_USE) {
    const mix = x.mixes?.[slot % layout.criteria.length];
    return step === 'USE' && mix !== undefined
      ? { id: `elec:${mix.locationLabel}|${criterion}`, u: U.electricity }
      : undefined;
  }
  if (m === MODE_EMBODIED || m === MODE_WHOLE) {
    const f = x.factors?.[slot];
    if (f === undefined) return undefined;
    const u = f.prov.layer.startsWith('user:') ? U.userLoaded : U.ademeDevice;
    return { id: `item:${x.referenceItem ?? ''}|${step}|${criterion}`, u };
  }
  return undefined;
}

/**
 * `equipmentFactorOf` remembered per slot of a reference item's factor vector (the same for every item of that
 * reference item) and per criterion of a location's mixes: a fleet has a few hundred of each, not one per indicator.
 * Local to one `sumsOf` call.
 */
export class FactorIds {
  private readonly embodied = new Map<object, Map<string, (Factor | undefined)[]>>();
  private readonly use = new Map<object, (Factor | undefined)[]>();
  constructor(private readonly layout: Layout) {}
  of(x: EquipmentFactors, slot: number): Factor | undefined {
    return this.ofItem(this.item(x), x, slot);
  }

  /**
   * The factor caches of an equipment's slots (of its use mixes, of its embodied factors and reference item): looked
   * up once per item, for `ofItem` on each of its slots.
   */
  item(x: EquipmentFactors): ItemFactorCaches {
    let use: (Factor | undefined)[] | undefined;
    let embodied: (Factor | undefined)[] | undefined;
    if (x.mixes !== undefined) {
      use = this.use.get(x.mixes);
      if (use === undefined) this.use.set(x.mixes, (use = []));
    }
    if (x.factors !== undefined) {
      let byItem = this.embodied.get(x.factors);
      if (byItem === undefined) this.embodied.set(x.factors, (byItem = new Map()));
      const name = x.referenceItem ?? '';
      embodied = byItem.get(name);
      if (embodied === undefined) byItem.set(name, (embodied = []));
    }
    return { use, embodied };
  }

  /**
   * Which of an item's caches holds slot `slot`'s factor, by the slot's mode: `use` for the use step, `embodied` for
   * the embodied and whole-life steps, none otherwise. Generic, so that a caller keeping something of its own per
   * cache (`CompactBuilder`: each slot's F21 sum) follows the same choice.
   */
  static cacheOf<T>(
    caches: { readonly use: T | undefined; readonly embodied: T | undefined },
    x: EquipmentFactors,
    slot: number,
  ): T | undefined {
    const m = x.mode[slot];
    if (m === MODE_USE) return caches.use;
    if (m === MODE_EMBODIED || m === MODE_WHOLE) return caches.embodied;
    return undefined;
  }

  /** `of(x, slot)` with the caches of `x` (`item(x)`). */
  ofItem(caches: ItemFactorCaches, x: EquipmentFactors, slot: number): Factor | undefined {
    const cached = FactorIds.cacheOf(caches, x, slot);
    if (cached === undefined) return undefined;
    const hit = cached[slot];
    if (hit !== undefined) return hit;
    const f = equipmentFactorOf(x, slot, this.layout);
    cached[slot] = f;
    return f;
  }
}

/** An equipment's factor caches (see `FactorIds.item`). */
export interface ItemFactorCaches {
  readonly use: (Factor | undefined)[] | undefined;
  readonly embodied: (Factor | undefined)[] | undefined;
}

const QUALITY_U: Readonly<Record<string, number>> = {
  HIGH: QUALITY_UNCERTAINTY.HAUTE,
  MEDIUM: QUALITY_UNCERTAINTY.MOYENNE,
  LOW: QUALITY_UNCERTAINTY.BASSE,
};
export const qualityOf = (r: ItemResult): string => r.dims.quality ?? 'MEDIUM';

/** Key of an item's indicators: kind, name and its host (as the decomposition matches them). */
const itemKey = (r: ItemResult) =>
  [r.kind, r.name, r.physicalEquipment ?? '', r.virtualEquipment ?? '', r.dims.environment ?? ''].join('\u0000');

/** 1 when the item is on its type's default item (its model matched no reference item), else 0. */
const onDefault = (r: ItemResult): number => (r.warnings.some((w) => w.code === 'CALC_MODEL_FALLBACK') ? 1 : 0);

/**
 * A factor of a criterion's range: S_f, its u, the indicators using it (one per item: a factor id names its step and
 * criterion) and how many of them are on their type's default item (CALC_MODEL_FALLBACK), for the server's fixes.
 */
export interface FactorSums {
  sum: number;
  u: number;
  items: number;
  onDefaultItem: number;
}

/** An activity class of a criterion's range: Σ v² over its items (v: an item's value), their count and Σ v. */
export interface ClassSums {
  sumOfSquares: number;
  items: number;
  value: number;
}

/** The inputs of one criterion's range (F21). */
export interface CriterionSums {
  readonly unit: string;
  /** Factor id → its sums, in the order the factors were first met. */
  readonly factors: Map<string, FactorSums>;
  /** Quality (`HIGH`, `MEDIUM`, `LOW`) → its class, in the order the classes were first met. */
  readonly classes: Map<string, ClassSums>;
}

/**
 * The inputs of F21's ranges, accumulated one counted item result at a time (in the engine's order) with nothing kept
 * per item: per criterion, the factor sums S_f and, per quality class, Σ v² of the items' values. The one place where
 * they are computed: `assess --uncertainty` feeds it the counted results of its run (`totalsUncertainty`), the
 * server's assessment job the results of the engine pass each chunk runs anyway (src/server/usecases/assessments.ts).
 * An item's value for a criterion is the sum of its result's slots for it: each result is one inventory item (one
 * line, or one telework box), so Σ v² is summed per result.
 */
export class UncertaintyAccumulator {
  private readonly out = new Map<string, CriterionSums>();
  private readonly ids: FactorIds;
  /** The sums of the factors `FactorIds` remembers, by the factor's object: one map lookup by id per factor. */
  private readonly entries = new Map<Factor, FactorSums>();
  /** Per criterion index, the item's value and its criterion's sums (reset per item). */
  private readonly value: Float64Array;
  private readonly seen: (CriterionSums | undefined)[];
  private readonly order: number[] = [];

  constructor(private readonly layout: Layout) {
    this.ids = new FactorIds(layout);
    this.value = new Float64Array(layout.criteria.length);
    this.seen = new Array<CriterionSums | undefined>(layout.criteria.length);
  }

  /** Adds one result counted in the totals (`isCounted`). */
  add(result: ItemResult): void {
    const { layout } = this;
    const n = layout.criteria.length;
    let onDefaultItem: number | undefined; // read once per item
    const x = result.equipmentFactors; // read once per item (a getter building a small object)
    for (let slot = 0; slot < layout.size; slot++) {
      if (result.status[slot] !== OK) continue;
      const c = slot % n;
      const value = result.values[slot]!;
      let s = this.seen[c];
      if (s === undefined) {
        const criterion = layout.criterionOf(slot);
        s = this.out.get(criterion);
        if (s === undefined) {
          s = { unit: layout.unitOf(slot), factors: new Map(), classes: new Map() };
          this.out.set(criterion, s);
        }
        this.seen[c] = s;
        this.order.push(c);
        this.value[c] = value;
      } else this.value[c] = this.value[c]! + value;
      onDefaultItem ??= onDefault(result);
      const f = x !== undefined ? this.ids.of(x, slot) : undefined;
      let e = f !== undefined ? this.entries.get(f) : undefined;
      if (e === undefined) {
        const g = f ?? traceFactorAt(result, slot, layout);
        e = s.factors.get(g.id);
        if (e === undefined) s.factors.set(g.id, (e = { sum: value, u: g.u, items: 1, onDefaultItem }));
        else {
          e.sum += value;
          e.items += 1;
          e.onDefaultItem += onDefaultItem;
        }
        if (f !== undefined) this.entries.set(f, e);
      } else {
        e.sum += value;
        e.items += 1;
        e.onDefaultItem += onDefaultItem;
      }
    }
    if (this.order.length === 0) return;
    const quality = qualityOf(result);
    for (const c of this.order) {
      const v = this.value[c]!;
      const classes = this.seen[c]!.classes;
      let k = classes.get(quality);
      if (k === undefined) classes.set(quality, (k = { sumOfSquares: 0, items: 0, value: 0 }));
      k.sumOfSquares += v * v;
      k.items += 1;
      k.value += v;
      this.seen[c] = undefined;
    }
    this.order.length = 0;
  }

  /** Per criterion (in the order first met), the inputs of its range. */
  sums(): ReadonlyMap<string, CriterionSums> {
    return this.out;
  }
}

/** The factor of a slot without equipment factors, from its trace. */
export function traceFactorAt(r: ItemResult, slot: number, layout: Layout): Factor {
  const row = {
    item: r.name,
    lifecycleStep: layout.stepOf(slot),
    criterion: layout.criterionOf(slot),
    trace: r.explain(slot),
  };
  return factorOf(row, r.kind);
}

/** Per criterion: the factor sums S_f and the activity classes of the counted results (`UncertaintyAccumulator`). */
export function sumsOf(counted: Counted): ReadonlyMap<string, CriterionSums> {
  const acc = new UncertaintyAccumulator(counted.layout);
  for (const result of counted.results) acc.add(result);
  return acc.sums();
}

/** The activity classes of F21 of a criterion's inputs: Σ v² per quality class, with its relative uncertainty. */
export function activity(s: Pick<CriterionSums, 'classes'>): ActivityClass[] {
  return [...s.classes].map(([quality, c]) => ({
    quality,
    sumOfSquares: c.sumOfSquares,
    u: QUALITY_U[quality] ?? 0.2,
  }));
}

/** The activity classes of items' values (Σ v² per quality class, with its relative uncertainty). */
export function activityOfValues(values: Iterable<{ value: number; quality: string }>): ActivityClass[] {
  const acc = new ActivityOfValues();
  for (const { value, quality } of values) acc.add(value, quality);
  return acc.classes();
}

/** `activityOfValues` fed one value at a time (no object per value): the same sums in the same order. */
export class ActivityOfValues {
  private readonly byQuality = new Map<string, number>();
  add(value: number, quality: string): void {
    this.byQuality.set(quality, (this.byQuality.get(quality) ?? 0) + value * value);
  }
  classes(): ActivityClass[] {
    return [...this.byQuality].map(([quality, sumOfSquares]) => ({
      quality,
      sumOfSquares,
      u: QUALITY_U[quality] ?? 0.2,
    }));
  }
}

/** P5/P50/P95 and the top five factors of each criterion's total, from its inputs. `seed`: hexadecimal, ≥ 8 digits. */
export function rangesOf(
  sums: ReadonlyMap<string, CriterionSums>,
  seed: string,
  draws = DEFAULT_DRAWS,
): CriterionRange[] {
  return [...sums].map(([criterion, s]) => ({
    criterion,
    unit: s.unit,
    range: uncertaintyRange({
      factors: [...s.factors].map(([id, f]) => ({ id, sum: f.sum, uncertainty: { kind: 'lognormal', u: f.u } })),
      activity: activity(s),
      seed,
      draws,
    }),
  }));
}

/** P5/P50/P95 and the top five factors of each criterion's total. `seed`: hexadecimal, ≥ 8 digits. */
export function totalsUncertainty(counted: Counted, seed: string, draws = DEFAULT_DRAWS): CriterionRange[] {
  return rangesOf(sumsOf(counted), seed, draws);
}

/**
 * Per criterion, each item's value (the sum of its counted results' slots) and quality, by item key: what a change
 * between two assessments matches its items by.
 */
function itemValuesOf(counted: Counted): Map<string, Map<string, { value: number; quality: string }>> {
  const out = new Map<string, Map<string, { value: number; quality: string }>>();
  const { layout } = counted;
  for (const result of counted.results) {
    let k: string | undefined;
    for (let slot = 0; slot < layout.size; slot++) {
      if (result.status[slot] !== OK) continue;
      const criterion = layout.criterionOf(slot);
      const value = result.values[slot]!;
      let items = out.get(criterion);
      if (items === undefined) out.set(criterion, (items = new Map()));
      k ??= itemKey(result);
      const it = items.get(k);
      if (it) it.value += value;
      else items.set(k, { value, quality: qualityOf(result) });
    }
  }
  return out;
}

/**
 * The factors of a change's range: every factor of either side, before's first then after's new ones, with its sum on
 * each side (0 where absent) and its u (after's, else before's, else a product footprint's). Shared by
 * `deltaUncertainty` and the compact sides' `compactDeltaUncertainty` (compact.ts).
 */
export function deltaFactors(
  sb: { readonly factors: ReadonlyMap<string, { sum: number; u: number }> } | undefined,
  sa: { readonly factors: ReadonlyMap<string, { sum: number; u: number }> } | undefined,
): DeltaUncertaintyInput['factors'] {
  const ids = new Set([...(sb?.factors.keys() ?? []), ...(sa?.factors.keys() ?? [])]);
  return [...ids].map((id) => {
    const fb = sb?.factors.get(id);
    const fa = sa?.factors.get(id);
    const u = fa?.u ?? fb?.u ?? U.productFootprint;
    return { id, before: fb?.sum ?? 0, after: fa?.sum ?? 0, uncertainty: { kind: 'lognormal' as const, u } };
  });
}

/**
 * The range of the change before → after: the same multiplier per factor on both sides (a factor's error cancels
 * where its sum did not change); activity: items in one campaign only with their value, items in both with the
 * change of their value (the part of their data that differs; unchanged data cancels).
 */
export function deltaUncertainty(
  before: Counted,
  after: Counted,
  seed: string,
  draws = DEFAULT_DRAWS,
): CriterionRange[] {
  const b = sumsOf(before);
  const a = sumsOf(after);
  const ib = itemValuesOf(before);
  const ia = itemValuesOf(after);
  const criteria = [...new Set([...b.keys(), ...a.keys()])];
  return criteria.map((criterion) => {
    const sb = b.get(criterion);
    const sa = a.get(criterion);
    const factors = deltaFactors(sb, sa);
    const changed: { value: number; quality: string }[] = [];
    const vb = ib.get(criterion);
    const va = ia.get(criterion);
    for (const [k, xb] of vb ?? []) {
      const xa = va?.get(k);
      changed.push(xa === undefined ? xb : { value: xa.value - xb.value, quality: xa.quality });
    }
    for (const [k, xa] of va ?? []) if (!(vb?.has(k) ?? false)) changed.push(xa);
    return {
      criterion,
      unit: sa?.unit ?? sb?.unit ?? '',
      range: deltaUncertaintyRange({ factors, activity: activityOfValues(changed), seed, draws }),
    };
  });
}

/** The seed of a run: its referential's content hash (hexadecimal), so that the same run gives the same range. */
export const seedOf = (meta: { readonly referential: { readonly hash: string } }): string =>
  /^[0-9a-fA-F]{8,}$/.test(meta.referential.hash) ? meta.referential.hash : '0123456789abcdef';
