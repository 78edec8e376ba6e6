/**
 * Read routes of a campaign's results for the dashboard (issue 15) and API clients: breakdowns (pre-aggregated),
 * an item's trace (recomputed by the engine), exports (streamed files), data quality, and the referential packs.
 * Spread into the route table (src/server/routes.ts); every route is in the authorisation matrix and the OpenAPI
 * document like the others.
 */
import { z } from 'zod';
import { BreakdownsQuery, BreakdownsView, getBreakdowns } from '../usecases/aggregates.js';
import { exportCampaign, ExportQuery } from '../usecases/export.js';
import { getQuality, QualityView } from '../usecases/quality.js';
import { listReferentials, ReferentialView } from '../usecases/referentials.js';
import * as S from '../usecases/schemas.js';
import { getItemTrace, TraceParams, TraceView } from '../usecases/trace.js';
import type { RouteDef } from '../routes.js';

// Types only from the route table (it imports this file): its `route` helper and prefix, restated.
const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;
const V1 = '/api/v1';
const CampaignParams = z.object({ campaignId: S.Id });

export const READ_ROUTES: readonly RouteDef[] = [
  route({
    id: 'campaigns.breakdowns',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/breakdowns`,
    summary:
      "The campaign's footprint for one criterion split by tier, type, lifecycle step, entity (with its parent) and country, its 20 largest items, electricity, per collaborator and people-equivalent (pre-aggregated at assessment)",
    tag: 'results',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    query: BreakdownsQuery,
    response: BreakdownsView,
    status: 200,
    handler: ({ deps, actor, params, query }) => getBreakdowns(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'campaigns.itemTrace',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/items/:position/trace`,
    summary:
      "An item's full trace (formula with its numbers, inputs and their provenance, factors, sources and licences), recomputed from the stored uploads as `empreinte explain --item` does",
    tag: 'results',
    action: 'campaign:read',
    resource: 'campaign',
    params: TraceParams,
    response: TraceView,
    status: 200,
    // Each trace runs the engine over the campaign's uploads.
    rateLimit: { max: 120, timeWindow: '1 minute' },
    handler: ({ deps, actor, params }) => getItemTrace(deps, actor, params),
  }),
  route({
    id: 'campaigns.export',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/export`,
    summary:
      'The results as a file, streamed: CSV (wide: one row per item; long: one row per indicator; locale fr: `;`, decimal comma, BOM) or XLSX; formula injection neutralised',
    tag: 'results',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    query: ExportQuery,
    response: z.string(),
    produces: 'file',
    status: 200,
    // Each export runs an assessment of the campaign.
    rateLimit: { max: 20, timeWindow: '1 minute' },
    handler: ({ deps, actor, params, query }) => exportCampaign(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'campaigns.quality',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/quality`,
    summary:
      'Data quality: rejected lines per upload (top reasons, rejects download), items on a default factor or PUE, missing consumptions and other fixes, apart from what the open referential does not cover',
    tag: 'results',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    response: QualityView,
    status: 200,
    handler: ({ deps, actor, params }) => getQuality(deps, actor, params),
  }),
  route({
    id: 'referentials.list',
    method: 'GET',
    url: `${V1}/referentials`,
    summary: 'The referential packs known to the server: id, version, content hash, files, sources and licences',
    tag: 'referentials',
    action: 'self',
    resource: 'none',
    response: z.array(ReferentialView),
    status: 200,
    handler: ({ deps, actor }) => listReferentials(deps, actor),
  }),
];
