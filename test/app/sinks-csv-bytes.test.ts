/**
 * The CSV sinks writing to a file (an output taking bytes, issue 11): the long CSV written from the item results
 * directly and the wide CSV written cell by cell into bytes give the bytes of the generic paths — `csvRow` of the
 * indicator rows, `csvRecord` of the wide rows — on every kind of item (physical equipment, VMs on hosts, cloud
 * instances, applications, non-IT, messaging), with slots in error, an item out of the period, names a spreadsheet would
 * read as formulas or that need quotes, in both locales. And the byte writer itself: UTF-8 as `Buffer.from` writes it,
 * hand-overs in order with the output's back-pressure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVERY_KIND_CTX, stubCloud } from '../helpers/engine.js';
import { everyKindRef, testReferential } from '../helpers/referential.js';
import { ByteRows } from '../../src/app/sinks/buffered.js';
import { csvHeader, csvRow, csvRowsSink } from '../../src/app/sinks/csv-rows.js';
import { csvWideSink } from '../../src/app/sinks/csv-wide.js';
import type { AssessSink, AssessSummary } from '../../src/app/sink.js';
import type { TextOut } from '../../src/app/text-out.js';
import { Assessment, assessInventory, indicatorRows, type IndicatorRow } from '../../src/engine/index.js';
import type { InventoryInput } from '../../src/engine/assess.js';
import type { ItemResult } from '../../src/engine/result.js';
import { num } from '../../src/engine/trace.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../src/formats/csv-write.js';
import { wideHeader, wideRows } from '../../src/outputs/wide.js';

const ref = testReferential({
  ...everyKindRef(),
  // Germany has no ACIDIFICATION mix: its USE slots of that criterion are in error.
  electricity: { France: { CLIMATE_CHANGE: 0.0519, ACIDIFICATION: 0.000187 }, Germany: { CLIMATE_CHANGE: 0.38 } },
});

const every: InventoryInput = {
  datacenters: [{ name: 'DC1', pue: 1.42, location: 'Germany' }],
  entities: [],
  physical: [
    { name: 'lap-1', type: 'Laptop', quantity: 3, country: 'France', purchaseDate: '2025-02-01', entity: 'HQ' },
    // Names a spreadsheet would read as a formula, or that need quotes; a decimal quantity.
    { name: '=SUM(A1);"x"', type: 'Laptop', quantity: 1.5, country: 'Germany', entity: '-Sales;EU' },
    { name: 'srv-1', type: 'Server', quantity: 1, datacenter: 'DC1', purchaseDate: '2021-03-15' },
    { name: 'srv-2', type: 'Server', quantity: 2, country: 'France', internalLifeYears: 5 },
    { name: 'appliance', type: 'Appliance', quantity: 4, datacenter: 'DC1', annualKWh: 500 },
    { name: 'phone', type: 'Smartphone', quantity: 10, country: 'France', usageMode: 'BYOD' },
    { name: 'toaster', type: 'Toaster', quantity: 1, country: 'France' }, // unknown type: every slot in error
    { name: 'nowhere', type: 'Laptop', quantity: 1, internalLifeYears: 4 }, // no location: USE in error
    {
      name: 'gone', // out of the period: no long row, an `excluded` wide row
      type: 'Laptop',
      quantity: 1,
      country: 'France',
      purchaseDate: '2019-01-01',
      retirementDate: '2024-06-30',
    },
  ],
  virtual: [
    { name: 'vm-key', host: 'srv-1', allocationKey: 0.25 },
    { name: '@vm-cpu', host: 'srv-2', vcpu: 4 },
    { name: 'vm-own', host: 'srv-2', vcpu: 12, annualKWh: 80 },
    { name: 'cloud-1', infrastructure: 'CLOUD_SERVICES', provider: 'aws', instanceType: 'm5.large', quantity: 3 },
    { name: 'cloud-2', infrastructure: 'CLOUD_SERVICES', provider: 'aws', instanceType: 'unknown' },
  ],
  applications: [
    { name: 'app-a', vm: '@vm-cpu', environment: 'Production' },
    { name: 'app-b', vm: '@vm-cpu', environment: 'Production' },
    { name: 'app-host', host: 'srv-1', environment: 'Production' },
  ],
  nonIt: [{ name: 'ups-1', type: 'UPS', quantity: 2, location: 'France', lifeYears: 8 }],
  messaging: [{ year: 2025, month: 3, sentCount: 12000, totalVolume: 4800, sentTimesRecipients: 30000, entity: 'HQ' }],
};

const assessed = assessInventory(every, ref, EVERY_KIND_CTX, { cloud: stubCloud }, { indicators: false });
const layout = new Assessment(ref, EVERY_KIND_CTX, { cloud: stubCloud }).layout;
const results = assessed.results;
const summary: AssessSummary = { meta: assessed.meta, totals: assessed.totals, inventory: [] };

/** A file: what is written, texts and bytes, in order, as its bytes. */
function fileOut(): TextOut & { bytes(): Buffer; readonly handOvers: number } {
  const parts: Buffer[] = [];
  let handOvers = 0;
  return {
    write: (s) => void parts.push(Buffer.from(s, 'utf8')),
    writeBytes: (b) => {
      handOvers++;
      parts.push(Buffer.from(b)); // a copy: a buffer handed over must not be written again
    },
    close: async () => undefined,
    abort: async () => undefined,
    bytes: () => Buffer.concat(parts),
    get handOvers() {
      return handOvers;
    },
  };
}

