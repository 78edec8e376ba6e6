/**
 * Inventory reading and validation pipeline (methodology §2, issue 4): files or folders → tables → kind detected from
 * each header → rows parsed and validated → items streamed to a sink in dependency order, with exact per-file
 * accounting (lines read = imported + rejected, asserted) and rejects files.
 *
 * Order (§2.11): entities, datacenters, then an INDEX pre-pass over virtual equipment and applications (only when the
 * sink asks for it, so the engine can build host/VM indexes before hosts arrive), then physical equipment, virtual
 * equipment, applications, non-IT items, messaging. References are checked against indexes of the lines already
 * accepted (never by rescanning): equipment → datacenter, VM → host, application → VM (or host), any row → entity.
 * A line rejected in a referenced file is absent from the index, so its dependants fail with the reference error.
 *
 * Natural-key duplicates: the first line that parses is kept, later ones are rejected with `INP_DUPLICATE_KEY` naming
 * it. The key is registered once the line parses, before its references are checked, so that the pre-pass and the
 * main pass agree; a duplicate of a line rejected for a dangling reference is therefore rejected too.
 *
 * Strict mode reproduces the G4IT loader (§2.11; `teamg4it/g4it` `CheckConstraintService` and its `load_reject`
 * fixture): a KEY pre-pass over every file reads the raw natural keys of every line (parsed or not) before anything is
 * streamed; every copy of a key met more than once is rejected (`INP_DUPLICATE_STRICT`), next to the line's own errors;
 * references are checked by name alone, case-insensitively, against the names present in the referenced files (lines
 * rejected for their own errors included) minus the names rejected as duplicates; an application must name its VM.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { fits, isProblemRow, type CsvTable } from '../formats/csv.js';
import type { TextEncoding } from '../formats/encoding.js';
import type { TempFiles } from '../formats/temp-files.js';
import { isOsError, osReason } from '../formats/os-error.js';
import type { Table, TableInfo, TableRow } from '../formats/table.js';
import { isAbsent } from './cells.js';
import { KIND_ORDER, columnSpec, type ValidationMode } from './columns.js';
import { detectKind, headerStyle, scoreHeader, type HeaderResolution, type HeaderStyle } from './detect.js';
import { KeyIndex } from './key-index.js';
import type {
  Application,
  Datacenter,
  Entity,
  InventoryItem,
  InventoryKind,
  MessagingRow,
  NonItItem,
  PhysicalEquipment,
  VirtualEquipment,
} from './model.js';
import { compileRowParser, parseRecord, type RowContext, type RowParser, type RowResult } from './parse-row.js';
import { expandInputs, tableReaders, type InputEntry, type ReaderSet, type TableReader } from './readers.js';
import { RejectsWriter, rejectsFileName } from './rejects.js';

/** Result of mapping one foreign row to canonical columns (see `TableMapping`). */
export interface MappedRecord {
  /** Cells keyed by canonical NumEcoEval column (aliases and native names accepted). */
  readonly record: Readonly<Record<string, string | undefined>>;
  /** Problems met while mapping (severity R rejects the line, W is kept as a warning). */
  readonly issues?: readonly Issue[];
}

/** A column mapping for a foreign export (GLPI, OCS, Intune…), provided by the mapping layer. */
export interface TableMapping {
  readonly kind: InventoryKind;
  /** Name shown in the report (e.g. `glpi-computers`). */
  readonly name: string;
  map(cells: readonly string[], line: number): MappedRecord;
  /** Source column feeding a canonical column, to name it in issues. */
  sourceColumn?(canonical: string): string | undefined;
}

/** Chooses a mapping for a table from its header; undefined = read it as a NumEcoEval/G4IT/native file. */
export type MapTable = (table: TableInfo) => TableMapping | undefined | Promise<TableMapping | undefined>;

type Maybe<T> = T | Promise<T>;

/**
 * Receives validated items. Callbacks may be synchronous (fast path: no Promise per row) or return a promise, which
 * is then awaited. `warnings` are the line's kept warnings (a shared empty array when none).
 */
export interface InventorySink {
  entity?(item: Entity, warnings: readonly Issue[]): Maybe<void>;
  datacenter?(item: Datacenter, warnings: readonly Issue[]): Maybe<void>;
  /**
   * Pre-pass (only when defined): a physical equipment that will be accepted by the main pass (it parses, is not a
   * duplicate and its datacenter exists), before any is streamed — e.g. for statistics over the whole batch.
   */
  indexPhysical?(item: PhysicalEquipment): Maybe<void>;
  /** Pre-pass: a virtual equipment that parses and is not a duplicate (references not yet checked). */
  indexVirtual?(item: VirtualEquipment): Maybe<void>;
  /** Pre-pass: an application that parses and is not a duplicate (references not yet checked). */
  indexApplication?(item: Application): Maybe<void>;
  physical?(item: PhysicalEquipment, warnings: readonly Issue[]): Maybe<void>;
  virtual?(item: VirtualEquipment, warnings: readonly Issue[]): Maybe<void>;
  application?(item: Application, warnings: readonly Issue[]): Maybe<void>;
  nonIt?(item: NonItItem, warnings: readonly Issue[]): Maybe<void>;
  messaging?(item: MessagingRow, warnings: readonly Issue[]): Maybe<void>;
  /**
   * Every file is opened and its header read, before any item is streamed: the reports so far (file-level failures
   * included), e.g. to stop before writing anything.
   */
  opened?(reports: readonly FileReport[]): Maybe<void>;
  /** A refused line with its errors. */
  rejected?(line: RejectedLine): Maybe<void>;
  /**
   * A file (table) is finished. When `report.status` is 'failed' the items already streamed from it belong to a
   * rejected file and must be discarded by the consumer (the run is unusable: the CLI exits 2).
   */
  fileDone?(report: FileReport): Maybe<void>;
}

