/**
 * `empreinte worker`: runs the server's jobs (assessments) without HTTP, on the PostgreSQL database of DATABASE_URL,
 * with the same environment as `empreinte serve`. Refuses SQLite (jobs run inside `serve` there) with one coded line.
 * Runs until SIGINT/SIGTERM, then stops gracefully: the entry point's immediate-exit signal handlers are replaced by
 * the worker's for the command's lifetime.
 */
import type { Command } from 'commander';
import { guarded } from './admin.js';

export function registerWorker(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('worker')
    .description(
      'run the server jobs on PostgreSQL, without HTTP (DATABASE_URL, EMPREINTE_JOB_*; see docs/deployment.md)',
    )
    .action(
      guarded(async () => {
        const { loadConfig } = await import('../server/config.js');
        const { runWorker } = await import('../server/worker.js');
        const config = loadConfig(env);
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(s);
        const worker = await runWorker(config);
        process.stderr.write(`empreinte: worker ${worker.name} running jobs (postgres)\n`);
        await worker.stopped;
        process.stderr.write('empreinte: worker stopped\n');
      }),
    );
}
