/**
 * The job queue port. On SQLite (the default, one process) the in-process runner executes handlers in this process;
 * on PostgreSQL pg-boss 10 stores the jobs so several `empreinte worker` processes can share them. Handlers are
 * registered once per name with a zod schema: payloads are parsed on receipt (they may come from older code), and a
 * handler must be idempotent (at-least-once delivery on pg-boss).
 */
import type { z } from 'zod';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobHandler<P> {
  readonly schema: z.ZodType<P>;
  run(payload: P, signal: AbortSignal): Promise<void>;
}

export interface EnqueueOptions {
  /** At most one pending job per key (pg-boss singletonKey): a second enqueue with a pending key answers null. */
  readonly key?: string;
}

export interface JobQueue {
  register<P>(name: string, handler: JobHandler<P>): void;
  /** Starts consuming (after every handler is registered). */
  start(): Promise<void>;
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
