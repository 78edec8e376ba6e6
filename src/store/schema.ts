/**
 * The database's tables as Kysely sees them, one type set for SQLite and PostgreSQL (server-examples.md §2): ids are
 * application-made UUIDs stored as text, timestamps ISO strings (a pg type parser returns them as text), booleans are
 * integers 0/1 on both (so no mapping differs), JSON is text.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export type Role = 'admin' | 'editor' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

export interface OrganisationTable {
  id: string;
  name: string;
  created_at: string;
  /** What an upload's `utilisateur` column becomes: 'drop' (default) or 'pseudonymise' (keyed hash). */
  personal_data: Generated<string>;
  /** Days an upload's raw bytes are kept before the purge clears them; null keeps them. */
  retention_days: Generated<number | null>;
}
export interface EntityTable {
  id: string;
  organisation_id: string;
  parent_id: string | null;
  name: string;
  headcount: number | null;
  created_at: string;
}
export interface UserTable {
  id: string;
  email: string;
  password_hash: string | null;
  platform_admin: number;
  created_at: string;
}
export interface MembershipTable {
  organisation_id: string;
  user_id: string;
  role: Role;
  /** When set, the member sees only this entity and its descendants. */
  entity_id: string | null;
  created_at: string;
}
export interface SessionTable {
  /** SHA-256 of the cookie's secret (hex); the secret itself is never stored. */
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}
export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** First characters of the secret, to recognise a token in a list. */
  prefix: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}
/** A password reset link made by an administrator (`empreinte admin reset-link`): one use, short-lived. */
export interface PasswordResetTable {
  /** SHA-256 of the link's secret (the secret itself is printed once, never stored). */
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface CampaignTable {
  id: string;
  organisation_id: string;
  name: string;
  reference_date: string;
  profile: string;
  referential_id: string | null;
  referential_hash: string | null;
  locked: number;
  created_at: string;
}
export interface AuditLogTable {
  id: string;
  organisation_id: string;
  actor_user_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string;
  at: string;
}
export interface UploadTable {
  id: string;
  organisation_id: string;
  campaign_id: string;
  file_name: string;
  mapping: string | null;
  status: string;
  report: string | null;
  created_at: string;
  /** The raw file as uploaded (null once a retention period purged it). */
  content: Buffer | null;
  size: number;
  /** The validation's rejects file (CSV, `;`), null when no line was rejected. */
  rejects: string | null;
}
export interface JobRecordTable {
  id: string;
  organisation_id: string | null;
  name: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  created_at: string;
  updated_at: string;
  /** 0–1. */
  progress: number;
  campaign_id: string | null;
  /** Deliveries started (1 when the job ran once). */
  attempts: Generated<number>;
  /** The current attempt's id: only that attempt may finish the job (a retried job fences off the earlier one). */
  attempt: string | null;
  /** The worker (`host:pid`) running or that ran the current attempt. */
  worker: string | null;
}
/** One assessed item, wide: dimensions as columns, values per criterion × step in `vals` (JSON array). */
export interface ResultItemTable {
  campaign_id: string;
  organisation_id: string;
  position: number;
  kind: string;
  name: string;
  entity: string | null;
  type: string | null;
  tier: string | null;
  country: string | null;
  datacenter: string | null;
  quantity: number | null;
  file: string | null;
  line: number | null;
  /** JSON array of numbers (null: not computed or in error), aligned with `campaign_results.columns`. */
  vals: string;
  status: string;
}
/** Rows of an assessment still running, under its attempt's id; moved to result_items when it ends (never read). */
export interface ResultItemStagingTable extends ResultItemTable {
  attempt: string;
  job_id: string;
}
export interface CampaignResultTable {
  campaign_id: string;
  organisation_id: string;
  job_id: string;
  /** JSON array of the value columns' names (`<CRITERION> <STEP> (<unit>)`). */
  columns: string;
  /** JSON: `{ meta, inventory, totals }`, the document of `assess --summary --format json`. */
  document: string;
  computed_at: string;
}
/** A digital-service description of an organisation (issue 14): one row per service version. */
export interface ServiceTable {
  id: string;
  organisation_id: string;
  name: string;
  version: string;
  /** JSON: the description as given (src/services/schema.ts validates it on every read and write). */
  definition: string;
  created_at: string;
  updated_at: string;
}

/** A referential version of an organisation (issue 12): its source files as uploaded, validated (§3.5) at upload. */
export interface OrgReferentialTable {
  id: string;
  organisation_id: string;
  name: string;
  /** 1, 2, … per (organisation, name). */
  version: number;
  /** sha256 of the layer's content as validated (the merged referential's hash is recorded by each assessment). */
  content_hash: string;
  /** JSON: relative file name → text content of the uploaded CSV files or pack files. */
  files: string;
  /** JSON: `{ rows, refused: [{ code, file, line, column }] }` from the validation at upload. */
  report: string;
  created_at: string;
  created_by: string | null;
}

/** A recomputation of a campaign with another referential (issue 12): totals before/after and their delta. */
export interface CampaignRecomputeTable {
  job_id: string;
  organisation_id: string;
  campaign_id: string;
  /** The organisation referential version used, null for the default pack. */
  referential_id: string | null;
  /** JSON: `{ referentialHash, before, after, delta }` (totals documents and `totalsDelta`). */
  document: string;
  computed_at: string;
}

/** One pre-aggregated figure set of a campaign's assessment: a dimension (tier, type, step…), a key, values (JSON). */
export interface CampaignAggregateTable {
  campaign_id: string;
  organisation_id: string;
  /** The assessment job that wrote the row; current rows are those of `campaign_results.job_id`. */
  job_id: string;
  dimension: string;
  key: string;
  /** JSON: criterion → value for breakdown dimensions; a document for the others (src/server/usecases/aggregates.ts). */
  vals: string;
}

// ---- steering (issue 13 over the API) ----
export interface OrganisationTargetTable {
  organisation_id: string;
  criterion: string;
  base_year: number;
  target_year: number;
  /** A fraction: −0.30 for −30 %. */
  reduction: number;
  /** `linear` or `constant-rate`. */
  shape: string;
  budget: number | null;
  updated_at: string;
}
export interface ScenarioTable {
  id: string;
  organisation_id: string;
  campaign_id: string;
  name: string;
  description: string | null;
  /** JSON array of levers (src/steering/scenario-schema.ts). */
  levers: string;
  /** JSON: the delta per criterion when saved, and the assessment it was computed on. */
  result: string;
  created_at: string;
  created_by: string | null;
}
export interface ActionTable {
  id: string;
  organisation_id: string;
  title: string;
  owner: string;
  due_date: string;
  scenario_id: string | null;
  /** The campaign the expected saving was computed on. */
  campaign_id: string | null;
  /** JSON array of levers (the scenario's, copied, or the action's own). */
  levers: string;
  /** kg CO2 eq per year (positive: a reduction), from the scenario preview. */
  expected_saving: number;
  status: 'planned' | 'in-progress' | 'done' | 'cancelled';
  created_at: string;
  updated_at: string;
}
// ---- end steering ----

export interface Database {
  organisations: OrganisationTable;
  entities: EntityTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_resets: PasswordResetTable;
  campaigns: CampaignTable;
  audit_log: AuditLogTable;
  uploads: UploadTable;
  job_records: JobRecordTable;
  result_items: ResultItemTable;
  result_items_staging: ResultItemStagingTable;
  campaign_results: CampaignResultTable;
  campaign_aggregates: CampaignAggregateTable;
  services: ServiceTable;
  organisation_targets: OrganisationTargetTable;
  scenarios: ScenarioTable;
  actions: ActionTable;
  org_referentials: OrgReferentialTable;
  campaign_recomputes: CampaignRecomputeTable;
  assessment_chunks: AssessmentChunkTable;
}

/** One chunk of an assessment job's items (src/server/usecases/assessments.ts). */
export interface AssessmentChunkTable {
  job_id: string;
  chunk: number;
  organisation_id: string;
  campaign_id: string;
  /** The chunk's items: positions [first, last); last null: to the end. */
  first: number;
  last: number | null;
  /** JSON array of the upload ids the job reads (the same for every chunk). */
  uploads: string;
  status: 'queued' | 'running' | 'done';
  /** The current attempt's id: only it may finish the chunk. */
  attempt: string | null;
  attempts: Generated<number>;
  worker: string | null;
  items: number | null;
  /** JSON partial aggregates of the chunk once done. */
  partial: string | null;
  updated_at: string;
}

/** Tables holding one organisation's rows: only src/store/scoped.ts queries them (test/store/single-entry.test.ts). */
export const TENANT_TABLES = [
  'entities',
  'memberships',
  'campaigns',
  'audit_log',
  'uploads',
  'job_records',
  'result_items',
  'result_items_staging',
  'campaign_results',
  'campaign_aggregates',
  'services',
  'organisation_targets',
  'scenarios',
  'actions',
  'org_referentials',
  'campaign_recomputes',
  'assessment_chunks',
] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];

