/**
 * Aggregation of item results (methodology F20): totals per criterion and step, breakdowns per dimension, electricity,
 * quantity-weighted average lifetime, data consistency (share of indicators in error), data quality, and
 * people-equivalent (F18). Keeps only sums: memory grows with the number of distinct dimension values, not items.
 */
import type { Issue, IssueCode } from '../issues/catalogue.js';
import type { Referential } from '../referential/model.js';
import { ELECTRICITY_MISSING, HOW_TO_LOAD, isNotCovered } from './coverage.js';
import type { Layout } from './layout.js';
import { addsFinitely } from './finite.js';
import { ERROR, OK, type ItemResult } from './result.js';

/** How many items each list of the totals names (items to fix per code, items out of the period). */
const FIRST_ITEMS = 5;

const DIMENSIONS = ['kind', 'type', 'entity', 'country', 'datacenter', 'tier', 'quality'] as const;
const ALLOCATION_DIMENSIONS = ['application', 'domain'] as const;
type Dimension = (typeof DIMENSIONS)[number] | (typeof ALLOCATION_DIMENSIONS)[number];

export interface CriterionTotal {
  readonly criterion: string;
  readonly unit: string;
  readonly value: number;
  readonly byStep: Readonly<Record<string, number>>;
  /** Share of this criterion's indicators in error (data consistency, F20). */
  readonly indicators: number;
  readonly errors: number;
  /** Total ÷ per-person-per-year divisor (F18), when the referential has one. */
  readonly peopleEquivalent?: number;
  readonly perCollaborator?: number;
}

export interface Totals {
  readonly scope: string;
  readonly byCriterion: readonly CriterionTotal[];
  /** dimension → value → criterion → total (sum over steps). */
  readonly by: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
  /** Allocations of hosts, NOT part of the inventory total (F20). */
  readonly allocations: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
  readonly electricity: { readonly itKWh: number; readonly facilityKWh: number };
  readonly averageLifetimeYears?: number;
  readonly dataConsistency: {
    readonly indicators: number;
    readonly errors: number;
    readonly errorShare: number;
    readonly byStep: Readonly<Record<string, { indicators: number; errors: number; errorShare: number }>>;
    readonly errorCodes: Readonly<Record<string, number>>;
  };
  readonly dataQuality: Readonly<Record<string, { items: number; itemShare: number; climateChangeShare?: number }>>;
  /** Indicators in error split into what the referential does not cover and what the data must fix (F20). */
  readonly coverage: Coverage;
  /** Items with a share 0 of the period (§2.2, CALC_OUT_OF_PERIOD): left out of every total above. */
  readonly outOfPeriod: OutOfPeriod;
  readonly items: Readonly<Record<string, number>>;
  readonly warnings: Readonly<Record<string, number>>;
  readonly collaborators?: number;
}

/** An item named in a list: its name and where it was read. */
export interface ItemRef {
  readonly kind: string;
  readonly item: string;
  readonly file?: string;
  readonly line?: number;
}

export interface Coverage {
  /** Indicators of the inventory total: computed + not covered + to fix. */
  readonly indicators: number;
  readonly computed: number;
  readonly notCovered: {
    readonly indicators: number;
    readonly share: number;
    /** Whether the active referential is the embedded open pack alone (no user layer). */
    readonly openReferentialOnly: boolean;
    /** criterion → step → indicators without a factor. */
    readonly byCriterion: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly howToLoad: string;
  };
  readonly toFix: {
    readonly indicators: number;
    readonly share: number;
    /** code → indicators, items (lines) and the first items. */
    readonly byCode: Readonly<Record<string, { indicators: number; items: number; first: readonly ItemRef[] }>>;
  };
}

export interface OutOfPeriod {
  readonly code: 'CALC_OUT_OF_PERIOD';
  /** Lines (items) and units (sum of quantities) left out. */
  readonly items: number;
  readonly quantity: number;
  readonly byKind: Readonly<Record<string, { items: number; quantity: number }>>;
  readonly first: readonly (ItemRef & { from: string; to: string })[];
}

/**
 * Per error map (shared by every item of a slot template): its codes, its slots not covered, its codes to fix, and
 * how many items had it since its counts were last added to the totals (`pending`, see `Aggregator.flush`).
 */
