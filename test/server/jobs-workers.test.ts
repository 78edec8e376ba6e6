/**
 * Robustness of the jobs on a real PostgreSQL with worker processes (child processes, as deployed):
 * (a) a worker SIGKILLed in the middle of an assessment: readers keep the previous totals, pg-boss re-queues the job
 *     once it expires, another worker (the real `empreinte worker` command) completes it once, with the totals of the
 *     CLI's `assess --summary --format json` on the same files;
 * (b) two workers share a queue: every job runs exactly once (job records, audit, logs), both take jobs, and SIGTERM
 *     lets a running job finish before the workers exit 0;
 * (c) a failing job is retried by pg-boss (retry limit and delay from the environment) and ends `failed` with
 *     JOB_ATTEMPTS_EXHAUSTED after its last attempt, as GET /api/v1/jobs/:id shows; the previous totals stay.
 * The jobs' expiry, retries and maintenance are set short through the same environment variables as production.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { PgBossQueue } from '../../src/server/jobs/pg-boss.js';
import { registerJobs, startAssessment } from '../../src/server/usecases/assessments.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { freshStore, type FreshStore } from '../store/databases.js';
import { physicalCsv } from './generated.js';
import { depsFor, makeWorld, type World } from './world.js';
import { killWorkers, spawnWorker, workerReady, type WorkerProcess } from './worker-process.js';
import { newCampaign, storeBrokenUpload } from './served-world.js';
import { cliOut } from '../helpers/cli.js';

const DATE = '2025-06-30';
const BATCH = 100;
/** Short job settings for the tests, through the production variables. */
const JOB_ENV = {
  EMPREINTE_JOB_EXPIRE_SECONDS: '12',
  EMPREINTE_JOB_RETRY_LIMIT: '2',
  EMPREINTE_JOB_RETRY_DELAY_SECONDS: '1',
  EMPREINTE_JOB_RETRY_BACKOFF: '0',
  EMPREINTE_JOB_POLL_SECONDS: '0.5',
  EMPREINTE_JOB_MAINTENANCE_SECONDS: '1',
  EMPREINTE_JOB_STOP_SECONDS: '20',
  EMPREINTE_RESULT_BATCH_ROWS: String(BATCH),
};

interface SummaryDoc {
  totals: Record<string, unknown>;
  inventory: { file: string; imported: number }[];
}

