/**
 * The inventory diff of a comparison (issue 13: `compare` on a million lines) without holding campaign 0's items
 * while campaign 1 is read: items matched by kind and natural key (§2.11), as `inventoryDiff` (compare.ts) matches
 * them, with the same result.
 *
 * Campaign 0's items are given first (`before`), then campaign 1's (`after`), then `result`. Of campaign 0, only each
 * item's record is kept (its fields but `at`, written as bytes by `RecordStore`, records one after another in chunks
 * of bytes: no object nor string per item), its quantity, and per distinct key a 64-bit fingerprint (two 32-bit hashes of kind and key) in an
 * open-addressing table of typed arrays. Campaign 1's items are matched as they come:
 *
 * - a fingerprint match is confirmed, never assumed: when the item's record (written over the previous item's, in a
 *   scratch store) has campaign 0's bytes, every field has the same JSON (so the key, made of those fields, is the same too) and the
 *   item is unchanged; otherwise campaign 0's key is read back from its record and compared with the item's key, so
 *   two keys that share a fingerprint are told apart;
 * - a changed item is kept until `result`, which lists the fields whose JSON differs (campaign 0's record read back
 *   to values of the same JSON), or counts it unchanged when none does (the same fields in another order);
 * - labels (removed and changed items) are computed from the records at the end, only for those items.
 *
 * A key met twice in a campaign (the pipeline rejects such lines; `inventoryDiff` accepts them) keeps its first place
 * and its last item, as in `inventoryDiff`.
 *
 * When campaign 1 is read in another thread (`compare` in two threads), its items come as records written there
 * (`DiffRecordsBuilder`, the same record and fingerprint, its bytes moved between the threads, not copied) and are
 * matched in order (`afterRecords`): a record equal to campaign 0's is the unchanged item `after` finds; the others are read back to values of the same JSON.
 */
import { KeyHasher } from '../../inventory/key-index.js';
import type { InventoryItem, InventoryKind } from '../../inventory/model.js';
import { naturalKey, naturalKeyString, physicalKeySuffix } from '../../inventory/pipeline/natural-key.js';
import { Grow, tableSize } from './compact.js';
import type { ChangedItem, DiffItem, InventoryDiff } from './compare.js';

const S = '\u0000';
const KINDS: readonly InventoryKind[] = [
  'datacenter',
  'entity',
  'physical-equipment',
  'virtual-equipment',
  'application',
  'non-it',
  'messaging',
];
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));
/** The first and the largest size of a record store's byte chunks (a store holds a campaign's records). */
const FIRST_CHUNK_BYTES = 1 << 16;
const CHUNK_BYTES = 1 << 24;
/**
 * The bytes of a record at first, for the first chunk of a store given how many items it will hold (`RecordStore`);
 * the largest first chunk: 256 MiB (2M items), so that what is asked of the system at once stays moderate where
 * memory is not over-committed; larger campaigns go on in 16 MiB chunks.
 */
const RECORD_BYTES_AT_FIRST = 128;
const LARGEST_FIRST_CHUNK_BYTES = 1 << 28;

/** The first chunk of a store for `items` records: room for all of them at `RECORD_BYTES_AT_FIRST` bytes each. */
export const firstChunkBytes = (items: number): number =>
  Math.min(LARGEST_FIRST_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, items * RECORD_BYTES_AT_FIRST));

const i32 = (n: number) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const f64 = (n: number) => new Grow(new Float64Array(n), (m) => new Float64Array(m));
const u8 = (n: number) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));

/** Whether a field's value is written in a record (JSON leaves these out). */
const written = (v: unknown): boolean => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';

const TAG_STRING = 115; // s
const TAG_NUMBER = 110; // n
const TAG_JSON = 106; // j

/**
 * The field names of the inventory model (src/inventory/model.ts), each written in a record as one byte (its index +
 * 1) instead of its length and characters (most of a record's bytes otherwise). A module constant: the same codes in
 * both threads. A name not in the list is written as `FIELD_OTHER`, its length and its characters. At most 255 names.
 */
