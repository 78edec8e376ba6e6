/**
 * The state one run shares between its steps, built once by `processInventory` and passed to each: nothing of it
 * lives at module level, so two runs never share it.
 */
import type { ValidationMode } from '../columns.js';
import type { LinePositions } from './natural-key.js';
import type { ReadProgress } from './progress.js';
import type { IssueLog } from './report.js';
import type { StrictKeys } from './strict-keys.js';
import type { InventorySink, ProcessOptions } from './types.js';

export interface RunState {
  readonly mode: ValidationMode;
  readonly options: ProcessOptions;
  readonly sink: InventorySink;
  readonly log: IssueLog;
  readonly progress: ReadProgress;
  readonly positions: LinePositions;
  /** Strict mode: the raw keys counted by the key pass (undefined in lenient mode). */
  readonly strict: StrictKeys | undefined;
  /** More rejected lines than this in one table fail it. */
  readonly maxRejected: number;
  /** Names of the rejects files written by the run (no two tables share one). */
  readonly rejectsNames: Set<string>;
}
