/**
 * The one CSV writer of the tool (results, summaries, rejects files, referential exports): quoting, delimiter and
 * formula neutralisation (methodology §2.1 "Reject limit", OWASP CSV injection).
 *
 * - A text cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so that a spreadsheet
 *   shows it as text instead of evaluating it. The inventory readers strip that `'` again (`stripFormulaGuard`), so a
 *   corrected rejects file re-imports with its original values.
 * - A value the writer receives as a `number` (or a boolean) is not text and is written as is: `-5` in a result stays
 *   the number -5. Callers pass numbers as numbers; a number that arrives as a string is text and is neutralised.
 * - A cell containing the delimiter, a double quote, CR or LF is quoted, inner quotes doubled.
 * - Locale (`--locale fr`, issue 11): a `CsvFormat` instead of a bare delimiter selects the delimiter, the decimal
 *   separator of numbers, the UTF-8 BOM of a whole file and the rounding of numbers (`csvFormat('fr')`: `;`, decimal
 *   comma, BOM, 4 significant digits). A French Excel opens such a file with its numbers as numbers; the project's own
 *   reader accepts the decimal comma because the delimiter is `;` (methodology §2.1).
 */

export type CsvValue = string | number | boolean | undefined | null;

/** Locales of the CSV outputs: `en` (the default, `;` and `.`) and `fr` (`;`, decimal comma, BOM). */
export type CsvLocale = 'en' | 'fr';

/** How a CSV file is written: delimiter, decimal separator, BOM and rounding of numbers. */
export interface CsvFormat {
  readonly delimiter: string;
  /** Write numbers with a decimal comma (`2,46`); only sensible with a `;` or tab delimiter. */
  readonly decimalComma: boolean;
  /** Start a whole file (`csvText`, `csvPreamble`) with the UTF-8 byte order mark U+FEFF. */
  readonly bom: boolean;
  /**
   * Round numbers other than safe integers to this many significant digits (`round`); absent = written exactly as
   * JavaScript prints them.
   */
  readonly significantDigits?: number;
}

/** The UTF-8 byte order mark, as the first character of a string written in UTF-8. */
export const CSV_BOM = '\uFEFF';

/**
 * Significant digits kept by the rounded outputs (wide CSV, XLSX, `--locale fr`). Four: the emission factors behind
 * every value carry at best two or three significant digits (ADEME Base Empreinte uncertainty 5–50 %), so a fifth digit
 * would only show noise, while four keep sums of a few thousand items readable to the kilogram of a tonne
 * (3 931 kg, 2.46 kg). Totals are rounded after being summed from exact values, never summed from rounded ones.
 */
export const DEFAULT_SIGNIFICANT_DIGITS = 4;

/** The format of a locale: `en` = `;`, `.` decimals, no BOM, exact numbers; `fr` = `;`, decimal comma, BOM, rounded. */
export function csvFormat(locale: CsvLocale, significantDigits?: number): CsvFormat {
  const digits = significantDigits ?? (locale === 'fr' ? DEFAULT_SIGNIFICANT_DIGITS : undefined);
  return {
    delimiter: ';',
    decimalComma: locale === 'fr',
    bom: locale === 'fr',
    ...(digits !== undefined ? { significantDigits: digits } : {}),
  };
}

/**
 * `value` rounded to `significantDigits` significant digits (1–17; default 4), half away from zero as `toPrecision`
 * does on the decimal expansion: `round(2.4600000000000004)` → 2.46, `round(3931234.5)` → 3931000, `round(0.000123456)`
 * → 0.0001235. Zero, -0 (→ 0) and non-finite values are returned as they are (0 for -0).
 */
export function round(value: number, significantDigits = DEFAULT_SIGNIFICANT_DIGITS): number {
  if (!Number.isInteger(significantDigits) || significantDigits < 1 || significantDigits > 17)
    throw new RangeError(`significant digits must be an integer from 1 to 17, not ${significantDigits}`);
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? 0 : value;
  // Fast path (5× faster than toPrecision, this runs for every value cell): scale by an exact power of ten, round,
  // scale back — an integer divided (or multiplied) by an exact power of ten is the double nearest the decimal result,
  // so it prints short. Near a tie the scaled product's own rounding could decide: toPrecision decides there.
  const a = Math.abs(value);
  const k = significantDigits - 1 - Math.floor(Math.log10(a));
  if (k < -22 || k > 22) return Number(value.toPrecision(significantDigits));
  const p = 10 ** Math.abs(k);
  const x = k >= 0 ? a * p : a / p;
  const f = x - Math.floor(x);
  if (Math.abs(f - 0.5) < 1e-6) return Number(value.toPrecision(significantDigits));
  const r = k >= 0 ? Math.round(x) / p : Math.round(x) * p;
  return value < 0 ? -r : r;
}

/**
 * A number as text in a format: rounded when the format says so, in plain decimal notation for magnitudes from 1e-15
 * to below 1e21 (no `1e-7`, which some spreadsheets read as text), with a decimal comma when the format says so.
 * Safe integers are never rounded: they are line numbers, quantities, counts and years, which rounding would change
 * (line 12346 written `12350`), and an integer result is already exact.
 */
export function formatNumber(value: number, format: CsvFormat): string {
  const v =
    format.significantDigits !== undefined && !Number.isSafeInteger(value)
      ? round(value, format.significantDigits)
      : value;
  let s = String(v);
  const e = s.indexOf('e-');
  if (e >= 0 && Math.abs(v) >= 1e-15) {
    // String() switches to exponent notation below 1e-6 (`-1.25e-7`): write the digits out instead, with as many
    // decimals as the mantissa's digits (sign and point left out) less one, plus the exponent. Read by index: a
    // split and two replacements made this case five times slower than the others (issue 11).
    const digits = e - (s.charCodeAt(0) === 45 ? 1 : 0) - (s.indexOf('.') >= 0 ? 1 : 0);
    s = v.toFixed(Math.min(100, digits - 1 + Number(s.slice(e + 2))));
  }
  return format.decimalComma ? s.replace('.', ',') : s;
}

