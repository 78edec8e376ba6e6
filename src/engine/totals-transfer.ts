/**
 * Item results reduced to what `Aggregator.add` reads, packed into typed arrays to cross from a worker thread to the
 * aggregating one (issue 11: the second part of a large table is assessed in a worker, its results are added in
 * input order by the main thread, so the totals are the same additions in the same order). `TotalsPacker` packs a
 * batch, `TotalsUnpacker` gives each item back as an `ItemResult` for the aggregator alone (no trace, no explain).
 *
 * Kept next to the aggregator: a field `Aggregator.add` starts reading must be packed here too (the parallel path's
 * tests compare its totals with the one-thread path's to the last digit).
 *
 * Per item: the status of every slot (an interned pattern), the values of the slots OK, the quantity, the electricity,
 * the lifetime, the dimensions (interned strings); the errors per slot and the engine's warning codes (interned by
 * content); the name and source line only for items with errors or out of the period (the aggregator lists the first
 * of them; an allocation's name too, which may key its application). Names are not interned (each item has its own: a map of them would cost a hash per item and hold every
 * name of the part): they are sent as one text with their ends, and the unpacked item slices its name only when the
 * aggregator reads it (the first items of its lists).
 */
import type { Issue } from '../issues/catalogue.js';
import type { SourceRef } from '../inventory/model.js';
import type { Aggregator, IdSpace } from './aggregate.js';
import type { Layout } from './layout.js';
import { OK, type IndicatorKind, type ItemDims, type ItemResult } from './result.js';

/** One packed batch (structured-clonable; the typed arrays' buffers can be transferred). */
export interface PackedTotals {
  readonly count: number;
  /** Per item: flags, status pattern, then the string ids of its fields (`FIELDS`). */
  readonly ints: Uint32Array;
  /** Per item: quantity, itKWh, facilityKWh, lifetimeYears (NaN: none), then the values of its slots OK. */
  readonly nums: Float64Array;
  /** The names of the items with errors or out of the period, one after the other, and where each ends. */
  readonly names: string;
  readonly nameEnds: Uint32Array;
  /** Strings, status patterns and error sets met for the first time in this batch (ids continue across batches). */
  readonly strings: readonly string[];
  readonly patterns: readonly Uint8Array[];
  readonly errorSets: readonly (readonly [number, Issue][])[];
  readonly warningSets: readonly (readonly string[])[];
  /** Item index → its period exclusion. */
  readonly outOfPeriod: ReadonlyMap<number, Issue>;
}

const F_IN_TOTAL = 1;
const F_LIFETIME = 2;
/** The item has errors or is out of the period: its name is in the batch's names, its file and line are packed. */
const F_NAMED = 4;
/**
 * Fields after the flags and the status pattern: kind, entity, the eight dimensions, the source file (string ids;
 * items with errors or out of the period), the source line + 1, the error set and the warning set.
 */
const FIELDS = 14;
const INTS = 2 + FIELDS;
const NONE = 0;

/** Growable typed arrays of one batch. */
class Column<A extends Uint32Array | Float64Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}

  reserve(n: number): A {
    if (this.length + n > this.data.length) {
      const bigger = this.make(Math.max(this.data.length * 2, this.length + n));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    return this.data;
  }

  /** The values so far (a copy: its buffer can be transferred), and the column emptied. */
  take(): A {
    const out = this.data.slice(0, this.length) as A;
    this.length = 0;
    return out;
  }
}

/** Packs item results batch by batch; ids of strings, patterns and sets continue from one batch to the next. */
export class TotalsPacker {
  private readonly strings = new Map<string, number>();
  /** Status patterns by their slots' statuses read as a number in base 3 (layouts of up to 33 slots), else as text. */
  private readonly patterns = new Map<number | string, number>();
  private readonly errorSets = new Map<string, number>();
  private readonly warningSets = new Map<string, number>();
  private readonly errorsSeen = new WeakMap<ReadonlyMap<number, Issue>, number>();
  /** Pattern ids by status array (the engine shares one per slot template; never written after). */
  private readonly patternsSeen = new WeakMap<object, number>();
  /** Per pattern id: its slots OK, in order (whose values are packed: no test per slot, the patterns vary). */
  private readonly okSlots: Int32Array[] = [];
  private readonly ints = new Column(new Uint32Array(1 << 14), (n) => new Uint32Array(n));
  private readonly nums = new Column(new Float64Array(1 << 13), (n) => new Float64Array(n));
  private names: string[] = [];
  private newStrings: string[] = [];
  private newPatterns: Uint8Array[] = [];
  private newErrorSets: [number, Issue][][] = [];
  private newWarningSets: string[][] = [];
  private outOfPeriod = new Map<number, Issue>();
  private count = 0;