/** The CLI's totals for `files` (written to a folder of their own), computed apart from the server. */
async function cliTotals(files: Record<string, string>): Promise<SummaryDoc> {
  const root = mkdtempSync(join(tmpdir(), 'empreinte-jobs-cli-'));
  const dir = join(root, 'inventory');
  try {
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const out = join(root, 'summary.json');
    await cliOut(['assess', dir, '--date', DATE, '--summary', '--format', 'json', '--out', out]);
    // The CLI names files by their path, the server by the uploaded name: the only difference allowed.
    return JSON.parse(readFileSync(out, 'utf8').replaceAll(`${dir}/`, '')) as SummaryDoc;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

type Worker = WorkerProcess;

describe('job workers on PostgreSQL (child processes)', () => {
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  let queue: PgBossQueue;
  const workers: Worker[] = [];
  const smallCsv = physicalCsv('A', 300);
  const bigCsv = physicalCsv('B', 1700);

  /** Starts a worker: `child` = runWorker with a delay after each batch; `cli` = the real `empreinte worker`. */
  function startWorker(kind: 'child' | 'cli', delayMs = 0): Worker {
    const args =
      kind === 'child'
        ? ['--import', 'tsx', 'test/server/worker-child.ts']
        : [
            '--import',
            'tsx',
            '-e',
            "import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['worker']); })",
          ];
    const x = spawnWorker(args, { ...JOB_ENV, DATABASE_URL: f.url!, TEST_BATCH_DELAY_MS: String(delayMs) });
    workers.push(x);
    return x;
  }

  const ready = (x: Worker) => workerReady(x);

  beforeAll(async () => {
    f = await freshStore('postgres');
    const config = loadConfig({ DATABASE_URL: f.url!, ...JOB_ENV });
    // The API process: enqueues and reads, runs no job (as `serve --no-worker`).
    queue = new PgBossQueue({ url: f.url!, ...config.jobs, worker: 'test-api' });
    const deps = { ...depsFor(f.store), jobs: queue, resultBatchRows: BATCH };
    registerJobs(deps, queue);
    await queue.start({ work: false });
    w = await makeWorld(deps);
    app = await buildServer(w.deps, { logger: false });
  });

  afterAll(async () => {
    await killWorkers(workers);
    await app?.close();
    await queue?.stop({ graceful: false, timeoutMs: 1000 });
    await f?.dispose();
  });

  const auth = () => ({ authorization: `Bearer ${w.a.editor.token}` });
  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: auth() });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> };
  };
  const campaign = () => newCampaign(w, 'c', DATE);
  const upload = (campaignId: string, fileName: string, content: string) =>
    createUpload(w.deps, w.a.editor.actor, { campaignId, fileName, mapping: null, content: Buffer.from(content) });
  const assess = async (campaignId: string) => (await startAssessment(w.deps, w.a.editor.actor, { campaignId })).jobId;
  /** Polls GET /jobs/:id until the job ends; returns the job and every (status, error) seen on the way. */
  const waitJob = async (jobId: string, ms = 90_000) => {
    const seen: { status: string; error: string | undefined }[] = [];
    const end = Date.now() + ms;
    for (;;) {
      const j = (await get(`/api/v1/jobs/${jobId}`)).body as { status: string; errors: string[] };
      const last = seen.at(-1);
      if (last?.status !== j.status || last.error !== j.errors[0]) seen.push({ status: j.status, error: j.errors[0] });
      if (j.status === 'done' || j.status === 'failed' || Date.now() > end) return { job: j, seen };
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const record = (jobId: string) =>
    f.store.db.selectFrom('job_records').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  const assessedAudit = async (campaignId: string) =>
    (
      await f.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'campaign.assessed')
        .where('target_id', '=', campaignId)
        .execute()
    ).map((a) => JSON.parse(a.details) as { jobId: string; attempt: number; worker: string; items: number });
  const staged = async (campaignId: string) =>
    Number(
      (
        await f.store.db
          .selectFrom('result_items_staging')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('campaign_id', '=', campaignId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  // pg-boss records its own state just after our handler returns (our record is written inside the handler), so
  // read it once it has left 'active', within a bound.
  const bossJob = async (jobId: string) => {
    const read = async () =>
      (
        await sql<{
          state: string;
          retry_count: number;
        }>`select state, retry_count from pgboss.job where id = ${jobId}`.execute(f.store.db)
      ).rows[0];
    const deadline = Date.now() + 10_000;
    let row = await read();
    while (row?.state === 'active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await read();
    }
    return row;
  };
  const itemCount = async (campaignId: string) =>
    (await get(`/api/v1/campaigns/${campaignId}/items?limit=1`)).body.total as number;

  it('(a) SIGKILL mid-assessment: previous totals stay visible, the retried job completes once with the CLI totals', async () => {
    const [cliSmall, cliBoth] = [
      await cliTotals({ 'a.csv': smallCsv }),
      await cliTotals({ 'a.csv': smallCsv, 'b.csv': bigCsv }),
    ];
    const campaignId = await campaign();
    await upload(campaignId, 'a.csv', smallCsv);
    // 400 ms after each batch of 100 rows: the big run lasts about 8 s, well under the 12 s expiry.
    const slow = startWorker('child', 400);
    await ready(slow);
    const first = await waitJob(await assess(campaignId));
    expect(first.job.status).toBe('done');
    const before = (await get(`/api/v1/campaigns/${campaignId}/totals`)).body;
    expect(before.totals).toEqual(cliSmall.totals);
    expect(await itemCount(campaignId)).toBe(300);

    await upload(campaignId, 'b.csv', bigCsv);
    const jobId = await assess(campaignId);
    const startedAt = Date.now();
    while ((await staged(campaignId)) < 3 * BATCH) {
      expect(Date.now() - startedAt, 'the slow worker stages rows').toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Mid-run: three batches written, readers still see the previous complete result.
    expect((await get(`/api/v1/campaigns/${campaignId}/totals`)).body).toEqual(before);
    expect(await itemCount(campaignId)).toBe(300);
    expect((await record(jobId)).status).toBe('running');
    slow.child.kill('SIGKILL');
    await slow.exited;
    const killedAt = Date.now();
    expect((await get(`/api/v1/campaigns/${campaignId}/totals`)).body).toEqual(before);
    expect(await itemCount(campaignId)).toBe(300);
    expect(await staged(campaignId)).toBeGreaterThanOrEqual(3 * BATCH);

    const rescue = startWorker('cli');
    const rescueName = await ready(rescue);
    const { job } = await waitJob(jobId);
    const recoveredMs = Date.now() - killedAt;
    expect(job.status).toBe('done');
    const after = (await get(`/api/v1/campaigns/${campaignId}/totals`)).body as unknown as SummaryDoc;
    expect(after.totals).toEqual(cliBoth.totals);
    expect(after.totals).not.toEqual(before.totals);
    expect(await itemCount(campaignId)).toBe(2000);
    expect(await staged(campaignId)).toBe(0);
    const rec = await record(jobId);
    expect(rec).toMatchObject({ status: 'done', attempts: 2, worker: rescueName, error: null });
    const audit = (await assessedAudit(campaignId)).filter((a) => a.jobId === jobId);
    expect(audit).toEqual([{ jobId, attempt: 2, worker: rescueName, items: 2000 }]);
    expect(await bossJob(jobId)).toEqual({ state: 'completed', retry_count: 1 });
    rescue.child.kill('SIGTERM');
    expect(await rescue.exited).toBe(0);
    expect(rescue.stderr()).toContain('empreinte: worker stopped');
    console.info(`crash test: job re-run and completed ${recoveredMs} ms after the SIGKILL (expiry 12 s)`);
  });

  it('(b) two workers share the queue: each job runs exactly once; SIGTERM lets the running job finish', async () => {
    const cli = await cliTotals({ 'a.csv': smallCsv });
    const one = startWorker('child', 150);
    const two = startWorker('child', 150);
    const names = [await ready(one), await ready(two)];
    expect(new Set(names).size).toBe(2);
    const campaigns: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await campaign();
      await upload(c, 'a.csv', smallCsv);
      campaigns.push(c);
    }
    const t0 = Date.now();
    const jobs = await Promise.all(campaigns.map((c) => assess(c)));
    for (const j of jobs) expect((await waitJob(j)).job.status).toBe('done');
    const sharedMs = Date.now() - t0;
    const ranBy: string[] = [];
    for (const [i, c] of campaigns.entries()) {
      const rec = await record(jobs[i]!);
      expect(rec).toMatchObject({ status: 'done', attempts: 1, error: null });
      expect(names).toContain(rec.worker);
      ranBy.push(rec.worker!);
      expect(await assessedAudit(c)).toEqual([{ jobId: jobs[i], attempt: 1, worker: rec.worker, items: 300 }]);
      expect(((await get(`/api/v1/campaigns/${c}/totals`)).body as unknown as SummaryDoc).totals).toEqual(cli.totals);
      expect(await bossJob(jobs[i]!)).toEqual({ state: 'completed', retry_count: 0 });
    }
    // Both workers took jobs, and each job was started and finished once over both workers' logs.
    expect(new Set(ranBy).size).toBe(2);
    const logged = (msg: string) => [...one.logs, ...two.logs].filter((l) => l.msg === msg).map((l) => l.jobId);
    expect(logged('assessment started').sort()).toEqual([...jobs].sort());
    expect(logged('assessment done').sort()).toEqual([...jobs].sort());

    // Graceful stop: a job running when SIGTERM comes is finished (stop timeout 20 s), then both exit 0.
    const last = await assess(campaigns[0]!);
    while ((await record(last)).status === 'queued') await new Promise((r) => setTimeout(r, 20));
    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect(await one.exited).toBe(0);
    expect(await two.exited).toBe(0);
    expect(await record(last)).toMatchObject({ status: 'done', attempts: 1 });
    for (const x of [one, two]) expect(x.logs.some((l) => l.msg === 'worker stopped')).toBe(true);
    console.info(
      `two workers: 6 jobs of 300 items in ${sharedMs} ms, split ${names.map((n) => ranBy.filter((r) => r === n).length).join('/')}`,
    );
  });

  it('(c) a failing job is retried by pg-boss, then ends failed with JOB_ATTEMPTS_EXHAUSTED; totals stay', async () => {
    const campaignId = await campaign();
    await upload(campaignId, 'a.csv', smallCsv);
    const x = startWorker('cli');
    await ready(x);
    expect((await waitJob(await assess(campaignId))).job.status).toBe('done');
    const before = (await get(`/api/v1/campaigns/${campaignId}/totals`)).body;
    // A stored upload whose bytes no reader accepts (as if corrupted after its validation): every attempt fails.
    await storeBrokenUpload(w, campaignId);
    const t0 = Date.now();
    const jobId = await assess(campaignId);
    const { job, seen } = await waitJob(jobId);
    const failedMs = Date.now() - t0;
    expect(job.status).toBe('failed');
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0]).toMatch(
      /^JOB_ATTEMPTS_EXHAUSTED The job failed after 3 attempt\(s\); last error: .*broken\.xlsx/,
    );
    // Between attempts the job waits for its retry, queued, with the attempt's error.
    expect(
      seen.some((s) => s.status === 'queued' && /^attempt 1 failed, to be retried: .*broken\.xlsx/.test(s.error ?? '')),
    ).toBe(true);
    expect(await record(jobId)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await bossJob(jobId)).toEqual({ state: 'failed', retry_count: 2 });
    expect((await get(`/api/v1/campaigns/${campaignId}/totals`)).body).toEqual(before);
    expect((await assessedAudit(campaignId)).map((a) => a.jobId)).not.toContain(jobId);
    expect(await staged(campaignId)).toBe(0);
    x.child.kill('SIGTERM');
    expect(await x.exited).toBe(0);
    console.info(`retry test: 3 attempts (retry delay 1 s) ended failed in ${failedMs} ms`);
  });
});
