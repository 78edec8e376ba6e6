/**
 * The one module that knows the API: every route path and the fields the dashboard reads, as TypeScript types
 * (the server's zod schemas in src/server/usecases/*.ts and the read/steering routes being added). A mismatch found
 * when the branches merge is fixed here.
 *
 * `ApiClient`: same-origin fetch with the session cookie; writes send `X-CSRF-Token` (from login or /me); errors come
 * back as `ApiError` carrying the problem+json body. 401 calls `onUnauthenticated` (the app goes back to the login
 * page); 404 on a route the server does not have yet, and 501, are `unavailable` (the page says "not available yet").
 */

export const V1 = '/api/v1';

// ---- Existing routes (src/server/routes.ts) ----

export type Role = 'admin' | 'editor' | 'viewer';

export interface Me {
  readonly userId: string;
  readonly email: string;
  readonly platformAdmin: boolean;
  readonly memberships: readonly { organisationId: string; role: Role; entityId: string | null }[];
  readonly csrfToken: string | null;
}

export interface Session {
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Entity {
  readonly id: string;
  readonly organisationId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly headcount: number | null;
  readonly createdAt: string;
}

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly entityId: string | null;
}

export interface MemberCreated extends Member {
  readonly initialPassword: string | null;
}

export interface Token {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface TokenCreated extends Token {
  readonly token: string;
}

export interface Campaign {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly referenceDate: string;
  readonly profile: string;
  readonly referentialId: string | null;
  readonly referentialHash: string | null;
  readonly locked: boolean;
  readonly createdAt: string;
}

export interface UploadIssue {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly line?: number;
}

export interface Upload {
  readonly id: string;
  readonly campaignId: string;
  readonly fileName: string;
  readonly mapping: string | null;
  readonly size: number;
  readonly status: 'valid' | 'invalid';
  readonly report: {
    readonly ok: boolean;
    readonly read: number;
    readonly imported: number;
    readonly rejected: number;
    readonly warnings: number;
    readonly kind?: string;
    readonly format?: string;
    readonly fileError?: UploadIssue;
    readonly issues: readonly UploadIssue[];
  };
  readonly createdAt: string;
}

export interface Job {
  readonly id: string;
  readonly name: string;
  readonly campaignId: string | null;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly progress: number;
  readonly errors: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly at: string;
}

/** Values per criterion code. */
export type PerCriterion = Readonly<Record<string, number>>;

export interface CriterionTotal {
  readonly criterion: string;
  readonly unit: string;
  readonly value: number;
  readonly byStep: Readonly<Record<string, number>>;
  readonly indicators: number;
  readonly errors: number;
  readonly peopleEquivalent?: number;
  readonly perCollaborator?: number;
  /** F21 uncertainty range, when the assessment computed one. */
  readonly range?: { readonly lower: number; readonly upper: number; readonly confidence?: number };
  readonly uncertainty?: { readonly lower: number; readonly upper: number; readonly confidence?: number };
}

export interface CoverageToFix {
  readonly indicators: number;
  readonly items: number;
  readonly first: readonly { kind: string; item: string; file?: string; line?: number }[];
}

/** The totals document (`assess --summary --format json`): the fields the dashboard reads. */
export interface TotalsDocument {
  readonly meta: {
    readonly engine: { readonly name: string; readonly version: string };
    readonly profile: string;
    readonly referenceDate: string;
    readonly period?: { readonly start: string; readonly end: string };
    readonly referential: {
      readonly id: string;
      readonly version: string;
      readonly hash: string;
      readonly layers: readonly { readonly name: string }[];
    };
    readonly criteria: readonly string[];
    readonly steps: readonly string[];
  };
  /**
   * Set when the document covers part of the campaign: the entities of a member restricted to an entity subtree
   * (docs/api.md, "Entity-restricted members").
   */
  readonly scope?: { readonly entities: readonly string[] };
  /**
   * F21: P5/P50/P95 of each criterion's total (`assess --uncertainty`; the server computes it at every assessment).
   */
  readonly uncertainty?: readonly {
    readonly criterion: string;
    readonly unit: string;
    readonly range: { readonly p5: number; readonly p50: number; readonly p95: number };
  }[];
  readonly inventory: readonly {
    readonly file: string;
    readonly kind: string;
    readonly read: number;
    readonly imported: number;
    readonly rejected: number;
    readonly warnings: number;
  }[];
  readonly totals: {
    readonly byCriterion: readonly CriterionTotal[];
    /** by.kind, by.type, by.entity, by.country, by.datacenter, by.tier, by.quality → label → criterion → value. */
    readonly by: Readonly<Record<string, Readonly<Record<string, PerCriterion>>>>;
    readonly electricity?: { readonly itKWh: number; readonly facilityKWh: number };
    readonly dataConsistency?: {
      readonly indicators: number;
      readonly errors: number;
      readonly errorShare: number;
      readonly errorCodes: Readonly<Record<string, number>>;
    };
    readonly dataQuality?: Readonly<Record<string, { items: number; itemShare: number; climateChangeShare: number }>>;
    readonly coverage?: {
      readonly indicators: number;
      readonly computed: number;
      readonly notCovered: {
        readonly indicators: number;
        readonly share: number;
        readonly byCriterion: Readonly<Record<string, Readonly<Record<string, number>>>>;
        readonly howToLoad?: string;
      };
      readonly toFix: {
        readonly indicators: number;
        readonly share: number;
        readonly byCode: Readonly<Record<string, CoverageToFix>>;
      };
    };
    readonly warnings?: Readonly<Record<string, number>>;
    readonly collaborators?: number;
  };
}

export interface ItemRow {
  readonly kind: string;
  readonly name: string;
  readonly entity: string | null;
  readonly type: string | null;
  readonly tier: string | null;
  readonly country: string | null;
  readonly datacenter: string | null;
  readonly quantity: number | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly values: readonly (number | null)[];
  readonly status: string;
  /** The item's position in the campaign's results (api-read: the key of its trace); else offset + index. */
  readonly position?: number;
}

export interface ItemsPage {
  readonly total: number;
  readonly offset: number;
  /** Value columns, e.g. `CLIMATE_CHANGE_MANUFACTURING`… (src/outputs/wide.ts). */
  readonly columns: readonly string[];
  readonly items: readonly ItemRow[];
}

export interface ItemsQuery {
  readonly type?: string;
  readonly entity?: string;
  readonly tier?: string;
  readonly q?: string;
  readonly sort?: string;
  readonly order?: 'asc' | 'desc';
  readonly offset?: number;
  readonly limit?: number;
}

// ---- Read routes (api-read branch) ----

export interface LabelValue {
  readonly label: string;
  readonly value: number;
}

export interface Breakdowns {
  readonly criterion: string;
  readonly unit: string;
  readonly total: number;
  readonly byTier: readonly LabelValue[];
  readonly byType: readonly LabelValue[];
  readonly byStep: readonly LabelValue[];
  readonly byEntity: readonly (LabelValue & { readonly parent?: string | null })[];
  readonly byCountry: readonly LabelValue[];
  readonly top: readonly (LabelValue & { readonly position?: number; readonly type?: string | null })[];
  readonly electricityKwh: number;
  readonly perCollaborator: number | null;
  readonly peopleEquivalent: number | null;
}

export interface TraceVariable {
  readonly value: number | string;
  readonly unit?: string;
  readonly origin?: string;
  readonly ref?: {
    readonly layer?: string;
    readonly key?: string;
    readonly source?: string;
    readonly licence?: string;
  };
}

export interface TraceIndicator {
  readonly lifecycleStep: string;
  readonly criterion: string;
  readonly value: number;
  readonly unit: string;
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly tier?: string;
  readonly trace?: {
    readonly formula: string;
    readonly variables: Readonly<Record<string, TraceVariable>>;
    readonly resolution?: Readonly<Record<string, unknown>>;
    readonly lifetime?: Readonly<Record<string, unknown>>;
    readonly period?: Readonly<Record<string, unknown>>;
    readonly warnings?: readonly unknown[];
  };
}

/** `empreinte explain --item … --format json`. */
export interface ItemTrace {
  readonly meta: TotalsDocument['meta'];
  readonly item: string;
  readonly matches: readonly {
    readonly kind: string;
    readonly item: string;
    readonly entity?: string | null;
    readonly quantity?: number;
    readonly file?: string;
    readonly line?: number;
    readonly indicators: readonly TraceIndicator[];
  }[];
}

export interface Quality {
  readonly rejects?: readonly { uploadId: string; fileName: string; rejected: number; reasons?: PerCriterion }[];
  readonly [key: string]: unknown;
}

/** GET /referentials: the packs the server knows (the embedded open pack first). */
export interface Referential {
  readonly id: string;
  readonly version: string;
  readonly title?: string;
  readonly description?: string;
  readonly profile?: string;
  readonly embedded?: boolean;
  readonly contentHash?: string;
  readonly hash?: string;
  readonly name?: string;
  /** The pack's files: rows and licence of each. */
  readonly files?: readonly { path: string; licence: string; rows: number; description?: string }[];
  /** The upstream files the pack was built from: origin (repository@commit path), licence, checksum. */
  readonly sources?: readonly { path?: string; origin?: string; licence?: string; sha256?: string }[];
  /** The datasets the pack is made from, with their licence and attribution. */
  readonly licences?: readonly { dataset: string; licence: string; attribution: string }[];
  readonly [key: string]: unknown;
}

// ---- Steering routes (api-steering, steering branches) ----

export interface Effect {
  readonly effect: string;
  readonly value: number;
}

export interface Comparison {
  readonly criterion?: string;
  readonly unit?: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  readonly effects: readonly Effect[];
  readonly diff: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly first?: {
      readonly added?: readonly Readonly<Record<string, unknown>>[];
      readonly removed?: readonly Readonly<Record<string, unknown>>[];
      readonly changed?: readonly Readonly<Record<string, unknown>>[];
    };
  };
}

