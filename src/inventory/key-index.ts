/**
 * A compact set/map of string keys for natural-key duplicates and cross-file references (§2.11) that stays small at a
 * million lines: keys are stored as two independent 32-bit hashes (64 bits in all) in an open-addressing table of
 * typed arrays (16 bytes per slot, load ≤ 0.5: about 32 MB for 1M keys), never as strings.
 *
 * Hash collisions: two different keys share a 64-bit fingerprint with probability about n²/2⁶⁵ (≈ 3·10⁻⁸ for
 * n = 1M keys). Such a pair would be taken as the same key: a false INP_DUPLICATE_KEY, or a reference wrongly
 * resolved. This residual risk is accepted and documented (docs/inventory-format.md) instead of keeping every key.
 */

/** FNV-1a 32-bit. */
function hashA(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A multiplicative hash with murmur3's finaliser, independent of FNV-1a. */
function hashB(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class KeyIndex {
  private mask: number;
  private a: Uint32Array;
  private b: Uint32Array;
  private v: Float64Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.mask = cap - 1;
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    this.v = new Float64Array(cap);
  }

  get size(): number {
    return this.used;
  }

  /** Value stored for the key, or undefined. */
  get(key: string): number | undefined {
    const ha = hashA(key) || 1; // 0 marks an empty slot
    const hb = hashB(key);
    for (let i = ha & this.mask; ; i = (i + 1) & this.mask) {
      const sa = this.a[i]!;
      if (sa === 0) return undefined;
      if (sa === ha && this.b[i] === hb) return this.v[i];
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Insert the key with a value unless present; returns the value already stored, or undefined after inserting. */
  addIfAbsent(key: string, value: number): number | undefined {
    const ha = hashA(key) || 1;
    const hb = hashB(key);
    let i = ha & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const sa = this.a[i]!;
      if (sa === 0) break;
      if (sa === ha && this.b[i] === hb) return this.v[i];
    }
    this.a[i] = ha;
    this.b[i] = hb;
    this.v[i] = value;
    if (++this.used * 2 > this.mask + 1) this.grow();
    return undefined;
  }

  /** Count one more occurrence of the key (value = count, starting at 1); returns the new count. */
  increment(key: string): number {
    const ha = hashA(key) || 1;
    const hb = hashB(key);
    let i = ha & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const sa = this.a[i]!;
      if (sa === 0) break;
      if (sa === ha && this.b[i] === hb) return ++this.v[i]!;
    }
    this.a[i] = ha;
    this.b[i] = hb;
    this.v[i] = 1;
    if (++this.used * 2 > this.mask + 1) this.grow();
    return 1;
  }

  private grow(): void {
    const { a, b, v } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    this.v = new Float64Array(cap);
    for (let j = 0; j < a.length; j++) {
      const ha = a[j]!;
      if (ha === 0) continue;
      let i = ha & this.mask;
      while (this.a[i] !== 0) i = (i + 1) & this.mask;
      this.a[i] = ha;
      this.b[i] = b[j]!;
      this.v[i] = v[j]!;
    }
  }
}
