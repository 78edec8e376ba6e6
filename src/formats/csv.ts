/**
 * Streaming CSV source (methodology §2.1): encoding and delimiter detected on the first bytes, rows yielded one by one
 * with their physical line numbers. Malformed records (a stray quote) become problem rows instead of stopping the file;
 * an unterminated quote at the end of the file is a file error.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { decoderFor, detectEncoding, looksBinary, type TextEncoding } from './encoding.js';
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

/** A row the CSV layer could not split into fields. */
export interface CsvProblemRow extends TableRow {
  readonly problem: string;
}

const SAMPLE_BYTES = 64 * 1024;

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

/** Open a CSV file as a `Table`. Throws `EmpreinteError` (file level) for unreadable, binary or empty files. */
export async function openCsv(path: string, options: CsvOptions = {}): Promise<Table & { problems: () => number }> {
  const file = options.displayName ?? basename(path);
  let sample: Uint8Array;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(SAMPLE_BYTES);
      const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
  if (looksBinary(sample)) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: 'it is a binary file, not CSV text' }, { file }));
  }
  const encoding = options.encoding ?? detectEncoding(sample);
  let text = decoderFor(encoding === 'utf-8' ? 'windows-1252' : encoding).decode(sample);
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') text = Buffer.from(sample).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  if (firstLine === '') throw new EmpreinteError(issue('INP_FILE_EMPTY', {}, { file, line: 1 }));
  const delimiter = options.delimiter ?? chooseDelimiter(firstLine, options.scoreHeader);
  const header = splitHeaderLine(firstLine, delimiter);
  let problems = 0;

  async function* rows(): AsyncGenerator<TableRow> {
    const decoder = decoderFor(encoding);
    const source = createReadStream(path, { highWaterMark: 256 * 1024 });
    const skipped: CsvProblemRow[] = [];
    const parser = parse({
      delimiter,
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: false,
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        const line = Number((err as unknown as { lines?: number })?.lines ?? 0);
        skipped.push({ line, cells: [], raw: raw ?? '', problem: err?.message ?? 'malformed CSV record' });
      },
    });
    // Decode bytes to text ourselves (Windows-1252, strict UTF-8) and feed the parser.
    const feed = (async () => {
      try {
        for await (const chunk of source) {
          const s = decoder.decode(chunk as Buffer, { stream: true });
          if (!parser.write(s)) await new Promise((r) => parser.once('drain', r));
        }
        const tail = decoder.decode();
        if (tail) parser.write(tail);
        parser.end();
      } catch (e) {
        const reason =
          e instanceof TypeError ? `invalid ${encoding} byte sequence (use --encoding to force one)` : (e as Error).message;
        parser.destroy(
          new EmpreinteError(
            issue(e instanceof TypeError ? 'INP_ENCODING' : 'INP_FILE_UNREADABLE', { reason }, { file }),
          ),
        );
      }
    })();
    let first = true;
    try {
      for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
        while (skipped.length) {
          problems++;
          yield skipped.shift()!;
        }
        if (first) {
          first = false; // header already read from the sample
          continue;
        }
        // info.lines is the record's last physical line; count back the newlines inside quoted fields.
        const raw = rec.raw.replace(/\r?\n$/, '');
        let extra = 0;
        for (let i = raw.indexOf('\n'); i !== -1; i = raw.indexOf('\n', i + 1)) extra++;
        yield { line: rec.info.lines - extra, cells: rec.record, raw };
      }
      while (skipped.length) {
        problems++;
        yield skipped.shift()!;
      }
    } catch (e) {
      if (e instanceof EmpreinteError) throw e;
      const err = e as CsvError & { lines?: number };
      throw new EmpreinteError(
        issue('INP_BAD_CSV', { reason: err.message }, { file, line: typeof err.lines === 'number' ? err.lines : undefined }),
      );
    } finally {
      source.destroy();
      await feed.catch(() => undefined);
    }
  }

  return { file, format: 'csv', encoding, delimiter, header, rows: rows(), problems: () => problems };
}

export function isProblemRow(r: TableRow): r is CsvProblemRow {
  return (r as CsvProblemRow).problem !== undefined;
}
