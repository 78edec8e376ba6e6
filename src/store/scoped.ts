/**
 * Tenancy in one place. `scoped(tx, actor)` is the only way application code reads or writes an organisation's rows:
 * every query it builds carries `organisation_id in (the actor's organisations)`, and for a membership restricted to
 * an entity subtree, `entity id in (that subtree)` for entities and `entity in (the subtree's entity names)` for stored
 * items (`entityScope` tells the use cases which part they compute on). Another organisation's row is simply absent (the use case answers
 * not found, never forbidden). Inserts into an organisation the actor does not belong to throw. Whether the actor's
 * role allows the action is the use cases' question (src/server/usecases/grants.ts), not the store's.
 *
 * test/store/single-entry.test.ts fails if a tenant table is queried anywhere else in src/.
 */
import { sql, type ExpressionBuilder, type Insertable, type Updateable } from 'kysely';
import type { Tx } from './open.js';
import type {
  AssessmentChunkTable,
  AuditLogTable,
  CampaignAggregateTable,
  JobRecordTable,
  ResultItemTable,
  ResultItemStagingTable,
  ActionTable,
  CampaignTable,
  OrganisationTargetTable,
  ScenarioTable,
  Database,
  EntityTable,
  MembershipTable,
  Role,
  TenantTable,
  ServiceTable,
  OrgReferentialTable,
  CampaignRecomputeTable,
  UploadTable,
} from './schema.js';
import { EXPORT_KEYS } from './schema.js';

/** The columns of an upload that listing and reading return (never the raw bytes). */
const UPLOAD_VIEW = [
  'id',
  'organisation_id',
  'campaign_id',
  'file_name',
  'mapping',
  'status',
  'report',
  'size',
  'created_at',
] as const;

/** The columns a staged result row carries into `result_items` when an assessment's results are promoted. */
const RESULT_ROW_COLUMNS = [
  'campaign_id',
  'organisation_id',
  'position',
  'kind',
  'name',
  'entity',
  'type',
  'tier',
  'country',
  'datacenter',
  'quantity',
  'file',
  'line',
  'vals',
  'status',
] as const;

export interface MembershipGrant {
  readonly role: Role;
  /** When set, the actor sees only this entity and its descendants in this organisation. */
  readonly entityId: string | null;
}

/** Who is asking: a user (session or token) or the system (admin commands). */
export interface Actor {
  readonly userId: string | null;
  readonly platformAdmin: boolean;
  /** organisation id → role (and optional entity restriction). */
  readonly memberships: ReadonlyMap<string, MembershipGrant>;
  /** An API token's id when the request came with one. */
  readonly tokenId?: string;
}

export class ScopeViolation extends Error {
  constructor(what: string) {
    super(`scope violation: ${what}`);
    this.name = 'ScopeViolation';
  }
}

