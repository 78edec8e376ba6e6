/**
 * Account queries that precede any scope: finding a user at login, sessions and API tokens by hash, the actor's own
 * memberships, and creating an organisation with its first administrator (platform administrators and admin commands).
 * Nothing here returns another organisation's inventory data.
 */
import type { Insertable } from 'kysely';
import type { Tx } from './open.js';
import type { Actor, MembershipGrant } from './scoped.js';
import type {
  ApiTokenTable,
  MembershipTable,
  OrganisationTable,
  PasswordResetTable,
  SessionTable,
  UserTable,
} from './schema.js';

export const accounts = {
  userByEmail: (tx: Tx, email: string) =>
    tx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
  userById: (tx: Tx, id: string) => tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
  insertUser: async (tx: Tx, row: Insertable<UserTable>) => {
    await tx.insertInto('users').values(row).execute();
  },
  setPassword: async (tx: Tx, userId: string, hash: string) => {
    await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
  },

  setPlatformAdmin: async (tx: Tx, userId: string) => {
    await tx.updateTable('users').set({ platform_admin: 1 }).where('id', '=', userId).execute();
  },
  organisationById: (tx: Tx, id: string) =>
    tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst(),
  /** Whether any organisation exists (a first start has none). */
  hasOrganisations: async (tx: Tx) =>
    (await tx.selectFrom('organisations').select('id').limit(1).executeTakeFirst()) !== undefined,
  organisationByName: (tx: Tx, name: string) =>
    tx.selectFrom('organisations').selectAll().where('name', '=', name).executeTakeFirst(),
  insertOrganisation: async (tx: Tx, row: Insertable<OrganisationTable>) => {
    await tx.insertInto('organisations').values(row).execute();
  },
  /** A membership written outside a scope: only for an organisation's creation and the admin commands. */
  insertMembership: async (tx: Tx, row: Insertable<MembershipTable>) => {
    await tx
      .insertInto('memberships')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'user_id']).doUpdateSet({ role: row.role, entity_id: row.entity_id ?? null }),
      )
      .execute();
  },

  /** The actor of a user: their own memberships, read by their own id. */
  actorOf: async (tx: Tx, userId: string, tokenId?: string): Promise<Actor | undefined> => {
    const user = await tx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (user === undefined) return undefined;
    const rows = await tx
      .selectFrom('memberships')
      .select(['organisation_id', 'role', 'entity_id'])
      .where('user_id', '=', userId)
      .execute();
    const memberships = new Map<string, MembershipGrant>(
      rows.map((r) => [r.organisation_id, { role: r.role, entityId: r.entity_id }]),
    );
    return { userId, platformAdmin: user.platform_admin === 1, memberships, ...(tokenId ? { tokenId } : {}) };
  },

  insertSession: async (tx: Tx, row: Insertable<SessionTable>) => {
    await tx.insertInto('sessions').values(row).execute();
  },
  sessionByHash: (tx: Tx, idHash: string, nowIso: string) =>
    tx
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', nowIso)
      .executeTakeFirst(),
  deleteExpiredSessions: async (tx: Tx, userId: string, nowIso: string) => {
    await tx.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', nowIso).execute();
  },
  deleteSession: async (tx: Tx, idHash: string) => {
    await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },

  insertPasswordReset: async (tx: Tx, row: Insertable<PasswordResetTable>) => {
    await tx.insertInto('password_resets').values(row).execute();
  },
  /** Marks an unused, unexpired reset link used and returns its user; undefined when there is none. */
  usePasswordReset: async (tx: Tx, idHash: string, nowIso: string): Promise<string | undefined> => {
    const r = await tx
      .updateTable('password_resets')
      .set({ used_at: nowIso })
      .where('id_hash', '=', idHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .returning('user_id')
      .executeTakeFirst();
    return r?.user_id;
  },
  /** Ends every session of a user (after a password change). */
  deleteSessionsOf: async (tx: Tx, userId: string) => {
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  insertToken: async (tx: Tx, row: Insertable<ApiTokenTable>) => {
    await tx.insertInto('api_tokens').values(row).execute();
  },
  /** A usable token: not revoked, not expired. */
  tokenByHash: (tx: Tx, hash: string, nowIso: string) =>
    tx
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]))
      .executeTakeFirst(),
  /** The user's own tokens (never the hash). */
  tokensOf: (tx: Tx, userId: string) =>
    tx
      .selectFrom('api_tokens')
      .select(['id', 'name', 'prefix', 'created_at', 'expires_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
  revokeToken: (tx: Tx, userId: string, tokenId: string, nowIso: string) =>
    tx
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
};
