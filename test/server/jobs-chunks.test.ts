/**
 * An assessment split in chunks (EMPREINTE_CHUNK_ITEMS) through the in-process runner, on SQLite and PostgreSQL: the
 * example inventory (hosts in a datacenter, their virtual machines and applications, so a chunk's items need items
 * of other chunks) assessed in chunks of 5 items gives exactly what one chunk gives — the totals document, every
 * stored item, every breakdown including the largest items, the F21 ranges and the uncertainty fixes (computed once,
 * by the chunk that finishes the job) — and what the CLI's `assess --summary --uncertainty` gives on the same files.
 * Every chunk is recorded done with its items; nothing is left staged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { getJob, getTotals, listItems, registerJobs, startAssessment } from '../../src/server/usecases/assessments.js';
import { getBreakdowns } from '../../src/server/usecases/aggregates.js';
import type { UseCaseDeps } from '../../src/server/usecases/deps.js';
import { getQuality } from '../../src/server/usecases/quality.js';
import * as org from '../../src/server/usecases/organisations.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, unique, type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const DIR = 'examples/inventory';
const DATE = '2025-06-30';

async function cliSummary(): Promise<{ totals: unknown; uncertainty: unknown }> {
  const out = await cliOut(['assess', DIR, '--date', DATE, '--summary', '--uncertainty', '--format', 'json']);
  // The CLI names files by their path, the server by the uploaded name: the only difference allowed.
  return JSON.parse(out.replaceAll(`${DIR}/`, '')) as { totals: unknown; uncertainty: unknown };
}

describe.each(DATABASES)('chunked assessment through the in-process runner on %s', (d) => {
  let f: FreshStore;
  let w: World;
  const queues: InProcessQueue[] = [];
  let whole: UseCaseDeps;
  let chunked: UseCaseDeps;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    f = await freshStore(d);
    const base = depsFor(f.store);
    const withQueue = (chunkItems: number): UseCaseDeps => {
      const queue = new InProcessQueue();
      const log = {
        info: (fields: Record<string, unknown>, message: string) => logged.push({ ...fields, message }),
        warn: () => undefined,
      };
      const deps = { ...base, jobs: queue, chunkItems, resultBatchRows: 3, log };
      registerJobs(deps, queue);
      queues.push(queue);
      return deps;
    };
    whole = withQueue(1_000_000);
    chunked = withQueue(5);
    for (const q of queues) await q.start();
    w = await makeWorld(whole);
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await f?.dispose();
  });

  const campaignWithExample = async (deps: UseCaseDeps) => {
    const { id } = await org.createCampaign(deps, w.a.admin.actor, {
      organisationId: w.orgA,
      name: unique('c'),
      referenceDate: DATE,
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    for (const name of readdirSync(DIR)
      .filter((n) => n.endsWith('.csv'))
      .sort())
      await createUpload(deps, w.a.editor.actor, {
        campaignId: id,
        fileName: name,
        mapping: null,
        content: readFileSync(join(DIR, name)),
      });
    return id;
  };
  const assessed = async (deps: UseCaseDeps) => {
    const campaignId = await campaignWithExample(deps);
    const { jobId } = await startAssessment(deps, w.a.editor.actor, { campaignId });
    await (deps.jobs as InProcessQueue).idle();
    // The F21 ranges are computed once per job, by the chunk that finishes it, not once per chunk.
    expect(logged.filter((l) => l.jobId === jobId && l.message === 'uncertainty computed')).toHaveLength(1);
    expect(await getJob(deps, w.a.viewer.actor, { jobId })).toMatchObject({ status: 'done', progress: 1, errors: [] });
    const read = { campaignId, sort: 'position', order: 'asc' as const, offset: 0, limit: 1000 };
    const items = await listItems(deps, w.a.viewer.actor, read);
    const totals = await getTotals(deps, w.a.viewer.actor, { campaignId });
    const criteria = (totals.totals as { byCriterion: { criterion: string }[] }).byCriterion.map((c) => c.criterion);
    const breakdowns = [];
    for (const criterion of criteria) {
      const b = await getBreakdowns(deps, w.a.viewer.actor, { campaignId, criterion });
      breakdowns.push({ ...b, jobId: undefined, computedAt: undefined, campaignId: undefined });
    }
    const chunks = await f.store.db
      .selectFrom('assessment_chunks')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('chunk')
      .execute();
    const { uncertaintyFixes } = await getQuality(deps, w.a.viewer.actor, { campaignId });
    const staged = await f.store.db
      .selectFrom('result_items_staging')
      .select('position')
      .where('campaign_id', '=', campaignId)
      .execute();
    return { items, totals, breakdowns, uncertaintyFixes, chunks, staged };
  };

  it('chunks of 5 items give exactly the totals, items and breakdowns of one chunk, and the CLI totals', async () => {
    const one = await assessed(whole);
    const many = await assessed(chunked);
    expect(one.chunks).toHaveLength(1);
    // The plan estimates the items from the uploads' imported lines; the last chunk, open-ended, takes the rest.
    expect(many.chunks.length).toBeGreaterThanOrEqual(3);
    expect(many.chunks.every((c) => c.status === 'done' && c.attempts === 1)).toBe(true);
    expect(many.chunks.reduce((n, c) => n + c.items!, 0)).toBe(one.items.total);
    expect(many.chunks.slice(0, 3).map((c) => [c.first, c.last, c.items])).toEqual([
      [0, 5, 5],
      [5, 10, 5],
      [10, 15, 5],
    ]);
    expect(many.chunks.at(-1)!.last).toBeNull();
    // Virtual machines and applications are in other chunks than their hosts (physical lines come first).
    const kindsAfter18 = new Set(many.items.items.filter((i) => i.position >= 20).map((i) => i.kind));
    expect(kindsAfter18.has('virtual-equipment') || kindsAfter18.has('application')).toBe(true);
    expect(many.staged).toEqual([]);
    expect(one.staged).toEqual([]);
    expect(many.totals).toEqual(one.totals);
    expect(many.items).toEqual(one.items);
    expect(many.breakdowns).toEqual(one.breakdowns);
    expect(many.uncertaintyFixes).toEqual(one.uncertaintyFixes);
    expect(many.uncertaintyFixes?.fixes.length).toBeGreaterThan(0);
    const cli = await cliSummary();
    expect(many.totals.totals).toEqual(cli.totals);
    // The F21 ranges (same calls and seed as the CLI) are in the document, once, whatever the chunks.
    expect((many.totals as { uncertainty?: unknown }).uncertainty).toEqual(cli.uncertainty);
    expect((cli.uncertainty as unknown[]).length).toBeGreaterThan(0);
    // The largest items come from every chunk, not the last one's alone.
    const top = one.breakdowns[0]!.top;
    expect(top.length).toBeGreaterThan(5);
    expect(new Set(top.map((t) => Math.floor(t.position / 5))).size).toBeGreaterThan(1);
  });
});
