/**
 * Rejects file (methodology §2.1, issue 4): every refused line repeated in the input's own format (same delimiter,
 * same encoding, original raw text), followed by `line`, `errorCode` and `errorMessage` columns, header first, so that
 * a user fixes the lines and re-imports the file. Several errors of one line are joined with ` | `.
 * Unchanged except that a cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` (formula injection;
 * the readers strip it on re-import): raw text goes through `neutraliseRecord`, spreadsheet rows (no raw text) and the
 * added columns through the CSV writer (`src/formats/csv-write.ts`).
 * Written to a temporary file in the target folder and renamed when the input file is done: a rejects file never
 * appears half-written. A write error (read-only folder, disk full) is raised at the next write or at `finish`, never
 * as an unhandled stream event.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import iconv from 'iconv-lite';
import { issueMessage, type Issue } from '../issues/catalogue.js';
import { csvCell, csvRecord, neutraliseRecord } from '../formats/csv-write.js';
import type { TextEncoding } from '../formats/encoding.js';
import { outputError } from '../formats/os-error.js';
import { removeStaleTemps, tempPath, type TempFiles } from '../formats/temp-files.js';

export interface RejectsTarget {
  readonly dir: string;
  /** Input path (its base name names the rejects file). */
  readonly inputPath: string;
  readonly sheet?: string;
  readonly delimiter: string;
  readonly encoding?: TextEncoding;
  /** The input header line as written, or undefined to rebuild it from `header`. */
  readonly rawHeader?: string;
  readonly header: readonly string[];
  /** Registry of the run's temporary files (removed on SIGINT/SIGTERM by the CLI entry). */
  readonly temps?: TempFiles;
}

/** `rejected_<file>.csv` (`rejected_<file>_<sheet>.csv` for a sheet); `taken` avoids collisions inside one run. */
export function rejectsFileName(inputPath: string, sheet: string | undefined, taken: Set<string>): string {
  const base = basename(inputPath);
  const ext = extname(base);
  const stem = ext.toLowerCase() === '.csv' ? base.slice(0, -ext.length) : base;
  const safeSheet = sheet ? '_' + sheet.replace(/[^\p{L}\p{N}_.-]+/gu, '_') : '';
  let name = `rejected_${stem}${safeSheet}.csv`;
  for (let k = 2; taken.has(name); k++) name = `rejected_${stem}${safeSheet}_${k}.csv`;
  taken.add(name);
  return name;
}

export class RejectsWriter {
  private stream: WriteStream | undefined;
  private tmp: string | undefined;
  private failed: Error | undefined;
  count = 0;

  constructor(
    private readonly target: RejectsTarget,
    readonly path: string,
  ) {}

  private encode(text: string): Buffer {
    const enc = this.target.encoding;
    if (enc === 'windows-1252' || enc === 'iso-8859-1') return iconv.encode(text, enc);
    return Buffer.from(text, 'utf8');
  }

  private async open(): Promise<void> {
    try {
      await mkdir(this.target.dir, { recursive: true });
    } catch (e) {
      throw outputError(this.target.dir, e);
    }
    await removeStaleTemps(this.path);
    this.tmp = tempPath(this.path);
    this.target.temps?.add(this.tmp);
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (e) => (this.failed ??= e));
    const d = this.target.delimiter;
    const header =
      this.target.rawHeader !== undefined
        ? neutraliseRecord(this.target.rawHeader, d)
        : csvRecord(this.target.header, d);
    const bom = this.target.encoding === 'utf-8-bom' ? '\ufeff' : '';
    this.stream.write(this.encode(`${bom}${header}${d}line${d}errorCode${d}errorMessage\n`));
  }

  /** Append one refused line (raw text, or cells re-joined when the source has no raw text). */
  async write(
    line: number,
    raw: string | undefined,
    cells: readonly string[],
    errors: readonly Issue[],
  ): Promise<void> {
    if (!this.stream) await this.open();
    if (this.failed) throw outputError(this.path, this.failed);
    const d = this.target.delimiter;
    const text = raw !== undefined ? neutraliseRecord(raw, d) : csvRecord(cells, d);
    const codes = [...new Set(errors.map((e) => e.code))].join(' | ');
    const messages = errors.map((e) => issueMessage(e)).join(' | ');
    this.count++;
    const tail = `${d}${line}${d}${csvCell(codes, d)}${d}${csvCell(messages, d)}\n`;
    const s = this.stream!;
    if (!s.write(this.encode(text + tail))) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => {
          s.off('drain', onDrain);
          reject(outputError(this.path, e));
        };
        const onDrain = () => {
          s.off('error', onError);
          resolve();
        };
        s.once('drain', onDrain);
        s.once('error', onError);
      });
    }
  }

  /** Close and move into place; returns the final path, or undefined when nothing was rejected. */
  async finish(): Promise<string | undefined> {
    if (!this.stream || !this.tmp) return undefined;
    const s = this.stream;
    if (!this.failed) {
      await new Promise<void>((resolve) => s.end(() => resolve()));
    }
    if (this.failed) {
      await this.discard();
      throw outputError(this.path, this.failed);
    }
    try {
      await rename(this.tmp, this.path);
    } catch (e) {
      await this.discard();
      throw outputError(this.path, e);
    }
    this.target.temps?.delete(this.tmp);
    return this.path;
  }

  /** Remove the temporary file (on an unexpected failure). */
  async discard(): Promise<void> {
    if (!this.stream || !this.tmp) return;
    this.stream.destroy();
    await rm(this.tmp, { force: true }).catch(() => undefined); // best effort: the failure being reported matters more
    this.target.temps?.delete(this.tmp);
  }
}
