/** What the server's use cases need; built once by the composition root (src/server/compose.ts) or by tests. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/open.js';
import type { JobQueue } from '../jobs/queue.js';
import type { OidcClient, OidcPolicy } from './oidc.js';
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
  /** OpenID Connect sign-in, when configured (OIDC_* variables); absent: local accounts and tokens only. */
  readonly oidc?: { readonly client: OidcClient; readonly policy: OidcPolicy };
  /** Result rows an assessment writes per batch (default 1000): what it holds in memory at most. */
  readonly resultBatchRows?: number;
  /**
   * Items per chunk of an assessment (default 500,000): a larger campaign is split in chunks, each a job of the queue
   * that any worker takes (src/server/usecases/assessments.ts).
   */
  readonly chunkItems?: number;
  /** Structured log of the jobs (pino in `serve` and `worker`); nothing is logged without it. */
  readonly log?: JobLog;
  /** Seams for tests (a delay after each batch makes an assessment slow enough to kill mid-way). */
  readonly jobHooks?: JobHooks;
  /** Loaded campaigns and comparisons kept for the steering routes (bounded LRU; absent: nothing kept). */
  readonly steering?: SteeringCaches;
}

export interface JobLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface JobHooks {
  /** After each batch of result rows is written; `rows`: rows written so far by the attempt. */
  afterBatch?(info: { readonly jobId: string; readonly rows: number }): Promise<void>;
  /** Loaded campaigns and comparisons kept for the steering routes (bounded LRU; absent: nothing kept). */
  readonly steering?: SteeringCaches;
}

export const systemClock: Clock = { nowIso: () => new Date().toISOString(), nowMs: () => Date.now() };
export const randomIds = (): string => randomUUID();
