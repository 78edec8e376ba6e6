/** What the server's use cases need; built once by the composition root (src/server/compose.ts) or by tests. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/open.js';
import type { JobQueue } from '../jobs/queue.js';
import type { SteeringCaches } from './steering-load.js';

export interface Clock {
  nowIso(): string;
  nowMs(): number;
}
export interface UseCaseDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly uuid: () => string;
  /** Server secret: keys the CSRF tokens. From EMPREINTE_SESSION_SECRET or the data folder. */
  readonly serverSecret: string;
  readonly sessionTtlMs: number;
  /** The job queue (assessments); its handlers are registered by `registerJobs` (src/server/usecases/assessments.ts). */
  readonly jobs?: JobQueue;
  /** Loaded campaigns and comparisons kept for the steering routes (bounded LRU; absent: nothing kept). */
  readonly steering?: SteeringCaches;
}

export const systemClock: Clock = { nowIso: () => new Date().toISOString(), nowMs: () => Date.now() };
export const randomIds = (): string => randomUUID();
