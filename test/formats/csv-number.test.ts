/**
 * `formatNumber` (issue 11): its plain-decimal writing of numbers below 1e-6 now reads `String`'s exponent form by
 * index instead of a split and two replacements. The text must be the former implementation's, kept here as written
 * before the change, for every number: random doubles of every magnitude, numbers near and below 1e-6 with 1 to 17
 * significant digits, negative ones, the limits, in both locales and with every rounding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvFormat, formatNumber, round, type CsvFormat } from '../../src/formats/csv-write.js';

/**
 * `formatNumber` before issue 11's change, verbatim but for the later rule that safe integers are not rounded (line
 * numbers and quantities of the French CSV).
 */
function formerFormatNumber(value: number, format: CsvFormat): string {
  const v =
    format.significantDigits !== undefined && !Number.isSafeInteger(value)
      ? round(value, format.significantDigits)
      : value;
  let s = String(v);
  if (s.includes('e-') && Math.abs(v) >= 1e-15) {
    const [mantissa, exponent] = s.replace(/^-/, '').split('e') as [string, string];
    s = v.toFixed(Math.min(100, mantissa.replace('.', '').length - 1 - Number(exponent)));
  }
  return format.decimalComma ? s.replace('.', ',') : s;
}

const formats: [string, CsvFormat][] = [
  ['en', csvFormat('en')],
  ['fr', csvFormat('fr')],
  ['en, 4 digits', csvFormat('en', 4)],
  ['fr, 17 digits', csvFormat('fr', 17)],
  ['en, 1 digit', csvFormat('en', 1)],
];

/** Numbers of 1 to 17 significant digits around and below 1e-6, down to below 1e-15, of both signs. */
const small = fc
  .tuple(fc.integer({ min: 1, max: 17 }), fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: 3, max: 330 }))
  .chain(([digits, m, k]) =>
    fc.boolean().map((negative) => (negative ? -1 : 1) * Number(`${m.toPrecision(digits)}e-${k}`)),
  );

describe('formatNumber (issue 11)', () => {
  it('the exponent forms String writes are the ones read: e-7 with and without point, sign', () => {
    expect(formatNumber(3.68e-7, csvFormat('en'))).toBe('0.000000368');
    expect(formatNumber(-5e-7, csvFormat('en'))).toBe('-0.0000005');
    expect(formatNumber(-1.2345678901234567e-12, csvFormat('en'))).toBe('-0.0000000000012345678901234567');
    expect(formatNumber(3.68e-7, csvFormat('fr'))).toBe('0,000000368');
    expect(formatNumber(1e-16, csvFormat('en'))).toBe('1e-16'); // below 1e-15: left in exponent form
    expect(formatNumber(1e21, csvFormat('en'))).toBe('1e+21');
  });

  for (const [name, format] of formats)
    it(`writes what the former implementation wrote, ${name}`, () => {
      const edges = [
        0,
        -0,
        1,
        -1,
        1e-6,
        9.999999e-7,
        1e-7,
        1e-15,
        9.99e-16,
        1e-16,
        Number.MIN_VALUE,
        -Number.MIN_VALUE,
        Number.MAX_VALUE,
        Number.EPSILON,
        0.1 + 0.2,
        123456.789,
        1e21,
        1e-300,
        NaN,
        Infinity,
        -Infinity,
      ];
      for (const v of edges) expect(formatNumber(v, format), String(v)).toBe(formerFormatNumber(v, format));
      fc.assert(
        fc.property(fc.oneof(fc.double(), small), (v) => {
          expect(formatNumber(v, format)).toBe(formerFormatNumber(v, format));
          expect(csvCell(v, format)).toBe(formerFormatNumber(v, format));
        }),
        { numRuns: 20_000 },
      );
    });
});
