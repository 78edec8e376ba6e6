/**
 * `empreinte serve`: the HTTP server on HOST:PORT (default 127.0.0.1:8080) with the data folder EMPREINTE_DATA_DIR
 * (default ./data, SQLite) or DATABASE_URL (PostgreSQL). Runs until SIGINT/SIGTERM, then shuts down gracefully: the
 * entry point's immediate-exit signal handlers are replaced by the server's for the command's lifetime.
 */
import type { Command } from 'commander';
import { guarded } from './admin.js';

export function registerServe(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('serve')
    .description('start the Empreinte server (HOST, PORT, EMPREINTE_DATA_DIR, DATABASE_URL)')
    .option(
      '--no-worker',
      'serve the API only; `empreinte worker` processes run the jobs (PostgreSQL; EMPREINTE_WORKER=0)',
    )
    .action(
      guarded(async (o: { worker: boolean }) => {
        const { loadConfig } = await import('../server/config.js');
        const { runServer } = await import('../server/main.js');
        const loaded = loadConfig(env);
        const config = o.worker ? loaded : { ...loaded, worker: false };
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(s);
        const server = await runServer(config);
        process.stderr.write(`empreinte: serving on ${server.url} (${config.store.kind})\n`);
        await server.stopped;
        process.stderr.write('empreinte: stopped\n');
      }),
    );
}