  constructor(private readonly layout: Layout) {}

  /**
   * A direct-mapped cache in front of `strings`, indexed by a few characters and the length: most dimension values
   * are fresh strings read from each line, which a `Map` lookup hashes whole (measured: a third of the packing).
   */
  private readonly cacheKeys: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);
  private readonly cacheIds = new Uint32Array(4096);

  private str(s: string | undefined): number {
    if (s === undefined) return NONE;
    const n = s.length;
    const slot =
      n === 0
        ? 0
        : (n * 31 +
            s.charCodeAt(0) * 7 +
            s.charCodeAt(n >> 1) * 17 +
            s.charCodeAt(n - 1) * 131 +
            s.charCodeAt(n - 2 < 0 ? 0 : n - 2) * 1031) &
          4095;
    if (this.cacheKeys[slot] === s) return this.cacheIds[slot]!;
    let id = this.strings.get(s);
    if (id === undefined) {
      this.strings.set(s, (id = this.strings.size + 1));
      this.newStrings.push(s);
    }
    this.cacheKeys[slot] = s;
    this.cacheIds[slot] = id;
    return id;
  }

  private pattern(status: ArrayLike<number>): number {
    const seen = this.patternsSeen.get(status);
    if (seen !== undefined) return seen;
    const id = this.patternOf(status);
    this.patternsSeen.set(status, id);
    return id;
  }

  private patternOf(status: ArrayLike<number>): number {
    const n = this.layout.size;
    let key: number | string = 0;
    if (n <= 33) for (let s = 0; s < n; s++) key = key * 3 + (status[s] ?? 0);
    else key = Array.from({ length: n }, (_, s) => status[s] ?? 0).join('');
    let id = this.patterns.get(key);
    if (id === undefined) {
      this.patterns.set(key, (id = this.patterns.size));
      const pattern = Uint8Array.from({ length: n }, (_, s) => status[s] ?? 0);
      this.newPatterns.push(pattern);
      this.okSlots.push(okSlotsOf(pattern));
    }
    return id;
  }

  private set<T>(sets: Map<string, number>, fresh: T[], key: string, value: T): number {
    let id = sets.get(key);
    if (id === undefined) {
      sets.set(key, (id = sets.size + 1));
      fresh.push(value);
    }
    return id;
  }

  /** The id of an error set: by identity first (the engine shares the set of items of one template), then by content. */
  private errorSet(errors: ReadonlyMap<number, Issue>): number {
    let id = this.errorsSeen.get(errors);
    if (id === undefined) {
      const entries = [...errors];
      id = this.set(this.errorSets, this.newErrorSets, JSON.stringify(entries), entries);
      this.errorsSeen.set(errors, id);
    }
    return id;
  }

  /** The id of a warning set, by its codes (the engine's warnings are made per item: no identity to share). */
  private warningSet(warnings: readonly Issue[]): number {
    let key: string = warnings[0]!.code;
    for (let w = 1; w < warnings.length; w++) key += ',' + warnings[w]!.code;
    let id = this.warningSets.get(key);
    if (id === undefined) {
      this.warningSets.set(key, (id = this.warningSets.size + 1));
      this.newWarningSets.push(warnings.map((w) => w.code));
    }
    return id;
  }

  add(r: ItemResult): void {
    // The aggregator reads the name of items it lists (errors, out of the period) and of allocations (keyed by it).
    const named = r.errors.size > 0 || r.outOfPeriod !== undefined || !r.inTotal;
    const ints = this.ints.reserve(INTS);
    let i = this.ints.length;
    const d = r.dims;
    ints[i++] = (r.inTotal ? F_IN_TOTAL : 0) | (r.lifetimeYears !== undefined ? F_LIFETIME : 0) | (named ? F_NAMED : 0);
    const pattern = this.pattern(r.status);
    ints[i++] = pattern;
    ints[i++] = this.str(r.kind);
    if (named) this.names.push(r.name);
    ints[i++] = this.str(r.entity);
    ints[i++] = this.str(d.type);
    ints[i++] = this.str(d.country);
    ints[i++] = this.str(d.datacenter);
    ints[i++] = this.str(d.tier);
    ints[i++] = this.str(d.quality);
    ints[i++] = this.str(d.application);
    ints[i++] = this.str(d.domain);
    ints[i++] = this.str(d.environment);
    ints[i++] = named && r.at !== undefined ? this.str(r.at.file) : NONE;
    ints[i++] = named && r.at !== undefined ? r.at.line + 1 : NONE;
    ints[i++] = r.errors.size > 0 ? this.errorSet(r.errors) : NONE;
    ints[i++] = r.warnings.length > 0 ? this.warningSet(r.warnings) : NONE;
    this.ints.length = i;
    if (r.outOfPeriod !== undefined) this.outOfPeriod.set(this.count, r.outOfPeriod);
    const ok = this.okSlots[pattern]!;
    const nums = this.nums.reserve(4 + ok.length);
    let k = this.nums.length;
    nums[k++] = r.quantity;
    nums[k++] = r.itKWh;
    nums[k++] = r.facilityKWh;
    nums[k++] = r.lifetimeYears ?? NaN;
    const values = r.values;
    for (let j = 0; j < ok.length; j++) nums[k++] = values[ok[j]!]!;
    this.nums.length = k;
    this.count++;
  }

  /** The batch packed so far (and a new batch started). */
  take(): PackedTotals {
    const names = this.names;
    const nameEnds = new Uint32Array(names.length);
    let end = 0;
    for (let j = 0; j < names.length; j++) nameEnds[j] = end += names[j]!.length;
    const out: PackedTotals = {
      count: this.count,
      ints: this.ints.take(),
      nums: this.nums.take(),
      names: names.join(''),
      nameEnds,
      strings: this.newStrings,
      patterns: this.newPatterns,
      errorSets: this.newErrorSets,
      warningSets: this.newWarningSets,
      outOfPeriod: this.outOfPeriod,
    };
    this.names = [];
    this.newStrings = [];
    this.newPatterns = [];
    this.newErrorSets = [];
    this.newWarningSets = [];
    this.outOfPeriod = new Map();
    this.count = 0;
    return out;
  }
}

