/**
 * `empreinte worker`: a process that only runs jobs (no HTTP), on PostgreSQL through pg-boss. Any number of them, on
 * any machines reaching the database, share the queue; pg-boss hands each job to one of them and retries a job whose
 * worker died once it expires. On SIGINT/SIGTERM the worker stops taking jobs, lets the running ones finish within
 * EMPREINTE_JOB_STOP_SECONDS, then gives the others back to the queue, closes the store and resolves. Logs are pino
 * JSON lines on stdout (job ids, attempts, worker names, counts and timings; never a credential or a row's content).
 */
import { pino, type Logger } from 'pino';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import type { ServerConfig } from './config.js';
import { openRuntime, workerName } from './compose.js';
import type { JobHooks } from './usecases/deps.js';

export interface RunningWorker {
  readonly name: string;
  /** Resolves when the worker has stopped (after a signal or `stop()`). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Where the logs go (default: a pino logger on stdout at the configured level). */
  readonly logger?: Logger;
  /** Test seams (a delay after each result batch); never set in production. */
  readonly jobHooks?: JobHooks;
}

export async function runWorker(config: ServerConfig, options: WorkerOptions = {}): Promise<RunningWorker> {
  if (config.store.kind !== 'postgres')
    throw new EmpreinteError(issue('JOB_SQLITE_NO_WORKER', { command: 'empreinte worker' }));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const name = workerName();
  const log = options.logger ?? pino({ level: config.logLevel, base: { worker: name } });
  const rt = await openRuntime(config, {
    log: { info: (f, m) => log.info(f, m), warn: (f, m) => log.warn(f, m) },
    onJobError: (e) => log.error({ err: e }, 'job queue error'),
    ...(options.jobHooks !== undefined ? { jobHooks: options.jobHooks } : {}),
  });
  try {
    await rt.jobs.start({ work: true });
  } catch (e) {
    await rt.close();
    throw e;
  }
  log.info({ settings: config.jobs }, 'worker started');
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of signals) process.off(s, onSignal);
      log.info({ timeoutSeconds: config.jobs.stopSeconds }, 'worker stopping');
      await rt.jobs.stop({ graceful: true, timeoutMs: config.jobs.stopSeconds * 1000 });
      await rt.close();
      log.info({}, 'worker stopped');
      resolveStopped();
    })());
  const onSignal = () => void stop();
  for (const s of signals) process.on(s, onSignal);
  return { name, stopped, stop };
}
