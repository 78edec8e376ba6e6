/**
 * ODS (OpenDocument spreadsheet) source. No maintained npm library reads ODS as a stream on Node 20 (SheetJS's npm
 * package `xlsx` stopped at 0.18.5 in 2022), so the reader is built here: the package's `content.xml` is found through
 * the ZIP central directory and inflated with `node:zlib` (`zip-entry.ts`), and parsed as a stream with `saxes` (the
 * XML parser exceljs already depends on). Memory stays bounded by one row.
 *
 * Same contract as the XLSX reader: one `Table` per non-empty `table:table`, header = first non-empty row, `line` =
 * the sheet's row number. `table:number-rows-repeated` and `table:number-columns-repeated` are expanded (runs of empty
 * rows or cells only advance the counters, so LibreOffice's 1 048 576-row padding costs nothing). Values: `float`,
 * `percentage`, `currency` → `office:value` as plain text (`numberText`), `date` → `office:date-value` as ISO
 * `yyyy-MM-dd`, `boolean` → `true`/`false`, formulas → their cached value (the value attributes of the cell),
 * strings and times → the displayed text (paragraphs joined with a newline, `text:s` spaces expanded, comments
 * (`office:annotation`) excluded). Element names are matched with the standard prefixes (`table:`, `office:`, `text:`).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { allBlank, numberText, padTo, trimTrailingEmpty } from './sheet-values.js';
import type { TableRow } from './table.js';
import { sheetTables, type SheetHead, type SheetTable, type SpreadsheetOptions } from './xlsx.js';
import { zipEntries, zipEntryStream } from './zip-entry.js';

const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';
/** Cap on the expansion of one repeated non-empty cell (a spreadsheet has at most 16 384 columns). */
const MAX_COLUMNS = 16_384;

type OdsEvent =
  | { readonly type: 'table'; readonly index: number; readonly name: string }
  | { readonly type: 'row'; readonly index: number; readonly line: number; readonly cells: string[] };

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

function repeatCount(tag: SaxesTagPlain, name: string): number {
  const v = attr(tag, name);
  const n = v === undefined ? 1 : Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/**
 * Stream the events of `content.xml`. `wanted(index)` says whether the rows of table `index` must be built (others
 * are parsed and skipped); the consumer may stop at any time.
 */
async function* odsEvents(path: string, wanted: (table: number) => boolean): AsyncGenerator<OdsEvent> {
  const entries = await zipEntries(path);
  const mimetype = entries.find((e) => e.name === 'mimetype');
  const content = entries.find((e) => e.name === 'content.xml');
  if (!content) throw new Error('no content.xml: not an OpenDocument file');
  if (mimetype) {
    const chunks: Buffer[] = [];
    for await (const c of await zipEntryStream(path, mimetype)) chunks.push(c as Buffer);
    const type = Buffer.concat(chunks).toString('utf8').trim();
    if (type !== ODS_MIMETYPE) throw new Error(`it is an OpenDocument file of type ${type}, not a spreadsheet`);
  }
  const stream = await zipEntryStream(path, content);
  const parser = new SaxesParser({ xmlns: false });
  const queue: OdsEvent[] = [];
  let failure: Error | undefined;

  let table = -1;
  let tableDepth = 0; // nested tables (in cells) are ignored
  let build = false;
  let line = 0;
  let rowRepeat = 1;
  let cells: string[] | undefined;
  let pendingEmpty = 0;
  let inCell = false;
  let cellRepeat = 1;
  let cellValue: string | undefined;
  let text = '';
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
        pendingEmpty = 0;
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
          if (paragraphs++ > 0) text += '\n';
          inParagraph++;
        }
        return;
      case 'text:s':
        if (inCell && annotation === 0) text += ' '.repeat(Math.min(repeatCount(tag, 'text:c'), 1024));
        return;
      case 'text:tab':
        if (inCell && annotation === 0) text += '\t';
        return;
      case 'text:line-break':
        if (inCell && annotation === 0) text += '\n';
        return;
    }
  });
  parser.on('text', (t) => {
    if (inCell && annotation === 0 && inParagraph > 0) text += t;
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
          pendingEmpty += cellRepeat;
          return;
        }
        const room = MAX_COLUMNS - cells.length;
        for (let k = 0; k < pendingEmpty && k < room; k++) cells.push('');
        for (let k = 0; k < cellRepeat && cells.length < MAX_COLUMNS; k++) cells.push(value);
        pendingEmpty = 0;
        return;
      }
      case 'table:table-row': {
        if (tableDepth !== 1) return;
        const first = line + 1;
        line += rowRepeat;
        if (!cells) return;
        const row = trimTrailingEmpty(cells);
        cells = undefined;
        if (allBlank(row)) return;
        for (let k = 0; k < rowRepeat; k++) {
          queue.push({ type: 'row', index: table, line: first + k, cells: k === 0 ? row : row.slice() });
        }
        return;
      }
    }
  });

  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      parser.write(decoder.write(chunk as Buffer));
      if (failure) throw failure;
      while (queue.length) yield queue.shift()!;
    }
    parser.write(decoder.end());
    parser.close();
    if (failure) throw failure;
    while (queue.length) yield queue.shift()!;
  } finally {
    stream.destroy();
  }
}

function unreadable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new EmpreinteError(
    issue('INP_FILE_UNREADABLE', { reason: `not a readable ODS spreadsheet (${reason})` }, { file }),
  );
}

function sheetRows(path: string, file: string, head: SheetHead): AsyncIterable<TableRow> {
  return {
    async *[Symbol.asyncIterator]() {
      const events = odsEvents(path, (t) => t === head.index);
      try {
        for await (const ev of events) {
          if (ev.type === 'table' && ev.index > head.index) return;
          if (ev.type !== 'row' || ev.index !== head.index || ev.line <= head.headerLine) continue;
          yield { line: ev.line, cells: padTo(ev.cells, head.header.length) };
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
  try {
    await stat(path);
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
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
  return sheetTables(file, 'ods', heads, options, (h) => sheetRows(path, file, h));
}
