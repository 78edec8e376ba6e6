/**
 * Steering over the API: reading a stored campaign for the app layer's steering use cases. A campaign is read from its
 * stored uploads and referential (the default pack or its pinned organisation version) through the one input every
 * recomputing view reads (`withCampaignInput`, campaign-run.ts) by the app layer's `loadCampaign` (the pipeline, the
 * referential, the run), and kept in the server's bounded cache (deps.steering, built by the composition) under the
 * campaign id and its last assessment (job, time, profile, reference date, pinned version, uploads): a new assessment,
 * pin or upload gives a new key, so a stale inventory is never served. A preview then only re-runs the engine.
 */
import { buildRunContext, type AssessInput } from '../../app/assess.js';
import type { AppDeps } from '../../app/deps.js';
import type { CompareOutcome } from '../../app/steering/compare.js';
import { campaignItemCount, loadCampaign, prepareCampaign, type LoadedCampaign } from '../../app/steering/scenario.js';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { Campaign } from '../../store/schema.js';
import { campaignRun as runOf, readCampaignStored, withCampaignInput } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize, type Action } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import { LruCache, type CacheLimits } from './steering-cache.js';

/** The server's steering caches: loaded campaigns (weighed by their items) and comparisons of two of them. */
export interface SteeringCaches {
  readonly campaigns: LruCache<LoadedCampaign>;
  readonly comparisons: LruCache<CompareOutcome>;
}

/** Built once by the composition root (and by tests); `limits` bound the loaded campaigns kept. */
export function steeringCaches(limits: CacheLimits = {}): SteeringCaches {
  return {
    campaigns: new LruCache(campaignItemCount, limits),
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
  // Steering views are over the whole organisation (docs/api.md, "Entity-restricted members").
  refuseRestricted(actor, c.organisation_id, `steering ${action}`);
  return c;
}

/** The campaign's last assessment and its cache key; STR_CAMPAIGN_NOT_ASSESSED (422) when it has none. */
export async function assessedCampaign(s: Scope, c: Campaign): Promise<AssessedCampaign> {
  const r = await s.results.get(c.id);
  if (r === undefined) throw new EmpreinteError(issue('STR_CAMPAIGN_NOT_ASSESSED', { campaign: c.id }));
  const uploads = await s.uploads.list(c.id);
  const key = [
    c.id,
    r.job_id,
    r.computed_at,
    c.profile,
    c.reference_date,
    c.referential_id ?? '',
    ...uploads.map((u) => u.id),
  ].join('|');
  return {
    campaign: c,
    document: JSON.parse(r.document) as Record<string, unknown>,
    jobId: r.job_id,
    computedAt: r.computed_at,
    key,
  };
}

/**
 * Runs `fn` with the app layer's dependencies and the input of a stored campaign without its uploads: the run of its
 * assessment and its referential (the pinned version written to a temporary folder while `fn` runs). What a scenario
 * preview needs to reload the referential with another electricity dataset.
 */
export async function withCampaignRun<T>(
  deps: UseCaseDeps,
  actor: Actor,
  c: Campaign,
  fn: (appDeps: AppDeps, input: AssessInput) => Promise<T>,
): Promise<T> {
  const stored = await deps.store.transaction(async (tx) =>
    readCampaignStored(await scoped(tx, actor), c, { uploads: false }),
  );
  return withCampaignInput(c, stored, fn);
}

/**
 * The campaign read into memory (inventory, referential, run), from the cache or from its stored uploads and pinned
 * referential version (read in a short transaction of their own, with the caller's scope: the parsing runs outside any
 * transaction). The caller has already checked access (`campaignFor`).
 */
export function loadStored(deps: UseCaseDeps, actor: Actor, a: AssessedCampaign): Promise<LoadedCampaign> {
  const load = async (): Promise<LoadedCampaign> => {
    const stored = await deps.store.transaction(async (tx) => readCampaignStored(await scoped(tx, actor), a.campaign));
    // Prepared: the baseline and lifetimes are computed once, a preview then assesses only the scenario.
    return withCampaignInput(a.campaign, stored, async (appDeps, input) =>
      prepareCampaign(await loadCampaign(appDeps, input)),
    );
  };
  return deps.steering === undefined ? load() : deps.steering.campaigns.get(a.key, load);
}

/**
 * Campaign `before` recomputed with the referential of `after` (like-for-like, F22's 0′), as the app layer's
 * `compareCampaigns` builds it for `empreinte compare --before-referential`: the same inventory and run request, the
 * run context rebuilt over the other referential. Undefined when both referentials are the same (content hashes).
 */
export function withReferentialOf(
  before: LoadedCampaign,
  beforeCampaign: Pick<Campaign, 'profile' | 'reference_date'>,
  after: Pick<LoadedCampaign, 'referential'>,
): LoadedCampaign | undefined {
  if (before.referential.hash === after.referential.hash) return undefined;
  // The prepared baseline and lifetimes belong to the campaign's own referential: not carried over.
  const { prepared: _own, ...plain } = before;
  return {
    ...plain,
    referential: after.referential,
    ctx: buildRunContext(runOf(beforeCampaign), () => beforeCampaign.reference_date, after.referential),
  };
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
