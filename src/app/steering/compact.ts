/**
 * A campaign's counted results kept compactly for a comparison (issue 13: `compare` on a million lines). Each result
 * the engine counts is read once as it is computed (`runItems` with `onCounted`) and dropped: what the decomposition
 * (F22) and the range of the change (F21) read from it is kept in typed arrays, one pool per side, instead of the
 * engine's result objects (their traces' context), and the uncertainty's per-factor sums and per-item values are
 * accumulated as they come, in the order `sumsOf` (uncertainty.ts) meets them, so the numbers are the same.
 *
 * Per result: its item key (kind, name and host: how two campaigns' indicators are matched), its counted slots (status
 * OK) and their values, packed one after another (a result counts a few of its slots: a million results' 30 slots
 * would be 240 MB of values, most never read), and for equipment the factors of its values (`EquipmentFactors`: the item's
 * q, τ, s, E, PUE, L and its template's modes and F or M per slot, shared by the items of one reference item and
 * location). Per criterion: each factor's sum S_f and each item's value and quality (F21).
 */
import type { Layout } from '../../engine/layout.js';
import { OK, type EquipmentFactors, type ItemResult } from '../../engine/result.js';
import { slotFactorsInto } from '../../engine/index.js';
import { DEFAULT_DRAWS, deltaUncertaintyRange } from '../../steering/uncertainty.js';
import {
  ActivityOfValues,
  FactorIds,
  type ItemFactorCaches,
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
export class Grow<T extends Float64Array | Int32Array | Uint16Array | Uint8Array> {
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
/**
 * The size of an open-addressing table (a power of two, at least `least`) for `n` entries kept at most half full: sized
 * once for the entries known to come, instead of doubled (each new array is memory the garbage collector counts).
 */
export function tableSize(n: number, least: number): number {
  let size = least;
  while (size < 2 * n) size *= 2;
  return size;
}
const f64 = (n: number) => new Grow(new Float64Array(n), (m) => new Float64Array(m));
const i32 = (n: number) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const u8 = (n: number) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));
const u16 = (n: number) => new Grow(new Uint16Array(n), (m) => new Uint16Array(m));
/** The counted slots of a result at first, for the packed arrays' first size (they grow past it). */
const COUNTED_SLOTS_AT_FIRST = 8;

/** FNV-1a 32-bit and a multiplicative hash with murmur3's mixing, over char codes (the fingerprint of an item key). */
class Fingerprint {
  a = 0;
  b = 0;
  start(): void {
    this.a = 0x811c9dc5;
    this.b = 0x9747b28c;
  }
  char(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    let b = Math.imul(this.b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
    this.b = b;
  }
  string(s: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 13;
    }
    this.a = a;
    this.b = b;
  }
  /** The second hash, finalised (murmur3's). */
  end(): number {
    let b = this.b;
    b ^= b >>> 16;
    b = Math.imul(b, 0x85ebca6b);
    b ^= b >>> 13;
    b = Math.imul(b, 0xc2b2ae35);
    b ^= b >>> 16;
    return b;
  }
}

/** `ItemKeys` as structured-clone data (see `ItemKeys.toParts`). */
export interface ItemKeysParts {
  readonly hashMask: number;
  readonly slots: Int32Array<ArrayBuffer>;
  readonly ha: Int32Array<ArrayBuffer>;
  readonly hb: Int32Array<ArrayBuffer>;
  /** The distinct kinds, and each key's kind as an index into them. */
  readonly kinds: readonly string[];
  readonly kindCode: Uint8Array;
  readonly name: string[];
  readonly host: string[];
  readonly vm: string[];
  readonly env: string[];
}

/**
 * The distinct item keys of a side (`resultKey`), numbered in the order first met, without building a string per
 * result: each key is kept as its parts (kind, name, host, VM, environment: strings the results already hold) with a
 * 64-bit fingerprint (two 32-bit hashes of `resultKey`'s characters) in an open-addressing table of typed arrays. A
 * fingerprint match is confirmed: the same parts, or else the same `resultKey` text (so two keys sharing a fingerprint
 * are told apart, and two part lists making the same text are one key, as with the text).
 */
