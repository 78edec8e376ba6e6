/**
 * The readers' hard limits (docs/inventory-format.md "Reader limits", docs/mapping.md). Every repeat, expansion and
 * buffer of a reader is checked against one of them BEFORE it is allocated, so that memory and time stay bounded by
 * the input size whatever the input: a 900-byte ODS cannot ask for a billion rows.
 *
 * A reader that reaches a limit throws `LimitExceeded` (a plain `Error` carrying the sheet row and column); the
 * format's entry point turns it into the coded file error `INP_TOO_LARGE` naming the file, line and column.
 */
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** Rows of a sheet: the maximum of Excel and LibreOffice Calc (2^20). */
export const MAX_ROWS = 1_048_576;
/** Columns of a sheet, A…XFD (ECMA-376 Part 1 §18.3.1.4, Excel and LibreOffice Calc since 7.4): 2^14. */
export const MAX_COLUMNS = 16_384;
/**
 * Cells one read of a sheet may deliver, padding to the header's width included: 2^24 (16 777 216), or 16 per byte of
 * the file when that is more (a real 1 048 576-row sheet weighs tens of megabytes). Linear in the input size: without
 * it a 600-byte ODS (a wide header spelled with one repeated cell, a row repeated a million times) makes billions of
 * cells.
 */
export const MIN_SHEET_CELLS = 1 << 24;
export const SHEET_CELLS_PER_BYTE = 16;
/** Characters of one CSV record (one line, or several when a quoted field spans lines) or of one spreadsheet row. */
export const MAX_RECORD_CHARS = 1 << 20;
/** Characters of XML read without a new tag (a text node, a comment, one tag's attributes): bounds the parser. */
export const MAX_XML_GAP = 8 << 20;
/** An entry declared to inflate beyond this size must not inflate more than `MAX_ZIP_RATIO` times its data. */
export const ZIP_RATIO_FLOOR = 64 << 20;
/** Inflated / compressed size of a large ZIP entry (real spreadsheets stay well below 100:1; deflate tops at 1032:1). */
export const MAX_ZIP_RATIO = 200;

/** A reader limit reached at a place of the input (`line`: sheet row or CSV line; `column`: letters or a name). */
export class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

/** `INP_TOO_LARGE` for `file` from a `LimitExceeded`. */
export function limitError(file: string, e: LimitExceeded): EmpreinteError {
  return new EmpreinteError(
    issue('INP_TOO_LARGE', { reason: oneLine(e.message) }, { file, line: e.line, column: e.column }),
  );
}

/** Characters of input quoted in a reason at most. */
const MAX_REASON_CHARS = 500;

/**
 * A reason that may quote the input (a cell, a sheet or entry name) made safe for the one-line error format: line
 * breaks and other control characters written as escapes (`\n`, `\u0085`), and cut at 500 characters.
 */
export function oneLine(reason: string): string {
  const s = reason.length > MAX_REASON_CHARS ? reason.slice(0, MAX_REASON_CHARS) + '…' : reason;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Column letters of a zero-based column index (0 → A, 16383 → XFD, 16384 → XFE). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `1048576` → `1 048 576` (limits in messages). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
