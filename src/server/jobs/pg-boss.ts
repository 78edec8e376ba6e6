/**
 * pg-boss 10 behind the JobQueue port (PostgreSQL mode). Jobs live in PostgreSQL (schema `pgboss` by default), so any
 * process connected to the same database may run them. pg-boss does the retries and the expiry: a job still active
 * `expireSeconds` after it started (its worker was killed, or hangs) is failed by pg-boss's maintenance, run by every
 * started process, and retried after `retryDelaySeconds` (with backoff) until `retryLimit` retries are spent; then it
 * ends `failed` and a copy goes to the queue's dead-letter queue `<name>.dead`, whose handler calls the job handler's
 * `abandoned` (the worker that died could not record its failure itself).
 *
 * Each job gets an AbortSignal, aborted when it outlives its expiry (pg-boss has already given it back to the queue)
 * or when the process stops and the job did not finish within the stop timeout.
 */
import PgBoss from 'pg-boss';
import { formatIssue, issue } from '../../issues/catalogue.js';
import { UnknownJobError, type EnqueueOptions, type JobHandler, type JobQueue, type JobStatus } from './queue.js';

const STATE: Readonly<Record<string, JobStatus>> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'done',
  cancelled: 'failed',
  failed: 'failed',
};

/** Queue settings (applied to the shared queue row by every process that starts: keep them equal everywhere). */
export interface PgBossSettings {
  readonly expireSeconds: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  /** Seconds between polls for new jobs (pg-boss minimum 0.5). */
  readonly pollSeconds: number;
  readonly maintenanceSeconds: number;
  /** Jobs this process runs at once. */
  readonly concurrency: number;
}

export const DEFAULT_PG_BOSS_SETTINGS: PgBossSettings = {
  expireSeconds: 900,
  retryLimit: 2,
  retryDelaySeconds: 30,
  retryBackoff: true,
  pollSeconds: 2,
  maintenanceSeconds: 60,
  concurrency: 1,
};

export interface PgBossOptions extends Partial<PgBossSettings> {
  readonly url: string;
  readonly schema?: string;
  /** This process's name in job contexts (`host:pid`). */
  readonly worker?: string;
  readonly onError?: (e: unknown) => void;
}

const deadLetter = (name: string) => `${name}.dead`;

export class PgBossQueue implements JobQueue {
  readonly #boss: PgBoss;
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  readonly #settings: PgBossSettings;
  readonly #worker: string;
  /** Running jobs' abort controllers, aborted when the stop timeout passes. */
  readonly #running = new Set<AbortController>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #started = false;

