/**
 * pg-boss 10 behind the JobQueue port (PostgreSQL mode). Jobs live in PostgreSQL (schema `pgboss` by default), so any
 * process connected to the same database may run them; a job whose worker dies is retried after its expiry.
 */
import PgBoss from 'pg-boss';
import { UnknownJobError, type EnqueueOptions, type JobHandler, type JobQueue, type JobStatus } from './queue.js';

const STATE: Readonly<Record<string, JobStatus>> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'done',
  cancelled: 'failed',
  failed: 'failed',
};

export interface PgBossOptions {
  readonly url: string;
  readonly schema?: string;
  /** Seconds between polls for new jobs (pg-boss minimum 0.5). */
  readonly pollingIntervalSeconds?: number;
  readonly retryLimit?: number;
  readonly onError?: (e: unknown) => void;
}

export class PgBossQueue implements JobQueue {
  readonly #boss: PgBoss;
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  readonly #options: PgBossOptions;
  #started = false;

  constructor(options: PgBossOptions) {
    this.#options = options;
    this.#boss = new PgBoss({ connectionString: options.url, schema: options.schema ?? 'pgboss', max: 4 });
    this.#boss.on('error', (e) => options.onError?.(e));
  }

  register<P>(name: string, handler: JobHandler<P>): void {
    if (this.#started) throw new Error('register every handler before start()');
    if (this.#handlers.has(name)) throw new Error(`job ${name} has two handlers`);
    this.#handlers.set(name, handler as JobHandler<unknown>);
  }

  /** Starts pg-boss (creating or migrating its schema) and one worker per registered job name. */
  async start(): Promise<void> {
    await this.#boss.start();
    for (const [name, h] of this.#handlers) {
      await this.#boss.createQueue(name, { name, retryLimit: this.#options.retryLimit ?? 3 });
      await this.#boss.work<unknown>(
        name,
        { pollingIntervalSeconds: this.#options.pollingIntervalSeconds ?? 2, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) await h.run(h.schema.parse(job.data), new AbortController().signal);
        },
      );
    }
    this.#started = true;
  }

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
    const h = this.#handlers.get(name);
    if (h === undefined) throw new UnknownJobError(name);
    const data = h.schema.parse(payload) as object;
    return this.#boss.send(name, data, options.key !== undefined ? { singletonKey: options.key } : {});
  }

  async status(name: string, id: string): Promise<JobStatus | undefined> {
    const j = await this.#boss.getJobById(name, id, { includeArchive: true });
    return j === null ? undefined : STATE[j.state];
  }

  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.#boss.stop({ graceful: options.graceful ?? true, wait: true, timeout: options.timeoutMs ?? 30_000 });
  }
}
