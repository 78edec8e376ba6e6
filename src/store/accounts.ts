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
  Role,
  MembershipTable,
  OrganisationTable,
  PasswordResetTable,
  SessionTable,
  UserTable,
} from './schema.js';

interface ActorRow {
  readonly token_id?: string;
  readonly user_id: string;
  readonly platform_admin: number;
  readonly organisation_id: string | null;
  readonly role: Role | null;
  readonly entity_id: string | null;
}

/** The rows of a user joined with their memberships (left join: null columns when there is none) as an actor. */
function actorFromRows(rows: readonly ActorRow[]): Actor | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const memberships = new Map<string, MembershipGrant>();
  for (const r of rows)
    if (r.organisation_id !== null && r.role !== null)
      memberships.set(r.organisation_id, { role: r.role, entityId: r.entity_id });
  return {
    userId: first.user_id,
    platformAdmin: first.platform_admin === 1,
    memberships,
    ...(first.token_id !== undefined ? { tokenId: first.token_id } : {}),
  };
}

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

  /**
   * The actor of a usable API token (not revoked, not expired) in one statement: the token, its user and the user's
   * memberships (one row per membership, or one row with null membership columns).
   */
  actorOfToken: async (tx: Tx, tokenHash: string, nowIso: string): Promise<Actor | undefined> => {
    const rows = await tx
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .leftJoin('memberships as m', 'm.user_id', 'u.id')
      .select(['t.id as token_id', 'u.id as user_id', 'u.platform_admin', 'm.organisation_id', 'm.role', 'm.entity_id'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', nowIso)]))
      .execute();
    return actorFromRows(rows);
  },
  /** The actor of an unexpired session in one statement: the session, its user and the user's memberships. */
  actorOfSession: async (tx: Tx, idHash: string, nowIso: string): Promise<Actor | undefined> => {
    const rows = await tx
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('memberships as m', 'm.user_id', 'u.id')
      .select(['u.id as user_id', 'u.platform_admin', 'm.organisation_id', 'm.role', 'm.entity_id'])
      .where('s.id_hash', '=', idHash)
      .where('s.expires_at', '>', nowIso)
      .execute();
    return actorFromRows(rows);
  },

  insertSession: async (tx: Tx, row: Insertable<SessionTable>) => {
    await tx.insertInto('sessions').values(row).execute();
  },
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