  constructor(options: PgBossOptions) {
    this.#settings = { ...DEFAULT_PG_BOSS_SETTINGS, ...options };
    this.#worker = options.worker ?? 'worker';
    this.#boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema ?? 'pgboss',
      max: 4,
      maintenanceIntervalSeconds: this.#settings.maintenanceSeconds,
    });
    this.#boss.on('error', (e) => options.onError?.(e));
  }

  register<P>(name: string, handler: JobHandler<P>): void {
    if (this.#started) throw new Error('register every handler before start()');
    if (this.#handlers.has(name)) throw new Error(`job ${name} has two handlers`);
    this.#handlers.set(name, handler as JobHandler<unknown>);
  }

  /** Starts pg-boss (creating or migrating its schema), sets up the queues and, with `work`, their workers. */
  async start(options: { readonly work?: boolean } = {}): Promise<void> {
    const s = this.#settings;
    await this.#boss.start();
    for (const [name, h] of this.#handlers) {
      const queue = {
        retryLimit: s.retryLimit,
        retryDelay: s.retryDelaySeconds,
        retryBackoff: s.retryBackoff,
        expireInSeconds: s.expireSeconds,
        deadLetter: deadLetter(name),
      };
      await this.#ensureQueue(deadLetter(name), { retryLimit: s.retryLimit, retryDelay: s.retryDelaySeconds });
      await this.#ensureQueue(name, queue);
      if (options.work === false) continue;
      const work = { pollingIntervalSeconds: s.pollSeconds, batchSize: 1, includeMetadata: true as const };
      for (let i = 0; i < s.concurrency; i++) {
        await this.#boss.work<unknown>(name, work, async ([job]: PgBoss.JobWithMetadata<unknown>[]) => {
          if (job !== undefined) await this.#track(this.#runOne(h, job));
        });
      }
      if (h.abandoned !== undefined) {
        const abandoned = h.abandoned.bind(h);
        await this.#boss.work<unknown>(deadLetter(name), work, async ([job]: PgBoss.JobWithMetadata<unknown>[]) => {
          if (job !== undefined) {
            const reason = reasonOf(job.output);
            // pg-boss's own words for an expiry: "job failed by timeout in active state".
            const coded = /by timeout/.test(reason)
              ? formatIssue(issue('JOB_EXPIRED', { seconds: s.expireSeconds }))
              : reason;
            await this.#track(abandoned(h.schema.parse(job.data), coded));
          }
        });
      }
    }
    this.#started = true;
  }

  /** createQueue leaves an existing queue as it is: update it so changed settings apply. */
  async #ensureQueue(name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
    await this.#boss.createQueue(name, { name, ...options });
    await this.#boss.updateQueue(name, { name, ...options });
  }

  async #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    try {
      return await p;
    } finally {
      this.#inFlight.delete(p);
    }
  }

  async #runOne(h: JobHandler<unknown>, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const controller = new AbortController();
    this.#running.add(controller);
    // pg-boss stops waiting for the handler at the job's expiry and fails it (then retries it elsewhere): stop too.
    const expired = new Error(formatIssue(issue('JOB_EXPIRED', { seconds: job.expireInSeconds })));
    const expiry = setTimeout(() => controller.abort(expired), job.expireInSeconds * 1000);
    expiry.unref();
    try {
      await h.run(h.schema.parse(job.data), {
        id: job.id,
        signal: controller.signal,
        attempt: job.retryCount + 1,
        lastAttempt: job.retryCount >= job.retryLimit,
        worker: this.#worker,
      });
    } finally {
      clearTimeout(expiry);
      this.#running.delete(controller);
    }
  }

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
    const h = this.#handlers.get(name);
    if (h === undefined) throw new UnknownJobError(name);
    const data = h.schema.parse(payload) as object;
    return this.#boss.send(name, data, {
      ...(options.key !== undefined ? { singletonKey: options.key } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
    });
  }

  async status(name: string, id: string): Promise<JobStatus | undefined> {
    const j = await this.#boss.getJobById(name, id, { includeArchive: true });
    return j === null ? undefined : STATE[j.state];
  }

  /**
   * Stops taking jobs. With `graceful` (default), running jobs have `timeoutMs` to finish; then their signal is aborted
   * and pg-boss fails them ("shut down while active"), which gives them back to the queue for a retry.
   */
  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const graceful = options.graceful ?? true;
    const timeout = options.timeoutMs ?? 30_000;
    const abortAll = () => {
      for (const c of this.#running) c.abort(new Error(formatIssue(issue('JOB_INTERRUPTED'))));
    };
    if (!graceful) abortAll();
    const timer = setTimeout(abortAll, Math.max(0, timeout - 500));
    try {
      await this.#boss.stop({ graceful, wait: true, timeout });
    } finally {
      clearTimeout(timer);
    }
    abortAll();
    // Handlers end quickly once aborted (they check the signal between steps); wait so none writes after the store
    // is closed.
    await Promise.allSettled([...this.#inFlight]);
  }
}

function reasonOf(output: unknown): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null | undefined;
  const m = o?.message ?? o?.value?.message;
  return typeof m === 'string' ? m : JSON.stringify(output ?? null);
}
