/**
 * The one migration set, for SQLite and PostgreSQL alike. Migrations are frozen once released: they take `Kysely<any>`
 * and never import the application's code. Column types come from `columnTypes` (the only place knowing the dialects
 * differ); here both use text ids, ISO text timestamps and integer booleans so rows read the same on both.
 *
 * On PostgreSQL the per-item tables (`result_items`, `result_items_staging`) are partitioned by hash of their campaign
 * (migration 0090, `partitionByCampaign`); SQLite keeps plain tables. docs/deployment.md says why hash, not list.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

function columnTypes(d: DialectName) {
  return { json: d === 'postgres' ? ('jsonb' as const) : ('text' as const) };
}

type Step = (db: Kysely<any>, d: DialectName) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Hash partitions of each per-item table on PostgreSQL (a power of two, so it can be split by re-hashing later). */
export const CAMPAIGN_PARTITIONS = 16;

/**
 * Turns a PostgreSQL table into one partitioned by hash of `campaign_id`, keeping its rows, columns, defaults, checks,
 * primary key (which must hold the partition key), foreign keys (cascading from campaigns and organisations) and
 * indexes under their former names. `CAMPAIGN_PARTITIONS` partitions `<table>_p00`…, unlogged when the table was.
 * Columns added later with `alter table … add column` reach every partition.
 */
async function partitionByCampaign(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  spec: {
    readonly primaryKey: readonly string[];
    readonly indexes: ReadonlyArray<readonly [string, readonly string[]]>;
    readonly unlogged: boolean;
  },
): Promise<void> {
  const t = sql.id(table);
  const next = sql.id(`${table}_partitioned`);
  await sql`create table ${next} (like ${t} including defaults including constraints)
    partition by hash (campaign_id)`.execute(db);
  for (let r = 0; r < CAMPAIGN_PARTITIONS; r++) {
    const part = sql.id(`${table}_p${String(r).padStart(2, '0')}`);
    await sql`create ${sql.raw(spec.unlogged ? 'unlogged ' : '')}table ${part} partition of ${next}
      for values with (modulus ${sql.lit(CAMPAIGN_PARTITIONS)}, remainder ${sql.lit(r)})`.execute(db);
  }
  await sql`insert into ${next} select * from ${t}`.execute(db);
  await sql`drop table ${t}`.execute(db);
  await sql`alter table ${next} rename to ${t}`.execute(db);
  await sql`alter table ${t} add constraint ${sql.id(`${table}_pk`)}
    primary key (${sql.join(spec.primaryKey.map((c) => sql.id(c)))})`.execute(db);
  for (const [col, parent] of [
    ['campaign_id', 'campaigns'],
    ['organisation_id', 'organisations'],
  ] as const)
    await sql`alter table ${t} add constraint ${sql.id(`${table}_${col}_fkey`)}
      foreign key (${sql.id(col)}) references ${sql.id(parent)} (id) on delete cascade`.execute(db);
  for (const [name, cols] of spec.indexes)
    await sql`create index ${sql.id(name)} on ${t} (${sql.join(cols.map((c) => sql.id(c)))})`.execute(db);
}

