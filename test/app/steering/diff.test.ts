/**
 * The inventory diff that holds only campaign 0's records (issue 13, src/app/steering/diff.ts) equals the diff of the
 * items held in memory (`inventoryDiff`): on generated mixed estates (entities, hosts, VMs, applications), with full
 * fingerprints and with fingerprints cut so that every key or many keys collide (a fingerprint match is confirmed,
 * never assumed), in lenient and strict mode; and by hand for duplicates, fields in another order, `at`, absent versus
 * undefined fields and two keys made of different parts with the same text. The item keys of the compact sides
 * (`ItemKeys`) with colliding fingerprints give the same sides, matches, decomposition and ranges.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardDeps } from '../../../src/app/deps.js';
import { pathSources } from '../../../src/app/sources.js';
import {
  CompactBuilder,
  compactDeltaUncertainty,
  matchKeys,
  type CompactSide,
} from '../../../src/app/steering/compact.js';
import { decomposeCounted, inventoryDiff } from '../../../src/app/steering/compare.js';
import {
  DiffRecordsBuilder,
  InventoryDiffBuilder,
  diffRecordsTransfer,
  firstChunkBytes,
  sameBytes,
  sameJson,
} from '../../../src/app/steering/diff.js';
import { runItems } from '../../../src/app/steering/run-items.js';
import { loadCampaign, type LoadedCampaign } from '../../../src/app/steering/scenario.js';
import type { InventoryItem } from '../../../src/inventory/model.js';
import { generateMixedEstate } from '../../../scripts/gen-inventory.js';

const deps = standardDeps(() => '2025-01-01');
const run = { profile: 'rcp', referenceDate: '2025-01-01', lifetimeMethod: 'REEL' } as const;

async function estate(hosts: number): Promise<LoadedCampaign> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-diff-'));
  await generateMixedEstate(dir, hosts);
  return loadCampaign(deps, { sources: pathSources([dir]), run });
}

function itemsOf(c: LoadedCampaign): InventoryItem[] {
  const i = c.inventory;
  return [
    ...i.datacenters.map((item) => ({ kind: 'datacenter' as const, item })),
    ...i.entities.map((item) => ({ kind: 'entity' as const, item })),
    ...i.physical.map((item) => ({ kind: 'physical-equipment' as const, item })),
    ...i.virtual.map((item) => ({ kind: 'virtual-equipment' as const, item })),
    ...i.applications.map((item) => ({ kind: 'application' as const, item })),
    ...i.nonIt.map((item) => ({ kind: 'non-it' as const, item })),
    ...i.messaging.map((item) => ({ kind: 'messaging' as const, item })),
  ];
}

/**
 * The diff of `InventoryDiffBuilder`, campaign 1's items given one by one (`after`); the same diff with campaign 1's
 * items as records (`afterRecords`, as when campaign 1 is read in a worker thread: the records are structured-cloned
 * with their buffers moved) is checked equal on the way.
 */
function compactDiff(before: readonly InventoryItem[], after: readonly InventoryItem[], strict = false, mask?: number) {
  const d = new InventoryDiffBuilder(strict, mask);
  for (const x of before) d.before(x);
  for (const x of after) d.after(x);
  const byItems = d.result();
  const r = new InventoryDiffBuilder(strict, mask);
  for (const x of before) r.before(x);
  const records = new DiffRecordsBuilder(strict, mask);
  for (const x of after) records.add(x);
  const done = records.done();
  r.afterRecords(structuredClone(done, { transfer: diffRecordsTransfer(done) }));
  expect(r.result()).toEqual(byItems);
  return byItems;
}

/** Changes some items of `items`: a field changed on every 7th, one removed on every 11th, fields reordered on every 5th. */
function edited(items: readonly InventoryItem[]): InventoryItem[] {
  return items.flatMap((x, i) => {
    if (i % 11 === 3) return [];
    const item = x.item as unknown as Record<string, unknown>;
    if (i % 7 === 2)
      return [{ ...x, item: { ...item, quality: item.quality === 'LOW' ? 'HIGH' : 'LOW' } } as InventoryItem];
    if (i % 5 === 1)
      return [{ ...x, item: Object.fromEntries(Object.entries(item).reverse()) } as unknown as InventoryItem];
    return [x];
  });
}