/**
 * Whether a format writes numbers as `String` does except below 1e-6 (no rounding, no decimal comma): then
 * `csvCell(x, format)` is `String(x)` for every `x` that `stringCell` accepts, and the long CSV shares the texts of its
 * value cells with those of its formulas.
 */
export function plainNumbers(format: CsvFormat): boolean {
  return format.significantDigits === undefined && !format.decimalComma;
}

/**
 * In a `plainNumbers` format, whether `csvCell(x, format)` is `String(x)`: every number but those that `String` writes
 * in exponent form below 1e-6 (`formatNumber` writes them out), that is |x| ≥ 1e-6, 0, -0, ±Infinity and NaN.
 */
export function stringCell(x: number): boolean {
  return !(Math.abs(x) < 1e-6) || x === 0;
}

/** Delimiter of a `delimiter | format` argument. */
const delimiterOf = (f: string | CsvFormat): string => (typeof f === 'string' ? f : f.delimiter);

/** Characters that make a spreadsheet read a cell as a formula when they start it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a text starts with `=`, `+`, `-`, `@`, tab or CR (a char-code test: this runs for every cell written). */
export function startsFormula(text: string): boolean {
  return isFormulaStart(text.charCodeAt(0));
}

/** Whether a character code is one of `=`, `+`, `-`, `@`, tab, CR (a cell starting with it is neutralised). */
export function isFormulaStart(c: number): boolean {
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/** Whether a text cell is quoted: it contains the delimiter, a double quote, CR or LF. */
export function needsQuoting(text: string, delimiter: string): boolean {
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
}

/** A text cell starting with a formula character gets a `'` in front; any other text is left alone. */
export function neutraliseFormula(text: string): string {
  return startsFormula(text) ? `'${text}` : text;
}

/**
 * The reverse of `neutraliseFormula`, for the inventory readers: a leading `'` that precedes `=`, `+`, `-`, `@`, tab or
 * carriage return is dropped (`'-5` → `-5`, `'=A1` → `=A1`); any other text (`'abc`, `'`) is returned unchanged.
 */
export function stripFormulaGuard(text: string): string {
  return text.charCodeAt(0) === 39 /* ' */ && FORMULA_START.test(text.slice(1, 2)) ? text.slice(1) : text;
}

/**
 * One cell: numbers and booleans as they are (numbers formatted by the format when one is given), text neutralised
 * then quoted when needed; absent = empty.
 */
export function csvCell(value: CsvValue, format: string | CsvFormat = ';'): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' && typeof format !== 'string') {
    const s = formatNumber(value, format);
    // A decimal comma in a `,`-delimited file must be quoted (a misuse, but never a corrupt record).
    return format.decimalComma && format.delimiter === ',' && s.includes(',') ? `"${s}"` : s;
  }
  if (typeof value !== 'string') return String(value);
  const delimiter = delimiterOf(format);
  const s = startsFormula(value) ? `'${value}` : value;
  return needsQuoting(s, delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, without line end. */
export function csvRecord(cells: readonly CsvValue[], format: string | CsvFormat = ';'): string {
  const delimiter = delimiterOf(format);
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i === 0 ? '' : delimiter) + csvCell(cells[i], format);
  return out;
}

/**
 * What a streamed file starts with: the BOM when the format asks for one, then the header record and its `\n`. Rows
 * follow as `csvRecord(row, format) + '\n'`, one at a time, so that a file of any length is written in bounded memory.
 */
export function csvPreamble(header: readonly string[], format: string | CsvFormat = ';'): string {
  const bom = typeof format !== 'string' && format.bom ? CSV_BOM : '';
  return bom + csvRecord(header, format) + '\n';
}

/** A whole file: (BOM,) header then rows, each ended by `\n`. */
export function csvText(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  format: string | CsvFormat = ';',
): string {
  const lines = [csvPreamble(header, format).slice(0, -1)];
  for (const r of rows) lines.push(csvRecord(r, format));
  return lines.join('\n') + '\n';
}

/**
 * A record as read from a text file, kept verbatim (same quoting, spacing and field count) except that every field
 * starting with a formula character gets the `'` prefix — inside its quotes when it is quoted (`"=1"` → `"'=1"`).
 * Works on broken records too (an unbalanced quote runs to the end of the text), so that no line of a rejects file
 * escapes the neutralisation.
 */
export function neutraliseRecord(raw: string, delimiter: string): string {
  let out = '';
  let i = 0;
  const n = raw.length;
  for (;;) {
    // At the start of a field.
    if (i < n && raw[i] === '"') {
      out += '"';
      i++;
      if (i < n && FORMULA_START.test(raw[i]!)) out += "'";
      // Quoted part: up to the closing quote ("" is an escaped quote).
      while (i < n) {
        if (raw[i] === '"') {
          if (raw[i + 1] === '"') {
            out += '""';
            i += 2;
            continue;
          }
          break;
        }
        out += raw[i++];
      }
    } else if (i < n && !raw.startsWith(delimiter, i) && FORMULA_START.test(raw[i]!)) {
      out += "'";
    }
    const next = raw.indexOf(delimiter, i);
    if (next < 0) return out + raw.slice(i);
    out += raw.slice(i, next + delimiter.length);
    i = next + delimiter.length;
  }
}
