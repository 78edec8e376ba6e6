/**
 * Use cases: the action plan. An action stands for levers — a saved scenario's (copied when the action is made) or its
 * own — and its expected saving is the scenario preview's CLIMATE_CHANGE delta (sign reversed: a reduction is a
 * positive saving) on the scenario's campaign, or for its own levers on the campaign named, else the organisation's
 * latest assessed campaign. Listing the plan adds, next to each expected saving, the saving measured by the F22
 * decomposition between the organisation's two latest assessed campaigns for the effects its levers stand for
 * (LEVER_EFFECTS, documented in docs/steering.md).
 */
import type { z } from 'zod';
import type { EffectName } from '../../steering/lmdi.js';
import type { LeverName } from '../../steering/scenario-schema.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { Action as ActionRow } from '../../store/schema.js';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import { comparison, effectsOf } from './steering-compare.js';
import { assessedCampaign, auditSteering, campaignFor, type AssessedCampaign } from './steering-load.js';
import { previewOn, scenarioFor } from './steering-scenarios.js';
import type { ActionInput, ActionPatch, ActionPlanView, ActionView } from './steering-schemas.js';

/**
 * Which effects of the decomposition a lever moves (checked in test/server/steering-actions.test.ts by decomposing
 * each lever's own scenario against its baseline): a longer lifetime or refurbished purchases change L; replacing a
 * type changes the fleet of the replaced type and adds items of the new one (scope); fewer devices per agent is fleet;
 * removing items by status is scope; the PUE lever is the PUE effect; an electricity dataset or a cloud region changes
 * the electricity factor (and a region the provider's PUE).
 */
export const LEVER_EFFECTS: Readonly<Record<LeverName, readonly EffectName[]>> = {
  lifetime: ['lifetime'],
  refurbished: ['lifetime'],
  replace: ['fleet', 'scope'],
  devicesPerAgent: ['fleet'],
  removeByStatus: ['scope'],
  pue: ['pue'],
  electricity: ['electricityMix'],
  cloudRegion: ['electricityMix', 'pue'],
};

const CRITERION = 'CLIMATE_CHANGE';
type Levers = readonly Record<string, unknown>[];

/** The effects an action's levers stand for, in the decomposition's order, and how they were matched. */
export function effectsFor(levers: Levers): { effects: EffectName[]; match: string } {
  const names = [...new Set(levers.flatMap((l) => Object.keys(l)))].filter((n): n is LeverName => n in LEVER_EFFECTS);
  const effects = [...new Set(names.flatMap((n) => LEVER_EFFECTS[n]))];
  const match = names.map((n) => `${n} → ${LEVER_EFFECTS[n].join(' + ')}`).join('; ');
  return { effects, match: match === '' ? 'no lever matched an effect' : match };
}

const view = (r: ActionRow): z.output<typeof ActionView> => ({
  id: r.id,
  organisationId: r.organisation_id,
  title: r.title,
  owner: r.owner,
  dueDate: r.due_date,
  status: r.status,
  scenarioId: r.scenario_id,
  campaignId: r.campaign_id,
  levers: JSON.parse(r.levers) as Record<string, unknown>[],
  expectedSaving: r.expected_saving,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The organisation's assessed campaigns, oldest first (reference date, then creation). */
async function assessedCampaigns(s: Scope, organisationId: string): Promise<AssessedCampaign[]> {
  const out: AssessedCampaign[] = [];
  for (const c of await s.campaigns.list(organisationId))
    if ((await s.results.get(c.id)) !== undefined) out.push(await assessedCampaign(s, c));
  return out.sort(
    (x, y) =>
      x.campaign.reference_date.localeCompare(y.campaign.reference_date) ||
      x.campaign.created_at.localeCompare(y.campaign.created_at),
  );
}

interface Priced {
  readonly levers: Levers;
  readonly scenarioId: string | null;
  readonly campaignId: string;
  readonly expectedSaving: number;
}

/** Prices an action's levers: the scenario preview's CLIMATE_CHANGE delta, sign reversed. */
async function price(
  deps: UseCaseDeps,
  actor: Actor,
  organisationId: string,
  what: {
    scenarioId?: string | undefined;
    levers?: Levers | undefined;
    campaignId?: string | undefined;
    title: string;
  },
): Promise<Priced> {
  const { a, levers, scenarioId } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    if (what.scenarioId !== undefined) {
      const sc = await scenarioFor(s, actor, what.scenarioId, 'campaign:read');
      if (sc.organisation_id !== organisationId)
        throw new AppError('APP_NOT_FOUND', { kind: 'scenario', id: what.scenarioId });
      const c = await campaignFor(s, actor, sc.campaign_id, 'campaign:read');
      return { a: await assessedCampaign(s, c), levers: JSON.parse(sc.levers) as Levers, scenarioId: sc.id };
    }
    if (what.campaignId !== undefined) {
      const c = await campaignFor(s, actor, what.campaignId, 'campaign:read');
      if (c.organisation_id !== organisationId)
        throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: what.campaignId });
      return { a: await assessedCampaign(s, c), levers: what.levers ?? [], scenarioId: null };
    }
    const latest = (await assessedCampaigns(s, organisationId)).at(-1);
    if (latest === undefined) throw new EmpreinteError(issue('STR_NO_ASSESSED_CAMPAIGN'));
    return { a: latest, levers: what.levers ?? [], scenarioId: null };
  });
  const o = await previewOn(deps, actor, a, { name: what.title, levers });
  const delta = o.delta.byCriterion.find((c) => c.criterion === CRITERION)?.delta ?? 0;
  return { levers, scenarioId, campaignId: a.campaign.id, expectedSaving: -delta };
}