export interface RejectedLine {
  readonly file: string;
  readonly kind?: InventoryKind;
  readonly line: number;
  readonly raw?: string;
  readonly errors: readonly Issue[];
}

/**
 * One input of a run: a file or a folder, with its own mapping (the seam of per-file mappings: a GLPI export, a
 * Lansweeper export and a NumEcoEval folder in one run). A plain string is a source with the run's mapping.
 */
export interface InputSource {
  readonly path: string;
  /** Mapping of this source's tables; overrides `ProcessOptions.mapTable` (undefined: the run's). */
  readonly mapTable?: MapTable;
}

export interface ProcessOptions {
  /** Table readers of the run (default: `tableReaders()`, CSV/TSV, XLSX, ODS). */
  readonly readers?: ReaderSet;
  /** `lenient` (default) or `strict` (§2.1). */
  readonly mode?: ValidationMode;
  /** Reference date `yyyy-MM-dd` for future-date and age checks (the CLI passes `--date` or today). */
  readonly referenceDate?: string;
  /** Start of the period (default 1 January of the reference year). */
  readonly periodStart?: string;
  readonly profile?: 'rcp' | 'numecoeval';
  /** Force the text encoding of every file. */
  readonly encoding?: TextEncoding;
  /** Folder for `rejected_<file>.csv` files (none written when absent). */
  readonly rejectsDir?: string;
  /** Registry of the run's temporary files (rejects files being written), removed by the CLI on SIGINT/SIGTERM. */
  readonly tempFiles?: TempFiles;
  /** More rejected lines than this in one file reject the whole file (§2.1; default 50 000, G4IT uc3). */
  readonly maxRejectedLines?: number;
  /** Issues kept in memory per file (counts stay exact; default 1000). */
  readonly maxIssuesPerFile?: number;
  /** Called after each batch of rows with the bytes read so far over all passes and the total. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Column mapping hook for foreign exports (the mapping layer provides it; `--mapping`). */
  readonly mapTable?: MapTable;
  /** Referential checks (`INP_UNKNOWN_TYPE`, `INP_UNKNOWN_LOCATION`), when the caller has a referential. */
  readonly isKnownType?: (type: string) => boolean;
  /** The referential's type names, quoted in INP_UNKNOWN_TYPE messages. */
  readonly knownTypeNames?: string;
  readonly isKnownLocation?: (location: string) => boolean;
}

export interface FileReport {
  /** Path as given or found in a folder. */
  readonly path: string;
  /** Name used in messages. */
  readonly file: string;
  readonly sheet?: string;
  readonly kind?: InventoryKind;
  /** Container format: `csv`, `xlsx`, `ods`. */
  readonly format?: string;
  /** Header dialect: NumEcoEval, G4IT, native English, mixed, or `mapping:<name>`. */
  readonly headerStyle?: HeaderStyle | `mapping:${string}`;
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly status: 'ok' | 'failed';
  /** Data records read (problem rows included; blank lines excluded). */
  readonly read: number;
  readonly imported: number;
  readonly rejected: number;
  /** Warnings kept: header warnings and warnings of imported lines. */
  readonly warnings: number;
  /** Blank lines and all-empty records skipped. */
  readonly blankLines: number;
  /** Exact number of issues per code (errors of rejected lines, warnings, file error). */
  readonly issueCounts: Readonly<Record<string, number>>;
  /** The first `maxIssuesPerFile` issues, in file order. */
  readonly issues: readonly Issue[];
  readonly issuesTruncated: boolean;
  /** File-level error (status 'failed'). */
  readonly fileError?: Issue;
  readonly rejectsFile?: string;
}

export interface InventoryResult {
  readonly files: readonly FileReport[];
  /** True when no file failed. */
  readonly ok: boolean;
  readonly totals: {
    readonly read: number;
    readonly imported: number;
    readonly rejected: number;
    readonly warnings: number;
  };
}

const NO_WARNINGS: readonly Issue[] = Object.freeze([]);
const DEFAULT_MAX_REJECTED = 50_000;
const DEFAULT_MAX_ISSUES = 1000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Report = Mutable<FileReport> & { issueCounts: Record<string, number>; issues: Issue[] };

