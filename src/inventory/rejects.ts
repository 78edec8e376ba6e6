/**
 * Rejects file (methodology §2.1, issue 4): every refused line repeated unchanged in the input's own format (same
 * delimiter, same encoding, original raw text), followed by `line`, `errorCode` and `errorMessage` columns, header
 * first, so that a user fixes the lines and re-imports the file. Several errors of one line are joined with ` | `.
 * Written to a temporary file in the target folder and renamed when the input file is done: a rejects file never
 * appears half-written.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import iconv from 'iconv-lite';
import { issueMessage, type Issue } from '../issues/catalogue.js';
import type { TextEncoding } from '../formats/encoding.js';

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

function quote(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class RejectsWriter {
  private stream: WriteStream | undefined;
  private tmp: string | undefined;
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
    await mkdir(this.target.dir, { recursive: true });
    this.tmp = join(this.target.dir, `.${basename(this.path)}.${process.pid}.tmp`);
    this.stream = createWriteStream(this.tmp);
    const d = this.target.delimiter;
    const header = this.target.rawHeader ?? this.target.header.map((h) => quote(h, d)).join(d);
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
    const d = this.target.delimiter;
    const text = raw ?? cells.map((c) => quote(c, d)).join(d);
    const codes = [...new Set(errors.map((e) => e.code))].join(' | ');
    const messages = errors.map((e) => issueMessage(e)).join(' | ');
    this.count++;
    const ok = this.stream!.write(this.encode(`${text}${d}${line}${d}${quote(codes, d)}${d}${quote(messages, d)}\n`));
    if (!ok) await new Promise<void>((r) => this.stream!.once('drain', () => r()));
  }

  /** Close and move into place; returns the final path, or undefined when nothing was rejected. */
  async finish(): Promise<string | undefined> {
    if (!this.stream || !this.tmp) return undefined;
    const s = this.stream;
    await new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(this.tmp, this.path);
    return this.path;
  }

  /** Remove the temporary file (on an unexpected failure). */
  async discard(): Promise<void> {
    if (!this.stream || !this.tmp) return;
    this.stream.destroy();
    await rm(this.tmp, { force: true });
  }
}
