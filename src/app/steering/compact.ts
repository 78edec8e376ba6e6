/**
 * A campaign's counted results kept compactly for a comparison (issue 13: `compare` on a million lines). Each result
 * the engine counts is read once as it is computed (`runItems` with `onCounted`) and dropped: what the decomposition
 * (F22) and the range of the change (F21) read from it is kept in typed arrays, one pool per side, instead of the
 * engine's result objects (their traces' context), and the uncertainty's per-factor sums and per-item values are
 * accumulated as they come, in the order `sumsOf` (uncertainty.ts) meets them, so the numbers are the same.
 *
 * Per result: its item key (kind, name and host: how two campaigns' indicators are matched), each slot's value and
 * whether it is counted (status OK), and for equipment the factors of its values (`EquipmentFactors`: the item's
 * q, τ, s, E, PUE, L and its template's modes and F or M per slot, shared by the items of one reference item and
 * location). Per criterion: each factor's sum S_f and each item's value and quality (F21).
 */
import type { Layout } from '../../engine/layout.js';
import { OK, type EquipmentFactors, type ItemResult } from '../../engine/result.js';
import { DEFAULT_DRAWS, deltaUncertaintyRange } from '../../steering/uncertainty.js';
import {
  FactorIds,
  activityOfValues,
  deltaFactors,
  qualityOf,
  traceFactorAt,
  type CriterionRange,
} from './uncertainty.js';

const S = '\u0000';

/** Key of an item's indicators: kind, name and its host (a VM or an application is named within its host). */
export const resultKey = (r: ItemResult): string =>
  r.kind +
  S +
  r.name +
  S +
  (r.physicalEquipment ?? '') +
  S +
  (r.virtualEquipment ?? '') +
  S +
  (r.dims.environment ?? '');

/** A growable typed array (doubling). */
export class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  /** Room for `n` more elements; returns the index of the first. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      const next = this.make(Math.max(at + n, this.data.length * 2));
      next.set(this.data.subarray(0, at));
      this.data = next;
    }
    this.length = at + n;
    return at;
  }
  push(x: number): void {
    const at = this.reserve(1); // before reading `data`, which `reserve` may replace
    this.data[at] = x;
  }
}
const f64 = (n: number) => new Grow(new Float64Array(n), (m) => new Float64Array(m));
const i32 = (n: number) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const u8 = (n: number) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));

/** One criterion's F21 sums on one side (as `sumsOf`): factor sums, and each item's value and quality by key id. */
export interface CompactSums {
  readonly unit: string;
  /** factor id → S_f and its u, in the order the factors are first met. */
  readonly factors: Map<string, { sum: number; u: number }>;
  /** Key ids of the items with a counted indicator of this criterion, in the order they are first met. */
  readonly order: Grow<Int32Array>;
  /** By key id: the item's value for the criterion (summed over its indicators). */
  readonly value: Grow<Float64Array>;
  /** By key id: 1 + the index of the item's quality in `qualities`, 0 when the item has no indicator here. */
  readonly quality: Grow<Uint8Array>;
}

/**
 * Builds a `CompactSide` from the counted results of a run, given one at a time in the engine's order (`add`), then
 * `done` with the run's layout.
 */
export class CompactBuilder {
  private layout: Layout | undefined;
  private ids: FactorIds | undefined;
  private n = 0;
  /** `capacity`: how many results to make room for at first (the arrays grow past it). */
  constructor(private readonly capacity = 1024) {
    this.keyIds = i32(capacity);
    this.firstOf = i32(capacity);
    this.item = f64(capacity * 6);
    this.template = i32(capacity);
  }
  private readonly keyIds: Grow<Int32Array>;
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly firstOf: Grow<Int32Array>;
  private readonly dups = new Map<number, number[]>();
  private values = f64(0);
  private ok = u8(0);
  private readonly item: Grow<Float64Array>;
  private readonly template: Grow<Int32Array>;
  private readonly templates: { readonly mode: ArrayLike<number>; readonly coef: ArrayLike<number> }[] = [];
  private readonly templateIndex = new Map<ArrayLike<number>, Map<ArrayLike<number>, number>>();
  private readonly qualities: string[] = [];
  private readonly sums = new Map<string, CompactSums>();
  /** By slot: its criterion's sums, and the factor it last added to with that factor's entry. */
  private readonly slotSums: (CompactSums | undefined)[] = [];
  private readonly lastFactor: (object | undefined)[] = [];
  private readonly lastEntry: ({ sum: number; u: number } | undefined)[] = [];