/** Ids of `root` and its descendants within `organisationId` (recursive CTE: same SQL on SQLite and PostgreSQL). */
async function subtree(tx: Tx, organisationId: string, root: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    with recursive sub(id) as (
      select id from entities where id = ${root} and organisation_id = ${organisationId}
      union all
      select e.id from entities e join sub on e.parent_id = sub.id
    ) select id from sub`.execute(tx);
  return r.rows.map((x) => x.id);
}

type Eb<T extends keyof Database> = ExpressionBuilder<Database, T>;

export async function scoped(tx: Tx, actor: Actor) {
  const orgIds = [...actor.memberships.keys()];
  const fullOrgs = orgIds.filter((o) => actor.memberships.get(o)!.entityId === null);
  const visibleEntities: string[] = [];
  /** Restricted organisation → the names of its subtree's entities (result_items name an item's entity by name). */
  const subtreeNames = new Map<string, string[]>();
  for (const [org, m] of actor.memberships) {
    if (m.entityId === null) continue;
    const ids = await subtree(tx, org, m.entityId);
    visibleEntities.push(...ids);
    const names =
      ids.length === 0
        ? []
        : (
            await tx
              .selectFrom('entities')
              .select('name')
              .where('organisation_id', '=', org)
              .where('id', 'in', ids)
              .orderBy('name')
              .execute()
          ).map((e) => e.name);
    subtreeNames.set(org, names);
  }
  const never = sql<boolean>`1 = 0`;

  /** `organisation_id in (…)`; an actor without organisations matches nothing (never emits `in ()`). */
  const inOrgs = <
    T extends
      | 'campaigns'
      | 'audit_log'
      | 'memberships'
      | 'entities'
      | 'uploads'
      | 'job_records'
      | 'result_items'
      | 'campaign_results'
      | 'campaign_aggregates'
      | 'services'
      | 'result_items_staging'
      | 'organisation_targets'
      | 'scenarios'
      | 'actions'
      | 'org_referentials'
      | 'campaign_recomputes'
      | 'assessment_chunks',
  >(
    eb: Eb<T>,
  ) => (orgIds.length === 0 ? never : eb(eb.ref('organisation_id' as never), 'in', orgIds as never));

  /** Entities: whole organisations for unrestricted memberships, the subtree for restricted ones. */
  const entityVisible = (eb: Eb<'entities'>) => {
    const parts = [];
    if (fullOrgs.length > 0) parts.push(eb('entities.organisation_id', 'in', fullOrgs));
    if (visibleEntities.length > 0) parts.push(eb('entities.id', 'in', visibleEntities));
    return parts.length === 0 ? never : eb.or(parts);
  };

  /**
   * Stored items: whole organisations for unrestricted memberships; for a restricted one, the items whose entity is in
   * the subtree (an item without an entity belongs to no subtree).
   */
  const itemVisible = (eb: Eb<'result_items'>) => {
    const parts = [];
    if (fullOrgs.length > 0) parts.push(eb('result_items.organisation_id', 'in', fullOrgs));
    for (const [org, names] of subtreeNames)
      if (names.length > 0)
        parts.push(eb.and([eb('result_items.organisation_id', '=', org), eb('result_items.entity', 'in', names)]));
    return parts.length === 0 ? never : eb.or(parts);
  };

  const guardOrg = (organisationId: string): void => {
    if (!actor.memberships.has(organisationId)) throw new ScopeViolation(`organisation ${organisationId}`);
  };

  return {
    organisationIds: orgIds,
    /** True when `entityId` is visible (or null, meaning the organisation's root, and the membership is unrestricted). */
    canSeeEntity(organisationId: string, entityId: string | null): boolean {
      const m = actor.memberships.get(organisationId);
      if (m === undefined) return false;
      if (m.entityId === null) return true;
      return entityId !== null && visibleEntities.includes(entityId);
    },

    /**
     * What part of an organisation's campaigns the actor sees: null for the whole organisation (or no membership),
     * otherwise the names of the entities of their subtree, sorted (the items of those entities alone: items, traces,
     * exports, totals and breakdowns are computed on them; views over the whole organisation are refused).
     */
    entityScope(organisationId: string): { readonly entities: readonly string[] } | null {
      const names = subtreeNames.get(organisationId);
      return names === undefined ? null : { entities: names };
    },

    organisations: {
      get: (id: string) =>
        orgIds.includes(id)
          ? tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
          : Promise.resolve(undefined),
      list: () =>
        orgIds.length === 0
          ? Promise.resolve([])
          : tx.selectFrom('organisations').selectAll().where('id', 'in', orgIds).orderBy('name').execute(),
    },

    entities: {
      list: (organisationId: string) =>
        tx
          .selectFrom('entities')
          .selectAll()
          .where(entityVisible)
          .where('organisation_id', '=', organisationId)
          .orderBy('name')
          .execute(),
      get: (id: string) =>
        tx.selectFrom('entities').selectAll().where(entityVisible).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<EntityTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('entities').values(row).execute();
      },
      update: (id: string, patch: Updateable<Omit<EntityTable, 'id' | 'organisation_id'>>) =>
        tx.updateTable('entities').set(patch).where(entityVisible).where('id', '=', id).executeTakeFirst(),
      delete: (id: string) => tx.deleteFrom('entities').where(entityVisible).where('id', '=', id).executeTakeFirst(),
    },

    members: {
      list: (organisationId: string) =>
        tx
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select([
            'memberships.organisation_id',
            'memberships.user_id',
            'memberships.role',
            'memberships.entity_id',
            'users.email',
          ])
          .where((eb) => inOrgs(eb as Eb<'memberships'>))
          .where('memberships.organisation_id', '=', organisationId)
          .orderBy('users.email')
          .execute(),
      get: (organisationId: string, userId: string) =>
        tx
          .selectFrom('memberships')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .where('user_id', '=', userId)
          .executeTakeFirst(),
      upsert: async (row: Insertable<MembershipTable>) => {
        guardOrg(row.organisation_id);
        await tx
          .insertInto('memberships')
          .values(row)
          .onConflict((oc) =>
            oc
              .columns(['organisation_id', 'user_id'])
              .doUpdateSet({ role: row.role, entity_id: row.entity_id ?? null }),
          )
          .execute();
      },
      delete: (organisationId: string, userId: string) =>
        tx
          .deleteFrom('memberships')
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .where('user_id', '=', userId)
          .executeTakeFirst(),
    },

    campaigns: {
      list: (organisationId: string) =>
        tx
          .selectFrom('campaigns')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .orderBy('reference_date')
          .orderBy('name')
          .execute(),
      get: (id: string) => tx.selectFrom('campaigns').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<CampaignTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('campaigns').values(row).execute();
      },
      update: (id: string, patch: Updateable<Pick<CampaignTable, 'name' | 'profile'>>) =>
        tx.updateTable('campaigns').set(patch).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      setLocked: (id: string, locked: boolean) =>
        tx
          .updateTable('campaigns')
          .set({ locked: locked ? 1 : 0 })
          .where(inOrgs)
          .where('id', '=', id)
          .executeTakeFirst(),
    },

    /** Uploads of a campaign; listing and reading never return the raw bytes, `content` does. */
    uploads: {
      list: (campaignId: string) =>
        tx
          .selectFrom('uploads')
          .select(UPLOAD_VIEW)
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      get: (id: string) =>
        tx.selectFrom('uploads').select(UPLOAD_VIEW).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      rejects: (id: string) =>
        tx.selectFrom('uploads').select(['rejects']).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      content: (id: string) =>
        tx.selectFrom('uploads').select(['file_name', 'content']).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<UploadTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('uploads').values(row).execute();
      },
    },

    /** Uploads with their raw bytes, for an assessment of the campaign (in upload order). */
    uploadContents: (campaignId: string) =>
      tx
        .selectFrom('uploads')
        .select(['id', 'file_name', 'mapping', 'status', 'report', 'content'])
        .where(inOrgs)
        .where('campaign_id', '=', campaignId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),

    jobs: {
      get: (id: string) =>
        tx.selectFrom('job_records').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<JobRecordTable>) => {
        if (row.organisation_id === null || row.organisation_id === undefined)
          throw new ScopeViolation('job without organisation');
        guardOrg(row.organisation_id);
        await tx.insertInto('job_records').values(row).execute();
      },
      update: (id: string, patch: Updateable<Pick<JobRecordTable, 'status' | 'progress' | 'error' | 'updated_at'>>) =>
        tx.updateTable('job_records').set(patch).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      /**
       * A delivery of the job starts: it becomes the current attempt (fencing off any earlier one still running).
       * Answers false when the job is already done (a duplicate delivery), leaving the record as it is.
       */
      startAttempt: async (id: string, attempt: string, worker: string, now: string): Promise<boolean> => {
        const r = await tx
          .updateTable('job_records')
          .set((eb) => ({
            attempt,
            worker,
            attempts: eb('attempts', '+', 1),
            status: 'running' as const,
            progress: 0,
            error: null,
            updated_at: now,
          }))
          .where(inOrgs)
          .where('id', '=', id)
          .where('status', '<>', 'done')
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      /**
       * Updates the job only while `attempt` is its current attempt and the job runs (not failed by the queue meanwhile);
       * answers whether it was.
       */
      updateIfCurrent: async (
        id: string,
        attempt: string,
        patch: Updateable<Pick<JobRecordTable, 'status' | 'progress' | 'error' | 'updated_at'>>,
      ): Promise<boolean> => {
        const r = await tx
          .updateTable('job_records')
          .set(patch)
          .where(inOrgs)
          .where('id', '=', id)
          .where('attempt', '=', attempt)
          .where('status', '=', 'running')
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      /** Marks the job failed unless it already ended (done or failed). */
      failIfUnfinished: (id: string, error: string, now: string) =>
        tx
          .updateTable('job_records')
          .set({ status: 'failed', error, updated_at: now })
          .where(inOrgs)
          .where('id', '=', id)
          .where('status', 'not in', ['done', 'failed'])
          .executeTakeFirst(),
    },

    results: {
      get: (campaignId: string) =>
        tx
          .selectFrom('campaign_results')
          .selectAll()
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .executeTakeFirst(),
      /** Replaces a campaign's results whole (call inside the one transaction that ends an assessment). */
      replace: async (
        organisationId: string,
        campaignId: string,
        doc: { job_id: string; columns: string; document: string; computed_at: string },
        items: readonly Insertable<ResultItemTable>[],
      ) => {
        guardOrg(organisationId);
        await tx.deleteFrom('result_items').where(inOrgs).where('campaign_id', '=', campaignId).execute();
        await tx.deleteFrom('campaign_results').where(inOrgs).where('campaign_id', '=', campaignId).execute();
        for (let i = 0; i < items.length; i += 200)
          await tx
            .insertInto('result_items')
            .values(items.slice(i, i + 200))
            .execute();
        await tx
          .insertInto('campaign_results')
          .values({ organisation_id: organisationId, campaign_id: campaignId, ...doc })
          .execute();
      },
      /** One stored item of a campaign, by its position (outside a restricted member's subtree: absent). */
      item: (campaignId: string, position: number) =>
        tx
          .selectFrom('result_items')
          .selectAll()
          .where(itemVisible)
          .where('campaign_id', '=', campaignId)
          .where('position', '=', position)
          .executeTakeFirst(),
      /**
       * One page of a campaign's items, filtered (type, entity, tier: equal; `q`: the name contains it, case-insensitive)
       * and sorted by a dimension or by one value column (`value`: its index in `vals`, read from the JSON array with
       * the dialect's JSON function; items without a value sort last), then by position. Every value is a parameter.
       * A member restricted to an entity subtree sees only its entities' items (count included).
       */
      /** Rows of an attempt still running (invisible to readers until `promote`). */
      stage: async (rows: readonly Insertable<ResultItemStagingTable>[]) => {
        if (rows.length === 0) return;
        for (const o of new Set(rows.map((r) => r.organisation_id))) guardOrg(o);
        await tx.insertInto('result_items_staging').values(rows).execute();
      },
      /** Removes the staged rows of a job's attempts, but `keepAttempt`'s (crashed attempts, or all once it failed). */
      discardStaged: (campaignId: string, jobId: string, keepAttempt?: string) => {
        let q = tx
          .deleteFrom('result_items_staging')
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .where('job_id', '=', jobId);
        if (keepAttempt !== undefined) q = q.where('attempt', '<>', keepAttempt);
        return q.execute();
      },
      /** Removes one attempt's staged rows (it failed). */
      discardAttempt: (campaignId: string, attempt: string) =>
        tx
          .deleteFrom('result_items_staging')
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .where('attempt', '=', attempt)
          .execute(),
      items: (
        campaignId: string,
        filter: { type?: string; entity?: string; tier?: string; q?: string },
        page: { offset: number; limit: number },
        sort: ItemSort = { by: 'position', order: 'asc', dialect: 'sqlite' },
      ) => {
        let q = tx.selectFrom('result_items').where(itemVisible).where('campaign_id', '=', campaignId);
        if (filter.type !== undefined) q = q.where('type', '=', filter.type);
        if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
        if (filter.tier !== undefined) q = q.where('tier', '=', filter.tier);
        if (filter.q !== undefined && filter.q !== '') {
          const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          q = q.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
        }
        const dir = sort.order === 'desc' ? sql`desc` : sql`asc`;
        const key =
          sort.by === 'value'
            ? sort.dialect === 'postgres'
              ? sql`(vals::jsonb ->> ${sort.index}::int)::double precision`
              : sql`json_extract(vals, ${`$[${sort.index}]`})`
            : sort.dialect === 'postgres' && sort.by !== 'position'
              ? sql`${sql.ref(sort.by)} collate "C"` // code-point order, as SQLite's binary collation
              : sql.ref(sort.by);
        const rows = q
          .selectAll()
          .orderBy(sql`${key} is null`)
          .orderBy(sql`${key} ${dir}`)
          .orderBy('position', sort.by === 'position' ? sort.order : 'asc')
          .offset(page.offset)
          .limit(page.limit)
          .execute();
        return Promise.all([rows, q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
      },
    },

    /** Pre-aggregated breakdowns of a campaign's assessments, per job (src/server/usecases/aggregates.ts). */
    aggregates: {
      /** The rows of the dimensions asked for, of the job whose results are the campaign's current ones. */
      current: (campaignId: string, dimensions: readonly string[]) =>
        orgIds.length === 0
          ? Promise.resolve([])
          : tx
              .selectFrom('campaign_aggregates as a')
              .innerJoin('campaign_results as r', (j) =>
                j.onRef('r.campaign_id', '=', 'a.campaign_id').onRef('r.job_id', '=', 'a.job_id'),
              )
              .select(['a.dimension', 'a.key', 'a.vals', 'r.job_id', 'r.computed_at'])
              .where('a.organisation_id', 'in', orgIds)
              .where('a.campaign_id', '=', campaignId)
              .where('a.dimension', 'in', dimensions)
              .execute(),
      /** Writes a job's rows; drops those of other jobs except `keepJobId` (the results still current). */
      replace: async (
        organisationId: string,
        campaignId: string,
        jobId: string,
        keepJobId: string | null,
        rows: readonly Pick<CampaignAggregateTable, 'dimension' | 'key' | 'vals'>[],
      ) => {
        guardOrg(organisationId);
        let del = tx.deleteFrom('campaign_aggregates').where(inOrgs).where('campaign_id', '=', campaignId);
        if (keepJobId !== null) del = del.where('job_id', '!=', keepJobId);
        await del.execute();
        for (let i = 0; i < rows.length; i += 200)
          await tx
            .insertInto('campaign_aggregates')
            .values(
              rows
                .slice(i, i + 200)
                .map((r) => ({ ...r, organisation_id: organisationId, campaign_id: campaignId, job_id: jobId })),
            )
            .execute();
      },
    },

    // ---- assessment chunks (issue 12): a large assessment's items split over several jobs of the queue ----
    chunks: {
      /** The chunks of a job, in order. */
      list: (jobId: string) =>
        tx
          .selectFrom('assessment_chunks')
          .selectAll()
          .where(inOrgs)
          .where('job_id', '=', jobId)
          .orderBy('chunk')
          .execute(),
      insert: async (rows: readonly Insertable<AssessmentChunkTable>[]) => {
        if (rows.length === 0) return;
        for (const o of new Set(rows.map((r) => r.organisation_id))) guardOrg(o);
        await tx.insertInto('assessment_chunks').values(rows).execute();
      },
      /**
       * A delivery of a chunk starts: it becomes the chunk's current attempt (fencing off an earlier one still
       * running). False when the chunk is already done (a duplicate delivery).
       */
      start: async (jobId: string, chunk: number, attempt: string, worker: string, now: string) => {
        const r = await tx
          .updateTable('assessment_chunks')
          .set((eb) => ({
            attempt,
            worker,
            attempts: eb('attempts', '+', 1),
            status: 'running' as const,
            updated_at: now,
          }))
          .where(inOrgs)
          .where('job_id', '=', jobId)
          .where('chunk', '=', chunk)
          .where('status', '<>', 'done')
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      /** The chunk is done with its partial aggregates, if `attempt` is still its current attempt. */
      finish: async (jobId: string, chunk: number, attempt: string, items: number, partial: string, now: string) => {
        const r = await tx
          .updateTable('assessment_chunks')
          .set({ status: 'done', items, partial, updated_at: now })
          .where(inOrgs)
          .where('job_id', '=', jobId)
          .where('chunk', '=', chunk)
          .where('attempt', '=', attempt)
          .where('status', '=', 'running')
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      /** The attempt failed: the chunk waits for its retry (unless a newer attempt took it meanwhile). */
      release: (jobId: string, chunk: number, attempt: string, now: string) =>
        tx
          .updateTable('assessment_chunks')
          .set({ status: 'queued', updated_at: now })
          .where(inOrgs)
          .where('job_id', '=', jobId)
          .where('chunk', '=', chunk)
          .where('attempt', '=', attempt)
          .where('status', '=', 'running')
          .executeTakeFirst(),
      /** Removes the rows staged in the chunk's range by the job's other attempts (they died or were fenced off). */
      discardStale: (campaignId: string, jobId: string, first: number, last: number | null, keepAttempt: string) => {
        let q = tx
          .deleteFrom('result_items_staging')
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .where('job_id', '=', jobId)
          .where('position', '>=', first)
          .where('attempt', '<>', keepAttempt);
        if (last !== null) q = q.where('position', '<', last);
        return q.execute();
      },
      /**
       * Locks the job's record until the commit, so chunks finishing at the same time take turns (the last one sees
       * every other done); false when the job has already ended (done, or failed by a last attempt or the queue).
       */
      lockJob: async (jobId: string, now: string) => {
        const r = await tx
          .updateTable('job_records')
          .set({ updated_at: now })
          .where(inOrgs)
          .where('id', '=', jobId)
          .where('status', 'not in', ['done', 'failed'])
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      /** Updates the job's progress or error while it has not ended, whichever attempt runs it. */
      noteJob: (jobId: string, patch: Updateable<Pick<JobRecordTable, 'progress' | 'error' | 'updated_at'>>) =>
        tx
          .updateTable('job_records')
          .set(patch)
          .where(inOrgs)
          .where('id', '=', jobId)
          .where('status', 'not in', ['done', 'failed'])
          .executeTakeFirst(),
      /** Marks the job done (call in the transaction that merged its chunks, after `lockJob`). */
      finishJob: (jobId: string, now: string) =>
        tx
          .updateTable('job_records')
          .set({ status: 'done', progress: 1, error: null, updated_at: now })
          .where(inOrgs)
          .where('id', '=', jobId)
          .where('status', 'not in', ['done', 'failed'])
          .executeTakeFirst(),
      /**
       * Ends a chunked assessment (inside its final transaction): the campaign's results become the rows staged by
       * the current attempts of the job's done chunks (never a fenced-off attempt's), with the totals document; the
       * job's staged rows and those of other ended jobs are removed.
       */
      promote: async (
        organisationId: string,
        campaignId: string,
        jobId: string,
        doc: { columns: string; document: string; computed_at: string },
      ) => {
        guardOrg(organisationId);
        const cols = RESULT_ROW_COLUMNS;
        await tx.deleteFrom('result_items').where(inOrgs).where('campaign_id', '=', campaignId).execute();
        await tx
          .insertInto('result_items')
          .columns(cols)
          .expression(
            tx
              .selectFrom('result_items_staging')
              .select(cols)
              .where(inOrgs)
              .where('campaign_id', '=', campaignId)
              .where('job_id', '=', jobId)
              .where('attempt', 'in', (eb) =>
                eb
                  .selectFrom('assessment_chunks')
                  .select('attempt')
                  .where('job_id', '=', jobId)
                  .where('status', '=', 'done')
                  .where('attempt', 'is not', null),
              ),
          )
          .execute();
        await tx
          .deleteFrom('result_items_staging')
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .where((eb) =>
            eb.or([
              eb('job_id', '=', jobId),
              eb(
                'job_id',
                'in',
                eb
                  .selectFrom('job_records')
                  .select('id')
                  .where('campaign_id', '=', campaignId)
                  .where('status', 'in', ['done', 'failed']),
              ),
            ]),
          )
          .execute();
        await tx.deleteFrom('campaign_results').where(inOrgs).where('campaign_id', '=', campaignId).execute();
        await tx
          .insertInto('campaign_results')
          .values({ organisation_id: organisationId, campaign_id: campaignId, job_id: jobId, ...doc })
          .execute();
      },
    },

    // ---- digital services (issue 14): descriptions per organisation, one row per version ----
    services: {
      list: (organisationId: string) =>
        tx
          .selectFrom('services')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .orderBy('name')
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      get: (id: string) => tx.selectFrom('services').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      /** The versions of one service of an organisation (same name), oldest first. */
      versions: (organisationId: string, name: string) =>
        tx
          .selectFrom('services')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .where('name', '=', name)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      insert: async (row: Insertable<ServiceTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('services').values(row).execute();
      },
      update: (id: string, patch: Updateable<Pick<ServiceTable, 'name' | 'version' | 'definition' | 'updated_at'>>) =>
        tx.updateTable('services').set(patch).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      delete: (id: string) => tx.deleteFrom('services').where(inOrgs).where('id', '=', id).executeTakeFirst(),
    },
    // ---- end of digital services ----
    // ---- steering (issue 13 over the API): the organisation's target, saved scenarios, the action plan ----
    targets: {
      get: (organisationId: string) =>
        tx
          .selectFrom('organisation_targets')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .executeTakeFirst(),
      put: async (row: Insertable<OrganisationTargetTable>) => {
        guardOrg(row.organisation_id);
        const { organisation_id: _o, ...rest } = row;
        await tx
          .insertInto('organisation_targets')
          .values(row)
          .onConflict((oc) => oc.column('organisation_id').doUpdateSet(rest))
          .execute();
      },
    },
    scenarios: {
      list: (campaignId: string) =>
        tx
          .selectFrom('scenarios')
          .selectAll()
          .where(inOrgs)
          .where('campaign_id', '=', campaignId)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      get: (id: string) => tx.selectFrom('scenarios').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<ScenarioTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('scenarios').values(row).execute();
      },
      delete: (id: string) => tx.deleteFrom('scenarios').where(inOrgs).where('id', '=', id).executeTakeFirst(),
    },
    actions: {
      list: (organisationId: string) =>
        tx
          .selectFrom('actions')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .orderBy('due_date')
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      get: (id: string) => tx.selectFrom('actions').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      insert: async (row: Insertable<ActionTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('actions').values(row).execute();
      },
      update: (id: string, patch: Updateable<Omit<ActionTable, 'id' | 'organisation_id' | 'created_at'>>) =>
        tx.updateTable('actions').set(patch).where(inOrgs).where('id', '=', id).executeTakeFirst(),
      delete: (id: string) => tx.deleteFrom('actions').where(inOrgs).where('id', '=', id).executeTakeFirst(),
    },
    // ---- end steering ----

    // ---- referential versions per organisation (issue 12) ----
    orgReferentials: {
      /** Every version of every referential of the organisation, by name then version. */
      list: (organisationId: string) =>
        tx
          .selectFrom('org_referentials')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .orderBy('name')
          .orderBy('version')
          .execute(),
      get: (id: string) =>
        tx.selectFrom('org_referentials').selectAll().where(inOrgs).where('id', '=', id).executeTakeFirst(),
      /** The highest version of a name, 0 when none. */
      lastVersion: async (organisationId: string, name: string) => {
        const r = await tx
          .selectFrom('org_referentials')
          .select((eb) => eb.fn.max('version').as('v'))
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .where('name', '=', name)
          .executeTakeFirst();
        return r?.v === null || r?.v === undefined ? 0 : Number(r.v);
      },
      insert: async (row: Insertable<OrgReferentialTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('org_referentials').values(row).execute();
      },
      /** Pin a campaign's referential (null: the default pack); the hash is the merged one of its last assessment. */
      pin: (campaignId: string, referentialId: string | null, hash: string | null) =>
        tx
          .updateTable('campaigns')
          .set({ referential_id: referentialId, referential_hash: hash })
          .where(inOrgs)
          .where('id', '=', campaignId)
          .executeTakeFirst(),
      /** The outcome of a recomputation job (one row per job). */
      recompute: (jobId: string) =>
        tx.selectFrom('campaign_recomputes').selectAll().where(inOrgs).where('job_id', '=', jobId).executeTakeFirst(),
      insertRecompute: async (row: Insertable<CampaignRecomputeTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('campaign_recomputes').values(row).execute();
      },
    },
    // ---- end of referential versions ----

    /** Append-only: no update or delete is offered. */
    audit: {
      append: async (row: Insertable<AuditLogTable>) => {
        guardOrg(row.organisation_id);
        await tx.insertInto('audit_log').values(row).execute();
      },
      list: (organisationId: string, limit: number) =>
        tx
          .selectFrom('audit_log')
          .selectAll()
          .where(inOrgs)
          .where('organisation_id', '=', organisationId)
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute(),
    },

    /**
     * An organisation's whole data, for its export and its deletion (issue 12, personal data). Only a member of the
     * organisation reaches it; the use case requires an unrestricted administrator.
     */
    organisationData: {
      /** One page of a tenant table's rows, in the order of `EXPORT_KEYS` (keyset: rows after `after`). */
      page: async (
        organisationId: string,
        table: TenantTable,
        after: readonly (string | number)[] | undefined,
        limit: number,
      ): Promise<Record<string, unknown>[]> => {
        guardOrg(organisationId);
        const keys = sql.join(EXPORT_KEYS[table].map((k) => sql.ref(k)));
        const from = after === undefined ? sql`` : sql`and (${keys}) > (${sql.join(after.map((v) => sql`${v}`))})`;
        const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
          where organisation_id = ${organisationId} ${from} order by ${keys} limit ${limit}`.execute(tx);
        return r.rows;
      },
      /** The accounts of the organisation's members (id, email, creation; never password hashes). */
      users: (organisationId: string) => {
        guardOrg(organisationId);
        return tx
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select(['users.id', 'users.email', 'users.created_at'])
          .where('memberships.organisation_id', '=', organisationId)
          .orderBy('users.id')
          .execute();
      },
      /** Deletes the organisation and, by cascade, every row of its tenant tables (the audit log included). */
      remove: async (organisationId: string) => {
        guardOrg(organisationId);
        await tx.deleteFrom('organisations').where('id', '=', organisationId).execute();
      },
    },

    // ---- personal data (issue 12): the organisation's settings and the retention purge ----
    personalData: {
      settings: (organisationId: string) => {
        guardOrg(organisationId);
        return tx
          .selectFrom('organisations')
          .select(['id', 'personal_data', 'retention_days'])
          .where('id', '=', organisationId)
          .executeTakeFirst();
      },
      update: async (organisationId: string, patch: { personal_data?: string; retention_days?: number | null }) => {
        guardOrg(organisationId);
        if (Object.keys(patch).length === 0) return;
        await tx.updateTable('organisations').set(patch).where('id', '=', organisationId).execute();
      },
      /** Clears the raw bytes of the organisation's uploads created before `before` (ISO); answers those purged. */
      purgeBefore: async (organisationId: string, before: string) => {
        guardOrg(organisationId);
        const rows = await tx
          .selectFrom('uploads')
          .select(['id', 'campaign_id', 'file_name', 'size', 'created_at'])
          .where('organisation_id', '=', organisationId)
          .where('created_at', '<', before)
          .where('content', 'is not', null)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        if (rows.length > 0)
          await tx
            .updateTable('uploads')
            .set({ content: null })
            .where('organisation_id', '=', organisationId)
            .where(
              'id',
              'in',
              rows.map((r) => r.id),
            )
            .execute();
        return rows;
      },
    },
    // ---- end of personal data ----
  };
}

// ---- personal data (issue 12), outside any scope: which organisations have a retention period (ids only) ----
export const organisationsWithRetention = (tx: Tx) =>
  tx
    .selectFrom('organisations')
    .select(['id', 'retention_days'])
    .where('retention_days', 'is not', null)
    .orderBy('id')
    .execute();
// ---- end of personal data ----

export type Scope = Awaited<ReturnType<typeof scoped>>;

/** How a page of items is sorted: by a dimension column, or by one value column (an index into `vals`). */
export type ItemSort = { readonly order: 'asc' | 'desc'; readonly dialect: 'sqlite' | 'postgres' } & (
  { readonly by: 'position' | 'name' | 'type' | 'entity' | 'tier' } | { readonly by: 'value'; readonly index: number }
);