interface ErrorSummary {
  readonly country: string | undefined;
  readonly codes: readonly [IssueCode, number][];
  readonly notCovered: readonly number[];
  readonly toFix: readonly [IssueCode, number][];
  /** Items counted since the last flush; `used`: whether any item ever had it (its codes are then in the totals). */
  pending: number;
  used: boolean;
}

/** A slot status array (shared by the items of a slot template) and the items that had it since the last flush. */
interface StatusCount {
  readonly status: ArrayLike<number>;
  /** Its slots OK in order, and the criterion of each: the item's values walked without a test per slot. */
  readonly ok: Int32Array;
  readonly okCriterion: Int32Array;
  n: number;
}

/** Error summaries and status arrays with pending counts kept before they are added to the totals (memory bound). */
const MAX_PENDING = 1024;

/**
 * An item's strings given by ids (a packed batch's interned strings, `totals-transfer.ts`), for
 * `Aggregator.addIndexed`: one id per distinct string for the whole run (one-to-one), 0 for undefined; the warning set
 * by its id too (0: none), its warnings the same array for every item of the id. The caller writes the current item's
 * ids; the aggregator keeps, per id, what it would otherwise look up by string for each item (issue 11: seven
 * string-keyed maps per item on the main thread). Made by `Aggregator.idSpace`, used with that aggregator only.
 */
export class IdSpace {
  kind = 0;
  entity = 0;
  type = 0;
  country = 0;
  datacenter = 0;
  tier = 0;
  quality = 0;
  warnings = 0;
  /** Per dimension (`DIMENSIONS` order), id → the value's accumulator (the same array as the aggregator's map holds). */
  readonly accs: (Float64Array | undefined)[][] = DIMENSIONS.map(() => []);
  /** Quality id → its item count and climate-change sum (the aggregator's `quality` map's object). */
  readonly quality_: ({ items: number; cc: number } | undefined)[] = [];
  /** Items per kind id, and per warning set id, not yet added to the aggregator's maps (whole numbers: see `flush`). */
  readonly kindPending: number[] = [];
  readonly kindNames: string[] = [];
  readonly warningPending: number[] = [];
  readonly warningCodes: (readonly string[])[] = [];

  constructor(readonly owner: Aggregator) {}
}

export class Aggregator {
  private readonly total: Float64Array;
  private readonly count: Float64Array;
  private readonly errorCount: Float64Array;
  /** dimension → value → per-criterion sums (one map per dimension, made up front: no lookup by dimension per item). */
  private readonly dims: Readonly<Record<Dimension, Map<string, Float64Array>>> = {
    kind: new Map(),
    type: new Map(),
    entity: new Map(),
    country: new Map(),
    datacenter: new Map(),
    tier: new Map(),
    quality: new Map(),
    application: new Map(),
    domain: new Map(),
  };
  private readonly errorCodes = new Map<string, number>();
  private readonly warningCodes = new Map<string, number>();
  private readonly itemCounts = new Map<string, number>();
  private readonly quality = new Map<string, { items: number; cc: number }>();
  private itKWh = 0;
  private facilityKWh = 0;
  private lifeWeighted = 0;
  private lifeQuantity = 0;
  private collaborators = 0;
  private readonly notCovered: Float64Array;
  private readonly toFix = new Map<IssueCode, { indicators: number; items: number; first: ItemRef[] }>();
  private readonly summaries = new WeakMap<ReadonlyMap<number, Issue>, ErrorSummary>();
  /**
   * Integer counts kept per shared object and added to the totals by `flush` (before `result`, or when too many are
   * pending): the indicators and errors per slot per status array, the error codes and slots not covered per error
   * summary. Counts are whole numbers, so adding them later gives the same totals; no value is added this way.
   */
  private readonly pendingStatus = new Map<ArrayLike<number>, StatusCount>();
  private readonly pendingErrors: ErrorSummary[] = [];
  /** The id spaces made for this aggregator (`idSpace`): their pending item and warning counts. */
  private readonly spaces: IdSpace[] = [];
  private readonly excluded = new Map<string, { items: number; quantity: number }>();
  private readonly excludedFirst: (ItemRef & { from: string; to: string })[] = [];
  private readonly ccIndex: number;
  /** Scratch: one item's values summed per criterion. */
  private readonly sums: Float64Array;
  /** Running inventory total per criterion, and scratch flags of criteria whose sum would overflow for one item. */
  private readonly criterionTotal: Float64Array;
  private readonly overflow: Uint8Array;

