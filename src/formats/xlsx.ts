/**
 * XLSX source (methodology §2.1 "XLSX/ODS MAY be accepted, same header rules"; issue 4 "one sheet per kind, or one
 * kind per file"). Read with exceljs's streaming `WorkbookReader` (`stream.xlsx`), never loading a sheet in memory.
 *
 * Every non-empty sheet becomes one `Table`: its header is the sheet's first non-empty row, each later non-empty row
 * a `TableRow` whose `line` is the sheet's row number (so "line 12" is row 12 in the spreadsheet application).
 * Empty rows are skipped. Cells become text as a CSV export would hold them (`sheet-values.ts`): dates ISO
 * `yyyy-MM-dd`, numbers without locale or binary artefacts, booleans `true`/`false`, formulas their cached result,
 * rich text its plain text, hyperlinks their text, error values (`#N/A`…) their error text.
 *
 * Cost: `openXlsx` streams the workbook once to find the sheets and their headers (it stops reading each sheet at
 * its header); iterating a sheet's `rows` streams the workbook again up to that sheet. Shared strings are held in
 * memory, as every XLSX reader must.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import type { Cell, CellValue, Row } from 'exceljs';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import {
  allBlank,
  dateText,
  isDateFormat,
  numberText,
  padTo,
  serialToDate,
  trimTrailingEmpty,
} from './sheet-values.js';
import type { Table, TableRow } from './table.js';

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

interface SheetHead {
  readonly index: number;
  readonly name: string;
  readonly header: string[];
  readonly headerLine: number;
}

type WorksheetReader = AsyncIterable<Row> & { readonly name?: string; readonly id?: number | string };

function workbookReader(path: string): AsyncIterable<WorksheetReader> {
  // styles: 'cache' is needed to know which numeric cells are dates (number format of the cell's style).
  return new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as AsyncIterable<WorksheetReader>;
}

function unreadable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new EmpreinteError(
    issue('INP_FILE_UNREADABLE', { reason: `not a readable XLSX workbook (${reason})` }, { file }),
  );
}

/** Text of one exceljs cell value (`numFmt` tells whether a numeric formula result is a date). */
export function xlsxValueText(value: CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) ? dateText(serialToDate(value)) : numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'number' && Number.isNaN(result)) return ''; // error result: exceljs loses its text
    return xlsxValueText(result as CellValue, numFmt);
  }
  if ('text' in value) {
    const t = (value as { text: unknown }).text;
    return typeof t === 'string' ? t : xlsxValueText(t as CellValue, numFmt);
  }
  return '';
}

function rowCells(row: Row): string[] {
  const out: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell: Cell, col: number) => {
    while (out.length < col - 1) out.push('');
    out[col - 1] = xlsxValueText(cell.value, cell.numFmt);
  });
  return trimTrailingEmpty(out);
}

async function scanSheets(path: string, file: string, only?: string): Promise<SheetHead[]> {
  const heads: SheetHead[] = [];
  try {
    let index = 0;
    for await (const ws of workbookReader(path)) {
      const i = index++;
      const name = ws.name ?? `Sheet${ws.id ?? i + 1}`;
      if (only !== undefined && name.toLowerCase() !== only.toLowerCase()) continue;
      for await (const row of ws) {
        const cells = rowCells(row);
        if (allBlank(cells)) continue;
        heads.push({ index: i, name, header: cells.map((c) => c.trim()), headerLine: row.number });
        break;
      }
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  return heads;
}

function sheetRows(path: string, file: string, head: SheetHead): AsyncIterable<TableRow> {
  return {
    async *[Symbol.asyncIterator]() {
      let index = 0;
      let reader: AsyncIterator<WorksheetReader> | undefined;
      try {
        reader = workbookReader(path)[Symbol.asyncIterator]();
        for (;;) {
          const next = await reader.next();
          if (next.done) return;
          if (index++ !== head.index) continue;
          for await (const row of next.value) {
            if (row.number <= head.headerLine) continue;
            const cells = rowCells(row);
            if (allBlank(cells)) continue;
            yield { line: row.number, cells: padTo(cells, head.header.length) };
          }
          return;
        }
      } catch (e) {
        throw unreadable(file, e);
      } finally {
        await reader?.return?.();
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
  try {
    await stat(path);
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
  const heads = await scanSheets(path, file, options.sheet);
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
    format: 'xlsx' as const,
    sheet: h.name,
    header: h.header,
    headerLine: h.headerLine,
    rows: sheetRows(path, file, h),
  }));
}
