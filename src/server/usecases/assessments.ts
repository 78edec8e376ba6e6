/**
 * Assessments as jobs. `startAssessment` records a job (queued) and enqueues it under the same id; the job runs the
 * application layer's assess use case over the campaign's uploads (their stored bytes as stream sources, each with its
 * mapping) into a store sink that writes each item's wide row (src/outputs/wide.ts's column model, exact values) in
 * bounded batches to a staging table, under the attempt's id, as the engine produces them. One short transaction at
 * the end makes them the campaign's results, with the totals document: readers see the previous complete result until
 * then, and a failed, killed or retried attempt never shows (its staged rows go with the next attempt or the end).
 * Each delivery is an attempt; only the job's current attempt may finish it (a fence against a stale worker).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { assess, type RunRequest } from '../../app/assess.js';
import { standardDeps } from '../../app/deps.js';
import type { AssessSink, AssessSummary } from '../../app/sink.js';
import type { Source } from '../../app/sources.js';
import { Layout } from '../../engine/layout.js';
import type { RunMeta } from '../../engine/index.js';
import type { StepCode } from '../../referential/codes.js';
import { wideHeader, wideRows, WIDE_DIMENSIONS } from '../../outputs/wide.js';
import { scoped, type Actor, type ItemSort } from '../../store/scoped.js';
import type { Campaign, ResultItemStagingTable, Upload } from '../../store/schema.js';
import type { JobContext, JobQueue } from '../jobs/queue.js';
import { formatIssue, issue } from '../../issues/catalogue.js';
import { campaignRun, campaignSources, fromJson, readCampaignStored } from './campaign-run.js';
import { refuseRestricted, subtreeTotals } from './entity-scope.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { assertUnlocked } from './organisations.js';
import { aggregateRows, ItemTops, mergeTops, UNCERTAINTY_FIXES, type TopItem } from './aggregates.js';
import { pinnedReferentialDir, registerRecompute } from './referential-runs.js';
import { isCounted } from '../../app/steering/run-items.js';
import { UncertaintyAccumulator } from '../../app/steering/uncertainty.js';
import { campaignUncertainty } from './uncertainty.js';

export const ASSESS_JOB = 'assess-campaign';
/** A chunk of an assessment job split in several (a job of one chunk runs it itself). */
export const CHUNK_JOB = 'assess-campaign-chunk';
const Payload = z.object({ jobId: z.string(), organisationId: z.string(), campaignId: z.string() });
const ChunkPayload = Payload.extend({ chunk: z.number().int().min(0) });

/** The job runs on behalf of the campaign's organisation (the queue carries no user). */
const systemActor = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: false,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