/** PUT /organisations/:id/target (api-steering TargetPut): the baseline value is the base year's campaign total. */
export interface TargetInput {
  readonly criterion?: string;
  readonly baseYear: number;
  readonly targetYear: number;
  /** A fraction: −0.30 for −30 %. */
  readonly reduction: number;
  readonly shape: 'linear' | 'constant-rate';
  readonly budget?: number | null;
}

export interface TargetView extends TargetInput {
  readonly organisationId: string;
  readonly criterion: string;
  readonly budget: number | null;
  readonly updatedAt: string;
}

/** The trajectory as the pages draw it (from the server's TrajectoryView, `toTrajectory`). */
export interface Trajectory {
  readonly unit: string;
  readonly likeForLike: boolean;
  readonly targetLine: readonly { year: number; value: number }[];
  readonly campaigns: readonly {
    readonly year: number;
    readonly name: string;
    readonly value: number;
    readonly target: number | null;
    readonly gap: number | null;
    readonly relativeGap: number | null;
    readonly status: 'on-track' | 'off-track' | 'before-baseline' | null;
    readonly referentialVersion: string | null;
    readonly referentialDiffers: boolean;
  }[];
  readonly forecast: {
    readonly available: boolean;
    readonly points: readonly { year: number; value: number; lower: number | null; upper: number | null }[];
    readonly reachedYear: number | null;
  } | null;
  readonly budget: null | {
    readonly budget: number;
    readonly emittedSoFar: number;
    readonly remaining: number;
    readonly projectedTotal: number | null;
    readonly projectedWithinBudget: boolean | null;
  };
  readonly hasTarget: boolean;
}

