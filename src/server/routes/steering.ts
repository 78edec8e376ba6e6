/**
 * Steering routes (issue 13 over the API, used by the dashboard of issue 15): compare two campaigns, the
 * organisation's target and trajectory, what-if scenarios (preview and saved), the action plan. One-line handlers over
 * the use cases in src/server/usecases/steering-*.ts, which call the app layer's steering use cases. Spread into the
 * route table (src/server/routes.ts), so the authorisation matrix and the OpenAPI document include them.
 */
import { z } from 'zod';
import type { RouteDef } from '../routes.js';
import * as actions from '../usecases/steering-actions.js';
import * as compare from '../usecases/steering-compare.js';
import * as scenarios from '../usecases/steering-scenarios.js';
import * as S from '../usecases/steering-schemas.js';
import * as targets from '../usecases/steering-targets.js';
import { Id } from '../usecases/schemas.js';

// Types only from ../routes.js: it imports this module (a value import back would be a cycle).
const V1 = '/api/v1';
const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;

const OrgParams = z.object({ organisationId: Id });
const CampaignParams = z.object({ campaignId: Id });
const ScenarioParams = z.object({ scenarioId: Id });
const ActionParams = z.object({ actionId: Id });

export const STEERING_ROUTES: readonly RouteDef[] = [
  route({
    id: 'steering.compare',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/compare`,
    summary:
      'Compare the campaign (before) with another of the organisation (`with`, after): totals, delta, the F22 decomposition (effects summing to the delta; with different referentials, the reference-data effect apart: the campaign recomputed with the other referential) and the inventory diff (counts and first 100 rows)',
    tag: 'steering',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    query: S.CompareQuery,
    response: S.CompareView,
    status: 200,
    handler: ({ deps, actor, params, query }) => compare.compareCampaigns(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'steering.target.get',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/target`,
    summary: "The organisation's target (criterion, base year, target year, reduction as a fraction, budget)",
    tag: 'steering',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    response: S.TargetView,
    status: 200,
    handler: ({ deps, actor, params }) => targets.getTarget(deps, actor, params),
  }),
  route({
    id: 'steering.target.put',
    method: 'PUT',
    url: `${V1}/organisations/:organisationId/target`,
    summary: "Set the organisation's target (reduction −0.30 for −30 %; target year after the base year)",
    tag: 'steering',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    body: S.TargetInput,
    response: S.TargetView,
    status: 200,
    handler: ({ deps, actor, params, body }) => targets.putTarget(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'steering.trajectory',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/trajectory`,
    summary:
      'Every assessed campaign against the target line and budget: gap, on/off track, forecast band; referential changes flagged, like-for-like on request',
    tag: 'steering',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    query: S.TrajectoryQuery,
    response: S.TrajectoryView,
    status: 200,
    handler: ({ deps, actor, params, query }) => targets.getTrajectory(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'steering.scenarios.preview',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/scenarios/preview`,
    summary:
      'Run levers on the campaign without saving: baseline, scenario and delta per criterion and tier (the loaded campaign is cached: only the engine runs again)',
    tag: 'steering',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    body: S.ScenarioPreviewInput,
    response: S.ScenarioPreviewView,
    status: 200,
    handler: ({ deps, actor, params, body }) => scenarios.previewScenario(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'steering.scenarios.list',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/scenarios`,
    summary: "The campaign's saved scenarios with the delta computed when saved",
    tag: 'steering',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    response: z.array(S.ScenarioView),
    status: 200,
    handler: ({ deps, actor, params }) => scenarios.listScenarios(deps, actor, params),
  }),
  route({
    id: 'steering.scenarios.create',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/scenarios`,
    summary: 'Save a named scenario of the campaign (its delta computed now)',
    tag: 'steering',
    action: 'campaign:write',
    resource: 'campaign',
    params: CampaignParams,
    body: S.ScenarioInput,
    response: S.ScenarioView,
    status: 201,
    handler: ({ deps, actor, params, body }) => scenarios.createScenario(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'steering.scenarios.get',
    method: 'GET',
    url: `${V1}/scenarios/:scenarioId`,
    summary: 'One saved scenario',
    tag: 'steering',
    action: 'campaign:read',
    resource: 'scenario',
    params: ScenarioParams,
    response: S.ScenarioView,
    status: 200,
    handler: ({ deps, actor, params }) => scenarios.getScenario(deps, actor, params),
  }),
  route({
    id: 'steering.scenarios.delete',
    method: 'DELETE',
    url: `${V1}/scenarios/:scenarioId`,
    summary: 'Delete a saved scenario (actions made from it keep their levers)',
    tag: 'steering',
    action: 'campaign:write',
    resource: 'scenario',
    params: ScenarioParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => scenarios.deleteScenario(deps, actor, params),
  }),
  route({
    id: 'steering.actions.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/actions`,
    summary:
      'The action plan: each action with its expected saving and the saving measured by the decomposition between the two latest assessed campaigns',
    tag: 'steering',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    response: S.ActionPlanView,
    status: 200,
    handler: ({ deps, actor, params }) => actions.listActions(deps, actor, params),
  }),
  route({
    id: 'steering.actions.create',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/actions`,
    summary:
      'Add an action (a saved scenario or levers); its expected saving is the scenario preview of CLIMATE_CHANGE, kg CO2 eq',
    tag: 'steering',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    body: S.ActionInput,
    response: S.ActionView,
    status: 201,
    handler: ({ deps, actor, params, body }) => actions.createAction(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'steering.actions.update',
    method: 'PATCH',
    url: `${V1}/actions/:actionId`,
    summary: 'Change an action (new levers or scenario are priced again)',
    tag: 'steering',
    action: 'campaign:write',
    resource: 'action',
    params: ActionParams,
    body: S.ActionPatch,
    response: S.ActionView,
    status: 200,
    handler: ({ deps, actor, params, body }) => actions.updateAction(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'steering.actions.delete',
    method: 'DELETE',
    url: `${V1}/actions/:actionId`,
    summary: 'Delete an action',
    tag: 'steering',
    action: 'campaign:write',
    resource: 'action',
    params: ActionParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => actions.deleteAction(deps, actor, params),
  }),
];
