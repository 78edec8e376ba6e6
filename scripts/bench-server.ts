/**
 * Server read benchmarks (`npm run bench` runs it last; alone: `node --import tsx scripts/bench-server.ts [items]`):
 *  1. a campaign of `items` generated physical-equipment lines (default 100,000; scripts/gen-inventory.ts) uploaded
 *     and assessed on SQLite (a file in a temporary folder, WAL) through the real use cases: upload validation, the
 *     assessment job on the in-process queue (results and pre-aggregated breakdowns written);
 *  2. p50/p95/max latency of `GET /api/v1/campaigns/{id}/breakdowns` over 300 sequential authenticated requests on
 *     loopback HTTP (target p95 ≤ 100 ms);
 *  3. requests/s of the same authenticated GET with 32 concurrent keep-alive clients in another process for 5 s, and
 *     the server's CPU per request (target ≥ 500 req/s).
 * Figures: wall time and the process's CPU time (user + system); on a shared machine compare CPU times.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/server/app.js';
import { InProcessQueue } from '../src/server/jobs/in-process.js';
import { getJob, registerJobs, startAssessment } from '../src/server/usecases/assessments.js';
import { randomIds, systemClock, type UseCaseDeps } from '../src/server/usecases/deps.js';
import * as org from '../src/server/usecases/organisations.js';
import { createToken } from '../src/server/usecases/tokens.js';
import { createUpload } from '../src/server/usecases/uploads.js';
import { accounts } from '../src/store/accounts.js';
import { openStore } from '../src/store/open.js';
import type { Actor } from '../src/store/scoped.js';
import { generatePhysicalCsv } from './gen-inventory.js';

const n = Number(process.argv[2] ?? 100_000);
const fmt = (x: number, d = 1) => x.toFixed(d);
const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: cpuSeconds(process.cpuUsage(c0)) };
}

/** Runs `conc` keep-alive clients in a child process for `seconds`; resolves with the requests answered 200. */
function loadFromChild(port: number, path: string, token: string, conc: number, seconds: number): Promise<number> {
  const code = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${conc} });
    const [port, path, token] = process.argv.slice(1);
    let ok = 0;
    const end = Date.now() + ${seconds} * 1000;
    const one = () => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: Number(port), path, agent, headers: { authorization: 'Bearer ' + token } }, (res) => {
        res.resume();
        res.on('end', () => { if (res.statusCode === 200) ok++; else return reject(new Error('status ' + res.statusCode)); resolve(); });
      });
      req.on('error', reject);
      req.end();
    });
    Promise.all(Array.from({ length: ${conc} }, async () => { while (Date.now() < end) await one(); }))
      .then(() => { process.stdout.write(String(ok)); agent.destroy(); })
      .catch((e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', code, String(port), path, token], (err, stdout) =>
      err ? reject(err) : resolve(Number(stdout)),
    );
  });
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  console.log(`# Server reads — node ${process.version}, ${cpus().length} CPU(s), ${n} items, SQLite`);
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-bench-server-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const queue = new InProcessQueue();
  const deps: UseCaseDeps = {
    store,
    clock: systemClock,
    uuid: randomIds,
    serverSecret: 'bench-server-secret-0123456789abcdef0123456789',
    sessionTtlMs: 3600_000,
    jobs: queue,
  };
  registerJobs(deps, queue);
  await queue.start();
  const app = await buildServer(deps, { logger: false });
  try {
    const system: Actor = { userId: null, platformAdmin: true, memberships: new Map() };
    const o = await org.createOrganisation(deps, system, { name: 'Bench' });
    const asAdmin: Actor = { ...system, memberships: new Map([[o.id, { role: 'admin', entityId: null }]]) };
    const m = await org.putMember(deps, asAdmin, {
      organisationId: o.id,
      email: 'bench@example.org',
      role: 'viewer',
      entityId: null,
    });
    const viewer = (await store.transaction((tx) => accounts.actorOf(tx, m.userId)))!;
    const token = (await createToken(deps, viewer, { name: 'bench', expiresInDays: 1 })).token;
    const c = await org.createCampaign(deps, asAdmin, {
      organisationId: o.id,
      name: 'bench',
      referenceDate: '2025-06-30',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });

    const file = join(dir, 'physical.csv');
    await generatePhysicalCsv(file, n);
    const content = await readFile(file);
    const up = await timed(() =>
      createUpload(deps, asAdmin, { campaignId: c.id, fileName: 'physical.csv', mapping: null, content }),
    );
    console.log(
      `upload (validation + storage): ${fmt(content.length / 1e6)} MB, ${up.value.report.imported} lines imported in ${fmt(up.seconds)} s (${fmt(up.cpu)} s CPU)`,
    );
    const as = await timed(async () => {
      const { jobId } = await startAssessment(deps, asAdmin, { campaignId: c.id });
      for (;;) {
        const j = await getJob(deps, asAdmin, { jobId });
        if (j.status === 'done') return j;
        if (j.status === 'failed') throw new Error(`assessment failed: ${j.errors.join('; ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const items = (
      await store.db
        .selectFrom('result_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    console.log(
      `assessment job (results + pre-aggregated breakdowns): ${items} items in ${fmt(as.seconds)} s (${fmt(as.cpu)} s CPU)`,
    );

    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const path = `/api/v1/campaigns/${c.id}/breakdowns?criterion=CLIMATE_CHANGE`;
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`status ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (let i = 0; i < 20; i++) await get(); // warm-up
    const lat: number[] = [];
    const seq = await timed(async () => {
      for (let i = 0; i < 300; i++) {
        const t0 = process.hrtime.bigint();
        await get();
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    });
    lat.sort((a, b) => a - b);
    console.log(
      `GET breakdowns, 300 sequential requests: p50 ${fmt(percentile(lat, 50))} ms, p95 ${fmt(percentile(lat, 95))} ms, max ${fmt(lat[lat.length - 1]!)} ms; ${fmt((seq.cpu / 300) * 1000, 2)} ms CPU per request [target p95 ≤ 100 ms]`,
    );

    // The load comes from another process (its own event loop), so the server's CPU is measured alone.
    const seconds = 5;
    const conc = 32;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const done = await loadFromChild(port, path, token, conc, seconds);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const serverCpu = cpuSeconds(process.cpuUsage(c0));
    console.log(
      `GET breakdowns, ${conc} concurrent keep-alive clients (another process) for ${seconds} s: ${done} requests, ${fmt(done / seconds, 0)} req/s; server CPU ${fmt(serverCpu)} s = ${fmt((serverCpu / done) * 1000, 2)} ms per request, i.e. ${fmt(done / serverCpu, 0)} req/s per CPU second [target ≥ 500 req/s] (${fmt(wall)} s wall with start-up)`,
    );
    agent.destroy();
  } finally {
    await app.close();
    await queue.stop({ graceful: true });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
