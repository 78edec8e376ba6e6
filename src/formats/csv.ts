/**
 * Streaming CSV source (methodology §2.1): encoding and delimiter detected, records yielded in file order with their
 * 1-based physical line numbers (header = line 1) and their raw text (for rejects files).
 *
 * Encoding: forced, else BOM → UTF-8, else the whole file is checked as strict UTF-8 (a fast byte scan before reading)
 * and read as Windows-1252 when it is not. A forced UTF-8 (or BOM) file with an invalid byte sequence is a file error
 * `INP_ENCODING` naming the line.
 *
 * Quoting is RFC 4180 and lenient like common exports: `""` is a quote; a quote inside a quoted field that is not
 * followed by a delimiter or an end of line is kept as a literal (OCS Inventory does not escape inner quotes); a quote
 * inside an unquoted field is literal. A record is BROKEN when a quoted field runs past its line and the multi-line
 * record does not have the header's width, when such a field reaches the end of the file, or when a record grows past
 * 1 MiB: it becomes one problem row (first physical line only) and reading resumes on the next physical line, so
 * that later rows are never swallowed. A quoted field left open on the file's LAST line is a file error
 * `INP_BAD_CSV` naming that line. Blank lines and records whose cells are all empty are skipped (counted in
 * `blankLines()`).
 *
 * Line ends: LF or CRLF; a file whose header line ends with a lone CR (classic Mac OS) is read with CR line ends.
 * Bounded and linear: the text waiting for a line end never exceeds 1 MiB (`MAX_RECORD_CHARS`) plus one chunk, and is
 * scanned once; a physical line longer than that becomes a problem row (its first 4 KiB kept as raw text) and the
 * rest of the line is skipped without being kept, so a 100 MB line costs one pass. The header line may be up to
 * 1 MiB long (`INP_TOO_LARGE` beyond). Pipes and devices are refused by name (`file.ts`).
 *
 * Throughput (this machine, 1M NumEcoEval physical-equipment lines, 2 cores): see docs/inventory-format.md.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { looksBinary, type TextEncoding } from './encoding.js';
import { regularFile } from './file.js';
import { MAX_RECORD_CHARS, grouped } from './limits.js';
import type { Table, TableRow } from './table.js';

export const DELIMITERS = [';', ',', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvOptions {
  /** Force the encoding instead of detecting it. */
  readonly encoding?: TextEncoding;
  /** Force the delimiter instead of detecting it. */
  readonly delimiter?: Delimiter;
  /** Scores a candidate header (number of known column names); the best delimiter wins, `;` on a tie. */
  readonly scoreHeader?: (header: readonly string[]) => number;
  /** Name shown in messages (defaults to the file's base name). */
  readonly displayName?: string;
}

/** A row the CSV layer could not split into fields (`cells` is empty; `raw` is its first physical line). */
export interface CsvProblemRow extends TableRow {
  readonly problem: string;
}

/** A CSV table: rows one by one (`rows`, re-iterable) or in batches (`batches`, faster), plus reading counters. */
export interface CsvTable extends Table {
  readonly format: 'csv';
  readonly encoding: TextEncoding;
  readonly delimiter: Delimiter;
  /** The header line as written (without line end), for rejects files. */
  readonly rawHeader: string;
  /** File size in bytes. */
  readonly size: number;
  readonly batches: AsyncIterable<readonly TableRow[]>;
  /** Bytes consumed by the current iteration. */
  bytesRead(): number;
  /** Problem rows met by the current iteration. */
  problems(): number;
  /** Blank lines and all-empty records skipped by the current iteration. */
  blankLines(): number;
  /** The line end (`\n` for LF and CRLF files, `\r` for CR-only files). */
  readonly newline: '\n' | '\r';
  /**
   * The records before byte `stopAt` (just after a line end) when that byte is a record boundary (`held()` true once
   * the iteration ends), else every record of the file as `batches` gives them (`held()` false): a quoted field
   * running over `stopAt` makes the split impossible and the part runs on to the end.
   */
  firstPart(stopAt: number): CsvPart;
}

