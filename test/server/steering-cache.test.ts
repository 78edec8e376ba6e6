/**
 * The server's bounded LRU of loaded campaigns (src/server/usecases/steering-cache.ts): least recently used evicted
 * first by count and by weight, one computation shared by concurrent requests, a failure not kept.
 */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/server/usecases/steering-cache.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('LruCache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const c = new LruCache<number>(() => 1, { maxEntries: 2, maxWeight: 100 });
    let loads = 0;
    const load = (v: number) => () => (loads++, Promise.resolve(v));
    await c.get('a', load(1));
    await c.get('b', load(2));
    expect(await c.get('a', load(99))).toBe(1); // a is now the most recent
    await c.get('c', load(3)); // evicts b
    await settle();
    expect(c.size).toBe(2);
    expect(await c.get('a', load(99))).toBe(1);
    expect(await c.get('b', load(20))).toBe(20); // reloaded
    expect(loads).toBe(4);
    expect(c.stats).toMatchObject({ hits: 2, misses: 4 });
  });

  it('evicts by weight, keeping the entry just loaded even when it alone is over the bound', async () => {
    const c = new LruCache<number>((v) => v, { maxEntries: 10, maxWeight: 100 });
    await c.get('small', () => Promise.resolve(40));
    await c.get('medium', () => Promise.resolve(50));
    await settle();
    expect(c.stats.weight).toBe(90);
    await c.get('large', () => Promise.resolve(60)); // 150 > 100: small goes, then medium (110 > 100)
    await settle();
    expect(c.stats).toMatchObject({ entries: 1, weight: 60 });
    await c.get('huge', () => Promise.resolve(500));
    await settle();
    expect(c.stats).toMatchObject({ entries: 1, weight: 500 });
  });

  it('shares one computation between concurrent requests and does not keep a failure', async () => {
    const c = new LruCache<number>(() => 1);
    let loads = 0;
    let release!: (v: number) => void;
    const slow = () => (loads++, new Promise<number>((r) => (release = r)));
    const p1 = c.get('k', slow);
    const p2 = c.get('k', slow);
    release(7);
    expect([await p1, await p2]).toEqual([7, 7]);
    expect(loads).toBe(1);
    await expect(c.get('bad', () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
    await settle();
    expect(await c.get('bad', () => Promise.resolve(3))).toBe(3);
  });

  it('forgets the entries of a prefix', async () => {
    const c = new LruCache<number>(() => 1);
    await c.get('campaign-1|job-a', () => Promise.resolve(1));
    await c.get('campaign-2|job-b', () => Promise.resolve(2));
    c.forget('campaign-1|');
    expect(c.size).toBe(1);
    expect(await c.get('campaign-2|job-b', () => Promise.resolve(0))).toBe(2);
  });
});