/** A lever: an object with exactly one key (src/steering/scenario-schema.ts). */
export type Lever = Readonly<Record<string, Readonly<Record<string, string | number>>>>;

/** A scenario's result as the pages show it (`toPreview`): per criterion, and the delta per tier. */
export interface ScenarioPreview {
  readonly baseline: PerCriterion;
  readonly scenario: PerCriterion;
  readonly delta: PerCriterion;
  readonly units: Readonly<Record<string, string>>;
  /** tier → criterion → delta. */
  readonly byTier?: Readonly<Record<string, PerCriterion>>;
}

export interface SavedScenario {
  readonly id: string;
  readonly campaignId: string;
  readonly name: string;
  readonly levers: readonly Lever[];
  readonly result: ScenarioPreview | null;
  readonly createdAt?: string;
}

export interface Action {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly dueDate: string;
  readonly status?: string;
  readonly scenarioId: string | null;
  readonly levers: readonly Lever[];
  /** kg CO2 eq per year, positive = a reduction. */
  readonly expectedSaving: number | null;
  readonly measuredSaving: number | null;
}

/** POST /organisations/:id/actions: exactly one of scenarioId or levers. */
export interface ActionInput {
  readonly title: string;
  readonly owner: string;
  readonly dueDate: string;
  readonly scenarioId?: string;
  readonly levers?: readonly Lever[];
}

