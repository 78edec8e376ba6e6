/**
 * A large physical-equipment CSV table read in two parts (issue 11: the second core). The main pass reads the records
 * before a split byte (`firstPart`) as usual while a worker (the caller's: `ProcessOptions.secondPart`) reads, parses
 * and checks the records after it (`judgePart`, below) and sends them back in batches, in file order. The main pass
 * then takes the second part's rows in order (`takePart`): the duplicate check against every key met so far, the
 * rejects, the counts and the sink, exactly as for the rows it read itself; so the run's output does not depend on
 * the split.
 *
 * Where it applies (`splitPlan`, the one predicate): lenient mode, a run of one table, physical equipment read from a
 * CSV file of `SPLIT_MIN_BYTES` or more with its own header (no mapping, no quote in the header line), LF or CRLF line
 * ends, no index pre-pass of the table. Everything else, and runs whose caller gives no `secondPart`, keep the
 * one-thread path.
 *
 * The split byte is the first line end after `SPLIT_FRACTION` of the file. It is a record boundary unless a quoted
 * field runs over it: the first part then reads on to the end of the file (`CsvTable.firstPart`) and the worker is
 * stopped. The worker parses its rows with a fresh number-reading state: when the first part met a decimal comma
 * (which settles `1,234` later on), the second part is read again in this thread from the split byte instead.
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { issue, type Issue } from '../../issues/catalogue.js';
import { CsvRecordSplitter, readCsvPart, type CsvPart, type CsvPartSpec, type CsvTable } from '../../formats/csv.js';
import type { TableRow } from '../../formats/table.js';
import type { HeaderResolution } from '../detect.js';
import { KeyIndex } from '../key-index.js';
import type { InventoryKind, PhysicalEquipment } from '../model.js';
import { physicalKeySuffix } from './natural-key.js';
import { rowContext, rowParser, structuralIssue, type ParseRow } from './parse.js';
import { ReferenceIndex, referencedKinds } from './references.js';
import { newReport } from './report.js';
import { batchedTable, OpenedTable } from './table.js';
import type { ProcessOptions } from './types.js';

/** Tables from this size on are read in two parts (16 MiB: about 180,000 physical-equipment lines). */
export const SPLIT_MIN_BYTES = 16 * 1024 * 1024;
/**
 * Share of the file read by the main thread. The worker packs its results, but the main thread must also take them
 * (the duplicate check and the aggregator: about a quarter of the cost of reading them itself); the worker is started
 * ahead (`maySplit`), so its start overlaps the main thread's. Balanced from the CPU time of each thread (main thread
 * ≈ worker + the main thread's start before the worker's): about two fifths are the main thread's own
 * (docs/benchmarks.md, "Issue 11, the second core", "Issue 11, the hand-over" and "Issue 11, the main thread's share
 * of the 1M split summary": 0.42 once the taking got cheaper).
 */
export const SPLIT_FRACTION = 0.42;
/** Where tables are split: from which size, at which share of the file (the defaults above; tests set others). */
export interface SplitSettings {
  readonly minBytes?: number;
  readonly fraction?: number;
}

/** Rows per batch sent by the worker. */
const PART_BATCH_ROWS = 2048;
/**
 * Characters from which a piece of a batch's raw text is closed. A batch's text in one string (≈ 200,000 characters)
 * lands in V8's large-object space (objects over 128 KiB), whose allocation, on the worker's join and on the main
 * thread's copy of the message, costs about three times as much per character as pieces of regular size
 * (docs/benchmarks.md, "Issue 11, … (branch `h11-sum6`)"). 32,768 one-byte or two-byte characters plus one usual line
 * stay below that size.
 */
export const RAW_PIECE_CHARS = 32 * 1024;

/** What the worker needs to read, parse and check the second part (structured-clonable). */
export interface PartSpec {
  readonly csv: CsvPartSpec;
  readonly kind: InventoryKind;
  readonly report: { readonly path: string; readonly file: string };
  readonly fileIdx: number;
  readonly header: readonly string[];
  readonly columns: Pick<HeaderResolution, 'kind' | 'columns' | 'display'>;
  readonly entity: string | undefined;
  readonly options: Pick<ProcessOptions, 'referenceDate' | 'periodStart' | 'profile' | 'knownTypeNames'>;
}

/** Verdicts of the second part's rows. */
export const ROW_OK = 0;
export const ROW_REJECTED = 1;
export const ROW_REFERENCE = 2;