/** One iteration over a part of a CSV file (see `CsvTable.firstPart`). */
export interface CsvPart {
  readonly batches: AsyncIterable<readonly TableRow[]>;
  bytesRead(): number;
  blankLines(): number;
  held(): boolean;
}

/** What a part of a CSV file is read with: the table's settings as `openCsv` detected them, and where it starts. */
export interface CsvPartSpec {
  readonly path: string;
  /** Name in messages. */
  readonly file: string;
  readonly encoding: TextEncoding;
  readonly delimiter: Delimiter;
  readonly newline: '\n' | '\r';
  /** Whether the bytes are checked as strict UTF-8 (forced UTF-8, BOM). */
  readonly checkUtf8: boolean;
  /** Byte where reading starts: 0 (the header is then skipped), or just after a line end that is a record boundary. */
  readonly start: number;
  /** With `start` > 0: the physical line at `start` and the header's number of cells. */
  readonly resume?: { readonly line: number; readonly width: number };
  /** Stop at this byte (just after a line end) if it is a record boundary (see `CsvTable.firstPart`). */
  readonly stopAt?: number;
}

/** Counters of one iteration over a part, filled in as it goes. */
export interface CsvPartCounters {
  bytes: number;
  problems: number;
  blank: number;
  /** `stopAt` was a record boundary and the iteration stopped there. */
  held: boolean;
}

const SAMPLE_BYTES = 64 * 1024;
const CHUNK_BYTES = 256 * 1024;
/**
 * Records are split and handed on in batches of about this many characters (a chunk gives several): the rows of a batch
 * (cells, raw text) are read by the row parser while they are still in the processor's cache (issue 11, per-row cost).
 */
const BATCH_CHARS = 32 * 1024;
/**
 * Bytes of a chunk decoded into one string at most (cut at a line end before; a longer line is decoded whole): a string
 * over 128 KiB goes to V8's large-object space, where decoding a 256 KiB chunk at once cost about four times as much
 * per byte (docs/benchmarks.md, "Issue 11, … (branch `h11-sum6`)"). 60 KiB decode to at most 60 Ki characters, below
 * 128 KiB even as a two-byte string (one character outside Latin-1 makes the whole string two-byte).
 */
const DECODE_BYTES = 60 * 1024;
/** Bytes read at most to find the end of the header line (1 MiB characters of up to 4 UTF-8 bytes). */
const MAX_HEADER_BYTES = 4 * MAX_RECORD_CHARS + 4;
/** Characters of a too-long line kept as its raw text (for the rejects file). */
const RAW_PREFIX_CHARS = 4096;
/** A record longer than this is taken as broken (a stray quote swallowing the file). */
export { MAX_RECORD_CHARS };

/** Split one header line with a delimiter, honouring simple quotes. */
export function splitHeaderLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** The delimiter giving the best header score (then the most cells); `;` on a tie (§2.1). */
export function chooseDelimiter(headerLine: string, score?: (h: readonly string[]) => number): Delimiter {
  let best: Delimiter = ';';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const cells = splitHeaderLine(headerLine, d);
    const s = score ? score(cells) * 1000 + cells.length : cells.length;
    if (s > bestScore) {
      best = d;
      bestScore = s;
    }
  }
  return best;
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 multi-byte sequence. */
function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** Offset of the first invalid UTF-8 sequence in `buf` (only called once a chunk is known to be invalid). */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const need = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (need === 0 || i + need > buf.length) return i;
    if (!isUtf8(buf.subarray(i, i + need))) return i;
    i += need;
  }
  return buf.length;
}

function countNewlines(buf: Uint8Array, end = buf.length, nl = 10): number {
  let n = 0;
  const b = Buffer.from(buf.buffer, buf.byteOffset, end);
  for (let i = b.indexOf(nl); i !== -1; i = b.indexOf(nl, i + 1)) n++;
  return n;
}

/** Checks chunks of a stream as strict UTF-8; remembers the line of the first invalid sequence. */
class Utf8Checker {
  private carry: Buffer = Buffer.alloc(0);
  private newlines = 0;
  invalidLine: number | undefined;