/** KPIs and digital services: shapes still open on their branches; shown as generic tables. */
export type Json = unknown;

// ---- Paths: every URL the dashboard calls ----

const q = (params: Readonly<Record<string, string | number | undefined>>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};
const e = encodeURIComponent;

export const paths = {
  login: () => `${V1}/auth/login`,
  logout: () => `${V1}/auth/logout`,
  me: () => `${V1}/me`,
  organisations: () => `${V1}/organisations`,
  organisation: (id: string) => `${V1}/organisations/${e(id)}`,
  entities: (org: string) => `${V1}/organisations/${e(org)}/entities`,
  entity: (id: string) => `${V1}/entities/${e(id)}`,
  members: (org: string) => `${V1}/organisations/${e(org)}/members`,
  member: (org: string, userId: string) => `${V1}/organisations/${e(org)}/members/${e(userId)}`,
  tokens: () => `${V1}/tokens`,
  token: (id: string) => `${V1}/tokens/${e(id)}`,
  campaigns: (org: string) => `${V1}/organisations/${e(org)}/campaigns`,
  campaign: (id: string) => `${V1}/campaigns/${e(id)}`,
  lock: (id: string) => `${V1}/campaigns/${e(id)}/lock`,
  unlock: (id: string) => `${V1}/campaigns/${e(id)}/unlock`,
  uploads: (campaign: string) => `${V1}/campaigns/${e(campaign)}/uploads`,
  upload: (id: string) => `${V1}/uploads/${e(id)}`,
  rejects: (uploadId: string) => `${V1}/uploads/${e(uploadId)}/rejects`,
  assessments: (campaign: string) => `${V1}/campaigns/${e(campaign)}/assessments`,
  job: (id: string) => `${V1}/jobs/${e(id)}`,
  totals: (campaign: string) => `${V1}/campaigns/${e(campaign)}/totals`,
  items: (campaign: string, query: ItemsQuery = {}) => `${V1}/campaigns/${e(campaign)}/items${q({ ...query })}`,
  audit: (org: string, limit = 100) => `${V1}/organisations/${e(org)}/audit${q({ limit })}`,
  // api-read
  breakdowns: (campaign: string, criterion: string) => `${V1}/campaigns/${e(campaign)}/breakdowns${q({ criterion })}`,
  trace: (campaign: string, position: number) => `${V1}/campaigns/${e(campaign)}/items/${position}/trace`,
  export: (campaign: string, format: 'csv' | 'xlsx', layout: 'wide' | 'long', locale: 'fr' | 'en') =>
    `${V1}/campaigns/${e(campaign)}/export${q({ format, layout, locale })}`,
  quality: (campaign: string) => `${V1}/campaigns/${e(campaign)}/quality`,
  referentials: () => `${V1}/referentials`,
  // api-steering
  /** From the path campaign (before) to `after`. */
  compare: (before: string, after: string, criterion = 'CLIMATE_CHANGE') =>
    `${V1}/campaigns/${e(before)}/compare${q({ with: after, criterion })}`,
  target: (org: string) => `${V1}/organisations/${e(org)}/target`,
  trajectory: (org: string, likeForLike = false) =>
    `${V1}/organisations/${e(org)}/trajectory${q({ likeForLike: likeForLike ? 'true' : undefined })}`,
  scenarioPreview: (campaign: string) => `${V1}/campaigns/${e(campaign)}/scenarios/preview`,
  scenarios: (campaign: string) => `${V1}/campaigns/${e(campaign)}/scenarios`,
  scenario: (id: string) => `${V1}/scenarios/${e(id)}`,
  actions: (org: string) => `${V1}/organisations/${e(org)}/actions`,
  action: (id: string) => `${V1}/actions/${e(id)}`,
  // steering, services
  kpis: (campaign: string) => `${V1}/campaigns/${e(campaign)}/kpis`,
  services: (org: string) => `${V1}/organisations/${e(org)}/services`,
  serviceFootprint: (id: string) => `${V1}/services/${e(id)}/footprint`,
} as const;

