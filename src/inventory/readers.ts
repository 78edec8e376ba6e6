/**
 * Table readers: which reader opens a file, by extension (CSV and `.tsv`, XLSX, ODS), as a set built per run and
 * passed in. A reader may return several tables (one per sheet).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { issue, type Issue } from '../issues/catalogue.js';
import { osReason } from '../formats/os-error.js';
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

/**
 * The readers of a run, by extension (without dot, lower case). Passed in by the caller (the application layer builds
 * one per run with `tableReaders()`), never registered in a module-level table.
 */
export interface ReaderSet {
  /** The reader of a path: by extension, CSV for any other extension of an explicitly named file. */
  readerFor(path: string): TableReader;
  /** Extensions read when a folder is given. */
  readonly extensions: readonly string[];
}

const csvReader: TableReader = (path, opts) =>
  openCsv(path, { displayName: opts.displayName, encoding: opts.encoding, scoreHeader: opts.scoreHeader });

/** CSV (`.csv`, `.tsv`), XLSX and ODS, plus `extra` readers (an extension given there replaces the built-in one). */
export function tableReaders(extra: Readonly<Record<string, TableReader>> = {}): ReaderSet {
  const byExt = new Map<string, TableReader>([
    ['csv', csvReader],
    ['tsv', csvReader],
    ['xlsx', (path, opts) => openXlsx(path, { displayName: opts.displayName })],
    ['ods', (path, opts) => openOds(path, { displayName: opts.displayName })],
  ]);
  for (const [ext, r] of Object.entries(extra)) byExt.set(ext.replace(/^\./, '').toLowerCase(), r);
  return {
    readerFor: (path) => byExt.get(extname(path).slice(1).toLowerCase()) ?? csvReader,
    extensions: [...byExt.keys()],
  };
}

/** An input file: its path, or the reason it cannot be read. */
export interface InputEntry {
  readonly path: string;
  /** Found by listing a folder (not named on the command line). */
  readonly inFolder?: boolean;
  /** A path named on the command line that cannot be read or listed: the file fails (`INP_FILE_UNREADABLE`). */
  readonly error?: Issue;
  /** A folder entry that cannot be read (dangling symlink, symlink loop, not a regular file): a warning for it alone. */
  readonly skipped?: Issue;
}

/**
 * Expand folders into their readable files (sorted; hidden files and `rejected_*` outputs of earlier runs are
 * skipped). A path given explicitly that cannot be read is an error for that path; an entry of a folder with a
 * reader's extension that cannot be opened as a regular file (dangling symlink, symlink loop, permission, a folder
 * named `x.csv`) is skipped with `INP_ENTRY_SKIPPED`, and the other files are processed.
 */
export async function expandInputs(paths: readonly string[], readers: ReaderSet): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  const exts = new Set(readers.extensions);
  const unreadable = (file: string, e: unknown) => issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file });
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      out.push({ path: p, error: unreadable(p, e) });
      continue;
    }
    if (!st.isDirectory()) {
      out.push({ path: p });
      continue;
    }
    let names: string[];
    try {
      names = (await readdir(p)).sort();
    } catch (e) {
      out.push({ path: p, error: unreadable(p, e) });
      continue;
    }
    for (const n of names) {
      const ext = n.includes('.') ? n.slice(n.lastIndexOf('.') + 1).toLowerCase() : '';
      if (!exts.has(ext) || n.startsWith('rejected_') || n.startsWith('.')) continue;
      const full = join(p, n);
      try {
        const s = await stat(full);
        if (s.isFile()) out.push({ path: full, inFolder: true });
        else
          out.push({
            path: full,
            inFolder: true,
            skipped: issue(
              'INP_ENTRY_SKIPPED',
              { reason: s.isDirectory() ? 'it is a folder' : 'not a regular file' },
              { file: full },
            ),
          });
      } catch (e) {
        out.push({
          path: full,
          inFolder: true,
          skipped: issue('INP_ENTRY_SKIPPED', { reason: osReason(e) }, { file: full }),
        });
      }
    }
  }
  return out;
}
