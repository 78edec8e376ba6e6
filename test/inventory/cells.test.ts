import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAbsent,
  parseBoolean,
  parseDate,
  parseInfrastructure,
  parseMonthYear,
  parseNumber,
  plainNumber,
  parseQuality,
  parseUsageMode,
  parseVmType,
} from '../../src/inventory/cells.js';

const num = (t: string, delimiter = ';', seenDecimalComma = false) => parseNumber(t, { delimiter, seenDecimalComma });

describe('parseNumber (§2.1, issue 4 French numbers)', () => {
  it('reads dot decimals and E-notation', () => {
    expect(num('12.5')).toEqual({ ok: true, value: 12.5 });
    expect(num('-3')).toEqual({ ok: true, value: -3 });
    expect(num('1.5E3')).toEqual({ ok: true, value: 1500 });
    expect(num('2e-2')).toEqual({ ok: true, value: 0.02 });
    expect(num('.5')).toEqual({ ok: true, value: 0.5 });
  });
  it('reads a decimal comma in a ; file, not in a , file', () => {
    expect(num('120,5')).toEqual({ ok: true, value: 120.5 });
    expect(num('0,25')).toEqual({ ok: true, value: 0.25 });
    expect(num('120,5', ',').ok).toBe(false);
  });
  it('reads French grouping with space, U+00A0, U+202F and dots', () => {
    expect(num('1 234,5')).toEqual({ ok: true, value: 1234.5 });
    expect(num('1\u00a0234,5')).toEqual({ ok: true, value: 1234.5 });
    expect(num('1\u202f234\u202f567')).toEqual({ ok: true, value: 1234567 });
    expect(num('2 500')).toEqual({ ok: true, value: 2500 });
    expect(num('1.234.567')).toEqual({ ok: true, value: 1234567 });
    expect(num('1.234,5')).toEqual({ ok: true, value: 1234.5 });
  });
  it('reads English grouping when a dot decimal or several groups make it unambiguous', () => {
    expect(num('1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(num('1,089.00', ',')).toEqual({ ok: true, value: 1089 });
    expect(num('1,234,567')).toEqual({ ok: true, value: 1234567 });
  });
  it('flags 1,234 as ambiguous unless the file already used a decimal comma', () => {
    // ; file: decimal comma per §2.1 → 1.234, flagged
    expect(num('1,234')).toEqual({ ok: true, value: 1.234, ambiguous: '1.234' });
    expect(num('1,234', ';', true)).toEqual({ ok: true, value: 1.234 });
    // , file (quoted cell): a comma cannot be a decimal separator there → 1234, flagged
    expect(num('1,234', ',')).toEqual({ ok: true, value: 1234, ambiguous: '1234' });
    // a leading 0 cannot start a thousands group: 0,250 is a plain decimal comma
    expect(num('0,250')).toEqual({ ok: true, value: 0.25 });
  });
  it('remembers an unambiguous decimal comma for the rest of the file', () => {
    const ctx = { delimiter: ';' };
    expect(parseNumber('12,5', ctx)).toEqual({ ok: true, value: 12.5 });
    expect(parseNumber('1,234', ctx)).toEqual({ ok: true, value: 1.234 });
  });
  it('refuses text, units and malformed groups', () => {
    for (const t of ['abc', '12 kWh', '1 23', '1,2,3', '--1', '', '1.2.3,4,5', 'Infinity', '1e999']) {
      expect(num(t).ok, t).toBe(false);
    }
  });
});

describe('parseDate (§2.1 four patterns)', () => {
  it('reads the four patterns to ISO', () => {
    expect(parseDate('2023-01-15')).toBe('2023-01-15');
    expect(parseDate('20230115')).toBe('2023-01-15');
    expect(parseDate('15/01/2023')).toBe('2023-01-15');
    expect(parseDate('2023/01/15')).toBe('2023-01-15');
  });
  it('ignores time parts', () => {
    expect(parseDate('2023-01-15 10:20:30')).toBe('2023-01-15');
    expect(parseDate('2023-01-15T10:20:30Z')).toBe('2023-01-15');
    expect(parseDate('15/01/2023 08:00')).toBe('2023-01-15');
  });
  it('rejects impossible dates and other patterns', () => {
    expect(parseDate('2023-02-30')).toBeUndefined();
    expect(parseDate('2023-02-29')).toBeUndefined(); // 2023 is not a leap year
    expect(parseDate('2024-02-29')).toBe('2024-02-29'); // 2024 is
    expect(parseDate('1900-02-29')).toBeUndefined(); // century, not divisible by 400
    expect(parseDate('2023-13-01')).toBeUndefined();
    expect(parseDate('31/04/2023')).toBeUndefined();
    expect(parseDate('01-15-2023')).toBeUndefined();
    expect(parseDate('0001-01-01')).toBeUndefined(); // Intune's empty date, outside 1900–2999
    expect(parseDate('2023-1-5')).toBeUndefined();
  });
  it('the fast paths agree with the four patterns read by regular expressions', () => {
    // The regex reading, as before the fast paths (reference implementation).
    const SUFFIX = '(?:[T ][0-9:.,]*(?:Z|[+-]\\d{2}:?\\d{2})?)?';
    const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${SUFFIX}$`);
    const FRENCH = new RegExp(`^(\\d{2})/(\\d{2})/(\\d{4})${SUFFIX}$`);
    const SLASHED = new RegExp(`^(\\d{4})/(\\d{2})/(\\d{2})${SUFFIX}$`);
    const dim = (y: number, m: number) =>
      m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
    const reference = (text: string): string | undefined => {
      const t = text.trim();
      let y: string, m: string, d: string;
      let r = ISO.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t) ?? SLASHED.exec(t);
      if (r) [, y, m, d] = r as unknown as [string, string, string, string];
      else {
        r = FRENCH.exec(t);
        if (!r) return undefined;
        [, d, m, y] = r as unknown as [string, string, string, string];
      }
      const [yy, mm, dd] = [Number(y), Number(m), Number(d)];
      const ok = yy >= 1900 && yy <= 2999 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= dim(yy, mm);
      return ok ? `${y}-${m}-${d}` : undefined;
    };
    const ch = fc.constantFrom(...'0123456789012345678901234567890123456789-/ Ta'.split(''));
    const shaped = fc.tuple(
      fc.constantFrom('dddd-dd-dd', 'dddddddd', 'dd/dd/dddd', 'dddd/dd/dd', 'dddd-dd-dd dd:dd', ' dddd/dd/dd '),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 }),
      fc.nat(20),
      ch,
    );
    fc.assert(
      fc.property(shaped, ([shape, ds, at, c]) => {
        let i = 0;
        let t = shape.replace(/d/g, () => String(ds[i++]!));
        if (at < t.length && at % 3 === 0) t = t.slice(0, at) + c + t.slice(at + 1); // sometimes one odd character
        expect(parseDate(t)).toBe(reference(t));
      }),
      { numRuns: 5000 },
    );
    for (const t of ['2024-02-29', '1900-02-29', '2000-02-29', '29/02/2000', '20240229', '2999/12/31', '3000-01-01'])
      expect(parseDate(t)).toBe(reference(t));
  });
});

describe('booleans and enumerations (§1.6)', () => {
  it('reads the four boolean pairs', () => {
    for (const t of ['true', 'TRUE', '1', 'oui', 'Yes']) expect(parseBoolean(t)).toBe(true);
    for (const t of ['false', '0', 'non', 'NO']) expect(parseBoolean(t)).toBe(false);
    expect(parseBoolean('peut-être')).toBeUndefined();
  });
  it('maps qualite, modeUtilisation, typeEqv, typeInfrastructure', () => {
    expect([parseQuality('HAUTE'), parseQuality('moyenne'), parseQuality('Basse'), parseQuality('LOW')]).toEqual([
      'HIGH',
      'MEDIUM',
      'LOW',
      'LOW',
    ]);
    expect(parseQuality('TRES HAUTE')).toBeUndefined();
    expect([parseUsageMode('cope'), parseUsageMode('BYOD'), parseUsageMode('PRO')]).toEqual(['COPE', 'BYOD', 'PRO']);
    expect([parseVmType('calcul'), parseVmType('STOCKAGE'), parseVmType('compute'), parseVmType('storage')]).toEqual([
      'compute',
      'storage',
      'compute',
      'storage',
    ]);
    expect(parseInfrastructure('cloud_services')).toBe('CLOUD_SERVICES');
    expect(parseInfrastructure('cloud')).toBeUndefined();
  });
});

describe('MoisAnnee (§2.8)', () => {
  it('reads MMYYYY with or without its leading zero, and yyyy-MM', () => {
    expect(parseMonthYear('012024')).toEqual({ year: 2024, month: 1 });
    expect(parseMonthYear('12024')).toEqual({ year: 2024, month: 1 });
    expect(parseMonthYear('112023')).toEqual({ year: 2023, month: 11 });
    expect(parseMonthYear('2023-11')).toEqual({ year: 2023, month: 11 });
  });
  it('rejects month 0 or 13 and other shapes', () => {
    expect(parseMonthYear('132024')).toBeUndefined();
    expect(parseMonthYear('002024')).toBeUndefined();
    expect(parseMonthYear('2024')).toBeUndefined();
    expect(parseMonthYear('01/2024')).toBeUndefined();
  });
});

describe('isAbsent', () => {
  it('treats empty, blank and NULL as absent', () => {
    expect([isAbsent(undefined), isAbsent(''), isAbsent('  '), isAbsent('NULL'), isAbsent('null')]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([isAbsent('No'), isAbsent('N'), isAbsent(' x ')]).toEqual([false, false, false]);
  });
});

describe("plainNumber (the row parser's fast path, §2.1)", () => {
  it('reads plain numbers written with a dot and E-notation', () => {
    expect(plainNumber('12.5')).toBe(12.5);
    expect(plainNumber('-3')).toBe(-3);
    expect(plainNumber('+4.')).toBe(4);
    expect(plainNumber('.25')).toBe(0.25);
    expect(plainNumber('1e3')).toBe(1000);
    expect(plainNumber('2.5E-1')).toBe(0.25);
    expect(Object.is(plainNumber('-0'), 0)).toBe(true); // -0 is read as 0, as parseNumber does
  });

  it('gives NaN for every other shape, left to parseNumber', () => {
    for (const t of ['1,5', '1 234', '1.234.567', '1,234.5', '\u22125', 'abc', '', ' 12', '12 ', '1e', '--1'])
      expect(plainNumber(t)).toBeNaN();
  });

  it('accepts exactly the strings of the plain-number grammar and gives the double Number gives (property)', () => {
    // The grammar as a regular expression, written independently of the character scanner under test.
    const grammar = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    const reference = (t: string) => (grammar.test(t) ? Number(t) + 0 : NaN); // + 0: -0 read as 0
    const same = (t: string): void => {
      expect(Object.is(plainNumber(t), reference(t)), JSON.stringify(t)).toBe(true);
    };
    const ch = fc.constantFrom(...'0123456789012345678901234567890123456789..--++eE ,x\u0660\u00a0'.split(''));
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 24 }), (cs) => {
        same(cs.join(''));
      }),
      { numRuns: 20000 },
    );
    // Numbers as JavaScript writes them, with up to 15 significant digits and beyond (the scanner's exact division
    // and `Number`'s reading of longer texts).
    const written = fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(written, ([x, k]) => {
        for (const t of [String(x), x.toExponential(Math.min(k, 20)), x.toPrecision(k + 1)]) {
          same(t);
          same(t.replace(/^(-?)0\./, '$1.'));
          same(`+${t}`);
        }
        if (Math.abs(x) < 1e21) same(x.toFixed(k));
      }),
      { numRuns: 5000 },
    );
    const decimals = fc.tuple(fc.integer({ min: 0, max: 999_999_999_999_999 }), fc.integer({ min: 0, max: 17 }));
    fc.assert(
      fc.property(decimals, ([m, f]) => {
        const digits = String(m).padStart(f + 1, '0');
        same(`${digits.slice(0, digits.length - f)}.${digits.slice(digits.length - f)}`);
        same(`-${digits}.`);
      }),
      { numRuns: 5000 },
    );
    for (const t of ['.', '-.', '+', '1.', '.5', '1e', '1e+', 'e5', '+0', '-0.0', '0e0', '1.e5', '+.5e3', '-00.00'])
      same(t);
    for (const t of ['999999999999999', '9999999999999999', '123456789012345.6', '0.000000000000001', '4.9e-324'])
      same(t);
    expect(plainNumber('113.7')).toBe(113.7);
    expect(plainNumber('-0.1')).toBe(-0.1);
    expect(plainNumber('0.30000000000000004')).toBe(0.30000000000000004);
  });

  it('gives ±Infinity beyond the float range (parseNumber reports the overflow)', () => {
    expect(plainNumber('1e309')).toBe(Infinity);
    expect(plainNumber('-1e309')).toBe(-Infinity);
    expect(parseNumber('1e309')).toEqual({ ok: false, overflow: true });
  });
});