// ---- Errors ----

/** RFC 9457 problem details as the server sends them (src/server/problem.ts). */
export interface Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly code?: string;
  readonly detail?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type ApiErrorKind = 'unauthenticated' | 'unavailable' | 'not-found' | 'network' | 'problem';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly path: string,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `${status} ${path}`);
    this.name = 'ApiError';
  }
}

/**
 * The kind of a failed answer. A 404 whose problem says the *route* is unknown (`APP_NOT_FOUND` with kind `route`,
 * src/server/app.ts's not-found handler), a 404 without a problem body, 405 and 501 mean the server does not have the
 * feature yet; other 404s are a missing resource (a campaign not assessed yet…).
 */
export function errorKind(status: number, problem: Problem | undefined): ApiErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 501 || status === 405) return 'unavailable';
  if (status === 404) {
    if (problem === undefined || problem.details?.['kind'] === 'route') return 'unavailable';
    return 'not-found';
  }
  return 'problem';
}

// ---- Client ----

export interface ApiClientOptions {
  /** Called on any 401 (session expired or absent). */
  readonly onUnauthenticated?: () => void;
  /** fetch to use (tests); defaults to the global one. */
  readonly fetch?: typeof fetch;
  readonly base?: string;
}

type Body = object | FormData | undefined;

export class ApiClient {
  private csrf: string | null = null;

  constructor(private readonly options: ApiClientOptions = {}) {}

  setCsrf(token: string | null): void {
    this.csrf = token;
  }

  async request<T>(method: string, path: string, body?: Body): Promise<T> {
    const res = await this.raw(method, path, body);
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  /** The answer itself (downloads); throws ApiError on a failure status. */
  async raw(method: string, path: string, body?: Body): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*' };
    if (method !== 'GET' && method !== 'HEAD' && this.csrf !== null) headers['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch((this.options.base ?? '') + path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(payload !== undefined ? { body: payload } : {}),
      });
    } catch {
      throw new ApiError('network', 0, path, undefined);
    }
    if (res.ok) return res;
    let problem: Problem | undefined;
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      try {
        problem = (await res.json()) as Problem;
      } catch {
        problem = undefined;
      }
    }
    const kind = errorKind(res.status, problem);
    if (kind === 'unauthenticated' && path !== paths.login()) this.options.onUnauthenticated?.();
    throw new ApiError(kind, res.status, path, problem);
  }

  get = <T>(path: string) => this.request<T>('GET', path);
  post = <T>(path: string, body?: Body) => this.request<T>('POST', path, body);
  put = <T>(path: string, body?: Body) => this.request<T>('PUT', path, body);
  patch = <T>(path: string, body?: Body) => this.request<T>('PATCH', path, body);
  del = (path: string) => this.request<void>('DELETE', path);

  async login(email: string, password: string): Promise<Session> {
    const s = await this.post<Session>(paths.login(), { email, password });
    this.csrf = s.csrfToken;
    return s;
  }

  async me(): Promise<Me> {
    const m = await this.get<Me>(paths.me());
    this.csrf = m.csrfToken;
    return m;
  }
}

