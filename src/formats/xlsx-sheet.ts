/**
 * Rows of one XLSX worksheet part, streamed with `saxes` (ECMA-376 Part 1 §18.3.1: `<sheetData>` → `<row r>` →
 * `<c r t s>` with `<v>` value, `<f>` formula, `<is>` inline string). Memory is bounded by what one inflated chunk of
 * the part holds.
 *
 * Cell text (`sheet-values.ts` rules, the string a CSV export of the cell would hold):
 * - `t="s"` shared string (index into the table read beforehand); `t="inlineStr"` the text of `<is>`; `t="str"` a
 *   formula's string result; `_xHHHH_` escapes decoded;
 * - `t="b"` → `true` / `false`; `t="e"` → the error text (`#N/A`…), or empty when the cell holds a formula (its
 *   result is an error: no value);
 * - `t="n"` (or no `t`) → the number as `numberText`, or as an ISO date when the cell's style (`s`, index into
 *   `cellXfs`) has a date format; `t="d"` (ISO 8601 in `<v>`) → ISO date text;
 * - a formula cell is its cached `<v>` (the formula itself is not evaluated); a cell without a value is empty.
 *
 * `line` is the row's `r` (or the previous row's + 1 when absent); a cell goes to the column of its reference `r`
 * (`B7` → second column), or the column after the previous cell when `r` is absent. Trailing empty cells are dropped;
 * rows whose cells are all blank are skipped. Limits (`limits.ts`): a non-empty row beyond row 1 048 576, a cell beyond
 * column XFD, a row of more than 1 MiB of text stop the reading (`LimitExceeded`, with the row and column).
 */
import { SaxesParser } from 'saxes';
import { LimitExceeded, MAX_COLUMNS, MAX_RECORD_CHARS, MAX_ROWS, columnLetters, grouped } from './limits.js';
import { allBlank, dateText, numberText, serialToDate, trimTrailingEmpty } from './sheet-values.js';
import { attribute, decodeXstring, localName } from './xlsx-workbook.js';
import { xmlEntry } from './xlsx-zip.js';
import type { ZipEntryInfo } from './zip-entry.js';

export { MAX_COLUMNS };

export interface SheetContext {
  readonly sharedStrings: readonly string[];
  /** For each `cellXfs` index, whether it displays a date. */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

export interface SheetRow {
  readonly line: number;
  readonly cells: string[];
  /** Set when the row has a value beyond the `width` given to `worksheetRows` (only its first cells are kept). */
  readonly problem?: string;
}

/**
 * Zero-based column index of a cell reference's letters (`A1` → 0, `AB12` → 27, `XFD1` → 16383); -1 when the
 * reference has no column letters.
 */
export function columnIndex(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    col = col * 26 + (c - 0x60);
    if (col > MAX_COLUMNS) return col - 1; // out of range already; stop before the number grows
  }
  return i === 0 ? -1 : col - 1;
}

/** `2021-03-15` / `2021-03-15T10:30:00[.sss][Z]` → ISO date text (`t="d"` cells). */
function isoDateText(v: string): string {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/.exec(v.trim());
  if (!m) return v;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  return dateText(new Date(t)) || v;
}

interface CellState {
  ref: string;
  col: number;
  type: string;
  style: number;
  formula: boolean;
  value: string | undefined;
  inline: string | undefined;
}

function cellText(cell: CellState, ctx: SheetContext): string {
  const v = cell.value;
  switch (cell.type) {
    case 's': {
      if (v === undefined || v.trim() === '') return '';
      const index = Number(v.trim());
      const s = Number.isInteger(index) ? ctx.sharedStrings[index] : undefined;
      if (s === undefined)
        throw new Error(`cell ${cell.ref || '?'} refers to shared string ${v.trim()}, which does not exist`);
      return s;
    }
    case 'inlineStr':
      return decodeXstring(cell.inline ?? v ?? '');
    case 'str':
      return decodeXstring(v ?? '');
    case 'b':
      if (v === undefined || v.trim() === '') return '';
      return Number(v.trim()) === 0 ? 'false' : 'true';
    case 'e':
      return cell.formula ? '' : (v ?? '');
    case 'd':
      return v === undefined ? '' : isoDateText(v);
    default: {
      if (v === undefined || v.trim() === '') return '';
      const n = Number(v.trim());
      if (!Number.isFinite(n)) return v; // not a number: keep the stored text rather than lose it
      if (ctx.dateStyles[cell.style] === true) {
        const date = dateText(serialToDate(n, ctx.date1904));
        if (date !== '') return date;
      }
      return numberText(n);
    }
  }
}

/**
 * Stream the non-empty rows of a worksheet part. The consumer may stop at any time (see `xlsx-zip.ts`). `width`, when
 * known (the header's width), bounds the cells built per row: a row with a value beyond it carries a `problem` and
 * only its first `width` cells (a cell at XFD does not make 16 384 cells).
 */