  private start(layout: Layout): void {
    this.layout = layout;
    this.ids = new FactorIds(layout);
    this.values = f64(this.capacity * layout.size);
    this.ok = u8(this.capacity * layout.size);
  }

  private templateOf(x: EquipmentFactors): number {
    let byCoef = this.templateIndex.get(x.mode);
    if (byCoef === undefined) this.templateIndex.set(x.mode, (byCoef = new Map()));
    let t = byCoef.get(x.coef);
    if (t === undefined) {
      t = this.templates.length;
      this.templates.push({ mode: x.mode, coef: x.coef });
      byCoef.set(x.coef, t);
    }
    return t;
  }

  private qualityCode(q: string): number {
    let i = this.qualities.indexOf(q);
    if (i < 0) i = this.qualities.push(q) - 1;
    return i + 1;
  }

  /** One counted result (in the order of the run's `counted`). */
  add(r: ItemResult, layout: Layout): void {
    if (this.layout === undefined) this.start(layout);
    const size = layout.size;
    const i = this.n++;
    const k = resultKey(r);
    let kid = this.keyIndex.get(k);
    if (kid === undefined) {
      kid = this.keys.push(k) - 1;
      this.keyIndex.set(k, kid);
      this.firstOf.push(i);
    } else {
      const l = this.dups.get(kid);
      if (l) l.push(i);
      else this.dups.set(kid, [this.firstOf.data[kid]!, i]);
    }
    this.keyIds.push(kid);
    const x = r.equipmentFactors; // read once per item (a getter building a small object)
    const j = this.item.reserve(6);
    if (x !== undefined) {
      this.item.data.set(x.item, j);
      this.template.push(this.templateOf(x));
    } else {
      this.item.data.fill(Number.NaN, j, j + 6);
      this.template.push(-1);
    }
    const at = this.values.reserve(size);
    this.ok.reserve(size);
    const values = this.values.data;
    const ok = this.ok.data;
    // The F21 sums, as `sumsOf` adds them (results in order, slots in order).
    const ids = this.ids!;
    let quality = 0;
    for (let slot = 0; slot < size; slot++) {
      const value = r.values[slot]!;
      values[at + slot] = value;
      if (r.status[slot] !== OK) {
        ok[at + slot] = 0;
        continue;
      }
      ok[at + slot] = 1;
      let s = this.slotSums[slot];
      if (s === undefined) {
        const criterion = layout.criterionOf(slot);
        s = this.sums.get(criterion);
        if (s === undefined) {
          s = {
            unit: layout.unitOf(slot),
            factors: new Map(),
            order: i32(this.capacity),
            value: f64(this.capacity),
            quality: u8(this.capacity),
          };
          this.sums.set(criterion, s);
        }
        this.slotSums[slot] = s;
      }
      const f = (x !== undefined ? ids.of(x, slot) : undefined) ?? traceFactorAt(r, slot, layout);
      // The last factor of this slot and its entry: items of one reference item in a row share the factor's object.
      let e = this.lastFactor[slot] === f ? this.lastEntry[slot] : s.factors.get(f.id);
      if (e) e.sum += value;
      else s.factors.set(f.id, (e = { sum: value, u: f.u }));
      this.lastFactor[slot] = f;
      this.lastEntry[slot] = e;
      if (kid >= s.value.length) {
        const from = s.value.length;
        s.value.reserve(kid + 1 - from);
        s.quality.reserve(kid + 1 - from);
        s.value.data.fill(0, from, kid + 1);
        s.quality.data.fill(0, from, kid + 1);
      }
      if (s.quality.data[kid] === 0) {
        quality ||= this.qualityCode(qualityOf(r));
        s.quality.data[kid] = quality;
        s.value.data[kid] = value;
        s.order.push(kid);
      } else s.value.data[kid] = s.value.data[kid]! + value;
    }
  }