// ---- The server's views (api-read, api-steering) and their adapters to the pages' models ----
// Each adapter also accepts the page model itself (already adapted), so that a page works with either.

interface Share {
  readonly key: string;
  readonly value: number;
}

/** GET /campaigns/:id/breakdowns (api-read BreakdownsView). */
export interface BreakdownsView {
  readonly criterion: string;
  readonly unit: string;
  readonly total: number;
  readonly byTier: readonly Share[];
  readonly byType: readonly Share[];
  readonly byStep: readonly Share[];
  readonly byEntity: readonly (Share & { parentName: string | null })[];
  readonly byCountry: readonly Share[];
  readonly top: readonly { position: number; name: string; type: string | null; value: number }[];
  readonly electricityKwh: number;
  readonly perCollaborator: number | null;
  readonly peopleEquivalent: number | null;
}

const shares = (rows: readonly Share[] | undefined): LabelValue[] =>
  (rows ?? []).map((r) => ({ label: r.key, value: r.value }));

export function toBreakdowns(v: BreakdownsView): Breakdowns {
  return {
    criterion: v.criterion,
    unit: v.unit,
    total: v.total,
    byTier: shares(v.byTier),
    byType: shares(v.byType),
    byStep: shares(v.byStep),
    byEntity: (v.byEntity ?? []).map((r) => ({ label: r.key, value: r.value, parent: r.parentName })),
    byCountry: shares(v.byCountry),
    top: (v.top ?? []).map((r) => ({ label: r.name, value: r.value, position: r.position, type: r.type })),
    electricityKwh: v.electricityKwh,
    perCollaborator: v.perCollaborator,
    peopleEquivalent: v.peopleEquivalent,
  };
}

/** GET /campaigns/:id/items/:position/trace (api-read TraceView): one item and its indicators. */
export interface TraceRouteView {
  readonly campaignId: string;
  readonly position: number;
  readonly meta: TotalsDocument['meta'];
  readonly item: ItemTrace['matches'][number];
}

export function toItemTrace(v: TraceRouteView | ItemTrace): ItemTrace {
  if ('matches' in v) return v;
  return { meta: v.meta, item: v.item.item, matches: [v.item] };
}

