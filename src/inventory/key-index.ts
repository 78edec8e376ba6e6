/**
 * A compact set/map of string keys for natural-key duplicates and cross-file references (§2.11) that stays small at a
 * million lines: keys are stored as two independent 32-bit hashes (64 bits in all), never as strings, in an
 * open-addressing table of typed arrays (load ≤ 0.75).
 *
 * Hash collisions: two different keys share a 64-bit fingerprint with probability about n²/2⁶⁵ (≈ 3·10⁻⁸ for
 * n = 1M keys). Such a pair would be taken as the same key: a false INP_DUPLICATE_KEY, or a reference wrongly
 * resolved. This residual risk is accepted and documented (docs/inventory-format.md) instead of keeping every key.
 *
 * Layout (issue 11, speed): a slot is 8 bytes — hash A (0: empty) and the key's number in order of insertion — and hash
 * B and the value are kept apart, by that number (4 + 8 bytes per key, written one after the other). A probe reads
 * hash A only; hash B is read when hash A matches (the key is there, or seldom another key with the same hash A), the
 * value when the key is found. In a table of a million keys every probe misses the caches and the TLB (pages of 4 KiB):
 * 2²¹ slots of 8 bytes (16 MB) instead of the 16-byte slots holding all three (32 MB) halve the pages the probes land
 * on (docs/benchmarks.md, "the key index and the packer"). Both hashes are computed in one pass over the
 * key's characters, and a key made of two parts (`name`, `\u0000`, `suffix`) is hashed without building the
 * concatenated string (same fingerprint as the concatenation).
 */

/** The separator of a two-part key (`addIfAbsent(name, v, suffix)` is the key `name + SEP + suffix`). */
const SEP = 0;

/**
 * Highest share of slots in use before the table doubles (issue 11, memory: at 0.5 the 600k application keys of a
 * mixed estate took 2²¹ slots instead of 2²⁰; a probe still mostly stays in one 64-byte line of 8 slots).
 */
const MAX_LOAD = 0.75;

/** Most slots `reserve` makes room for from an estimate (2²¹ slots: 1.5M keys, 16 + 18 MB); `put` still grows past it. */
const MAX_RESERVED_SLOTS = 1 << 21;

/**
 * Both 32-bit hashes of a key in one pass over its characters: FNV-1a 32-bit and a multiplicative hash with murmur3's
 * finaliser, independent of FNV-1a. A two-part key (`key`, U+0000, `suffix`) is hashed without building the
 * concatenated string (same hashes as the concatenation). `seed` (0 for `KeyIndex`) separates key spaces, e.g. the
 * inventory kinds of compare's diff (src/app/steering/diff.ts). The result is in `a` and `b` (unsigned): scratch
 * fields of the hasher, read right after `hash`, so that no object is made per key.
 */
export class KeyHasher {
  a = 0;
  b = 0;

  hash(key: string, suffix: string | undefined, seed: number): void {
    const n = key.length;
    let a = 0x811c9dc5 ^ seed;
    let b = 0x9747b28c ^ (seed << 24) ^ (suffix === undefined ? n : n + 1 + suffix.length);
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 13;
    }
    if (suffix !== undefined) {
      a = Math.imul(a ^ SEP, 0x01000193);
      b = Math.imul(b ^ SEP, 0x5bd1e995);
      b ^= b >>> 13;
      for (let i = 0; i < suffix.length; i++) {
        const c = suffix.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 13;
      }
    }
    b ^= b >>> 16;
    b = Math.imul(b, 0x85ebca6b);
    b ^= b >>> 13;
    b = Math.imul(b, 0xc2b2ae35);
    b ^= b >>> 16;
    this.a = a >>> 0;
    this.b = b >>> 0;
  }
}

