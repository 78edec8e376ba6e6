/**
 * One test per sink: each output of one in-memory run, written to a memory `TextOut` and read back, against the
 * results the memory sink received for the same run (two paths, one result), plus the streaming JSON writer.
 */
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../src/app/assess.js';
import { standardDeps } from '../../src/app/deps.js';
import { bufferedWrites } from '../../src/app/sinks/buffered.js';
import { CSV_COLUMNS, csvHeader, csvRow, csvRowsSink } from '../../src/app/sinks/csv-rows.js';
import { csvSummarySink } from '../../src/app/sinks/csv-summary.js';
import { jsonRow, jsonSink } from '../../src/app/sinks/json.js';
import { JsonStreamWriter } from '../../src/app/sinks/json-stream.js';
import { memorySink } from '../../src/app/sinks/memory.js';
import { tableSink } from '../../src/app/sinks/table.js';
import type { AssessSink } from '../../src/app/sink.js';
import { pathSources } from '../../src/app/sources.js';
import { memoryOut } from '../../src/app/text-out.js';

const DATE = '2025-06-30';
const input: AssessInput = {
  sources: pathSources(['examples/inventory']),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category', referenceDate: DATE },
};
const run = (sink: AssessSink) =>
  assess(
    standardDeps(() => DATE),
    input,
    sink,
  );

const reference = memorySink({ rows: true });
await run(reference);
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('JSON streaming writer', () => {
  it('writes nested objects and one array element per line', () => {
    const w = new JsonStreamWriter();
    w.openObject()
      .field('a', { b: [1, 'x'] })
      .key('rows')
      .openArray();
    w.element('{"n":1}').element('{"n":2}').closeArray();
    w.key('o').openObject().field('k', null).closeObject().closeObject();
    const text = w.take();
    expect(text).toBe('{"a":{"b":[1,"x"]},"rows":[\n{"n":1},\n{"n":2}\n],"o":{"k":null}}\n');
    expect(JSON.parse(text)).toEqual({ a: { b: [1, 'x'] }, rows: [{ n: 1 }, { n: 2 }], o: { k: null } });
    expect(w.take()).toBe('');
  });

  it('an empty array is still valid JSON; misuse is refused', () => {
    const w = new JsonStreamWriter().openObject().key('xs').openArray().closeArray().closeObject();
    expect(JSON.parse(w.take())).toEqual({ xs: [] });
    expect(() => new JsonStreamWriter().openObject().element('1')).toThrow(/not inside an array/);
    expect(() => new JsonStreamWriter().openArray().key('k')).toThrow(/not inside an object/);
  });
});

describe('JSON sink', () => {
  it('writes the document {meta, indicators, inventory, totals} of the run, rows streamed', async () => {
    const out = memoryOut();
    await run(jsonSink(out, { rows: true }));
    expect(out.closed).toBe(true);
    const doc = JSON.parse(out.text()) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['meta', 'indicators', 'inventory', 'totals']);
    expect(doc.meta).toEqual(plain(reference.meta));
    expect(doc.totals).toEqual(plain(reference.summary?.totals));
    expect(doc.inventory).toEqual(plain(reference.summary?.inventory));
    const rows = doc.indicators as { item: string; value: number; errorMessage?: string }[];
    expect(rows.length).toBe(reference.indicators.length);
    expect(rows.map((r) => [r.item, r.value])).toEqual(reference.indicators.map((r) => [r.item, r.value]));
    // Errors are written as code + English message, never as the internal Issue object.
    const inError = rows.find((r) => r.errorMessage !== undefined);
    if (inError) expect(typeof inError.errorMessage).toBe('string');
    // One row per line between the brackets.
    expect(out.text().split('\n').length).toBe(rows.length + 3);
  });

  it('--summary: no indicators key', async () => {
    const out = memoryOut();
    await run(jsonSink(out, { rows: false }));
    expect(Object.keys(JSON.parse(out.text()) as object)).toEqual(['meta', 'inventory', 'totals']);
  });

  it('writes nothing before the first row: a failed run leaves its output empty', async () => {
    const out = memoryOut();
    const sink = jsonSink(out, { rows: true });
    await sink.begin(reference.meta!);
    expect(out.text()).toBe('');
    await sink.abort();
    expect(out.closed).toBe(false);
  });
});

describe('JSON sink, short traces (issue 11)', () => {
  it('rows built with their formula alone are the full-trace rows cut to the formula', async () => {
    const out = memoryOut();
    const sink = jsonSink(out, { rows: true, trace: 'short' });
    expect(sink.traceDetail).toBe('formula');
    await run(sink);
    const lines = out.text().split('\n');
    const rows = lines.slice(1, 1 + reference.indicators.length).map((l) => l.replace(/,$/, ''));
    expect(rows).toEqual(reference.indicators.map((r) => jsonRow(r, 'short')));
  });
});

