/**
 * XLSX source (methodology §2.1 "XLSX/ODS MAY be accepted, same header rules"; issue 4 "one sheet per kind, or one
 * kind per file"). Read with the project's own streaming parts: the ZIP central directory (`zip-entry.ts`), entries
 * pulled chunk by chunk (`xlsx-zip.ts`), the workbook, shared strings and styles parts (`xlsx-workbook.ts`) and each
 * worksheet streamed row by row with `saxes` (`xlsx-sheet.ts`), never loading a sheet in memory.
 *
 * Every non-empty sheet becomes one `Table`: its header is the sheet's first non-empty row, each later non-empty row
 * a `TableRow` whose `line` is the sheet's row number (so "line 12" is row 12 in the spreadsheet application).
 * Empty rows are skipped. Cells become text as a CSV export would hold them (`sheet-values.ts`): dates ISO
 * `yyyy-MM-dd` (numbers whose style has a date format), numbers without locale or binary artefacts, booleans
 * `true`/`false`, formulas their cached result, rich and inline text its plain text, error values (`#N/A`…) their
 * error text (a formula whose cached result is an error: empty).
 *
 * Cost: `openXlsx` reads the workbook, shared strings and styles parts once, then each sheet up to its header.
 * Iterating a sheet's `rows` reads those parts again and streams that sheet's part only (parts are located through
 * the central directory, whatever their order in the file). Shared strings are held in memory, as every XLSX reader
 * must. No work continues once a consumer stops iterating: the abort closes every file handle before it resolves,
 * and no temporary file is written.
 */
import { basename } from 'node:path';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { regularFile } from './file.js';
import { LimitExceeded, MIN_SHEET_CELLS, SHEET_CELLS_PER_BYTE, limitError, oneLine } from './limits.js';
import { padTo, sheetCellBudget } from './sheet-values.js';
import type { Table, TableRow } from './table.js';
import { worksheetRows, type SheetContext } from './xlsx-sheet.js';
import { readDateStyles, readSharedStrings, readWorkbook, type WorkbookInfo } from './xlsx-workbook.js';
import type { ZipEntryInfo } from './zip-entry.js';

export interface SpreadsheetOptions {
  /** Name shown in messages (defaults to the file's base name). */
  readonly displayName?: string;
  /** Read only this sheet (name, case-insensitive). */
  readonly sheet?: string;
}

/** One sheet of a workbook as a table. */
export interface SheetTable extends Table {
  readonly format: 'xlsx' | 'ods';
  readonly sheet: string;
  /** Row number of the header (the sheet's first non-empty row). */
  readonly headerLine: number;
}

/** A non-empty sheet found when a workbook is opened: its position, name and header row. */
export interface SheetHead {
  /** Position of the sheet in the workbook's sheet list. */
  readonly index: number;
  readonly name: string;
  readonly header: string[];
  readonly headerLine: number;
}

/**
 * The tables of a workbook from its non-empty sheets (XLSX and ODS alike): `INP_FILE_EMPTY` when none, or
 * `INP_FILE_UNREADABLE` when the requested sheet is not among them.
 */
export function sheetTables(
  file: string,
  format: SheetTable['format'],
  heads: readonly SheetHead[],
  options: SpreadsheetOptions,
  rowsOf: (head: SheetHead) => AsyncIterable<TableRow>,
): SheetTable[] {
  if (heads.length === 0) {
    if (options.sheet !== undefined) {
      throw new EmpreinteError(
        issue('INP_FILE_UNREADABLE', { reason: `it has no non-empty sheet named '${options.sheet}'` }, { file }),
      );
    }
    throw new EmpreinteError(issue('INP_FILE_EMPTY', {}, { file, line: 1 }));
  }
  return heads.map((h) => ({
    file,
    format,
    sheet: h.name,
    header: h.header,
    headerLine: h.headerLine,
    rows: rowsOf(h),
  }));
}