export class KeyIndex {
  private mask: number;
  /** Per slot i: words 2i (hash A, 0 = empty) and 2i + 1 (the key's number: where its hash B and value are). */
  private slots: Uint32Array;
  /** Per key, by number (order of insertion): its hash B and its value. */
  private hashB: Uint32Array;
  private values: Float64Array;
  private used = 0;
  /** The fingerprint of the last key hashed (`hash`): scratch, one pair per index, never read across calls. */
  private ha = 0;
  private hb = 0;
  /** Scratch of `warm`: what it read. */
  warmed = 0;
  private readonly hasher = new KeyHasher();

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * MAX_LOAD < initialCapacity) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Uint32Array(2 * cap);
    this.hashB = new Uint32Array(keysFor(cap));
    this.values = new Float64Array(keysFor(cap));
  }

  get size(): number {
    return this.used;
  }

  /** Number of slots of the table (a power of two, at least `size / MAX_LOAD`; 8 bytes each, and 12 per key). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** The fingerprint of `key` (or of `key + '\u0000' + suffix`) into `ha` (0 mapped to 1: 0 marks an empty slot), `hb`. */
  private hash(key: string, suffix: string | undefined): void {
    const h = this.hasher;
    h.hash(key, suffix, 0);
    this.ha = h.a || 1;
    this.hb = h.b;
  }

  /** The slot of the last key hashed: where it is, or the empty slot where it would go. */
  private find(): number {
    const { slots, mask, ha, hb } = this;
    for (let i = ha & mask; ; i = (i + 1) & mask) {
      const sa = slots[2 * i]!;
      if (sa === 0 || (sa === ha && this.hashB[slots[2 * i + 1]!] === hb)) return i;
    }
  }

  /** Value stored for the key (`key + '\u0000' + suffix` when a suffix is given), or undefined. */
  get(key: string, suffix?: string): number | undefined {
    this.hash(key, suffix);
    const i = this.find();
    return this.slots[2 * i] === 0 ? undefined : this.values[this.slots[2 * i + 1]!];
  }

  has(key: string, suffix?: string): boolean {
    return this.get(key, suffix) !== undefined;
  }

  /**
   * Insert the key (`key + '\u0000' + suffix` when a suffix is given) with a value unless present; returns the value
   * already stored, or undefined after inserting.
   */
  addIfAbsent(key: string, value: number, suffix?: string): number | undefined {
    this.hash(key, suffix);
    return this.addHashedIfAbsent(value);
  }

  /**
   * The fingerprint of `key` (or `key + '\u0000' + suffix`) written at `out[at]`, `out[at + 1]`: computed where the
   * key is read (a worker reading part of a file), looked up here with `addFingerprintIfAbsent`.
   */
  fingerprint(key: string, suffix: string | undefined, out: Uint32Array, at: number): void {
    this.hash(key, suffix);
    out[at] = this.ha;
    out[at + 1] = this.hb;
  }

  /**
   * Reads the slot where the probe of each of `count` fingerprints (`fingerprint`: words 2j and 2j + 1 of `fps`) starts,
   * and changes nothing: called on a batch of keys just before they are added one by one among other work (issue 11,
   * the worker's keys taken by the main thread). In a table of a million keys nearly every probe misses the caches and
   * the TLB; made one by one among other work, each miss costs its whole latency, while the independent reads of this
   * loop overlap, and the probes that follow find their slots cached. What it read is kept in `warmed` (never read
   * otherwise), so that the reads are made.
   */
  warm(fps: Uint32Array, count: number): void {
    const { slots, mask } = this;
    let seen = 0;
    for (let j = 0; j < 2 * count; j += 2) seen |= slots[2 * (fps[j]! & mask)]!;
    this.warmed = seen;
  }

  /** `addIfAbsent` for a key given by its fingerprint (`fingerprint`). */
  addFingerprintIfAbsent(ha: number, hb: number, value: number): number | undefined {
    this.ha = ha;
    this.hb = hb;
    return this.addHashedIfAbsent(value);
  }

  /** `addIfAbsent` of the last key hashed. */
  private addHashedIfAbsent(value: number): number | undefined {
    const i = this.find();
    if (this.slots[2 * i] !== 0) return this.values[this.slots[2 * i + 1]!];
    this.put(i, value);
    return undefined;
  }

  /** Count one more occurrence of the key (value = count, starting at 1); returns the new count. */
  increment(key: string): number {
    this.hash(key, undefined);
    const i = this.find();
    if (this.slots[2 * i] !== 0) return ++this.values[this.slots[2 * i + 1]!]!;
    this.put(i, 1);
    return 1;
  }

  /**
   * Makes room for `keys` keys in all without doubling on the way (issue 11: the 1M-line split summary doubled four
   * times up to 2²¹ slots, each time rehashing every key with a cache miss per key). `keys` is an estimate read from
   * the input (file size ÷ bytes per line): the table grows to at most `MAX_RESERVED_SLOTS` slots this way (16 MB, and
   * room for 1.5M keys of 12 bytes), and never shrinks.
   */
  reserve(keys: number): void {
    let cap = this.mask + 1;
    while (cap < MAX_RESERVED_SLOTS && cap * MAX_LOAD < keys) cap *= 2;
    if (cap > this.mask + 1) this.rehash(cap);
  }

  /** Stores the last key hashed in the empty slot `i`, with the next key number. */
  private put(i: number, value: number): void {
    const k = this.used++;
    this.slots[2 * i] = this.ha;
    this.slots[2 * i + 1] = k;
    this.hashB[k] = this.hb;
    this.values[k] = value;
    if (this.used > (this.mask + 1) * MAX_LOAD) this.grow();
  }

  private grow(): void {
    this.rehash((this.mask + 1) * 2);
  }

  /**
   * Moves every key to a new table of `cap` slots (a power of two, more than the keys ÷ MAX_LOAD); the keys keep their
   * numbers (hash B and the values are copied as they are, to arrays with room for the keys of the new table).
   */
  private rehash(cap: number): void {
    const old = this.slots;
    this.mask = cap - 1;
    const slots = (this.slots = new Uint32Array(2 * cap));
    for (let j = 0; j < old.length; j += 2) {
      const ha = old[j]!;
      if (ha === 0) continue;
      let i = ha & this.mask;
      while (slots[2 * i] !== 0) i = (i + 1) & this.mask;
      slots[2 * i] = ha;
      slots[2 * i + 1] = old[j + 1]!;
    }
    const hashB = new Uint32Array(keysFor(cap));
    hashB.set(this.hashB.subarray(0, this.used));
    this.hashB = hashB;
    const values = new Float64Array(keysFor(cap));
    values.set(this.values.subarray(0, this.used));
    this.values = values;
  }
}

/** Keys a table of `cap` slots may hold: up to `cap × MAX_LOAD`, and the one whose insertion makes it grow. */
function keysFor(cap: number): number {
  return Math.floor(cap * MAX_LOAD) + 1;
}
