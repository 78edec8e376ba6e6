/**
 * The route table. Each route names its authentication, the action it needs (for the authorisation matrix test,
 * test/server/authorization-matrix.test.ts, generated from this table), its zod schemas (validation, serialisation and
 * the OpenAPI document) and a one-line handler calling a use case.
 */
import { z } from 'zod';
import type { Actor } from '../store/scoped.js';
import { login, logout, me, type LoginResult } from './usecases/auth.js';
import { OIDC_FLOW_TTL_MS, oidcCallback, oidcStart } from './usecases/oidc.js';
import { resetPassword } from './usecases/password-reset.js';
import type { UseCaseDeps } from './usecases/deps.js';
import type { Action } from './usecases/grants.js';
import * as org from './usecases/organisations.js';
import * as S from './usecases/schemas.js';
import * as tokens from './usecases/tokens.js';
import * as uploads from './usecases/uploads.js';
import * as assessments from './usecases/assessments.js';
import { deleteOrganisation, exportOrganisation } from './usecases/organisation-data.js';
import { READ_ROUTES } from './routes/read.js';
import { SERVICE_ROUTES } from './routes/services.js';
import { STEERING_ROUTES } from './routes/steering.js';
import { KPI_ROUTES } from './routes/kpis.js';
import { PERSONAL_DATA_ROUTES } from './routes/personal-data.js';
import { ORG_REFERENTIAL_ROUTES } from './routes/referentials-org.js';

export interface HttpContext {
  /** The session secret of a cookie-authenticated request, else null. */
  readonly sessionSecret: string | null;
  setSession(r: LoginResult): void;
  clearSession(): void;
  /** The OpenID Connect flow's cookie (HttpOnly, SameSite=Lax, scoped to /api/v1/auth/oidc). */
  readonly flowCookie: string | undefined;
  setFlowCookie(value: string, maxAgeMs: number): void;
  clearFlowCookie(): void;
  /** The raw query string of the request (without `?`). */
  readonly rawQuery: string;
}

/** The file part of a multipart request (read whole, bounded by the server's upload limit) and its text fields. */
export interface UploadedFile {
  readonly fileName: string;
  readonly content: Buffer;
  readonly fields: Readonly<Record<string, string>>;
}

export interface HandlerArgs<P, Q, B> {
  readonly deps: UseCaseDeps;
  readonly actor: Actor;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly http: HttpContext;
  /** The uploaded file of a `multipart` route (read after authentication); undefined on other routes. */
  readonly file?: UploadedFile;
}

/**
 * `action`: a grant from src/server/usecases/grants.ts, `self` (any signed-in user, on their own account), `platform`
 * (platform administrators only) or `public` (no credentials). `resource`: the path parameter naming the resource, so
 * the matrix test can point the route at another organisation's row.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly action: Action | 'self' | 'platform' | 'public';
  readonly resource:
    | 'organisation'
    | 'entity'
    | 'campaign'
    | 'upload'
    | 'job'
    | 'token'
    | 'member'
    | 'service'
    | 'scenario'
    | 'action'
    | 'referential'
    | 'recompute'
    | 'none';
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly response: z.ZodType | null;
  readonly status: number;
  readonly rateLimit?: { readonly max: number; readonly timeWindow: string };
  /** `multipart/form-data` with one `file` part (and text fields), bounded by the upload limit. */
  readonly multipart?: true;
  /**
   * The handler answers text of this media type (a download), not JSON; `file`: a `Download` (media type, file name,
   * stream; src/server/usecases/export.ts) sent as an attachment.
   */
  readonly produces?: 'text/csv' | 'file';
  /** The handler returns a URL; the answer is a `302 Found` to it (browser sign-in flows). */
  readonly redirect?: true;
  readonly handler: (a: HandlerArgs<P, Q, B>) => Promise<unknown>;
}

const route = <P, Q, B>(r: RouteDef<P, Q, B>): RouteDef => r as unknown as RouteDef;

const OrgParams = z.object({ organisationId: S.Id });
const EntityParams = z.object({ entityId: S.Id });
const CampaignParams = z.object({ campaignId: S.Id });
const UploadParams = z.object({ uploadId: S.Id });
const JobParams = z.object({ jobId: S.Id });
const TokenParams = z.object({ tokenId: S.Id });
const MemberParams = z.object({ organisationId: S.Id, userId: S.Id });
const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const LoggedIn = z.object({ csrfToken: z.string(), expiresAt: z.string() }).meta({ id: 'Session' });