export const JobView = z
  .object({
    id: z.string(),
    name: z.string(),
    campaignId: z.string().nullable(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number().min(0).max(1),
    errors: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Job' });

/** Registers the assessment handler on the queue (once, before `start`). */
export function registerJobs(deps: UseCaseDeps, queue: JobQueue): void {
  queue.register(ASSESS_JOB, {
    schema: Payload,
    run: (p, job) => runAssessment(deps, p, job),
    abandoned: (p, reason) => abandonAssessment(deps, p, reason),
  });
  queue.register(CHUNK_JOB, {
    schema: ChunkPayload,
    run: (p, job) => runAssessmentChunk(deps, p, job),
    abandoned: (p, reason) => abandonAssessment(deps, p, reason),
  });
  registerRecompute(deps, queue);
}

export const startAssessment = async (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) => {
  if (deps.jobs === undefined) throw new Error('no job queue');
  const jobId = deps.uuid();
  const organisationId = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:write', c.organisation_id, 'campaign');
    refuseRestricted(actor, c.organisation_id, 'assessment campaign:write');
    assertUnlocked(c);
    const now = deps.clock.nowIso();
    await s.jobs.insert({
      id: jobId,
      organisation_id: c.organisation_id,
      campaign_id: c.id,
      name: ASSESS_JOB,
      status: 'queued',
      progress: 0,
      error: null,
      created_at: now,
      updated_at: now,
    });
    await s.audit.append({
      id: deps.uuid(),
      organisation_id: c.organisation_id,
      actor_user_id: actor.userId,
      action: 'campaign.assess',
      target_type: 'campaign',
      target_id: c.id,
      details: JSON.stringify({ jobId }),
      at: now,
    });
    return c.organisation_id;
  });
  await deps.jobs.enqueue(ASSESS_JOB, { jobId, organisationId, campaignId: input.campaignId }, { id: jobId });
  return { jobId };
};

export const getJob = (deps: UseCaseDeps, actor: Actor, input: { jobId: string }) =>
  deps.store.transaction(async (tx): Promise<z.output<typeof JobView>> => {
    const s = await scoped(tx, actor);
    const j = await s.jobs.get(input.jobId);
    if (j === undefined || j.organisation_id === null)
      throw new AppError('APP_NOT_FOUND', { kind: 'job', id: input.jobId });
    authorize(actor, 'campaign:read', j.organisation_id, 'job');
    refuseRestricted(actor, j.organisation_id, 'assessment campaign:read');
    return {
      id: j.id,
      name: j.name,
      campaignId: j.campaign_id,
      status: j.status,
      progress: j.progress,
      errors: j.error === null ? [] : [j.error],
      createdAt: j.created_at,
      updatedAt: j.updated_at,
    };
  });

const text = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

type Payload = z.output<typeof Payload>;
type ChunkPayload = z.output<typeof ChunkPayload>;
type Scope = Awaited<ReturnType<typeof scoped>>;
const DEFAULT_BATCH_ROWS = 1000;
const DEFAULT_CHUNK_ITEMS = 500_000;

/** A job run outside any queue (tests, one-off calls): one attempt, never retried. */
const directJob = (p: Payload): JobContext => ({
  id: p.jobId,
  signal: new AbortController().signal,
  attempt: 1,
  lastAttempt: true,
  worker: 'direct',
});

/** Thrown by an attempt that a newer attempt of the same job has fenced off: it must not finish the job. */
class SupersededAttempt extends Error {
  override name = 'SupersededAttempt';
}

/** The text of a failure; a queue stop or an expiry aborts the signal with a coded reason (JOB_INTERRUPTED…). */
function failureText(e: unknown, job: JobContext): string {
  const r: unknown = job.signal.aborted ? job.signal.reason : undefined;
  if (r !== undefined && e === r && r instanceof Error) return r.message;
  if (e instanceof AppError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * What an assessment of the campaign reads: its stored uploads as stream sources (each with its mapping) and the run
 * (profile, reference date). The assessment job and the steering use cases (src/server/usecases/steering-load.ts)
 * read a campaign through this one function.
 */
export function assessmentInput(
  campaign: Pick<Campaign, 'profile' | 'reference_date'>,
  files: readonly Pick<Upload, 'file_name' | 'mapping' | 'report' | 'content'>[],
): { sources: Source[]; run: RunRequest } {
  // Files that could not be read at all (a header missing…) are reported at upload and left out; a file whose every
  // line was refused when validated alone is assessed with the others (campaign-run.ts, the one copy of the rule).
  return { sources: campaignSources(files), run: campaignRun(campaign) };
}

/** A chunk's partial aggregates, stored with it once done and merged by the last chunk to finish. */
interface ChunkPartial {
  /** SHA-256 of the run's totals document: every chunk ran the engine over the same inputs, so all are equal. */
  readonly digest: string;
  readonly tops: Record<string, TopItem[]>;
}

/**
 * Splits the job's items in chunks, once per job (a retried delivery finds the plan): chunk k holds the items at
 * positions [k × size, (k + 1) × size) in the engine's order (the order of the uploads, then of their lines), the last
 * one everything after. The item count is estimated from the uploads' reports (lines imported); the last chunk being
 * open-ended, an estimate off by some items only unbalances the chunks. The plan records the uploads read, so every
 * chunk reads the same ones even if an upload arrives meanwhile.
 */
async function planChunks(deps: UseCaseDeps, s: Scope, p: Payload) {
  const existing = await s.chunks.list(p.jobId);
  if (existing.length > 0) return existing;
  const uploads = await s.uploads.list(p.campaignId);
  const estimate = uploads.reduce((n, u) => {
    const r = fromJson(u.report) as { imported?: unknown } | null;
    return n + (typeof r?.imported === 'number' ? r.imported : 0);
  }, 0);
  const size = deps.chunkItems ?? DEFAULT_CHUNK_ITEMS;
  const count = Math.max(1, Math.ceil(estimate / size));
  const now = deps.clock.nowIso();
  const ids = JSON.stringify(uploads.map((u) => u.id));
  await s.chunks.insert(
    Array.from({ length: count }, (_, k) => ({
      job_id: p.jobId,
      chunk: k,
      organisation_id: p.organisationId,
      campaign_id: p.campaignId,
      first: k * size,
      last: k === count - 1 ? null : (k + 1) * size,
      uploads: ids,
      status: 'queued' as const,
      attempt: null,
      worker: null,
      items: null,
      partial: null,
      updated_at: now,
    })),
  );
  return s.chunks.list(p.jobId);
}

/**
 * The job: one attempt at assessing the campaign's uploads. It plans the chunks (once); a small campaign is one
 * chunk, run here, and a failure records `queued` with the error when pg-boss will retry, `failed` with
 * JOB_ATTEMPTS_EXHAUSTED on the last attempt. A larger one is split: every chunk is enqueued for any worker to take,
 * and the last chunk to finish ends the job.
 * Idempotent: a delivery of a job already done does nothing.
 */
export async function runAssessment(deps: UseCaseDeps, p: Payload, job: JobContext = directJob(p)): Promise<void> {
  const actor = systemActor(p.organisationId);
  const inTx = <T>(fn: (s: Scope) => Promise<T>) => deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));
  const attempt = deps.uuid();
  const logged = { jobId: p.jobId, campaignId: p.campaignId, attempt: job.attempt, worker: job.worker };
  const plan = await inTx(async (s) =>
    (await s.jobs.startAttempt(p.jobId, attempt, job.worker, deps.clock.nowIso())) ? planChunks(deps, s, p) : null,
  );
  if (plan === null) {
    deps.log?.info(logged, 'assessment already done; delivery ignored');
    return;
  }
  deps.log?.info({ ...logged, chunks: plan.length }, 'assessment started');
  try {
    if (plan.length > 1) {
      // Every chunk, the first included, is a job of the chunk queue: a worker takes one chunk at a time there, so
      // two workers share the chunks (running chunk 0 here left this worker's chunk slot free to take chunk 1 too).
      if (deps.jobs === undefined) throw new Error(`job ${p.jobId} has ${plan.length} chunks and no queue to run them`);
      for (const c of plan)
        if (c.status !== 'done')
          await deps.jobs.enqueue(CHUNK_JOB, { ...p, chunk: c.chunk }, { key: `${p.jobId}:${c.chunk}` });
      deps.log?.info({ ...logged, chunks: plan.length }, 'chunks queued');
      return;
    }
    await runChunk(deps, p, 0, job, attempt);
  } catch (e) {
    const reason = failureText(e, job);
    if (e instanceof SupersededAttempt) {
      deps.log?.warn({ ...logged, reason }, 'assessment superseded');
    } else {
      const last = job.lastAttempt;
      const error = last
        ? formatIssue(issue('JOB_ATTEMPTS_EXHAUSTED', { attempts: job.attempt, reason }))
        : `attempt ${job.attempt} failed, to be retried: ${reason}`;
      await inTx(async (s) => {
        const now = deps.clock.nowIso();
        await s.chunks.release(p.jobId, 0, attempt, now);
        const current = await s.jobs.updateIfCurrent(p.jobId, attempt, {
          status: last ? 'failed' : 'queued',
          error,
          updated_at: now,
        });
        // The job failed for good: no chunk will finish it; what they staged goes.
        if (current && last) await s.results.discardStaged(p.campaignId, p.jobId);
      }).catch(() => undefined);
      deps.log?.warn({ ...logged, reason, retry: !last }, 'assessment failed');
    }
    await inTx((s) => s.results.discardAttempt(p.campaignId, attempt)).catch(() => undefined);
    throw e;
  }
}

/**
 * A chunk job: one attempt at the chunk, taken by any worker. A failure leaves the chunk to pg-boss's
 * retry (the job's error says so); on its last attempt the whole job fails with JOB_ATTEMPTS_EXHAUSTED.
 */
export async function runAssessmentChunk(deps: UseCaseDeps, p: ChunkPayload, job: JobContext): Promise<void> {
  const actor = systemActor(p.organisationId);
  const inTx = <T>(fn: (s: Scope) => Promise<T>) => deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));
  const attempt = deps.uuid();
  const logged = { jobId: p.jobId, chunk: p.chunk, attempt: job.attempt, worker: job.worker };
  try {
    await runChunk(deps, p, p.chunk, job, attempt);
  } catch (e) {
    const reason = failureText(e, job);
    if (e instanceof SupersededAttempt) {
      deps.log?.warn({ ...logged, reason }, 'chunk superseded');
    } else {
      const last = job.lastAttempt;
      await inTx(async (s) => {
        const now = deps.clock.nowIso();
        await s.chunks.release(p.jobId, p.chunk, attempt, now);
        if (last) {
          const error = formatIssue(issue('JOB_ATTEMPTS_EXHAUSTED', { attempts: job.attempt, reason }));
          await s.jobs.failIfUnfinished(p.jobId, error, now);
          await s.results.discardStaged(p.campaignId, p.jobId);
        } else
          await s.chunks.noteJob(p.jobId, {
            error: `chunk ${p.chunk} attempt ${job.attempt} failed, to be retried: ${reason}`,
            updated_at: now,
          });
      }).catch(() => undefined);
      deps.log?.warn({ ...logged, reason, retry: !last }, 'chunk failed');
    }
    await inTx((s) => s.results.discardAttempt(p.campaignId, attempt)).catch(() => undefined);
    throw e;
  }
}