/** A batch of the second part's rows, column by column (typed arrays transferred, not copied). */
export interface PartBatch {
  /** Bytes of the part read so far. */
  readonly bytes: number;
  readonly lines: Int32Array;
  /** ROW_OK (its key, then its results), ROW_REJECTED (its own errors), ROW_REFERENCE (a reference that does not resolve). */
  readonly verdicts: Uint8Array;
  /** The natural key's fingerprint of rows ROW_OK and ROW_REFERENCE (two words per row). */
  readonly keys: Uint32Array;
  /**
   * Raw text of the rows, one after the other, in pieces of whole rows (`RAW_PIECE_CHARS`); where each row ends in the
   * batch's text (the pieces put end to end), and the row after the last of each piece (`rawOf` reads them).
   */
  readonly raws: readonly string[];
  readonly rawEnds: Int32Array;
  readonly rawPieceEnds: Int32Array;
  /** Row index → the row's warnings (ROW_OK) or errors (ROW_REJECTED, ROW_REFERENCE). */
  readonly issues: Map<number, readonly Issue[]>;
  /** Row index → its cells, for the rejected rows (ROW_REJECTED, ROW_REFERENCE). */
  readonly cells: Map<number, readonly string[]>;
  /** The caller's results of the ROW_OK rows, in order (opaque here). */
  readonly results: unknown;
}

/** The end of the second part. */
export interface PartEnd {
  readonly bytes: number;
  readonly blank: number;
}

/** The second part as the worker sends it: batches, then its end or the file error that stopped it. */
export interface SecondPart {
  /** The line at the split byte (counted by the worker), once known. */
  readonly batches: AsyncIterable<PartBatch>;
  /** Blank lines and bytes once the batches are all taken. */
  end(): PartEnd;
  /** Stops the worker (whatever its state); idempotent. */
  close(): Promise<void>;
}

/** Starts the worker of a second part (`ProcessOptions.secondPart`). */
export type StartSecondPart = (spec: PartSpec) => SecondPart;

/** The split of a table: where, and the first part's iteration. */
export interface SplitPlan {
  readonly stopAt: number;
  readonly spec: PartSpec;
  readonly first: CsvPart;
  readonly csv: CsvTable;
}

/**
 * Whether a run of `inputs` may read a table in two parts: what `splitPlan` needs that is known before any file is
 * opened (lenient mode, one input file named by its path and read without a mapping of its own, not a workbook, of
 * the split's size or more). A cheap look (one `stat`), so that the caller can start the second part's worker
 * ahead (issue 11: its start then overlaps the main thread's), and stop it when no split comes (`splitPlan` decides).
 */
export async function maySplit(
  inputs: readonly { readonly path: string; readonly mapped: boolean }[],
  mode: string,
  split?: SplitSettings,
): Promise<boolean> {
  const input = inputs[0];
  if (mode !== 'lenient' || inputs.length !== 1 || input === undefined || input.mapped) return false;
  if (['xlsx', 'ods'].includes(extname(input.path).slice(1).toLowerCase())) return false;
  const s = await stat(input.path).catch(() => undefined);
  return s !== undefined && s.isFile() && s.size >= (split?.minBytes ?? SPLIT_MIN_BYTES);
}

/** The byte after the first line end at or after `from`, or undefined when there is none in the next 1 MiB. */
async function lineEndAfter(path: string, from: number): Promise<number | undefined> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    const i = buf.subarray(0, bytesRead).indexOf(10);
    return i === -1 ? undefined : from + i + 1;
  } finally {
    await fh.close();
  }
}

/**
 * Whether table `t` is read in two parts (the one predicate, see the module's comment), and where: undefined for the
 * one-thread path.
 */
export async function splitPlan(
  t: OpenedTable,
  tables: number,
  prepassed: boolean,
  options: ProcessOptions,
  mode: string,
): Promise<SplitPlan | undefined> {
  if (options.secondPart === undefined || mode !== 'lenient' || tables !== 1 || prepassed) return undefined;
  const minBytes = options.split?.minBytes ?? SPLIT_MIN_BYTES;
  if (t.kind !== 'physical-equipment' || t.columns.via !== 'header' || t.size < minBytes) return undefined;
  const csv = batchedTable(t.info);
  if (csv === undefined || csv.newline !== '\n' || csv.rawHeader.includes('"') || csv.size !== t.size) return undefined;
  const stopAt = await lineEndAfter(
    t.origin.readPath,
    Math.floor(t.size * (options.split?.fraction ?? SPLIT_FRACTION)),
  ).catch(() => undefined);
  if (stopAt === undefined || stopAt >= t.size) return undefined;
  const { resolution } = t.columns;
  const encoding = csv.encoding;
  const spec: PartSpec = {
    csv: {
      path: t.origin.readPath,
      file: csv.file,
      encoding,
      delimiter: csv.delimiter,
      newline: '\n',
      checkUtf8: encoding === 'utf-8-bom' || (encoding === 'utf-8' && options.encoding !== undefined),
      start: stopAt,
    },
    kind: t.kind,
    report: { path: t.report.path, file: t.report.file },
    fileIdx: t.fileIdx,
    header: csv.header,
    columns: { kind: resolution.kind, columns: resolution.columns, display: resolution.display },
    entity: t.entity,
    options: {
      ...(options.referenceDate !== undefined ? { referenceDate: options.referenceDate } : {}),
      ...(options.periodStart !== undefined ? { periodStart: options.periodStart } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.knownTypeNames !== undefined ? { knownTypeNames: options.knownTypeNames } : {}),
    },
  };
  return { stopAt, spec, first: csv.firstPart(stopAt), csv };
}