export const V1 = '/api/v1';

export const ROUTES: readonly RouteDef[] = [
  route({
    id: 'login',
    method: 'POST',
    url: `${V1}/auth/login`,
    summary: 'Sign in with email and password; sets the HttpOnly session cookie and returns the CSRF token',
    tag: 'auth',
    action: 'public',
    resource: 'none',
    body: S.LoginInput,
    response: LoggedIn,
    status: 200,
    rateLimit: { max: 10, timeWindow: '1 minute' },
    handler: async ({ deps, body, http }) => {
      const r = await login(deps, body);
      http.setSession(r);
      return { csrfToken: r.csrfToken, expiresAt: r.expiresAt };
    },
  }),
  route({
    id: 'password.reset',
    method: 'POST',
    url: `${V1}/auth/reset-password`,
    summary:
      'Set a new password with a one-use reset link made by an administrator (`empreinte admin reset-link`); ends the account’s sessions',
    tag: 'auth',
    action: 'public',
    resource: 'none',
    body: S.PasswordResetInput,
    response: null,
    status: 204,
    rateLimit: { max: 10, timeWindow: '1 minute' },
    handler: ({ deps, body }) => resetPassword(deps, body),
  }),
  route({
    id: 'oidc.login',
    method: 'GET',
    url: `${V1}/auth/oidc/login`,
    summary: 'Sign in with the OpenID Connect provider (when configured): redirects the browser to it',
    tag: 'auth',
    action: 'public',
    resource: 'none',
    response: null,
    status: 302,
    redirect: true,
    rateLimit: { max: 30, timeWindow: '1 minute' },
    handler: async ({ deps, http }) => {
      const r = await oidcStart(deps);
      http.setFlowCookie(r.cookie, OIDC_FLOW_TTL_MS);
      return r.url;
    },
  }),
  route({
    id: 'oidc.callback',
    method: 'GET',
    url: `${V1}/auth/oidc/callback`,
    summary:
      "The provider's redirect after sign-in: checks it, maps the claims to the account and its memberships, sets the session cookie and redirects to the dashboard",
    tag: 'auth',
    action: 'public',
    resource: 'none',
    response: null,
    status: 302,
    redirect: true,
    rateLimit: { max: 30, timeWindow: '1 minute' },
    handler: async ({ deps, http }) => {
      const cookie = http.flowCookie;
      http.clearFlowCookie();
      http.setSession(await oidcCallback(deps, { query: http.rawQuery, cookie }));
      return '/';
    },
  }),
  route({
    id: 'logout',
    method: 'POST',
    url: `${V1}/auth/logout`,
    summary: 'End the cookie session',
    tag: 'auth',
    action: 'self',
    resource: 'none',
    response: null,
    status: 204,
    handler: async ({ deps, http }) => {
      if (http.sessionSecret !== null) await logout(deps, http.sessionSecret);
      http.clearSession();
    },
  }),
  route({
    id: 'me',
    method: 'GET',
    url: `${V1}/me`,
    summary: 'The signed-in user and their memberships',
    tag: 'auth',
    action: 'self',
    resource: 'none',
    response: S.MeView,
    status: 200,
    handler: ({ deps, actor, http }) => me(deps, actor, http.sessionSecret),
  }),
  route({
    id: 'organisations.export',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/export`,
    summary:
      "The organisation's whole data as a ZIP: one CSV per table, its members' accounts (no password hashes), the uploads' raw files (administrators of the whole organisation)",
    tag: 'organisations',
    action: 'organisation:export',
    resource: 'organisation',
    params: OrgParams,
    response: z.string(),
    status: 200,
    produces: 'file',
    handler: async ({ deps, actor, params }) => ({
      contentType: 'application/zip',
      fileName: `empreinte-organisation-${params.organisationId}.zip`,
      body: await exportOrganisation(deps, actor, params),
    }),
  }),
  route({
    id: 'organisations.delete',
    method: 'DELETE',
    url: `${V1}/organisations/:organisationId`,
    summary:
      'Delete the organisation and all its data (campaigns, uploads, results, audit log); `confirm` must be its exact name (administrators of the whole organisation)',
    tag: 'organisations',
    action: 'organisation:delete',
    resource: 'organisation',
    params: OrgParams,
    body: z.object({ confirm: z.string().max(200) }).meta({ id: 'OrganisationDelete' }),
    response: null,
    status: 204,
    handler: ({ deps, actor, params, body }) => deleteOrganisation(deps, actor, { ...params, confirm: body.confirm }),
  }),
  route({
    id: 'organisations.create',
    method: 'POST',
    url: `${V1}/organisations`,
    summary: 'Create an organisation (platform administrators)',
    tag: 'organisations',
    action: 'platform',
    resource: 'none',
    body: S.OrganisationInput,
    response: S.OrganisationView.extend({ adminPassword: z.string().nullable() }),
    status: 201,
    handler: ({ deps, actor, body }) => org.createOrganisation(deps, actor, body),
  }),
  route({
    id: 'organisations.list',
    method: 'GET',
    url: `${V1}/organisations`,
    summary: "The caller's organisations",
    tag: 'organisations',
    action: 'self',
    resource: 'none',
    response: z.array(S.OrganisationView),
    status: 200,
    handler: ({ deps, actor }) => org.listOrganisations(deps, actor),
  }),
  route({
    id: 'organisations.get',
    method: 'GET',
    url: `${V1}/organisations/:organisationId`,
    summary: 'One organisation',
    tag: 'organisations',
    action: 'organisation:read',
    resource: 'organisation',
    params: OrgParams,
    response: S.OrganisationView,
    status: 200,
    handler: ({ deps, actor, params }) => org.getOrganisation(deps, actor, params),
  }),
  route({
    id: 'entities.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/entities`,
    summary: 'Entities visible to the caller',
    tag: 'entities',
    action: 'entity:read',
    resource: 'organisation',
    params: OrgParams,
    response: z.array(S.EntityView),
    status: 200,
    handler: ({ deps, actor, params }) => org.listEntities(deps, actor, params),
  }),
  route({
    id: 'entities.create',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/entities`,
    summary: 'Create an entity (optionally under a parent)',
    tag: 'entities',
    action: 'entity:write',
    resource: 'organisation',
    params: OrgParams,
    body: S.EntityInput,
    response: S.EntityView,
    status: 201,
    handler: ({ deps, actor, params, body }) => org.createEntity(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'entities.get',
    method: 'GET',
    url: `${V1}/entities/:entityId`,
    summary: 'One entity',
    tag: 'entities',
    action: 'entity:read',
    resource: 'entity',
    params: EntityParams,
    response: S.EntityView,
    status: 200,
    handler: ({ deps, actor, params }) => org.getEntity(deps, actor, params),
  }),
  route({
    id: 'entities.update',
    method: 'PATCH',
    url: `${V1}/entities/:entityId`,
    summary: 'Rename, move or change the headcount of an entity',
    tag: 'entities',
    action: 'entity:write',
    resource: 'entity',
    params: EntityParams,
    body: S.EntityPatch,
    response: S.EntityView,
    status: 200,
    handler: ({ deps, actor, params, body }) => org.updateEntity(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'entities.delete',
    method: 'DELETE',
    url: `${V1}/entities/:entityId`,
    summary: 'Delete an entity and its descendants',
    tag: 'entities',
    action: 'entity:write',
    resource: 'entity',
    params: EntityParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => org.deleteEntity(deps, actor, params),
  }),
  route({
    id: 'members.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/members`,
    summary: 'Members of the organisation and their roles',
    tag: 'members',
    action: 'member:read',
    resource: 'organisation',
    params: OrgParams,
    response: z.array(S.MemberView),
    status: 200,
    handler: ({ deps, actor, params }) => org.listMembers(deps, actor, params),
  }),
  route({
    id: 'members.put',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/members`,
    summary: 'Add a member (creating the account, password shown once) or change their role',
    tag: 'members',
    action: 'member:manage',
    resource: 'organisation',
    params: OrgParams,
    body: S.MemberInput,
    response: S.MemberCreated,
    status: 200,
    handler: ({ deps, actor, params, body }) => org.putMember(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'members.remove',
    method: 'DELETE',
    url: `${V1}/organisations/:organisationId/members/:userId`,
    summary: 'Remove a member from the organisation',
    tag: 'members',
    action: 'member:manage',
    resource: 'member',
    params: MemberParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => org.removeMember(deps, actor, params),
  }),
  route({
    id: 'tokens.create',
    method: 'POST',
    url: `${V1}/tokens`,
    summary: 'Create an API token for the caller (shown once)',
    tag: 'tokens',
    action: 'self',
    resource: 'none',
    body: S.TokenInput,
    response: S.TokenCreated,
    status: 201,
    handler: ({ deps, actor, body }) => tokens.createToken(deps, actor, body),
  }),
  route({
    id: 'tokens.list',
    method: 'GET',
    url: `${V1}/tokens`,
    summary: "The caller's API tokens (never the secret)",
    tag: 'tokens',
    action: 'self',
    resource: 'none',
    response: z.array(S.TokenView),
    status: 200,
    handler: ({ deps, actor }) => tokens.listTokens(deps, actor),
  }),
  route({
    id: 'tokens.revoke',
    method: 'DELETE',
    url: `${V1}/tokens/:tokenId`,
    summary: 'Revoke one of the caller\u2019s API tokens',
    tag: 'tokens',
    action: 'self',
    resource: 'token',
    params: TokenParams,
    response: null,
    status: 204,
    handler: ({ deps, actor, params }) => tokens.revokeToken(deps, actor, params),
  }),
  route({
    id: 'campaigns.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/campaigns`,
    summary: "The organisation's campaigns",
    tag: 'campaigns',
    action: 'campaign:read',
    resource: 'organisation',
    params: OrgParams,
    response: z.array(S.CampaignView),
    status: 200,
    handler: ({ deps, actor, params }) => org.listCampaigns(deps, actor, params),
  }),
  route({
    id: 'campaigns.create',
    method: 'POST',
    url: `${V1}/organisations/:organisationId/campaigns`,
    summary: 'Create a campaign (a dated snapshot, referential pinned)',
    tag: 'campaigns',
    action: 'campaign:write',
    resource: 'organisation',
    params: OrgParams,
    body: S.CampaignInput,
    response: S.CampaignView,
    status: 201,
    handler: ({ deps, actor, params, body }) => org.createCampaign(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'campaigns.get',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId`,
    summary: 'One campaign',
    tag: 'campaigns',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    response: S.CampaignView,
    status: 200,
    handler: ({ deps, actor, params }) => org.getCampaign(deps, actor, params),
  }),
  route({
    id: 'campaigns.update',
    method: 'PATCH',
    url: `${V1}/campaigns/:campaignId`,
    summary: 'Rename a campaign, change its profile or pin a referential version (refused when locked)',
    tag: 'campaigns',
    action: 'campaign:write',
    resource: 'campaign',
    params: CampaignParams,
    body: S.CampaignPatch,
    response: S.CampaignView,
    status: 200,
    handler: ({ deps, actor, params, body }) => org.updateCampaign(deps, actor, { ...params, ...body }),
  }),
  route({
    id: 'campaigns.lock',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/lock`,
    summary: 'Lock (sign off) a campaign: it refuses writes until unlocked',
    tag: 'campaigns',
    action: 'campaign:lock',
    resource: 'campaign',
    params: CampaignParams,
    response: S.CampaignView,
    status: 200,
    handler: ({ deps, actor, params }) => org.setCampaignLock(deps, actor, { ...params, locked: true }),
  }),
  route({
    id: 'campaigns.unlock',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/unlock`,
    summary: 'Unlock a campaign',
    tag: 'campaigns',
    action: 'campaign:lock',
    resource: 'campaign',
    params: CampaignParams,
    response: S.CampaignView,
    status: 200,
    handler: ({ deps, actor, params }) => org.setCampaignLock(deps, actor, { ...params, locked: false }),
  }),
  route({
    id: 'uploads.create',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/uploads`,
    summary:
      'Upload one inventory file (multipart: optional `mapping` preset id field first, then the `file` part); validated, stored with its report and rejects (refused when locked)',
    tag: 'uploads',
    action: 'campaign:write',
    resource: 'campaign',
    params: CampaignParams,
    multipart: true,
    response: S.UploadView,
    status: 201,
    rateLimit: { max: 60, timeWindow: '1 minute' },
    handler: ({ deps, actor, params, file }) => uploads.createUpload(deps, actor, uploads.uploadInput(params, file)),
  }),
  route({
    id: 'uploads.list',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/uploads`,
    summary: "The campaign's uploads and their validation reports",
    tag: 'uploads',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    response: z.array(S.UploadView),
    status: 200,
    handler: ({ deps, actor, params }) => uploads.listUploads(deps, actor, params),
  }),
  route({
    id: 'uploads.get',
    method: 'GET',
    url: `${V1}/uploads/:uploadId`,
    summary: 'One upload and its validation report',
    tag: 'uploads',
    action: 'campaign:read',
    resource: 'upload',
    params: UploadParams,
    response: S.UploadView,
    status: 200,
    handler: ({ deps, actor, params }) => uploads.getUpload(deps, actor, params),
  }),
  route({
    id: 'uploads.rejects',
    method: 'GET',
    url: `${V1}/uploads/:uploadId/rejects`,
    summary: "The upload's rejected lines (CSV, the rejects file of `empreinte validate --rejects`); empty when none",
    tag: 'uploads',
    action: 'campaign:read',
    resource: 'upload',
    params: UploadParams,
    response: z.string(),
    produces: 'text/csv',
    status: 200,
    handler: ({ deps, actor, params }) => uploads.uploadRejects(deps, actor, params),
  }),
  route({
    id: 'assessments.create',
    method: 'POST',
    url: `${V1}/campaigns/:campaignId/assessments`,
    summary: "Assess the campaign's uploads as a job (refused when locked); poll GET /jobs/{id}",
    tag: 'assessments',
    action: 'campaign:write',
    resource: 'campaign',
    params: CampaignParams,
    response: z.object({ jobId: z.string() }).meta({ id: 'JobStarted' }),
    status: 202,
    handler: ({ deps, actor, params }) => assessments.startAssessment(deps, actor, params),
  }),
  route({
    id: 'jobs.get',
    method: 'GET',
    url: `${V1}/jobs/:jobId`,
    summary: 'A job: status queued|running|done|failed, progress 0–1, errors',
    tag: 'assessments',
    action: 'campaign:read',
    resource: 'job',
    params: JobParams,
    response: assessments.JobView,
    status: 200,
    handler: ({ deps, actor, params }) => assessments.getJob(deps, actor, params),
  }),
  route({
    id: 'campaigns.totals',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/totals`,
    summary:
      "The campaign's last assessment: the document of `assess --summary --format json` (meta, inventory, totals)",
    tag: 'assessments',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    response: z.record(z.string(), z.unknown()),
    status: 200,
    handler: ({ deps, actor, params }) => assessments.getTotals(deps, actor, params),
  }),
  route({
    id: 'campaigns.items',
    method: 'GET',
    url: `${V1}/campaigns/:campaignId/items`,
    summary: 'Assessed items, wide (values per criterion × step), paginated, filterable by type, entity, tier',
    tag: 'assessments',
    action: 'campaign:read',
    resource: 'campaign',
    params: CampaignParams,
    query: assessments.ItemsQuery,
    response: assessments.ItemsPage,
    status: 200,
    handler: ({ deps, actor, params, query }) => assessments.listItems(deps, actor, { ...params, ...query }),
  }),
  route({
    id: 'audit.list',
    method: 'GET',
    url: `${V1}/organisations/:organisationId/audit`,
    summary: "The organisation's audit log, newest first (append-only)",
    tag: 'audit',
    action: 'audit:read',
    resource: 'organisation',
    params: OrgParams,
    query: AuditQuery,
    response: z.array(S.AuditView),
    status: 200,
    handler: ({ deps, actor, params, query }) => org.listAudit(deps, actor, { ...params, ...query }),
  }),
  ...READ_ROUTES,
  ...SERVICE_ROUTES,
  ...STEERING_ROUTES,
  ...KPI_ROUTES,
  ...PERSONAL_DATA_ROUTES,
  ...ORG_REFERENTIAL_ROUTES,
];
