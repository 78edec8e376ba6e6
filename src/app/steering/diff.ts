/**
 * The inventory diff of a comparison (issue 13: `compare` on a million lines) without holding campaign 0's items
 * while campaign 1 is read: items matched by kind and natural key (§2.11), as `inventoryDiff` (compare.ts) matches
 * them, with the same result.
 *
 * Campaign 0's items are given first (`before`), then campaign 1's (`after`), then `result`. Of campaign 0, only each
 * item's record is kept (its fields but `at`, written as `recordOf` writes them, several records to one string: no
 * object per item), its quantity, and per distinct key a 64-bit fingerprint (two 32-bit hashes of kind and key) in an
 * open-addressing table of typed arrays. Campaign 1's items are matched as they come:
 *
 * - a fingerprint match is confirmed, never assumed: when the item's record is campaign 0's (compared in place,
 *   without writing it), every field has the same JSON (so the key, made of those fields, is the same too) and the
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
 * (`DiffRecordsBuilder`, the same record and fingerprint) and are matched in order (`afterRecords`): a record equal
 * to campaign 0's is the unchanged item `after` finds in place; the others are read back to values of the same JSON.
 */
import { KeyHasher } from '../../inventory/key-index.js';
import type { InventoryItem, InventoryKind } from '../../inventory/model.js';
import { naturalKey, naturalKeyString, physicalKeySuffix } from '../../inventory/pipeline/natural-key.js';
import { Grow } from './compact.js';
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
/** Records per chunk string (log2). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

const i32 = (n: number) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const f64 = (n: number) => new Grow(new Float64Array(n), (m) => new Float64Array(m));
const u8 = (n: number) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));

/** A length as record text: one character below 0xffff, else 0xffff, its digits and ':'. */
const lengthText = (n: number): string => (n < 0xffff ? String.fromCharCode(n) : '\uffff' + String(n) + ':');

/** Whether `text` holds length `n` (as `lengthText` writes it) at `at`: the position after it, else -1. */
function lengthAt(text: string, at: number, n: number): number {
  if (n < 0xffff) return text.charCodeAt(at) === n ? at + 1 : -1;
  const digits = String(n) + ':';
  return text.charCodeAt(at) === 0xffff && text.startsWith(digits, at + 1) ? at + 1 + digits.length : -1;
}

/** Whether a field's value is written in a record (JSON leaves these out). */
const written = (v: unknown): boolean => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';

/**
 * An item's record: its fields but `at` (where it was read, not a change) and those JSON leaves out, each written as
 * the key's length and the key, then `s` + length + text for a string, `n` + `String(v)` + `;` for a number, `j` +
 * length + JSON text for any other value. Read back by `readRecord`; two items with the same record have fields of the
 * same JSON (the same strings, numbers of the same text, the same JSON), in the same order.
 */
function recordOf(item: object): string {
  const o = item as Record<string, unknown>;
  let t = '';
  for (const k in o) {
    if (k === 'at') continue;
    const v = o[k];
    if (!written(v)) continue;
    t += lengthText(k.length) + k;
    if (typeof v === 'string') t += 's' + lengthText(v.length) + v;
    else if (typeof v === 'number') t += 'n' + String(v) + ';';
    else {
      const j = JSON.stringify(v);
      t += 'j' + lengthText(j.length) + j;
    }
  }
  return t;
}

/** The length written at `at` (see `lengthText`) and the position after it. */
function readLength(text: string, at: number): [number, number] {
  const c = text.charCodeAt(at);
  if (c < 0xffff) return [c, at + 1];
  const colon = text.indexOf(':', at + 1);
  return [Number(text.slice(at + 1, colon)), colon + 1];
}

/** The fields of a record (values of the same JSON as the item's). */
function readRecord(text: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  let at = 0;
  while (at < text.length) {
    const [kl, k0] = readLength(text, at);
    const k = text.slice(k0, k0 + kl);
    at = k0 + kl;
    const tag = text[at++];
    if (tag === 'n') {
      const end = text.indexOf(';', at);
      o[k] = Number(text.slice(at, end));
      at = end + 1;
    } else {
      const [vl, v0] = readLength(text, at);
      const v = text.slice(v0, v0 + vl);
      o[k] = tag === 's' ? v : JSON.parse(v);
      at = v0 + vl;
    }
  }
  return o;
}