/** Runs the items through a sink as the assessment does; counts the items whose rows the sink walked. */
async function feed(sink: AssessSink, withTrace: boolean | 'formula', items: readonly ItemResult[] = results) {
  let walked = 0;
  await sink.begin(assessed.meta, layout);
  for (const r of items) {
    const rows = indicatorRows(r, layout, withTrace);
    const counted: Iterable<IndicatorRow> = {
      [Symbol.iterator]: () => {
        walked++;
        return rows[Symbol.iterator]();
      },
    };
    await sink.item!(r, counted);
  }
  await sink.totals(summary);
  await sink.close();
  return walked;
}

const kindsOf = (items: readonly ItemResult[]) => [...new Set(items.map((r) => r.kind))].sort();

describe('CSV sinks to a file (issue 11)', () => {
  it('the test inventory has every kind of item, slots in error and one item out of the period', () => {
    expect(kindsOf(results)).toEqual(['application', 'messaging', 'non-it', 'physical-equipment', 'virtual-equipment']);
    expect(results.some((r) => r.name.startsWith('cloud') && Array.from(r.status).includes(1))).toBe(true);
    expect(results.some((r) => r.name === 'cloud-2' && Array.from(r.status).includes(2))).toBe(true);
    expect(results.filter((r) => r.outOfPeriod !== undefined).map((r) => r.name)).toEqual(['gone']);
    const errors = results.flatMap((r) => [...r.errors.values()].map((i) => i.code));
    expect(new Set(errors).size).toBeGreaterThanOrEqual(3);
  });

  for (const [locale, format] of [
    ['en', csvFormat('en')],
    ['fr', csvFormat('fr')],
  ] as [string, CsvFormat][]) {
    describe(`locale ${locale}`, () => {
      const generic = (withTrace: boolean | 'formula') =>
        csvHeader(format) +
        results
          .flatMap((r) => [...indicatorRows(r, layout, withTrace)])
          .map((row) => csvRow(row, format))
          .join('');

      it('long, formula column: the rows of the results written directly are the csvRow text of the rows', async () => {
        const out = fileOut();
        const walked = await feed(csvRowsSink(out, format), 'formula');
        // Only the first item's rows were walked (they tell the run's trace detail); the others written directly.
        expect(walked).toBe(1);
        const expected = generic('formula');
        expect(out.bytes().toString('utf8')).toBe(expected);
        expect(out.bytes().equals(Buffer.from(expected, 'utf8'))).toBe(true);
        // Every kind is in the file, with slots in error and the neutralised, quoted names.
        const text = out.bytes().toString('utf8');
        for (const kind of kindsOf(results)) expect(text).toContain(`\n${kind};`);
        expect(text).toContain(`physical-equipment;"'=SUM(A1);""x""";"'-Sales;EU";`);
        expect(text).toContain(';ERROR;CALC_');
        expect(text).not.toContain(';gone;');
      });

      it('long without trace (--no-trace): written directly, the formula column empty', async () => {
        const out = fileOut();
        expect(await feed(csvRowsSink(out, format), false)).toBe(1);
        expect(out.bytes().toString('utf8')).toBe(generic(false));
      });

      it('long with whole traces (--hide-licensed rewrites them): every item written from its rows', async () => {
        const out = fileOut();
        expect(await feed(csvRowsSink(out, format), true)).toBe(results.length);
        expect(out.bytes().toString('utf8')).toBe(generic(true));
      });

      it('long: the same bytes as the text output (stdout), item by item in any order of kinds', async () => {
        for (const items of [results, [...results].reverse()]) {
          const file = fileOut();
          await feed(csvRowsSink(file, format), 'formula', items);
          const text: string[] = [];
          await feed(
            csvRowsSink(
              { write: (s) => void text.push(s), close: async () => undefined, abort: async () => undefined },
              format,
            ),
            'formula',
            items,
          );
          expect(file.bytes().toString('utf8')).toBe(text.join(''));
        }
      });

      it('wide: the bytes are csvRecord of the wide rows, the BOM first in French', async () => {
        const out = fileOut();
        await feed(csvWideSink(out, format), 'formula');
        const row = wideRows(layout);
        const expected =
          csvPreamble(wideHeader(layout), format) + results.map((r) => csvRecord(row(r), format) + '\n').join('');
        expect(out.bytes().toString('utf8')).toBe(expected);
        expect(out.bytes().subarray(0, 3).toString('hex')).toBe(locale === 'fr' ? 'efbbbf' : '6b696e'); // BOM or "kin"
        const lines = expected.split('\n');
        expect(lines.find((l) => l.includes(';gone;'))).toMatch(/;excluded: CALC_OUT_OF_PERIOD$/);
      });

      it('an empty run: no byte for the long CSV, the header alone for the wide one', async () => {
        const long = fileOut();
        await feed(csvRowsSink(long, format), 'formula', []);
        expect(long.bytes().length).toBe(0);
        const wide = fileOut();
        await feed(csvWideSink(wide, format), 'formula', []);
        expect(wide.bytes().toString('utf8')).toBe(csvPreamble(wideHeader(layout), format));
      });
    });
  }
});