const FIELD_NAMES: readonly string[] = (
  'name longName pue location entity dataSource quality model type quantity status country ' +
  'datacenter purchaseDate retirementDate internalLifeYears upstreamLifeYears downstreamLifeYears ' +
  'annualKWh user cores usageMode usageRate manufacturer cpuType memoryGB diskGB ssdCount ssdSizeGb ' +
  'hddCount usageHours userCount refurbishedRate reuseRate serverFlag endOfLife host hostDataSource ' +
  'allocationKey vcpu cluster vmType storage infrastructure provider instanceType avgLoad ' +
  'annualHours environment vm vmDataSource domain subDomain lifeYears description sentCount ' +
  'sentTimesRecipients totalVolume year month collaborators manager sustainabilityLead'
).split(' ');
const FIELD_CODE: ReadonlyMap<string, number> = new Map(FIELD_NAMES.map((f, i) => [f, i + 1]));
/** The code of a field name not in `FIELD_NAMES`: its length and characters follow. */
const FIELD_OTHER = 0;

/**
 * Records written as bytes, one after another in chunks (a record never straddles two): no string per record, no text
 * to join, buffers that move to another thread without a copy.
 *
 * An item's record: its fields but `at` (where it was read, not a change) and those JSON leaves out, each written as
 * its name's code (`FIELD_NAMES`; else `FIELD_OTHER`, the name's length and the name), then `s` + length + text for a
 * string, `n` + the number's 8 bytes (its float64, in this machine's byte order: both threads share it) for a number,
 * `j` + length + JSON text for any other value. Lengths count UTF-16 code units, written 7 bits to a byte (the high
 * bit: more bytes follow); each code unit takes 1 byte below 0x80, 2 below 0x800, else 3 (as UTF-8 writes them, lone
 * surrogates included), so the bytes say which code units were written. Each field's bytes are a prefix code (a
 * name's code, then a tag that says how many bytes follow), so two items with the same record have the same fields in
 * the same order, with the same strings, the same numbers (the same float64, so the same JSON) and the same JSON. The
 * converse does not hold (-0 and 0, NaN and null: the same JSON, other bytes): the diff's result then compares the
 * fields' JSON. `RecordReader` reads a record back to values of that JSON.
 */
export class RecordStore {
  readonly chunks: Uint8Array[] = [];
  /** A view of each chunk, to compare records four bytes at a time (`sameBytes`). */
  readonly views: DataView[] = [];
  private cur = new Uint8Array(0);
  private pos = 0;
  /** Where the record being written starts in `cur`. */
  private start = 0;
  /** A number's 8 bytes (written through `float`). */
  private readonly float = new Float64Array(1);
  private readonly floatBytes = new Uint8Array(this.float.buffer);
  /** The name and code of each field position last written: items of one kind have their fields in one order. */
  private readonly lastName: (string | undefined)[] = [];
  private readonly lastCode: number[] = [];

  /**
   * `firstChunk`: the size of the first chunk. A campaign's store is given room for all its records at once: each new
   * array buffer counts as external memory, and every 64 MiB of it since the last full garbage collection starts one,
   * which marks the whole heap (a campaign's items, hundreds of MiB, while its records are written): one large chunk
   * is one such count, where chunks growing one by one were many.
   */
  constructor(private readonly firstChunk = FIRST_CHUNK_BYTES) {}

