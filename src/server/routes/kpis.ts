/** Routes of the State reporting KPIs (issue 13), spread into the route table (src/server/routes.ts). */
import { z } from 'zod';
import type { RouteDef } from '../routes.js';
import * as S from '../usecases/schemas.js';
import { getKpis, KpisView } from '../usecases/kpis.js';

const CampaignParams = z.object({ campaignId: S.Id });

const kpis: RouteDef<z.output<typeof CampaignParams>> = {
  id: 'campaigns.kpis',
  method: 'GET',
  url: '/api/v1/campaigns/:campaignId/kpis',
  summary:
    "State reporting KPIs of the campaign's last assessed inventory, per campaign and per entity (equipment and footprint per collaborator, lifetimes per type, refurbished and reused shares, end of life); as `empreinte kpis --format json`, with the campaign's referential; a member restricted to an entity subtree gets that subtree's KPIs only",
  tag: 'steering',
  action: 'campaign:read',
  resource: 'campaign',
  params: CampaignParams,
  response: KpisView,
  status: 200,
  handler: ({ deps, actor, params }) => getKpis(deps, actor, params),
};

export const KPI_ROUTES: readonly RouteDef[] = [kpis as unknown as RouteDef];