  /** The side, once every counted result was added; `layout`: the run's (for a run that counted nothing). */
  done(layout: Layout): CompactSide {
    if (this.layout === undefined) this.start(layout);
    return new CompactSide({
      layout: this.layout!,
      n: this.n,
      keyIds: this.keyIds.data.subarray(0, this.n),
      keys: this.keys,
      keyIndex: this.keyIndex,
      firstOf: this.firstOf.data.subarray(0, this.keys.length),
      dups: this.dups,
      values: this.values.data,
      ok: this.ok.data,
      item: this.item.data,
      template: this.template.data.subarray(0, this.n),
      templates: this.templates,
      qualities: this.qualities,
      sums: this.sums,
    });
  }
}

interface Parts {
  readonly layout: Layout;
  readonly n: number;
  readonly keyIds: Int32Array;
  readonly keys: readonly string[];
  readonly keyIndex: ReadonlyMap<string, number>;
  readonly firstOf: Int32Array;
  readonly dups: ReadonlyMap<number, readonly number[]>;
  readonly values: Float64Array;
  readonly ok: Uint8Array;
  readonly item: Float64Array;
  readonly template: Int32Array;
  readonly templates: readonly { readonly mode: ArrayLike<number>; readonly coef: ArrayLike<number> }[];
  readonly qualities: readonly string[];
  readonly sums: ReadonlyMap<string, CompactSums>;
}

const NONE: readonly number[] = [];

/** A campaign's counted results, compact (see the module's comment); read-only once built. */
export class CompactSide {
  readonly layout: Layout;
  /** How many counted results. */
  readonly n: number;
  constructor(private readonly p: Parts) {
    this.layout = p.layout;
    this.n = p.n;
  }

  /** The item key of result `i`. */
  key(i: number): string {
    return this.p.keys[this.p.keyIds[i]!]!;
  }
  /** Whether several results share the item key of result `i`. */
  isDuplicate(i: number): boolean {
    return this.p.dups.has(this.p.keyIds[i]!);
  }
  value(i: number, slot: number): number {
    return this.p.values[i * this.layout.size + slot]!;
  }
  /** Whether slot `slot` of result `i` is counted (status OK). */
  counted(i: number, slot: number): boolean {
    return this.p.ok[i * this.layout.size + slot] === 1;
  }
  /** The factors of result `i`'s values (equipment), as `ItemResult.equipmentFactors` gave them; else undefined. */
  factors(i: number): EquipmentFactors | undefined {
    const t = this.p.template[i]!;
    if (t < 0) return undefined;
    const j = i * 6;
    const it = this.p.item;
    const { mode, coef } = this.p.templates[t]!;
    return { item: [it[j]!, it[j + 1]!, it[j + 2]!, it[j + 3]!, it[j + 4]!, it[j + 5]!], mode, coef };
  }
  /** The key id of result `i` (ids number the distinct item keys in the order they are first met). */
  keyIdOf(i: number): number {
    return this.p.keyIds[i]!;
  }
  /** How many distinct item keys. */
  get keyCount(): number {
    return this.p.keys.length;
  }
  /**
   * The results with key id `kid` (-1: none) whose slot `slot` is counted. `one`: an array of length 1 the caller lends
   * for the usual case of one result (read before the next call), so that no array is allocated per indicator.
   */
  rowsOf(kid: number, slot: number, one?: number[]): readonly number[] {
    if (slot < 0 || kid < 0) return NONE;
    const d = this.p.dups.get(kid);
    if (d !== undefined) return d.filter((i) => this.counted(i, slot));
    const i = this.p.firstOf[kid]!;
    if (!this.counted(i, slot)) return NONE;
    if (one === undefined) return [i];
    one[0] = i;
    return one;
  }
  /** `rowsOf` by item key. */
  rows(k: string, slot: number, one?: number[]): readonly number[] {
    return this.rowsOf(this.p.keyIndex.get(k) ?? -1, slot, one);
  }
  /** F21: the criteria in the order they were first met, with their sums. */
  get sums(): ReadonlyMap<string, CompactSums> {
    return this.p.sums;
  }
  keyOf(kid: number): string {
    return this.p.keys[kid]!;
  }
  keyId(k: string): number | undefined {
    return this.p.keyIndex.get(k);
  }
  quality(code: number): string {
    return this.p.qualities[code - 1]!;
  }
}