interface Prepared {
  readonly path: string;
  readonly fileIdx: number;
  readonly reader: TableReader;
  readonly tableIdx: number;
  table: Table;
  consumed: boolean;
  readonly kind: InventoryKind;
  readonly resolution?: HeaderResolution;
  readonly mapping?: TableMapping;
  readonly size: number;
  readonly report: Report;
}

class TooManyRejects extends Error {}

const KIND_LABEL: Readonly<Record<InventoryKind, string>> = {
  entity: 'entity',
  datacenter: 'datacenter',
  'physical-equipment': 'physical equipment',
  'virtual-equipment': 'virtual equipment',
  application: 'application',
  'non-it': 'non-IT item',
  messaging: 'messaging row',
};

function newReport(path: string, file: string): Report {
  return {
    path,
    file,
    status: 'ok',
    read: 0,
    imported: 0,
    rejected: 0,
    warnings: 0,
    blankLines: 0,
    issueCounts: {},
    issues: [],
    issuesTruncated: false,
  };
}

/**
 * Read, validate and stream an inventory. Never throws for bad input: file-level problems are reported per file
 * (`status: 'failed'`, `fileError`); only programming errors and sink exceptions propagate.
 */
export async function processInventory(
  inputs: readonly (string | InputSource)[],
  options: ProcessOptions = {},
  sink: InventorySink = {},
): Promise<InventoryResult> {
  const mode = options.mode ?? 'lenient';
  const maxRejected = options.maxRejectedLines ?? DEFAULT_MAX_REJECTED;
  const maxIssues = options.maxIssuesPerFile ?? DEFAULT_MAX_ISSUES;
  const reports: Report[] = [];
  const prepared: Prepared[] = [];

  const record = (rep: Report, i: Issue) => {
    rep.issueCounts[i.code] = (rep.issueCounts[i.code] ?? 0) + 1;
    if (i.severity === 'W') rep.warnings++;
    if (rep.issues.length < maxIssues) rep.issues.push(i);
    else rep.issuesTruncated = true;
  };
  const fail = (rep: Report, i: Issue) => {
    rep.status = 'failed';
    rep.fileError = i;
    record(rep, i);
  };

  // 1. Open every table and detect its kind from the header.
  const readers = options.readers ?? tableReaders();
  const expanded: (InputEntry & { readonly mapTable?: MapTable })[] = [];
  for (const input of inputs) {
    const source: InputSource = typeof input === 'string' ? { path: input } : input;
    const mapTable = source.mapTable ?? options.mapTable;
    for (const entry of await expandInputs([source.path], readers))
      expanded.push(mapTable ? { ...entry, mapTable } : entry);
  }
  for (let fileIdx = 0; fileIdx < expanded.length; fileIdx++) {
    const { path, error, skipped, mapTable } = expanded[fileIdx]!;
    if (error || skipped) {
      const rep = newReport(path, path);
      if (error) fail(rep, error);
      else record(rep, skipped!); // an unreadable folder entry: a warning, the other files are processed
      reports.push(rep);
      continue;
    }
    const reader = readers.readerFor(path);
    let tables: readonly Table[];
    let size = 0;
    try {
      size = (await stat(path)).size;
      const t = await reader(path, { displayName: path, encoding: options.encoding, scoreHeader });
      tables = Array.isArray(t) ? (t as readonly Table[]) : [t as Table];
    } catch (e) {
      if (!(e instanceof EmpreinteError) && !isOsError(e)) throw e;
      const rep = newReport(path, path);
      if (e instanceof EmpreinteError) fail(rep, e.issue);
      // An OS error opening the file: a warning for a folder entry (the other files are read), else a file error.
      else if (expanded[fileIdx]!.inFolder)
        record(rep, issue('INP_ENTRY_SKIPPED', { reason: osReason(e) }, { file: path }));
      else fail(rep, issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file: path }));
      reports.push(rep);
      continue;
    }
    for (let tableIdx = 0; tableIdx < tables.length; tableIdx++) {
      const table = tables[tableIdx]!;
      const rep = newReport(path, table.file);
      rep.format = table.format;
      rep.encoding = table.encoding;
      rep.delimiter = table.delimiter;
      if (table.sheet !== undefined) rep.sheet = table.sheet;
      reports.push(rep);
      const tableSize = (table as Partial<CsvTable>).size ?? size / tables.length;
      let mapping: TableMapping | undefined;
      try {
        mapping = mapTable ? await mapTable(table) : undefined;
      } catch (e) {
        if (!(e instanceof EmpreinteError)) throw e;
        fail(rep, e.issue); // e.g. INP_HEADER_MISSING: the mapping names a column this table lacks
        continue;
      }
      if (mapping) {
        rep.kind = mapping.kind;
        rep.headerStyle = `mapping:${mapping.name}`;
        prepared.push({
          path,
          fileIdx,
          reader,
          tableIdx,
          table,
          consumed: false,
          kind: mapping.kind,
          mapping,
          size: tableSize,
          report: rep,
        });
        continue;
      }
      const det = detectKind(table.header, { mode, file: table.file });
      if (det.kind) rep.kind = det.kind;
      if (!det.ok) {
        fail(rep, det.error);
        continue;
      }
      rep.headerStyle = headerStyle(det.kind, det.display);
      for (const w of det.warnings) record(rep, w);
      prepared.push({
        path,
        fileIdx,
        reader,
        tableIdx,
        table,
        consumed: false,
        kind: det.kind,
        resolution: det,
        size: tableSize,
        report: rep,
      });
    }
  }

  const opened = sink.opened?.(reports);
  if (opened) await opened;

  const byKind = (k: InventoryKind) => prepared.filter((p) => p.kind === k);
  const prepass = [
    // Physical equipment is pre-passed only for F3 statistics: useless when a file has no upstream-life column.
    ...(sink.indexPhysical
      ? byKind('physical-equipment').filter((p) => !p.resolution || p.resolution.columns.includes('dureeUsageAmont'))
      : []),
    ...(sink.indexVirtual ? byKind('virtual-equipment') : []),
    ...(sink.indexApplication ? byKind('application') : []),
  ];
  const totalBytes =
    prepared.reduce((s, p) => s + p.size, 0) * (mode === 'strict' ? 2 : 1) + prepass.reduce((s, p) => s + p.size, 0);
  let doneBytes = 0;

  // Reference indexes, built while streaming.
  const hasVm = byKind('virtual-equipment').length > 0;
  const hasApp = byKind('application').length > 0;
  const entities = byKind('entity').length > 0 ? new Set<string>() : undefined;
  const datacenters = new Set<string>();
  const hostsByName = hasVm || hasApp ? new KeyIndex(1 << 14) : undefined;
  const hostsByNameDs = hasVm ? new KeyIndex(1 << 14) : undefined;
  const vmsByName = hasApp ? new KeyIndex() : undefined;
  const vmsByNameHost = hasApp ? new KeyIndex() : undefined;
  const vmsByNameDs = hasApp ? new KeyIndex() : undefined;
  const duplicates = new Map<InventoryKind, KeyIndex>();
  const rejectNames = new Set<string>();

  /** The header name of a canonical column in a table (as the user wrote it), for `Issue.column`. */
  const colName = (p: Prepared, canonical: string): string => {
    if (p.mapping) return p.mapping.sourceColumn?.(canonical) ?? canonical;
    const i = p.resolution!.columns.indexOf(canonical);
    return i >= 0 ? p.resolution!.display[i]! : canonical;
  };

  const contextFor = (p: Prepared): RowContext => ({
    mode,
    file: p.report.file,
    referenceDate: options.referenceDate,
    periodStart: options.periodStart,
    profile: options.profile,
    numbers: { delimiter: p.table.delimiter },
    isKnownType: options.isKnownType,
    knownTypeNames: options.knownTypeNames,
    isKnownLocation: options.isKnownLocation,
  });

  /** A row parser for a prepared table (native header or mapping). */
  const parserFor = (p: Prepared, ctx: RowContext): ((row: TableRow) => RowResult) => {
    if (p.mapping) {
      const m = p.mapping;
      const display = m.sourceColumn ? (c: string) => m.sourceColumn!(c) : undefined;
      return (row) => {
        const mapped = m.map(row.cells, row.line);
        const mappingIssues = (mapped.issues ?? []).map((i) => ({
          ...i,
          file: i.file ?? ctx.file,
          line: i.line ?? row.line,
        }));
        const errors = mappingIssues.filter((i) => i.severity !== 'W');
        const res = parseRecord(p.kind, mapped.record, row.line, ctx, display);
        const warnings = [...mappingIssues.filter((i) => i.severity === 'W'), ...res.warnings];
        if (!res.ok || errors.length > 0) {
          return { ok: false, errors: [...errors, ...(res.ok ? [] : res.errors)], warnings };
        }
        return { ok: true, item: res.item, warnings: warnings.length ? warnings : NO_WARNINGS };
      };
    }
    const parse: RowParser = compileRowParser(p.kind, p.resolution!.columns, ctx, p.resolution!.display);
    return (row) => parse(row.cells, row.line);
  };

  /** Batches of rows of a prepared table; re-opens the table when it was already consumed and is not re-iterable. */
  async function* batchesOf(p: Prepared): AsyncGenerator<readonly TableRow[]> {
    let table = p.table;
    const csv = table as Partial<CsvTable>;
    if (p.consumed && !csv.batches) {
      const t = await p.reader(p.path, { displayName: p.path, encoding: options.encoding, scoreHeader });
      table = (Array.isArray(t) ? (t as readonly Table[])[p.tableIdx] : (t as Table)) ?? table;
    }
    p.consumed = true;
    const c = table as Partial<CsvTable>;
    if (c.batches) {
      let last = 0;
      for await (const b of c.batches) {
        const now = c.bytesRead!();
        doneBytes += now - last;
        last = now;
        yield b;
        options.onProgress?.(doneBytes, totalBytes);
      }
      p.report.blankLines = c.blankLines!();
      doneBytes += p.size - last;
    } else {
      let batch: TableRow[] = [];
      for await (const r of table.rows) {
        batch.push(r);
        if (batch.length >= 1024) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      doneBytes += p.size;
    }
    options.onProgress?.(doneBytes, totalBytes);
  }

  const dupIndex = (k: InventoryKind) => {
    let d = duplicates.get(k);
    if (!d) duplicates.set(k, (d = new KeyIndex(1 << 12)));
    return d;
  };

  /** Structural and row-level checks shared by both passes. */
  const checkStructure = (p: Prepared, row: TableRow): Issue | undefined => {
    const file = p.report.file;
    if (isProblemRow(row)) return issue('INP_BAD_RECORD', { reason: row.problem }, { file, line: row.line });
    const width = p.table.header.length;
    if (row.cells.length !== width && !fits(row.cells, width)) {
      return issue('INP_FIELD_COUNT', { expected: width, found: row.cells.length }, { file, line: row.line });
    }
    return undefined;
  };

  const duplicateOf = (p: Prepared, dups: KeyIndex, item: InventoryItem, line: number): Issue | undefined => {
    const nk = naturalKey(item, mode);
    const first = dups.addIfAbsent(nk.key, p.fileIdx * 2 ** 32 + line);
    if (first === undefined) return undefined;
    const firstFile = Math.floor(first / 2 ** 32);
    const firstLine = first % 2 ** 32;
    const where = firstFile === p.fileIdx ? String(firstLine) : `${expanded[firstFile]!.path}:${firstLine}`;
    return issue(
      'INP_DUPLICATE_KEY',
      { entity: KIND_LABEL[item.kind], key: nk.label, firstLine: where },
      { file: p.report.file, line, column: colName(p, nk.column) },
    );
  };

  // Strict mode (§2.11): raw keys counted over the whole batch, names present per referenced kind.
  const strictCounts = new Map<InventoryKind, KeyIndex>();
  const strictFirsts = new Map<InventoryKind, KeyIndex>();
  const strictSeconds = new Map<InventoryKind, KeyIndex>();
  const strictNames = new Map<InventoryKind, KeyIndex>();
  const indexOf = (m: Map<InventoryKind, KeyIndex>, k: InventoryKind) => {
    let d = m.get(k);
    if (!d) m.set(k, (d = new KeyIndex()));
    return d;
  };
  /** Position of a line in the batch, as stored in key indexes. */
  const position = (p: Prepared, line: number) => p.fileIdx * 2 ** 32 + line;
  const positionLabel = (p: Prepared, pos: number) => {
    const file = Math.floor(pos / 2 ** 32);
    const line = pos % 2 ** 32;
    return file === p.fileIdx ? String(line) : `${expanded[file]!.path}:${line}`;
  };

  /** Raw (trimmed, non-absent) cell values of a row by canonical column, for a native header or a mapping. */
  const rawGetter = (p: Prepared): ((row: TableRow) => (canonical: string) => string | undefined) => {
    const clean = (t: string | undefined) => {
      const v = t?.trim();
      return v === undefined || isAbsent(v) ? undefined : v;
    };
    if (p.mapping) {
      const m = p.mapping;
      return (row) => {
        const byCanonical = new Map<string, string | undefined>();
        for (const [k, v] of Object.entries(m.map(row.cells, row.line).record)) {
          const c = columnSpec(p.kind, k)?.canonical;
          if (c !== undefined && !byCanonical.has(c)) byCanonical.set(c, v);
        }
        return (c) => clean(byCanonical.get(c));
      };
    }
    const idx = new Map<string, number>();
    p.resolution!.columns.forEach((c, i) => {
      if (c !== undefined && !idx.has(c)) idx.set(c, i);
    });
    return (row) => (c) => {
      const i = idx.get(c);
      return i === undefined ? undefined : clean(row.cells[i]);
    };
  };

  /** Strict natural key from the raw cells (G4IT: names alone; applications by name, environment and VM). */
  const strictKey = (
    kind: InventoryKind,
    get: (canonical: string) => string | undefined,
  ): { key: string; label: string; column: string; name: string } | undefined => {
    const single = (column: string) => {
      const name = get(column);
      return name === undefined ? undefined : { key: name, label: name, column, name };
    };
    switch (kind) {
      case 'entity':
        return single('nomEntite');
      case 'datacenter':
        return single('nomCourtDatacenter');
      case 'physical-equipment':
        return single('nomEquipementPhysique');
      case 'virtual-equipment':
        return single('nomEquipementVirtuel');
      case 'non-it':
        return single('nomItemNonIT');
      case 'application': {
        const name = get('nomApplication');
        if (name === undefined) return undefined;
        const parts = [name, get('typeEnvironnement') ?? '', get('nomEquipementVirtuel') ?? ''];
        return { key: parts.join('\u0000'), label: parts.join(', '), column: 'nomApplication', name };
      }
      case 'messaging': {
        const month = get('MoisAnnee');
        if (month === undefined) return undefined;
        const entity = get('nomEntite') ?? '';
        return {
          key: `${entity}\u0000${month}`,
          label: `${entity || '(no entity)'} / ${month}`,
          column: 'MoisAnnee',
          name: month,
        };
      }
    }
  };

  /** Strict KEY pre-pass over every table, before the main pass. */
  const strictPrepass = async () => {
    for (const p of prepared) {
      if (p.report.status === 'failed') continue;
      const getter = rawGetter(p);
      const counts = indexOf(strictCounts, p.kind);
      const firsts = indexOf(strictFirsts, p.kind);
      const seconds = indexOf(strictSeconds, p.kind);
      const names = indexOf(strictNames, p.kind);
      try {
        for await (const batch of batchesOf(p)) {
          for (const row of batch) {
            if (checkStructure(p, row)) continue;
            const k = strictKey(p.kind, getter(row));
            if (!k) continue;
            const n = counts.increment(k.key);
            if (n === 1) firsts.addIfAbsent(k.key, position(p, row.line));
            else if (n === 2) seconds.addIfAbsent(k.key, position(p, row.line));
            names.addIfAbsent(k.name.toLowerCase(), 1);
          }
        }
      } catch (e) {
        if (!(e instanceof EmpreinteError)) throw e; // reported by the main pass
      }
    }
  };

  /** Strict duplicate of a row: its raw key appears more than once in the batch. */
  const strictDuplicate = (p: Prepared, row: TableRow, getter: ReturnType<typeof rawGetter>): Issue | undefined => {
    const k = strictKey(p.kind, getter(row));
    if (!k) return undefined;
    const count = strictCounts.get(p.kind)?.get(k.key) ?? 0;
    if (count <= 1) return undefined;
    const first = positionLabel(p, strictFirsts.get(p.kind)!.get(k.key)!);
    const second = positionLabel(p, strictSeconds.get(p.kind)!.get(k.key)!);
    const lines = `${first}, ${second}${count > 2 ? ', …' : ''}`;
    return issue(
      'INP_DUPLICATE_STRICT',
      { entity: KIND_LABEL[p.kind], key: k.label, count, lines },
      { file: p.report.file, line: row.line, column: colName(p, k.column) },
    );
  };

  /** Strict reference: the name is present in a file of that kind (any line) and is not a duplicated key. */
  const strictRef = (kind: InventoryKind, name: string): boolean =>
    (strictNames.get(kind)?.has(name.toLowerCase()) ?? false) && (strictCounts.get(kind)?.get(name) ?? 0) <= 1;

  /** Index pre-pass over physical equipment, virtual equipment and applications, for the sink's index callbacks present (after datacenters, before physical equipment). */
  const indexPrepass = async () => {
    const prepassDups = new Map<InventoryKind, KeyIndex>(); // per kind across files, as in the main pass
    for (const p of prepass) {
      if (p.report.status === 'failed') continue;
      const ctx = contextFor(p);
      const parse = parserFor(p, ctx);
      let dups = prepassDups.get(p.kind);
      if (!dups) prepassDups.set(p.kind, (dups = new KeyIndex()));
      const getter = rawGetter(p);
      try {
        for await (const batch of batchesOf(p)) {
          for (const row of batch) {
            if (checkStructure(p, row)) continue;
            const res = parse(row);
            if (!res.ok) continue;
            if (mode === 'strict' ? strictDuplicate(p, row, getter) : duplicateOf(p, dups, res.item, row.line))
              continue;
            if (res.item.kind === 'physical-equipment') {
              const dc = res.item.item.datacenter;
              if (dc !== undefined && !(mode === 'strict' ? strictRef('datacenter', dc) : datacenters.has(dc)))
                continue;
            }
            const r =
              res.item.kind === 'physical-equipment'
                ? sink.indexPhysical?.(res.item.item)
                : res.item.kind === 'virtual-equipment'
                  ? sink.indexVirtual?.(res.item.item)
                  : res.item.kind === 'application'
                    ? sink.indexApplication?.(res.item.item)
                    : undefined;
            if (r) await r;
          }
        }
      } catch (e) {
        if (!(e instanceof EmpreinteError)) throw e; // reported by the main pass
      }
    }
  };

  // 2. Main pass, in dependency order, with the index pre-pass before physical equipment.
  if (mode === 'strict') await strictPrepass();
  for (const kind of KIND_ORDER) {
    if (kind === 'physical-equipment') await indexPrepass();
    for (const p of byKind(kind)) {
      const rep = p.report;
      const ctx = contextFor(p);
      const parse = parserFor(p, ctx);
      const dups = dupIndex(kind);
      const getter = mode === 'strict' ? rawGetter(p) : undefined;
      const file = rep.file;
      let writer: RejectsWriter | undefined;
      const csv = p.table as Partial<CsvTable>;
      const rejectLine = async (row: TableRow, errors: readonly Issue[]) => {
        rep.rejected++;
        for (const e of errors) record(rep, e);
        if (options.rejectsDir) {
          writer ??= new RejectsWriter(
            {
              dir: options.rejectsDir,
              inputPath: p.path,
              sheet: p.table.sheet,
              delimiter: p.table.delimiter ?? ';',
              encoding: p.table.encoding as TextEncoding | undefined,
              rawHeader: csv.rawHeader,
              header: p.table.header,
              ...(options.tempFiles ? { temps: options.tempFiles } : {}),
            },
            join(options.rejectsDir, rejectsFileName(p.path, p.table.sheet, rejectNames)),
          );
          await writer.write(row.line, row.raw, row.cells, errors);
        }
        const r = sink.rejected?.({ file, kind, line: row.line, raw: row.raw, errors });
        if (r) await r;
        if (rep.rejected > maxRejected) throw new TooManyRejects();
      };
      try {
        for await (const batch of batchesOf(p)) {
          for (const row of batch) {
            rep.read++;
            const structural = checkStructure(p, row);
            if (structural) {
              await rejectLine(row, [structural]);
              continue;
            }
            const res = parse(row);
            if (getter) {
              // Strict: every copy of a duplicated key is rejected, next to the line's own errors (G4IT).
              const dup = strictDuplicate(p, row, getter);
              if (!res.ok || dup) {
                await rejectLine(row, [...(res.ok ? [] : res.errors), ...(dup ? [dup] : [])]);
                continue;
              }
            } else {
              if (!res.ok) {
                await rejectLine(row, res.errors);
                continue;
              }
              const dup = duplicateOf(p, dups, res.item, row.line);
              if (dup) {
                await rejectLine(row, [dup]);
                continue;
              }
            }
            let warnings = res.warnings;
            let errors: Issue[] | undefined;
            const item = res.item;
            if (item.kind === 'physical-equipment' && item.item.model === undefined) {
              // §2.4: an empty modele is legal; the item resolves from its type.
              warnings = [
                ...warnings,
                issue(
                  'INP_MODEL_EMPTY',
                  { type: item.item.type },
                  { file, line: row.line, column: colName(p, 'modele') },
                ),
              ];
            }
            // References (§2.11).
            const entity = (item.item as { entity?: string }).entity;
            if (entities && item.kind !== 'entity' && entity !== undefined && !entities.has(entity)) {
              warnings = [
                ...warnings,
                {
                  ...issue(
                    'INP_UNKNOWN_ENTITY',
                    { value: entity },
                    { file, line: row.line, column: colName(p, 'nomEntite') },
                  ),
                },
              ];
            }
            switch (item.kind) {
              case 'physical-equipment':
              case 'non-it': {
                const dc = item.item.datacenter;
                if (dc !== undefined && !(getter ? strictRef('datacenter', dc) : datacenters.has(dc))) {
                  (errors ??= []).push(
                    issue(
                      'INP_UNKNOWN_DATACENTER',
                      { name: dc },
                      { file, line: row.line, column: colName(p, 'nomCourtDatacenter') },
                    ),
                  );
                }
                break;
              }
              case 'virtual-equipment': {
                const vm = item.item;
                if (vm.host !== undefined && vm.infrastructure !== 'CLOUD_SERVICES') {
                  const found = getter
                    ? strictRef('physical-equipment', vm.host) // G4IT: the host's name alone
                    : vm.hostDataSource !== undefined
                      ? hostsByNameDs!.has(`${vm.host}\u0000${vm.hostDataSource}`)
                      : hostsByName!.has(vm.host);
                  if (!found) {
                    (errors ??= []).push(
                      issue(
                        'INP_UNKNOWN_HOST',
                        { host: vm.host, vm: vm.name },
                        { file, line: row.line, column: colName(p, 'nomEquipementPhysique') },
                      ),
                    );
                  }
                }
                break;
              }
              case 'application': {
                const app = item.item;
                if (getter) {
                  // G4IT: an application names its VM, matched by name alone.
                  if (app.vm === undefined) {
                    (errors ??= []).push(
                      issue(
                        'INP_REQUIRED',
                        { field: colName(p, 'nomEquipementVirtuel') },
                        { file, line: row.line, column: colName(p, 'nomEquipementVirtuel') },
                      ),
                    );
                  } else if (!strictRef('virtual-equipment', app.vm)) {
                    (errors ??= []).push(
                      issue(
                        'INP_UNKNOWN_VM',
                        { vm: app.vm, app: app.name },
                        { file, line: row.line, column: colName(p, 'nomEquipementVirtuel') },
                      ),
                    );
                  }
                } else if (app.vm !== undefined) {
                  const found =
                    app.host !== undefined
                      ? vmsByNameHost!.has(`${app.vm}\u0000${app.host}`)
                      : app.vmDataSource !== undefined
                        ? vmsByNameDs!.has(`${app.vm}\u0000${app.vmDataSource}`)
                        : vmsByName!.has(app.vm);
                  if (!found) {
                    (errors ??= []).push(
                      issue(
                        'INP_UNKNOWN_VM',
                        { vm: app.vm, app: app.name },
                        { file, line: row.line, column: colName(p, 'nomEquipementVirtuel') },
                      ),
                    );
                  }
                } else if (app.host !== undefined && !hostsByName?.has(app.host)) {
                  (errors ??= []).push(
                    issue(
                      'INP_UNKNOWN_APP_HOST',
                      { host: app.host, app: app.name },
                      { file, line: row.line, column: colName(p, 'nomEquipementPhysique') },
                    ),
                  );
                }
                break;
              }
              default:
                break;
            }
            if (errors !== undefined) {
              await rejectLine(row, errors);
              continue;
            }
            // Accepted: index it for dependants, count, stream.
            rep.imported++;
            for (const w of warnings) record(rep, w);
            let r: Maybe<void> | undefined;
            switch (item.kind) {
              case 'entity':
                entities?.add(item.item.name);
                r = sink.entity?.(item.item, warnings);
                break;
              case 'datacenter':
                datacenters.add(item.item.name);
                r = sink.datacenter?.(item.item, warnings);
                break;
              case 'physical-equipment': {
                const pe = item.item;
                hostsByName?.addIfAbsent(pe.name, 1);
                hostsByNameDs?.addIfAbsent(`${pe.name}\u0000${pe.dataSource ?? ''}`, 1);
                r = sink.physical?.(pe, warnings);
                break;
              }
              case 'virtual-equipment': {
                const vm = item.item;
                if (vmsByName) {
                  vmsByName.addIfAbsent(vm.name, 1);
                  if (vm.host !== undefined) vmsByNameHost!.addIfAbsent(`${vm.name}\u0000${vm.host}`, 1);
                  if (vm.dataSource !== undefined) vmsByNameDs!.addIfAbsent(`${vm.name}\u0000${vm.dataSource}`, 1);
                }
                r = sink.virtual?.(vm, warnings);
                break;
              }
              case 'application':
                r = sink.application?.(item.item, warnings);
                break;
              case 'non-it':
                r = sink.nonIt?.(item.item, warnings);
                break;
              case 'messaging':
                r = sink.messaging?.(item.item, warnings);
                break;
            }
            if (r) await r;
          }
        }
      } catch (e) {
        if (e instanceof TooManyRejects) {
          fail(rep, issue('INP_TOO_MANY_REJECTS', { max: maxRejected }, { file }));
        } else if (e instanceof EmpreinteError) {
          fail(rep, e.issue);
        } else {
          await writer?.discard();
          throw e;
        }
      }
      if (rep.read !== rep.imported + rep.rejected) {
        throw new Error(
          `invariant violated for ${file}: read ${rep.read} ≠ imported ${rep.imported} + rejected ${rep.rejected}`,
        );
      }
      const out = await writer?.finish();
      if (out) rep.rejectsFile = out;
      const r = sink.fileDone?.(rep);
      if (r) await r;
    }
  }
  for (const rep of reports) {
    if (rep.status === 'failed' && !prepared.some((p) => p.report === rep)) {
      const r = sink.fileDone?.(rep);
      if (r) await r;
    }
  }

  const totals = { read: 0, imported: 0, rejected: 0, warnings: 0 };
  for (const r of reports) {
    totals.read += r.read;
    totals.imported += r.imported;
    totals.rejected += r.rejected;
    totals.warnings += r.warnings;
  }
  return { files: reports, ok: reports.every((r) => r.status === 'ok'), totals };
}

