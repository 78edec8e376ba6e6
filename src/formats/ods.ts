/**
 * ODS (OpenDocument spreadsheet) source. No maintained npm library reads ODS as a stream on Node 20 (SheetJS's npm
 * package `xlsx` stopped at 0.18.5 in 2022), so the reader is built here: the package's `content.xml` is found through
 * the ZIP central directory and inflated with `node:zlib` (`zip-entry.ts`), and parsed as a stream with `saxes` (the
 * XML parser exceljs already depends on). Memory stays bounded by one row.
 *
 * Same contract as the XLSX reader: one `Table` per non-empty `table:table`, header = first non-empty row, `line` =
 * the sheet's row number. `table:number-rows-repeated` and `table:number-columns-repeated` are expanded (runs of empty
 * rows or cells only advance the counters, so LibreOffice's 1 048 576-row padding costs nothing; a repeated non-empty
 * row is expanded lazily, one copy per row the consumer pulls). Limits (`limits.ts`), checked before anything is
 * expanded: a non-empty row beyond row 1 048 576, a non-empty cell beyond column XFD (16 384), a row of more than
 * 1 MiB of text or more than 8 MiB of XML without a new element stop the reading with `INP_TOO_LARGE` naming the
 * row and column. Values: `float`,
 * `percentage`, `currency` → `office:value` as plain text (`numberText`), `date` → `office:date-value` as ISO
 * `yyyy-MM-dd`, `boolean` → `true`/`false`, formulas → their cached value (the value attributes of the cell),
 * strings and times → the displayed text (paragraphs joined with a newline, `text:s` spaces expanded, comments
 * (`office:annotation`) excluded). Element names are matched with the standard prefixes (`table:`, `office:`, `text:`).
 */
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { regularFile } from './file.js';
import {
  LimitExceeded,
  MAX_COLUMNS,
  MAX_RECORD_CHARS,
  MAX_ROWS,
  columnLetters,
  grouped,
  limitError,
  oneLine,
} from './limits.js';
import { allBlank, numberText, padTo, sheetCellBudget, trimTrailingEmpty } from './sheet-values.js';
import type { TableRow } from './table.js';
import { sheetTables, type SheetHead, type SheetTable, type SpreadsheetOptions } from './xlsx.js';
import { xmlGapGuard, zipEntryChunks } from './xlsx-zip.js';
import { zipEntries } from './zip-entry.js';

const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

type OdsEvent =
  | { readonly type: 'table'; readonly index: number; readonly name: string }
  | {
      readonly type: 'row';
      readonly index: number;
      readonly line: number;
      readonly cells: string[];
      readonly problem?: string;
    };

/** A row as parsed: `repeat` consecutive rows holding the same cells (expanded lazily). */
type OdsParsed =
  | { readonly type: 'table'; readonly index: number; readonly name: string }
  | {
      readonly type: 'row';
      readonly index: number;
      readonly line: number;
      readonly cells: string[];
      readonly repeat: number;
      readonly problem?: string;
    };

