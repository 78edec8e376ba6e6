/**
 * Per-run caches turning referential lookups into slot vectors: the factors of a reference item and the electricity
 * factors of a location, NaN where the referential has no value. Built once per distinct item/location.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import { factorKey, type ElectricityFactor, type Factor, type ReferenceItem } from '../referential/model.js';
import type { EngineEnv } from './env.js';

export interface FactorVector {
  /** Per slot of the layout; NaN = no factor. */
  readonly values: Float64Array;
  readonly factors: readonly (Factor | undefined)[];
  /** Per criterion index: whether the item has MANUFACTURING/DISTRIBUTION/END_OF_LIFE factors, or only EMBODIED. */
  readonly split: readonly boolean[];
  readonly embodied: readonly boolean[];
  /** CALC_FACTOR_MISSING per slot, created on first use. */
  readonly missing: (Issue | undefined)[];
}

export class VectorCache {
  private readonly itemVectors = new Map<ReferenceItem, FactorVector>();
  private readonly mixVectors = new Map<string, (ElectricityFactor | undefined)[]>();
  private readonly mixErrors = new Map<string, Issue[]>();
  private readonly templates = new Map<object, Map<string, SlotTemplate[]>>();
  private readonly electricityErrors = new Map<ReferenceItem, Issue>();

  constructor(private readonly env: EngineEnv) {}

  factors(item: ReferenceItem): FactorVector {
    let v = this.itemVectors.get(item);
    if (v === undefined) {
      const { layout } = this.env;
      const values = new Float64Array(layout.size).fill(NaN);
      const factors: (Factor | undefined)[] = new Array(layout.size);
      for (let s = 0; s < layout.size; s++) {
        const f = item.factors.get(factorKey(layout.stepOf(s), layout.criterionOf(s)));
        factors[s] = f;
        if (f !== undefined) values[s] = f.value;
      }
      const split = layout.criteria.map((c) =>
        (['MANUFACTURING', 'DISTRIBUTION', 'END_OF_LIFE'] as const).some((st) => item.factors.has(factorKey(st, c))),
      );
      const embodied = layout.criteria.map((c) => item.factors.has(factorKey('EMBODIED', c)));
      v = { values, factors, split, embodied, missing: new Array(layout.size) };
      this.itemVectors.set(item, v);
    }
    return v;
  }

  factorError(item: ReferenceItem, slot: number): Issue {
    const v = this.factors(item);
    const { layout } = this.env;
    return (v.missing[slot] ??= issue('CALC_FACTOR_MISSING', {
      item: item.name,
      step: layout.stepOf(slot),
      criterion: layout.criterionOf(slot),
    }));
  }

  /** CALC_ELEC_FACTOR_MISSING for a location label and criterion index, one shared issue per pair. */
  mixError(locationLabel: string, ci: number): Issue {
    let errs = this.mixErrors.get(locationLabel);
    if (errs === undefined) this.mixErrors.set(locationLabel, (errs = []));
    return (errs[ci] ??= issue('CALC_ELEC_FACTOR_MISSING', {
      location: locationLabel,
      criterion: this.env.layout.criteria[ci]!,
    }));
  }

  /**
   * The slot template shared by every item with the same resolution (reference item, or the same resolution error),
   * location, and the same availability of a consumption and a lifetime. Indicator errors shared this way do not
   * name the equipment: outputs render them with the item name of their row.
   */
  template(owner: object, locationKey: string | undefined, variant: number): SlotTemplate | undefined {
    return this.templates.get(owner)?.get(locationKey ?? '')?.[variant];
  }

  storeTemplate(owner: object, locationKey: string | undefined, variant: number, t: SlotTemplate): SlotTemplate {
    let byLocation = this.templates.get(owner);
    if (byLocation === undefined) this.templates.set(owner, (byLocation = new Map()));
    const key = locationKey ?? '';
    let variants = byLocation.get(key);
    if (variants === undefined) byLocation.set(key, (variants = []));
    variants[variant] = t;
    return t;
  }

  /** CALC_ELECTRICITY_MISSING for a reference item (the equipment name comes from the row). */
  electricityError(item: ReferenceItem): Issue {
    let e = this.electricityErrors.get(item);
    if (e === undefined) this.electricityErrors.set(item, (e = issue('CALC_ELECTRICITY_MISSING', { item: item.name })));
    return e;
  }

  /** Electricity factor per criterion index for a canonical location key. */
  mix(locationKey: string): readonly (ElectricityFactor | undefined)[] {
    let v = this.mixVectors.get(locationKey);
    if (v === undefined) {
      v = this.env.layout.criteria.map((c) => this.env.mix(locationKey, c));
      this.mixVectors.set(locationKey, v);
    }
    return v;
  }
}

export const MODE_NONE = 0;
export const MODE_EMBODIED = 1;
export const MODE_USE = 2;
export const MODE_WHOLE = 3;