  /** Room for `n` more bytes in the current chunk; a record begun there moves to a new chunk when it has none. */
  private room(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    const partial = this.pos - this.start;
    const size =
      this.cur.length === 0 ? this.firstChunk : Math.min(CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, this.cur.length * 2));
    const next = new Uint8Array(Math.max(size, 2 * (partial + n)));
    next.set(this.cur.subarray(this.start, this.pos));
    // A chunk that holds nothing but the partial record is replaced, not kept.
    const view = new DataView(next.buffer);
    if (this.start === 0 && this.chunks.length > 0) {
      this.chunks[this.chunks.length - 1] = next;
      this.views[this.views.length - 1] = view;
    } else {
      this.chunks.push(next);
      this.views.push(view);
    }
    this.cur = next;
    this.pos = partial;
    this.start = 0;
  }

  private length(n: number): void {
    this.room(8);
    const d = this.cur;
    let p = this.pos;
    while (n >= 0x80) {
      d[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    d[p++] = n;
    this.pos = p;
  }

  private byte(b: number): void {
    this.room(1);
    this.cur[this.pos++] = b;
  }

  private chars(s: string): void {
    const n = s.length;
    this.room(3 * n);
    const d = this.cur;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) d[p++] = c;
      else if (c < 0x800) {
        d[p++] = 0xc0 | (c >> 6);
        d[p++] = 0x80 | (c & 0x3f);
      } else {
        d[p++] = 0xe0 | (c >> 12);
        d[p++] = 0x80 | ((c >> 6) & 0x3f);
        d[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = p;
  }

  /** Writes `item`'s record; then `chunk`, `at` and `size` say where it is. */
  write(item: object): void {
    this.start = this.pos;
    const o = item as Record<string, unknown>;
    let field = 0;
    for (const k in o) {
      if (k === 'at') continue;
      const v = o[k];
      if (!written(v)) continue;
      // The code of the name at this position in the previous record, else looked up.
      const code = this.lastName[field] === k ? this.lastCode[field]! : (FIELD_CODE.get(k) ?? FIELD_OTHER);
      this.lastName[field] = k;
      this.lastCode[field++] = code;
      this.byte(code);
      if (code === FIELD_OTHER) {
        this.length(k.length);
        this.chars(k);
      }
      if (typeof v === 'string') {
        this.byte(TAG_STRING);
        this.length(v.length);
        this.chars(v);
      } else if (typeof v === 'number') {
        this.room(9);
        const d = this.cur;
        const p = this.pos;
        d[p] = TAG_NUMBER;
        this.float[0] = v;
        const b = this.floatBytes;
        for (let i = 0; i < 8; i++) d[p + 1 + i] = b[i]!;
        this.pos = p + 9;
      } else {
        const j = JSON.stringify(v);
        this.byte(TAG_JSON);
        this.length(j.length);
        this.chars(j);
      }
    }
    if (this.chunks.length === 0) this.room(1); // an empty record has a chunk too
  }

  /** The chunk of the record last written. */
  get chunk(): number {
    return this.chunks.length - 1;
  }
  /** Its first byte in the chunk. */
  get at(): number {
    return this.start;
  }
  /** Its bytes. */
  get size(): number {
    return this.pos - this.start;
  }
  /** The next record written replaces the last one (a scratch record). */
  rewind(): void {
    this.pos = this.start;
  }
}

/**
 * Whether bytes `[ai, ai + n)` of `a` are bytes `[bi, bi + n)` of `b` (views of whole chunks): four bytes at a time
 * (records start anywhere in their chunks: a view reads four bytes at any offset), then the last ones one by one.
 */
export function sameBytes(a: DataView, ai: number, b: DataView, bi: number, n: number): boolean {
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getInt32(ai + i, true) !== b.getInt32(bi + i, true)) return false;
  for (; i < n; i++) if (a.getUint8(ai + i) !== b.getUint8(bi + i)) return false;
  return true;
}

/** Views of chunks of bytes (`sameBytes`). */
const viewsOf = (chunks: readonly Uint8Array[]): DataView[] =>
  chunks.map((c) => new DataView(c.buffer, c.byteOffset, c.byteLength));

/** Reads records (`RecordStore`) back: their fields, values of the same JSON as the items'. */
class RecordReader {
  /** A number's 8 bytes (read through `floatBytes`). */
  private readonly float = new Float64Array(1);
  private readonly floatBytes = new Uint8Array(this.float.buffer);

  read(d: Uint8Array, from: number, end: number): Record<string, unknown> {
    let p = from;
    const length = (): number => {
      let n = 0;
      let scale = 1;
      for (;;) {
        const b = d[p++]!;
        n += (b & 0x7f) * scale;
        if (b < 0x80) return n;
        scale *= 0x80;
      }
    };
    const codes: number[] = [];
    const chars = (n: number): string => {
      // Mostly short ASCII values: one byte per code unit, added one by one (cheaper than any call on a view of the
      // bytes for a few characters).
      if (n <= 32) {
        let t = '';
        let i = 0;
        for (; i < n; i++) {
          const b = d[p + i]!;
          if (b >= 0x80) break;
          t += String.fromCharCode(b);
        }
        if (i === n) {
          p += n;
          return t;
        }
      }
      let out = '';
      codes.length = 0;
      for (let i = 0; i < n; i++) {
        const b = d[p++]!;
        if (b < 0x80) codes.push(b);
        else if (b < 0xe0) codes.push(((b & 0x1f) << 6) | (d[p++]! & 0x3f));
        else {
          const c = ((b & 0x0f) << 12) | ((d[p]! & 0x3f) << 6) | (d[p + 1]! & 0x3f);
          p += 2;
          codes.push(c);
        }
        if (codes.length === 4096) {
          out += String.fromCharCode(...codes);
          codes.length = 0;
        }
      }
      return out + String.fromCharCode(...codes);
    };
    const o: Record<string, unknown> = {};
    const float = this.floatBytes;
    while (p < end) {
      const code = d[p++]!;
      const k = code === FIELD_OTHER ? chars(length()) : FIELD_NAMES[code - 1]!;
      const tag = d[p++];
      if (tag === TAG_NUMBER) {
        for (let i = 0; i < 8; i++) float[i] = d[p + i]!;
        p += 8;
        o[k] = this.float[0];
      } else {
        const v = chars(length());
        o[k] = tag === TAG_STRING ? v : JSON.parse(v);
      }
    }
    return o;
  }
}

/**
 * `JSON.stringify(x) === JSON.stringify(y)`, without writing the two texts when the answer is plain: equal values, or
 * two different strings, or two different finite numbers.
 */
export function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x === 'string' && typeof y === 'string') return false;
  if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