export async function createAction(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & z.output<typeof ActionInput>,
): Promise<z.output<typeof ActionView>> {
  authorize(actor, 'campaign:write', input.organisationId);
  refuseRestricted(actor, input.organisationId, 'steering campaign:write');
  const p = await price(deps, actor, input.organisationId, input);
  return deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const now = deps.clock.nowIso();
    const row: ActionRow = {
      id: deps.uuid(),
      organisation_id: input.organisationId,
      title: input.title,
      owner: input.owner,
      due_date: input.dueDate,
      scenario_id: p.scenarioId,
      campaign_id: p.campaignId,
      levers: JSON.stringify(p.levers),
      expected_saving: p.expectedSaving,
      status: input.status,
      created_at: now,
      updated_at: now,
    };
    await s.actions.insert(row);
    await auditSteering(
      deps,
      s,
      actor,
      row.organisation_id,
      'action.create',
      { type: 'action', id: row.id },
      {
        title: row.title,
        expectedSaving: row.expected_saving,
      },
    );
    return view(row);
  });
}

async function actionFor(s: Scope, actor: Actor, actionId: string, write: boolean): Promise<ActionRow> {
  const r = await s.actions.get(actionId);
  if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'action', id: actionId });
  authorize(actor, write ? 'campaign:write' : 'campaign:read', r.organisation_id, 'action');
  refuseRestricted(actor, r.organisation_id, `steering ${write ? 'campaign:write' : 'campaign:read'}`);
  return r;
}

export async function updateAction(
  deps: UseCaseDeps,
  actor: Actor,
  input: { actionId: string } & z.output<typeof ActionPatch>,
): Promise<z.output<typeof ActionView>> {
  const current = await deps.store.transaction(async (tx) =>
    actionFor(await scoped(tx, actor), actor, input.actionId, true),
  );
  const repriced =
    input.scenarioId !== undefined || input.levers !== undefined || input.campaignId !== undefined
      ? await price(deps, actor, current.organisation_id, {
          title: input.title ?? current.title,
          ...(input.scenarioId !== undefined
            ? { scenarioId: input.scenarioId }
            : {
                levers: input.levers ?? (JSON.parse(current.levers) as Levers),
                campaignId: input.campaignId ?? current.campaign_id ?? undefined,
              }),
        })
      : undefined;
  return deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    await actionFor(s, actor, input.actionId, true);
    const patch = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.owner !== undefined ? { owner: input.owner } : {}),
      ...(input.dueDate !== undefined ? { due_date: input.dueDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(repriced !== undefined
        ? {
            scenario_id: repriced.scenarioId,
            campaign_id: repriced.campaignId,
            levers: JSON.stringify(repriced.levers),
            expected_saving: repriced.expectedSaving,
          }
        : {}),
      updated_at: deps.clock.nowIso(),
    };
    await s.actions.update(current.id, patch);
    await auditSteering(
      deps,
      s,
      actor,
      current.organisation_id,
      'action.update',
      { type: 'action', id: current.id },
      {
        fields: Object.keys(patch),
      },
    );
    return view((await s.actions.get(current.id))!);
  });
}

export const deleteAction = (deps: UseCaseDeps, actor: Actor, input: { actionId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const r = await actionFor(s, actor, input.actionId, true);
    await s.actions.delete(r.id);
    await auditSteering(
      deps,
      s,
      actor,
      r.organisation_id,
      'action.delete',
      { type: 'action', id: r.id },
      {
        title: r.title,
      },
    );
  });

/** The plan: every action with its expected saving and the saving measured between the two latest campaigns. */
export async function listActions(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string },
): Promise<z.output<typeof ActionPlanView>> {
  const { rows, campaigns } = await deps.store.transaction(async (tx) => {
    authorize(actor, 'campaign:read', input.organisationId);
    refuseRestricted(actor, input.organisationId, 'steering campaign:read');
    const s = await scoped(tx, actor);
    return {
      rows: await s.actions.list(input.organisationId),
      campaigns: await assessedCampaigns(s, input.organisationId),
    };
  });
  const actions = rows.map(view);
  if (campaigns.length < 2)
    return {
      measuredBetween: null,
      unmeasured: `a measure needs two assessed campaigns; the organisation has ${campaigns.length}`,
      actions: actions.map((a) => ({ ...a, measured: null })),
    };
  const [from, to] = campaigns.slice(-2) as [AssessedCampaign, AssessedCampaign];
  const o = await comparison(deps, actor, from, to);
  const change = o.decomposition.find((c) => c.criterion === CRITERION);
  const effects = change === undefined ? [] : effectsOf(change);
  const side = (a: AssessedCampaign) => ({
    campaignId: a.campaign.id,
    name: a.campaign.name,
    referenceDate: a.campaign.reference_date,
  });
  return {
    measuredBetween: { from: side(from), to: side(to), effects },
    unmeasured: null,
    actions: actions.map((a) => {
      const m = effectsFor(a.levers);
      const saving = -effects
        .filter((e) => (m.effects as string[]).includes(e.effect))
        .reduce((x, e) => x + e.value, 0);
      return { ...a, measured: { effects: m.effects, saving, match: m.match } };
    }),
  };
}
