/**
 * A bounded least-recently-used cache of values computed asynchronously (loaded campaigns: the parsed inventory and its
 * referential), owned by the server's composition (src/server/compose.ts puts one in the use cases' deps; nothing here
 * is module-level). Bounded by the number of entries and by a total weight (the items a loaded campaign holds), so a
 * few 1M-item campaigns cannot exhaust the memory. Concurrent requests for the same key share one computation; a
 * failed computation is not kept.
 */

export interface CacheLimits {
  /** Most entries kept (default 8). */
  readonly maxEntries?: number;
  /** Most total weight kept (default 1,000,000: items of the loaded campaigns). */
  readonly maxWeight?: number;
}

interface Entry<V> {
  readonly value: Promise<V>;
  weight: number;
}

export class LruCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly maxWeight: number;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly weigh: (v: V) => number,
    limits: CacheLimits = {},
  ) {
    this.maxEntries = limits.maxEntries ?? 8;
    this.maxWeight = limits.maxWeight ?? 1_000_000;
  }

  /** The value of `key`, computed by `load` when absent (then kept, and the least recently used entries evicted). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.hitCount++;
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.value;
    }
    this.missCount++;
    const entry: Entry<V> = { value: load(), weight: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
        entry.weight = this.weigh(v);
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.evict(key);
    return entry.value;
  }

  /** Drops every entry whose key starts with `prefix` (e.g. a campaign id). */
  forget(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  get stats(): { hits: number; misses: number; entries: number; weight: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.entries.size, weight: this.weight() };
  }

  private weight(): number {
    let w = 0;
    for (const e of this.entries.values()) w += e.weight;
    return w;
  }

  /** Evicts least recently used entries (never `keep`, the one just used) while a bound is exceeded. */
  private evict(keep: string): void {
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.weight() <= this.maxWeight) return;
      if (k !== keep) this.entries.delete(k);
    }
  }
}
