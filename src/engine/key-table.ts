/**
 * Ids of the allocation index's keys (F8, F9: a host's name with its data source, a VM's name with its host), kept as
 * 64-bit fingerprints in an open-addressing table of typed arrays instead of strings in a `Map` (issue 11: 100k hosts
 * and 300k VMs; 12 bytes per slot, load ≤ 0.75). A key is two parts, `name` and `scope`, hashed as
 * `name + U+0000 + scope` without building that string. The hashes are those of the pipeline's natural-key index
 * (src/inventory/key-index.ts: FNV-1a and a murmur finaliser), which the engine may not import; the same residual risk
 * is accepted: two different keys share a fingerprint with probability about n²/2⁶⁵ (≈ 10⁻⁸ for 600k keys), and would
 * then be taken as the same key.
 */

const SEP = 0;

/** FNV-1a 32-bit of `a + U+0000 + b`. */
function hashA(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ SEP, 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A multiplicative hash with murmur3's finaliser of `a + U+0000 + b`, independent of FNV-1a. */
function hashB(a: string, b: string): number {
  let h = 0x9747b28c ^ (a.length + 1 + b.length);
  for (let i = 0; i < a.length; i++) {
    h = Math.imul(h ^ a.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ SEP, 0x5bd1e995);
  h ^= h >>> 13;
  for (let i = 0; i < b.length; i++) {
    h = Math.imul(h ^ b.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Keys of two parts → dense ids 0, 1, 2… in the order keys are first added. */
export class KeyTable {
  private mask: number;
  private a: Uint32Array;
  private b: Uint32Array;
  private id: Int32Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 3 < initialCapacity * 4) cap *= 2;
    this.mask = cap - 1;
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    this.id = new Int32Array(cap);
  }

  /** Number of keys (the next id). */
  get size(): number {
    return this.used;
  }

  /** The id of the key, or -1. */
  get(name: string, scope: string): number {
    const ha = hashA(name, scope) || 1; // 0 marks an empty slot
    const hb = hashB(name, scope);
    for (let i = ha & this.mask; ; i = (i + 1) & this.mask) {
      const sa = this.a[i]!;
      if (sa === 0) return -1;
      if (sa === ha && this.b[i] === hb) return this.id[i]!;
    }
  }

  /** The id of the key, added with the next id when absent. */
  add(name: string, scope: string): number {
    const ha = hashA(name, scope) || 1;
    const hb = hashB(name, scope);
    let i = ha & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const sa = this.a[i]!;
      if (sa === 0) break;
      if (sa === ha && this.b[i] === hb) return this.id[i]!;
    }
    const id = this.used++;
    this.a[i] = ha;
    this.b[i] = hb;
    this.id[i] = id;
    if (this.used * 4 > (this.mask + 1) * 3) this.grow();
    return id;
  }

  private grow(): void {
    const { a, b, id } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    this.id = new Int32Array(cap);
    for (let j = 0; j < a.length; j++) {
      const ha = a[j]!;
      if (ha === 0) continue;
      let i = ha & this.mask;
      while (this.a[i] !== 0) i = (i + 1) & this.mask;
      this.a[i] = ha;
      this.b[i] = b[j]!;
      this.id[i] = id[j]!;
    }
  }
}
