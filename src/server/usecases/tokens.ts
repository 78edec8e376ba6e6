/** API tokens of the calling user: created (the secret shown once, only its SHA-256 kept), listed, revoked. */
import type { z } from 'zod';
import { accounts } from '../../store/accounts.js';
import type { Actor } from '../../store/scoped.js';
import { newSecret } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import type { TokenCreated, TokenInput, TokenView } from './schemas.js';

const DAY_MS = 86_400_000;

function userOf(actor: Actor): string {
  if (actor.userId === null) throw new AppError('APP_UNAUTHENTICATED');
  return actor.userId;
}

export async function createToken(
  deps: UseCaseDeps,
  actor: Actor,
  input: z.output<typeof TokenInput>,
): Promise<z.output<typeof TokenCreated>> {
  const userId = userOf(actor);
  const s = newSecret('tok');
  const row = {
    id: deps.uuid(),
    user_id: userId,
    name: input.name,
    prefix: s.prefix,
    token_hash: s.hash,
    created_at: deps.clock.nowIso(),
    expires_at:
      input.expiresInDays === null ? null : new Date(deps.clock.nowMs() + input.expiresInDays * DAY_MS).toISOString(),
    revoked_at: null,
  };
  await deps.store.transaction((tx) => accounts.insertToken(tx, row));
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: null,
    token: s.secret,
  };
}

export async function listTokens(deps: UseCaseDeps, actor: Actor): Promise<z.output<typeof TokenView>[]> {
  const userId = userOf(actor);
  const rows = await deps.store.transaction((tx) => accounts.tokensOf(tx, userId));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    revokedAt: t.revoked_at,
  }));
}

/** Revokes one of the caller's tokens; another user's token, or an unknown one, is not found. */
export async function revokeToken(deps: UseCaseDeps, actor: Actor, input: { tokenId: string }): Promise<void> {
  const userId = userOf(actor);
  const r = await deps.store.transaction((tx) => accounts.revokeToken(tx, userId, input.tokenId, deps.clock.nowIso()));
  if (Number(r.numUpdatedRows) === 0) throw new AppError('APP_NOT_FOUND', { kind: 'token', id: input.tokenId });
}
