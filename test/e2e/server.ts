/**
 * The real Empreinte server for the end-to-end tests and the screenshots: started in-process as `serve` starts it
 * (src/server/main.ts: the runtime, the HTTP server, the job queue, the demo seeded on first start) on a temporary
 * SQLite database and a free port, serving the built dashboard (dist/web) at `/`. Resolves once the demo's two
 * campaigns are assessed; `stop()` closes everything and removes the data folder.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/server/app.js';
import { openRuntime } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { seedDemo, type DemoSeeded } from '../../src/server/demo.js';
import { getJob } from '../../src/server/usecases/assessments.js';
import { accounts } from '../../src/store/accounts.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The built dashboard, or an error naming the command that builds it. */
export function builtDashboard(): string {
  const dir = join(ROOT, 'dist', 'web');
  if (!existsSync(join(dir, 'index.html')))
    throw new Error(`the dashboard is not built (${dir}/index.html is missing): run npm run build (npm ci runs it)`);
  return dir;
}

export interface DemoServer {
  readonly url: string;
  readonly demo: DemoSeeded;
  stop(): Promise<void>;
}

export async function startDemoServer(): Promise<DemoServer> {
  builtDashboard();
  const dataDir = await mkdtemp(join(tmpdir(), 'empreinte-e2e-server-'));
  const config = loadConfig({ EMPREINTE_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', EMPREINTE_LOG_LEVEL: 'warn' });
  const rt = await openRuntime(config);
  const app = await buildServer(rt.deps, { logger: false, trustProxy: false });
  await rt.jobs.start();
  const demo = (await seedDemo(rt.deps))!;
  const actor = (await rt.deps.store.transaction(async (tx) => {
    const u = await accounts.userByEmail(tx, demo.adminEmail);
    return accounts.actorOf(tx, u!.id);
  }))!;
  for (const c of demo.campaigns) {
    for (let i = 0; ; i++) {
      const job = await getJob(rt.deps, actor, { jobId: c.jobId });
      if (job.status === 'done') break;
      if (job.status === 'failed' || i > 1200) throw new Error(`demo campaign ${c.name}: ${job.status} ${job.errors}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    demo,
    stop: async () => {
      await app.close();
      await rt.jobs.stop({ graceful: true, timeoutMs: 30_000 });
      await rt.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
