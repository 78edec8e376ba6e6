/**
 * Composition root: from a validated configuration, opens the data folder, the store (migrated), the session secret
 * and the job queue, and returns the use cases' dependencies. Used by `empreinte serve` and `empreinte admin`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open.js';
import type { ServerConfig } from './config.js';
import { InProcessQueue } from './jobs/in-process.js';
import { PgBossQueue } from './jobs/pg-boss.js';
import type { JobQueue } from './jobs/queue.js';
import { openidClient } from './oidc-client.js';
import { registerJobs } from './usecases/assessments.js';
import { randomIds, systemClock, type JobHooks, type JobLog, type UseCaseDeps } from './usecases/deps.js';
import { steeringCaches } from './usecases/steering-load.js';

export const SECRET_FILE = 'session-secret';

/** The session secret: the configured one, else the data folder's (created with mode 0600 on first start). */
export function sessionSecret(config: ServerConfig): string {
  if (config.sessionSecret !== undefined) return config.sessionSecret;
  const file = join(config.dataDir, SECRET_FILE);
  try {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const s = randomBytes(32).toString('base64url');
  writeFileSync(file, s + '\n', { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
  return s;
}

export interface Runtime {
  readonly deps: UseCaseDeps;
  readonly jobs: JobQueue;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly onJobError?: (e: unknown) => void;
  /** The jobs' structured log (pino). */
  readonly log?: JobLog;
  /** Test seams of the jobs (never set in production). */
  readonly jobHooks?: JobHooks;
}

/** This process's name in the job records, logs and audit: `host:pid`. */
export const workerName = (): string => `${hostname()}:${process.pid}`;

export async function openRuntime(config: ServerConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const { onJobError } = options;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = sessionSecret(config);
  const store = await openStore(config.store);
  // The database holds password hashes: readable by the server's user only, whatever the data folder's mode.
  if (config.store.kind === 'sqlite') chmodSync(config.store.file, 0o600);
  const jobs: JobQueue =
    config.store.kind === 'postgres'
      ? new PgBossQueue({ url: config.store.url, ...config.jobs, worker: workerName(), onError: onJobError })
      : new InProcessQueue({ onError: (_n, e) => onJobError?.(e), worker: workerName() });
  const deps: UseCaseDeps = {
    store,
    clock: systemClock,
    uuid: randomIds,
    serverSecret: secret,
    sessionTtlMs: config.sessionTtlMs,
    jobs,
    ...(config.oidc !== undefined
      ? { oidc: { client: openidClient(config.oidc.settings), policy: config.oidc.policy } }
      : {}),
    resultBatchRows: config.jobs.resultBatchRows,
    chunkItems: config.jobs.chunkItems,
    ...(options.log !== undefined ? { log: options.log } : {}),
    ...(options.jobHooks !== undefined ? { jobHooks: options.jobHooks } : {}),
    steering: steeringCaches(),
  };
  registerJobs(deps, jobs);
  return {
    deps,
    jobs,
    close: async () => {
      await store.close();
    },
  };
}