/** The physical line at byte `at` (just after a line end) of a file: 1 + the line ends before it. */
export async function lineAt(path: string, at: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let lines = 1;
    for (let pos = 0; pos < at;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, at - pos), pos);
      if (bytesRead === 0) break;
      const b = buf.subarray(0, bytesRead);
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
      pos += bytesRead;
    }
    return lines;
  } finally {
    await fh.close();
  }
}

/** The header's number of cells as the record splitter counts them (the header line has no quote: see splitPlan). */
function headerWidth(spec: PartSpec): number {
  return spec.header.length;
}

/** The table of the second part, as the worker sees it: the main pass's table, without its reader. */
function partTable(spec: PartSpec): OpenedTable {
  const csv = spec.csv;
  const info = {
    file: csv.file,
    format: 'csv' as const,
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    header: spec.header,
    rows: {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
    },
  };
  const origin = {
    path: spec.report.path,
    readPath: csv.path,
    fileIdx: spec.fileIdx,
    reader: () => Promise.reject(new Error('not re-opened')),
    readerOptions: { displayName: csv.file, scoreHeader: () => 0 },
    tableIdx: 0,
  };
  const resolution = { ...spec.columns, unknown: [], warnings: [], ok: true } as unknown as HeaderResolution;
  return new OpenedTable(
    origin,
    info,
    spec.kind,
    { via: 'header', resolution },
    0,
    newReport(spec.report.path, spec.report.file),
    spec.entity,
  );
}

/** The records of the second part (from the split byte to the end), with the line they start on. */
export async function partRecords(
  spec: PartSpec,
  line?: number,
): Promise<{
  rows: AsyncGenerator<readonly TableRow[]>;
  counters: { bytes: number; blank: number; problems: number; held: boolean };
}> {
  const counters = { bytes: 0, problems: 0, blank: 0, held: false };
  const at = line ?? (await lineAt(spec.csv.path, spec.csv.start));
  const rows = readCsvPart({ ...spec.csv, resume: { line: at, width: headerWidth(spec) } }, counters);
  return { rows, counters };
}

/**
 * The warnings of an accepted row and its reference error, as the main pass finds them (stream.ts): an empty model,
 * an unknown entity; a datacenter that does not resolve.
 */
export function rowChecks(
  t: OpenedTable,
  references: ReferenceIndex,
  item: import('../model.js').InventoryItem,
  warnings: readonly Issue[],
  line: number,
): { warnings: readonly Issue[]; error: Issue | undefined } {
  if (item.kind === 'physical-equipment' && item.item.model === undefined) {
    // §2.4: an empty modele is legal; the item resolves from its type.
    const at = { file: t.report.file, line, column: t.columnName('modele') };
    warnings = [...warnings, issue('INP_MODEL_EMPTY', { type: item.item.type }, at)];
  }
  const unknownEntity = references.unknownEntity(t, item, line);
  if (unknownEntity) warnings = [...warnings, unknownEntity];
  return { warnings, error: references.referenceError(t, item, line) };
}

/** Builds the batches of the second part: columns filled in place, copied to their exact length when taken. */
class BatchBuilder {
  private capacity = 4096;
  private lines = new Int32Array(this.capacity);
  private verdicts = new Uint8Array(this.capacity);
  private keys = new Uint32Array(2 * this.capacity);
  private rawEnds = new Int32Array(this.capacity);
  private rawLength = 0;
  /** The current piece's rows (their raw texts) and its characters; the pieces closed and the row after each. */
  private piece: string[] = [];
  private pieceChars = 0;
  private raws: string[] = [];
  private pieceEnds: number[] = [];
  private issues = new Map<number, readonly Issue[]>();
  private cells = new Map<number, readonly string[]>();
  size = 0;

  private grow(): void {
    this.capacity *= 2;
    const lines = new Int32Array(this.capacity);
    lines.set(this.lines);
    this.lines = lines;
    const verdicts = new Uint8Array(this.capacity);
    verdicts.set(this.verdicts);
    this.verdicts = verdicts;
    const keys = new Uint32Array(2 * this.capacity);
    keys.set(this.keys);
    this.keys = keys;
    const rawEnds = new Int32Array(this.capacity);
    rawEnds.set(this.rawEnds);
    this.rawEnds = rawEnds;
  }

