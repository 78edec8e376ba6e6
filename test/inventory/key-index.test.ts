/**
 * `KeyIndex` (natural-key duplicates and references, §2.11): a set/map of string keys kept as 64-bit fingerprints in
 * one interleaved typed-array table. Checked against a plain `Map` over keys with common prefixes, separators and
 * non-ASCII text, through growth; a two-part key (`key`, `suffix`) is the same key as `key + '\u0000' + suffix`.
 * Keys given by fingerprint: those sharing hash A (the slot's word) are told apart by hash B (kept apart, by key).
 */
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../src/inventory/key-index.js';

/** Deterministic keys: EQ-0…, names with accents, separators inside, and the empty string. */
function keys(n: number): string[] {
  const out = [''];
  for (let i = 0; i < n; i++)
    out.push(i % 3 === 0 ? `EQ-${i}` : i % 3 === 1 ? `Équipement ${i}\u0000SRC` : `PC ${i} ☃`);
  return out;
}

describe('KeyIndex', () => {
  it('stores and finds every key with its value, as a Map does, through several growths', () => {
    const index = new KeyIndex(4); // 16 slots at first: grows many times below
    const expected = new Map<string, number>();
    const all = keys(20_000);
    all.forEach((k, i) => {
      // Positions as the pipeline stores them (file × 2³² + line) stay exact in the table.
      const value = (i % 4) * 2 ** 32 + i + 2;
      expect(index.addIfAbsent(k, value)).toBeUndefined();
      expected.set(k, value);
    });
    expect(index.size).toBe(all.length);
    for (const [k, v] of expected) {
      expect(index.get(k)).toBe(v);
      expect(index.addIfAbsent(k, 1)).toBe(v); // present: the first value is kept and returned
    }
    expect(index.size).toBe(all.length);
    for (const k of ['EQ-1', 'EQ-', 'eq-0', 'Équipement 1', 'PC 2 ☃ ']) expect(index.has(k)).toBe(false);
  });

  it('takes a two-part key as the concatenation with U+0000 between the parts', () => {
    const index = new KeyIndex();
    expect(index.addIfAbsent('PC-1', 7, 'SRC')).toBeUndefined();
    expect(index.get('PC-1\u0000SRC')).toBe(7);
    expect(index.get('PC-1', 'SRC')).toBe(7);
    expect(index.has('PC-1')).toBe(false); // the name alone is another key
    expect(index.has('PC-1', '')).toBe(false); // …and so is the name with an empty data source
    expect(index.addIfAbsent('PC-1\u0000', 8)).toBeUndefined();
    expect(index.get('PC-1', '')).toBe(8);
    expect(index.addIfAbsent('A\u0000B\u0000C', 9)).toBeUndefined();
    expect(index.get('A\u0000B', 'C')).toBe(9);
    expect(index.get('A', 'B\u0000C')).toBe(9);
  });

  it('counts occurrences with increment', () => {
    const index = new KeyIndex(2);
    const all = keys(300);
    for (let round = 1; round <= 3; round++) for (const k of all) expect(index.increment(k)).toBe(round);
    expect(index.size).toBe(all.length);
    expect(index.get('EQ-3')).toBe(3);
  });
});

describe('KeyIndex size (issue 11, memory)', () => {
  it('doubles only past three quarters full: 786,432 keys in 2²⁰ slots, one more in 2²¹', () => {
    const index = new KeyIndex();
    // 0.75 × 2²⁰ = 786,432 (at a half, 600,000 keys already needed 2²¹ slots).
    const full = 786_432;
    for (let i = 0; i < full; i++) index.addIfAbsent(`APP-${i}`, i + 1);
    expect(index.size).toBe(full);
    expect(index.capacity).toBe(2 ** 20);
    index.addIfAbsent('one more', 1);
    expect(index.capacity).toBe(2 ** 21);
    // Nothing lost through the growths.
    for (const i of [0, 1, 524_287, 600_000, full - 1]) expect(index.get(`APP-${i}`)).toBe(i + 1);
    expect(index.get('one more')).toBe(1);
    expect(index.has(`APP-${full}`)).toBe(false);
  });

  it('an initial capacity is honoured at that load: 1,000 keys without growing from 2¹¹ slots', () => {
    const index = new KeyIndex(1000); // 2¹⁰ × 0.75 = 768 < 1,000 ≤ 2¹¹ × 0.75 = 1,536
    expect(index.capacity).toBe(2 ** 11);
    for (let i = 0; i < 1000; i++) index.addIfAbsent(String(i), i);
    expect(index.capacity).toBe(2 ** 11);
  });

  it('reserve makes room once for the keys expected, keeps the keys in, never shrinks, stops at 2²¹ slots', () => {
    const index = new KeyIndex(16); // 2⁵ slots
    for (let i = 0; i < 20; i++) index.addIfAbsent(`EQ-${i}`, i + 2);
    index.reserve(3000); // 2¹² × 0.75 = 3,072 ≥ 3,000 > 2¹¹ × 0.75 = 1,536
    expect(index.capacity).toBe(2 ** 12);
    for (let i = 0; i < 20; i++) expect(index.get(`EQ-${i}`)).toBe(i + 2);
    for (let i = 20; i < 3000; i++) index.addIfAbsent(`EQ-${i}`, i + 2);
    expect(index.capacity).toBe(2 ** 12); // no growth on the way
    expect(index.size).toBe(3000);
    index.reserve(10);
    expect(index.capacity).toBe(2 ** 12);
    // An estimate read from the input is capped: 10⁹ keys reserve 2²¹ slots (16 MiB of slots), not more.
    index.reserve(1e9);
    expect(index.capacity).toBe(2 ** 21);
    for (let i = 0; i < 3000; i++) expect(index.get(`EQ-${i}`)).toBe(i + 2);
    expect(index.has('EQ-3000')).toBe(false);
  });
});