interface DiffRows {
  readonly count: number;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** GET /campaigns/:before/compare?with=:after (api-steering CompareView). */
export interface CompareView {
  readonly criterion: string;
  readonly before: { readonly campaignId: string; readonly name: string };
  readonly after: { readonly campaignId: string; readonly name: string };
  readonly delta: { readonly byCriterion: readonly { criterion: string; unit: string }[] };
  readonly decomposition: readonly {
    readonly criterion: string;
    readonly before: number;
    readonly after: number;
    readonly change: number;
    readonly referenceData: number;
    /** Reference data first, then the F22 effects: they sum to `change`. */
    readonly effects: readonly Effect[];
  }[];
  readonly diff: { readonly added: DiffRows; readonly removed: DiffRows; readonly changed: DiffRows };
}

export function toComparison(v: CompareView, criterion = 'CLIMATE_CHANGE'): Comparison {
  const d = v.decomposition.find((x) => x.criterion === criterion) ?? v.decomposition[0];
  const unit = v.delta.byCriterion.find((x) => x.criterion === (d?.criterion ?? criterion))?.unit;
  return {
    criterion: d?.criterion ?? criterion,
    ...(unit !== undefined ? { unit } : {}),
    before: d?.before ?? 0,
    after: d?.after ?? 0,
    delta: d?.change ?? 0,
    effects: d?.effects ?? [],
    diff: {
      added: v.diff.added.count,
      removed: v.diff.removed.count,
      changed: v.diff.changed.count,
      first: { added: v.diff.added.rows, removed: v.diff.removed.rows, changed: v.diff.changed.rows },
    },
  };
}

type Status = 'on-track' | 'off-track' | 'before-baseline';

/** GET /organisations/:id/trajectory (api-steering TrajectoryView). */
export interface TrajectoryView {
  readonly criterion: string;
  readonly unit: string | null;
  readonly likeForLike: boolean;
  /** The target's value in its target year (null without a target). */
  readonly targetValue?: number | null;
  readonly campaigns: readonly {
    readonly name: string;
    /** False for a campaign that is not the latest of its year (listed, left out of the trajectory). */
    readonly inTrajectory?: boolean;
    readonly year: number;
    readonly total: number | null;
    readonly referential: { readonly id: string; readonly version: string };
    readonly referentialDiffers: boolean;
    readonly target: number | null;
    readonly gap: number | null;
    readonly relativeGap: number | null;
    readonly status: Status | null;
  }[];
  readonly target: TargetView | null;
  readonly targetLine: readonly { year: number; value: number }[];
  readonly forecast: {
    readonly available: boolean;
    readonly reachedYear: number | null;
    readonly points: readonly { year: number; value: number; lower: number | null; upper: number | null }[];
  } | null;
  readonly budget: Trajectory['budget'];
}

export function toTrajectory(v: TrajectoryView): Trajectory {
  return {
    unit: v.unit ?? 'kg CO2 eq',
    likeForLike: v.likeForLike,
    targetLine: v.targetLine,
    campaigns: v.campaigns
      .filter((c) => c.total !== null)
      .map((c) => ({
        year: c.year,
        name: c.name,
        value: c.total!,
        target: c.target,
        gap: c.gap,
        relativeGap: c.relativeGap,
        status: c.status,
        referentialVersion: `${c.referential.id} ${c.referential.version}`,
        referentialDiffers: c.referentialDiffers,
      })),
    forecast: v.forecast,
    budget: v.budget,
    hasTarget: v.target !== null,
  };
}

/** The delta document of a scenario or a comparison (api-steering TotalsDelta). */
export interface TotalsDeltaView {
  readonly byCriterion: readonly {
    criterion: string;
    unit: string;
    before: number;
    after: number;
    delta: number;
  }[];
  readonly by?: Readonly<Record<string, Readonly<Record<string, PerCriterion>>>>;
}

/** POST /campaigns/:id/scenarios/preview (api-steering ScenarioPreview). */
export interface ScenarioPreviewView {
  readonly name: string;
  readonly delta: TotalsDeltaView;
}

export function toPreview(
  delta: TotalsDeltaView['byCriterion'],
  byTier: Readonly<Record<string, PerCriterion>> | undefined,
): ScenarioPreview {
  const pick = (f: (r: TotalsDeltaView['byCriterion'][number]) => number) =>
    Object.fromEntries(delta.map((r) => [r.criterion, f(r)]));
  return {
    baseline: pick((r) => r.before),
    scenario: pick((r) => r.after),
    delta: pick((r) => r.delta),
    units: Object.fromEntries(delta.map((r) => [r.criterion, r.unit])),
    ...(byTier !== undefined ? { byTier } : {}),
  };
}

export const previewOf = (v: ScenarioPreviewView): ScenarioPreview =>
  toPreview(v.delta.byCriterion, v.delta.by?.['tier']);

/** GET /campaigns/:id/scenarios, POST … (api-steering Scenario). */
export interface ScenarioView {
  readonly id: string;
  readonly campaignId: string;
  readonly name: string;
  readonly levers: readonly Lever[];
  readonly createdAt: string;
  readonly result: {
    readonly byCriterion: TotalsDeltaView['byCriterion'];
    readonly byTier: Readonly<Record<string, PerCriterion>>;
  } | null;
}

export function toSavedScenario(v: ScenarioView): SavedScenario {
  return {
    id: v.id,
    campaignId: v.campaignId,
    name: v.name,
    levers: v.levers,
    result: v.result ? toPreview(v.result.byCriterion, v.result.byTier) : null,
    createdAt: v.createdAt,
  };
}

/** GET /organisations/:id/actions (api-steering ActionPlan). */
export interface ActionPlanView {
  readonly measuredBetween: { readonly from: { name: string }; readonly to: { name: string } } | null;
  readonly actions: readonly (Omit<Action, 'measuredSaving'> & { measured: { saving: number } | null })[];
}

export function toActions(v: ActionPlanView): Action[] {
  return v.actions.map(({ measured, ...a }) => ({ ...a, measuredSaving: measured ? measured.saving : null }));
}

/** GET /campaigns/:id/quality (api-read QualityView). */
/** The fixes that narrow the uncertainty most (GET …/quality, docs/steering.md "Uncertainty fixes"). */
export interface UncertaintyFixes {
  readonly criterion: string;
  readonly unit: string;
  readonly nominal: number;
  readonly p5: number;
  readonly p95: number;
  readonly width: number;
  readonly fixes: readonly {
    /** `item:<item>|<step>|<criterion>`, `elec:<location>|<criterion>`, `other:<kind>:<step>:<criterion>`, `activity:<quality>`. */
    readonly input: string;
    readonly kind: 'factor' | 'activity';
    readonly fix: 'GIVE_MODEL' | 'SPECIFIC_FACTOR' | 'ELECTRICITY_FACTOR' | 'MEASURE';
    readonly items: number;
    readonly defaultFactorItems: number;
    readonly value: number;
    readonly share: number;
    readonly widthIfExact: number;
  }[];
}

export interface QualityView {
  readonly assessed: boolean;
  readonly uploads: readonly {
    readonly uploadId: string;
    readonly fileName: string;
    readonly read: number;
    readonly imported: number;
    readonly rejected: number;
    readonly fileError: { code: string; message: string } | null;
    readonly topReasons: readonly { code: string; lines: number; message: string }[];
    readonly rejectsUrl: string | null;
  }[];
  readonly defaultFactor: { readonly items: number; readonly code: string };
  readonly defaultPue: { readonly items: number; readonly code: string };
  readonly missingConsumption: (CoverageToFix & { code: string }) | null;
  readonly toFix: readonly (CoverageToFix & { code: string })[];
  readonly notCovered: {
    readonly indicators: number;
    readonly share: number;
    readonly byCriterion: readonly { criterion: string; indicators: number; steps: Readonly<Record<string, number>> }[];
    readonly howToLoad: string;
  } | null;
  /** F21: the inputs of the climate total's range ranked by their share of its variance, each with its fix. */
  readonly uncertaintyFixes: UncertaintyFixes | null;
}

// ---- Digital services (services branch) ----

export interface ServiceView {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly updatedAt: string;
}

export interface TierSplit {
  readonly total: number;
  readonly terminals: number;
  readonly network: number;
  readonly datacenter: number;
}

export interface ServiceVersionFootprint {
  readonly id: string;
  readonly version: string;
  readonly functionalUnit: { readonly label: string; readonly perYear: number };
  readonly model: string;
  readonly criteria: readonly {
    readonly criterion: string;
    readonly unit: string;
    readonly perFunctionalUnit: TierSplit;
    readonly perYear: TierSplit;
  }[];
}

/** GET /services/:id/footprint: the service per functional unit, every version side by side. */
export interface ServiceFootprintView {
  readonly serviceId: string;
  readonly name: string;
  readonly version: string;
  readonly footprint: ServiceVersionFootprint;
  readonly versions: readonly ServiceVersionFootprint[];
}