/** The items of two sides matched by item key: for each key id of one, the other's id of that key (-1: none). */
export interface KeyMatch {
  readonly bToA: Int32Array;
  readonly aToB: Int32Array;
}

/** `KeyMatch` of `before` and `after` (one look-up per distinct key of `after`). */
export function matchKeys(before: CompactSide, after: CompactSide): KeyMatch {
  const bToA = new Int32Array(before.keyCount).fill(-1);
  const aToB = new Int32Array(after.keyCount);
  for (let ka = 0; ka < aToB.length; ka++) {
    const kb = before.keyId(after.keyOf(ka)) ?? -1;
    aToB[ka] = kb;
    if (kb >= 0) bToA[kb] = ka;
  }
  return { bToA, aToB };
}

/** The compact side of counted results already held (as `runItems` with `counted: true` gives them). */
export function compactOf(counted: { readonly layout: Layout; readonly results: readonly ItemResult[] }): CompactSide {
  const b = new CompactBuilder();
  for (const r of counted.results) b.add(r, counted.layout);
  return b.done(counted.layout);
}

/** The quality code of item `kid` (-1: none) for a criterion on one side; 0 when it has no value there. */
function itemOf(s: CompactSums | undefined, kid: number): number {
  return s === undefined || kid < 0 || kid >= s.quality.length ? 0 : s.quality.data[kid]!;
}

/**
 * `deltaUncertainty` (uncertainty.ts) on two compact sides: the same factors in the same order, the same activity
 * terms (items in one campaign only with their value, items in both with the change of their value) in the same
 * order, so the same ranges.
 */
export function compactDeltaUncertainty(
  before: CompactSide,
  after: CompactSide,
  seed: string,
  draws = DEFAULT_DRAWS,
  match: KeyMatch = matchKeys(before, after),
): CriterionRange[] {
  const { bToA, aToB } = match;
  const b = before.sums;
  const a = after.sums;
  const criteria = [...new Set([...b.keys(), ...a.keys()])];
  return criteria.map((criterion) => {
    const sb = b.get(criterion);
    const sa = a.get(criterion);
    const factors = deltaFactors(sb, sa);
    function* changed(): Generator<{ value: number; quality: string }> {
      if (sb !== undefined) {
        const order = sb.order.data;
        for (let j = 0; j < sb.order.length; j++) {
          const kb = order[j]!;
          const vb = sb.value.data[kb]!;
          const ka = bToA[kb]!;
          const qa = itemOf(sa, ka);
          if (qa === 0) yield { value: vb, quality: before.quality(sb.quality.data[kb]!) };
          else yield { value: sa!.value.data[ka]! - vb, quality: after.quality(qa) };
        }
      }
      if (sa !== undefined) {
        const order = sa.order.data;
        for (let j = 0; j < sa.order.length; j++) {
          const ka = order[j]!;
          if (itemOf(sb, aToB[ka]!) !== 0) continue;
          yield { value: sa.value.data[ka]!, quality: after.quality(sa.quality.data[ka]!) };
        }
      }
    }
    return {
      criterion,
      unit: sa?.unit ?? sb?.unit ?? '',
      range: deltaUncertaintyRange({ factors, activity: activityOfValues(changed()), seed, draws }),
    };
  });
}