describe('inventory diff from records = the diff of the items held (generated estates)', async () => {
  const b = itemsOf(await estate(30));
  const a = [...edited(itemsOf(await estate(36)))];

  it('the estates hold what the test is about: every kind of the mixed estate; added, removed, changed, unchanged', () => {
    expect(new Set(b.map((x) => x.kind))).toEqual(new Set(['physical-equipment', 'virtual-equipment', 'application']));
    const d = inventoryDiff(b, a);
    expect(d.added.length).toBeGreaterThan(10);
    expect(d.removed.length).toBeGreaterThan(10);
    expect(d.changed.length).toBeGreaterThan(10);
    expect(d.unchanged).toBeGreaterThan(100);
  });

  for (const strict of [false, true]) {
    for (const [what, mask] of [
      ['full fingerprints', undefined],
      ['every fingerprint the same', 0],
      ['fingerprints of 3 bits', 7],
    ] as const) {
      it(`${strict ? 'strict' : 'lenient'}, ${what}`, () => {
        expect(compactDiff(b, a, strict, mask)).toEqual(inventoryDiff(b, a, strict));
        expect(compactDiff(a, b, strict, mask)).toEqual(inventoryDiff(a, b, strict));
        expect(compactDiff(b, b, strict, mask)).toEqual(inventoryDiff(b, b, strict));
      });
    }
  }
});

