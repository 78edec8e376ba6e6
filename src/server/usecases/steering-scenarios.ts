/**
 * Use cases: what-if scenarios on a stored campaign. A preview runs the app layer's scenario use case
 * (`runScenarioOn`, the one `empreinte scenario` runs) on the campaign loaded from the server's cache, so after the
 * first call only the engine runs again; a bad lever is the steering core's coded error (400, field path, allowed
 * values), nothing computed. A saved scenario keeps its levers and the delta per criterion and tier computed when it
 * was saved, with the assessment it was computed on.
 */
import type { z } from 'zod';
import { runScenarioOn, type ScenarioOutcome } from '../../app/steering/scenario.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { Scenario as ScenarioRow } from '../../store/schema.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize, type Action } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import {
  assessedCampaign,
  auditSteering,
  campaignFor,
  loadStored,
  withCampaignRun,
  type AssessedCampaign,
} from './steering-load.js';
import type { ScenarioPreviewView, ScenarioView, TotalsDeltaView } from './steering-schemas.js';

type Levers = readonly Record<string, unknown>[];

/** Runs a scenario (levers) on an assessed campaign; the steering core validates the levers first. */
export async function previewOn(
  deps: UseCaseDeps,
  actor: Actor,
  a: AssessedCampaign,
  scenario: { name: string; description?: string | undefined; levers: Levers },
): Promise<ScenarioOutcome> {
  const loaded = await loadStored(deps, actor, a);
  const raw = {
    name: scenario.name,
    ...(scenario.description !== undefined ? { description: scenario.description } : {}),
    levers: scenario.levers,
  };
  // The input (the campaign's run and referential, its pinned version included) is read again only by an
  // electricity lever naming another dataset.
  return withCampaignRun(deps, actor, a.campaign, (appDeps, input) => runScenarioOn(appDeps, loaded, input, raw));
}

/** The campaign authorised for `action` and its last assessment (422 STR_CAMPAIGN_NOT_ASSESSED when none). */
export const assessedFor = (deps: UseCaseDeps, actor: Actor, campaignId: string, action: Action) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    return assessedCampaign(s, await campaignFor(s, actor, campaignId, action));
  });

export async function previewScenario(
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string; name?: string | undefined; levers: Levers },
): Promise<z.output<typeof ScenarioPreviewView>> {
  const a = await assessedFor(deps, actor, input.campaignId, 'campaign:read');
  const o = await previewOn(deps, actor, a, { name: input.name ?? 'preview', levers: input.levers });
  return {
    campaignId: a.campaign.id,
    name: o.scenario.name,
    baseline: o.baseline as unknown as Record<string, unknown>,
    scenario: o.result as unknown as Record<string, unknown>,
    delta: o.delta as z.output<typeof TotalsDeltaView>,
  };
}

interface StoredResult {
  jobId: string;
  computedAt: string;
  byCriterion: z.output<typeof TotalsDeltaView>['byCriterion'];
  byTier: Record<string, Record<string, number>>;
}

const view = (r: ScenarioRow): z.output<typeof ScenarioView> => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  description: r.description,
  levers: JSON.parse(r.levers) as Record<string, unknown>[],
  createdAt: r.created_at,
  result: JSON.parse(r.result) as StoredResult,
});

/** Saves a named scenario of the campaign, with its delta computed now (a bad lever saves nothing). */
export async function createScenario(
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string; name: string; description?: string | undefined; levers: Levers },
): Promise<z.output<typeof ScenarioView>> {
  const a = await assessedFor(deps, actor, input.campaignId, 'campaign:write');
  const o = await previewOn(deps, actor, a, input);
  const result: StoredResult = {
    jobId: a.jobId,
    computedAt: a.computedAt,
    byCriterion: o.delta.byCriterion.map((c) => ({ ...c, byStep: { ...c.byStep } })),
    byTier: Object.fromEntries(Object.entries(o.delta.by['tier'] ?? {}).map(([k, v]) => [k, { ...v }])),
  };
  return deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    if ((await s.scenarios.list(a.campaign.id)).some((x) => x.name === input.name))
      throw new AppError('APP_CONFLICT', { kind: 'scenario', name: input.name });
    const row: ScenarioRow = {
      id: deps.uuid(),
      organisation_id: a.campaign.organisation_id,
      campaign_id: a.campaign.id,
      name: input.name,
      description: input.description ?? null,
      levers: JSON.stringify(input.levers),
      result: JSON.stringify(result),
      created_at: deps.clock.nowIso(),
      created_by: actor.userId,
    };
    await s.scenarios.insert(row);
    await auditSteering(
      deps,
      s,
      actor,
      row.organisation_id,
      'scenario.create',
      { type: 'scenario', id: row.id },
      {
        campaignId: row.campaign_id,
        name: row.name,
      },
    );
    return view(row);
  });
}

export const listScenarios = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    return (await s.scenarios.list(c.id)).map(view);
  });

/** The scenario, authorised for `action` on its organisation (404 outside the caller's organisations). */
export async function scenarioFor(
  s: Awaited<ReturnType<typeof scoped>>,
  actor: Actor,
  scenarioId: string,
  action: Action,
): Promise<ScenarioRow> {
  const r = await s.scenarios.get(scenarioId);
  if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'scenario', id: scenarioId });
  authorize(actor, action, r.organisation_id, 'scenario');
  refuseRestricted(actor, r.organisation_id, `steering ${action}`);
  return r;
}

export const getScenario = (deps: UseCaseDeps, actor: Actor, input: { scenarioId: string }) =>
  deps.store.transaction(async (tx) =>
    view(await scenarioFor(await scoped(tx, actor), actor, input.scenarioId, 'campaign:read')),
  );

export const deleteScenario = (deps: UseCaseDeps, actor: Actor, input: { scenarioId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const r = await scenarioFor(s, actor, input.scenarioId, 'campaign:write');
    await s.scenarios.delete(r.id);
    await auditSteering(
      deps,
      s,
      actor,
      r.organisation_id,
      'scenario.delete',
      { type: 'scenario', id: r.id },
      {
        name: r.name,
      },
    );
  });