/**
 * One attempt at chunk `chunk` of the job. The engine runs over all the job's uploads (an item may need others: a
 * virtual machine its host, a host its datacenter; and the run's totals are the engine's), and the attempt writes the
 * wide rows of the chunk's items only, staged in batches of `resultBatchRows` under its attempt id, and keeps their
 * largest items per criterion. One transaction then marks the chunk done with its partial aggregates (fenced: only
 * the chunk's current attempt may), and when every chunk is done — the job's record is locked first, so two chunks
 * finishing at once take turns and exactly one sees all done — the same transaction merges the partials and makes
 * the staged rows of the done chunks' current attempts the campaign's results, with the totals and the aggregates:
 * readers see the previous results until that commit, and a retried or duplicated chunk never counts twice.
 */
async function runChunk(
  deps: UseCaseDeps,
  p: Payload,
  chunk: number,
  job: JobContext,
  attempt: string,
): Promise<'skipped' | 'done'> {
  const actor = systemActor(p.organisationId);
  const inTx = <T>(fn: (s: Scope) => Promise<T>) => deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));
  const started = Date.now();
  const logged = { jobId: p.jobId, campaignId: p.campaignId, chunk, attempt: job.attempt, worker: job.worker };
  const work = await mkdtemp(join(tmpdir(), 'empreinte-assess-'));
  try {
    const start = await inTx(async (s) => {
      const j = await s.jobs.get(p.jobId);
      if (j === undefined || j.status === 'done' || j.status === 'failed') return undefined;
      const c = (await s.chunks.list(p.jobId)).find((x) => x.chunk === chunk);
      if (c === undefined || !(await s.chunks.start(p.jobId, chunk, attempt, job.worker, deps.clock.nowIso())))
        return undefined;
      // Rows an earlier attempt at this chunk staged before it died: fenced off now, never promoted.
      await s.chunks.discardStale(p.campaignId, p.jobId, c.first, c.last, attempt);
      const campaign = await s.campaigns.get(p.campaignId);
      if (campaign === undefined) throw new Error(`campaign ${p.campaignId} is gone`);
      const ids = JSON.parse(c.uploads) as string[];
      const stored = await s.uploadContents(campaign.id);
      const files = ids.map((id) => {
        const f = stored.find((x) => x.id === id);
        if (f === undefined) throw new Error(`upload ${id} of campaign ${campaign.id} is gone`);
        return f;
      });
      const referentialDir = await pinnedReferentialDir(s, campaign.referential_id, work);
      return { range: c, chunks: (await s.chunks.list(p.jobId)).length, campaign, files, referentialDir };
    });
    if (start === undefined) {
      deps.log?.info(logged, 'chunk already done or job ended; delivery ignored');
      return 'skipped';
    }
    const { range, campaign, files, referentialDir } = start;
    const inChunk = (position: number) => position >= range.first && (range.last === null || position < range.last);
    deps.log?.info({ ...logged, first: range.first, last: range.last }, 'chunk started');
    // An upload whose raw bytes the retention period purged cannot be read again: the job fails, coded, and the
    // campaign keeps its last results (docs/deployment.md, "Personal data").
    const purged = files.find((f) => f.content === null);
    if (purged !== undefined) throw new AppError('APP_UPLOAD_PURGED', { id: purged.id, fileName: purged.file_name });
    const { sources, run } = assessmentInput(campaign, files);
    const batchRows = deps.resultBatchRows ?? DEFAULT_BATCH_ROWS;
    let batch: ResultItemStagingTable[] = [];
    let columns: string[] = [];
    let rowOf: ReturnType<typeof wideRows> | undefined;
    let tops: ItemTops | undefined;
    // F21's inputs (factor sums, activity classes) of every counted item, the chunk's and the others', as the pass
    // produces them: the chunk that finishes the job computes the ranges from them, without reading the inputs again.
    let sums: UncertaintyAccumulator | undefined;
    let summary: AssessSummary | undefined;
    let position = 0;
    let written = 0;
    let lastProgress = 0;
    const flush = async () => {
      job.signal.throwIfAborted();
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      await inTx((s) => s.results.stage(rows));
      written += rows.length;
      await deps.jobHooks?.afterBatch?.({ jobId: p.jobId, rows: written });
    };
    const sink: AssessSink = {
      rows: true,
      begin: (meta: RunMeta, layout) => {
        const l = layout ?? new Layout(meta.steps as StepCode[], meta.criteria);
        columns = wideHeader(l).slice(WIDE_DIMENSIONS.length, -1);
        rowOf = wideRows(l, { significantDigits: null });
        tops = new ItemTops(l);
        sums = new UncertaintyAccumulator(l);
      },
      item: (r) => {
        const at = position++;
        if (isCounted(r)) sums!.add(r);
        if (!inChunk(at)) return undefined;
        tops!.offer(at, r);
        const row = rowOf!(r);
        const d = WIDE_DIMENSIONS.length;
        batch.push({
          attempt,
          job_id: p.jobId,
          campaign_id: campaign.id,
          organisation_id: campaign.organisation_id,
          position: at,
          kind: String(row[0]),
          name: String(row[1]),
          entity: text(row[2]),
          type: text(row[3]),
          tier: text(row[4]),
          country: text(row[5]),
          datacenter: text(row[6]),
          quantity: num(row[7]),
          file: text(row[10]),
          line: num(row[11]),
          vals: JSON.stringify(row.slice(d, -1).map((v) => (typeof v === 'number' ? v : null))),
          status: String(row[row.length - 1]),
        });
        // The pipeline waits for the returned promise: reading pauses while a full batch is written.
        return batch.length >= batchRows ? flush() : undefined;
      },
      progress: (done, total) => {
        // A job of one chunk shows the run's progress; a chunked one counts its chunks done.
        if (start.chunks > 1) return;
        const f = total > 0 ? Math.min(0.9, (0.9 * done) / total) : 0;
        if (f - lastProgress >= 0.1) {
          lastProgress = f;
          void inTx((s) => s.chunks.noteJob(p.jobId, { progress: f, updated_at: deps.clock.nowIso() })).catch(
            () => undefined,
          );
        }
      },
      totals: async (s) => {
        summary = s;
        await flush();
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    // The pinned organisation referential is layered over the default pack as by `assess --referential`.
    const referentials = referentialDir === undefined ? {} : { referentials: [referentialDir] };
    await assess(
      { ...standardDeps(() => campaign.reference_date), spoolDir: work },
      { sources, run, trace: false, ...referentials },
      sink,
    );
    job.signal.throwIfAborted();
    // The chunks' totals document (hashed, so that the merge can check every chunk computed the same totals) has no
    // uncertainty: the F21 ranges are computed once per job, by the step that finishes it (below).
    const doc = { meta: summary!.meta, inventory: summary!.inventory, totals: summary!.totals };
    const partial: ChunkPartial = {
      digest: createHash('sha256').update(JSON.stringify(doc)).digest('hex'),
      tops: tops!.get(),
    };
    // F21, always in the server (the document of `assess --summary --uncertainty`): the ranges and fixes of the inputs
    // accumulated during the pass above (the same accumulator and seed as `assess --uncertainty`), computed by the
    // chunk that finishes the job, in its transaction (the draws only: no pass over the items).
    const uncertaintyOf = () => {
      const t0 = Date.now();
      const u = campaignUncertainty(sums!.sums(), summary!.meta);
      deps.log?.info({ ...logged, ms: Date.now() - t0 }, 'uncertainty computed');
      return u;
    };
    const merged = await inTx(async (s) => {
      const now = deps.clock.nowIso();
      // The job's record is locked until the commit: chunks finishing at once take turns.
      if (!(await s.chunks.lockJob(p.jobId, now)))
        throw new SupersededAttempt(`job ${p.jobId} ended before chunk ${chunk} finished`);
      // The fence: only the chunk's current attempt finishes it.
      if (!(await s.chunks.finish(p.jobId, chunk, attempt, written, JSON.stringify(partial), now)))
        throw new SupersededAttempt(`attempt ${job.attempt} of chunk ${chunk} of job ${p.jobId} was superseded`);
      const all = await s.chunks.list(p.jobId);
      const done = all.filter((c) => c.status === 'done');
      if (done.length < all.length) {
        await s.chunks.noteJob(p.jobId, { progress: (0.9 * done.length) / all.length, updated_at: now });
        return undefined;
      }
      const parts = done.map((c) => JSON.parse(c.partial!) as ChunkPartial);
      if (parts.some((x) => x.digest !== partial.digest))
        throw new Error(`the chunks of job ${p.jobId} computed different totals`);
      const items = done.reduce((n, c) => n + c.items!, 0);
      const current = (await s.results.get(campaign.id))?.job_id ?? null;
      const rows = aggregateRows(
        summary!,
        mergeTops(
          summary!.meta.criteria,
          parts.map((x) => x.tops),
        ),
      );
      const u = uncertaintyOf();
      if (u.fixes !== null)
        rows.push({ dimension: UNCERTAINTY_FIXES, key: u.fixes.criterion, vals: JSON.stringify(u.fixes) });
      const document = JSON.stringify({ ...doc, uncertainty: u.ranges });
      await s.aggregates.replace(campaign.organisation_id, campaign.id, p.jobId, current, rows);
      await s.chunks.finishJob(p.jobId, now);
      await s.chunks.promote(campaign.organisation_id, campaign.id, p.jobId, {
        columns: JSON.stringify(columns),
        document,
        computed_at: now,
      });
      // The merged referential's hash (default pack, profile, pinned version) recorded in the campaign.
      await s.orgReferentials.pin(campaign.id, campaign.referential_id, doc.meta.referential.hash);
      await s.audit.append({
        id: deps.uuid(),
        organisation_id: campaign.organisation_id,
        actor_user_id: null,
        action: 'campaign.assessed',
        target_type: 'campaign',
        target_id: campaign.id,
        details: JSON.stringify({
          jobId: p.jobId,
          attempt: job.attempt,
          worker: job.worker,
          items,
          ...(all.length > 1 ? { chunks: all.length } : {}),
        }),
        at: now,
      });
      return { items, chunks: all.length };
    });
    deps.log?.info({ ...logged, items: written, ms: Date.now() - started }, 'chunk done');
    if (merged !== undefined) deps.log?.info({ ...logged, ...merged, ms: Date.now() - started }, 'assessment done');
    return 'done';
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The queue gave up on the job (or one of its chunks) without its handler recording the last failure (its worker was
 * killed or hung on the last attempt, then the job expired): mark it failed and drop what its attempts staged.
 * Idempotent.
 */
export async function abandonAssessment(deps: UseCaseDeps, p: Payload, reason: string): Promise<void> {
  const actor = systemActor(p.organisationId);
  await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const j = await s.jobs.get(p.jobId);
    if (j === undefined || j.status === 'done' || j.status === 'failed') return;
    await s.jobs.failIfUnfinished(
      p.jobId,
      formatIssue(issue('JOB_ATTEMPTS_EXHAUSTED', { attempts: j.attempts, reason })),
      deps.clock.nowIso(),
    );
    await s.results.discardStaged(p.campaignId, p.jobId);
  });
  deps.log?.warn({ jobId: p.jobId, campaignId: p.campaignId, reason }, 'assessment abandoned by the queue');
}

/**
 * The totals document of the campaign's last successful assessment: `assess --summary --uncertainty --format json`
 * (meta, inventory, totals and the F21 range of each criterion's total). Assessed before the server computed ranges,
 * a document has no `uncertainty` until the campaign is assessed again. A member restricted to an entity subtree gets
 * the document of the subtree's items (src/server/usecases/entity-scope.ts), without the campaign's ranges (they are
 * those of the whole campaign's totals, not of the subtree's).
 */
export const getTotals = async (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) => {
  const found = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    const r = await s.results.get(c.id);
    if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'totals of campaign', id: c.id });
    const part = s.entityScope(c.organisation_id);
    if (part === null) return { document: JSON.parse(r.document) as Record<string, unknown> };
    return { subtree: { campaign: c, stored: await readCampaignStored(s, c), part } };
  });
  return found.document ?? subtreeTotals(found.subtree!);
};

