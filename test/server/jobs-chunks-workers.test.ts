/**
 * One large assessment shared by two worker processes on a real PostgreSQL (issue 12): a 100,000-item campaign,
 * generated here, split in two chunks of 50,000 items (EMPREINTE_CHUNK_ITEMS, through the production variables).
 * (a) Both workers take chunks (the chunk records name them); the totals document, every stored item and the
 *     breakdowns equal those of a single-process run (in this process, one chunk) on the same campaign, and the
 *     totals and the F21 ranges equal the CLI's `assess --summary --uncertainty --format json` on the same file (the
 *     ranges computed by the chunk that finishes the job from its own engine pass, to the bit).
 * (b) A worker SIGKILLed in the middle of a chunk: readers keep the previous totals, pg-boss gives the chunk to the
 *     other worker once it expires (two attempts recorded), and the job ends with the right totals and every item
 *     once (no duplicate, nothing left staged).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { PgBossQueue } from '../../src/server/jobs/pg-boss.js';
import { getBreakdowns } from '../../src/server/usecases/aggregates.js';
import { getJob, getTotals, registerJobs, startAssessment } from '../../src/server/usecases/assessments.js';
import type { UseCaseDeps } from '../../src/server/usecases/deps.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { freshStore, type FreshStore } from '../store/databases.js';
import { physicalCsv } from './generated.js';
import { depsFor, makeWorld, type World } from './world.js';
import { killWorkers, spawnWorker, workerReady, type WorkerProcess } from './worker-process.js';
import { cliOut } from '../helpers/cli.js';
import { newCampaign } from './served-world.js';

const DATE = '2025-06-30';
const ITEMS = 100_000;
const CHUNK = 50_000;
/** Short job settings for the test, through the production variables. */
const JOB_ENV = {
  EMPREINTE_JOB_EXPIRE_SECONDS: '60',
  EMPREINTE_JOB_RETRY_LIMIT: '2',
  EMPREINTE_JOB_RETRY_DELAY_SECONDS: '1',
  EMPREINTE_JOB_RETRY_BACKOFF: '0',
  EMPREINTE_JOB_POLL_SECONDS: '0.5',
  EMPREINTE_JOB_MAINTENANCE_SECONDS: '1',
  EMPREINTE_JOB_STOP_SECONDS: '5',
  EMPREINTE_RESULT_BATCH_ROWS: '2500',
  EMPREINTE_CHUNK_ITEMS: String(CHUNK),
};

type Worker = WorkerProcess;