function unreadable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  if (e instanceof LimitExceeded) return limitError(file, e);
  const reason = oneLine(e instanceof Error ? e.message : String(e));
  return new EmpreinteError(
    issue('INP_FILE_UNREADABLE', { reason: `not a readable XLSX workbook (${reason})` }, { file }),
  );
}

/** A workbook has no more shared strings than a sheet may have cells (`sheetCellBudget`). */
async function sheetContext(path: string, book: WorkbookInfo, size: number): Promise<SheetContext> {
  const maxStrings = Math.max(MIN_SHEET_CELLS, SHEET_CELLS_PER_BYTE * size);
  const sharedStrings = await readSharedStrings(path, book.sharedStrings, maxStrings);
  const dateStyles = await readDateStyles(path, book.styles);
  return { sharedStrings, dateStyles, date1904: book.date1904 };
}

function sheetPart(book: WorkbookInfo, index: number): ZipEntryInfo {
  const sheet = book.sheets[index];
  if (!sheet) throw new Error(`the workbook no longer has a sheet number ${index + 1}`);
  if (!sheet.entry) throw new Error(`the part of sheet '${sheet.name}' is missing`);
  return sheet.entry;
}

/** Errors met inside a sheet name it. */
function inSheet(name: string, e: unknown): unknown {
  if (e instanceof LimitExceeded) return new LimitExceeded(`sheet '${name}': ${e.message}`, e.line, e.column);
  return e instanceof Error && !(e instanceof EmpreinteError) ? new Error(`sheet '${name}': ${e.message}`) : e;
}

async function scanSheets(path: string, file: string, size: number, only?: string): Promise<SheetHead[]> {
  const heads: SheetHead[] = [];
  try {
    const book = await readWorkbook(path);
    const wanted = book.sheets
      .map((sheet, index) => ({ sheet, index }))
      .filter(({ sheet }) => only === undefined || sheet.name.toLowerCase() === only.toLowerCase());
    if (wanted.length === 0) return heads;
    const ctx = await sheetContext(path, book, size);
    for (const { sheet, index } of wanted) {
      try {
        // Stop at the first non-empty row: leaving the loop closes the sheet's part before the next one opens.
        for await (const row of worksheetRows(path, sheetPart(book, index), ctx)) {
          heads.push({ index, name: sheet.name, header: row.cells.map((c) => c.trim()), headerLine: row.line });
          break;
        }
      } catch (e) {
        throw inSheet(sheet.name, e);
      }
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  return heads;
}

function sheetRows(path: string, file: string, head: SheetHead, size: number): AsyncIterable<TableRow> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        const book = await readWorkbook(path);
        const part = sheetPart(book, head.index);
        // A consumer that stops early returns this generator at its `yield`; `for await` then returns
        // `worksheetRows`, whose `finally` closes the part's file handle before the consumer's abort resolves.
        const width = head.header.length;
        const spend = sheetCellBudget(width, size);
        for await (const row of worksheetRows(path, part, await sheetContext(path, book, size), width)) {
          if (row.line <= head.headerLine) continue;
          spend(row.line, row.cells.length);
          const cells = padTo(row.cells, width);
          yield row.problem === undefined ? { line: row.line, cells } : { line: row.line, cells, problem: row.problem };
        }
      } catch (e) {
        throw unreadable(file, inSheet(head.name, e));
      }
    },
  };
}

/**
 * Open an XLSX workbook: one table per non-empty sheet, in workbook order. Throws `EmpreinteError`
 * `INP_FILE_UNREADABLE` (naming the file) when it is not a readable workbook or has no non-empty sheet
 * (`INP_FILE_EMPTY`).
 */
export async function openXlsx(path: string, options: SpreadsheetOptions = {}): Promise<SheetTable[]> {
  const file = options.displayName ?? basename(path);
  const size = await regularFile(path, file);
  const heads = await scanSheets(path, file, size, options.sheet);
  return sheetTables(file, 'xlsx', heads, options, (h) => sheetRows(path, file, h, size));
}