const quantityOf = (item: object): number | undefined =>
  'quantity' in item && typeof item.quantity === 'number' ? item.quantity : undefined;

/** The fingerprint of an item's kind and natural key (`h1`, `h2`): the same for both campaigns and both threads. */
class ItemFingerprint {
  h1 = 0;
  h2 = 0;
  private readonly hasher = new KeyHasher();
  constructor(
    private readonly mode: 'strict' | 'lenient',
    private readonly hashMask: number,
  ) {}

  /** Of kind code `k` and key `key` (`key + '\u0000' + suffix` when a suffix is given). */
  private hash(k: number, key: string, suffix: string | undefined): void {
    const h = this.hasher;
    h.hash(key, suffix, k);
    this.h1 = h.a & this.hashMask;
    this.h2 = h.b & this.hashMask;
  }

  item(k: number, x: InventoryItem): void {
    if (x.kind === 'physical-equipment') this.hash(k, x.item.name, physicalKeySuffix(x.item, this.mode));
    else this.hash(k, naturalKeyString(x, this.mode), undefined);
  }
}

/**
 * Campaign 1's items as records (`RecordStore`) with their kind and fingerprint, in input order, for a comparison
 * whose campaign 1 is read in another thread (`InventoryDiffBuilder.afterRecords`): typed arrays and byte chunks,
 * all moved to the other thread, not copied. The same records as campaign 0's, so matching a record is matching the
 * item.
 */
export interface DiffRecords {
  readonly n: number;
  readonly kind: Uint8Array;
  readonly ha: Int32Array;
  readonly hb: Int32Array;
  /** Record `r`'s bytes: `bytes[chunk[r]]` from `off[r]`, `len[r]` of them. */
  readonly chunk: Int32Array;
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly bytes: readonly Uint8Array[];
  /** The natural keys' mode and the fingerprints' mask (they must be the builder's). */
  readonly strict: boolean;
  readonly hashMask: number;
}

/** Builds `DiffRecords` from campaign 1's items, given in input order. */
export class DiffRecordsBuilder {
  private n = 0;
  private readonly kind: Grow<Uint8Array>;
  private readonly ha: Grow<Int32Array>;
  private readonly hb: Grow<Int32Array>;
  private readonly chunk: Grow<Int32Array>;
  private readonly off: Grow<Int32Array>;
  private readonly len: Grow<Int32Array>;
  private readonly store: RecordStore;
  private readonly fingerprint: ItemFingerprint;