describe('byte rows', () => {
  const collect = () => {
    const parts: Buffer[] = [];
    const pending: (() => void)[] = [];
    const writeBytes = (b: Uint8Array) => {
      parts.push(Buffer.from(b));
      return new Promise<void>((resolve) => pending.push(resolve));
    };
    return { parts, pending, writeBytes };
  };

  it('writes texts as the UTF-8 of Buffer.from: ASCII, 2-, 3- and 4-byte characters, lone surrogates', () => {
    const samples = ['', 'a', 'q × F × τ', 'é€😀', '\ud800', 'x\udc00y', '\ud83d', '😀\ud83d', 'a'.repeat(30) + '€'];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom(...samples))),
        (texts) => {
          const c = collect();
          const w = new ByteRows(c.writeBytes, 16);
          for (const t of texts) w.text(t);
          void w.flush();
          expect(Buffer.concat(c.parts).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands the bytes over in order once enough are pending, with the back-pressure of the output', async () => {
    const c = collect();
    const w = new ByteRows(c.writeBytes, 8);
    w.bytes(Buffer.from('abc'));
    w.byte(59);
    expect(w.end()).toBeUndefined(); // 4 bytes < 8: kept
    w.text('défg');
    const p = w.end(); // 4 + 5 bytes ≥ 8: handed over, the output's promise returned
    expect(p).toBeInstanceOf(Promise);
    expect(c.parts.map((b) => b.toString())).toEqual(['abc;défg']);
    let done = false;
    void p!.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    c.pending.shift()!();
    await p;
    expect(done).toBe(true);
    // A piece larger than the buffer's room: what is pending is handed over first, its promise kept for `end`.
    w.text('xy');
    w.bytes(Buffer.alloc(80_000, 0x41));
    expect(c.parts.map((b) => b.length)).toEqual([9, 2]);
    const q = w.end();
    expect(q).toBeInstanceOf(Promise);
    expect(c.parts.map((b) => b.length)).toEqual([9, 2, 80_000]);
    c.pending.forEach((resolve) => resolve());
    await q;
    expect(w.flush()).toBeUndefined(); // nothing pending
    expect(Buffer.concat(c.parts).toString()).toBe('abc;défg' + 'xy' + 'A'.repeat(80_000));
  });
});

