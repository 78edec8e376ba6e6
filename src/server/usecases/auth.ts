/**
 * Login, logout and authentication of a request (session cookie or API token). Both secrets are random, shown once and
 * looked up by their SHA-256; passwords are checked with scrypt in constant time, and an unknown email costs the same
 * scrypt work as a wrong password.
 */
import { accounts } from '../../store/accounts.js';
import type { Actor } from '../../store/scoped.js';
import type { z } from 'zod';
import { csrfToken, DUMMY_PASSWORD_HASH, newSecret, sha256, verifyPassword } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import type { LoginInput, MeView } from './schemas.js';

export interface LoginResult {
  readonly sessionSecret: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export async function login(deps: UseCaseDeps, input: z.output<typeof LoginInput>): Promise<LoginResult> {
  const user = await deps.store.transaction((tx) => accounts.userByEmail(tx, input.email));
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (user === undefined || user.password_hash === null || !ok) throw new AppError('APP_BAD_CREDENTIALS');
  return openSession(deps, user.id);
}

/** A new cookie session for a user who proved who they are (password, or an OpenID Connect provider). */
export async function openSession(deps: UseCaseDeps, userId: string): Promise<LoginResult> {
  const s = newSecret('ses');
  const expiresAt = new Date(deps.clock.nowMs() + deps.sessionTtlMs).toISOString();
  await deps.store.transaction(async (tx) => {
    await accounts.deleteExpiredSessions(tx, userId, deps.clock.nowIso());
    await accounts.insertSession(tx, {
      id_hash: s.hash,
      user_id: userId,
      created_at: deps.clock.nowIso(),
      expires_at: expiresAt,
    });
  });
  return { sessionSecret: s.secret, csrfToken: csrfToken(deps.serverSecret, s.secret), expiresAt };
}

export async function logout(deps: UseCaseDeps, sessionSecret: string): Promise<void> {
  await deps.store.transaction((tx) => accounts.deleteSession(tx, sha256(sessionSecret)));
}

export async function actorFromSession(deps: UseCaseDeps, sessionSecret: string): Promise<Actor | undefined> {
  if (!sessionSecret.startsWith('emp_ses_')) return undefined;
  return deps.store.transaction((tx) => accounts.actorOfSession(tx, sha256(sessionSecret), deps.clock.nowIso()));
}

export async function actorFromToken(deps: UseCaseDeps, token: string): Promise<Actor | undefined> {
  if (!token.startsWith('emp_tok_')) return undefined;
  return deps.store.transaction((tx) => accounts.actorOfToken(tx, sha256(token), deps.clock.nowIso()));
}

export async function me(
  deps: UseCaseDeps,
  actor: Actor,
  sessionSecret: string | null,
): Promise<z.output<typeof MeView>> {
  if (actor.userId === null) throw new AppError('APP_UNAUTHENTICATED');
  const userId = actor.userId;
  const user = await deps.store.transaction((tx) => accounts.userById(tx, userId));
  if (user === undefined) throw new AppError('APP_UNAUTHENTICATED');
  return {
    userId: user.id,
    email: user.email,
    platformAdmin: user.platform_admin === 1,
    memberships: [...actor.memberships].map(([organisationId, m]) => ({
      organisationId,
      role: m.role,
      entityId: m.entityId,
    })),
    csrfToken: sessionSecret === null ? null : csrfToken(deps.serverSecret, sessionSecret),
  };
}