export const ItemsQuery = z.object({
  type: z.string().max(200).optional(),
  entity: z.string().max(200).optional(),
  tier: z.string().max(200).optional(),
  q: z.string().max(200).optional().describe('Items whose name contains this text (case-insensitive).'),
  sort: z
    .string()
    .max(200)
    .default('position')
    .describe(
      'position, name, type, entity, tier, or a value column: its name in `columns` or `CRITERION STEP` (e.g. `CLIMATE_CHANGE USE`).',
    ),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const DIMENSION_SORTS = ['position', 'name', 'type', 'entity', 'tier'] as const;

/** The store's sort for a `sort` parameter, or APP_VALIDATION naming what is allowed. */
function itemSort(
  sort: string,
  order: 'asc' | 'desc',
  columns: readonly string[],
  dialect: 'sqlite' | 'postgres',
): ItemSort {
  const dim = DIMENSION_SORTS.find((d) => d === sort);
  if (dim !== undefined) return { by: dim, order, dialect };
  const index = columns.findIndex((c) => c === sort || c.startsWith(`${sort} (`));
  if (index < 0)
    throw new AppError('APP_VALIDATION', {
      field: 'sort',
      value: sort,
      allowed: [...DIMENSION_SORTS, ...columns].join(', '),
    });
  return { by: 'value', index, order, dialect };
}

export const ItemsPage = z
  .object({
    total: z.number().int(),
    offset: z.number().int(),
    columns: z.array(z.string()),
    items: z.array(
      z.object({
        position: z.int().describe('The item in the campaign (its trace: items/{position}/trace).'),
        kind: z.string(),
        name: z.string(),
        entity: z.string().nullable(),
        type: z.string().nullable(),
        tier: z.string().nullable(),
        country: z.string().nullable(),
        datacenter: z.string().nullable(),
        quantity: z.number().nullable(),
        file: z.string().nullable(),
        line: z.number().nullable(),
        values: z.array(z.number().nullable()),
        status: z.string(),
      }),
    ),
  })
  .meta({ id: 'ItemsPage' });

/** One page of the campaign's assessed items (wide), filtered by type, entity, tier. */
export const listItems = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & z.output<typeof ItemsQuery>,
) =>
  deps.store.transaction(async (tx): Promise<z.output<typeof ItemsPage>> => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    const r = await s.results.get(c.id);
    if (r === undefined) return { total: 0, offset: input.offset, columns: [], items: [] };
    const columns = JSON.parse(r.columns) as string[];
    const filter = {
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.entity !== undefined ? { entity: input.entity } : {}),
      ...(input.tier !== undefined ? { tier: input.tier } : {}),
      ...(input.q !== undefined ? { q: input.q } : {}),
    };
    const sort = itemSort(input.sort, input.order, columns, deps.store.dialect);
    const [rows, count] = await s.results.items(c.id, filter, { offset: input.offset, limit: input.limit }, sort);
    return {
      total: count.n,
      offset: input.offset,
      columns,
      items: rows.map((x) => ({
        position: x.position,
        kind: x.kind,
        name: x.name,
        entity: x.entity,
        type: x.type,
        tier: x.tier,
        country: x.country,
        datacenter: x.datacenter,
        quantity: x.quantity,
        file: x.file,
        line: x.line,
        values: JSON.parse(x.vals) as (number | null)[],
        status: x.status,
      })),
    };
  });