  /**
   * `strict`, `hashMask`: as the `InventoryDiffBuilder` the records are for. `capacity`: how many items to make room
   * for at first (the arrays grow past it).
   */
  constructor(
    private readonly strict = false,
    private readonly hashMask = 0xffffffff,
    capacity = 1024,
  ) {
    this.fingerprint = new ItemFingerprint(strict ? 'strict' : 'lenient', hashMask);
    this.store = new RecordStore(firstChunkBytes(capacity));
    this.kind = u8(capacity);
    this.ha = i32(capacity);
    this.hb = i32(capacity);
    this.chunk = i32(capacity);
    this.off = i32(capacity);
    this.len = i32(capacity);
  }

  add(x: InventoryItem): void {
    const k = KIND_CODE.get(x.kind)!;
    const store = this.store;
    store.write(x.item);
    const f = this.fingerprint;
    f.item(k, x);
    this.n++;
    this.kind.push(k);
    this.ha.push(f.h1);
    this.hb.push(f.h2);
    this.chunk.push(store.chunk);
    this.off.push(store.at);
    this.len.push(store.size);
  }

  done(): DiffRecords {
    const n = this.n;
    return {
      n,
      kind: this.kind.data.slice(0, n),
      ha: this.ha.data.slice(0, n),
      hb: this.hb.data.slice(0, n),
      chunk: this.chunk.data.slice(0, n),
      off: this.off.data.slice(0, n),
      len: this.len.data.slice(0, n),
      bytes: this.store.chunks,
      strict: this.strict,
      hashMask: this.hashMask,
    };
  }
}

/** The buffers of `DiffRecords` (to move them to another thread). */
export const diffRecordsTransfer = (r: DiffRecords): ArrayBuffer[] =>
  [r.kind, r.ha, r.hb, r.chunk, r.off, r.len, ...r.bytes].map((a) => a.buffer as ArrayBuffer);

export class InventoryDiffBuilder {
  private readonly mode: 'strict' | 'lenient';
  /** Open-addressing table: entry index + 1 per slot, 0 when empty. */
  private slots: Int32Array;
  private mask: number;
  // Per entry (a distinct key of campaign 0, in the order first met).
  private entries = 0;
  private readonly kind: Grow<Uint8Array>;
  private readonly ha: Grow<Int32Array>;
  private readonly hb: Grow<Int32Array>;
  /** The record of the key's last item in campaign 0. */
  private readonly recOf: Grow<Int32Array>;
  /** Campaign 1's item with the key: -1 none, -2 the same record, else its index in `changedAfter`. */
  private readonly other: Grow<Int32Array>;
  // Per record of campaign 0: its bytes in `store`, chunk `chunk[r]` from `off[r]`, `len[r]` of them.
  private records = 0;
  private readonly store: RecordStore;
  private readonly chunk: Grow<Int32Array>;
  private readonly off: Grow<Int32Array>;
  private readonly len: Grow<Int32Array>;
  private readonly quantity: Grow<Float64Array>;
  private readonly hasQuantity: Grow<Uint8Array>;
  private readonly reader = new RecordReader();
  /** Campaign 1's item's record in `after` (written, compared, then written over by the next one). */
  private readonly scratch = new RecordStore();
  /** Campaign 1's items with a key of campaign 0 and another record. */
  private changedAfter: object[] = [];
  /** Campaign 1's items whose key campaign 0 has not, by kind and key (first place, last item). */
  private readonly added = new Map<string, DiffItem>();
  private unmatched: number[] = [];
  private readonly fingerprint: ItemFingerprint;

  /**
   * `strict`: the natural keys of strict mode. `hashMask` (tests only): the fingerprints are cut to these bits, so
   * that different keys share them (collisions handled as with any fingerprint). `capacity`: how many items of
   * campaign 0 to make room for at first (the arrays grow past it).
   */
  constructor(
    strict = false,
    private readonly hashMask = 0xffffffff,
    capacity = 1024,
  ) {
    this.mode = strict ? 'strict' : 'lenient';
    this.fingerprint = new ItemFingerprint(this.mode, hashMask);
    this.store = new RecordStore(firstChunkBytes(capacity));
    this.slots = new Int32Array(tableSize(capacity, 1024));
    this.mask = this.slots.length - 1;
    this.kind = u8(capacity);
    this.ha = i32(capacity);
    this.hb = i32(capacity);
    this.recOf = i32(capacity);
    this.other = i32(capacity);
    this.chunk = i32(capacity);
    this.off = i32(capacity);
    this.len = i32(capacity);
    this.quantity = f64(capacity);
    this.hasQuantity = u8(capacity);
  }

