/**
 * The CSV writer's locale option (issue 11, `--locale fr`): `;`, decimal comma, UTF-8 BOM, rounded numbers; read back
 * with the project's own CSV reader and number parser (methodology §2.1: `,` decimals in a `;` file).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../src/formats/csv.js';
import {
  CSV_BOM,
  csvCell,
  csvFormat,
  csvPreamble,
  csvRecord,
  csvText,
  formatNumber,
  round,
} from '../../src/formats/csv-write.js';
import { parseNumber, type NumberContext } from '../../src/inventory/cells.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'empreinte-csv-locale-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('round', () => {
  it('removes binary artefacts and keeps 4 significant digits by default', () => {
    expect(round(0.1 + 0.2)).toBe(0.3);
    expect(round(2.4600000000000004)).toBe(2.46);
    expect(round(3931234.5)).toBe(3931000);
    expect(round(0.000123456)).toBe(0.0001235);
    expect(round(-1.23456)).toBe(-1.235);
    expect(round(123456, 2)).toBe(120000);
    expect(round(5)).toBe(5);
  });

  it('leaves zero (and -0 as 0) and non-finite values alone, refuses a silly digit count', () => {
    expect(Object.is(round(-0), 0)).toBe(true);
    expect(round(0)).toBe(0);
    expect(round(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(() => round(1, 0)).toThrow(RangeError);
    expect(() => round(1, 2.5)).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  const fr = csvFormat('fr');
  const en = csvFormat('en');

  it('writes a decimal comma in French, a point in English, rounded in French only by default', () => {
    expect(formatNumber(2.4600000000000004, fr)).toBe('2,46');
    expect(formatNumber(2.4600000000000004, en)).toBe('2.4600000000000004');
    expect(formatNumber(2.4600000000000004, csvFormat('en', 4))).toBe('2.46');
    expect(formatNumber(-1234.5678, fr)).toBe('-1235');
    expect(formatNumber(12, fr)).toBe('12');
  });

  it('never rounds a safe integer (line numbers, quantities, counts), rounds its neighbours', () => {
    expect(formatNumber(12346, fr)).toBe('12346');
    expect(formatNumber(-99999, fr)).toBe('-99999');
    expect(formatNumber(12346.5, fr)).toBe('12350');
    expect(formatNumber(99999.5, fr)).toBe('100000');
    expect(formatNumber(12346, csvFormat('en', 2))).toBe('12346');
  });

  it('writes small values in plain decimals, never in exponent notation', () => {
    expect(formatNumber(1.23456e-7, fr)).toBe('0,0000001235');
    expect(formatNumber(-2e-9, en)).toBe('-0.000000002');
    expect(formatNumber(1.5e-7, en)).toBe('0.00000015');
  });
});

describe('csvCell / csvRecord with a format', () => {
  const fr = csvFormat('fr');

  it('formats numbers, neutralises and quotes text as with a bare delimiter', () => {
    expect(csvRecord(['a;b', '=1+1', 0.5, true, undefined, -3], fr)).toBe('"a;b";\'=1+1;0,5;true;;-3');
    expect(csvCell('-5', fr)).toBe("'-5");
  });

  it('keeps the old behaviour with a bare delimiter (numbers exact, no comma)', () => {
    expect(csvRecord([2.4600000000000004, 'x'], ';')).toBe('2.4600000000000004;x');
    expect(csvRecord([2.4600000000000004, 'x'])).toBe('2.4600000000000004;x');
  });

  it('quotes a decimal comma if someone asks for it with a comma delimiter', () => {
    const odd = { delimiter: ',', decimalComma: true, bom: false };
    expect(csvRecord([1.5, 'x'], odd)).toBe('"1,5",x');
  });
});

describe('a French CSV file', () => {
  it('starts with the BOM, uses ";" and reads back with its decimal commas as numbers', async () => {
    const fr = csvFormat('fr');
    const values = [2.4600000000000004, 1234.5678, 0.000123456, -7.25, 3931234.5];
    const text = csvText(
      ['name', 'value'],
      values.map((v, i) => [`item ${i}`, v]),
      fr,
    );
    expect(text.startsWith(CSV_BOM + 'name;value\n')).toBe(true);
    const file = join(dir, 'fr.csv');
    await writeFile(file, text, 'utf8');
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const table = await openCsv(file);
    expect(table.delimiter).toBe(';');
    expect(table.encoding).toBe('utf-8-bom');
    expect(table.header).toEqual(['name', 'value']);
    const ctx: NumberContext = { delimiter: table.delimiter };
    const read: number[] = [];
    const raw: string[] = [];
    for await (const r of table.rows) {
      raw.push(r.cells[1]!);
      const n = parseNumber(r.cells[1]!, ctx);
      expect(n.ok, r.cells[1]).toBe(true);
      if (n.ok) read.push(n.value);
    }
    expect(raw).toEqual(['2,46', '1235', '0,0001235', '-7,25', '3931000']);
    // Expected values: each value to 4 significant digits, worked out by hand.
    expect(read).toEqual([2.46, 1235, 0.0001235, -7.25, 3931000]);
  });

  it('preamble + streamed records give the same file as csvText', () => {
    const fr = csvFormat('fr');
    const rows = [
      ['a', 1.5],
      ['b', 2],
    ] as const;
    const streamed = csvPreamble(['k', 'v'], fr) + rows.map((r) => csvRecord(r, fr) + '\n').join('');
    expect(streamed).toBe(csvText(['k', 'v'], rows, fr));
    expect(csvPreamble(['k', 'v'])).toBe('k;v\n');
  });
});

describe('round (fast path)', () => {
  it('agrees with toPrecision on random magnitudes and on decimal ties', () => {
    // A small deterministic generator (no Math.random: the test is the same on every run).
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 20000; i++) {
      const v = (next() - 0.3) * 10 ** (next() * 40 - 20);
      for (const d of [1, 3, 4, 6])
        expect(round(v, d), `${v} to ${d}`).toBe(Number(v.toPrecision(d)) === 0 ? 0 : Number(v.toPrecision(d)));
    }
    // Literals whose double lies just under or over the tie: 1.0005 is 1.000499999…, 0.00012345 is 0.000123449999…
    for (const v of [1.0005, 0.00012345, 2.5, -2.5, 999.95, 9999.5, 0.125, 1e-300, 1e300, 5e-324])
      expect(round(v, 4), String(v)).toBe(Number(v.toPrecision(4)));
  });
});
