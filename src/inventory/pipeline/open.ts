/**
 * Read step: expand the sources into files, open every table, and choose how its columns are read — a mapping (the
 * source's, else the run's) or the kind detected from its header. File-level failures end in the reports; nothing is
 * streamed yet.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import type { CsvTable } from '../../formats/csv.js';
import type { TextEncoding } from '../../formats/encoding.js';
import { isOsError, osReason } from '../../formats/os-error.js';
import type { Table } from '../../formats/table.js';
import type { ValidationMode } from '../columns.js';
import { detectKind, headerStyle, scoreHeader } from '../detect.js';
import { expandInputs, type InputEntry, type ReaderSet, type TableReaderOptions } from '../readers.js';
import { newReport, type IssueLog, type Report } from './report.js';
import type { StreamSpool } from './spool.js';
import { OpenedTable, type TableOrigin } from './table.js';
import type { InputSource, MapTable, TableMapping } from './types.js';

export interface OpenSettings {
  readonly readers: ReaderSet;
  readonly mode: ValidationMode;
  readonly encoding?: TextEncoding;
  /** The run's mapping, for sources without their own. */
  readonly mapTable?: MapTable;
  /** Where stream sources are copied before being read. */
  readonly spool: StreamSpool;
}

/** The run's files once opened. */
export interface OpenedInventory {
  /** A report per table (or per file that could not be opened), in input order. */
  readonly reports: readonly Report[];
  /** The tables that will be read, in input order. */
  readonly tables: readonly OpenedTable[];
  /** Path of each file by index (`OpenedTable.fileIdx`). */
  readonly paths: readonly string[];
}

/** A file of a source, with that source's settings. */
interface SourceFile extends InputEntry {
  readonly mapTable?: MapTable;
  readonly entity?: string;
  /** The file to read when it is not `path` (a stream source's copy). */
  readonly readPath?: string;
}

async function expandSources(inputs: readonly (string | InputSource)[], settings: OpenSettings): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const input of inputs) {
    const source: InputSource = typeof input === 'string' ? { path: input } : input;
    const mapTable = source.mapTable ?? settings.mapTable;
    const entity = source.entity;
    const entries = source.stream ? [await spoolStream(source.path, source.stream, settings.spool)] : undefined;
    for (const entry of entries ?? (await expandInputs([source.path], settings.readers))) {
      files.push({ ...entry, ...(mapTable ? { mapTable } : {}), ...(entity !== undefined ? { entity } : {}) });
    }
  }
  return files;
}

/** A stream source copied to a temporary file, or the reason it could not be read (a file error). */
async function spoolStream(path: string, stream: Readable, spool: StreamSpool): Promise<SourceFile> {
  try {
    return { path, readPath: await spool.write(stream) };
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    return { path, error: issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file: path }) };
  }
}

export async function openInventory(
  inputs: readonly (string | InputSource)[],
  settings: OpenSettings,
  log: IssueLog,
): Promise<OpenedInventory> {
  const files = await expandSources(inputs, settings);
  const reports: Report[] = [];
  const tables: OpenedTable[] = [];
  for (let fileIdx = 0; fileIdx < files.length; fileIdx++) {
    const file = files[fileIdx];
    if (file === undefined) continue;
    const { path, error, skipped } = file;
    if (error !== undefined) {
      const rep = newReport(path, path);
      log.fail(rep, error);
      reports.push(rep);
      continue;
    }
    if (skipped !== undefined) {
      const rep = newReport(path, path);
      log.record(rep, skipped); // an unreadable folder entry: a warning, the other files are processed
      reports.push(rep);
      continue;
    }
    const reader = settings.readers.readerFor(path);
    const readerOptions: TableReaderOptions = { displayName: path, encoding: settings.encoding, scoreHeader };
    const readPath = file.readPath ?? path;
    let opened: readonly Table[];
    let size = 0;
    try {
      size = (await stat(readPath)).size;
      const t = await reader(readPath, readerOptions);
      opened = Array.isArray(t) ? (t as readonly Table[]) : [t as Table];
    } catch (e) {
      if (!(e instanceof EmpreinteError) && !isOsError(e)) throw e;
      const rep = newReport(path, path);
      if (e instanceof EmpreinteError) log.fail(rep, e.issue);
      // An OS error opening the file: a warning for a folder entry (the other files are read), else a file error.
      else if (file.inFolder) log.record(rep, issue('INP_ENTRY_SKIPPED', { reason: osReason(e) }, { file: path }));
      else log.fail(rep, issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file: path }));
      reports.push(rep);
      continue;
    }
    for (let tableIdx = 0; tableIdx < opened.length; tableIdx++) {
      const table = opened[tableIdx];
      if (table === undefined) continue;
      const origin: TableOrigin = { path, readPath, fileIdx, reader, readerOptions, tableIdx };
      const tableSize = (table as Partial<CsvTable>).size ?? size / opened.length;
      const rep = newReport(path, table.file);
      reports.push(rep);
      const t = await prepareTable(table, origin, tableSize, rep, file, settings.mode, log);
      if (t) tables.push(t);
    }
  }
  return { reports, tables, paths: files.map((f) => f.path) };
}

/** Chooses how a table's columns are read; undefined when the table fails (its report says why). */
async function prepareTable(
  table: Table,
  origin: TableOrigin,
  size: number,
  rep: Report,
  file: SourceFile,
  mode: ValidationMode,
  log: IssueLog,
): Promise<OpenedTable | undefined> {
  rep.format = table.format;
  rep.encoding = table.encoding;
  rep.delimiter = table.delimiter;
  if (table.sheet !== undefined) rep.sheet = table.sheet;
  let mapping: TableMapping | undefined;
  try {
    mapping = file.mapTable ? await file.mapTable(table) : undefined;
  } catch (e) {
    if (!(e instanceof EmpreinteError)) throw e;
    log.fail(rep, e.issue); // e.g. INP_HEADER_MISSING: the mapping names a column this table lacks
    return undefined;
  }
  if (mapping) {
    rep.kind = mapping.kind;
    rep.headerStyle = `mapping:${mapping.name}`;
    return new OpenedTable(origin, table, mapping.kind, { via: 'mapping', mapping }, size, rep, file.entity);
  }
  const det = detectKind(table.header, { mode, file: table.file });
  if (det.kind) rep.kind = det.kind;
  if (!det.ok) {
    log.fail(rep, det.error);
    return undefined;
  }
  rep.headerStyle = headerStyle(det.kind, det.display);
  for (const w of det.warnings) log.record(rep, w);
  return new OpenedTable(origin, table, det.kind, { via: 'header', resolution: det }, size, rep, file.entity);
}
