/**
 * The actor of a token or session loaded in one statement (token/session, user, memberships joined), on both
 * databases; and SQLite's statements prepared once per SQL text.
 */
import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256 } from '../../src/server/usecases/crypto.js';
import { accounts } from '../../src/store/accounts.js';
import { DATABASES, freshStore, type FreshStore } from './databases.js';

describe.each(DATABASES)('actor of a token or a session on %s', (d) => {
  let f: FreshStore;
  const u = randomUUID();
  const lonely = randomUUID();
  const [o1, o2, e1] = [randomUUID(), randomUUID(), randomUUID()];
  beforeAll(async () => {
    f = await freshStore(d);
    await f.store.transaction(async (tx) => {
      for (const [id, name] of [
        [o1, 'One'],
        [o2, 'Two'],
      ] as const)
        await accounts.insertOrganisation(tx, { id, name, created_at: 'now' });
      await tx
        .insertInto('entities')
        .values({ id: e1, organisation_id: o2, parent_id: null, name: 'site', headcount: null, created_at: 'now' })
        .execute();
      await accounts.insertUser(tx, {
        id: u,
        email: 'u@x.org',
        password_hash: null,
        platform_admin: 1,
        created_at: 'now',
      });
      await accounts.insertUser(tx, {
        id: lonely,
        email: 'l@x.org',
        password_hash: null,
        platform_admin: 0,
        created_at: 'now',
      });
      await accounts.insertMembership(tx, {
        organisation_id: o1,
        user_id: u,
        role: 'editor',
        entity_id: null,
        created_at: 'now',
      });
      await accounts.insertMembership(tx, {
        organisation_id: o2,
        user_id: u,
        role: 'viewer',
        entity_id: e1,
        created_at: 'now',
      });
      const token = (id: string, user: string, hash: string, expires: string | null, revoked: string | null) =>
        accounts.insertToken(tx, {
          id,
          user_id: user,
          name: id,
          prefix: 'p',
          token_hash: sha256(hash),
          created_at: 'now',
          expires_at: expires,
          revoked_at: revoked,
        });
      await token('t-ok', u, 'ok', '2030-01-01T00:00:00.000Z', null);
      await token('t-lonely', lonely, 'lonely', null, null);
      await token('t-expired', u, 'expired', '2020-01-01T00:00:00.000Z', null);
      await token('t-revoked', u, 'revoked', null, '2025-01-01T00:00:00.000Z');
      await accounts.insertSession(tx, {
        id_hash: sha256('s'),
        user_id: u,
        created_at: 'now',
        expires_at: '2030-01-01T00:00:00.000Z',
      });
      await accounts.insertSession(tx, {
        id_hash: sha256('old'),
        user_id: u,
        created_at: 'now',
        expires_at: '2020-01-01T00:00:00.000Z',
      });
    });
  });
  afterAll(() => f?.dispose());

  const now = '2026-01-01T00:00:00.000Z';
  it('gives the user, the token and every membership with its entity restriction', async () => {
    const a = await f.store.transaction((tx) => accounts.actorOfToken(tx, sha256('ok'), now));
    expect(a).toEqual({
      userId: u,
      platformAdmin: true,
      tokenId: 't-ok',
      memberships: new Map([
        [o1, { role: 'editor', entityId: null }],
        [o2, { role: 'viewer', entityId: e1 }],
      ]),
    });
    const s = await f.store.transaction((tx) => accounts.actorOfSession(tx, sha256('s'), now));
    expect(s).toEqual({ userId: u, platformAdmin: true, memberships: a!.memberships });
    // The same actor as the one loaded by user id.
    const byId = await f.store.transaction((tx) => accounts.actorOf(tx, u, 't-ok'));
    expect(a).toEqual(byId);
  });

  it('gives a user without membership an empty map, and nothing for an unknown, expired or revoked secret', async () => {
    const l = await f.store.transaction((tx) => accounts.actorOfToken(tx, sha256('lonely'), now));
    expect(l).toEqual({ userId: lonely, platformAdmin: false, tokenId: 't-lonely', memberships: new Map() });
    for (const secret of ['expired', 'revoked', 'unknown'])
      expect(await f.store.transaction((tx) => accounts.actorOfToken(tx, sha256(secret), now)), secret).toBeUndefined();
    expect(await f.store.transaction((tx) => accounts.actorOfSession(tx, sha256('old'), now))).toBeUndefined();
  });
});

describe('SQLite statements prepared once', () => {
  let f: FreshStore;
  beforeAll(async () => {
    f = await freshStore('sqlite');
  });
  afterAll(() => f?.dispose());

  it('a query run again reuses its statement; a stream left early does not block it', async () => {
    const q = () => f.store.db.selectFrom('users').select('id').where('email', '=', 'nobody@x.org');
    // better-sqlite3's own prepare, under the store's cache: called for the first run only.
    const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
    try {
      await q().execute();
      expect(prepare).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 20; i++) await q().execute();
      expect(prepare).toHaveBeenCalledTimes(1);
    } finally {
      prepare.mockRestore();
    }
    // A stream left early gives its statement back: the same SQL then runs again.
    await f.store.db
      .insertInto('organisations')
      .values([
        { id: 'o', name: 'O', created_at: 'now' },
        { id: 'p', name: 'P', created_at: 'now' },
      ])
      .execute();
    const all = f.store.db.selectFrom('organisations').select('id').orderBy('id');
    const first: string[] = [];
    for await (const r of all.stream()) {
      first.push(r.id);
      break;
    }
    expect(first).toEqual(['o']);
    expect((await all.execute()).map((r) => r.id)).toEqual(['o', 'p']);
  });
});