  /** `nl`: the line-end byte (LF, or CR for CR-only files). */
  constructor(private readonly nl = 10) {}

  /** Starts counting lines after `n` line ends (a part read from inside the file). */
  skipLines(n: number): void {
    this.newlines = n;
  }

  /** False once an invalid sequence was met (then `invalidLine` is set). */
  push(chunk: Buffer, final = false): boolean {
    if (this.invalidLine !== undefined) return false;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = final ? buf.length : completeUtf8Length(buf);
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) {
      const at = firstInvalidUtf8(body);
      this.invalidLine = this.newlines + countNewlines(body, at, this.nl) + 1;
      return false;
    }
    this.newlines += countNewlines(body, body.length, this.nl);
    this.carry = Buffer.from(buf.subarray(end));
    return true;
  }
}

/** Whether the whole file is valid UTF-8 (streamed; `isUtf8` is a fast native check). */
async function fileIsUtf8(path: string): Promise<boolean> {
  const checker = new Utf8Checker();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (!checker.push(chunk as Buffer)) return false;
  }
  return checker.push(Buffer.alloc(0), true);
}

interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string;
}

function textDecoder(enc: TextEncoding): TextDecoderLike {
  switch (enc) {
    case 'utf-8':
    case 'utf-8-bom': {
      const d = new StringDecoder('utf8');
      return { write: (c) => d.write(c), end: () => d.end() };
    }
    case 'windows-1252': {
      const d = new TextDecoder('windows-1252');
      return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
    }
    case 'iso-8859-1':
      // WHATWG maps the latin1 label to windows-1252; decode bytes 1:1 instead.
      return { write: (c) => c.toString('latin1'), end: () => '' };
  }
}

/** A record-level result of the parser. */
interface ParsedRecord {
  readonly line: number;
  readonly cells: string[];
  readonly raw: string;
  readonly problem?: string;
}

/** Thrown for a quoted field left open on the last line of the file. */
class UnterminatedQuote extends Error {
  constructor(readonly line: number) {
    super(`a quoted field starting on line ${line} is never closed`);
  }
}

/**
 * Incremental CSV record splitter over decoded text (pure: no I/O). `push` text, then `end`; records are appended to
 * `out`. `width` (the header's cell count, set after the first record) drives the broken-record check. `newline` is
 * the line end: `\n` (LF and CRLF files) or `\r` (CR-only files).
 */
export class CsvRecordSplitter {
  private buf = '';
  private pos = 0;
  private line = 1;
  /** Next quote at or after `pos` in `buf` (−1: none in the buffer), cached to keep scans linear. */
  private nextQuote = -2;
  /** No line end in `buf` between `pos` and this index: where the search for the current line's end resumes. */
  private lineScan = 0;
  /** Inside a line longer than `MAX_RECORD_CHARS`, already reported: text is dropped up to the next line end. */
  private skipping = false;
  private readonly crlf: boolean;
  /** `push` or `resume` stopped after `pause` characters of records: records are left in the text (see `resume`). */
  private paused = false;
  width: number | undefined;
  blank = 0;
  readonly out: ParsedRecord[] = [];

  constructor(
    private readonly delimiter: string,
    private readonly newline: '\n' | '\r' = '\n',
    /** Splitting from a record boundary inside the file (a part read on its own): its line and the header's width. */
    resume?: { readonly line: number; readonly width: number },
    /**
     * Stop splitting once records of this many characters are in `out` (`resume` goes on): a reader takes them while
     * they are still in the processor's cache (issue 11). The records and every decision about them are the same as
     * without the pause: only when they are split changes.
     */
    private readonly pause = Infinity,
  ) {
    this.crlf = newline === '\n';
    if (resume) {
      this.line = resume.line;
      this.width = resume.width;
    }
  }

  /** Whether every text pushed so far was split into records: the text ends at a record boundary. */
  drained(): boolean {
    return !this.skipping && this.pos >= this.buf.length;
  }

