/**
 * An assessment writes its results in bounded batches while it runs, and readers never see a run before it ends: on
 * SQLite and PostgreSQL, a hook after each batch looks at what the API's use cases return mid-run (the previous
 * totals and items) and at the staging table (growing by one batch at a time); a run failing mid-way leaves nothing
 * behind; the next run replaces the results whole. Also: `empreinte worker` and `serve --no-worker` refuse SQLite
 * with one coded line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import {
  abandonAssessment,
  getJob,
  getTotals,
  listItems,
  registerJobs,
  startAssessment,
} from '../../src/server/usecases/assessments.js';
import type { UseCaseDeps } from '../../src/server/usecases/deps.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { physicalCsv } from './generated.js';
import { depsFor, makeWorld, type World } from './world.js';
import { newCampaign } from './served-world.js';
import { runCli } from '../helpers/cli.js';

const BATCH = 50;

describe.each(DATABASES)('streamed assessment results on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let queue: InProcessQueue;
  let campaignId: string;
  /** What the test does after each batch (set per test). */
  let onBatch: (rows: number) => Promise<void> = async () => undefined;

  beforeAll(async () => {
    f = await freshStore(d);
    queue = new InProcessQueue();
    const deps: UseCaseDeps = {
      ...depsFor(f.store),
      jobs: queue,
      resultBatchRows: BATCH,
      jobHooks: { afterBatch: ({ rows }) => onBatch(rows) },
    };
    registerJobs(deps, queue);
    await queue.start();
    w = await makeWorld(deps);
    campaignId = await newCampaign(w, 'c', '2025-06-30');
  });
  afterAll(async () => {
    await queue?.stop({ graceful: true });
    await f?.dispose();
  });

  const actor = () => w.a.editor.actor;
  const upload = (name: string, csv: string) =>
    createUpload(w.deps, actor(), { campaignId, fileName: name, mapping: null, content: Buffer.from(csv) });
  const run = async () => {
    const { jobId } = await startAssessment(w.deps, actor(), { campaignId });
    await queue.idle();
    return getJob(w.deps, actor(), { jobId });
  };
  const visible = async () =>
    (await listItems(w.deps, actor(), { campaignId, offset: 0, limit: 1, sort: 'position', order: 'asc' })).total;
  const staged = async () =>
    Number(
      (
        await f.store.db
          .selectFrom('result_items_staging')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stages rows batch by batch, invisible to readers; a run failing mid-way leaves the previous result and no row', async () => {
    await upload('a.csv', physicalCsv('A', 120));
    const seen: number[] = [];
    onBatch = async (rows) => {
      seen.push(await staged());
      expect(rows).toBe(await staged());
    };
    expect((await run()).status).toBe('done');
    // 120 rows in batches of 50: 50, 100, then the last 20 at the end.
    expect(seen).toEqual([50, 100, 120]);
    expect(await staged()).toBe(0);
    expect(await visible()).toBe(120);
    const before = await getTotals(w.deps, actor(), { campaignId });

    await upload('b.csv', physicalCsv('B', 130));
    const mid: { staged: number; visible: number; same: boolean }[] = [];
    onBatch = async (rows) => {
      mid.push({
        staged: await staged(),
        visible: await visible(),
        same: JSON.stringify(await getTotals(w.deps, actor(), { campaignId })) === JSON.stringify(before),
      });
      if (rows >= 3 * BATCH) throw new Error('injected failure after three batches');
    };
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]).toMatch(
      /^JOB_ATTEMPTS_EXHAUSTED The job failed after 1 attempt\(s\); last error: injected failure after three batches$/,
    );
    expect(mid).toEqual([
      { staged: 50, visible: 120, same: true },
      { staged: 100, visible: 120, same: true },
      { staged: 150, visible: 120, same: true },
    ]);
    expect(await staged()).toBe(0);
    expect(await visible()).toBe(120);
    expect(await getTotals(w.deps, actor(), { campaignId })).toEqual(before);

    mid.length = 0;
    onBatch = async () => {
      mid.push({ staged: await staged(), visible: await visible(), same: true });
    };
    expect((await run()).status).toBe('done');
    expect(mid.map((m) => m.staged)).toEqual([50, 100, 150, 200, 250]);
    expect(mid.every((m) => m.visible === 120)).toBe(true);
    expect(await visible()).toBe(250);
    expect(await staged()).toBe(0);
    expect(await getTotals(w.deps, actor(), { campaignId })).not.toEqual(before);
  });

  it('a job abandoned by the queue (its worker died on the last attempt) ends failed; its stale attempt cannot finish it', async () => {
    const before = await getTotals(w.deps, actor(), { campaignId });
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const firstBatch = new Promise<void>((r) => (reached = r));
    onBatch = async () => {
      reached();
      await blocked; // the worker "hangs" after its first batch, as if it were gone
    };
    const { jobId } = await startAssessment(w.deps, actor(), { campaignId });
    await firstBatch;
    expect(await staged()).toBe(BATCH);
    expect((await getJob(w.deps, actor(), { jobId })).status).toBe('running');
    const expired =
      'JOB_EXPIRED The job did not finish within 12 s or its worker stopped (crash, kill); it was given back to the queue.';
    await abandonAssessment(w.deps, { jobId, organisationId: w.orgA, campaignId }, expired);
    await abandonAssessment(w.deps, { jobId, organisationId: w.orgA, campaignId }, 'a second call');
    const job = await getJob(w.deps, actor(), { jobId });
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([`JOB_ATTEMPTS_EXHAUSTED The job failed after 1 attempt(s); last error: ${expired}`]);
    expect(await staged()).toBe(0);
    // The stale attempt wakes up and runs to its end: the fence refuses its results.
    release();
    await queue.idle();
    expect(await getJob(w.deps, actor(), { jobId })).toEqual(job);
    expect(await getTotals(w.deps, actor(), { campaignId })).toEqual(before);
    expect(await staged()).toBe(0);
  });
});

describe('workers need PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-worker-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`empreinte worker` on SQLite is one coded line, exit 2', async () => {
    const r = await runCli(['worker'], { EMPREINTE_DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^empreinte: JOB_SQLITE_NO_WORKER empreinte worker needs PostgreSQL \(DATABASE_URL\)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('`serve --no-worker` and EMPREINTE_WORKER=0 on SQLite are refused the same way', async () => {
    for (const [args, env] of [
      [['serve', '--no-worker'], { EMPREINTE_DATA_DIR: dir, PORT: '0' }],
      [['serve'], { EMPREINTE_DATA_DIR: dir, PORT: '0', EMPREINTE_WORKER: '0' }],
    ] as const) {
      const r = await runCli([...args], env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^empreinte: JOB_SQLITE_NO_WORKER empreinte serve --no-worker/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