describe('an assessment split in chunks over two worker processes on PostgreSQL', () => {
  let f: FreshStore;
  let w: World;
  let queue: PgBossQueue;
  let single: UseCaseDeps;
  let inProcess: InProcessQueue;
  let campaignId: string;
  const csv = physicalCsv('K', ITEMS);
  const workers: Worker[] = [];

  /** A worker process (test/server/worker-child.ts: `runWorker` as `empreinte worker` runs it, with a batch delay). */
  function startWorker(delayMs: number): Worker {
    const x = spawnWorker(['--import', 'tsx', 'test/server/worker-child.ts'], {
      ...JOB_ENV,
      DATABASE_URL: f.url!,
      TEST_BATCH_DELAY_MS: String(delayMs),
    });
    workers.push(x);
    return x;
  }
  const ready = (x: Worker) => workerReady(x);

  beforeAll(async () => {
    f = await freshStore('postgres');
    const config = loadConfig({ DATABASE_URL: f.url!, ...JOB_ENV });
    // This process enqueues and reads (as `serve --no-worker`); the single-process run uses an in-process runner.
    queue = new PgBossQueue({ url: f.url!, ...config.jobs, worker: 'test-api' });
    const deps = { ...depsFor(f.store), jobs: queue, chunkItems: CHUNK };
    registerJobs(deps, queue);
    await queue.start({ work: false });
    inProcess = new InProcessQueue();
    single = { ...deps, jobs: inProcess, chunkItems: 10 * ITEMS, resultBatchRows: 2500 };
    registerJobs(single, inProcess);
    await inProcess.start();
    w = await makeWorld(deps);
    campaignId = await newCampaign(w, 'c', DATE);
    await createUpload(w.deps, w.a.editor.actor, {
      campaignId,
      fileName: 'big.csv',
      mapping: null,
      content: Buffer.from(csv),
    });
  }, 120_000);

  afterAll(async () => {
    await killWorkers(workers);
    await inProcess?.stop();
    await queue?.stop({ graceful: false, timeoutMs: 1000 });
    await f?.dispose();
  });

  /** The CLI's totals and F21 ranges on the same file, apart from the server. */
  async function cliTotals(): Promise<{ totals: unknown; uncertainty: unknown }> {
    const root = mkdtempSync(join(tmpdir(), 'empreinte-chunks-cli-'));
    try {
      mkdirSync(join(root, 'in'));
      writeFileSync(join(root, 'in', 'big.csv'), csv);
      // `--uncertainty` writes to stdout only.
      const out = await cliOut([
        'assess',
        join(root, 'in'),
        '--date',
        DATE,
        '--summary',
        '--uncertainty',
        '--format',
        'json',
      ]);
      return JSON.parse(out.replaceAll(`${join(root, 'in')}/`, '')) as { totals: unknown; uncertainty: unknown };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  const waitDone = async (jobId: string, ms = 120_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const j = await getJob(w.deps, w.a.viewer.actor, { jobId });
      if (j.status === 'done' || j.status === 'failed' || Date.now() > end) return j;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const chunks = (jobId: string) =>
    f.store.db.selectFrom('assessment_chunks').selectAll().where('job_id', '=', jobId).orderBy('chunk').execute();
  /** Every stored item of the campaign, as text, in position order. */
  const storedItems = async () =>
    (
      await sql<{
        position: number;
        name: string;
        vals: string;
        status: string;
      }>`select position, name, vals, status from result_items where campaign_id = ${campaignId} order by position`.execute(
        f.store.db,
      )
    ).rows;
  const count = async (q: string) => Number((await sql<{ n: string }>`${sql.raw(q)}`.execute(f.store.db)).rows[0]!.n);
  const breakdowns = async () => {
    const b = await getBreakdowns(w.deps, w.a.viewer.actor, { campaignId, criterion: 'CLIMATE_CHANGE' });
    return { ...b, jobId: undefined, computedAt: undefined };
  };

  let reference: { totals: Record<string, unknown>; items: Awaited<ReturnType<typeof storedItems>> };
  /** The job whose results the campaign shows (readers see a job's results only once it has ended). */
  const currentJob = async () =>
    (await getBreakdowns(w.deps, w.a.viewer.actor, { campaignId, criterion: 'CLIMATE_CHANGE' })).jobId;
  let previousJob: string;

  it('(a) two workers take the chunks of one assessment; results equal one process and the CLI', async () => {
    // The single-process run: one chunk, in this process.
    const t0 = Date.now();
    const { jobId: singleJob } = await startAssessment(single, w.a.editor.actor, { campaignId });
    await inProcess.idle();
    const singleMs = Date.now() - t0;
    expect((await getJob(w.deps, w.a.viewer.actor, { jobId: singleJob })).status).toBe('done');
    expect(await chunks(singleJob)).toHaveLength(1);
    reference = { totals: await getTotals(w.deps, w.a.viewer.actor, { campaignId }), items: await storedItems() };
    expect(reference.items).toHaveLength(ITEMS);
    const singleBreakdowns = await breakdowns();
    const cli = await cliTotals();
    expect((reference.totals as { totals: unknown }).totals).toEqual(cli.totals);
    expect((reference.totals as { uncertainty: unknown }).uncertainty).toEqual(cli.uncertainty);
    expect((cli.uncertainty as unknown[]).length).toBeGreaterThan(0);

    const one = startWorker(0);
    const two = startWorker(0);
    const names = [await ready(one), await ready(two)];
    const t1 = Date.now();
    const { jobId } = await startAssessment(w.deps, w.a.editor.actor, { campaignId });
    const job = await waitDone(jobId);
    const sharedMs = Date.now() - t1;
    expect(job).toMatchObject({ status: 'done', progress: 1, errors: [] });
    // The finishing worker logs after its commit, which waitDone can see first (a loaded machine): wait for its lines.
    const finished = () => [...one.logs, ...two.logs].some((l) => l.msg === 'assessment done' && l.jobId === jobId);
    for (const t = Date.now(); !finished() && Date.now() - t < 10_000;) await new Promise((r) => setTimeout(r, 50));
    const plan = await chunks(jobId);
    console.info(
      [...one.logs, ...two.logs]
        .filter((l) => l.msg === 'chunk done')
        .map((l) => `chunk ${String(l.chunk)}: ${String(l.ms)} ms`)
        .join(', '),
    );
    expect(plan.map((c) => [c.first, c.last, c.items, c.status, c.attempts])).toEqual([
      [0, 50_000, 50_000, 'done', 1],
      [50_000, null, 50_000, 'done', 1],
    ]);
    // Each worker took at least one chunk, as the chunk records and the workers' logs say.
    expect(new Set(plan.map((c) => c.worker))).toEqual(new Set(names));
    for (const x of [one, two]) expect(x.logs.filter((l) => l.msg === 'chunk done').length).toBeGreaterThan(0);
    const doneBy = [...one.logs, ...two.logs].filter((l) => l.msg === 'assessment done');
    expect(doneBy).toHaveLength(1);
    expect(doneBy[0]).toMatchObject({ jobId, items: ITEMS, chunks: 2 });

    expect(await getTotals(w.deps, w.a.viewer.actor, { campaignId })).toEqual(reference.totals);
    expect(await storedItems()).toEqual(reference.items);
    expect(await breakdowns()).toEqual(singleBreakdowns);
    expect(await count(`select count(*) as n from result_items_staging`)).toBe(0);
    console.info(
      `${ITEMS} items: one process ${singleMs} ms; two workers, 2 chunks ${sharedMs} ms (split ${names.map((n) => plan.filter((c) => c.worker === n).length).join('/')})`,
    );
    previousJob = jobId;
    expect(await currentJob()).toBe(jobId);
    for (const x of [one, two]) x.child.kill('SIGTERM');
    for (const x of [one, two]) expect(await x.exited).toBe(0);
  }, 240_000);

  it('(b) SIGKILL a worker mid-chunk: previous totals stay, the chunk is retried, every item once', async () => {
    // Slow workers (a pause after each batch of 2,500 rows) so a chunk can be killed mid-way.
    const one = startWorker(300);
    const two = startWorker(300);
    const names = [await ready(one), await ready(two)];
    const { jobId } = await startAssessment(w.deps, w.a.editor.actor, { campaignId });
    let victim: { chunk: number; worker: string } | undefined;
    const t0 = Date.now();
    while (victim === undefined) {
      expect(Date.now() - t0, 'a chunk stages rows').toBeLessThan(90_000);
      const running = (await chunks(jobId)).filter((c) => c.status === 'running');
      for (const c of running) {
        const staged = await count(`select count(*) as n from result_items_staging where attempt = '${c.attempt!}'`);
        if (staged >= 2500) victim = { chunk: c.chunk, worker: c.worker! };
      }
      if (victim === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    const killed = [one, two][names.indexOf(victim.worker)]!;
    expect(await currentJob()).toBe(previousJob);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const killedAt = Date.now();
    expect(await currentJob()).toBe(previousJob);
    expect(await getTotals(w.deps, w.a.viewer.actor, { campaignId })).toEqual(reference.totals);
    expect(await count(`select count(*) as n from result_items where campaign_id = '${campaignId}'`)).toBe(ITEMS);

    const job = await waitDone(jobId, 150_000);
    expect(job).toMatchObject({ status: 'done', progress: 1, errors: [] });
    const plan = await chunks(jobId);
    const retried = plan.find((c) => c.chunk === victim!.chunk)!;
    expect(retried).toMatchObject({ status: 'done', attempts: 2, items: CHUNK });
    expect(retried.worker).not.toBe(victim.worker);
    expect(plan.reduce((n, c) => n + c.items!, 0)).toBe(ITEMS);
    expect(await currentJob()).toBe(jobId);
    expect(await getTotals(w.deps, w.a.viewer.actor, { campaignId })).toEqual(reference.totals);
    expect(await storedItems()).toEqual(reference.items);
    expect(
      await count(`select count(distinct position) as n from result_items where campaign_id = '${campaignId}'`),
    ).toBe(ITEMS);
    expect(await count(`select count(*) as n from result_items_staging`)).toBe(0);
    console.info(
      `crash test: chunk ${victim.chunk} killed; job done ${Date.now() - killedAt} ms after the SIGKILL (expiry 60 s)`,
    );
  }, 240_000);
});
