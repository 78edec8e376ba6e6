/** Messages between the main thread and a part's worker (`part-worker.ts`, `second-part.ts`). */
import type { RunContext } from '../../engine/index.js';
import type { PackedTotals } from '../../engine/totals-transfer.js';
import type { PartBatch, PartEnd, PartSpec } from '../../inventory/pipeline/part.js';
import type { Issue } from '../../issues/catalogue.js';
import type { ReferentialOptions } from '../load-referential.js';
import type { RenderedRows, RowsSpec } from '../sinks/part-rows.js';

/** What the worker is started with: it loads the run's referential at once, before its part is known. */
export interface PartInit {
  readonly referential: ReferentialOptions;
}

/** The worker's part, its first message from the main thread (the others acknowledge batches: `PartTaken`). */
export interface PartStart {
  readonly type: 'part';
  readonly spec: PartSpec;
  /** The hash of the main thread's referential: the worker's must be the same. */
  readonly referentialHash: string;
  readonly ctx: RunContext;
  /** The sink's rows, rendered by the worker for each accepted item (`AssessSink.partRows`); absent: totals only. */
  readonly rows?: RowsSpec;
}

/** Bytes of batches the main thread has taken. */
export interface PartTaken {
  readonly type: 'taken';
  readonly bytes: number;
}

export type PartMessage =
  | { readonly type: 'batch'; readonly batch: PartBatch; readonly bytes: number }
  | { readonly type: 'end'; readonly end: PartEnd }
  | { readonly type: 'error'; readonly issue: Issue }
  | { readonly type: 'crash'; readonly message: string };

/** The results of a batch's accepted rows: packed for the totals, and their rows when the worker renders the sink's. */
export interface PartResults {
  readonly totals: PackedTotals;
  readonly rows?: RenderedRows;
}

/** The batch's results as the worker packs them. */
export function resultsOf(b: PartBatch): PartResults {
  return b.results as PartResults;
}

/** The typed arrays' buffers of a batch, moved to the main thread instead of copied. */
export function batchTransfer(b: PartBatch): ArrayBuffer[] {
  const { totals: p, rows } = resultsOf(b);
  const arrays = [b.lines, b.verdicts, b.keys, b.rawEnds, b.rawPieceEnds, p.ints, p.nums, p.nameEnds];
  if (rows !== undefined) arrays.push(...('bytes' in rows ? [rows.bytes, rows.ends] : [rows.ends]));
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** About the memory a batch holds once received (its arrays and its raw text). */
export function batchBytes(b: PartBatch): number {
  const { totals: p, rows } = resultsOf(b);
  return (
    (rows === undefined ? 0 : ('bytes' in rows ? rows.bytes.byteLength : 0) + rows.ends.byteLength) +
    b.lines.byteLength +
    b.verdicts.byteLength +
    b.keys.byteLength +
    b.rawEnds.byteLength +
    b.rawPieceEnds.byteLength +
    2 * (b.rawEnds.length > 0 ? b.rawEnds[b.rawEnds.length - 1]! : 0) +
    p.ints.byteLength +
    p.nums.byteLength +
    2 * p.names.length +
    p.nameEnds.byteLength
  );
}