export async function* worksheetRows(
  path: string,
  entry: ZipEntryInfo,
  ctx: SheetContext,
  width: number = MAX_COLUMNS,
): AsyncGenerator<SheetRow, void, undefined> {
  const limit = Math.min(width, MAX_COLUMNS);
  const parser = new SaxesParser({ xmlns: false });
  const queue: SheetRow[] = [];
  let line = 0;
  let cells: string[] | undefined;
  let cell: CellState | undefined;
  let inValue = false;
  let inInline = false;
  let inlineText = 0;
  let phonetic = 0;
  let rowChars = 0;
  /** Column of the next cell without a reference; first column beyond `limit` holding a value. */
  let next = 0;
  let beyond: number | undefined;

  const tooLong = (c: CellState): LimitExceeded =>
    new LimitExceeded(
      `row ${line} holds more than ${grouped(MAX_RECORD_CHARS)} characters of text`,
      line,
      columnLetters(c.col),
    );
  const onText = (t: string): void => {
    if (!cell) return;
    if (inValue) {
      if ((cell.value?.length ?? 0) + t.length > MAX_RECORD_CHARS) throw tooLong(cell);
      cell.value = (cell.value ?? '') + t;
    } else if (inInline && inlineText > 0 && phonetic === 0) {
      if ((cell.inline?.length ?? 0) + t.length > MAX_RECORD_CHARS) throw tooLong(cell);
      cell.inline = (cell.inline ?? '') + t;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'row': {
        const r = Number.parseInt(attribute(tag, 'r') ?? '', 10);
        line = Number.isInteger(r) && r > 0 ? r : line + 1;
        cells = [];
        rowChars = 0;
        next = 0;
        beyond = undefined;
        return;
      }
      case 'c': {
        if (!cells) return;
        const ref = attribute(tag, 'r') ?? '';
        let col = columnIndex(ref);
        if (col < 0) col = next;
        if (col >= MAX_COLUMNS) {
          throw new LimitExceeded(
            `cell ${ref.slice(0, 32) || `${columnLetters(col)}${line}`} goes beyond the last column XFD (${grouped(MAX_COLUMNS)} columns)`,
            line,
            columnLetters(MAX_COLUMNS),
          );
        }
        const style = Number.parseInt(attribute(tag, 's') ?? '0', 10);
        cell = {
          ref,
          col,
          type: attribute(tag, 't') ?? 'n',
          style: Number.isInteger(style) ? style : 0,
          formula: false,
          value: undefined,
          inline: undefined,
        };
        inValue = false;
        inInline = false;
        inlineText = 0;
        phonetic = 0;
        return;
      }
      case 'v':
        if (cell && !tag.isSelfClosing) {
          inValue = true;
          cell.value ??= '';
        }
        return;
      case 'f':
        if (cell) cell.formula = true;
        return;
      case 'is':
        if (cell && !tag.isSelfClosing) {
          inInline = true;
          cell.inline ??= '';
        }
        return;
      case 't':
        if (inInline && !tag.isSelfClosing) inlineText++;
        return;
      case 'rPh':
        if (inInline && !tag.isSelfClosing) phonetic++;
        return;
    }
  });
  parser.on('closetag', (tag) => {
    switch (localName(tag.name)) {
      case 'v':
        inValue = false;
        return;
      case 'is':
        inInline = false;
        return;
      case 't':
        if (inInline && !tag.isSelfClosing && inlineText > 0) inlineText--;
        return;
      case 'rPh':
        if (inInline && !tag.isSelfClosing && phonetic > 0) phonetic--;
        return;
      case 'c': {
        if (!cells || !cell) return;
        const text = cellText(cell, ctx);
        rowChars += text.length;
        if (rowChars > MAX_RECORD_CHARS) throw tooLong(cell);
        next = Math.max(next, cell.col + 1);
        if (cell.col >= limit) {
          if (text !== '') beyond ??= cell.col;
        } else if (text !== '') {
          while (cells.length < cell.col) cells.push('');
          cells[cell.col] = text;
        } else if (cells.length <= cell.col) {
          // an empty cell still takes its column, so a following cell without a reference lands after it
          while (cells.length <= cell.col) cells.push('');
        }
        cell = undefined;
        return;
      }
      case 'row': {
        if (!cells) return;
        const row = trimTrailingEmpty(cells);
        cells = undefined;
        if (allBlank(row) && beyond === undefined) return;
        if (line > MAX_ROWS) {
          const col = row.findIndex((c) => c.trim() !== '');
          throw new LimitExceeded(
            `row ${grouped(line)} goes beyond the last row ${grouped(MAX_ROWS)}`,
            line,
            columnLetters(col >= 0 ? col : (beyond ?? 0)),
          );
        }
        if (beyond === undefined) queue.push({ line, cells: row });
        else {
          const problem = `the row has a value in column ${columnLetters(beyond)}, beyond the ${grouped(limit)} columns of the header`;
          queue.push({ line, cells: row, problem });
        }
        return;
      }
    }
  });

  for await (const _ of xmlEntry(path, entry, parser)) {
    for (const row of queue.splice(0, queue.length)) yield row;
  }
  for (const row of queue.splice(0, queue.length)) yield row;
}