const STEPS: ReadonlyArray<readonly [string, Step]> = [
  [
    '2026_12_06_0001_accounts',
    async (db) => {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('entities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('parent_id', 'text', (c) => c.references('entities.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('headcount', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entities_organisation_idx').on('entities').column('organisation_id').execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('platform_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('memberships')
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'viewer')`))
        .addColumn('entity_id', 'text', (c) => c.references('entities.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['organisation_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
  ],
  [
    '2026_12_06_0002_campaigns',
    async (db, d) => {
      const t = columnTypes(d);
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reference_date', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('referential_id', 'text')
        .addColumn('referential_hash', 'text')
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('campaigns_name_unique', ['organisation_id', 'name'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('actor_user_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_organisation_idx')
        .on('audit_log')
        .columns(['organisation_id', 'at'])
        .execute();
      await db.schema
        .createTable('uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mapping', t.json)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('report', t.json)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('job_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    '2026_12_06_0003_audit_append_only',
    async (db, d) => {
      // The audit log refuses updates on both databases (rows go only with their organisation, by cascade).
      if (d === 'sqlite') {
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      } else {
        await sql`create function audit_log_no_update() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_update before update on audit_log
          for each row execute function audit_log_no_update()`.execute(db);
      }
    },
  ],
  [
    '2026_12_06_0004_upload_contents',
    async (db, d) => {
      // An upload keeps its raw bytes (bounded by the server's upload limit), its size and its rejects file (CSV).
      await db.schema
        .alterTable('uploads')
        .addColumn('content', d === 'postgres' ? 'bytea' : 'blob')
        .execute();
      await db.schema
        .alterTable('uploads')
        .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('uploads').addColumn('rejects', 'text').execute();
      await db.schema
        .createIndex('uploads_campaign_idx')
        .on('uploads')
        .columns(['campaign_id', 'created_at'])
        .execute();
    },
  ],
  [
    '2026_12_06_0005_results',
    async (db) => {
      // Assessment jobs: progress 0–1 and the campaign they assess.
      await db.schema
        .alterTable('job_records')
        .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('job_records').addColumn('campaign_id', 'text').execute();
      // Results stored wide: one row per item, its dimensions as columns and its values per criterion × step as one
      // array aligned with `campaign_results.columns` (the run's criteria × steps). Replaced whole by each assessment.
      await db.schema
        .createTable('result_items')
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('entity', 'text')
        .addColumn('type', 'text')
        .addColumn('tier', 'text')
        .addColumn('country', 'text')
        .addColumn('datacenter', 'text')
        .addColumn('quantity', 'double precision')
        .addColumn('file', 'text')
        .addColumn('line', 'integer')
        .addColumn('vals', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('result_items_pk', ['campaign_id', 'position'])
        .execute();
      for (const col of ['type', 'entity', 'tier'] as const)
        await db.schema
          .createIndex(`result_items_${col}_idx`)
          .on('result_items')
          .columns(['campaign_id', col])
          .execute();
      // The totals document of the campaign's last successful assessment (as `assess --summary --format json`).
      await db.schema
        .createTable('campaign_results')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('columns', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    '2026_12_07_0010_aggregates',
    async (db) => {
      // Pre-aggregated breakdowns of a campaign's assessment (the dashboard's figures), one row per dimension × key
      // with its values as JSON, written at the end of each assessment and tagged with its job: the rows of the job
      // named by `campaign_results.job_id` are the current ones.
      await db.schema
        .createTable('campaign_aggregates')
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('vals', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_aggregates_pk', ['campaign_id', 'job_id', 'dimension', 'key'])
        .execute();
    },
  ],
  [
    '2026_12_07_0020_steering',
    async (db) => {
      // Steering (issue 13 over the API): the organisation's target (one per organisation), saved scenarios of a
      // campaign (their levers as JSON and the delta computed when saved) and the action plan.
      await db.schema
        .createTable('organisation_targets')
        .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
        .addColumn('criterion', 'text', (c) => c.notNull())
        .addColumn('base_year', 'integer', (c) => c.notNull())
        .addColumn('target_year', 'integer', (c) => c.notNull())
        .addColumn('reduction', 'double precision', (c) => c.notNull())
        .addColumn('shape', 'text', (c) => c.notNull())
        .addColumn('budget', 'double precision')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('scenarios')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('levers', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addUniqueConstraint('scenarios_name_unique', ['campaign_id', 'name'])
        .execute();
      await db.schema.createIndex('scenarios_organisation_idx').on('scenarios').column('organisation_id').execute();
      await db.schema
        .createTable('actions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('scenario_id', 'text', (c) => c.references('scenarios.id').onDelete('set null'))
        .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('set null'))
        .addColumn('levers', 'text', (c) => c.notNull())
        .addColumn('expected_saving', 'double precision', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('planned', 'in-progress', 'done', 'cancelled')`),
        )
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('actions_organisation_idx').on('actions').column('organisation_id').execute();
    },
  ],
  [
    '2026_12_07_0030_jobs',
    async (db, d) => {
      // Job attempts: how many deliveries started, the current attempt's id (a fence: only that attempt may finish
      // the job) and the worker running it.
      await db.schema
        .alterTable('job_records')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('job_records').addColumn('attempt', 'text').execute();
      await db.schema.alterTable('job_records').addColumn('worker', 'text').execute();
      // An assessment writes its rows here in batches while it runs, under its attempt's id; the transaction that ends
      // it moves them into result_items. Readers never look here, so a crashed or retried run is never visible; a
      // dead attempt's rows are removed by the next attempt. Unlogged on PostgreSQL: nothing here survives a crash
      // that matters.
      let t = db.schema.createTable('result_items_staging');
      if (d === 'postgres') t = t.modifyFront(sql`unlogged`);
      await t
        .addColumn('attempt', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('entity', 'text')
        .addColumn('type', 'text')
        .addColumn('tier', 'text')
        .addColumn('country', 'text')
        .addColumn('datacenter', 'text')
        .addColumn('quantity', 'double precision')
        .addColumn('file', 'text')
        .addColumn('line', 'integer')
        .addColumn('vals', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('result_items_staging_pk', ['attempt', 'position'])
        .execute();
      await db.schema
        .createIndex('result_items_staging_campaign_idx')
        .on('result_items_staging')
        .columns(['campaign_id', 'job_id'])
        .execute();
    },
  ],
  [
    // Digital-service descriptions per organisation (issue 14): one row per (name, version); the description is
    // JSON text on both dialects (validated by the application on every read and write, never queried inside).
    '2026_12_07_0050_services',
    async (db) => {
      await db.schema
        .createTable('services')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('services_version_unique', ['organisation_id', 'name', 'version'])
        .execute();
    },
  ],
  [
    '2026_12_07_0060_password_resets',
    async (db) => {
      // One-use password reset links made by an administrator; only the SHA-256 of the link's secret is stored.
      await db.schema
        .createTable('password_resets')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
    },
  ],
  [
    '2026_12_07_0070_personal_data',
    async (db) => {
      // Personal data (issue 12): what an upload's `utilisateur` column becomes ('drop' or 'pseudonymise'), and how
      // many days an upload's raw bytes are kept (null: kept until the organisation is deleted).
      await db.schema
        .alterTable('organisations')
        .addColumn('personal_data', 'text', (c) => c.notNull().defaultTo('drop'))
        .execute();
      await db.schema.alterTable('organisations').addColumn('retention_days', 'integer').execute();
    },
  ],
  [
    // Referential versions per organisation (issue 12): the uploaded source files (JSON text), validated at upload,
    // layered over the default pack by each assessment of a campaign that pins one.
    '2026_12_07_0080_org_referentials',
    async (db) => {
      await db.schema
        .createTable('org_referentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addUniqueConstraint('org_referentials_version_unique', ['organisation_id', 'name', 'version'])
        .execute();
      // A campaign recomputed with another version: the totals before/after and the delta, never its signed result.
      await db.schema
        .createTable('campaign_recomputes')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('referential_id', 'text')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    // A national deployment (issue 12): on PostgreSQL, the per-item tables are partitioned by hash of the campaign, so
    // a campaign's reads and its replacement at the end of an assessment touch one partition of 1/16 of the rows, with
    // no DDL when a campaign is created or deleted. The staging table's key gains the campaign (a partitioned table's
    // primary key must hold the partition key; an attempt's id is unique anyway). SQLite keeps plain tables.
    '2026_12_07_0090_pg_partitions',
    async (db, d) => {
      if (d !== 'postgres') return;
      await partitionByCampaign(db, 'result_items', {
        primaryKey: ['campaign_id', 'position'],
        indexes: (['type', 'entity', 'tier'] as const).map((c) => [`result_items_${c}_idx`, ['campaign_id', c]]),
        unlogged: false,
      });
      await partitionByCampaign(db, 'result_items_staging', {
        primaryKey: ['campaign_id', 'attempt', 'position'],
        indexes: [['result_items_staging_campaign_idx', ['campaign_id', 'job_id']]],
        unlogged: true,
      });
    },
  ],
  [
    // A large assessment split in chunks (issue 12): one row per chunk of a job's items (positions [first, last), the
    // last chunk open-ended), the uploads the job reads (JSON ids, the same for every chunk), the chunk's current
    // attempt (a fence, as job_records.attempt for the whole job), its worker, and once done its item count and its
    // partial aggregates (JSON); the last chunk to finish merges them and swaps the results in.
    '2026_12_07_0100_assessment_chunks',
    async (db) => {
      await db.schema
        .createTable('assessment_chunks')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('chunk', 'integer', (c) => c.notNull())
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('first', 'integer', (c) => c.notNull())
        .addColumn('last', 'integer')
        .addColumn('uploads', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempt', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('worker', 'text')
        .addColumn('items', 'integer')
        .addColumn('partial', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('assessment_chunks_pk', ['job_id', 'chunk'])
        .execute();
      await db.schema
        .createIndex('assessment_chunks_campaign_idx')
        .on('assessment_chunks')
        .columns(['campaign_id'])
        .execute();
    },
  ],
];

/** Names of the migrations, in order (checked against the database in test/store/store.test.ts). */
export const MIGRATION_NAMES = STEPS.map(([n]) => n);

/** Applies every pending migration; throws with the failing migration's name when one fails. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<void> {
  return migrate(db, dialect);
}

/** Applies the pending migrations up to `name` included (tests of a migration over data written before it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function migrateUpTo(db: Kysely<any>, dialect: DialectName, name: string): Promise<void> {
  if (!MIGRATION_NAMES.includes(name)) throw new Error(`no migration ${name}`);
  return migrate(db, dialect, name);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function migrate(db: Kysely<any>, dialect: DialectName, upTo?: string): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(STEPS.map(([name, up]): [string, Migration] => [name, { up: (k) => up(k, dialect) }])),
  };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
