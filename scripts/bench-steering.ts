/**
 * Benchmark of a scenario preview through the API (issue 15: feedback within 2 s on a 100k-item campaign), called by
 * `npm run bench` (scripts/bench.ts) or alone: `node --import tsx scripts/bench-steering.ts [<items>]`.
 *
 * A SQLite store in a temporary folder; an organisation whose administrator signs in over HTTP; a campaign holding the
 * generated NumEcoEval file of <items> lines (scripts/gen-inventory.ts) uploaded and assessed as a job; then
 * `POST /campaigns/{id}/scenarios/preview` three times: the first reads the stored upload into the server's cache
 * (pipeline + referential), the next ones only re-run the engine. Wall and CPU (user + system of this process) per
 * call; not a test (no pass/fail), the figures go to docs/benchmarks.md.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/server/app.js';
import { InProcessQueue } from '../src/server/jobs/in-process.js';
import { getJob, registerJobs, startAssessment } from '../src/server/usecases/assessments.js';
import { randomIds, systemClock, type UseCaseDeps } from '../src/server/usecases/deps.js';
import { createCampaign, createOrganisation } from '../src/server/usecases/organisations.js';
import { steeringCaches } from '../src/server/usecases/steering-load.js';
import { createUpload } from '../src/server/usecases/uploads.js';
import { openStore } from '../src/store/open.js';
import type { Actor } from '../src/store/scoped.js';
import { generatePhysicalCsv } from './gen-inventory.js';

const n = Number(process.argv[2] ?? 100_000);
const LEVERS = [
  { lifetime: { type: 'Laptop', addYears: 1 } },
  { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
];

function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return fn().then((value) => {
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return { value, wall, cpu: (c.user + c.system) / 1e6 };
  });
}

const fmt = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-bench-steering-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const queue = new InProcessQueue();
  const deps: UseCaseDeps = {
    store,
    clock: systemClock,
    uuid: randomIds,
    serverSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
    sessionTtlMs: 3600_000,
    jobs: queue,
    steering: steeringCaches(),
  };
  registerJobs(deps, queue);
  await queue.start();
  const app = await buildServer(deps, { logger: false });
  try {
    const file = join(dir, 'equipements_physiques.csv');
    await generatePhysicalCsv(file, n);
    const platform: Actor = { userId: null, platformAdmin: true, memberships: new Map() };
    const o = await createOrganisation(deps, platform, { name: 'Bench', adminEmail: 'admin@bench.local' });
    const sys: Actor = {
      userId: null,
      platformAdmin: true,
      memberships: new Map([[o.id, { role: 'admin', entityId: null }]]),
    };
    const c = await createCampaign(deps, sys, {
      organisationId: o.id,
      name: 'bench',
      referenceDate: '2025-12-31',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    const content = await readFile(file);
    const upload = await timed(() =>
      createUpload(deps, sys, { campaignId: c.id, fileName: 'equipements_physiques.csv', mapping: null, content }),
    );
    const job = await timed(async () => {
      const { jobId } = await startAssessment(deps, sys, { campaignId: c.id });
      for (;;) {
        const j = await getJob(deps, sys, { jobId });
        if (j.status === 'done') return j;
        if (j.status === 'failed') throw new Error(`assessment failed: ${j.errors.join('; ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@bench.local', password: o.adminPassword },
    });
    const cookie = login.headers['set-cookie'];
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    const headers = { cookie: (Array.isArray(cookie) ? cookie[0]! : cookie!).split(';')[0]!, 'x-csrf-token': csrf };
    const preview = () =>
      timed(async () => {
        const r = await app.inject({
          method: 'POST',
          url: `/api/v1/campaigns/${c.id}/scenarios/preview`,
          headers,
          payload: { levers: LEVERS },
        });
        if (r.statusCode !== 200) throw new Error(`preview: ${r.statusCode} ${r.body}`);
        return r.json() as { delta: { byCriterion: { criterion: string; delta: number }[] } };
      });
    console.log(
      `steering: ${n}-line campaign on SQLite — upload ${fmt(upload.wall)} s (${fmt(upload.cpu)} s CPU), assessment job ${fmt(job.wall)} s (${fmt(job.cpu)} s CPU)`,
    );
    const first = await preview();
    const second = await preview();
    const third = await preview();
    const cc = first.value.delta.byCriterion.find((x) => x.criterion === 'CLIMATE_CHANGE')?.delta ?? NaN;
    console.log(
      `scenario preview (2 levers, CLIMATE_CHANGE delta ${cc.toFixed(1)} kg): first call ${fmt(first.wall)} s (${fmt(first.cpu)} s CPU, campaign loaded into the cache); cached ${fmt(second.wall)} s (${fmt(second.cpu)} s CPU), ${fmt(third.wall)} s (${fmt(third.cpu)} s CPU) [target ≤ 2 s]; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  } finally {
    await app.close();
    await queue.stop({ graceful: true });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