  /** Whether the last `push` or `resume` stopped after `pause` characters, with more records to split in its text. */
  isPaused(): boolean {
    return this.paused;
  }

  /** Splits the next records of the text pushed (after a pause). */
  resume(): void {
    this.drain(false);
  }

  push(text: string): void {
    if (this.skipping) {
      const i = text.indexOf(this.newline);
      if (i === -1) return; // still inside the over-long line: nothing is kept
      this.skipping = false;
      this.line++;
      text = text.slice(i + 1);
    }
    const kept = this.buf.length - this.pos;
    this.buf = kept > 0 ? this.buf.slice(this.pos) + text : text;
    this.lineScan = Math.max(0, this.lineScan - this.pos);
    this.pos = 0;
    this.nextQuote = -2;
    this.drain(false);
  }

  end(): void {
    if (!this.skipping) this.drain(true);
    this.buf = '';
    this.pos = 0;
    this.lineScan = 0;
  }

  private quoteFrom(pos: number): number {
    if (this.nextQuote === -2 || (this.nextQuote !== -1 && this.nextQuote < pos)) {
      this.nextQuote = this.buf.indexOf('"', pos);
    }
    return this.nextQuote;
  }

  private emit(line: number, cells: string[], raw: string): void {
    if (this.width === undefined) {
      // The first record is the header, even when its cells are empty.
      this.width = cells.length;
      this.out.push({ line, cells, raw });
      return;
    }
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const c0 = c.charCodeAt(0);
      // Non-blank: a first character that is not white space, else anything left after trimming.
      if (c !== '' && ((c0 > 32 && c0 !== 0xa0 && c0 < 0x2000) || c.trim() !== '')) {
        this.out.push({ line, cells, raw });
        return;
      }
    }
    this.blank++;
  }

  /** The problem row of a physical line longer than the record limit (its first 4 KiB as raw text). */
  private longLine(pos: number): void {
    this.out.push({
      line: this.line,
      cells: [],
      raw: this.buf.slice(pos, pos + RAW_PREFIX_CHARS),
      problem: `the line is longer than ${grouped(MAX_RECORD_CHARS)} characters (1 MiB); it was skipped`,
    });
  }

  /** A line still without its end beyond the record limit: reported, and the rest of it is dropped unread. */
  private overLong(pos: number): void {
    this.longLine(pos);
    this.skipping = true;
    this.buf = '';
    this.pos = 0;
    this.lineScan = 0;
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    const d = this.delimiter;
    const NL = this.newline;
    const pauseAt = final ? Infinity : this.pos + this.pause;
    this.paused = false;
    while (this.pos < buf.length) {
      const pos = this.pos;
      if (pos >= pauseAt) {
        this.paused = true;
        return;
      }
      const nl = buf.indexOf(NL, Math.max(pos, this.lineScan));
      if (nl === -1 && !final) {
        // Wait for the line end, unless the line is already beyond the limit.
        if (buf.length - pos > MAX_RECORD_CHARS) this.overLong(pos);
        else this.lineScan = buf.length;
        return;
      }
      const lineEnd = nl === -1 ? buf.length : nl;
      if (lineEnd - pos > MAX_RECORD_CHARS) {
        // A whole line beyond the limit (its end came in the same chunk): the same problem row.
        this.longLine(pos);
        this.line++;
        this.pos = lineEnd + 1;
        this.lineScan = this.pos;
        continue;
      }
      const q = this.quoteFrom(pos);
      if (q === -1 || q >= lineEnd) {
        // Fast path: a line without quotes is one record.
        let end = lineEnd;
        if (this.crlf && end > pos && buf.charCodeAt(end - 1) === 13) end--;
        if (end > pos) {
          const raw = buf.slice(pos, end);
          this.emit(this.line, splitCells(raw, d, this.width ?? 0), raw);
        } else this.blank++;
        this.line++;
        this.pos = lineEnd + 1;
        this.lineScan = this.pos;
        continue;
      }
      const r = this.quoted(pos, final);
      if (r === undefined) {
        // Needs more text, unless the record is already absurdly long.
        if (buf.length - pos <= MAX_RECORD_CHARS) return;
        this.broken(pos, lineEnd, 'a quoted field runs over more than 1 MiB (unbalanced quote?)');
        continue;
      }
      if (r === 'eof') {
        if (nl === -1 || buf.slice(nl + 1).trim() === '') throw new UnterminatedQuote(this.line);
        this.broken(pos, lineEnd, 'a quoted field is never closed (unbalanced quote); the line was read alone');
        continue;
      }
      const lines = r.lines;
      if (lines > 0 && this.width !== undefined && !fits(r.cells, this.width)) {
        this.broken(
          pos,
          lineEnd,
          `a quoted field spans ${lines + 1} lines and the record has ${r.cells.length} fields instead of ${this.width} (unbalanced quote?); the line was read alone`,
        );
        continue;
      }
      let rawEnd = r.end;
      if (this.crlf && rawEnd > pos && buf.charCodeAt(rawEnd - 1) === 13) rawEnd--;
      this.emit(this.line, r.cells, buf.slice(pos, rawEnd));
      this.line += lines + 1;
      this.pos = r.end + 1;
      this.lineScan = this.pos;
    }
  }

  /** Emit the first physical line of a broken record as a problem row and resume after it. */
  private broken(pos: number, lineEnd: number, problem: string): void {
    let end = lineEnd;
    if (this.crlf && end > pos && this.buf.charCodeAt(end - 1) === 13) end--;
    this.out.push({ line: this.line, cells: [], raw: this.buf.slice(pos, end), problem });
    this.line++;
    this.pos = lineEnd + 1;
    this.lineScan = this.pos;
  }

  /**
   * Parse one record containing quotes from `start`. Returns the cells, the index of the terminating newline (or the
   * buffer end) and the number of newlines inside the record; undefined when more text is needed; 'eof' when the
   * file ends inside a quoted field.
   */
  private quoted(start: number, final: boolean): { cells: string[]; end: number; lines: number } | undefined | 'eof' {
    const buf = this.buf;
    const d = this.delimiter;
    const NL = this.newline;
    const nlCode = NL.charCodeAt(0);
    const n = buf.length;
    const cells: string[] = [];
    let i = start;
    let lines = 0;
    for (;;) {
      if (buf.charCodeAt(i) === 34 /* " */) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const k = buf.indexOf('"', j);
          if (k === -1) return final ? 'eof' : undefined;
          value += buf.slice(j, k);
          if (k + 1 >= n && !final) return undefined;
          const next = buf[k + 1];
          if (next === '"') {
            value += '"';
            j = k + 2;
            continue;
          }
          if (next === d) {
            cells.push(value);
            i = k + 2;
            break;
          }
          if (next === undefined || next === NL) {
            cells.push(value);
            return { cells, end: k + 1, lines: lines + countChar(value, nlCode) };
          }
          if (this.crlf && next === '\r' && (buf[k + 2] === '\n' || k + 2 >= n)) {
            if (k + 2 >= n && !final) return undefined;
            cells.push(value);
            return { cells, end: Math.min(k + 2, n), lines: lines + countChar(value, nlCode) };
          }
          value += '"'; // lenient: an unescaped inner quote is literal
          j = k + 1;
        }
        lines += countChar(cells[cells.length - 1]!, nlCode);
        continue;
      }
      // Unquoted field: up to the next delimiter or line end; quotes inside are literal.
      let k = i;
      while (k < n) {
        const c = buf[k];
        if (c === d || c === NL) break;
        k++;
      }
      if (k >= n && !final) return undefined;
      let value = buf.slice(i, k);
      if (k >= n || buf[k] === NL) {
        if (this.crlf && value.endsWith('\r')) value = value.slice(0, -1);
        cells.push(value);
        return { cells, end: k, lines };
      }
      cells.push(value);
      i = k + 1;
    }
  }
}