/** The slots OK of a status pattern, in order: where its packed values come from and go (packer and unpacker). */
function okSlotsOf(pattern: Uint8Array): Int32Array {
  const ok: number[] = [];
  for (let slot = 0; slot < pattern.length; slot++) if (pattern[slot] === OK) ok.push(slot);
  return Int32Array.from(ok);
}

const noTrace = (): never => {
  throw new Error('an item result unpacked for the totals has no trace');
};

/**
 * The item being unpacked: one object rewritten for each item (the aggregator keeps nothing of it but copies). Its
 * name is sliced from the batch's names when read. Every field is set by `next()` for every item (one shape).
 */
class UnpackedItem {
  kind: IndicatorKind = 'physical-equipment';
  entity: string | undefined = undefined;
  quantity = 0;
  /** The values of the slots OK; other slots hold whatever an earlier item left there (never read for them). */
  values: number[];
  status: ArrayLike<number>;
  errors: ReadonlyMap<number, Issue>;
  itKWh = 0;
  facilityKWh = 0;
  lifetimeYears: number | undefined = undefined;
  readonly dims = {
    type: undefined as string | undefined,
    country: undefined as string | undefined,
    datacenter: undefined as string | undefined,
    tier: '' as ItemDims['tier'],
    quality: undefined as ItemDims['quality'] | undefined,
    application: undefined as string | undefined,
    domain: undefined as string | undefined,
    environment: undefined as string | undefined,
  };
  warnings: readonly Issue[];
  inTotal = true;
  outOfPeriod: Issue | undefined = undefined;
  at: SourceRef | undefined = undefined;
  /** The batch's names, and where this item's name starts and ends in them (equal: no name). */
  names = '';
  nameStart = 0;
  nameEnd = 0;
  readonly explain = noTrace;

  constructor(n: number, noErrors: ReadonlyMap<number, Issue>, noWarnings: readonly Issue[]) {
    this.values = new Array<number>(n).fill(0);
    this.status = new Uint8Array(n);
    this.errors = noErrors;
    this.warnings = noWarnings;
  }

  get name(): string {
    return this.names.slice(this.nameStart, this.nameEnd);
  }
}

/** Unpacks batches in the order they were packed. */
export class TotalsUnpacker {
  private readonly strings: (string | undefined)[] = [undefined];
  private readonly patterns: Uint8Array[] = [];
  /** Per pattern: its slots OK, in order (where the packed values go). */
  private readonly okSlots: Int32Array[] = [];
  private readonly errorSets: (ReadonlyMap<number, Issue> | undefined)[] = [undefined];
  private readonly warningSets: (readonly Issue[] | undefined)[] = [undefined];
  private readonly noErrors: ReadonlyMap<number, Issue> = new Map();
  private readonly noWarnings: readonly Issue[] = [];
  /** The ids of the packer's strings as the aggregator given to `addNext` keeps them (made at the first item). */
  private ids: IdSpace | undefined;