export class ItemKeys {
  private slots: Int32Array<ArrayBuffer>;
  private mask: number;
  private readonly ha: Grow<Int32Array<ArrayBuffer>>;
  private readonly hb: Grow<Int32Array<ArrayBuffer>>;
  private kind: string[] = [];
  private name: string[] = [];
  private host: string[] = [];
  private vm: string[] = [];
  private env: string[] = [];
  private readonly h = new Fingerprint();
  private h1 = 0;
  private h2 = 0;
  private lastKind: string | undefined;
  private kindA = 0;
  private kindB = 0;
  /**
   * `hashMask` (tests only): the fingerprints cut to these bits, so that different keys share them. `capacity`: how
   * many keys to make room for at first (the arrays grow past it).
   */
  constructor(
    private readonly hashMask = 0xffffffff,
    capacity = 1024,
  ) {
    this.slots = new Int32Array(tableSize(capacity, 2048));
    this.mask = this.slots.length - 1;
    this.ha = i32(capacity);
    this.hb = i32(capacity);
  }

  get size(): number {
    return this.name.length;
  }

  /** The keys as structured-clone data (`ItemKeys.fromParts` makes them again in another thread); kinds as codes. */
  toParts(): ItemKeysParts {
    const kinds: string[] = [];
    const codes = new Map<string, number>();
    const kindCode = new Uint8Array(this.kind.length);
    for (let id = 0; id < this.kind.length; id++) {
      const k = this.kind[id]!;
      let c = codes.get(k);
      if (c === undefined) {
        c = kinds.push(k) - 1;
        if (c > 255) throw new Error('item keys: more than 256 kinds');
        codes.set(k, c);
      }
      kindCode[id] = c;
    }
    const n = this.name.length;
    return {
      hashMask: this.hashMask,
      slots: this.slots,
      ha: this.ha.data.subarray(0, n),
      hb: this.hb.data.subarray(0, n),
      kinds,
      kindCode,
      name: this.name,
      host: this.host,
      vm: this.vm,
      env: this.env,
    };
  }

  /** The keys of `toParts()`. */
  static fromParts(p: ItemKeysParts): ItemKeys {
    const k = new ItemKeys(p.hashMask, 0);
    k.slots = p.slots;
    k.mask = p.slots.length - 1;
    const n = p.name.length;
    k.ha.data = p.ha;
    k.ha.length = n;
    k.hb.data = p.hb;
    k.hb.length = n;
    k.kind = Array.from(p.kindCode, (c) => p.kinds[c]!);
    k.name = p.name;
    k.host = p.host;
    k.vm = p.vm;
    k.env = p.env;
    return k;
  }

  private parts(kind: string, name: string, host: string, vm: string, env: string): void {
    const h = this.h;
    // The fingerprint's state after the kind and its separator, kept for the last kind (a side's results are mostly of
    // one kind): the same state as hashing them again, so the same fingerprint.
    if (kind !== this.lastKind) {
      h.start();
      h.string(kind);
      h.char(0);
      this.lastKind = kind;
      this.kindA = h.a;
      this.kindB = h.b;
    } else {
      h.a = this.kindA;
      h.b = this.kindB;
    }
    h.string(name);
    h.char(0);
    h.string(host);
    h.char(0);
    h.string(vm);
    h.char(0);
    h.string(env);
    this.h1 = h.a & this.hashMask;
    this.h2 = h.end() & this.hashMask;
  }

  private text(k: string): void {
    const h = this.h;
    h.start();
    h.string(k);
    this.h1 = h.a & this.hashMask;
    this.h2 = h.end() & this.hashMask;
  }

  /** The `resultKey` text of key `id`. */
  keyOf(id: number): string {
    return this.kind[id]! + S + this.name[id]! + S + this.host[id]! + S + this.vm[id]! + S + this.env[id]!;
  }

  private same(id: number, kind: string, name: string, host: string, vm: string, env: string): boolean {
    if (
      this.name[id] === name &&
      this.kind[id] === kind &&
      this.host[id] === host &&
      this.vm[id] === vm &&
      this.env[id] === env
    )
      return true;
    return this.keyOf(id) === kind + S + name + S + host + S + vm + S + env;
  }