  /** Whether record `r` is the bytes `d[from, from + n)`. */
  private sameRecord(r: number, d: DataView, from: number, n: number): boolean {
    return this.len.data[r] === n && sameBytes(this.store.views[this.chunk.data[r]!]!, this.off.data[r]!, d, from, n);
  }

  /** Entry `e`'s last item of campaign 0, read back from its record. */
  private itemOf(e: number): InventoryItem {
    const r = this.recOf.data[e]!;
    const o = this.off.data[r]!;
    return {
      kind: KINDS[this.kind.data[e]!]!,
      item: this.reader.read(this.store.chunks[this.chunk.data[r]!]!, o, o + this.len.data[r]!),
    } as unknown as InventoryItem;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let e = 0; e < this.entries; e++) {
      let i = this.ha.data[e]! & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = e + 1;
    }
  }

  /** One item of campaign 0 (all of them before any of campaign 1). */
  before(x: InventoryItem): void {
    const k = KIND_CODE.get(x.kind)!;
    const store = this.store;
    store.write(x.item);
    const r = this.records++;
    const at = store.at;
    const size = store.size;
    this.chunk.push(store.chunk);
    this.off.push(at);
    this.len.push(size);
    const q = quantityOf(x.item);
    this.quantity.push(q ?? 0);
    this.hasQuantity.push(q === undefined ? 0 : 1);
    this.fingerprint.item(k, x);
    const { h1, h2 } = this.fingerprint;
    let key: string | undefined;
    let i = h1 & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) break;
      const e = s - 1;
      if (this.ha.data[e] !== h1 || this.hb.data[e] !== h2 || this.kind.data[e] !== k) continue;
      // The same fingerprint: the same key (a duplicate: its last item is kept) or another key.
      key ??= naturalKeyString(x, this.mode);
      if (
        this.sameRecord(this.recOf.data[e]!, store.views[store.chunk]!, at, size) ||
        naturalKeyString(this.itemOf(e), this.mode) === key
      ) {
        this.recOf.data[e] = r;
        return;
      }
    }
    const e = this.entries++;
    this.kind.push(k);
    this.ha.push(h1);
    this.hb.push(h2);
    this.recOf.push(r);
    this.other.push(-1);
    this.slots[i] = e + 1;
    if (this.entries * 2 > this.slots.length) this.grow();
  }

  /** One item of campaign 1 (after all of campaign 0). */
  after(x: InventoryItem): void {
    const k = KIND_CODE.get(x.kind)!;
    this.fingerprint.item(k, x);
    const { h1, h2 } = this.fingerprint;
    const unmatched = this.unmatched;
    unmatched.length = 0;
    let written = false;
    const scratch = this.scratch;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) break;
      const e = s - 1;
      if (this.ha.data[e] !== h1 || this.hb.data[e] !== h2 || this.kind.data[e] !== k) continue;
      if (!written) {
        scratch.rewind();
        scratch.write(x.item);
        written = true;
      }
      if (this.sameRecord(this.recOf.data[e]!, scratch.views[scratch.chunk]!, scratch.at, scratch.size)) {
        this.other.data[e] = -2; // every field the same, so the key too
        return;
      }
      unmatched.push(e);
    }
    this.afterUnmatched(x, unmatched);
  }

  /**
   * Campaign 1's items as records (after all of campaign 0, instead of `after`): each record as `after` takes its
   * item, in order — the same fingerprint, a match confirmed by the same record bytes or, else, the same natural key
   * read back from the records.
   */
  afterRecords(recs: DiffRecords): void {
    if (recs.hashMask !== this.hashMask || recs.strict !== (this.mode === 'strict'))
      throw new Error("diff records: another mode or fingerprint mask than the builder's");
    const unmatched = this.unmatched;
    const views = viewsOf(recs.bytes);
    let next = 0;
    for (let j = 0; j < recs.n; j++) {
      const k = recs.kind[j]!;
      const h1 = recs.ha[j]!;
      const h2 = recs.hb[j]!;
      const d = recs.bytes[recs.chunk[j]!]!;
      const o = recs.off[j]!;
      const n = recs.len[j]!;
      // Campaign 1 mostly lists its items in campaign 0's order: the entry after the last one found with the same
      // record is tried first, without probing the table. When it has this record's fingerprint, kind and bytes, it is
      // the entry the probe would find: no two entries have the same kind and record (the same record is the same
      // fields, so the same natural key and fingerprint, and campaign 0's items of one key are one entry).
      const g = next;
      if (
        g < this.entries &&
        this.ha.data[g] === h1 &&
        this.hb.data[g] === h2 &&
        this.kind.data[g] === k &&
        this.sameRecord(this.recOf.data[g]!, views[recs.chunk[j]!]!, o, n)
      ) {
        this.other.data[g] = -2;
        next = g + 1;
        continue;
      }
      unmatched.length = 0;
      let same = false;
      for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
        const s = this.slots[i]!;
        if (s === 0) break;
        const e = s - 1;
        if (this.ha.data[e] !== h1 || this.hb.data[e] !== h2 || this.kind.data[e] !== k) continue;
        if (this.sameRecord(this.recOf.data[e]!, views[recs.chunk[j]!]!, o, n)) {
          this.other.data[e] = -2; // every field the same, so the key too
          next = e + 1;
          same = true;
          break;
        }
        unmatched.push(e);
      }
      if (same) continue;
      const x = { kind: KINDS[k]!, item: this.reader.read(d, o, o + n) } as unknown as InventoryItem;
      this.afterUnmatched(x, unmatched);
    }
  }

  /** Campaign 1's item `x` whose record is none of campaign 0's: entries `unmatched` share its fingerprint. */
  private afterUnmatched(x: InventoryItem, unmatched: readonly number[]): void {
    if (unmatched.length > 0) {
      const key = naturalKeyString(x, this.mode);
      for (const e of unmatched) {
        if (naturalKeyString(this.itemOf(e), this.mode) !== key) continue;
        this.other.data[e] = this.changedAfter.push(x.item) - 1;
        return;
      }
    }
    const nk = naturalKey(x, this.mode);
    const q = quantityOf(x.item);
    this.added.set(x.kind + S + nk.key, { kind: x.kind, label: nk.label, ...(q !== undefined ? { quantity: q } : {}) });
  }

  /** The diff, once both campaigns' items were given. */
  result(): InventoryDiff {
    const removed: DiffItem[] = [];
    const changed: ChangedItem[] = [];
    let unchanged = 0;
    for (let e = 0; e < this.entries; e++) {
      const o = this.other.data[e]!;
      if (o === -2) {
        unchanged++;
        continue;
      }
      const x = this.itemOf(e);
      const r = this.recOf.data[e]!;
      const qb = this.hasQuantity.data[r] === 1 ? this.quantity.data[r]! : undefined;
      if (o === -1) {
        removed.push({
          kind: x.kind,
          label: naturalKey(x, this.mode).label,
          ...(qb !== undefined ? { quantity: qb } : {}),
        });
        continue;
      }
      const a = this.changedAfter[o]!;
      const qa = quantityOf(a);
      const vb = x.item as unknown as Record<string, unknown>;
      const va = a as Record<string, unknown>;
      const differs = (f: string) => f !== 'at' && !sameJson(vb[f], va[f]);
      const fields = [...new Set([...Object.keys(vb), ...Object.keys(va)])].filter(differs).sort();
      if (fields.length === 0) {
        unchanged++;
        continue;
      }
      changed.push({
        kind: x.kind,
        label: naturalKey(x, this.mode).label,
        ...(qb !== undefined ? { quantityBefore: qb } : {}),
        ...(qa !== undefined ? { quantityAfter: qa } : {}),
        fields,
      });
    }
    return { added: [...this.added.values()], removed, changed, unchanged };
  }
}