/**
 * `raw.split(d)` for a one-character delimiter, by `indexOf` and `slice`: the same cells, without the runtime call
 * `split` makes per line (issue 11, per-row cost). `width` (the header's cell count, when known) sizes the array at
 * once instead of growing it cell by cell: a record has that many cells as a rule (never more than its length + 1
 * allocated, whatever the header's width).
 */
export function splitCells(raw: string, d: string, width = 0): string[] {
  const size = Math.min(width, raw.length + 1);
  const cells: string[] = size > 0 ? new Array<string>(size) : [];
  let k = 0;
  let p = 0;
  for (let i = raw.indexOf(d); i !== -1; i = raw.indexOf(d, p)) {
    if (k < size) cells[k] = raw.slice(p, i);
    else cells.push(raw.slice(p, i));
    k++;
    p = i + 1;
  }
  if (k < size) {
    cells[k++] = raw.slice(p);
    if (k < size) cells.length = k; // fewer cells than the header: no holes left
  } else cells.push(raw.slice(p));
  return cells;
}

function countChar(s: string, code: number): number {
  let c = 0;
  for (let i = s.indexOf(String.fromCharCode(code)); i !== -1; i = s.indexOf(String.fromCharCode(code), i + 1)) c++;
  return c;
}

/** Whether a record has the header's width, extra trailing cells being empty (GLPI's trailing delimiter). */
export function fits(cells: readonly string[], width: number): boolean {
  if (cells.length < width) return false;
  for (let i = width; i < cells.length; i++) if (cells[i]!.trim() !== '') return false;
  return true;
}