  /** The id of a result's key, the key added when new. */
  idOf(r: ItemResult): number {
    const kind = r.kind;
    const name = r.name;
    const host = r.physicalEquipment ?? '';
    const vm = r.virtualEquipment ?? '';
    const env = r.dims.environment ?? '';
    this.parts(kind, name, host, vm, env);
    const { h1, h2 } = this;
    let i = h1 & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) break;
      const id = s - 1;
      if (this.ha.data[id] === h1 && this.hb.data[id] === h2 && this.same(id, kind, name, host, vm, env)) return id;
    }
    const id = this.name.length;
    this.kind.push(kind);
    this.name.push(name);
    this.host.push(host);
    this.vm.push(vm);
    this.env.push(env);
    this.ha.push(h1);
    this.hb.push(h2);
    this.slots[i] = id + 1;
    if (this.name.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.name.length; id++) {
      let i = this.ha.data[id]! & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = id + 1;
    }
  }

  /** The id of the key `k` (a `resultKey` text), undefined when absent. */
  idOfText(k: string): number | undefined {
    this.text(k);
    const { h1, h2 } = this;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) return undefined;
      const id = s - 1;
      if (this.ha.data[id] === h1 && this.hb.data[id] === h2 && this.keyOf(id) === k) return id;
    }
  }

  /** The id here of key `id` of `other` (a side of the same kind of results), -1 when absent. */
  idIn(other: ItemKeys, id: number): number {
    const h1 = other.ha.data[id]!;
    const h2 = other.hb.data[id]!;
    if (other.hashMask !== this.hashMask) return this.idOfText(other.keyOf(id)) ?? -1;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) return -1;
      const mine = s - 1;
      if (
        this.ha.data[mine] === h1 &&
        this.hb.data[mine] === h2 &&
        this.same(mine, other.kind[id]!, other.name[id]!, other.host[id]!, other.vm[id]!, other.env[id]!)
      )
        return mine;
    }
  }
}

/** One criterion's F21 sums on one side (as `sumsOf`): factor sums, and each item's value and quality by key id. */
/** A factor's S_f on one side and its u. */
interface FactorSum {
  sum: number;
  u: number;
}

export interface CompactSums {
  readonly unit: string;
  /** factor id → S_f and its u, in the order the factors are first met. */
  readonly factors: Map<string, FactorSum>;
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
  /**
   * `capacity`: how many results to make room for at first (the arrays grow past it). `hashMask` (tests only): see
   * `ItemKeys`.
   */
  constructor(
    private readonly capacity = 1024,
    hashMask?: number,
  ) {
    this.keys = new ItemKeys(hashMask, capacity);
    this.keyIds = i32(capacity);
    this.firstOf = i32(capacity);
    this.item = f64(capacity * 6);
    this.template = i32(capacity);
    this.end = i32(capacity);
    this.slots = u16(capacity * COUNTED_SLOTS_AT_FIRST);
    this.values = f64(capacity * COUNTED_SLOTS_AT_FIRST);
  }
  private readonly keyIds: Grow<Int32Array>;
  private readonly keys: ItemKeys;
  private readonly firstOf: Grow<Int32Array>;
  private readonly dups = new Map<number, number[]>();
  /** By result: the end of its counted slots in `slots` and `values` (they start at the previous result's end). */
  private readonly end: Grow<Int32Array>;
  /** The counted slots of the results, in result and slot order, and their values. */
  private readonly slots: Grow<Uint16Array>;
  private readonly values: Grow<Float64Array>;
  private readonly item: Grow<Float64Array>;
  private readonly template: Grow<Int32Array>;
  private readonly templates: { readonly mode: ArrayLike<number>; readonly coef: ArrayLike<number> }[] = [];
  private readonly templateIndex = new Map<ArrayLike<number>, Map<ArrayLike<number>, number>>();
  private lastMode: ArrayLike<number> | undefined;
  private lastCoef: ArrayLike<number> | undefined;
  private lastTemplate = -1;
  private readonly qualities: string[] = [];
  private readonly sums = new Map<string, CompactSums>();
  /** By slot: its criterion's sums. */
  private readonly slotSums: (CompactSums | undefined)[] = [];
  /**
   * By factor cache of `FactorIds` (an array per location's mixes, per reference item's factors): by slot, the F21
   * sum its factor adds to. Looked up once per item, so that a slot's factor is not looked up by id in its
   * criterion's map: the same cache's slot is the same factor, of the same criterion, so the same sum.
   */
  private readonly sumsOfCache = new Map<object, (FactorSum | undefined)[]>();
  /** The current item's `sumsOfCache` arrays, in the shape of its caches (for `FactorIds.cacheOf`). */
  private readonly itemSums: {
    use: (FactorSum | undefined)[] | undefined;
    embodied: (FactorSum | undefined)[] | undefined;
  } = { use: undefined, embodied: undefined };