describe('inventory diff from records, by hand', () => {
  const pe = (name: string, quantity: number, more: Record<string, unknown> = {}): InventoryItem =>
    ({ kind: 'physical-equipment', item: { name, quantity, type: 'Laptop', ...more } }) as InventoryItem;
  const both = (before: InventoryItem[], after: InventoryItem[], mask?: number) => {
    const d = compactDiff(before, after, false, mask);
    expect(d).toEqual(inventoryDiff(before, after));
    return d;
  };

  it('a key met twice keeps its first place and its last item (both campaigns), with colliding fingerprints too', () => {
    for (const mask of [undefined, 0]) {
      const d = both([pe('A', 1), pe('B', 2), pe('A', 3)], [pe('C', 1), pe('A', 3), pe('C', 5), pe('D', 1)], mask);
      expect(d.added).toEqual([
        { kind: 'physical-equipment', label: 'C', quantity: 5 },
        { kind: 'physical-equipment', label: 'D', quantity: 1 },
      ]);
      expect(d.removed).toEqual([{ kind: 'physical-equipment', label: 'B', quantity: 2 }]);
      expect(d.unchanged).toBe(1);
      // campaign 1's last item of a key is the one compared
      const e = both([pe('A', 1)], [pe('A', 1), pe('A', 2)], mask);
      expect(e.changed).toEqual([
        { kind: 'physical-equipment', label: 'A', quantityBefore: 1, quantityAfter: 2, fields: ['quantity'] },
      ]);
      const f = both([pe('A', 1)], [pe('A', 2), pe('A', 1)], mask);
      expect(f.unchanged).toBe(1);
      expect(f.changed).toEqual([]);
    }
  });

  it('fields in another order, `at`, absent and undefined fields are no change; a value that differs is', () => {
    const x = pe('A', 1, { model: 'M', at: { file: 'a.csv', line: 2 } });
    const y = {
      kind: 'physical-equipment',
      item: { at: { file: 'b.csv', line: 9 }, type: 'Laptop', model: 'M', quantity: 1, name: 'A', status: undefined },
    } as InventoryItem;
    const d = both([x], [y]);
    expect(d.unchanged).toBe(1);
    expect(d.changed).toEqual([]);
    const z = pe('A', 1, { model: 'N', status: 'In use' });
    expect(both([x], [z]).changed).toEqual([
      { kind: 'physical-equipment', label: 'A', quantityBefore: 1, quantityAfter: 1, fields: ['model', 'status'] },
    ]);
  });

  it('records: long strings, separators, numbers, booleans, nested values, text of the same JSON', () => {
    const long = 'x'.repeat(70_000);
    const odd = { model: long, user: '\u0001s\u0002;n1;', cores: 1e21, usageRate: -0, serverFlag: true, at: 'a' };
    const base = pe('A', 1, { ...odd, endOfLife: { kind: 'don', year: 2024 } });
    const same = pe('A', 1, { ...odd, usageRate: 0, endOfLife: { kind: 'don', year: 2024 } });
    expect(both([base], [same]).unchanged).toBe(1);
    const edits: [string, unknown][] = [
      ['model', long + 'y'],
      ['model', long.slice(1)],
      ['user', '\u0001s\u0002;n1'],
      ['cores', 1e22],
      ['serverFlag', false],
      ['endOfLife', { kind: 'don', year: 2025 }],
      ['usageRate', Number.NaN],
    ];
    for (const [field, value] of edits) {
      const x = pe('A', 1, { ...odd, endOfLife: { kind: 'don', year: 2024 }, [field]: value });
      expect(both([base], [x]).changed).toEqual([
        { kind: 'physical-equipment', label: 'A', quantityBefore: 1, quantityAfter: 1, fields: [field] },
      ]);
    }
    // NaN and null have the same JSON: no change
    expect(both([pe('A', 1, { cores: Number.NaN })], [pe('A', 1, { cores: null })]).unchanged).toBe(1);
  });

  it('builders sized at first for fewer or more items than given (the arrays and key tables grow): the same diff', () => {
    const before = Array.from({ length: 3000 }, (_, i) => pe(`N${i}`, 1 + (i % 4)));
    const after = before.flatMap((x, i) => (i % 9 === 0 ? [] : i % 5 === 0 ? [pe(`N${i}`, 7)] : [x]));
    const expected = inventoryDiff(before, after);
    for (const capacity of [0, 1, 1000, 3000, 10_000]) {
      const d = new InventoryDiffBuilder(false, undefined, capacity);
      for (const x of before) d.before(x);
      const records = new DiffRecordsBuilder(false, undefined, capacity);
      for (const x of after) records.add(x);
      d.afterRecords(records.done());
      expect(d.result()).toEqual(expected);
    }
  });

  it('records: the first chunk holds 128 bytes per item given (at least 64 KiB, at most 256 MiB); records past it the same', () => {
    expect(firstChunkBytes(0)).toBe(65_536);
    expect(firstChunkBytes(512)).toBe(65_536);
    expect(firstChunkBytes(513)).toBe(65_664);
    expect(firstChunkBytes(1_000_000)).toBe(128_000_000);
    expect(firstChunkBytes(2 ** 21)).toBe(2 ** 28);
    expect(firstChunkBytes(2 ** 21 + 1)).toBe(2 ** 28);
    expect(firstChunkBytes(2 ** 40)).toBe(2 ** 28);
    // 1000 items given: a first chunk of 128 000 bytes; records of about 310 bytes (name, quantity, type and a model
    // of 280 characters: 310 000 bytes in all) fill it and go on in a second chunk (256 000 bytes: twice the first),
    // a record never split across two.
    const pad = 'p'.repeat(280);
    const before = Array.from({ length: 1000 }, (_, i) => pe(`N${i}`, 1, { model: pad }));
    const after = before.map((x, i) => (i % 3 === 0 ? pe(`N${i}`, 1, { model: pad + 'q' }) : x));
    const records = new DiffRecordsBuilder(false, undefined, 1000);
    for (const x of after) records.add(x);
    const done = records.done();
    expect(done.bytes.map((b) => b.length)).toEqual([128_000, 256_000]);
    for (let r = 0; r < 1000; r++)
      expect(done.off[r]! + done.len[r]!).toBeLessThanOrEqual(done.bytes[done.chunk[r]!]!.length);
    const d = new InventoryDiffBuilder(false, undefined, 1000);
    for (const x of before) d.before(x);
    d.afterRecords(done);
    const r = d.result();
    expect(r).toEqual(inventoryDiff(before, after));
    expect(r.changed.length).toBe(334);
    expect(r.unchanged).toBe(666);
  });

  it("campaign 1 in campaign 0's order, reversed, shuffled, with duplicates: the same diff (the next entry tried first)", () => {
    const before = Array.from({ length: 400 }, (_, i) => pe(`N${i % 390}`, 1 + (i % 3)));
    const kept = before.flatMap((x, i) => (i % 13 === 0 ? [] : [i % 6 === 0 ? pe(`N${i % 390}`, 9) : x]));
    const shuffled = kept.map((_, i) => kept[(i * 7) % kept.length]!);
    for (const after of [kept, [...kept].reverse(), shuffled, [...kept, ...kept.slice(0, 50)]])
      for (const mask of [undefined, 0, 0x3]) both(before, after, mask);
  });

  it('records: field names outside the model, numbers written as their 8 bytes', () => {
    // Names the model does not have (written with their characters): short, of 200 characters (a length of two
    // bytes), not ASCII; the item read back (a changed item's fields) must name them.
    const long = 'f'.repeat(200);
    const extra = { extra: 'a', [long]: 1, 'prénom€': 'b' };
    const base = pe('A', 1, extra);
    expect(both([base], [pe('A', 1, { ...extra })]).unchanged).toBe(1);
    for (const field of ['extra', long, 'prénom€']) {
      const x = pe('A', 1, { ...extra, [field]: 'other' });
      expect(both([base], [x]).changed).toEqual([
        { kind: 'physical-equipment', label: 'A', quantityBefore: 1, quantityAfter: 1, fields: [field] },
      ]);
    }
    // An unknown name is told from a model name and from another unknown name of the same length.
    expect(both([pe('A', 1, { extra: 'a' })], [pe('A', 1, { model: 'a' })]).changed[0]!.fields).toEqual([
      'extra',
      'model',
    ]);
    expect(both([pe('A', 1, { extra: 'a' })], [pe('A', 1, { extrb: 'a' })]).changed[0]!.fields).toEqual([
      'extra',
      'extrb',
    ]);
    // Numbers: the nearest doubles apart, read back exactly (the quantities of the diff come from the records);
    // -0 and 0, Infinity and -Infinity (JSON null), NaN and null: the same JSON, no change.
    const d = both([pe('A', 0.1 + 0.2), pe('B', 2 ** 53 + 2)], [pe('A', 0.3), pe('B', 2 ** 53)]);
    expect(d.changed.map((c) => [c.label, c.quantityBefore, c.quantityAfter])).toEqual([
      ['A', 0.1 + 0.2, 0.3],
      ['B', 2 ** 53 + 2, 2 ** 53],
    ]);
    expect(both([pe('A', 1, { cores: 5e-324 })], [pe('A', 1, { cores: 0 })]).changed[0]!.fields).toEqual(['cores']);
    expect(both([pe('A', 1, { cores: -0 })], [pe('A', 1, { cores: 0 })]).unchanged).toBe(1);
    expect(both([pe('A', 1, { cores: Infinity })], [pe('A', 1, { cores: -Infinity })]).unchanged).toBe(1);
    expect(both([pe('A', 1, { cores: Number.NaN })], [pe('A', 1, { cores: null })]).unchanged).toBe(1);
    // A removed item's quantity read back from its record.
    expect(both([pe('A', 1), pe('R', 1.5e-7)], [pe('A', 1)]).removed).toEqual([
      { kind: 'physical-equipment', label: 'R', quantity: 1.5e-7 },
    ]);
  });

  it('records as bytes: characters of 1, 2 and 3 bytes, surrogates, records across chunks, read back the same', () => {
    // é (2 bytes), € and a lone surrogate (3 bytes), an emoji (a surrogate pair), ASCII: 300 records of ≈ 3 kB
    // each fill several chunks (the first is 64 KiB), some records moved to the next chunk as they are written.
    const texts = ['é', '€', '\ud800', '😀', 'a', '\u07ff', '\u0800', '\uffff'];
    const name = (i: number) => `${texts[i % texts.length]!.repeat(600 + (i % 7))}-${i}`;
    const before = Array.from({ length: 300 }, (_, i) => pe(name(i), 1, { user: texts[(i + 3) % texts.length] }));
    // Every 3rd item changed (its user), every 10th removed: removed and changed items are labelled from the
    // records read back, so their names must come back as written.
    const after = before.flatMap((x, i) =>
      i % 10 === 4 ? [] : i % 3 === 0 ? [pe(name(i), 1, { user: `${texts[(i + 4) % texts.length]}!` })] : [x],
    );
    for (const mask of [undefined, 0x7]) {
      const d = both(before, after, mask);
      expect(d.removed.map((x) => x.label)).toEqual(before.flatMap((_, i) => (i % 10 === 4 ? [name(i)] : [])));
      expect(d.changed.map((x) => x.label)).toEqual(
        before.flatMap((_, i) => (i % 10 !== 4 && i % 3 === 0 ? [name(i)] : [])),
      );
      expect(d.unchanged).toBe(300 - 30 - d.changed.length);
    }
  });

  it('two part lists with the same key text are one key (name "a\\u0000b" and name "a" of data source "b")', () => {
    const one = pe('a\u0000b', 1);
    const two = pe('a', 1, { dataSource: 'b' });
    for (const mask of [undefined, 0]) {
      const d = both([one], [two], mask);
      expect(d.changed).toHaveLength(1);
      expect(d.changed[0]!.fields).toEqual(['dataSource', 'name']);
    }
  });

  it('a quantity that is not a number is no quantity; every kind is labelled as inventoryDiff labels it, kinds apart', () => {
    const odd = { kind: 'non-it', item: { name: 'ups', type: 'UPS', quantity: Number.NaN } } as InventoryItem;
    const vm = { kind: 'virtual-equipment', item: { name: 'vm', host: 'h', quantity: 1 } } as InventoryItem;
    const mail = { kind: 'messaging', item: { year: 2025, month: 3, sentCount: 1 } } as InventoryItem;
    const entity = { kind: 'entity', item: { name: 'E', collaborators: 3 } } as InventoryItem;
    const dc = { kind: 'datacenter', item: { name: 'E', location: 'France', pue: 1.5 } } as InventoryItem;
    const app = { kind: 'application', item: { name: 'app', environment: 'Prod', vm: 'vm' } } as InventoryItem;
    const all = [odd, vm, mail, entity, dc, app];
    for (const mask of [undefined, 0]) {
      expect(both(all, [], mask).removed).toHaveLength(6);
      expect(both([], all, mask).added).toHaveLength(6);
      // same name, other kinds: no match across kinds
      expect(both([entity], [dc], mask).added).toHaveLength(1);
    }
  });
});

