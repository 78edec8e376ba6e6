/** The allocation index's key table (issue 11): two-part keys to dense ids, by 64-bit fingerprints. */
import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table.js';

describe('KeyTable', () => {
  it('gives dense ids in the order keys are first added, the same id again for the same key', () => {
    const t = new KeyTable(2);
    expect(t.add('HOST-1', 'SRC')).toBe(0);
    expect(t.add('HOST-1', '')).toBe(1);
    expect(t.add('HOST-2', 'SRC')).toBe(2);
    expect(t.add('HOST-1', 'SRC')).toBe(0);
    expect(t.size).toBe(3);
    expect(t.get('HOST-1', '')).toBe(1);
    expect(t.get('HOST-2', 'SRC')).toBe(2);
  });

  it('tells an absent key (-1), the parts of a key not interchangeable', () => {
    const t = new KeyTable();
    t.add('vm', 'host');
    expect(t.get('host', 'vm')).toBe(-1);
    expect(t.get('vm', '')).toBe(-1);
    expect(t.get('vmhost', '')).toBe(-1);
    expect(t.get('vm', 'host')).toBe(0);
  });

  it('keeps every key and its id through growth (100,000 keys from a table sized for 16)', () => {
    const t = new KeyTable(8);
    for (let i = 0; i < 100_000; i++) expect(t.add(`VM-${i}`, `HOST-${i >> 2}`)).toBe(i);
    expect(t.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 7) expect(t.get(`VM-${i}`, `HOST-${i >> 2}`)).toBe(i);
    for (let i = 0; i < 1000; i++) expect(t.get(`VM-${i}`, `HOST-${(i >> 2) + 1}`)).toBe(-1);
  });
});