  private start(layout: Layout): void {
    this.layout = layout;
    this.ids = new FactorIds(layout);
    if (layout.size > 0xffff) throw new Error(`compact side: ${layout.size} slots, more than a slot number holds`);
  }

  private templateOf(x: EquipmentFactors): number {
    // The last item's template first: items of one reference item and location share their mode and coef arrays.
    if (x.mode === this.lastMode && x.coef === this.lastCoef) return this.lastTemplate;
    this.lastMode = x.mode;
    this.lastCoef = x.coef;
    this.lastTemplate = this.templateIn(x);
    return this.lastTemplate;
  }

  private templateIn(x: EquipmentFactors): number {
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

  private sumsOf(cache: object | undefined): (FactorSum | undefined)[] | undefined {
    if (cache === undefined) return undefined;
    let sums = this.sumsOfCache.get(cache);
    if (sums === undefined) this.sumsOfCache.set(cache, (sums = []));
    return sums;
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
    const known = this.keys.size;
    const kid = this.keys.idOf(r);
    if (kid === known) this.firstOf.push(i);
    else {
      const l = this.dups.get(kid);
      if (l) l.push(i);
      else this.dups.set(kid, [this.firstOf.data[kid]!, i]);
    }
    this.keyIds.push(kid);
    const x = r.equipmentFactors; // read once per item (a getter building a small object)
    const j = this.item.reserve(6);
    if (x !== undefined) {
      const item = this.item.data;
      const q = x.item;
      // Six assignments: cheaper than `set` from an array.
      item[j] = q[0];
      item[j + 1] = q[1];
      item[j + 2] = q[2];
      item[j + 3] = q[3];
      item[j + 4] = q[4];
      item[j + 5] = q[5];
      this.template.push(this.templateOf(x));
    } else {
      this.item.data.fill(Number.NaN, j, j + 6);
      this.template.push(-1);
    }
    // The F21 sums, as `sumsOf` adds them (results in order, slots in order).
    const ids = this.ids!;
    let quality = 0;
    let caches: ItemFactorCaches | undefined; // looked up at the item's first counted slot
    // Room for all the slots at once, the length set to the counted ones at the end (one check per result, not two
    // pushes per slot).
    const from = this.values.reserve(size);
    this.slots.reserve(size);
    const slots = this.slots.data;
    const values = this.values.data;
    let p = from;
    const status = r.status;
    const rv = r.values;
    for (let slot = 0; slot < size; slot++) {
      if (status[slot] !== OK) continue;
      const value = rv[slot]!;
      slots[p] = slot;
      values[p++] = value;
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
      // The factor's sum: the one of the item's cache for this slot, else looked up by the factor's id (and remembered
      // for the cache when the factor comes from it; a factor from the trace is made for the result).
      let sums: (FactorSum | undefined)[] | undefined;
      let e: FactorSum | undefined;
      if (x !== undefined) {
        if (caches === undefined) {
          caches = ids.item(x);
          this.itemSums.use = this.sumsOf(caches.use);
          this.itemSums.embodied = this.sumsOf(caches.embodied);
        }
        sums = FactorIds.cacheOf(this.itemSums, x, slot);
        e = sums?.[slot];
      }
      if (e !== undefined) e.sum += value;
      else {
        const fromIds = x !== undefined ? ids.ofItem(caches!, x, slot) : undefined;
        const f = fromIds ?? traceFactorAt(r, slot, layout);
        e = s.factors.get(f.id);
        if (e) e.sum += value;
        else s.factors.set(f.id, (e = { sum: value, u: f.u }));
        if (fromIds !== undefined) sums![slot] = e;
      }
      // `s.value` and `s.quality` are zeros past their length (new arrays, never written there): no fill.
      if (kid >= s.value.length) {
        const from = s.value.length;
        s.value.reserve(kid + 1 - from);
        s.quality.reserve(kid + 1 - from);
      }
      if (s.quality.data[kid] === 0) {
        quality ||= this.qualityCode(qualityOf(r));
        s.quality.data[kid] = quality;
        s.value.data[kid] = value;
        s.order.push(kid);
      } else s.value.data[kid] = s.value.data[kid]! + value;
    }
    this.values.length = p;
    this.slots.length = p;
    this.end.push(p);
  }

  /** The side, once every counted result was added; `layout`: the run's (for a run that counted nothing). */
  done(layout: Layout): CompactSide {
    if (this.layout === undefined) this.start(layout);
    return new CompactSide({
      layout: this.layout!,
      n: this.n,
      keyIds: this.keyIds.data.subarray(0, this.n),
      keys: this.keys,
      firstOf: this.firstOf.data.subarray(0, this.keys.size),
      dups: this.dups,
      end: this.end.data.subarray(0, this.n),
      slots: this.slots.data.subarray(0, this.values.length),
      values: this.values.data.subarray(0, this.values.length),
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
  readonly keys: ItemKeys;
  readonly firstOf: Int32Array;
  readonly dups: ReadonlyMap<number, readonly number[]>;
  readonly end: Int32Array;
  readonly slots: Uint16Array;
  readonly values: Float64Array;
  readonly item: Float64Array;
  readonly template: Int32Array;
  readonly templates: readonly { readonly mode: ArrayLike<number>; readonly coef: ArrayLike<number> }[];
  readonly qualities: readonly string[];
  readonly sums: ReadonlyMap<string, CompactSums>;
}

const NONE: readonly number[] = [];

/**
 * A compact side as structured-clone data, its layout apart (`CompactSide.toTransfer`, `CompactSide.fromTransfer`):
 * its typed arrays (moved to the other thread, not copied), the item keys' strings, the F21 sums per criterion.
 */
export interface CompactSideData extends Omit<Parts, 'layout' | 'keys' | 'sums'> {
  readonly keys: ItemKeysParts;
  /** Per criterion, in the order first met: its sums, each array cut to its length. */
  readonly sums: ReadonlyMap<
    string,
    {
      readonly unit: string;
      readonly factors: Map<string, { sum: number; u: number }>;
      readonly order: Int32Array;
      readonly value: Float64Array;
      readonly quality: Uint8Array;
    }
  >;
}

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
    return this.p.keys.keyOf(this.p.keyIds[i]!);
  }
  /** Whether several results share the item key of result `i`. */
  isDuplicate(i: number): boolean {
    return this.p.dups.has(this.p.keyIds[i]!);
  }
  /** Where result `i`'s counted slots start in the packed arrays (`slotAt`, `valueAt`). */
  countedFrom(i: number): number {
    return i === 0 ? 0 : this.p.end[i - 1]!;
  }
  /** Where they end. */
  countedEnd(i: number): number {
    return this.p.end[i]!;
  }
  /** The slot of entry `j` of the packed arrays. */
  slotAt(j: number): number {
    return this.p.slots[j]!;
  }
  /** Its value. */
  valueAt(j: number): number {
    return this.p.values[j]!;
  }
  /** The entry of result `i`'s slot `slot` in the packed arrays (`slotAt`, `valueAt`), -1 when it is not counted. */
  entry(i: number, slot: number): number {
    const slots = this.p.slots;
    for (let j = this.countedFrom(i), end = this.p.end[i]!; j < end; j++) if (slots[j] === slot) return j;
    return -1;
  }
  /** The value of result `i`'s slot `slot` when it is counted; NaN otherwise (not kept). */
  value(i: number, slot: number): number {
    const j = this.entry(i, slot);
    return j < 0 ? Number.NaN : this.p.values[j]!;
  }
  /** Whether slot `slot` of result `i` is counted (status OK). */
  counted(i: number, slot: number): boolean {
    return this.entry(i, slot) >= 0;
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
  /**
   * `slotFactors` (engine/physical.ts) of result `i`'s slot `slot` without an object: `slotFactorsInto`, the engine's
   * one mapping of a slot's mode to its factors, on the item's six numbers kept here and its template's mode and
   * coefficients: the factors written into `out`, and 1 (embodied), 2 (use) or 0 (none; also not equipment) returned.
   */
  slotFactorsInto(i: number, slot: number, out: Float64Array): number {
    const t = this.p.template[i]!;
    if (t < 0) return 0;
    const { mode, coef } = this.p.templates[t]!;
    return slotFactorsInto(mode, coef, this.p.item, i * 6, slot, out);
  }
  /**
   * The one result with key id `kid`: its index; -1 when `kid` is -1 (no such key), -2 when the key has several results
   * (`rowsOf` then gives those counting a slot).
   */
  soleRowOf(kid: number): number {
    if (kid < 0) return -1;
    return this.p.dups.has(kid) ? -2 : this.p.firstOf[kid]!;
  }
  /** The key id of result `i` (ids number the distinct item keys in the order they are first met). */
  keyIdOf(i: number): number {
    return this.p.keyIds[i]!;
  }
  /** How many distinct item keys. */
  get keyCount(): number {
    return this.p.keys.size;
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
    return this.rowsOf(this.p.keys.idOfText(k) ?? -1, slot, one);
  }
  /** F21: the criteria in the order they were first met, with their sums. */
  get sums(): ReadonlyMap<string, CompactSums> {
    return this.p.sums;
  }
  keyOf(kid: number): string {
    return this.p.keys.keyOf(kid);
  }
  keyId(k: string): number | undefined {
    return this.p.keys.idOfText(k);
  }
  /** The id on this side of key id `kid` of `other`, -1 when absent. */
  keyIdIn(other: CompactSide, kid: number): number {
    return this.p.keys.idIn(other.p.keys, kid);
  }
  quality(code: number): string {
    return this.p.qualities[code - 1]!;
  }

  /** The side as structured-clone data and the buffers to move with it (the side is not usable here after). */
  toTransfer(): { data: CompactSideData; transfer: ArrayBuffer[] } {
    const { layout: _layout, keys, sums, ...p } = this.p;
    const data: CompactSideData = {
      ...p,
      keys: keys.toParts(),
      sums: new Map(
        [...sums].map(([c, x]) => [
          c,
          {
            unit: x.unit,
            factors: x.factors,
            order: x.order.data.subarray(0, x.order.length),
            value: x.value.data.subarray(0, x.value.length),
            quality: x.quality.data.subarray(0, x.quality.length),
          },
        ]),
      ),
    };
    const arrays: ArrayBufferView[] = [
      data.keyIds,
      data.firstOf,
      data.end,
      data.slots,
      data.values,
      data.item,
      data.template,
      data.keys.slots,
      data.keys.ha,
      data.keys.hb,
      data.keys.kindCode,
    ];
    for (const x of data.sums.values()) arrays.push(x.order, x.value, x.quality);
    return { data, transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))] };
  }