/** `2021-03-15` / `2021-03-15T10:30:00[.000]` → `2021-03-15` / `2021-03-15 10:30:00`. */
function odsDate(v: string): string {
  const m = /^(-?\d{4,}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(v);
  if (!m) return v;
  const [, d, h, mi, s] = m;
  return !h || (h === '00' && mi === '00' && s === '00') ? d! : `${d} ${h}:${mi}:${s}`;
}

function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeat attribute (positive integer; anything else counts 1). May be huge: callers check before expanding. */
function repeatCount(tag: SaxesTagPlain, name: string): number {
  const v = attr(tag, name);
  const n = v === undefined ? 1 : Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/** The first non-blank cell's column letters (A for a row without one). */
function firstColumn(cells: readonly string[]): string {
  const i = cells.findIndex((c) => c.trim() !== '');
  return columnLetters(Math.max(0, i));
}

/**
 * Stream the events of `content.xml`. `wanted(index)` says whether the rows of table `index` must be built (others
 * are parsed and skipped); the consumer may stop at any time. `width(index)`, when known (the header's width), bounds
 * the cells built per row: a row with a value beyond it carries a `problem` (it would be rejected anyway) and only
 * its first `width` cells, so that a 500-byte file cannot make a million rows of 16 384 cells.
 */
async function* odsEvents(
  path: string,
  wanted: (table: number) => boolean,
  width: (table: number) => number | undefined = () => undefined,
): AsyncGenerator<OdsEvent> {
  const entries = await zipEntries(path);
  const mimetype = entries.find((e) => e.name === 'mimetype');
  const content = entries.find((e) => e.name === 'content.xml');
  if (!content) throw new Error('no content.xml: not an OpenDocument file');
  if (mimetype) {
    if (mimetype.size > 1024) throw new Error('the mimetype entry is not a media type');
    const chunks: Buffer[] = [];
    for await (const c of zipEntryChunks(path, mimetype)) chunks.push(c);
    const type = Buffer.concat(chunks).toString('utf8').trim();
    if (type !== ODS_MIMETYPE) throw new Error(`it is an OpenDocument file of type ${type}, not a spreadsheet`);
  }
  const parser = new SaxesParser({ xmlns: false });
  const queue: OdsParsed[] = [];
  let failure: Error | undefined;

  let table = -1;
  let tableDepth = 0; // nested tables (in cells) are ignored
  let build = false;
  let line = 0;
  let rowRepeat = 1;
  let cells: string[] | undefined;
  /** Logical column of the next cell (empty cells are only counted); `cells` holds at most `limit` of them. */
  let col = 0;
  let limit = MAX_COLUMNS;
  /** First column beyond `limit` holding a value. */
  let beyond: number | undefined;
  let inCell = false;
  let cellRepeat = 1;
  let cellValue: string | undefined;
  let text = '';
  let rowChars = 0;
  let paragraphs = 0;
  let annotation = 0;
  let inParagraph = 0;

  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    switch (tag.name) {
      case 'table:table':
        tableDepth++;
        if (tableDepth === 1) {
          table++;
          line = 0;
          build = wanted(table);
          queue.push({ type: 'table', index: table, name: attr(tag, 'table:name') ?? `Sheet${table + 1}` });
        }
        return;
      case 'table:table-row':
        if (tableDepth !== 1) return;
        rowRepeat = repeatCount(tag, 'table:number-rows-repeated');
        cells = build ? [] : undefined;
        col = 0;
        limit = Math.min(MAX_COLUMNS, width(table) ?? MAX_COLUMNS);
        beyond = undefined;
        rowChars = 0;
        return;
      case 'table:table-cell':
      case 'table:covered-table-cell': {
        if (tableDepth !== 1 || !cells) return;
        inCell = true;
        cellRepeat = repeatCount(tag, 'table:number-columns-repeated');
        text = '';
        paragraphs = 0;
        inParagraph = 0;
        const type = attr(tag, 'office:value-type') ?? attr(tag, 'calcext:value-type');
        cellValue = undefined;
        if (type === 'float' || type === 'percentage' || type === 'currency') {
          const v = attr(tag, 'office:value');
          if (v !== undefined && v.trim() !== '') cellValue = numberText(Number(v));
        } else if (type === 'date') {
          const v = attr(tag, 'office:date-value');
          if (v !== undefined) cellValue = odsDate(v);
        } else if (type === 'boolean') {
          const v = attr(tag, 'office:boolean-value');
          if (v !== undefined) cellValue = v === 'true' ? 'true' : 'false';
        } else if (type === 'string') {
          const v = attr(tag, 'office:string-value');
          if (v !== undefined) cellValue = v;
        }
        return;
      }
      case 'office:annotation':
        if (inCell) annotation++;
        return;
      case 'text:p':
      case 'text:h':
        if (inCell && annotation === 0) {
          if (paragraphs++ > 0) append('\n');
          inParagraph++;
        }
        return;
      case 'text:s':
        if (inCell && annotation === 0) {
          const n = repeatCount(tag, 'text:c');
          if (text.length + n > MAX_RECORD_CHARS) throw tooLong();
          append(' '.repeat(n));
        }
        return;
      case 'text:tab':
        if (inCell && annotation === 0) append('\t');
        return;
      case 'text:line-break':
        if (inCell && annotation === 0) append('\n');
        return;
    }
  });
  /** The current row's text is beyond the record limit. */
  const tooLong = (): LimitExceeded =>
    new LimitExceeded(
      `row ${line + 1} holds more than ${grouped(MAX_RECORD_CHARS)} characters of text`,
      line + 1,
      columnLetters(col),
    );
  /** Add to the current cell's text, within the record limit (checked before the text grows). */
  function append(t: string): void {
    if (text.length + t.length > MAX_RECORD_CHARS) throw tooLong();
    text += t;
  }
  parser.on('text', (t) => {
    if (inCell && annotation === 0 && inParagraph > 0) append(t);
  });
  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'table:table':
        tableDepth--;
        return;
      case 'office:annotation':
        if (inCell) annotation--;
        return;
      case 'text:p':
      case 'text:h':
        if (inCell && annotation === 0 && inParagraph > 0) inParagraph--;
        return;
      case 'table:table-cell':
      case 'table:covered-table-cell': {
        if (tableDepth !== 1 || !cells || !inCell) return;
        inCell = false;
        const value = cellValue ?? text;
        if (value === '') {
          col += cellRepeat; // trailing empty cells (office suites pad rows to the last column) cost nothing
          return;
        }
        const start = col;
        if (start + cellRepeat > MAX_COLUMNS) {
          const what =
            cellRepeat > 1
              ? `a cell repeated ${grouped(cellRepeat)} times from column ${columnLetters(Math.min(start, MAX_COLUMNS))}`
              : 'a cell';
          throw new LimitExceeded(
            `${what} goes beyond the last column XFD (${grouped(MAX_COLUMNS)} columns)`,
            line + 1,
            columnLetters(Math.max(start, MAX_COLUMNS)),
          );
        }
        rowChars += value.length * cellRepeat;
        if (rowChars > MAX_RECORD_CHARS) throw tooLong();
        col = start + cellRepeat;
        const end = Math.min(col, limit);
        if (start < end) {
          while (cells.length < start) cells.push('');
          for (let k = start; k < end; k++) cells.push(value);
        }
        if (col > limit) beyond ??= Math.max(start, limit);
        return;
      }
      case 'table:table-row': {
        if (tableDepth !== 1) return;
        const first = line + 1;
        line += rowRepeat; // empty rows, however many, only advance the counter
        if (!cells) return;
        const row = trimTrailingEmpty(cells);
        cells = undefined;
        if (allBlank(row) && beyond === undefined) return;
        if (first + rowRepeat - 1 > MAX_ROWS) {
          const what =
            rowRepeat > 1 ? `row ${grouped(first)} repeated ${grouped(rowRepeat)} times` : `row ${grouped(first)}`;
          throw new LimitExceeded(
            `${what} goes beyond the last row ${grouped(MAX_ROWS)}`,
            Math.max(first, Math.min(first + rowRepeat - 1, MAX_ROWS + 1)),
            beyond === undefined ? firstColumn(row) : columnLetters(beyond),
          );
        }
        const problem =
          beyond === undefined
            ? undefined
            : `the row has a value in column ${columnLetters(beyond)}, beyond the ${grouped(limit)} columns of the header`;
        queue.push({ type: 'row', index: table, line: first, cells: row, repeat: rowRepeat, problem });
        return;
      }
    }
  });

  /** Queued events, a repeated row expanded one copy at a time (a consumer that stops early expands no more). */
  function* drain(): Generator<OdsEvent> {
    while (queue.length) {
      const ev = queue.shift()!;
      if (ev.type === 'table') {
        yield ev;
        continue;
      }
      const { index, line, cells, problem } = ev;
      yield problem === undefined ? { type: 'row', index, line, cells } : { type: 'row', index, line, cells, problem };
      for (let k = 1; k < ev.repeat && wanted(ev.index); k++) {
        const copy = cells.slice();
        yield problem === undefined
          ? { type: 'row', index, line: line + k, cells: copy }
          : { type: 'row', index, line: line + k, cells: copy, problem };
      }
    }
  }

  const write = xmlGapGuard(parser, content.name);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of zipEntryChunks(path, content)) {
    write(decoder.write(chunk));
    if (failure) throw failure;
    yield* drain();
  }
  write(decoder.end());
  parser.close();
  if (failure) throw failure;
  yield* drain();
}

