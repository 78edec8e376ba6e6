/**
 * What runs with an organisation's referential version (issue 12), kept apart from the routes' schemas: the version's
 * files written to a job's private folder (a referential folder like a CLI one, layered over the default pack by
 * `assess`'s `referentials`, src/app/load-referential.ts), the pin check of a campaign update, and the recomputation
 * job (the campaign's uploads assessed by the same `assess` use case with another version; the totals before/after
 * and `totalsDelta` stored, the campaign's own result untouched).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { assess } from '../../app/assess.js';
import type { AssessSink, AssessSummary } from '../../app/sink.js';
import { totalsDelta } from '../../app/steering/scenario.js';
import type { Totals } from '../../engine/index.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { JobQueue } from '../jobs/queue.js';
import { pinnedVersion, readCampaignStored, withCampaignInput, writeReferentialFiles } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';

const inScope = <T>(deps: UseCaseDeps, actor: Actor, fn: (s: Scope) => Promise<T>): Promise<T> =>
  deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));

export const RECOMPUTE_JOB = 'recompute-campaign';
export const RecomputePayload = z.object({
  jobId: z.string(),
  organisationId: z.string(),
  campaignId: z.string(),
  referentialId: z.string().nullable(),
});

// The version's files and the folder written from them live with the campaign's input (campaign-run.ts), the one place
// every recomputation reads a pinned campaign from.
export { storedFiles, writeReferentialFiles } from './campaign-run.js';

/**
 * The folder of an organisation's referential version for a run (under the job's private folder); undefined for the
 * default pack (null, or a free-text label given at campaign creation). A pinned version that is gone fails the run
 * rather than falling back to the default silently.
 */
export async function pinnedReferentialDir(s: Scope, referentialId: string | null, work: string) {
  const v = await pinnedVersion(s, referentialId);
  return v === undefined ? undefined : writeReferentialFiles(v.files, join(work, `referential-${v.id}`));
}

/**
 * Check a campaign's new pin (called by the campaign update, in its transaction): an organisation referential id of
 * the campaign's organisation, else 404. The merged hash is recorded by the next assessment.
 */
export async function checkPin(s: Scope, organisationId: string, referentialId: string): Promise<void> {
  const r = await s.orgReferentials.get(referentialId);
  if (r === undefined || r.organisation_id !== organisationId)
    throw new AppError('APP_NOT_FOUND', { kind: 'referential', id: referentialId });
}

/** The job runs on behalf of the campaign's organisation (the queue carries no user). */
const systemActor = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: false,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

/** The job: the campaign's uploads assessed (the same `assess` use case) with the version; totals and delta stored. */
async function runRecompute(deps: UseCaseDeps, p: z.output<typeof RecomputePayload>): Promise<void> {
  const actor = systemActor(p.organisationId);
  const setJob = (patch: { status: 'running' | 'done' | 'failed'; progress?: number; error?: string | null }) =>
    inScope(deps, actor, (s) => s.jobs.update(p.jobId, { ...patch, updated_at: deps.clock.nowIso() }));
  try {
    await setJob({ status: 'running', progress: 0 });
    const { campaign, stored, before } = await inScope(deps, actor, async (s) => {
      const c = await s.campaigns.get(p.campaignId);
      if (c === undefined) throw new Error(`campaign ${p.campaignId} is gone`);
      const r = await s.results.get(c.id);
      if (r === undefined) throw new Error(`campaign ${p.campaignId} has no result`);
      // The campaign as if pinned to the version asked for (null: the default pack alone).
      const asked = { ...c, referential_id: p.referentialId };
      return { campaign: asked, stored: await readCampaignStored(s, asked), before: JSON.parse(r.document) };
    });
    let summary: AssessSummary | undefined;
    const sink: AssessSink = {
      rows: false,
      begin: () => undefined,
      item: () => undefined,
      totals: (x) => {
        summary = x;
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    // The uploads, run and referential as every recomputation reads them (campaign-run.ts).
    await withCampaignInput(campaign, stored, (app, input) => assess(app, input, sink));
    const after = { meta: summary!.meta, inventory: summary!.inventory, totals: summary!.totals };
    const delta = totalsDelta((before as { totals: Totals }).totals, summary!.totals);
    await inScope(deps, actor, async (s) => {
      await s.orgReferentials.insertRecompute({
        job_id: p.jobId,
        organisation_id: campaign.organisation_id,
        campaign_id: campaign.id,
        referential_id: p.referentialId,
        document: JSON.stringify({
          referentialHash: summary!.meta.referential.hash,
          before,
          after,
          delta: { byCriterion: delta.byCriterion },
        }),
        computed_at: deps.clock.nowIso(),
      });
      await s.jobs.update(p.jobId, { status: 'done', progress: 1, error: null, updated_at: deps.clock.nowIso() });
    });
  } catch (e) {
    await setJob({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** Registers the recomputation handler on the queue (with the assessment's, before `start`). */
export function registerRecompute(deps: UseCaseDeps, queue: JobQueue): void {
  queue.register(RECOMPUTE_JOB, { schema: RecomputePayload, run: (p) => runRecompute(deps, p) });
}
