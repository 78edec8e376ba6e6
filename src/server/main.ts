/**
 * The one place that calls `listen`: starts the job queue and the HTTP server, and on SIGINT/SIGTERM stops taking
 * requests, lets running jobs finish (pg-boss re-queues what it cannot finish), closes the store and resolves.
 */
import type { FastifyInstance } from 'fastify';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import type { ServerConfig } from './config.js';
import { DEMO_ORGANISATION, seedDemo } from './demo.js';
import { buildServer } from './app.js';
import { openRuntime } from './compose.js';
import { scheduleRetentionPurge } from './usecases/retention.js';

export interface RunningServer {
  readonly url: string;
  /** Resolves when the server has stopped (after a signal or `stop()`). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function runServer(
  config: ServerConfig,
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): Promise<RunningServer> {
  // API only (`serve --no-worker`): jobs go to `empreinte worker` processes, which needs PostgreSQL.
  if (!config.worker && config.store.kind === 'sqlite')
    throw new EmpreinteError(
      issue('JOB_SQLITE_NO_WORKER', { command: 'empreinte serve --no-worker (EMPREINTE_WORKER=0)' }),
    );
  // The jobs log through the server's pino logger, which exists once the server is built.
  const logTo: { app?: FastifyInstance } = {};
  const rt = await openRuntime(config, {
    log: { info: (f, m) => logTo.app?.log.info(f, m), warn: (f, m) => logTo.app?.log.warn(f, m) },
  });
  const app = (logTo.app = await buildServer(rt.deps, {
    logger: { level: config.logLevel },
    trustProxy: config.http.trustProxy,
  }));
  await rt.jobs.start({ work: config.worker });
  if (config.demo) {
    const demo = await seedDemo(rt.deps);
    if (demo !== undefined)
      // Printed once, on the terminal only (never logged): the administrator changes it after signing in.
      process.stderr.write(
        `demo organisation "${DEMO_ORGANISATION}" created with campaigns 2024 and 2025; administrator ${demo.adminEmail}, one-time password: ${demo.adminPassword}\n`,
      );
  }
  const url = await app.listen({ host: config.http.host, port: config.http.port });
  // Retention (issue 12): purge expired uploads' raw files now, then every 24 h; the timer is cleared on shutdown.
  const purge = scheduleRetentionPurge(rt.deps, {
    onPurged: (r) => {
      for (const o of r)
        app.log.info({ organisationId: o.organisationId, uploads: o.uploads.length }, 'uploads purged');
    },
    onError: (e) => app.log.error({ err: e }, 'retention purge failed'),
  });
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of signals) process.off(s, onSignal);
      app.log.info('shutting down');
      await purge.stop();
      await app.close();
      await rt.jobs.stop({ graceful: true, timeoutMs: config.jobs.stopSeconds * 1000 });
      await rt.close();
      resolveStopped();
    })());
  const onSignal = () => void stop();
  for (const s of signals) process.on(s, onSignal);
  return { url, stopped, stop };
}