describe('buffered writes', () => {
  it('passes the texts on in order, in chunks, with the back-pressure of the output, and the rest at flush', async () => {
    const written: string[] = [];
    let waits = 0;
    const out = {
      write: (t: string) => {
        written.push(t);
        waits++;
        return Promise.resolve();
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    const b = bufferedWrites(out, 10);
    expect(b.write('abc')).toBeUndefined();
    expect(b.write('defg')).toBeUndefined();
    const p = b.write('hijk'); // 11 ≥ 10: passed on, its promise returned
    expect(p).toBeInstanceOf(Promise);
    await p;
    b.write('l');
    await b.flush();
    expect(b.flush()).toBeUndefined(); // nothing pending
    expect(written).toEqual(['abcdefghijk', 'l']);
    expect(waits).toBe(2);
  });

  it('to an output taking bytes: the UTF-8 of the texts, in order, in chunks of bytes, texts longer than a chunk alone', async () => {
    const parts: (string | Uint8Array)[] = [];
    const out = {
      write: (t: string) => {
        parts.push(t);
        return Promise.resolve();
      },
      writeBytes: (b: Uint8Array) => {
        parts.push(Uint8Array.from(b)); // a copy: the writer must not reuse a buffer it handed over
        return Promise.resolve();
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    // Texts of up to 4 code units are copied into the bytes, handed over from 8 bytes.
    const b = bufferedWrites(out, 4, 8);
    expect(b.write('q × ')).toBeUndefined(); // 5 bytes: "×" is 2 bytes in UTF-8
    const p = b.write('é€'); // 5 + 2 + 3 = 10 bytes ≥ 8: handed over
    expect(p).toBeInstanceOf(Promise);
    await p;
    await b.write('a long text'); // longer than 4 code units: written as text, after what is pending (nothing here)
    b.write('=1;');
    await b.write('τ and more'); // pending bytes first, then the text
    expect(b.flush()).toBeUndefined();
    const bytes = (x: string | Uint8Array) =>
      typeof x === 'string' ? ['text', x] : ['bytes', Buffer.from(x).toString('hex')];
    expect(parts.map(bytes)).toEqual([
      ['bytes', Buffer.from('q × é€', 'utf8').toString('hex')],
      ['text', 'a long text'],
      ['bytes', '3d313b'],
      ['text', 'τ and more'],
    ]);
    expect(Buffer.from('q × é€', 'utf8')).toHaveLength(10);
  });
});

describe('CSV sinks', () => {
  it('rows: the header, then one ;-separated line per indicator with its value as a number', async () => {
    const out = memoryOut();
    await run(csvRowsSink(out));
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(';'));
    expect(lines.length - 1).toBe(reference.indicators.length);
    const first = reference.indicators[0]!;
    const cells = lines[1]!.split(';');
    expect(cells.slice(0, 2)).toEqual([first.kind, first.item]);
    expect(Number(cells[CSV_COLUMNS.indexOf('value')])).toBe(first.value);
  });

  it('rows (issue 11): the formula column, written from the formula alone, is the formula of the full trace', async () => {
    const out = memoryOut();
    const sink = csvRowsSink(out);
    expect(sink.traceDetail).toBe('formula');
    await run(sink);
    // The reference run built every row with its whole trace: the same text, row for row.
    expect(reference.indicators.every((r) => r.trace !== undefined && r.formula === undefined)).toBe(true);
    expect(out.text()).toBe(csvHeader() + reference.indicators.map((r) => csvRow(r)).join(''));
  });

  it('rows: a run without any row writes nothing (as before the application layer)', async () => {
    const out = memoryOut();
    const sink = csvRowsSink(out);
    await sink.begin(reference.meta!);
    await sink.totals(reference.summary!);
    await sink.close();
    expect(out.text()).toBe('');
  });

  it('summary: the total per criterion and step equals the totals', async () => {
    const out = memoryOut();
    await run(csvSummarySink(out));
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toBe('dimension;key;criterion;lifecycleStep;value;unit');
    const cc = reference.summary!.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    const all = lines.find((l) => l.startsWith('total;;CLIMATE_CHANGE;ALL;'))!.split(';');
    expect(Number(all[4])).toBe(cc.value);
    expect(all[5]).toBe(cc.unit);
  });
});

describe('table sink', () => {
  it('prints the run, one line per input file and the totals per criterion', async () => {
    const out = memoryOut();
    await run(tableSink(out));
    const text = out.text();
    expect(text).toContain(`reference date ${DATE}`);
    for (const f of reference.summary!.inventory)
      expect(text).toContain(`Input ${f.file}: ${f.kind}, ${f.read} lines read, ${f.imported} imported`);
    for (const c of reference.summary!.totals.byCriterion) expect(text).toMatch(new RegExp(`^${c.criterion} `, 'm'));
  });
});