/** Whether `item`'s record is `text[from, end)`, without writing it (strings compared in place). */
function isRecordOf(item: object, text: string, from: number, end: number): boolean {
  const o = item as Record<string, unknown>;
  let at = from;
  for (const k in o) {
    if (k === 'at') continue;
    const v = o[k];
    if (!written(v)) continue;
    if (at >= end || (at = lengthAt(text, at, k.length)) < 0 || !text.startsWith(k, at)) return false;
    at += k.length;
    if (typeof v === 'string') {
      if (text.charCodeAt(at) !== 115 /* s */ || (at = lengthAt(text, at + 1, v.length)) < 0) return false;
      if (!text.startsWith(v, at)) return false;
      at += v.length;
    } else if (typeof v === 'number') {
      const n = String(v);
      if (text.charCodeAt(at) !== 110 /* n */ || !text.startsWith(n, at + 1)) return false;
      at += 1 + n.length;
      if (text.charCodeAt(at) !== 59 /* ; */) return false;
      at++;
    } else {
      const j = JSON.stringify(v);
      if (text.charCodeAt(at) !== 106 /* j */ || (at = lengthAt(text, at + 1, j.length)) < 0) return false;
      if (!text.startsWith(j, at)) return false;
      at += j.length;
    }
  }
  return at === end;
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
 * Campaign 1's items as records (`recordOf`) with their kind and fingerprint, in input order, for a comparison whose
 * campaign 1 is read in another thread (`InventoryDiffBuilder.afterRecords`): typed arrays (moved, not copied) and
 * the records' text, several records to one string. `recordOf` writes what `isRecordOf` reads, so matching a record
 * is matching the item.
 */
export interface DiffRecords {
  readonly n: number;
  readonly kind: Uint8Array;
  readonly ha: Int32Array;
  readonly hb: Int32Array;
  /** Record `r`'s text: `chunks[r >>> CHUNK_BITS].slice(off[r], off[r] + len[r])`. */
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly chunks: readonly string[];
  /** The natural keys' mode and the fingerprints' mask (they must be the builder's). */
  readonly strict: boolean;
  readonly hashMask: number;
}

/** Builds `DiffRecords` from campaign 1's items, given in input order. */
export class DiffRecordsBuilder {
  private n = 0;
  private readonly kind = u8(1024);
  private readonly ha = i32(1024);
  private readonly hb = i32(1024);
  private readonly off = i32(1024);
  private readonly len = i32(1024);
  private readonly chunks: string[] = [];
  private parts: string[] = [];
  private partsLength = 0;
  private readonly fingerprint: ItemFingerprint;

  /** `strict`, `hashMask`: as the `InventoryDiffBuilder` the records are for. */
  constructor(
    private readonly strict = false,
    private readonly hashMask = 0xffffffff,
  ) {
    this.fingerprint = new ItemFingerprint(strict ? 'strict' : 'lenient', hashMask);
  }

  add(x: InventoryItem): void {
    const k = KIND_CODE.get(x.kind)!;
    const text = recordOf(x.item);
    const f = this.fingerprint;
    f.item(k, x);
    this.n++;
    this.kind.push(k);
    this.ha.push(f.h1);
    this.hb.push(f.h2);
    this.off.push(this.partsLength);
    this.len.push(text.length);
    this.parts.push(text);
    this.partsLength += text.length;
    if (this.parts.length === CHUNK) this.flush();
  }

  private flush(): void {
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.partsLength = 0;
  }

  done(): DiffRecords {
    if (this.parts.length > 0) this.flush();
    const n = this.n;
    return {
      n,
      kind: this.kind.data.slice(0, n),
      ha: this.ha.data.slice(0, n),
      hb: this.hb.data.slice(0, n),
      off: this.off.data.slice(0, n),
      len: this.len.data.slice(0, n),
      chunks: this.chunks,
      strict: this.strict,
      hashMask: this.hashMask,
    };
  }
}

/** The typed arrays' buffers of `DiffRecords` (to move them to another thread). */
export const diffRecordsTransfer = (r: DiffRecords): ArrayBuffer[] =>
  [r.kind, r.ha, r.hb, r.off, r.len].map((a) => a.buffer as ArrayBuffer);

export class InventoryDiffBuilder {
  private readonly mode: 'strict' | 'lenient';
  /** Open-addressing table: entry index + 1 per slot, 0 when empty. */
  private slots = new Int32Array(1024);
  private mask = 1023;
  // Per entry (a distinct key of campaign 0, in the order first met).
  private entries = 0;
  private readonly kind = u8(1024);
  private readonly ha = i32(1024);
  private readonly hb = i32(1024);
  /** The record of the key's last item in campaign 0. */
  private readonly recOf = i32(1024);
  /** Campaign 1's item with the key: -1 none, -2 the same record, else its index in `changedAfter`. */
  private readonly other = i32(1024);
  // Per record of campaign 0: its chunk is `r >>> CHUNK_BITS`, its text `chunks[c].slice(off, off + len)`.
  private records = 0;
  private readonly off = i32(1024);
  private readonly len = i32(1024);
  private readonly quantity = f64(1024);
  private readonly hasQuantity = u8(1024);
  private chunks: string[] = [];
  private parts: string[] = [];
  private partsLength = 0;
  /** Campaign 1's items with a key of campaign 0 and another record. */
  private changedAfter: object[] = [];
  /** Campaign 1's items whose key campaign 0 has not, by kind and key (first place, last item). */
  private readonly added = new Map<string, DiffItem>();
  private unmatched: number[] = [];
  private readonly fingerprint: ItemFingerprint;

  /**
   * `strict`: the natural keys of strict mode. `hashMask` (tests only): the fingerprints are cut to these bits, so
   * that different keys share them (collisions handled as with any fingerprint).
   */
  constructor(
    strict = false,
    private readonly hashMask = 0xffffffff,
  ) {
    this.mode = strict ? 'strict' : 'lenient';
    this.fingerprint = new ItemFingerprint(this.mode, hashMask);
  }

  /** Whether record `r` is the text `t`. */
  private sameRecord(r: number, t: string): boolean {
    const l = this.len.data[r]!;
    if (l !== t.length) return false;
    const c = r >>> CHUNK_BITS;
    if (c < this.chunks.length) return this.chunks[c]!.startsWith(t, this.off.data[r]!);
    return this.parts[r & (CHUNK - 1)] === t;
  }

  /** Whether record `r` (its chunk written) is `item`'s. */
  private isRecord(r: number, item: object): boolean {
    const o = this.off.data[r]!;
    return isRecordOf(item, this.chunks[r >>> CHUNK_BITS]!, o, o + this.len.data[r]!);
  }

  private recordText(r: number): string {
    const c = r >>> CHUNK_BITS;
    if (c < this.chunks.length) {
      const o = this.off.data[r]!;
      return this.chunks[c]!.slice(o, o + this.len.data[r]!);
    }
    return this.parts[r & (CHUNK - 1)]!;
  }

  /** Entry `e`'s last item of campaign 0, read back from its record. */
  private itemOf(e: number): InventoryItem {
    return {
      kind: KINDS[this.kind.data[e]!]!,
      item: readRecord(this.recordText(this.recOf.data[e]!)),
    } as unknown as InventoryItem;
  }

  private flush(): void {
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.partsLength = 0;
  }

  private addRecord(text: string, q: number | undefined): number {
    const r = this.records++;
    this.off.push(this.partsLength);
    this.len.push(text.length);
    this.quantity.push(q ?? 0);
    this.hasQuantity.push(q === undefined ? 0 : 1);
    this.parts.push(text);
    this.partsLength += text.length;
    if (this.parts.length === CHUNK) this.flush();
    return r;
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
    const text = recordOf(x.item);
    const r = this.addRecord(text, quantityOf(x.item));
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
      if (this.sameRecord(this.recOf.data[e]!, text) || naturalKeyString(this.itemOf(e), this.mode) === key) {
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
    if (this.parts.length > 0) this.flush();
    const k = KIND_CODE.get(x.kind)!;
    this.fingerprint.item(k, x);
    const { h1, h2 } = this.fingerprint;
    const unmatched = this.unmatched;
    unmatched.length = 0;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i]!;
      if (s === 0) break;
      const e = s - 1;
      if (this.ha.data[e] !== h1 || this.hb.data[e] !== h2 || this.kind.data[e] !== k) continue;
      if (this.isRecord(this.recOf.data[e]!, x.item)) {
        this.other.data[e] = -2; // every field the same, so the key too
        return;
      }
      unmatched.push(e);
    }
    this.afterUnmatched(x, unmatched);
  }

  /**
   * Campaign 1's items as records (after all of campaign 0, instead of `after`): each record as `after` takes its
   * item, in order — the same fingerprint, a match confirmed by the same record text or, else, the same natural key
   * read back from the records.
   */
  afterRecords(recs: DiffRecords): void {
    if (recs.hashMask !== this.hashMask || recs.strict !== (this.mode === 'strict'))
      throw new Error("diff records: another mode or fingerprint mask than the builder's");
    if (this.parts.length > 0) this.flush();
    const unmatched = this.unmatched;
    for (let j = 0; j < recs.n; j++) {
      const k = recs.kind[j]!;
      const h1 = recs.ha[j]!;
      const h2 = recs.hb[j]!;
      const o = recs.off[j]!;
      const chunk = recs.chunks[j >>> CHUNK_BITS]!;
      const text = chunk.slice(o, o + recs.len[j]!);
      unmatched.length = 0;
      let same = false;
      for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
        const s = this.slots[i]!;
        if (s === 0) break;
        const e = s - 1;
        if (this.ha.data[e] !== h1 || this.hb.data[e] !== h2 || this.kind.data[e] !== k) continue;
        if (this.sameRecord(this.recOf.data[e]!, text)) {
          this.other.data[e] = -2; // every field the same, so the key too
          same = true;
          break;
        }
        unmatched.push(e);
      }
      if (same) continue;
      const x = { kind: KINDS[k]!, item: readRecord(text) } as unknown as InventoryItem;
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
      const differs = (f: string) => f !== 'at' && JSON.stringify(vb[f]) !== JSON.stringify(va[f]);
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
