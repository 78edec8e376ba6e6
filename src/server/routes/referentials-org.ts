/**
 * Routes of an organisation's referential versions (issue 12), spread into the route table (src/server/routes.ts).
 * Uploading needs `campaign:write` (editors and administrators), reading `campaign:read` (viewers too); each route
 * calls one use case of src/server/usecases/referentials-org.ts. Only types are imported from the table's module.
 */
import { z } from 'zod';
import type { RouteDef } from '../routes.js';
import { MissingFile } from '../usecases/services.js';
import * as refs from '../usecases/referentials-org.js';

const V1 = '/api/v1';
const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;
const OrgParams = z.object({ organisationId: z.uuid() });
const RefParams = z.object({ referentialId: z.uuid() });
const CampaignParams = z.object({ campaignId: z.uuid() });
const RecomputeParams = z.object({ campaignId: z.uuid(), jobId: z.uuid() });
const DiffQuery = z.object({ with: z.uuid().describe('The other version: the diff goes from this one to it.') });

export const ORG_REFERENTIAL_ROUTES: readonly RouteDef[] = [
  route({
    id: 'referentials.org.upload',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/referentials`,
    summary:
      'Upload a referential version (multipart: optional `name` field, then a NumEcoEval/G4IT CSV file or a zip of a CSV folder or pack as `file`); 422 APP_REFERENTIAL_REFUSED names the file, line and column when no row is usable',
    tag: 'referentials',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    multipart: true,
    response: refs.OrgReferentialView,
    status: 201,
    rateLimit: { max: 60, timeWindow: '1 minute' },
    handler: ({ deps, actor, params, file }) => {
      if (file === undefined) throw new MissingFile();
      return refs.uploadOrgReferential(deps, actor, {
        ...params,
        fileName: file.fileName,
        content: file.content,
        ...(file.fields.name !== undefined ? { name: file.fields.name } : {}),
      });
    },
  }),
  route({
    id: 'referentials.org.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/referentials`,
    summary: "The organisation's referential versions (hash, rows kept, refused rows)",
    tag: 'referentials',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    response: z.array(refs.OrgReferentialView),
    status: 200,
    handler: ({ deps, actor, params }) => refs.listOrgReferentials(deps, actor, params),
  }),
  route({
    id: 'referentials.org.get',
    method: 'GET',
    url: `${V1}/referentials/org/:referentialId`,
    summary: "One of an organisation's referential versions",
    tag: 'referentials',
    action: 'campaign:read',
    resource: 'referential',
    params: RefParams,
    response: refs.OrgReferentialView,
    status: 200,
    handler: ({ deps, actor, params }) => refs.getOrgReferential(deps, actor, params),
  }),
  route({
    id: 'referentials.org.diff',
    method: 'GET',
    url: `${V1}/referentials/org/:referentialId/diff`,
    summary: 'Values added, removed and changed from this version to another (`referential diff`)',
    tag: 'referentials',
    action: 'campaign:read',
    resource: 'referential',
    params: RefParams,
    query: DiffQuery,
    response: refs.OrgReferentialDiff,
    status: 200,
    handler: ({ deps, actor, params, query }) => refs.diffOrgReferentials(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'campaigns.recompute',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/recompute`,
    summary:
      "Recompute the campaign's uploads with another referential version (null: the default pack) → a job; the campaign's result is not replaced (refused when locked)",
    tag: 'referentials',
    action: 'campaign:write',
    resource: 'campaign',
    params: CampaignParams,
    body: refs.RecomputeBody,
    response: z.object({ jobId: z.uuid() }),
    status: 202,
    handler: ({ deps, actor, params, body }) => refs.startRecompute(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'campaigns.recomputeResult',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/recompute/:jobId`,
    summary: 'A recomputation: its status, then the totals before and after per criterion and the delta',
    tag: 'referentials',
    action: 'campaign:read',
    resource: 'recompute',
    params: RecomputeParams,
    response: refs.RecomputeView,
    status: 200,
    handler: ({ deps, actor, params }) => refs.getRecompute(deps, actor, params),
  }),
];