/** Natural key of an item (§2.11), with a readable label and the column to name in the duplicate issue. */
export function naturalKey(item: InventoryItem, mode: ValidationMode): { key: string; label: string; column: string } {
  const S = '\u0000';
  switch (item.kind) {
    case 'entity':
      return { key: item.item.name, label: item.item.name, column: 'nomEntite' };
    case 'datacenter':
      return { key: item.item.name, label: item.item.name, column: 'nomCourtDatacenter' };
    case 'physical-equipment': {
      const { name, dataSource } = item.item;
      if (mode === 'strict' || dataSource === undefined)
        return { key: name, label: name, column: 'nomEquipementPhysique' };
      return { key: name + S + dataSource, label: `${name} / ${dataSource}`, column: 'nomEquipementPhysique' };
    }
    case 'virtual-equipment': {
      const { name, host, hostDataSource, infrastructure } = item.item;
      if (mode === 'strict' || infrastructure === 'CLOUD_SERVICES' || host === undefined) {
        return { key: name, label: name, column: 'nomEquipementVirtuel' };
      }
      const hostKey = hostDataSource === undefined ? host : host + S + hostDataSource;
      return {
        key: name + S + hostKey,
        label: [name, host, hostDataSource].filter((x) => x !== undefined).join(' / '),
        column: 'nomEquipementVirtuel',
      };
    }
    case 'application': {
      const { name, environment, vm, host, vmDataSource } = item.item;
      const parts = [name, environment, vm ?? '', host ?? '', vmDataSource ?? ''];
      return {
        key: parts.join(S),
        label: parts.filter((x) => x !== '').join(' / '),
        column: 'nomApplication',
      };
    }
    case 'non-it':
      return { key: item.item.name, label: item.item.name, column: 'nomItemNonIT' };
    case 'messaging': {
      const { entity, year, month } = item.item;
      const ym = `${String(month).padStart(2, '0')}${year}`;
      return { key: (entity ?? '') + S + ym, label: `${entity ?? '(no entity)'} / ${ym}`, column: 'MoisAnnee' };
    }
  }
}