describe('item keys with colliding fingerprints: the same compact sides', async () => {
  const before = await estate(12);
  const after = await estate(15);
  const side = (c: LoadedCampaign, mask?: number): CompactSide => {
    const builder = new CompactBuilder(16, mask);
    const r = runItems(c.inventory, c.referential, c.ctx, { onCounted: (x, layout) => builder.add(x, layout) });
    return builder.done(r.layout);
  };

  it('keys, key ids, matches, decomposition and ranges equal those of full fingerprints', () => {
    const b = side(before);
    const a = side(after);
    for (const mask of [0, 3]) {
      const bm = side(before, mask);
      const am = side(after, mask);
      expect(bm.n).toBe(b.n);
      for (let i = 0; i < b.n; i++) {
        expect(bm.key(i)).toBe(b.key(i));
        expect(bm.keyIdOf(i)).toBe(b.keyIdOf(i));
        expect(bm.keyId(b.key(i))).toBe(b.keyIdOf(i));
      }
      expect(bm.keyId('no such key')).toBeUndefined();
      const m = matchKeys(b, a);
      expect(matchKeys(bm, am)).toEqual(m);
      // sides of different fingerprints match through the key text
      expect(matchKeys(bm, a)).toEqual(m);
      expect(decomposeCounted(bm, am)).toEqual(decomposeCounted(b, a));
      expect(compactDeltaUncertainty(bm, am, '0123abcd', 200)).toEqual(compactDeltaUncertainty(b, a, '0123abcd', 200));
    }
    // the estates share items and differ by some
    const m = matchKeys(b, a);
    expect([...m.bToA].filter((x) => x >= 0).length).toBeGreaterThan(10);
    expect([...m.aToB].filter((x) => x < 0).length).toBeGreaterThan(0);
  });
});

