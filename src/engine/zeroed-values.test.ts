/**
 * Issue 11, the mixed estate's bimodal peak: the values arrays of VMs and applications are copies of one template of
 * zeros held as doubles. Each copy must be a new array of the size asked, all zeros, independent of the template and
 * of the other copies, whatever sizes follow each other.
 */
import { describe, expect, it } from 'vitest';
import { ZeroedValues } from './virtual.js';

describe('ZeroedValues', () => {
  it('gives an empty array for size 0, and one zero for size 1', () => {
    const z = new ZeroedValues();
    expect(z.make(0)).toEqual([]);
    expect(z.make(1)).toEqual([0]);
  });

  it('gives a new array of zeros on each call, unaffected by writes into an earlier one', () => {
    const z = new ZeroedValues();
    const a = z.make(30);
    expect(a).toHaveLength(30);
    expect(a.every((v) => Object.is(v, 0))).toBe(true); // +0, not -0 (nor the template's fill value)
    a[0] = 62.5;
    a[29] = -1;
    const b = z.make(30);
    expect(b).not.toBe(a);
    expect(b).toEqual(new Array(30).fill(0));
    expect(a[0]).toBe(62.5);
  });

  it('follows a change of size, back and forth', () => {
    const z = new ZeroedValues();
    expect(z.make(30)).toHaveLength(30);
    expect(z.make(12)).toEqual(new Array(12).fill(0));
    expect(z.make(30)).toEqual(new Array(30).fill(0));
  });

  it('gives arrays whose elements behave as numbers: sums, JSON and holes', () => {
    const z = new ZeroedValues();
    const v = z.make(4);
    v[2] = 0.1;
    v[3] = 0.2;
    expect(v.reduce((s, x) => s + x, 0)).toBe(0.1 + 0.2);
    expect(JSON.stringify(v)).toBe('[0,0,0.1,0.2]');
    expect(Object.keys(v)).toEqual(['0', '1', '2', '3']); // no hole
  });
});
