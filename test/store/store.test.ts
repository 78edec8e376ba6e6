import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { MIGRATION_NAMES } from '../../src/store/migrations.js';
import { scoped, ScopeViolation, type Actor } from '../../src/store/scoped.js';
import { openStore } from '../../src/store/open.js';
import * as org from '../../src/server/usecases/organisations.js';
import { depsFor, makeWorld, type World } from '../server/world.js';
import { DATABASES, freshStore, type FreshStore } from './databases.js';

const TABLES = [
  'actions',
  'api_tokens',
  'assessment_chunks',
  'audit_log',
  'campaign_aggregates',
  'campaign_recomputes',
  'campaign_results',
  'campaigns',
  'entities',
  'job_records',
  'memberships',
  'org_referentials',
  'organisation_targets',
  'organisations',
  'password_resets',
  'result_items',
  'result_items_staging',
  'scenarios',
  'services',
  'sessions',
  'uploads',
  'users',
];

describe.each(DATABASES)('store on %s', (d) => {
  let f: FreshStore;
  let w: World;
  beforeAll(async () => {
    f = await freshStore(d);
    w = await makeWorld(depsFor(f.store));
  });
  afterAll(() => f?.dispose());

  it('migrates to the checked-in list of tables, and a second open is a no-op', async () => {
    // PostgreSQL lists the partitions of the per-item tables too (test/store/partitions.test.ts checks them).
    const partitions =
      d === 'postgres'
        ? (await sql<{ name: string }>`select inhrelid::regclass::text as name from pg_inherits`.execute(f.store.db))
            .rows
        : [];
    const isPartition = new Set(partitions.map((p) => p.name));
    const tables = (await f.store.db.introspection.getTables())
      .map((t) => t.name)
      .filter((t) => !isPartition.has(t))
      .sort();
    expect(tables).toEqual(TABLES);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(f.store.db);
    expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    if (f.url !== undefined) {
      const again = await openStore({ kind: 'postgres', url: f.url, poolSize: 1 });
      await again.close();
    }
  });

  it("never returns another organisation's rows, and refuses to write into it", async () => {
    const a = w.a.admin.actor;
    const mine = await org.createCampaign(w.deps, a, {
      organisationId: w.orgA,
      name: '2024',
      referenceDate: '2024-12-31',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    const theirs = await org.createCampaign(w.deps, w.bAdmin.actor, {
      organisationId: w.orgB,
      name: '2024',
      referenceDate: '2024-12-31',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    await f.store.transaction(async (tx) => {
      const s = await scoped(tx, a);
      expect(await s.campaigns.get(theirs.id)).toBeUndefined();
      expect((await s.campaigns.get(mine.id))?.id).toBe(mine.id);
      expect(await s.campaigns.list(w.orgB)).toEqual([]);
      const r = await s.campaigns.setLocked(theirs.id, true);
      expect(Number(r.numUpdatedRows)).toBe(0);
      expect(await s.organisations.get(w.orgB)).toBeUndefined();
      await expect(
        s.entities.insert({
          id: crypto.randomUUID(),
          organisation_id: w.orgB,
          parent_id: null,
          name: 'x',
          headcount: null,
          created_at: 'now',
        }),
      ).rejects.toBeInstanceOf(ScopeViolation);
    });
    const locked = await f.store.transaction((tx) =>
      tx.selectFrom('campaigns').select('locked').where('id', '=', theirs.id).executeTakeFirstOrThrow(),
    );
    expect(locked.locked).toBe(0);
  });

  it('an actor without organisations sees nothing (no `in ()`)', async () => {
    const nobody: Actor = { userId: null, platformAdmin: false, memberships: new Map() };
    await f.store.transaction(async (tx) => {
      const s = await scoped(tx, nobody);
      expect(await s.campaigns.list(w.orgA)).toEqual([]);
      expect(await s.entities.list(w.orgA)).toEqual([]);
      expect(await s.organisations.list()).toEqual([]);
    });
  });

  it('a membership restricted to an entity sees only that subtree', async () => {
    const a = w.a.admin.actor;
    const root = await org.createEntity(w.deps, a, {
      organisationId: w.orgA,
      name: 'Siège',
      parentId: null,
      headcount: 100,
    });
    const site = await org.createEntity(w.deps, a, {
      organisationId: w.orgA,
      name: 'Site Lyon',
      parentId: root.id,
      headcount: 40,
    });
    const floor = await org.createEntity(w.deps, a, {
      organisationId: w.orgA,
      name: 'Étage 2',
      parentId: site.id,
      headcount: 12,
    });
    const other = await org.createEntity(w.deps, a, {
      organisationId: w.orgA,
      name: 'Site Lille',
      parentId: root.id,
      headcount: 30,
    });
    const fleet: Actor = {
      userId: null,
      platformAdmin: false,
      memberships: new Map([[w.orgA, { role: 'editor', entityId: site.id }]]),
    };
    await f.store.transaction(async (tx) => {
      const s = await scoped(tx, fleet);
      expect((await s.entities.list(w.orgA)).map((e) => e.name).sort()).toEqual(['Site Lyon', 'Étage 2'].sort());
      expect(await s.entities.get(other.id)).toBeUndefined();
      expect((await s.entities.get(floor.id))?.id).toBe(floor.id);
      expect(Number((await s.entities.delete(other.id)).numDeletedRows)).toBe(0);
    });
  });

  it('the audit log is append-only in the database itself', async () => {
    const before = await f.store.db.selectFrom('audit_log').select(['id', 'action']).executeTakeFirstOrThrow();
    await expect(
      f.store.db.updateTable('audit_log').set({ action: 'forged' }).where('id', '=', before.id).execute(),
    ).rejects.toThrow(/append-only/);
    const after = await f.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(after.action).toBe(before.action);
  });

  it('counts come back as numbers on both databases', async () => {
    const r = await f.store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(typeof r.n).toBe('number');
    expect(r.n).toBeGreaterThanOrEqual(5);
  });
});