describe('KeyIndex by fingerprint (hash A in the slot, hash B and the value by key number)', () => {
  it('tells apart keys with the same hash A and different hash B, before and after growing', () => {
    const index = new KeyIndex(4); // 16 slots: grows three times below
    // 40 keys share hash A 0x1234 (one probe run), with hash B 1…40; 40 others have their own hash A.
    for (let b = 1; b <= 40; b++) expect(index.addFingerprintIfAbsent(0x1234, b, 100 + b)).toBeUndefined();
    for (let a = 1; a <= 40; a++) expect(index.addFingerprintIfAbsent(0x10000 * a + 7, 0, 200 + a)).toBeUndefined();
    expect(index.size).toBe(80);
    expect(index.capacity).toBe(128); // 16 → 32 → 64 → 128: the keys moved three times
    for (let b = 1; b <= 40; b++) expect(index.addFingerprintIfAbsent(0x1234, b, 1)).toBe(100 + b);
    for (let a = 1; a <= 40; a++) expect(index.addFingerprintIfAbsent(0x10000 * a + 7, 0, 1)).toBe(200 + a);
    // Same hash A, a hash B not met: a new key; same hash B, another hash A: a new key.
    expect(index.addFingerprintIfAbsent(0x1234, 41, 7)).toBeUndefined();
    expect(index.addFingerprintIfAbsent(0x1235, 1, 8)).toBeUndefined();
    expect(index.addFingerprintIfAbsent(0x1234, 41, 1)).toBe(7);
    expect(index.addFingerprintIfAbsent(0x1235, 1, 1)).toBe(8);
    expect(index.size).toBe(82);
  });

  it('finds a key added by its string from its fingerprint, and the reverse', () => {
    const index = new KeyIndex(); // one table without growth
    const fp = new Uint32Array(4);
    index.fingerprint('PC-1', 'SRC', fp, 0);
    index.fingerprint('PC-2', undefined, fp, 2);
    expect(index.addIfAbsent('PC-1', 5, 'SRC')).toBeUndefined();
    expect(index.addFingerprintIfAbsent(fp[0]!, fp[1]!, 6)).toBe(5);
    expect(index.addFingerprintIfAbsent(fp[2]!, fp[3]!, 9)).toBeUndefined();
    expect(index.get('PC-2')).toBe(9);
    expect(index.increment('PC-2')).toBe(10); // a count kept in the same value
    expect(index.size).toBe(2);
  });

  it('warm reads a batch of fingerprints and changes nothing (an empty batch, keys present or not, rejected rows 0)', () => {
    const index = new KeyIndex(4);
    const fps = new Uint32Array([0x1234, 1, 0, 0, 0xffffffff, 5]);
    index.warm(fps, 0);
    expect(index.size).toBe(0);
    index.addFingerprintIfAbsent(0x1234, 1, 42);
    index.warm(fps, 3);
    expect(index.size).toBe(1);
    expect(index.capacity).toBe(16);
    expect(index.addFingerprintIfAbsent(0x1234, 1, 0)).toBe(42);
    expect(index.addFingerprintIfAbsent(0xffffffff, 5, 7)).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('holds one key and the empty string, and a value of every size a position takes', () => {
    const index = new KeyIndex(1);
    expect(index.capacity).toBe(16);
    expect(index.has('')).toBe(false);
    expect(index.addIfAbsent('', 2 ** 40 + 3)).toBeUndefined();
    expect(index.get('')).toBe(2 ** 40 + 3);
    expect(index.addIfAbsent('', 0)).toBe(2 ** 40 + 3);
    expect(index.size).toBe(1);
  });
});
