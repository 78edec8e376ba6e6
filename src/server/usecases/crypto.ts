/**
 * Passwords (scrypt from node:crypto, random salt, constant-time compare), random secrets for sessions and API tokens
 * (256 random bits, stored as SHA-256 only), and the CSRF token bound to a session (HMAC of the session secret).
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 } as const;

function scryptAsync(password: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { ...o, maxmem: 64 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

/** `scrypt$N$r$p$salt$key` (base64url); the password is NFKC-normalised first. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, SCRYPT.keylen, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to spend the same time on when the account does not exist (no user enumeration by timing). */
export const DUMMY_PASSWORD_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + Buffer.alloc(64).toString('base64url');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface NewSecret {
  readonly secret: string;
  readonly prefix: string;
  readonly hash: string;
}

/** A secret shown once: `emp_ses_…` for a session cookie, `emp_tok_…` for an API token, `emp_rst_…` for a reset link. */
export function newSecret(kind: 'ses' | 'tok' | 'rst'): NewSecret {
  const secret = `emp_${kind}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 12), hash: sha256(secret) };
}

/** The CSRF token of a session: HMAC-SHA256(server secret, session secret); the client echoes it in X-CSRF-Token. */
export function csrfToken(serverSecret: string, sessionSecret: string): string {
  return createHmac('sha256', serverSecret).update(`csrf:${sessionSecret}`).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const generatePassword = (): string => randomBytes(18).toString('base64url');