  constructor(
    private readonly layout: Layout,
    private readonly ref: Referential,
  ) {
    this.total = new Float64Array(layout.size);
    this.count = new Float64Array(layout.size);
    this.errorCount = new Float64Array(layout.size);
    this.notCovered = new Float64Array(layout.size);
    this.ccIndex = layout.criteria.indexOf('CLIMATE_CHANGE');
    this.sums = new Float64Array(layout.criteria.length);
    this.criterionTotal = new Float64Array(layout.criteria.length);
    this.overflow = new Uint8Array(layout.criteria.length);
  }

  addCollaborators(n: number): void {
    this.collaborators += n;
  }

  /** A new id space for `addIndexed` (one per source of ids: a part's unpacker). */
  idSpace(): IdSpace {
    const ids = new IdSpace(this);
    this.spaces.push(ids);
    return ids;
  }

  add(r: ItemResult): void {
    if (r.outOfPeriod !== undefined) return this.exclude(r, r.outOfPeriod);
    this.itemCounts.set(r.kind, (this.itemCounts.get(r.kind) ?? 0) + 1);
    if (r.warnings.length)
      for (const w of r.warnings) this.warningCodes.set(w.code, (this.warningCodes.get(w.code) ?? 0) + 1);
    if (!r.inTotal) {
      // Allocations: kept per application/domain and per kind, outside the inventory total.
      this.addTo('kind', `${r.kind} (allocation)`, r);
      if (r.kind === 'application') {
        this.addTo('application', r.dims.application ?? r.name, r);
        this.addTo('domain', r.dims.domain ?? 'Unknown', r);
      }
      return;
    }
    const sums = this.addValues(r);
    const d = r.dims;
    const dims = this.dims;
    addSums(dims.kind, r.kind, sums);
    if (d.type !== undefined) addSums(dims.type, d.type, sums);
    addSums(dims.entity, r.entity ?? 'Unknown', sums);
    if (d.country !== undefined) addSums(dims.country, d.country, sums);
    if (d.datacenter !== undefined) addSums(dims.datacenter, d.datacenter, sums);
    addSums(dims.tier, d.tier, sums);
    const qk = d.quality ?? 'UNSPECIFIED';
    addSums(dims.quality, qk, sums);
    let q = this.quality.get(qk);
    if (q === undefined) this.quality.set(qk, (q = { items: 0, cc: 0 }));
    this.addQuality(q, sums);
  }

  /**
   * `add` for an item whose strings `ids` also gives by id (made by `idSpace`): the same additions in the same order,
   * the accumulators found by id; the counts of items per kind and of warnings kept per id until `flush`.
   */
  addIndexed(r: ItemResult, ids: IdSpace): void {
    if (ids.owner !== this) throw new Error('an id space used with another aggregator');
    if (r.outOfPeriod !== undefined || !r.inTotal) return this.add(r);
    const kind = ids.kind;
    if (ids.kindPending[kind] === undefined) {
      // The kind takes its place in the map of item counts with its first item, as in `add`.
      if (!this.itemCounts.has(r.kind)) this.itemCounts.set(r.kind, 0);
      ids.kindNames[kind] = r.kind;
      ids.kindPending[kind] = 0;
    }
    ids.kindPending[kind]!++;
    const w = ids.warnings;
    if (w !== 0) {
      if (ids.warningPending[w] === undefined) {
        const codes = r.warnings.map((x) => x.code);
        for (const code of codes) if (!this.warningCodes.has(code)) this.warningCodes.set(code, 0);
        ids.warningCodes[w] = codes;
        ids.warningPending[w] = 0;
      }
      ids.warningPending[w]!++;
    }
    const sums = this.addValues(r);
    const d = r.dims;
    const dims = this.dims;
    const accs = ids.accs;
    // Accumulators by id, in `DIMENSIONS` order; an id seen for the first time looked up (or made) by its string.
    addInto(accs[0]![kind] ?? (accs[0]![kind] = accumulator(dims.kind, r.kind, sums.length)), sums);
    if (ids.type !== 0)
      addInto(accs[1]![ids.type] ?? (accs[1]![ids.type] = accumulator(dims.type, d.type!, sums.length)), sums);
    addInto(
      accs[2]![ids.entity] ?? (accs[2]![ids.entity] = accumulator(dims.entity, r.entity ?? 'Unknown', sums.length)),
      sums,
    );
    if (ids.country !== 0)
      addInto(
        accs[3]![ids.country] ?? (accs[3]![ids.country] = accumulator(dims.country, d.country!, sums.length)),
        sums,
      );
    if (ids.datacenter !== 0)
      addInto(
        accs[4]![ids.datacenter] ??
          (accs[4]![ids.datacenter] = accumulator(dims.datacenter, d.datacenter!, sums.length)),
        sums,
      );
    addInto(accs[5]![ids.tier] ?? (accs[5]![ids.tier] = accumulator(dims.tier, d.tier, sums.length)), sums);
    const qi = ids.quality;
    const qk = d.quality ?? 'UNSPECIFIED';
    addInto(accs[6]![qi] ?? (accs[6]![qi] = accumulator(dims.quality, qk, sums.length)), sums);
    let q = ids.quality_[qi];
    if (q === undefined) {
      q = this.quality.get(qk);
      if (q === undefined) this.quality.set(qk, (q = { items: 0, cc: 0 }));
      ids.quality_[qi] = q;
    }
    this.addQuality(q, sums);
  }

