/**
 * In-process runner (SQLite mode): jobs run one after another in this process, after the enqueuing call returns.
 * State lives in the instance (no module-level state); a restart loses queued jobs, which is why multi-machine
 * deployments use PostgreSQL and pg-boss.
 */
import { randomUUID } from 'node:crypto';
import { UnknownJobError, type EnqueueOptions, type JobHandler, type JobQueue, type JobStatus } from './queue.js';

interface Entry {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly key: string | undefined;
  status: JobStatus;
  error?: string;
}

export class InProcessQueue implements JobQueue {
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  readonly #jobs = new Map<string, Entry>();
  readonly #pending: Entry[] = [];
  readonly #abort = new AbortController();
  #started = false;
  #stopped = false;
  #draining: Promise<void> = Promise.resolve();
  readonly #onError: (job: string, e: unknown) => void;
  readonly #worker: string;

  constructor(options: { onError?: (job: string, e: unknown) => void; worker?: string } = {}) {
    this.#onError = options.onError ?? (() => undefined);
    this.#worker = options.worker ?? 'in-process';
  }

  register<P>(name: string, handler: JobHandler<P>): void {
    if (this.#handlers.has(name)) throw new Error(`job ${name} has two handlers`);
    this.#handlers.set(name, handler as JobHandler<unknown>);
  }

  async start(): Promise<void> {
    this.#started = true;
    this.#kick();
  }

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
    if (this.#stopped) throw new Error('the job queue is stopped');
    const h = this.#handlers.get(name);
    if (h === undefined) throw new UnknownJobError(name);
    h.schema.parse(payload);
    if (options.key !== undefined) {
      const same = this.#pending.find((e) => e.key === options.key && e.name === name);
      if (same) return null;
    }
    const entry: Entry = { id: options.id ?? randomUUID(), name, payload, key: options.key, status: 'queued' };
    this.#jobs.set(entry.id, entry);
    this.#pending.push(entry);
    this.#kick();
    return entry.id;
  }

  async status(_name: string, id: string): Promise<JobStatus | undefined> {
    return this.#jobs.get(id)?.status;
  }

  /** Resolves when every queued job has run. */
  idle(): Promise<void> {
    return this.#draining;
  }

  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    this.#stopped = true;
    if (options.graceful === false) this.#abort.abort();
    const timeout = new Promise<void>((r) => setTimeout(r, options.timeoutMs ?? 30_000).unref());
    await Promise.race([this.#draining, timeout]);
    this.#abort.abort();
  }

  #kick(): void {
    if (!this.#started) return;
    this.#draining = this.#draining.then(async () => {
      await new Promise((r) => setImmediate(r));
      for (let e = this.#pending.shift(); e !== undefined; e = this.#pending.shift()) await this.#run(e);
    });
  }

  async #run(e: Entry): Promise<void> {
    if (this.#abort.signal.aborted) return;
    e.status = 'running';
    try {
      const h = this.#handlers.get(e.name)!;
      await h.run(h.schema.parse(e.payload), {
        id: e.id,
        signal: this.#abort.signal,
        attempt: 1,
        lastAttempt: true,
        worker: this.#worker,
      });
      e.status = 'done';
    } catch (err) {
      e.status = 'failed';
      e.error = err instanceof Error ? err.message : String(err);
      this.#onError(e.name, err);
    }
  }
}