/**
 * Which slots an equipment computes and how: per slot a mode (embodied F5, use F6, whole-life, or none), the factor
 * (F or M) it multiplies, its status and its error. Shared (read-only) by every item with the same reference item and
 * location when the item has a lifetime and a consumption.
 */
export interface SlotTemplate {
  readonly mode: Uint8Array;
  readonly coef: Float64Array;
  readonly status: Uint8Array;
  readonly errors: ReadonlyMap<number, Issue>;
  /**
   * Per mode (index MODE_EMBODIED, MODE_USE, MODE_WHOLE): the largest |F| or |M| of its slots, 0 without such a slot,
   * NaN when one is NaN. Rounding is monotonic, so an item's values of a mode are all finite when this × its
   * multiplier is (§2.1): one product per mode instead of a test per slot.
   */
  readonly maxCoef: Float64Array;
  /** The computed slots of each mode, in slot order: an item writes these only. */
  readonly embodiedSlots: Int32Array;
  readonly useSlots: Int32Array;
  readonly wholeSlots: Int32Array;
  /**
   * The row an item's values start from: a copy of it, its computed slots then written. Its zeros are doubles (the
   * array is made of -0 and then set to 0), so the copy is an array of unboxed doubles, as the values always were.
   */
  readonly blank: readonly number[];
}

export interface TemplateInput {
  readonly refItem: ReferenceItem | undefined;
  readonly fv: FactorVector | undefined;
  readonly mixes: readonly (ElectricityFactor | undefined)[] | undefined;
  readonly locationLabel: string | undefined;
  readonly resolutionIssue?: Issue;
  readonly lifetimeIssue?: Issue;
  readonly electricityIssue?: Issue;
}

const EMPTY_ERRORS: ReadonlyMap<number, Issue> = new Map();

export function buildTemplate(env: EngineEnv, cache: VectorCache, x: TemplateInput): SlotTemplate {
  const { layout } = env;
  const nc = layout.criteria.length;
  const mode = new Uint8Array(layout.size);
  const coef = new Float64Array(layout.size);
  const status = new Uint8Array(layout.size);
  let errors: Map<number, Issue> | undefined;
  const fail = (slot: number, i: Issue) => {
    status[slot] = 2;
    (errors ??= new Map()).set(slot, i);
  };
  for (let si = 0; si < layout.steps.length; si++) {
    const step = layout.steps[si]!;
    const aggregate = step === 'EMBODIED' || step === 'WHOLE_LIFE';
    for (let ci = 0; ci < nc; ci++) {
      const slot = si * nc + ci;
      if (x.resolutionIssue !== undefined || x.fv === undefined || x.refItem === undefined) {
        if (!aggregate) fail(slot, x.resolutionIssue!);
        continue;
      }
      if (step === 'USE') {
        if (x.electricityIssue !== undefined) {
          fail(slot, x.electricityIssue);
          continue;
        }
        const m = x.mixes?.[ci];
        if (m === undefined) {
          fail(slot, cache.mixError(x.locationLabel ?? '(none)', ci));
          continue;
        }
        mode[slot] = MODE_USE;
        coef[slot] = m.valuePerKWh;
        status[slot] = 1;
        continue;
      }
      const f = x.fv.values[slot]!;
      if (aggregate) {
        // Aggregate columns: when the source gives only the aggregate (EMBODIED) or a whole-life value (§1.2).
        if (Number.isNaN(f) || (step === 'EMBODIED' && x.fv.split[ci])) continue;
      } else if (Number.isNaN(f)) {
        // A split step is not applicable when the source gives this criterion only as EMBODIED.
        if (!x.fv.split[ci] && x.fv.embodied[ci]) continue;
        fail(slot, cache.factorError(x.refItem, slot));
        continue;
      }
      if (x.lifetimeIssue !== undefined) {
        fail(slot, x.lifetimeIssue);
        continue;
      }
      mode[slot] = step === 'WHOLE_LIFE' ? MODE_WHOLE : MODE_EMBODIED;
      coef[slot] = f;
      status[slot] = 1;
    }
  }
  const maxCoef = new Float64Array(4);
  for (let slot = 0; slot < layout.size; slot++) {
    const m = mode[slot]!;
    if (m !== MODE_NONE) maxCoef[m] = Math.max(maxCoef[m]!, Math.abs(coef[slot]!));
  }
  const slotsOf = (m: number) => Int32Array.from(mode.keys()).filter((slot) => mode[slot] === m);
  const blank = new Array<number>(layout.size).fill(-0);
  for (let slot = 0; slot < layout.size; slot++) blank[slot] = 0;
  return {
    mode,
    coef,
    status,
    errors: errors ?? EMPTY_ERRORS,
    maxCoef,
    embodiedSlots: slotsOf(MODE_EMBODIED),
    useSlots: slotsOf(MODE_USE),
    wholeSlots: slotsOf(MODE_WHOLE),
    blank,
  };
}