  private addQuality(q: { items: number; cc: number }, sums: Float64Array): void {
    q.items++;
    if (this.ccIndex >= 0) q.cc += sums[this.ccIndex]!;
  }

  /**
   * An item of the inventory total: its values added to the totals per slot and per criterion, its indicators and
   * errors counted, its electricity and lifetime added; its values summed per criterion in the scratch returned (for
   * the dimensions; a criterion whose sum would overflow is 0 there).
   */
  private addValues(r: ItemResult): Float64Array {
    const { values, status } = r;
    const nc = this.layout.criteria.length;
    const sums = this.sums;
    for (let c = 0; c < nc; c++) sums[c] = 0; // a loop: `fill` is a call into the runtime, once per item
    // Totals never add a non-finite value: the item's indicators of a criterion whose sum would overflow count as
    // errors CALC_NOT_FINITE instead (finite.ts turns the item's own overflows into errors before this). The slots OK
    // are walked in order (step by step, criterion by criterion: each criterion's sum adds its steps in order), from
    // the list kept with the item's status array (no test per slot: the patterns vary from item to item).
    // `addsFinitely` without a branch per value: the totals are always finite (nothing else is added to them), so
    // `total + value` is finite exactly when `addsFinitely(total, value)`; `x - x` is 0 for a finite x and NaN
    // otherwise, so `probe` stays 0 exactly when every sum is finite (issue 11, the main thread's share).
    const total = this.total;
    const criterionTotal = this.criterionTotal;
    const counted = this.statusCount(status);
    const { ok, okCriterion } = counted;
    let probe = 0;
    for (let j = 0; j < ok.length; j++) {
      const s = ok[j]!;
      const v = values[s]!;
      sums[okCriterion[j]!]! += v;
      const t = total[s]! + v;
      probe += t - t;
    }
    for (let c = 0; c < nc; c++) {
      const t = criterionTotal[c]! + sums[c]!;
      probe += t - t;
    }
    if (probe === 0) {
      // Every sum stays finite (the usual case): the same additions as `addOverflowing` without an overflow.
      for (let c = 0; c < nc; c++) criterionTotal[c]! += sums[c]!;
      for (let j = 0; j < ok.length; j++) total[ok[j]!]! += values[ok[j]!]!;
      counted.n++;
    } else this.addOverflowing(r, sums);
    if (r.errors.size) this.addErrors(r);
    if (addsFinitely(this.itKWh, r.itKWh) && addsFinitely(this.facilityKWh, r.facilityKWh)) {
      this.itKWh += r.itKWh;
      this.facilityKWh += r.facilityKWh;
    }
    if (r.lifetimeYears !== undefined) {
      this.lifeWeighted += r.lifetimeYears * r.quantity;
      this.lifeQuantity += r.quantity;
    }
    return sums;
  }