/** A unique, ordered key per tenant table: the order of an organisation's export, paged by keyset. */
export const EXPORT_KEYS: { readonly [T in TenantTable]: readonly string[] } = {
  entities: ['id'],
  memberships: ['user_id'],
  campaigns: ['id'],
  audit_log: ['id'],
  uploads: ['id'],
  job_records: ['id'],
  result_items: ['campaign_id', 'position'],
  campaign_results: ['campaign_id'],
  campaign_aggregates: ['campaign_id', 'job_id', 'dimension', 'key'],
  services: ['id'],
  result_items_staging: ['attempt', 'position'],
  organisation_targets: ['organisation_id'],
  scenarios: ['id'],
  actions: ['id'],
  org_referentials: ['id'],
  campaign_recomputes: ['job_id'],
  assessment_chunks: ['job_id', 'chunk'],
};

export type Organisation = Selectable<OrganisationTable>;
export type Entity = Selectable<EntityTable>;
export type User = Selectable<UserTable>;
export type Membership = Selectable<MembershipTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type Campaign = Selectable<CampaignTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type JobRecord = Selectable<JobRecordTable>;
export type ResultItem = Selectable<ResultItemTable>;
export type Upload = Selectable<UploadTable>;
export type NewCampaign = Insertable<CampaignTable>;
export type StoredService = Selectable<ServiceTable>;
export type OrganisationTarget = Selectable<OrganisationTargetTable>;
export type Scenario = Selectable<ScenarioTable>;
export type Action = Selectable<ActionTable>;
export type StoredOrgReferential = Selectable<OrgReferentialTable>;
