/**
 * Routes of an organisation's personal-data settings (issue 12): what an upload's `utilisateur` column becomes and
 * the retention period of uploads' raw files. Spread into the route table (src/server/routes.ts); the authorisation
 * matrix test covers them. Only types are imported from the table's module: it imports this one.
 */
import { z } from 'zod';
import type { RouteDef } from '../routes.js';
import * as pd from '../usecases/personal-data.js';

const V1 = '/api/v1';
const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;
const OrgParams = z.object({ organisationId: z.uuid() });

export const PERSONAL_DATA_ROUTES: readonly RouteDef[] = [
  route({
    id: 'organisations.settings.get',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/settings`,
    summary: "The organisation's personal-data settings: `utilisateur` dropped or pseudonymised, retention period",
    tag: 'organisations',
    action: 'organisation:read',
    resource: 'organisation',
    params: OrgParams,
    response: pd.PersonalDataSettings,
    status: 200,
    handler: ({ deps, actor, params }) => pd.getSettings(deps, actor, params),
  }),
  route({
    id: 'organisations.settings.update',
    method: 'PATCH',
    url: `${V1}/organisations/:organisationId/settings`,
    summary:
      "Set the organisation's personal-data settings (administrators of the whole organisation); audited as organisation.settings",
    tag: 'organisations',
    action: 'organisation:settings',
    resource: 'organisation',
    params: OrgParams,
    body: pd.PersonalDataSettingsPatch,
    response: pd.PersonalDataSettings,
    status: 200,
    handler: ({ deps, actor, params, body }) => pd.updateSettings(deps, actor, { ...params, ...body }),
  }),
];