  /** An item with a criterion whose sum would overflow: that criterion's OK slots count as errors CALC_NOT_FINITE. */
  private addOverflowing(r: ItemResult, sums: Float64Array): void {
    const { values, status } = r;
    const n = this.layout.size;
    const nc = this.layout.criteria.length;
    const overflow = this.overflow.fill(0);
    for (let s = 0; s < n;) {
      for (let c = 0; c < nc; c++, s++) {
        if (status[s] === OK && !addsFinitely(this.total[s]!, values[s]!)) overflow[c] = 1;
      }
    }
    for (let c = 0; c < nc; c++) {
      if (overflow[c] || !addsFinitely(this.criterionTotal[c]!, sums[c]!)) {
        overflow[c] = 1;
        sums[c] = 0;
      } else this.criterionTotal[c]! += sums[c]!;
    }
    for (let s = 0; s < n;) {
      for (let c = 0; c < nc; c++, s++) {
        const st = status[s]!;
        if (st === OK && overflow[c]) {
          this.count[s]!++;
          this.errorCount[s]!++;
          this.errorCodes.set('CALC_NOT_FINITE', (this.errorCodes.get('CALC_NOT_FINITE') ?? 0) + 1);
        } else if (st === OK) {
          this.total[s]! += values[s]!;
          this.count[s]!++;
        } else if (st === ERROR) {
          this.count[s]!++;
          this.errorCount[s]!++;
        }
      }
    }
  }

  /**
   * The pending count of a status array (its items' indicators, OK and ERROR slots, and errors, ERROR slots, are
   * counted with the others of the same array), made at its first item with the list of its slots OK.
   */
  private statusCount(status: ArrayLike<number>): StatusCount {
    let p = this.pendingStatus.get(status);
    if (p === undefined) {
      if (this.pendingStatus.size >= MAX_PENDING) this.flush();
      const nc = this.layout.criteria.length;
      const ok: number[] = [];
      for (let s = 0; s < this.layout.size; s++) if (status[s] === OK) ok.push(s);
      p = { status, ok: Int32Array.from(ok), okCriterion: Int32Array.from(ok, (s) => s % nc), n: 0 };
      this.pendingStatus.set(status, p);
    }
    return p;
  }

  /** Adds the pending counts (status arrays, error summaries) to the totals. */
  private flush(): void {
    const n = this.layout.size;
    for (const { status, n: items } of this.pendingStatus.values()) {
      for (let s = 0; s < n; s++) {
        const st = status[s];
        if (st === OK) this.count[s]! += items;
        else if (st === ERROR) {
          this.count[s]! += items;
          this.errorCount[s]! += items;
        }
      }
    }
    this.pendingStatus.clear();
    for (const sum of this.pendingErrors) {
      const items = sum.pending;
      sum.pending = 0;
      for (const [code, k] of sum.codes) this.errorCodes.set(code, this.errorCodes.get(code)! + k * items);
      for (const slot of sum.notCovered) this.notCovered[slot]! += items;
    }
    this.pendingErrors.length = 0;
    for (const ids of this.spaces) {
      const { kindPending, warningPending } = ids;
      for (let k = 0; k < kindPending.length; k++) {
        const items = kindPending[k];
        if (!items) continue;
        const kind = ids.kindNames[k]!;
        this.itemCounts.set(kind, this.itemCounts.get(kind)! + items);
        kindPending[k] = 0;
      }
      for (let w = 0; w < warningPending.length; w++) {
        const items = warningPending[w];
        if (!items) continue;
        for (const code of ids.warningCodes[w]!) this.warningCodes.set(code, this.warningCodes.get(code)! + items);
        warningPending[w] = 0;
      }
    }
  }

  /** §2.2: an item out of the period is counted and named apart, in no total. */
  private exclude(r: ItemResult, why: Issue): void {
    let k = this.excluded.get(r.kind);
    if (k === undefined) this.excluded.set(r.kind, (k = { items: 0, quantity: 0 }));
    k.items++;
    k.quantity += r.quantity;
    if (this.excludedFirst.length < FIRST_ITEMS)
      this.excludedFirst.push({ ...itemRef(r), from: String(why.details.from), to: String(why.details.to) });
  }

