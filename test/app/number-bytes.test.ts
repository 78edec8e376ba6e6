/**
 * The number texts kept encoded by the CSV sinks (issue 11, `NumberBytes`) and the byte writer's additions (integers
 * digit by digit, a cell dropped and written again): the bytes are those of the formatter's text, whatever the values
 * (random doubles, tiny and huge, -0, NaN, infinities, integers, the decimal comma of `fr`), hit or miss, with entries
 * replacing each other; the table never grows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRows } from '../../src/app/sinks/buffered.js';
import { NUMBER_TEXT_WIDTH, NumberBytes } from '../../src/app/sinks/number-bytes.js';
import { num } from '../../src/engine/trace.js';
import { csvCell, csvFormat, plainNumbers, stringCell, type CsvFormat } from '../../src/formats/csv-write.js';

/** A byte writer whose hand-overs are kept (copied) in order. */
function sinkBytes(bytesPerWrite = 64) {
  const parts: Buffer[] = [];
  const w = new ByteRows((b) => void parts.push(Buffer.from(b)), bytesPerWrite);
  return {
    w,
    bytes: () => {
      void w.flush();
      return Buffer.concat(parts);
    },
  };
}

/** Values of every sort: specials, integers, tiny and huge magnitudes, random doubles, each repeated. */
const SPECIALS = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  Number.EPSILON,
  1e21,
  1e-7,
  -1.25e-7,
  1e-15,
  1.234567890123456e-10, // written out by formatNumber in more than NUMBER_TEXT_WIDTH characters
  0.1 + 0.2,
  2 ** 31 - 1,
  2 ** 31,
  -1,
  -(2 ** 31),
  2 ** 53,
  123456,
  0.5,
  1,
  5,
  2.46,
];
const anyNumber = fc.oneof(
  fc.constantFrom(...SPECIALS),
  fc.double(),
  fc.double({ min: -1e-5, max: 1e-5, noNaN: true }),
  fc.integer(),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  fc.nat({ max: 1000 }),
  fc.tuple(fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: -20, max: 20 })).map(([m, e]) => m * 10 ** e),
);

const FORMATS: [string, CsvFormat][] = [
  ['en', csvFormat('en')],
  ['fr', csvFormat('fr')],
  ['en, 17 digits', csvFormat('en', 17)],
  ['fr, 1 digit', csvFormat('fr', 1)],
  ['decimal comma with "," delimiter (quoted)', { delimiter: ',', decimalComma: true, bom: false }],
];

describe('NumberBytes (issue 11)', () => {
  const cases: [string, (x: number) => string, boolean][] = [
    ['num (the formulas), integers digit by digit', num, true],
    ['num, every number through the table', num, false],
    ...FORMATS.map(([name, f]): [string, (x: number) => string, boolean] => [
      `csvCell ${name}`,
      (x) => csvCell(x, f),
      plainNumbers(f),
    ]),
  ];
  for (const [name, format, integers] of cases) {
    it(`${name}: the bytes of the formatter's text, hit or miss, with entries replacing each other`, () => {
      fc.assert(
        fc.property(fc.array(anyNumber, { maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (values, bits) => {
          const nb = new NumberBytes(format, bits, integers);
          const { w, bytes } = sinkBytes();
          // Each value twice, and the whole list again: hits, misses and collisions (a small table: many of them).
          const seq = [...values.flatMap((x) => [x, x]), ...values];
          const firsts: number[] = [];
          for (const x of seq) {
            firsts.push(nb.write(w, x));
            w.byte(59);
          }
          expect(bytes().toString('utf8')).toBe(seq.map((x) => format(x) + ';').join(''));
          expect(firsts).toEqual(seq.map((x) => format(x).charCodeAt(0)));
          expect(nb.capacity).toBe(1 << bits);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('the table is bounded: a million distinct numbers leave it at its size, and its texts stay right', () => {
    const nb = new NumberBytes(num, 4);
    const { w, bytes } = sinkBytes(1 << 20);
    let expected = '';
    for (let i = 0; i < 1_000_000; i++) {
      const x = i / 7;
      nb.write(w, x);
      if (i >= 999_990) expected += String(x);
    }
    expect(nb.capacity).toBe(16);
    // The last ten texts end the output.
    expect(bytes().toString('latin1').endsWith(expected)).toBe(true);
    expect(() => new NumberBytes(num, 0)).toThrow(RangeError);
    expect(() => new NumberBytes(num, 21)).toThrow(RangeError);
    expect(NUMBER_TEXT_WIDTH).toBeGreaterThanOrEqual(String(-1.2345678901234567e-308).length);
  });

  it('in a format writing numbers as String does (en), csvCell is String for every number stringCell accepts', () => {
    const en = csvFormat('en');
    expect(plainNumbers(en)).toBe(true);
    expect(plainNumbers(csvFormat('fr'))).toBe(false);
    expect(plainNumbers(csvFormat('en', 4))).toBe(false);
    fc.assert(
      fc.property(anyNumber, (x) => {
        if (stringCell(x)) expect(csvCell(x, en)).toBe(String(x));
        else expect(Math.abs(x)).toBeLessThan(1e-6);
      }),
      { numRuns: 20_000 },
    );
    // Numbers below 1e-6 are the ones written otherwise.
    expect(stringCell(1e-7)).toBe(false);
    expect(csvCell(1e-7, en)).toBe('0.0000001');
    for (const x of [0, -0, NaN, Infinity, -Infinity, 1e-6, -1e-6, 1e21]) expect(stringCell(x)).toBe(true);
  });
});

describe('ByteRows additions (issue 11)', () => {
  it('uint writes the digits of String for integers from 0 to 2^31 - 1 and returns the first one', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.nat({ max: 20 }))), (xs) => {
        const { w, bytes } = sinkBytes(7);
        const firsts = xs.map((x) => w.uint(x));
        expect(bytes().toString()).toBe(xs.join(''));
        expect(firsts).toEqual(xs.map((x) => String(x).charCodeAt(0)));
      }),
    );
    const { w, bytes } = sinkBytes();
    for (const x of [0, 9, 10, 99, 100, 2 ** 31 - 1]) w.uint(x);
    expect(bytes().toString()).toBe('0910991002147483647');
  });

  it('a cell written after a mark is dropped by rewind, kept by unmark, across hand-overs of the buffer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 120 }), fc.boolean())),
        fc.integer({ min: 1, max: 64 }),
        (cells, size) => {
          const { w, bytes } = sinkBytes(size);
          let expected = '';
          for (const [before, cell, keep] of cells) {
            w.text(before);
            w.mark();
            // The cell in small pieces: each may hand the buffer over.
            for (let i = 0; i < cell.length; i += 3) w.text(cell.slice(i, i + 3));
            if (keep) w.unmark();
            else w.rewind();
            void w.end();
            expected += before + (keep ? cell : '');
          }
          expect(bytes().equals(Buffer.from(expected, 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    expect(() => sinkBytes().w.rewind()).toThrow(/without mark/);
  });
});
