/**
 * Rows rendered by the worker of a large table's second part (issue 11, `src/app/sinks/part-rows.ts`): each item's
 * bytes are the wide CSV row the sink writes for it (`csvRecord` of `wideRows`), batch after batch, and the sink's
 * `partRows.write` puts them in the item's place among the rows it writes itself, the header first whichever comes
 * first. And the byte writer's `offset` and long copies, which the worker's writer relies on.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testReferential } from '../helpers/referential.js';
import { ByteRows, SpillReader } from '../../src/app/sinks/buffered.js';
import { csvHeader, csvRow, csvRowsSink } from '../../src/app/sinks/csv-rows.js';
import { csvWideSink } from '../../src/app/sinks/csv-wide.js';
import { partRowWriter, type PartRowWriter, type RenderedRows } from '../../src/app/sinks/part-rows.js';
import type { AssessSummary } from '../../src/app/sink.js';
import type { TextOut } from '../../src/app/text-out.js';
import { Assessment, assessInventory, indicatorRows } from '../../src/engine/index.js';
import type { InventoryInput } from '../../src/engine/assess.js';
import { EVERY_KIND_CTX } from '../helpers/engine.js';
import type { ItemResult } from '../../src/engine/result.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../src/formats/csv-write.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { wideHeader, wideRows } from '../../src/outputs/wide.js';
import { subtreeSink } from '../../src/server/usecases/entity-scope.js';

const ref = testReferential({
  items: {
    lap: {
      factors: {
        MANUFACTURING: { CLIMATE_CHANGE: 170, ACIDIFICATION: 1.3 },
        DISTRIBUTION: { CLIMATE_CHANGE: 12.3, ACIDIFICATION: 0.07 },
        END_OF_LIFE: { CLIMATE_CHANGE: 2.79, ACIDIFICATION: 0.011 },
      },
      kwh: 29.0175,
    },
    srv: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1300, ACIDIFICATION: 9.1 } }, kwh: 1314 },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    Server: { lifespan: 6, defaultItem: 'srv', isServer: true },
  },
  // Germany has no ACIDIFICATION mix: its USE slots of that criterion are in error.
  electricity: { France: { CLIMATE_CHANGE: 0.0519, ACIDIFICATION: 0.000187 }, Germany: { CLIMATE_CHANGE: 0.38 } },
  hypotheses: { dureeVieParDefaut: 0, PUEParDefaut: 1.7 },
});

const CTX = EVERY_KIND_CTX;

const inventory: InventoryInput = {
  datacenters: [],
  entities: [],
  physical: [
    { name: 'lap-1', type: 'Laptop', quantity: 3, country: 'France', purchaseDate: '2025-02-01', entity: 'HQ' },
    // Names a spreadsheet would read as formulas, or that need quotes; characters of 2, 3 and 4 bytes in UTF-8.
    { name: '=SUM(A1);"x"', type: 'Laptop', quantity: 1.5, country: 'Germany', entity: '-Sales;EU' },
    { name: '+1', type: 'Laptop', quantity: 1, country: 'France', entity: '@team' },
    { name: 'Écran € 😀', type: 'Server', quantity: 2, country: 'France', internalLifeYears: 5 },
    { name: 'toaster', type: 'Toaster', quantity: 1, country: 'France' }, // unknown type: every slot in error
    { name: 'nowhere', type: 'Laptop', quantity: 1, internalLifeYears: 4 }, // no location: USE in error
    {
      name: 'gone', // out of the period: an `excluded` row
      type: 'Laptop',
      quantity: 1,
      country: 'France',
      purchaseDate: '2019-01-01',
      retirementDate: '2024-06-30',
    },
  ],
  virtual: [],
  applications: [],
  nonIt: [],
  messaging: [],
};

const assessed = assessInventory(inventory, ref, CTX, {}, { indicators: false });
const layout = new Assessment(ref, CTX, {}).layout;
const results = assessed.results;
const summary: AssessSummary = { meta: assessed.meta, totals: assessed.totals, inventory: [] };

/** A file: what is written, texts and bytes, in order. */
function fileOut(): TextOut & { bytes(): Buffer } {
  const parts: Buffer[] = [];
  return {
    write: (s) => void parts.push(Buffer.from(s, 'utf8')),
    writeBytes: (b) => void parts.push(Buffer.from(b)),
    close: async () => undefined,
    abort: async () => undefined,
    bytes: () => Buffer.concat(parts),
  };
}

