/**
 * Password reset by an administrator, with no mail server (issue 12): `empreinte admin reset-link --email E` makes a
 * one-use link valid a few hours and prints it once; whoever opens it sets a new password with
 * `POST /api/v1/auth/reset-password`. Only the SHA-256 of the link's secret is stored; using it ends every session of
 * the account. An unknown, used or expired link gets the same answer (APP_RESET_INVALID).
 */
import { accounts } from '../../store/accounts.js';
import { hashPassword, newSecret, sha256 } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';

export const RESET_DEFAULT_HOURS = 24;

/** The dashboard page that reads the link's token and posts the new password. */
export const resetUrl = (publicUrl: string, secret: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/#/reset-password?token=${encodeURIComponent(secret)}`;

export async function createResetLink(
  deps: UseCaseDeps,
  input: { email: string; hours: number; publicUrl: string },
): Promise<{ url: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const user = await deps.store.transaction((tx) => accounts.userByEmail(tx, email));
  if (user === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'user', id: email });
  const s = newSecret('rst');
  const expiresAt = new Date(deps.clock.nowMs() + input.hours * 3600_000).toISOString();
  await deps.store.transaction((tx) =>
    accounts.insertPasswordReset(tx, {
      id_hash: s.hash,
      user_id: user.id,
      created_at: deps.clock.nowIso(),
      expires_at: expiresAt,
      used_at: null,
    }),
  );
  return { url: resetUrl(input.publicUrl, s.secret), expiresAt };
}

export async function resetPassword(deps: UseCaseDeps, input: { token: string; password: string }): Promise<void> {
  if (!input.token.startsWith('emp_rst_')) throw new AppError('APP_RESET_INVALID');
  const hash = await hashPassword(input.password);
  await deps.store.transaction(async (tx) => {
    const userId = await accounts.usePasswordReset(tx, sha256(input.token), deps.clock.nowIso());
    if (userId === undefined) throw new AppError('APP_RESET_INVALID');
    await accounts.setPassword(tx, userId, hash);
    await accounts.deleteSessionsOf(tx, userId);
  });
}