  /** F20: error codes, and each error either not covered (per slot) or to fix (per code, with the first items). */
  private addErrors(r: ItemResult): void {
    const country = r.dims.country;
    let sum = this.summaries.get(r.errors);
    if (sum === undefined || sum.country !== country) {
      sum = this.summarise(r.errors, country);
      this.summaries.set(r.errors, sum);
    }
    if (!sum.used) {
      // The codes take their place in the totals' list of codes with the first item that has them.
      sum.used = true;
      for (const [code] of sum.codes) if (!this.errorCodes.has(code)) this.errorCodes.set(code, 0);
    }
    if (sum.pending++ === 0) {
      if (this.pendingErrors.length >= MAX_PENDING) this.flush();
      this.pendingErrors.push(sum);
    }
    for (const [code, n] of sum.toFix) {
      let f = this.toFix.get(code);
      if (f === undefined) this.toFix.set(code, (f = { indicators: 0, items: 0, first: [] }));
      f.indicators += n;
      f.items++;
      if (f.first.length < FIRST_ITEMS) f.first.push(itemRef(r));
    }
  }

  private summarise(errors: ReadonlyMap<number, Issue>, country: string | undefined): ErrorSummary {
    const codes = new Map<IssueCode, number>();
    const toFix = new Map<IssueCode, number>();
    const notCovered: number[] = [];
    for (const [slot, e] of errors) {
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      const uncovered =
        isNotCovered(e.code) ||
        (e.code === ELECTRICITY_MISSING &&
          country !== undefined &&
          this.ref.electricity.get(country)?.get(this.layout.criterionOf(slot)) === undefined);
      if (uncovered) notCovered.push(slot);
      else toFix.set(e.code, (toFix.get(e.code) ?? 0) + 1);
    }
    return { country, codes: [...codes], notCovered, toFix: [...toFix], pending: 0, used: false };
  }

  /** Allocations (VMs, applications): per-slot values summed per criterion. */
  private addTo(dim: Dimension, key: string, r: ItemResult): void {
    const nc = this.layout.criteria.length;
    const n = this.layout.size;
    const sums = this.sums.fill(0);
    for (let s = 0; s < n;)
      for (let c = 0; c < nc; c++, s++)
        if (r.status[s] === OK && Number.isFinite(r.values[s]!)) sums[c]! += r.values[s]!;
    addSums(this.dims[dim], key, sums);
  }

  private perCriterion(acc: Float64Array): Record<string, number> {
    const out: Record<string, number> = {};
    for (let ci = 0; ci < acc.length; ci++) out[this.layout.criteria[ci]!] = acc[ci]!;
    return out;
  }

