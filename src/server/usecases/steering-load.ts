/**
 * Steering over the API: reading a stored campaign for the app layer's steering use cases. A campaign is read from its
 * stored uploads through the assessment job's own input (`assessmentInput`) by the app layer's `loadCampaign` (the
 * pipeline, the referential, the run), and kept in the server's bounded cache (deps.steering, built by the
 * composition) under the campaign id and its last assessment (job, time, profile, reference date, uploads): a new
 * assessment or upload gives a new key, so a stale inventory is never served. A preview then only re-runs the engine.
 */
import { pinnedNotSupported } from './campaign-run.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssessInput } from '../../app/assess.js';
import { standardDeps, type AppDeps } from '../../app/deps.js';
import type { CompareOutcome } from '../../app/steering/compare.js';
import { loadCampaign, prepareCampaign, type LoadedCampaign } from '../../app/steering/scenario.js';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { Campaign } from '../../store/schema.js';
import { assessmentInput } from './assessments.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize, type Action } from './grants.js';
import { LruCache, type CacheLimits } from './steering-cache.js';

/** The server's steering caches: loaded campaigns (weighed by their items) and comparisons of two of them. */
export interface SteeringCaches {
  readonly campaigns: LruCache<LoadedCampaign>;
  readonly comparisons: LruCache<CompareOutcome>;
}

const itemCount = (c: LoadedCampaign): number => {
  const i = c.inventory;
  return (
    i.physical.length +
    i.virtual.length +
    i.applications.length +
    i.datacenters.length +
    i.entities.length +
    i.nonIt.length +
    i.messaging.length
  );
};

/** Built once by the composition root (and by tests); `limits` bound the loaded campaigns kept. */
export function steeringCaches(limits: CacheLimits = {}): SteeringCaches {
  return {
    campaigns: new LruCache(itemCount, limits),
    // A comparison holds both campaigns' indicators' decomposition: few are kept.
    comparisons: new LruCache(() => 1, { maxEntries: 4, maxWeight: 4 }),
  };
}

/** A campaign of the caller's organisations with its last assessment. */
export interface AssessedCampaign {
  readonly campaign: Campaign;
  /** The stored totals document (`assess --summary --format json`). */
  readonly document: Record<string, unknown>;
  /** The assessment job and the time its results were written. */
  readonly jobId: string;
  readonly computedAt: string;
  /** Campaign id and its last assessment: the cache key. */
  readonly key: string;
}

/** The campaign, authorised for `action` (404 outside the caller's organisations, 403 without the role). */
export async function campaignFor(s: Scope, actor: Actor, campaignId: string, action: Action): Promise<Campaign> {
  const c = await s.campaigns.get(campaignId);
  if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: campaignId });
  authorize(actor, action, c.organisation_id, 'campaign');
  return c;
}

/** The campaign's last assessment and its cache key; STR_CAMPAIGN_NOT_ASSESSED (422) when it has none. */
export async function assessedCampaign(s: Scope, c: Campaign): Promise<AssessedCampaign> {
  const r = await s.results.get(c.id);
  if (r === undefined) throw new EmpreinteError(issue('STR_CAMPAIGN_NOT_ASSESSED', { campaign: c.id }));
  const uploads = await s.uploads.list(c.id);
  const key = [c.id, r.job_id, r.computed_at, c.profile, c.reference_date, ...uploads.map((u) => u.id)].join('|');
  return {
    campaign: c,
    document: JSON.parse(r.document) as Record<string, unknown>,
    jobId: r.job_id,
    computedAt: r.computed_at,
    key,
  };
}

/** The app layer's dependencies and input for a stored campaign (the run of its assessment job). */
export function campaignRun(c: Campaign): { appDeps: AppDeps; input: AssessInput } {
  return {
    appDeps: standardDeps(() => c.reference_date),
    input: assessmentInput(c, []),
  };
}

/**
 * The campaign read into memory (inventory, referential, run), from the cache or from its stored uploads (read in a
 * short transaction of their own, with the caller's scope: the parsing runs outside any transaction). The caller has
 * already checked access (`campaignFor`).
 */
export function loadStored(deps: UseCaseDeps, actor: Actor, a: AssessedCampaign): Promise<LoadedCampaign> {
  const load = async (): Promise<LoadedCampaign> => {
    if (a.campaign.referential_id !== null) throw pinnedNotSupported(a.campaign.id);
    const files = await deps.store.transaction(async (tx) => (await scoped(tx, actor)).uploadContents(a.campaign.id));
    const work = await mkdtemp(join(tmpdir(), 'empreinte-steering-'));
    try {
      const appDeps = { ...standardDeps(() => a.campaign.reference_date), spoolDir: work };
      // Prepared: the baseline and lifetimes are computed once, a preview then assesses only the scenario.
      return prepareCampaign(await loadCampaign(appDeps, assessmentInput(a.campaign, files)));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
  return deps.steering === undefined ? load() : deps.steering.campaigns.get(a.key, load);
}

/** Appends an audit entry for a steering write (in the write's transaction). */
export async function auditSteering(
  deps: UseCaseDeps,
  s: Scope,
  actor: Actor,
  organisationId: string,
  action: string,
  target: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await s.audit.append({
    id: deps.uuid(),
    organisation_id: organisationId,
    actor_user_id: actor.userId,
    action,
    target_type: target.type,
    target_id: target.id,
    details: JSON.stringify(details),
    at: deps.clock.nowIso(),
  });
}