/** Open a CSV file as a table. Throws `EmpreinteError` (file level) for unreadable, binary or empty files. */
export async function openCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const file = options.displayName ?? basename(path);
  const size = await regularFile(path, file);
  /** The first `n` bytes of the file. */
  const head = async (n: number): Promise<Buffer> => {
    try {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(n, size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
    }
  };
  const sample = await head(SAMPLE_BYTES);
  if (
    sample.length >= 2 &&
    ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))
  ) {
    throw new EmpreinteError(issue('INP_ENCODING', { reason: 'UTF-16 is not supported' }, { file, line: 1 }));
  }
  if (looksBinary(sample)) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: 'it is a binary file, not CSV text' }, { file }));
  }
  const hasBom = sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  let encoding: TextEncoding;
  if (options.encoding) encoding = options.encoding;
  else if (hasBom) encoding = 'utf-8-bom';
  else if (size <= sample.length) encoding = isUtf8(sample) ? 'utf-8' : 'windows-1252';
  else encoding = (await fileIsUtf8(path)) ? 'utf-8' : 'windows-1252';
  const checkUtf8 = encoding === 'utf-8-bom' || (encoding === 'utf-8' && options.encoding !== undefined);

  const decodeHead = (bytes: Buffer): string => {
    const t = textDecoder(encoding).write(bytes);
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  };
  let text = decodeHead(sample);
  let headerEnd = lineEndIndex(text);
  if ((headerEnd === -1 || headerEnd === text.length - 1) && size > sample.length) {
    // A wide header (20 000 columns): read on to its end, up to the record limit.
    text = decodeHead(await head(MAX_HEADER_BYTES));
    headerEnd = lineEndIndex(text);
  }
  const headerChars = headerEnd === -1 ? text.length : headerEnd;
  if (headerChars > MAX_RECORD_CHARS) {
    throw new EmpreinteError(
      issue(
        'INP_TOO_LARGE',
        { reason: `the header line is longer than ${grouped(MAX_RECORD_CHARS)} characters (1 MiB)` },
        { file, line: 1 },
      ),
    );
  }
  // CR-only line ends (classic Mac OS) when the header line ends with a lone CR.
  const newline: '\n' | '\r' =
    headerEnd !== -1 && text[headerEnd] === '\r' && text[headerEnd + 1] !== '\n' ? '\r' : '\n';
  const rawHeader = text.slice(0, headerChars).replace(/\r$/, '');
  if (checkUtf8) {
    // An invalid sequence in the header line is reported as such, not as the header's garbled column names.
    const headerCheck = new Utf8Checker(newline.charCodeAt(0));
    if (!headerCheck.push(sample, size <= sample.length) && headerCheck.invalidLine === 1) {
      throw new EmpreinteError(
        issue('INP_ENCODING', { reason: `invalid ${encoding} byte sequence` }, { file, line: 1 }),
      );
    }
  }
  if (rawHeader.trim() === '') throw new EmpreinteError(issue('INP_FILE_EMPTY', {}, { file, line: 1 }));
  const delimiter = options.delimiter ?? chooseDelimiter(rawHeader, options.scoreHeader);
  const header = splitHeaderLine(rawHeader, delimiter);

  const spec: CsvPartSpec = { path, file, encoding, delimiter, newline, checkUtf8, start: 0 };
  const counters = { bytes: 0, problems: 0, blank: 0, held: false };
  const batches = (): AsyncGenerator<readonly TableRow[]> => readCsvPart(spec, counters);

  const rows: AsyncIterable<TableRow> = {
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };

  return {
    file,
    format: 'csv',
    encoding,
    delimiter,
    header,
    rawHeader,
    size,
    rows,
    newline,
    batches: { [Symbol.asyncIterator]: batches },
    bytesRead: () => counters.bytes,
    problems: () => counters.problems,
    blankLines: () => counters.blank,
    firstPart: (stopAt) => {
      const c = { bytes: 0, problems: 0, blank: 0, held: false };
      return {
        batches: { [Symbol.asyncIterator]: () => readCsvPart({ ...spec, stopAt }, c) },
        bytesRead: () => c.bytes,
        blankLines: () => c.blank,
        held: () => c.held,
      };
    },
  };
}