/** The row of an item as the generic writer gives it (`csvRecord` of the wide cells). */
const rowText = (r: ItemResult, format: CsvFormat) => csvRecord(wideRows(layout)(r), format) + '\n';

/** A batch's rows when they travel with it (no scratch file in the spec). */
type InMemory = Extract<RenderedRows, { bytes: Uint8Array }>;
function taken(w: PartRowWriter): InMemory {
  const b = w.take();
  if (!('bytes' in b)) throw new Error('rows written to a file');
  return b;
}

/** Item `k` of a batch. */
const itemBytes = (b: InMemory, k: number) =>
  Buffer.from(b.bytes.subarray(k === 0 ? 0 : b.ends[k - 1], b.ends[k])).toString('utf8');

describe('rows rendered by the worker (issue 11)', () => {
  it('the test items have formula-like and quoted names, multi-byte characters, errors and an excluded item', () => {
    expect(results.map((r) => r.name)).toContain('=SUM(A1);"x"');
    expect(results.some((r) => Array.from(r.status).includes(2))).toBe(true);
    expect(results.filter((r) => r.outOfPeriod !== undefined).map((r) => r.name)).toEqual(['gone']);
  });

  for (const locale of ['en', 'fr'] as const) {
    const format = csvFormat(locale);

    it(`${locale}: each item's bytes are its wide row, batch after batch (empty, one item, several)`, () => {
      const w = partRowWriter({ type: 'csv-wide', format }, layout);
      const empty = taken(w);
      expect(empty.bytes.length).toBe(0);
      expect(empty.ends.length).toBe(0);
      for (const cut of [[0], [1, 2, 3], [4, 5, 6]]) {
        for (const i of cut) w.add(results[i]!);
        const b = taken(w);
        expect(b.ends.length).toBe(cut.length);
        cut.forEach((i, k) => expect(itemBytes(b, k)).toBe(rowText(results[i]!, format)));
        expect(b.ends[cut.length - 1]).toBe(b.bytes.length);
      }
    });

    it(`${locale}: a batch larger than the writer's buffer (several hand-overs, more items than its first index)`, () => {
      const w = partRowWriter({ type: 'csv-wide', format }, layout, 1024);
      const items = Array.from({ length: 10_000 }, (_, i) => results[i % results.length]!);
      for (const r of items) w.add(r);
      const b = taken(w);
      const expected = items.map((r) => rowText(r, format)).join('');
      expect(Buffer.byteLength(expected)).toBeGreaterThan(10 * 66 * 1024); // ten buffers of the writer and more
      expect(b.ends.length).toBe(10_000);
      expect(Buffer.from(b.bytes).toString('utf8')).toBe(expected);
      expect(itemBytes(b, 9999)).toBe(rowText(items[9999]!, format));
      // The next batch starts at 0 again.
      w.add(results[3]!);
      const next = taken(w);
      expect(Array.from(next.ends)).toEqual([Buffer.byteLength(rowText(results[3]!, format))]);
    });

    it(`${locale}: rendered rows written in their place, the header first whichever row comes first`, async () => {
      for (const firstRendered of [false, true]) {
        const out = fileOut();
        const sink = csvWideSink(out, format);
        expect(sink.partRows?.spec('formula')).toEqual({ type: 'csv-wide', format });
        await sink.begin(assessed.meta, layout);
        const w = partRowWriter(sink.partRows!.spec(false)!, layout);
        // Items 0, 2, 4, 6 rendered by the "worker" (and item 5, then skipped as a duplicate would be), the others
        // written by the sink itself.
        const rendered = [0, 2, 4, 5, 6].filter((i) => firstRendered || i !== 0);
        for (const i of rendered) w.add(results[i]!);
        const b = taken(w);
        let k = 0;
        const written: number[] = [];
        for (let i = 0; i < results.length; i++) {
          if (rendered.includes(i)) {
            const start = k === 0 ? 0 : b.ends[k - 1]!;
            const end = b.ends[k++]!;
            if (i === 5) continue; // skipped
            await sink.partRows!.write(b.bytes, start, end);
          } else await sink.item!(results[i]!, []);
          written.push(i);
        }
        await sink.totals(summary);
        await sink.close();
        const expected =
          csvPreamble(wideHeader(layout), format) + written.map((i) => rowText(results[i]!, format)).join('');
        expect(out.bytes().toString('utf8')).toBe(expected);
        expect(out.bytes().equals(Buffer.from(expected, 'utf8'))).toBe(true);
        expect(out.bytes().toString('utf8')).not.toContain('nowhere;');
      }
    });
  }

  it('a sink filtering the items of another (an entity subtree) does not pass its rendered rows on', () => {
    const wide = csvWideSink(fileOut(), csvFormat('en'));
    expect(wide.partRows).toBeDefined();
    expect(subtreeSink(wide, new Set(['HQ']), () => ref).partRows).toBeUndefined();
  });

  for (const locale of ['en', 'fr'] as const)
    for (const withFormula of [true, false]) {
      const format = csvFormat(locale);
      const trace = withFormula ? ('formula' as const) : false;
      /** The long rows of an item as the generic writer gives them (`csvRow` of its indicator rows). */
      const longText = (r: ItemResult) =>
        [...indicatorRows(r, layout, trace)].map((row) => csvRow(row, format)).join('');

      it(`${locale}, long ${withFormula ? 'with formulas' : 'without trace'}: each item's bytes are csvRow of its rows`, () => {
        const w = partRowWriter({ type: 'csv-long', format, withFormula }, layout, 1024);
        const items = Array.from({ length: 700 }, (_, i) => results[i % results.length]!);
        for (const r of items) w.add(r);
        const b = taken(w);
        expect(b.ends.length).toBe(700);
        items.forEach((r, k) => expect(itemBytes(b, k)).toBe(longText(r)));
        // The excluded item has no row: an empty range.
        const gone = results.findIndex((r) => r.outOfPeriod !== undefined);
        expect(itemBytes(b, gone)).toBe('');
        expect(Buffer.from(b.bytes).toString('utf8')).toBe(items.map(longText).join(''));
      });

      it(`${locale}, long ${withFormula ? 'with formulas' : 'without trace'}: the sink writes rendered rows in their place, the header before the first row`, async () => {
        const gone = results.findIndex((r) => r.outOfPeriod !== undefined);
        // The rendered items first (the excluded one leading: no header for it), then the sink's own.
        const order = [gone, ...results.keys()].filter((i, k) => k === 0 || i !== gone);
        const out = fileOut();
        const sink = csvRowsSink(out, format);
        const spec = sink.partRows!.spec(trace);
        expect(spec).toEqual({ type: 'csv-long', format, withFormula });
        expect(sink.partRows!.spec(true)).toBeUndefined(); // whole traces stay on the rows
        await sink.begin(assessed.meta, layout);
        const w = partRowWriter(spec!, layout);
        const rendered = order.slice(0, 4);
        for (const i of rendered) w.add(results[i]!);
        const b = taken(w);
        for (let k = 0; k < rendered.length; k++) {
          await sink.partRows!.write(b.bytes, k === 0 ? 0 : b.ends[k - 1]!, b.ends[k]!);
          if (k === 0) expect(out.bytes().length).toBe(0); // nothing yet: not even the header
        }
        for (const i of order.slice(4)) await sink.item!(results[i]!, indicatorRows(results[i]!, layout, trace));
        await sink.totals(summary);
        await sink.close();
        expect(out.bytes().toString('utf8')).toBe(csvHeader(format) + order.map((i) => longText(results[i]!)).join(''));
      });
    }

  it('the wide CSV written as text (stdout) has no rendered rows: every item goes through the sink', () => {
    const text: TextOut = { write: () => undefined, close: async () => undefined, abort: async () => undefined };
    expect(csvWideSink(text, csvFormat('en')).partRows).toBeUndefined();
  });
});

