/**
 * Messages between the main thread and the worker of a comparison's later campaign (`compare-worker.ts`): the worker
 * sends campaign `after` done (`after`: its summary and its items as the inventory diff's records), the main thread
 * sends campaign `before`'s compact side once its own campaign is done (`before`), the worker sends the two sides
 * joined (`joined`: the decomposition and the ranges). Or a failure in place of any of them.
 */
import type { ChangeInput } from '../../steering/lmdi.js';
import type { AssessInput } from '../assess.js';
import type { CompactSideData } from '../steering/compact.js';
import type { JoinedSides } from '../steering/compare.js';
import type { DiffRecords } from '../steering/diff.js';
import type { AssessSummary } from '../sink.js';
import type { WorkerFailure } from './worker-module.js';

/** What the worker is started with. */
export interface CompareSideInit {
  /** The later campaign's input (sources named by path: no stream, no mapping hook). */
  readonly input: AssessInput;
  /** `deps.today()` of the run. */
  readonly today: string;
  /** The natural keys' mode of the inventory diff (the earlier campaign's). */
  readonly strict: boolean;
}

/** A run's slot layout as data: its steps, criteria and their units. */
export interface LayoutData {
  readonly steps: readonly string[];
  readonly criteria: readonly string[];
  readonly units: readonly string[];
}

/** Campaign `after` done in the worker (its compact side stays there). */
export interface CompareAfter {
  readonly referentialHash: string;
  readonly summary: AssessSummary;
  readonly records: DiffRecords;
}

/** Campaign `before` done on the main thread: what the worker joins with its own side. */
export interface CompareBefore {
  readonly side: CompactSideData;
  readonly layout: LayoutData;
  readonly originalBefore: ChangeInput['originalBefore'];
}

export type CompareSideMessage =
  | { readonly type: 'after'; readonly after: CompareAfter }
  | { readonly type: 'joined'; readonly joined: JoinedSides }
  | WorkerFailure;