  /** The side of `toTransfer`'s data, with the run's layout (made again from its steps and criteria). */
  static fromTransfer(data: CompactSideData, layout: Layout): CompactSide {
    const grown = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): Grow<T> => {
      const g = new Grow(a, make);
      g.length = a.length;
      return g;
    };
    const sums = new Map<string, CompactSums>();
    for (const [c, x] of data.sums)
      sums.set(c, {
        unit: x.unit,
        factors: x.factors,
        order: grown(x.order, (m) => new Int32Array(m)),
        value: grown(x.value, (m) => new Float64Array(m)),
        quality: grown(x.quality, (m) => new Uint8Array(m)),
      });
    return new CompactSide({ ...data, layout, keys: ItemKeys.fromParts(data.keys), sums });
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
    const kb = before.keyIdIn(after, ka);
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
    // The activity terms in `deltaUncertainty`'s order, added as they come (no object per item).
    const activity = new ActivityOfValues();
    if (sb !== undefined) {
      const order = sb.order.data;
      for (let j = 0; j < sb.order.length; j++) {
        const kb = order[j]!;
        const vb = sb.value.data[kb]!;
        const ka = bToA[kb]!;
        const qa = itemOf(sa, ka);
        if (qa === 0) activity.add(vb, before.quality(sb.quality.data[kb]!));
        else activity.add(sa!.value.data[ka]! - vb, after.quality(qa));
      }
    }
    if (sa !== undefined) {
      const order = sa.order.data;
      for (let j = 0; j < sa.order.length; j++) {
        const ka = order[j]!;
        if (itemOf(sb, aToB[ka]!) !== 0) continue;
        activity.add(sa.value.data[ka]!, after.quality(sa.quality.data[ka]!));
      }
    }
    return {
      criterion,
      unit: sa?.unit ?? sb?.unit ?? '',
      range: deltaUncertaintyRange({ factors, activity: activity.classes(), seed, draws }),
    };
  });
}