/**
 * Records of a CSV file from `spec.start`, in batches (one per chunk read), counted into `c`. Chunks are read on the
 * file's 256 KiB grid whatever the start (a part's first chunk ends at the next multiple of the chunk size), so that an
 * encoding error stops a part after the same records as it stops the whole file; with `stopAt`, the chunk holding it
 * is checked whole before the records up to it are split (the same reason).
 */
export async function* readCsvPart(spec: CsvPartSpec, c: CsvPartCounters): AsyncGenerator<readonly TableRow[]> {
  const { path, file, encoding, delimiter, newline, checkUtf8, start, stopAt } = spec;
  c.bytes = 0;
  c.problems = 0;
  c.blank = 0;
  c.held = false;
  const decoder = textDecoder(encoding);
  const checker = checkUtf8 ? new Utf8Checker(newline.charCodeAt(0)) : undefined;
  if (checker && spec.resume) checker.skipLines(spec.resume.line - 1);
  const splitter = new CsvRecordSplitter(delimiter, newline, spec.resume, BATCH_CHARS);
  let first = start === 0;
  const take = (): TableRow[] => {
    const recs = splitter.out.splice(0, splitter.out.length);
    c.blank = splitter.blank;
    if (first && recs.length > 0) {
      first = false;
      recs.shift(); // the header, already read from the sample (blank lines cannot precede it: it is line 1)
    }
    for (const r of recs) if (r.problem !== undefined) c.problems++;
    return recs as TableRow[];
  };
  const encodingError = (line: number | undefined) =>
    new EmpreinteError(
      issue('INP_ENCODING', { reason: `invalid ${encoding} byte sequence` }, { file, line: line ?? undefined }),
    );
  // Text is decoded up to the last line end of the bytes read (the rest waits for the next chunk): the splitter then
  // gets whole lines and starts each chunk's text on its own, where joining its unfinished last line to the next
  // chunk's text made a string of two parts that the first search had to copy into one, ~20 % of the splitting time
  // (issue 11). A line-end byte is never part of a multi-byte UTF-8 sequence: the text decoded is the same.
  // One buffer for the whole read: the bytes after the last line end (`work[from, to)`, less than a chunk: they follow
  // a line end of the part they came from) are moved to its start and the next chunk is read right after them, so the
  // bytes to decode are always one region of it, without a copy of each chunk nor a new buffer per chunk (each cost
  // 1–2 % of the second part's thread, issue 11). The decoders keep no reference to the bytes they are given (a UTF-8
  // sequence cut by the end of a region is copied by `StringDecoder`), so the buffer can be reused.
  const nlByte = newline.charCodeAt(0);
  const work = Buffer.alloc(2 * CHUNK_BYTES);
  let from = 0; // the first byte not decoded yet
  let to = 0; // the end of the bytes read
  /** The text of `work[from, end)` up to its last line end (all of it when it has none); `from` moves past it. */
  const decodeLines = (end: number): string => {
    const region = work.subarray(from, end);
    const last = region.lastIndexOf(nlByte);
    if (last === -1) {
      // No line end (a line longer than a chunk): everything goes to the splitter, as it comes.
      from = end;
      return decoder.write(region);
    }
    from += last + 1;
    return decoder.write(region.subarray(0, last + 1));
  };
  /**
   * Where the next text given to `decodeLines` ends, for the bytes up to `end`: `end` itself when the lines it would
   * decode fit in `DECODE_BYTES` (or there is no line end), else the end of the last line that fits (of the first
   * line, when it is longer); the lines of `work[from, end)` are then decoded in pieces, the same text in the same order.
   */
  const pieceEnd = (end: number): number => {
    if (end - from <= DECODE_BYTES) return end;
    const last = work.lastIndexOf(nlByte, end - 1);
    if (last < from || last + 1 - from <= DECODE_BYTES) return end;
    const cut = work.lastIndexOf(nlByte, from + DECODE_BYTES - 1);
    if (cut >= from) return cut + 1;
    return work.indexOf(nlByte, from + DECODE_BYTES) + 1; // a line end at or before `last`
  };
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    let at = start;
    let bom = start === 0;
    for (;;) {
      if (from > 0) {
        work.copyWithin(0, from, to);
        to -= from;
        from = 0;
      }
      const want = CHUNK_BYTES - (at % CHUNK_BYTES);
      const { bytesRead } = await fh.read(work, to, want, at);
      if (bytesRead === 0) break;
      // The checker copies what it keeps of the chunk (a sequence across chunks).
      if (checker && !checker.push(work.subarray(to, to + bytesRead))) throw encodingError(checker.invalidLine);
      const cut = stopAt !== undefined && stopAt > at && stopAt < at + bytesRead ? stopAt - at : bytesRead;
      const ends = cut < bytesRead ? [to + cut, to + bytesRead] : [to + bytesRead];
      let partStart = to;
      to += bytesRead;
      for (let p = 0; p < ends.length; p++) {
        const end = ends[p]!;
        c.bytes += end - partStart;
        partStart = end;
        let upTo: number;
        do {
          upTo = pieceEnd(end);
          let s = decodeLines(upTo);
          if (bom) {
            if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
            bom = false;
          }
          splitter.push(s);
          for (;;) {
            const paused = splitter.isPaused();
            const rows = take();
            if (rows.length) yield rows;
            if (!paused) break;
            splitter.resume();
          }
        } while (upTo < end);
        if (start + c.bytes === stopAt && from === end && splitter.drained()) {
          c.held = true;
          return;
        }
      }
      at += bytesRead;
    }
    if (checker && !checker.push(Buffer.alloc(0), true)) throw encodingError(checker.invalidLine);
    if (from < to) {
      // The last line, without a line end.
      let s = decoder.write(work.subarray(from, to));
      from = to;
      if (bom && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      splitter.push(s);
    }
    const tail = decoder.end();
    if (tail) splitter.push(tail);
    splitter.end();
    const rows = take();
    if (rows.length) yield rows;
  } catch (e) {
    if (e instanceof UnterminatedQuote) {
      throw new EmpreinteError(issue('INP_BAD_CSV', { reason: e.message }, { file, line: e.line }));
    }
    if (e instanceof EmpreinteError) throw e;
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  } finally {
    await fh?.close();
  }
}

/** Index of the first line end (LF or CR) of `text`, −1 when none. */
function lineEndIndex(text: string): number {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1) return lf;
  return lf === -1 ? cr : Math.min(lf, cr);
}

export function isProblemRow(r: TableRow): r is CsvProblemRow {
  return (r as CsvProblemRow).problem !== undefined;
}
