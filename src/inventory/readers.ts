/**
 * Table reader registry: which reader opens a file, by extension. CSV (and `.tsv`) is built in; other formats
 * (XLSX, ODS) are added with `registerTableReader` by their modules. A reader may return several tables (one per
 * sheet).
 */
import { extname } from 'node:path';
import { openCsv } from '../formats/csv.js';
import { openOds } from '../formats/ods.js';
import { openXlsx } from '../formats/xlsx.js';
import type { TextEncoding } from '../formats/encoding.js';
import type { Table } from '../formats/table.js';

export interface TableReaderOptions {
  /** Name to use in messages (the path as given). */
  readonly displayName: string;
  /** Forced text encoding (text formats only). */
  readonly encoding?: TextEncoding;
  /** Header scorer for delimiter detection (known columns of the best kind). */
  readonly scoreHeader: (header: readonly string[]) => number;
}

export type TableReader = (path: string, opts: TableReaderOptions) => Promise<Table | readonly Table[]>;

const readers = new Map<string, TableReader>();

/** Register (or replace) the reader of an extension, given without dot, case-insensitive: `xlsx`, `ods`. */
export function registerTableReader(ext: string, open: TableReader): void {
  readers.set(ext.replace(/^\./, '').toLowerCase(), open);
}

const csvReader: TableReader = (path, opts) =>
  openCsv(path, { displayName: opts.displayName, encoding: opts.encoding, scoreHeader: opts.scoreHeader });
registerTableReader('csv', csvReader);
registerTableReader('tsv', csvReader);
registerTableReader('xlsx', (path, opts) => openXlsx(path, { displayName: opts.displayName }));
registerTableReader('ods', (path, opts) => openOds(path, { displayName: opts.displayName }));

/** Extensions read when a folder is given. */
export function registeredExtensions(): string[] {
  return [...readers.keys()];
}

/** The reader of a path: by extension, CSV for any other extension of an explicitly named file. */
export function readerFor(path: string): TableReader {
  return readers.get(extname(path).slice(1).toLowerCase()) ?? csvReader;
}

export function hasReader(path: string): boolean {
  return readers.has(extname(path).slice(1).toLowerCase());
}