  constructor(private readonly layout: Layout) {}

  /**
   * The items of a batch, one by one (`next()` for each item packed, in order). The result given by `next()` is one
   * object rewritten for each item (the aggregator keeps nothing of it but copies): valid until the next call.
   */
  batch(p: PackedTotals): UnpackedBatch {
    for (const s of p.strings) this.strings.push(s);
    for (const s of p.patterns) {
      this.patterns.push(s);
      this.okSlots.push(okSlotsOf(s));
    }
    for (const e of p.errorSets) this.errorSets.push(new Map(e));
    for (const w of p.warningSets) this.warningSets.push(w.map((code) => ({ code }) as Issue));
    const { ints, nums, outOfPeriod, nameEnds } = p;
    const n = this.layout.size;
    const str = this.strings;
    const r = new UnpackedItem(n, this.noErrors, this.noWarnings);
    r.names = p.names;
    const dims = r.dims;
    const at = { file: '', line: 0 };
    let i = 0;
    let k = 0;
    let item = 0;
    let named = 0;
    const next = (): ItemResult => {
      const flags = ints[i]!;
      const pattern = ints[i + 1]!;
      const status = this.patterns[pattern]!;
      const ok = this.okSlots[pattern]!;
      const f = i + 2;
      const values = r.values;
      r.quantity = nums[k]!;
      r.itKWh = nums[k + 1]!;
      r.facilityKWh = nums[k + 2]!;
      r.lifetimeYears = flags & F_LIFETIME ? nums[k + 3]! : undefined;
      k += 4;
      // The slots OK only: the others keep an earlier item's value (the aggregator reads the values of slots OK).
      for (let j = 0; j < ok.length; j++) values[ok[j]!] = nums[k + j]!;
      k += ok.length;
      r.status = status;
      r.kind = str[ints[f]!] as IndicatorKind;
      if (flags & F_NAMED) {
        r.nameStart = named === 0 ? 0 : nameEnds[named - 1]!;
        r.nameEnd = nameEnds[named++]!;
      } else r.nameStart = r.nameEnd = 0;
      r.entity = str[ints[f + 1]!];
      dims.type = str[ints[f + 2]!];
      dims.country = str[ints[f + 3]!];
      dims.datacenter = str[ints[f + 4]!];
      dims.tier = str[ints[f + 5]!] as ItemDims['tier'];
      dims.quality = str[ints[f + 6]!] as ItemDims['quality'] | undefined;
      dims.application = str[ints[f + 7]!];
      dims.domain = str[ints[f + 8]!];
      dims.environment = str[ints[f + 9]!];
      const file = str[ints[f + 10]!];
      const line = ints[f + 11]!;
      if (file !== undefined && line !== NONE) {
        at.file = file;
        at.line = line - 1;
        r.at = at;
      } else r.at = undefined;
      r.errors = this.errorSets[ints[f + 12]!] ?? this.noErrors;
      r.warnings = this.warningSets[ints[f + 13]!] ?? this.noWarnings;
      r.inTotal = (flags & F_IN_TOTAL) !== 0;
      r.outOfPeriod = outOfPeriod.size > 0 ? outOfPeriod.get(item) : undefined; // a lookup only when any
      i += INTS;
      item++;
      return r as ItemResult;
    };
    return {
      next,
      addNext: (agg: Aggregator): void => {
        const f = i + 2;
        const r = next();
        // The item's strings by id (`Aggregator.addIndexed`): ids are the packer's, one per string for the run.
        const ids = (this.ids ??= agg.idSpace());
        ids.kind = ints[f]!;
        ids.entity = ints[f + 1]!;
        ids.type = ints[f + 2]!;
        ids.country = ints[f + 3]!;
        ids.datacenter = ints[f + 4]!;
        ids.tier = ints[f + 5]!;
        ids.quality = ints[f + 6]!;
        ids.warnings = ints[f + 13]!;
        agg.addIndexed(r, ids);
      },
    };
  }
}

/** The items of one packed batch, in order: each taken once, by `next` or `addNext`. */
export interface UnpackedBatch {
  /**
   * The next item. The result is one object rewritten for each item (the aggregator keeps nothing of it but copies):
   * valid until the next call.
   */
  next(): ItemResult;
  /** The next item added to `agg` (`Aggregator.addIndexed`: the same additions as `agg.add(next())`). */
  addNext(agg: Aggregator): void;
}