  add(row: TableRow, verdict: number, issues: readonly Issue[] | undefined, ka = 0, kb = 0): void {
    const i = this.size++;
    if (i === this.capacity) this.grow();
    this.lines[i] = row.line;
    this.verdicts[i] = verdict;
    this.keys[2 * i] = ka;
    this.keys[2 * i + 1] = kb;
    const raw = row.raw ?? '';
    this.piece.push(raw);
    this.rawEnds[i] = this.rawLength += raw.length;
    if ((this.pieceChars += raw.length) >= RAW_PIECE_CHARS) this.closePiece();
    if (issues !== undefined && issues.length > 0) this.issues.set(i, issues);
    if (verdict !== ROW_OK) this.cells.set(i, row.cells);
  }

  /** The current piece joined into one string (the rows up to the last added). */
  private closePiece(): void {
    this.raws.push(this.piece.join(''));
    this.pieceEnds.push(this.size);
    this.piece = [];
    this.pieceChars = 0;
  }

  take(bytes: number, results: unknown): PartBatch {
    const n = this.size;
    if (this.piece.length > 0) this.closePiece();
    const b: PartBatch = {
      bytes,
      lines: this.lines.slice(0, n),
      verdicts: this.verdicts.slice(0, n),
      keys: this.keys.slice(0, 2 * n),
      raws: this.raws,
      rawEnds: this.rawEnds.slice(0, n),
      rawPieceEnds: Int32Array.from(this.pieceEnds),
      issues: this.issues,
      cells: this.cells,
      results,
    };
    this.size = 0;
    this.rawLength = 0;
    this.raws = [];
    this.pieceEnds = [];
    this.issues = new Map();
    this.cells = new Map();
    return b;
  }
}

/**
 * The worker's side: reads the second part, parses and checks each row as the main pass does (structure, parse,
 * warnings, references of a one-table run), gives each accepted item to `accept` (the caller computes its results)
 * and yields the batches (`results()` then gives the results of the batch's accepted rows).
 */
export async function* judgePart(
  spec: PartSpec,
  options: Pick<ProcessOptions, 'isKnownType' | 'isKnownLocation'>,
  accept: (item: PhysicalEquipment) => void,
  results: () => unknown,
): AsyncGenerator<PartBatch, PartEnd> {
  const t = partTable(spec);
  const parse: ParseRow = rowParser(t, rowContext(t, 'lenient', { ...spec.options, ...options }));
  const references = new ReferenceIndex(referencedKinds([t]), undefined);
  const keys = new KeyIndex(16);
  const fp = new Uint32Array(2);
  const { rows, counters } = await partRecords(spec);
  const b = new BatchBuilder();
  try {
    for await (const batch of rows) {
      for (const row of batch) {
        const structural = structuralIssue(t, row);
        if (structural) {
          b.add(row, ROW_REJECTED, [structural]);
          continue;
        }
        const res = parse(row);
        if (!res.ok) {
          b.add(row, ROW_REJECTED, res.errors);
          continue;
        }
        const item = res.item;
        if (item.kind !== 'physical-equipment') throw new Error(`second part of a ${item.kind} table`);
        keys.fingerprint(item.item.name, physicalKeySuffix(item.item, 'lenient'), fp, 0);
        const { warnings, error } = rowChecks(t, references, item, res.warnings, row.line);
        if (error) {
          b.add(row, ROW_REFERENCE, [error], fp[0], fp[1]);
          continue;
        }
        b.add(row, ROW_OK, warnings, fp[0], fp[1]);
        accept(item.item);
      }
      if (b.size >= PART_BATCH_ROWS) yield b.take(counters.bytes, results());
    }
  } catch (e) {
    // A file error: the rows read before it are taken first, as the one-thread path takes them.
    if (b.size > 0) yield b.take(counters.bytes, results());
    throw e;
  }
  if (b.size > 0) yield b.take(counters.bytes, results());
  return { bytes: counters.bytes, blank: counters.blank };
}

/** The raw text of row `i` of a batch: a slice of its piece (a few pieces per batch, scanned in order). */
export function rawOf(b: PartBatch, i: number): string {
  const ends = b.rawPieceEnds;
  let p = 0;
  while (p < ends.length - 1 && ends[p]! <= i) p++;
  // The piece's first row, and where its text starts in the batch's.
  const first = p === 0 ? 0 : ends[p - 1]!;
  const base = first === 0 ? 0 : b.rawEnds[first - 1]!;
  return b.raws[p]!.slice((i === 0 ? 0 : b.rawEnds[i - 1]!) - base, b.rawEnds[i]! - base);
}

/** The cells of a raw record (a row of the second part found to be a duplicate by the main pass). */
export function cellsOf(raw: string, delimiter: string): string[] {
  const s = new CsvRecordSplitter(delimiter);
  s.push(raw);
  s.end();
  return s.out[0]?.cells ?? [];
}
