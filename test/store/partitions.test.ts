/**
 * The per-item tables partitioned by hash of their campaign on PostgreSQL (migration 2026_12_07_0090_pg_partitions;
 * docs/deployment.md "How a national deployment grows"), plain tables on SQLite. Where a row lands is checked against
 * PostgreSQL's own hash routing (`satisfies_hash_partition`), not against anything the application computes.
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type Insertable } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import { deleteOrganisation } from '../../src/server/usecases/organisation-data.js';
import { CAMPAIGN_PARTITIONS, migrateToLatest, migrateUpTo } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import type { ResultItemStagingTable, ResultItemTable } from '../../src/store/schema.js';
import { scoped, type Actor } from '../../src/store/scoped.js';
import { depsFor, makeWorld, type World } from '../server/world.js';
import { adminUrl, DATABASES, freshStore, type FreshStore } from './databases.js';

const PARTITIONED = ['result_items', 'result_items_staging'] as const;

const item = (campaignId: string, organisationId: string, position: number): Insertable<ResultItemTable> => ({
  campaign_id: campaignId,
  organisation_id: organisationId,
  position,
  kind: 'physical',
  name: `pc-${position}`,
  entity: null,
  type: 'Laptop',
  tier: 'terminal',
  country: 'FR',
  datacenter: null,
  quantity: 1,
  file: 'parc.csv',
  line: position + 2,
  vals: JSON.stringify([position, 2 * position]),
  status: 'OK',
});

async function campaign(w: World, actor: Actor, organisationId: string, name: string): Promise<string> {
  const c = await org.createCampaign(w.deps, actor, {
    organisationId,
    name,
    referenceDate: '2024-12-31',
    profile: 'default',
    referentialId: null,
    referentialHash: null,
  });
  return c.id;
}

describe.each(DATABASES)('per-item tables on %s', (d) => {
  let f: FreshStore;
  let w: World;
  beforeAll(async () => {
    f = await freshStore(d);
    w = await makeWorld(depsFor(f.store));
  });
  afterAll(() => f?.dispose());

  it(
    d === 'postgres'
      ? `are partitioned by hash of campaign_id into ${CAMPAIGN_PARTITIONS} partitions (staging ones unlogged)`
      : 'are plain tables',
    async () => {
      if (d === 'sqlite') {
        const names = (await f.store.db.introspection.getTables()).map((t) => t.name);
        expect(names.filter((n) => /_p\d\d$/.test(n))).toEqual([]);
        expect(names).toEqual(expect.arrayContaining([...PARTITIONED]));
        return;
      }
      const parents = await sql<{ table: string; strategy: string; key: string }>`
        select c.relname as table, p.partstrat as strategy, a.attname as key
        from pg_partitioned_table p
        join pg_class c on c.oid = p.partrelid
        join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
        where c.relnamespace = 'public'::regnamespace
        order by c.relname`.execute(f.store.db);
      expect(parents.rows).toEqual([
        { table: 'result_items', strategy: 'h', key: 'campaign_id' },
        { table: 'result_items_staging', strategy: 'h', key: 'campaign_id' },
      ]);
      for (const t of PARTITIONED) {
        const children = await sql<{ name: string; persistence: string; bound: string }>`
          select c.relname as name, c.relpersistence as persistence, pg_get_expr(c.relpartbound, c.oid) as bound
          from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = ${t}::regclass order by c.relname`.execute(f.store.db);
        expect(children.rows.map((r) => r.name)).toEqual(
          Array.from({ length: 16 }, (_, r) => `${t}_p${String(r).padStart(2, '0')}`),
        );
        expect(children.rows.map((r) => r.bound)).toEqual(
          Array.from({ length: 16 }, (_, r) => `FOR VALUES WITH (modulus 16, remainder ${r})`),
        );
        expect(new Set(children.rows.map((r) => r.persistence))).toEqual(
          new Set([t === 'result_items_staging' ? 'u' : 'p']),
        );
      }
    },
  );

  it("writes a campaign's rows through the store, each campaign's into its own hash partition", async () => {
    const a = w.a.admin.actor;
    const ids = [
      await campaign(w, a, w.orgA, 'land-1'),
      await campaign(w, a, w.orgA, 'land-2'),
      await campaign(w, a, w.orgA, 'land-3'),
    ];
    const doc = { job_id: randomUUID(), columns: '[]', document: '{}', computed_at: 'now' };
    for (const id of ids)
      await f.store.transaction(async (tx) => {
        const s = await scoped(tx, a);
        await s.results.replace(
          w.orgA,
          id,
          doc,
          [0, 1, 2, 3, 4].map((p) => item(id, w.orgA, p)),
        );
        const staged: Insertable<ResultItemStagingTable>[] = [0, 1].map((p) => ({
          ...item(id, w.orgA, p),
          attempt: randomUUID(),
          job_id: doc.job_id,
        }));
        await s.results.stage(staged);
      });
    const counts = await sql<{ campaign_id: string; n: number }>`
      select campaign_id, cast(count(*) as integer) as n from result_items where campaign_id in (${sql.join(ids)})
      group by campaign_id`.execute(f.store.db);
    expect(Object.fromEntries(counts.rows.map((r) => [r.campaign_id, r.n]))).toEqual(
      Object.fromEntries(ids.map((id) => [id, 5])),
    );
    if (d === 'sqlite') return;
    for (const t of PARTITIONED) {
      const rows = await sql<{ campaign_id: string; part: string }>`
        select distinct campaign_id, tableoid::regclass::text as part from ${sql.table(t)}
        where campaign_id in (${sql.join(ids)})`.execute(f.store.db);
      // One partition per campaign, and it is the one PostgreSQL's hash routing assigns to that campaign id.
      expect(rows.rows.map((r) => r.campaign_id).sort()).toEqual([...ids].sort());
      for (const r of rows.rows) {
        const remainder = Number(r.part.slice(-2));
        const ok = await sql<{ ok: boolean }>`
          select satisfies_hash_partition(${t}::regclass, 16, ${remainder}, ${r.campaign_id}::text) as ok,
                 satisfies_hash_partition(${t}::regclass, 16, ${(remainder + 1) % 16}, ${r.campaign_id}::text) as other`.execute(
          f.store.db,
        );
        expect(ok.rows[0]).toEqual({ ok: true, other: false });
      }
    }
    // A campaign's read is pruned to its one partition.
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select * from result_items where campaign_id = ${ids[0]!} and position < 3`.execute(f.store.db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(new Set(text.match(/result_items_p\d\d/g)).size, text).toBe(1);
  });

  it('deleting a campaign, then its organisation, removes their rows from every partition (cascade)', async () => {
    const p = w.platform.actor;
    const o = await org.createOrganisation(w.deps, p, { name: `Cascade ${randomUUID().slice(0, 8)}` });
    const admin: Actor = { ...p, memberships: new Map([[o.id, { role: 'admin', entityId: null }]]) };
    const one = await campaign(w, admin, o.id, 'one');
    const two = await campaign(w, admin, o.id, 'two');
    const doc = { job_id: randomUUID(), columns: '[]', document: '{}', computed_at: 'now' };
    await f.store.transaction(async (tx) => {
      const s = await scoped(tx, admin);
      for (const id of [one, two]) {
        await s.results.replace(
          o.id,
          id,
          doc,
          [0, 1, 2].map((i) => item(id, o.id, i)),
        );
        await s.results.stage([{ ...item(id, o.id, 0), attempt: randomUUID(), job_id: doc.job_id }]);
      }
    });
    const left = async (t: (typeof PARTITIONED)[number]) =>
      (
        await sql<{
          n: number;
        }>`select cast(count(*) as integer) as n from ${sql.table(t)} where organisation_id = ${o.id}`.execute(
          f.store.db,
        )
      ).rows[0]!.n;
    expect([await left('result_items'), await left('result_items_staging')]).toEqual([6, 2]);
    await sql`delete from campaigns where id = ${one}`.execute(f.store.db);
    expect([await left('result_items'), await left('result_items_staging')]).toEqual([3, 1]);
    const name = (await f.store.db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', o.id)
      .executeTakeFirst())!.name;
    await deleteOrganisation(w.deps, admin, { organisationId: o.id, confirm: name });
    expect([await left('result_items'), await left('result_items_staging')]).toEqual([0, 0]);
  });
});

describe.each(DATABASES.filter((d) => d === 'postgres'))('migration 0090 on %s', () => {
  const admin = () => adminUrl();
  const dbName = `empreinte_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let url: string;
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: admin() });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(admin());
    u.pathname = `/${dbName}`;
    url = u.toString();
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    const c = new pg.Client({ connectionString: admin() });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  });

  it('keeps the rows written before it, which then land in their partitions; later columns reach every partition', async () => {
    await migrateUpTo(db, 'postgres', '2026_12_07_0080_org_referentials');
    const before = await sql<{ relkind: string }>`select relkind from pg_class where relname = 'result_items'`.execute(
      db,
    );
    expect(before.rows).toEqual([{ relkind: 'r' }]);
    const o = randomUUID();
    const cs = [randomUUID(), randomUUID()];
    await db.insertInto('organisations').values({ id: o, name: 'Before', created_at: 'then' }).execute();
    for (const c of cs)
      await db
        .insertInto('campaigns')
        .values({
          id: c,
          organisation_id: o,
          name: c,
          reference_date: '2024-12-31',
          profile: 'default',
          locked: 0,
          created_at: 'then',
        })
        .execute();
    const items = cs.flatMap((c) => [0, 1, 2, 3].map((p) => item(c, o, p)));
    await db.insertInto('result_items').values(items).execute();
    const attempt = randomUUID();
    const staged = [0, 1].map((p) => ({ ...item(cs[0]!, o, p), attempt, job_id: 'j1' }));
    await db.insertInto('result_items_staging').values(staged).execute();
    const read = async (t: string) =>
      (
        await sql<Record<string, unknown>>`select * from ${sql.table(t)} order by campaign_id, position`.execute(db)
      ).rows.map((r) => ({ ...r }));
    const itemsBefore = await read('result_items');
    const stagedBefore = await read('result_items_staging');
    expect(itemsBefore).toHaveLength(8);
    expect(stagedBefore).toHaveLength(2);

    await migrateToLatest(db, 'postgres');
    expect(await read('result_items')).toEqual(itemsBefore);
    expect(await read('result_items_staging')).toEqual(stagedBefore);
    const kinds = await sql<{ relname: string; relkind: string }>`
      select relname, relkind from pg_class where relname in ('result_items', 'result_items_staging') order by relname`.execute(
      db,
    );
    expect(kinds.rows).toEqual([
      { relname: 'result_items', relkind: 'p' },
      { relname: 'result_items_staging', relkind: 'p' },
    ]);
    const parts = await sql<{ part: string }>`
      select distinct tableoid::regclass::text as part from result_items where campaign_id = ${cs[0]!}`.execute(db);
    expect(parts.rows).toHaveLength(1);
    // The keys and foreign keys came back: a duplicate (campaign, position) and an unknown campaign are refused.
    await expect(
      db
        .insertInto('result_items')
        .values(item(cs[0]!, o, 0))
        .execute(),
    ).rejects.toThrow(/duplicate key value violates unique constraint "result_items_p\d\d_pkey"/);
    await expect(
      db
        .insertInto('result_items')
        .values(item(randomUUID(), o, 0))
        .execute(),
    ).rejects.toThrow(/result_items_campaign_id_fkey/);
    await expect(
      db
        .insertInto('result_items_staging')
        .values({ ...item(cs[0]!, o, 0), attempt, job_id: 'j1' })
        .execute(),
    ).rejects.toThrow(/duplicate key value violates unique constraint "result_items_staging_p\d\d_pkey"/);
    const indexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename in ('result_items', 'result_items_staging') order by indexname`.execute(
      db,
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual([
      'result_items_entity_idx',
      'result_items_pk',
      'result_items_staging_campaign_idx',
      'result_items_staging_pk',
      'result_items_tier_idx',
      'result_items_type_idx',
    ]);
    // A later migration's `alter table … add column` reaches every partition (a column added to the parent).
    await sql`alter table result_items add column chunk integer not null default 0`.execute(db);
    const cols = await sql<{ n: number }>`
      select count(distinct a.attrelid)::int as n from pg_attribute a join pg_inherits i on i.inhrelid = a.attrelid
      where i.inhparent = 'result_items'::regclass and a.attname = 'chunk'`.execute(db);
    expect(cols.rows[0]!.n).toBe(CAMPAIGN_PARTITIONS);
    // The application opens the migrated database as usual.
    const store = await openStore({ kind: 'postgres', url, poolSize: 1 });
    await store.close();
  });
});
