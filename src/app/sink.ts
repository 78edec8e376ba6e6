/**
 * What an assessment hands to its consumer, in order: `begin` with the run's metadata, then each item with its
 * indicator rows, then the totals and the per-file reports, then `close` (or `abort` when the run fails). `progress`
 * and `notice` carry what a person watching the run is told (progress bar, warnings, rejected lines): the CLI adds
 * them for the terminal, a server would forward them. One implementation per output format lives in `sinks/`; a new
 * output is one file there.
 */
import type { IndicatorRow, RunMeta, Totals } from '../engine/index.js';
import type { Layout } from '../engine/layout.js';
import type { ItemResult } from '../engine/result.js';
import type { Issue } from '../issues/catalogue.js';
import type { RowsSpec } from './sinks/part-rows.js';

type Maybe<T> = T | Promise<T>;

/** One input file (table) of the run, as the outputs report it (`inventory` of the JSON document). */
export interface InventoryFileSummary {
  readonly file: string;
  readonly kind?: string;
  readonly format?: string;
  readonly encoding?: string;
  readonly read: number;
  readonly imported: number;
  readonly rejected: number;
  readonly warnings: number;
  readonly rejectsFile?: string;
}

/** The end of a run: totals and per-file reports. */
export interface AssessSummary {
  readonly meta: RunMeta;
  readonly totals: Totals;
  readonly inventory: readonly InventoryFileSummary[];
}

/** What a person watching the run is told, beside the data output. */
export type AssessNotice =
  /** Rows of the user's referentials ignored (severity R), all of them: the reader chooses how many to show. */
  | { readonly type: 'referential-rows-ignored'; readonly issues: readonly Issue[] }
  /** A file-level error other than the first (the first is thrown as `EmpreinteError`). */
  | { readonly type: 'file-error'; readonly issue: Issue }
  /** A folder entry skipped (`INP_ENTRY_SKIPPED`). */
  | { readonly type: 'entry-skipped'; readonly issue: Issue }
  /** Lines rejected: their count, the rejects folder when one was given, the first errors of each file. */
  | {
      readonly type: 'lines-rejected';
      readonly rejected: number;
      readonly rejectsDir?: string;
      readonly samples: readonly Issue[];
    };

/** What a person watching a run (assess or validate) is told: progress and notices. */
export interface RunObserver {
  /** Bytes read so far over all passes and the total (called at most after each batch of rows). */
  progress?(done: number, total: number): void;
  /** Reading is over (e.g. to clear a progress bar). */
  progressEnd?(): void;
  notice?(n: AssessNotice): void;
}

export interface AssessSink extends RunObserver {
  /** Whether the sink wants per-item indicator rows; false: no row is built (summaries). */
  readonly rows: boolean;
  /**
   * How much of each row's trace the sink writes: `formula` (its formula text alone, in the row's `formula`: the trace
   * is not built) or `full` (the default: the row's `trace`). Ignored when the run asks for no trace, and `full` is
   * used when traces are rewritten (`hideLicensed`).
   */
  readonly traceDetail?: 'formula' | 'full';
  /**
   * The run's metadata, before any item, and the slot layout of the item results (criteria × steps, with their units:
   * the wide layouts' columns). Writers keep them until they write their first bytes.
   */
  begin(meta: RunMeta, layout?: Layout): Maybe<void>;
  /**
   * One item: its result and its indicator rows (built lazily as the iterable is walked, traces included unless the
   * run says otherwise). Called only when `rows` is true.
   */
  item?(result: ItemResult, rows: Iterable<IndicatorRow>): Maybe<void>;
  /**
   * Rows a worker thread may render for this sink (issue 11: the second part of a large table, `src/app/parallel/`):
   * `spec` says how (structured-clonable; the worker makes its writer with `partRowWriter`), `write` takes the bytes
   * the worker rendered for one item, in the item's place, instead of `item`. Absent: every item goes through `item`.
   * A sink wrapping another one that filters or rewrites its items must not pass it on.
   */
  readonly partRows?: PartRows;
  /** The totals and the per-file reports, after the last item. */
  totals(summary: AssessSummary): Maybe<void>;
  /** The run succeeded: commit the output. */
  close(): Promise<void>;
  /** The run failed: discard the output. */
  abort(): Promise<void>;
}

/** See `AssessSink.partRows`. */
export interface PartRows {
  /**
   * How the worker renders the rows, given how much of each row's trace the run writes (`false`: none, `'formula'`:
   * the formula text alone, `true`: whole); undefined when it cannot (the items then all go through `item`). May make
   * the output's scratch file, and throw its `OUT_UNWRITABLE` (the sink is then aborted).
   */
  spec(trace: boolean | 'formula'): RowsSpec | undefined;
  /** The bytes of one item's rows: `bytes[start..end)`, as `item` would have written them. */
  write(bytes: Uint8Array, start: number, end: number): Maybe<void>;
  /** The same for bytes `[start, end)` of the spec's scratch file (`RowsSpec` `scratch`), when it has one. */
  spilled?(start: number, end: number): Maybe<void>;
}