describe('byte rows: offset and long copies', () => {
  it('a buffer written again after each hand-over (`consumed`): the same bytes as new buffers, a kept cell moved', () => {
    // Each hand-over copied when it is made: the buffer is written again afterwards.
    const write = (consumed: boolean) => {
      const parts: Buffer[] = [];
      const views: Uint8Array[] = [];
      const w = new ByteRows(
        (b) => {
          views.push(b);
          parts.push(Buffer.from(b));
        },
        8,
        consumed,
      );
      w.text('abcdef');
      void w.end();
      w.text('ghij');
      void w.end(); // 10 bytes: handed over
      w.text('k');
      w.mark();
      w.text('lmnopqrstuvwxyz'); // past the room while marked: 'k' handed over, the cell moved to the start
      w.unmark();
      w.text('0123456789'.repeat(10_000)); // longer than the buffer: a larger one
      void w.end();
      w.text('😀');
      void w.flush();
      return { text: Buffer.concat(parts).toString('utf8'), parts: parts.length, views, offset: w.offset };
    };
    const expected = 'abcdefghijklmnopqrstuvwxyz' + '0123456789'.repeat(10_000) + '😀';
    const fresh = write(false);
    const reused = write(true);
    expect(fresh.text).toBe(expected);
    expect(reused.text).toBe(expected);
    expect(reused.parts).toBe(fresh.parts);
    expect(reused.offset).toBe(Buffer.byteLength(expected));
    // The hand-overs before the long text share one buffer when consumed, never otherwise.
    expect(reused.views[1]!.buffer).toBe(reused.views[0]!.buffer);
    expect(fresh.views[1]!.buffer).not.toBe(fresh.views[0]!.buffer);
  });

  it('counts every byte written, across hand-overs and a dropped cell', () => {
    const parts: Buffer[] = [];
    const w = new ByteRows((b) => void parts.push(Buffer.from(b)), 8);
    expect(w.offset).toBe(0);
    w.text('abcdef');
    expect(w.offset).toBe(6);
    void w.end(); // under 8 bytes: kept
    w.text('é€');
    expect(w.offset).toBe(11);
    void w.end(); // handed over
    expect(parts.length).toBe(1);
    expect(w.offset).toBe(11);
    w.mark();
    w.text('dropped');
    w.rewind();
    expect(w.offset).toBe(11);
    w.bytes(Buffer.alloc(70_000, 0x42)); // beyond the buffer's room: a hand-over in the middle
    expect(w.offset).toBe(70_011);
    void w.flush();
    expect(Buffer.concat(parts).length).toBe(70_011);
  });

  it('copies a range of any length, short (by bytes) or long (at once), from any start', () => {
    const src = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    for (const [start, n] of [
      [0, 0],
      [5, 1],
      [7, 32],
      [9, 33],
      [250, 50],
      [0, 300],
    ] as const) {
      const parts: Buffer[] = [];
      const w = new ByteRows((b) => void parts.push(Buffer.from(b)), 64);
      w.byte(0x2a);
      w.copy(src, start, n);
      w.byte(0x2a);
      void w.flush();
      expect(
        Buffer.concat(parts).equals(
          Buffer.concat([Buffer.from('*'), src.subarray(start, start + n), Buffer.from('*')]),
        ),
      ).toBe(true);
    }
  });

  it('long rows to a scratch file: each batch from where the last ended, read back in ranges across a small buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-part-rows-'));
    const file = join(dir, 'rows');
    writeFileSync(file, '');
    const format = csvFormat('fr');
    const longText = (r: ItemResult) =>
      [...indicatorRows(r, layout, 'formula')].map((row) => csvRow(row, format)).join('');
    const scratch = { path: file, output: join(dir, 'out.csv') };
    const w = partRowWriter({ type: 'csv-long', format, withFormula: true, scratch }, layout);
    const empty = w.take();
    expect(empty).toEqual({ at: 0, ends: new Int32Array(0) });
    const batches = [[0, 1, 2], [3], [4, 5, 6, 0, 1]].map((cut) => {
      for (const i of cut) w.add(results[i]!);
      return { cut, rows: w.take() };
    });
    w.close();
    const texts = batches.flatMap(({ cut }) => cut.map((i) => longText(results[i]!)));
    expect(readFileSync(file, 'utf8')).toBe(texts.join(''));
    // Each batch starts where the previous ended, its ends relative to its start.
    let at = 0;
    for (const { cut, rows } of batches) {
      if ('bytes' in rows) throw new Error('rows in the message');
      expect(rows.at).toBe(at);
      expect(rows.ends.length).toBe(cut.length);
      at += rows.ends[cut.length - 1]!;
    }
    expect(at).toBe(statSync(file).size);
    // Read back every other item (the skipped ones as duplicates would be) through a 100-byte buffer: ranges longer
    // than the buffer, ranges starting inside it and past it.
    const reader = new SpillReader(scratch, 100);
    const read: Buffer[] = [];
    const into = new ByteRows((b) => void read.push(Buffer.from(b)), 64);
    let expected = '';
    let k = 0;
    for (const { rows } of batches) {
      if ('bytes' in rows) continue;
      for (let j = 0; j < rows.ends.length; j++, k++) {
        if (k % 2 === 1) continue;
        reader.copy(into, rows.at + (j === 0 ? 0 : rows.ends[j - 1]!), rows.at + rows.ends[j]!);
        expected += texts[k];
      }
    }
    await into.flush();
    reader.close();
    expect(Buffer.concat(read).toString('utf8')).toBe(expected);
    // A range past the file's end (the file cut short by someone else) is the output's coded error, not a silent short
    // copy.
    const late = new SpillReader(scratch, 100);
    const e = catchOf(() => late.copy(into, at, at + 1));
    expect(e).toBeInstanceOf(EmpreinteError);
    expect((e as EmpreinteError).issue).toMatchObject({
      code: 'OUT_UNWRITABLE',
      file: join(dir, 'out.csv'),
      details: { reason: `its scratch file ${file}: ends at byte ${at}, before the rows announced` },
    });
    late.close();
    rmSync(dir, { recursive: true });
  });
  it("a scratch file that cannot be opened, written or read is the output's OUT_UNWRITABLE, every later call too", () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-part-rows-'));
    const output = join(dir, 'out.csv');
    const spec = (path: string) =>
      ({ type: 'csv-long', format: csvFormat('en'), withFormula: true, scratch: { path, output } }) as const;
    const unwritable = (path: string, reason: string) => ({
      code: 'OUT_UNWRITABLE',
      file: output,
      details: { reason: `its scratch file ${path}: ${reason}` },
    });
    // A folder at its name (as root, permissions do not stop writes): the worker's open fails.
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(catchOf(() => partRowWriter(spec(folder), layout))).toMatchObject({
      issue: unwritable(folder, 'it is a folder (EISDIR)'),
    });
    // A full disk (/dev/full: every write fails with ENOSPC) met at the batch's hand-over, then by every later call:
    // no batch announces rows that are not in the file.
    const full = join(dir, 'full');
    symlinkSync('/dev/full', full);
    const w = partRowWriter(spec(full), layout);
    w.add(results[0]!);
    const first = catchOf(() => w.take());
    expect(first).toBeInstanceOf(EmpreinteError);
    expect((first as EmpreinteError).issue).toMatchObject(unwritable(full, 'no space left on the device (ENOSPC)'));
    expect(catchOf(() => w.take())).toBe(first);
    expect(catchOf(() => w.add(results[1]!))).toBe(first);
    w.close();
    // The same met in the middle of a batch, when the writer's buffer is handed over.
    const w2 = partRowWriter(spec(full), layout);
    const mid = catchOf(() => {
      for (let i = 0; ; i = (i + 1) % results.length) w2.add(results[i]!);
    });
    expect((mid as EmpreinteError).issue).toMatchObject(unwritable(full, 'no space left on the device (ENOSPC)'));
    expect(catchOf(() => w2.take())).toBe(mid);
    w2.close();
    // The main thread's read of a folder at its name (opened for reading, then read: EISDIR).
    const reader = new SpillReader({ path: folder, output }, 100);
    const into = new ByteRows(() => undefined, 64);
    expect(catchOf(() => reader.copy(into, 0, 10))).toMatchObject({
      issue: unwritable(folder, 'it is a folder (EISDIR)'),
    });
    reader.close();
    // And of a scratch file removed.
    const gone = new SpillReader({ path: join(dir, 'gone'), output }, 100);
    expect(catchOf(() => gone.copy(into, 0, 10))).toMatchObject({
      issue: unwritable(join(dir, 'gone'), 'no such file or folder (ENOENT)'),
    });
    expect(existsSync(join(dir, 'gone'))).toBe(false);
    rmSync(dir, { recursive: true });
  });
});

/** What `f` throws (fails the test when it returns). */
function catchOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
