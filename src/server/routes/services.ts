/**
 * Routes of digital services (issue 14), spread into the route table (src/server/routes.ts). Each names its
 * authentication action and resource (the authorisation matrix test covers them) and calls one use case of
 * src/server/usecases/services.ts. Only types are imported from the table's module: it imports this one.
 */
import { z } from 'zod';
import type { RouteDef } from '../routes.js';
import * as services from '../usecases/services.js';

const V1 = '/api/v1';
const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;
const OrgParams = z.object({ organisationId: z.uuid() });
const ServiceParams = z.object({ serviceId: z.uuid() });

export const SERVICE_ROUTES: readonly RouteDef[] = [
  route({
    id: 'services.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/services`,
    summary: "The organisation's digital services (one entry per version)",
    tag: 'services',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    response: z.array(services.ServiceView),
    status: 200,
    handler: ({ deps, actor, params }) => services.listServices(deps, actor, params),
  }),
  route({
    id: 'services.create',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/services`,
    summary: 'Store a digital-service description (docs/services.md); 422 names the invalid field',
    tag: 'services',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    body: services.ServiceBody,
    response: services.ServiceView,
    status: 201,
    handler: ({ deps, actor, params, body }) => services.createService(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'services.import',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/services/import`,
    summary:
      "Import G4IT's digital-service export (multipart: optional `name` field, then the zip as the `file` part; bounded reading)",
    tag: 'services',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    multipart: true,
    response: services.ServiceView,
    status: 201,
    rateLimit: { max: 60, timeWindow: '1 minute' },
    handler: ({ deps, actor, params, file }) => {
      if (file === undefined) throw new services.MissingFile();
      return services.importService(deps, actor, {
        ...params,
        fileName: file.fileName,
        content: file.content,
        ...(file.fields.name !== undefined ? { name: file.fields.name } : {}),
      });
    },
  }),
  route({
    id: 'services.get',
    method: 'GET',
    url: `${V1}/services/:serviceId`,
    summary: 'A digital-service description',
    tag: 'services',
    action: 'campaign:read',
    resource: 'service',
    params: ServiceParams,
    response: services.ServiceView,
    status: 200,
    handler: ({ deps, actor, params }) => services.getService(deps, actor, params),
  }),
  route({
    id: 'services.update',
    method: 'PUT',
    url: `${V1}/services/:serviceId`,
    summary: 'Replace a digital-service description (validated as on creation)',
    tag: 'services',
    action: 'campaign:write',
    resource: 'service',
    params: ServiceParams,
    body: services.ServiceBody,
    response: services.ServiceView,
    status: 200,
    handler: ({ deps, actor, params, body }) => services.updateService(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'services.delete',
    method: 'DELETE',
    url: `${V1}/services/:serviceId`,
    summary: 'Delete a digital-service description',
    tag: 'services',
    action: 'campaign:write',
    resource: 'service',
    params: ServiceParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => services.deleteService(deps, actor, params),
  }),
  route({
    id: 'services.footprint',
    method: 'GET',
    url: `${V1}/services/:serviceId/footprint`,
    summary:
      'The service assessed: per functional unit and per year, split terminals / network / datacenter, per criterion; its other versions side by side',
    tag: 'services',
    action: 'campaign:read',
    resource: 'service',
    params: ServiceParams,
    response: services.FootprintView,
    status: 200,
    handler: ({ deps, actor, params }) => services.serviceFootprint(deps, actor, params),
  }),
];