describe('direct paths of the CSV sinks (issue 11: formulas piece by piece, number texts kept, statuses kept)', () => {
  /** An item like `base` with other own properties (its prototype's getters, such as dims, still answer). */
  const like = (base: ItemResult, own: Record<string, unknown>): ItemResult =>
    Object.assign(Object.create(base) as ItemResult, own);
  const pieces = (r: ItemResult, s: number) => {
    const out: string[] = [];
    expect(r.writeFormula!(s, { text: (t) => void out.push(t), num: (x) => void out.push(num(x)) })).toBe('');
    return out.join('');
  };

  it('writeFormula writes the text of formula(slot) for every slot of every item that has it', () => {
    const withPieces = results.filter((r) => r.writeFormula !== undefined);
    expect(withPieces.length).toBeGreaterThanOrEqual(5);
    let slots = 0;
    for (const r of withPieces)
      for (let s = 0; s < layout.size; s++) {
        expect(pieces(r, s), `${r.name} ${s}`).toBe(r.formula!(s));
        expect(pieces(r, s)).toBe(r.explain(s).formula);
        slots++;
      }
    expect(slots).toBeGreaterThan(50);
  });

  for (const [locale, format] of [
    ['en', csvFormat('en')],
    ['fr', csvFormat('fr')],
  ] as [string, CsvFormat][]) {
    it(`${locale}: a formula that needs quotes or the formula guard is written again through csvCell`, async () => {
      const first = results.find((r) => r.writeFormula !== undefined && r.outOfPeriod === undefined)!;
      // Formulas of invented items: as the engine's, then with a quote, the delimiter, a line end, a leading
      // formula character (in a text, or in a first number), an empty first piece before a negative number.
      const texts: ((x: number) => { text: string[] | number })[] = [
        () => ({ text: ['a × b = '] }),
        () => ({ text: ['say "hi" = '] }),
        () => ({ text: ['a;b = '] }),
        () => ({ text: ['line\nbreak = '] }),
        () => ({ text: ['=1+'] }),
        () => ({ text: -5 }),
        () => ({ text: ['', '@x '] }),
      ];
      const items: ItemResult[] = [first];
      texts.forEach((make, i) => {
        const parts = (s: number): (string | number)[] => {
          const t = make(s).text;
          const head: (string | number)[] = typeof t === 'number' ? [t, ' × 2'] : t;
          return [...head, first.values[s]! * (i + 1)];
        };
        const text = (s: number) =>
          parts(s)
            .map((p) => (typeof p === 'number' ? num(p) : p))
            .join('');
        items.push(
          like(first, {
            name: `fake-${i}`,
            values: Array.from(first.values, (v) => v * (i + 1)),
            formula: text,
            writeFormula: (s: number, out: { text(t: string): void; num(x: number): void }) => {
              for (const p of parts(s))
                if (typeof p === 'number') out.num(p);
                else out.text(p);
              return '';
            },
          }),
        );
      });
      items.push(...results.filter((r) => r !== first));
      const out = fileOut();
      await feed(csvRowsSink(out, format), 'formula', items);
      const expected =
        csvHeader(format) +
        items
          .flatMap((r) => [...indicatorRows(r, layout, 'formula')])
          .map((row) => csvRow(row, format))
          .join('');
      expect(out.bytes().toString('utf8')).toBe(expected);
      // The guarded and quoted formulas are in it.
      expect(expected).toContain(`;"say ""hi"" = `);
      expect(expected).toContain(`;"a;b = `);
      expect(expected).toContain(`;'=1+`);
      expect(expected).toContain(`;'-5 × 2`);
      expect(expected).toContain(`;'@x `);
    });

    it(`${locale}: wide statuses kept per status vector follow vectors that change and errors that differ`, async () => {
      const shared = new Uint8Array(layout.size);
      const withErrors = results.filter((r) => r.errors.size > 0 && r.outOfPeriod === undefined);
      const ok = results.filter((r) => r.errors.size === 0 && r.outOfPeriod === undefined);
      expect(withErrors.length).toBeGreaterThanOrEqual(2);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      // Items whose status vectors are one array, written over between items (a shared object whose contents
      // change), with their own errors; then items sharing an errors map with another vector.
      const items: ItemResult[] = [];
      const written: string[] = [];
      const row = wideRows(layout);
      for (const r of [...withErrors, ...ok, ...withErrors.slice().reverse(), ok[0]!]) {
        const item = like(r, { status: shared });
        items.push(item);
      }
      // The same errors map and vector object, its contents changed: slots in error, then none, then fewer.
      const e = withErrors.find((r) => Array.from(r.status).filter((st) => st === 2).length >= 2)!;
      const errorSlots = Array.from(e.status).flatMap((st, s) => (st === 2 ? [s] : []));
      expect(errorSlots.length).toBeGreaterThanOrEqual(2);
      const vectors: number[][] = [
        Array.from(e.status),
        Array.from(e.status, (st) => (st === 2 ? 1 : st)),
        Array.from(e.status, (st, s) => (s === errorSlots[0] ? 1 : st)),
      ];
      const contents = new Map<ItemResult, number[]>();
      for (const v of vectors) {
        const item = like(e, { status: shared, errors: e.errors });
        contents.set(item, v);
        items.push(item);
      }
      const out = fileOut();
      const sink = csvWideSink(out, format);
      await sink.begin(assessed.meta, layout);
      for (let i = 0; i < items.length; i++) {
        const source = Object.getPrototypeOf(items[i]) as ItemResult;
        shared.set(contents.get(items[i]!) ?? Array.from(source.status));
        written.push(csvRecord(row(items[i]!), format) + '\n');
        await sink.item!(items[i]!, []);
      }
      await sink.totals(summary);
      await sink.close();
      const expected = csvPreamble(wideHeader(layout), format) + written.join('');
      expect(out.bytes().toString('utf8')).toBe(expected);
      expect(new Set(written.map((l) => l.slice(l.lastIndexOf(';'))))).toContain(';OK\n');
      expect(new Set(written.map((l) => l.slice(l.lastIndexOf(';')))).size).toBeGreaterThanOrEqual(3);
    });
  }
});
