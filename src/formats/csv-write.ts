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
 */

export type CsvValue = string | number | boolean | undefined | null;

/** Characters that make a spreadsheet read a cell as a formula when they start it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a text starts with `=`, `+`, `-`, `@`, tab or CR (a char-code test: this runs for every cell written). */
function startsFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
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

/** One cell: numbers and booleans as they are, text neutralised then quoted when needed; absent = empty. */
export function csvCell(value: CsvValue, delimiter = ';'): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  const s = startsFormula(value) ? `'${value}` : value;
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}

/** One record, without line end. */
export function csvRecord(cells: readonly CsvValue[], delimiter = ';'): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i === 0 ? '' : delimiter) + csvCell(cells[i], delimiter);
  return out;
}

/** A whole file: header then rows, each ended by `\n`. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvValue[]>, delimiter = ';'): string {
  const lines = [csvRecord(header, delimiter)];
  for (const r of rows) lines.push(csvRecord(r, delimiter));
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