describe('record bytes and field values compared', () => {
  it('sameBytes: every length 0 to 11 at unaligned offsets, a difference at each position found', () => {
    // Two buffers with the same bytes at offsets 3 and 6 (records start anywhere in a chunk); a view of each.
    const a = new Uint8Array(40);
    const b = new Uint8Array(40);
    for (let i = 0; i < 20; i++) a[3 + i] = b[6 + i] = (i * 37 + 11) & 0xff;
    const va = new DataView(a.buffer);
    const vb = new DataView(b.buffer);
    for (let n = 0; n <= 11; n++) {
      expect(sameBytes(va, 3, vb, 6, n)).toBe(true);
      for (let k = 0; k < n; k++) {
        b[6 + k]! ^= 0x80; // one bit of one byte: in a four-byte word or in the tail
        expect(sameBytes(va, 3, vb, 6, n)).toBe(false);
        b[6 + k]! ^= 0x80;
      }
    }
    // The bytes after the compared ones do not count.
    b[6 + 11]! ^= 1;
    expect(sameBytes(va, 3, vb, 6, 11)).toBe(true);
  });

  it('sameJson: equal JSON texts, whatever the values', () => {
    const pairs: [unknown, unknown][] = [
      ['a', 'a'],
      ['a', 'b'],
      [1, 1],
      [1, 2],
      [0, -0],
      [NaN, null],
      [NaN, NaN],
      [Infinity, null],
      [1, '1'],
      [undefined, undefined],
      [undefined, null],
      [{ x: [1, 'y'] }, { x: [1, 'y'] }],
      [{ x: 1 }, { x: 2 }],
      [
        [1, 2],
        [1, 2],
      ],
      [true, true],
      [true, false],
    ];
    for (const [x, y] of pairs) expect(sameJson(x, y)).toBe(JSON.stringify(x) === JSON.stringify(y));
  });
});