function unreadable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  if (e instanceof LimitExceeded) return limitError(file, e);
  const reason = oneLine(e instanceof Error ? e.message : String(e));
  return new EmpreinteError(
    issue('INP_FILE_UNREADABLE', { reason: `not a readable ODS spreadsheet (${reason})` }, { file }),
  );
}

function sheetRows(path: string, file: string, head: SheetHead, size: number): AsyncIterable<TableRow> {
  return {
    async *[Symbol.asyncIterator]() {
      const spend = sheetCellBudget(head.header.length, size);
      const events = odsEvents(
        path,
        (t) => t === head.index,
        (t) => (t === head.index ? head.header.length : undefined),
      );
      try {
        for await (const ev of events) {
          if (ev.type === 'table' && ev.index > head.index) return;
          if (ev.type !== 'row' || ev.index !== head.index || ev.line <= head.headerLine) continue;
          spend(ev.line, ev.cells.length);
          const cells = padTo(ev.cells, head.header.length);
          yield ev.problem === undefined ? { line: ev.line, cells } : { line: ev.line, cells, problem: ev.problem };
        }
      } catch (e) {
        throw unreadable(file, e);
      } finally {
        await events.return(undefined);
      }
    },
  };
}

/**
 * Open an ODS spreadsheet: one table per non-empty sheet, in document order. Throws `EmpreinteError`
 * `INP_FILE_UNREADABLE` (naming the file) when it is not a readable ODS file, `INP_FILE_EMPTY` when no sheet has a row.
 */
export async function openOds(path: string, options: SpreadsheetOptions = {}): Promise<SheetTable[]> {
  const file = options.displayName ?? basename(path);
  const size = await regularFile(path, file);
  const heads: SheetHead[] = [];
  const names = new Map<number, string>();
  const only = options.sheet?.toLowerCase();
  const found = new Set<number>();
  try {
    for await (const ev of odsEvents(path, (t) => !found.has(t))) {
      if (ev.type === 'table') {
        names.set(ev.index, ev.name);
        continue;
      }
      if (found.has(ev.index)) continue;
      found.add(ev.index);
      const name = names.get(ev.index)!;
      if (only !== undefined && name.toLowerCase() !== only) continue;
      heads.push({ index: ev.index, name, header: ev.cells.map((c) => c.trim()), headerLine: ev.line });
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  return sheetTables(file, 'ods', heads, options, (h) => sheetRows(path, file, h, size));
}
