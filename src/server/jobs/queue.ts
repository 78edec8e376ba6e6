/**
 * The job queue port. On SQLite (the default, one process) the in-process runner executes handlers in this process;
 * on PostgreSQL pg-boss 10 stores the jobs so several `empreinte worker` processes can share them. Handlers are
 * registered once per name with a zod schema: payloads are parsed on receipt (they may come from older code), and a
 * handler must be idempotent (at-least-once delivery on pg-boss).
 */
import type { z } from 'zod';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** What a handler knows about the delivery it runs. */
export interface JobContext {
  /** The queue's id of the job (the id `enqueue` returned). */
  readonly id: string;
  /** Aborted when the worker stops or the job outlives its expiry: the handler stops at its next step and throws. */
  readonly signal: AbortSignal;
  /** 1 for the first delivery, 2 for the first retry… */
  readonly attempt: number;
  /** True when no retry follows a failure of this attempt. */
  readonly lastAttempt: boolean;
  /** Which process runs it (`host:pid`), for logs and the audit. */
  readonly worker: string;
}

export interface JobHandler<P> {
  readonly schema: z.ZodType<P>;
  run(payload: P, job: JobContext): Promise<void>;
  /**
   * Called (at least once) when the queue gives up on a job without a handler having seen its last failure: its
   * worker died or hung on the last attempt and the job expired. Optional; must be idempotent.
   */
  abandoned?(payload: P, reason: string): Promise<void>;
}

export interface EnqueueOptions {
  /** At most one pending job per key (pg-boss singletonKey): a second enqueue with a pending key answers null. */
  readonly key?: string;
  /** The job's id (a UUID); default: a new one. */
  readonly id?: string;
}

export interface JobQueue {
  register<P>(name: string, handler: JobHandler<P>): void;
  /**
   * Starts the queue (after every handler is registered) and, unless `work` is false, consumes its jobs. A process
   * that only enqueues (`serve --no-worker`) starts with `work: false`.
   */
  start(options?: { readonly work?: boolean }): Promise<void>;
  /** The new job's id, or null when a job with the same key is already pending. */
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<string | null>;
  status(name: string, id: string): Promise<JobStatus | undefined>;
  /** Stops taking jobs; with `graceful`, waits for running ones (pg-boss re-queues what it could not finish). */
  stop(options?: { readonly graceful?: boolean; readonly timeoutMs?: number }): Promise<void>;
}

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`no handler registered for job ${name}`);
    this.name = 'UnknownJobError';
  }
}
