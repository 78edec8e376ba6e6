/**
 * The pipeline's public types (`src/inventory/pipeline.ts` re-exports them): sources, options, the sink that receives
 * validated items, and the per-file reports.
 */
import type { Readable } from 'node:stream';
import type { Issue } from '../../issues/catalogue.js';
import type { TextEncoding } from '../../formats/encoding.js';
import type { TempFiles } from '../../formats/temp-files.js';
import type { TableInfo } from '../../formats/table.js';
import type { ValidationMode } from '../columns.js';
import type { HeaderStyle } from '../detect.js';
import type {
  Application,
  Datacenter,
  Entity,
  InventoryKind,
  MessagingRow,
  NonItItem,
  PhysicalEquipment,
  VirtualEquipment,
} from '../model.js';
import type { ReaderSet } from '../readers.js';
import type { SplitSettings, StartSecondPart } from './part.js';

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

/** A value or its promise: sink callbacks may be synchronous (no promise per row). */
export type Maybe<T> = T | Promise<T>;

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
  /**
   * The results the worker of a second part (`ProcessOptions.secondPart`) computed for a batch's accepted rows, taken
   * in order: `accept` for a row accepted by the main pass (in place of the item's callback), `skip` for a row the
   * main pass found to be a duplicate.
   */
  partResults?(results: unknown): PartItems;
  /** A refused line with its errors. */
  rejected?(line: RejectedLine): Maybe<void>;
  /**
   * A file (table) is finished. When `report.status` is 'failed' the items already streamed from it belong to a
   * rejected file and must be discarded by the consumer (the run is unusable: the CLI exits 2).
   */
  fileDone?(report: FileReport): Maybe<void>;
}

/** The results of one batch of a second part, in row order (see `InventorySink.partResults`). */
export interface PartItems {
  accept(): Maybe<void>;
  skip(): void;
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
  /** File or folder to read; with `stream`, the name shown in reports and messages (its extension picks the reader). */
  readonly path: string;
  /** Mapping of this source's tables; overrides `ProcessOptions.mapTable` (undefined: the run's). */
  readonly mapTable?: MapTable;
  /**
   * Entity (`nomEntite`) of this source's items that name none (physical and virtual equipment, applications,
   * datacenters, non-IT items, messaging rows); items naming one keep theirs.
   */
  readonly entity?: string;
  /**
   * The file's content itself (e.g. a server upload) instead of reading `path`: copied once to a temporary file of
   * the run (removed at its end), then read like a file, with the same limits.
   */
  readonly stream?: Readable;
}

export interface ProcessOptions {
  /** Table readers of the run (default: `tableReaders()`, CSV/TSV, XLSX, ODS). */
  readonly readers?: ReaderSet;
  /** Folder where stream sources are copied before being read (default: the system's temporary folder). */
  readonly spoolDir?: string;
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
  /** Registry of the run's temporary files (rejects files being written, stream copies), removed on SIGINT/SIGTERM. */
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
  /**
   * Reads the second part of a large table in a worker (`part.ts`: where it applies). Absent: every table is read in
   * this thread. The sink's `partResults` then takes the worker's results of the accepted rows.
   */
  readonly secondPart?: StartSecondPart;
  /** Where a table is split (tests; default `SPLIT_MIN_BYTES` and `SPLIT_FRACTION` of part.ts). */
  readonly split?: SplitSettings;
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