  private dimension(dim: Dimension): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    const m = this.dims[dim];
    for (const [k, acc] of [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out[k] = this.perCriterion(acc);
    return out;
  }

  result(): Totals {
    this.flush();
    const { layout } = this;
    const nc = layout.criteria.length;
    const byCriterion: CriterionTotal[] = layout.criteria.map((criterion, ci) => {
      const byStep: Record<string, number> = {};
      let value = 0;
      let indicators = 0;
      let errors = 0;
      for (let si = 0; si < layout.steps.length; si++) {
        const s = si * nc + ci;
        // Steps with at least one computed indicator (errors alone leave the step out; they are counted in `errors`).
        if (this.count[s]! > this.errorCount[s]!) byStep[layout.steps[si]!] = this.total[s]!;
        value += this.total[s]!;
        indicators += this.count[s]!;
        errors += this.errorCount[s]!;
      }
      const norm = this.ref.normalisation.get(criterion);
      return {
        criterion,
        unit: layout.units[ci]!,
        value,
        byStep,
        indicators,
        errors,
        ...(norm && norm.perPersonPerYear > 0 && Number.isFinite(value / norm.perPersonPerYear)
          ? { peopleEquivalent: value / norm.perPersonPerYear }
          : {}),
        ...(this.collaborators > 0 ? { perCollaborator: value / this.collaborators } : {}),
      };
    });
    let indicators = 0;
    let errors = 0;
    const byStep: Record<string, { indicators: number; errors: number; errorShare: number }> = {};
    for (let si = 0; si < layout.steps.length; si++) {
      let i = 0;
      let e = 0;
      for (let ci = 0; ci < nc; ci++) {
        i += this.count[si * nc + ci]!;
        e += this.errorCount[si * nc + ci]!;
      }
      byStep[layout.steps[si]!] = { indicators: i, errors: e, errorShare: i ? e / i : 0 };
      indicators += i;
      errors += e;
    }
    const totalItems = [...this.quality.values()].reduce((a, q) => a + q.items, 0);
    const totalCc = [...this.quality.values()].reduce((a, q) => a + q.cc, 0);
    const dataQuality: Record<string, { items: number; itemShare: number; climateChangeShare?: number }> = {};
    for (const [k, q] of this.quality)
      dataQuality[k] = {
        items: q.items,
        itemShare: totalItems ? q.items / totalItems : 0,
        ...(this.ccIndex >= 0 && totalCc > 0 ? { climateChangeShare: q.cc / totalCc } : {}),
      };
    const by: Record<string, Record<string, Record<string, number>>> = {};
    for (const d of DIMENSIONS) by[d] = this.dimension(d);
    const allocations: Record<string, Record<string, Record<string, number>>> = {};
    for (const d of ALLOCATION_DIMENSIONS) allocations[d] = this.dimension(d);
    const notCoveredBy: Record<string, Record<string, number>> = {};
    let notCovered = 0;
    for (let ci = 0; ci < nc; ci++)
      for (let si = 0; si < layout.steps.length; si++) {
        const n = this.notCovered[si * nc + ci]!;
        if (n === 0) continue;
        (notCoveredBy[layout.criteria[ci]!] ??= {})[layout.steps[si]!] = n;
        notCovered += n;
      }
    const toFix = errors - notCovered;
    const coverage: Coverage = {
      indicators,
      computed: indicators - errors,
      notCovered: {
        indicators: notCovered,
        share: indicators ? notCovered / indicators : 0,
        openReferentialOnly: this.ref.layers.every((l) => /^(embedded|profile):/.test(l.name)),
        byCriterion: notCoveredBy,
        howToLoad: HOW_TO_LOAD,
      },
      toFix: {
        indicators: toFix,
        share: indicators ? toFix / indicators : 0,
        byCode: Object.fromEntries(
          [...this.toFix].sort((a, b) => b[1].indicators - a[1].indicators || (a[0] < b[0] ? -1 : 1)),
        ),
      },
    };
    const outOfPeriod: OutOfPeriod = {
      code: 'CALC_OUT_OF_PERIOD',
      items: [...this.excluded.values()].reduce((a, k) => a + k.items, 0),
      quantity: [...this.excluded.values()].reduce((a, k) => a + k.quantity, 0),
      byKind: Object.fromEntries(this.excluded),
      first: this.excludedFirst,
    };
    return {
      scope:
        'inventory total = physical equipment + non-IT + messaging + cloud VMs + telework boxes; VM and application values are allocations of their hosts, reported apart (methodology F20)',
      byCriterion,
      by,
      allocations,
      electricity: { itKWh: this.itKWh, facilityKWh: this.facilityKWh },
      ...(this.lifeQuantity > 0 ? { averageLifetimeYears: this.lifeWeighted / this.lifeQuantity } : {}),
      dataConsistency: {
        indicators,
        errors,
        errorShare: indicators ? errors / indicators : 0,
        byStep,
        errorCodes: Object.fromEntries(this.errorCodes),
      },
      dataQuality,
      coverage,
      outOfPeriod,
      items: Object.fromEntries(this.itemCounts),
      warnings: Object.fromEntries(this.warningCodes),
      ...(this.collaborators > 0 ? { collaborators: this.collaborators } : {}),
    };
  }
}

/** Adds per-criterion sums (one item) to a dimension value's accumulator (`m`: one dimension's values). */
function addSums(m: Map<string, Float64Array>, key: string, sums: Float64Array): void {
  addInto(accumulator(m, key, sums.length), sums);
}

/** A dimension value's accumulator (`m`: one dimension's values), made at its first item. */
function accumulator(m: Map<string, Float64Array>, key: string, criteria: number): Float64Array {
  let acc = m.get(key);
  if (acc === undefined) m.set(key, (acc = new Float64Array(criteria)));
  return acc;
}

/**
 * Adds per-criterion sums (one item) to an accumulator; a sum that would overflow it is left out (`addsFinitely`: the
 * accumulator is always finite, so the new value is kept exactly when it is finite, `t - t === 0`).
 */
function addInto(acc: Float64Array, sums: Float64Array): void {
  for (let c = 0; c < sums.length; c++) {
    const t = acc[c]! + sums[c]!;
    if (t - t === 0) acc[c] = t;
  }
}

function itemRef(r: ItemResult): ItemRef {
  return { kind: r.kind, item: r.name, ...(r.at ? { file: r.at.file, line: r.at.line } : {}) };
}
