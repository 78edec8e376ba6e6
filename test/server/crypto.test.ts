import { describe, expect, it } from 'vitest';
import {
  csrfToken,
  hashPassword,
  newSecret,
  safeEqual,
  sha256,
  verifyPassword,
} from '../../src/server/usecases/crypto.js';

describe('passwords', () => {
  it('scrypt hashes verify the right password only, with a fresh salt each time', async () => {
    const h1 = await hashPassword('s3cret-pässword');
    const h2 = await hashPassword('s3cret-pässword');
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain('s3cret');
    expect(await verifyPassword('s3cret-pässword', h1)).toBe(true);
    expect(await verifyPassword('s3cret-password', h1)).toBe(false);
    expect(await verifyPassword('', h1)).toBe(false);
  });
  it('normalises to NFKC (a composed and a decomposed ä are the same password)', async () => {
    const h = await hashPassword('ma\u0308t');
    expect(await verifyPassword('m\u00e4t', h)).toBe(true);
  });
  it('a tampered or foreign hash never verifies', async () => {
    const h = await hashPassword('pw');
    const parts = h.split('$');
    parts[5] = Buffer.alloc(64, 1).toString('base64url');
    expect(await verifyPassword('pw', parts.join('$'))).toBe(false);
    expect(await verifyPassword('pw', 'bcrypt$whatever')).toBe(false);
  });
});

describe('secrets', () => {
  it('are 256 random bits, stored as their SHA-256 only', () => {
    const a = newSecret('tok');
    const b = newSecret('tok');
    expect(a.secret).toMatch(/^emp_tok_[\w-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(sha256(a.secret));
    expect(a.hash).not.toContain(a.secret.slice(8));
    expect(a.prefix).toBe(a.secret.slice(0, 12));
  });
  it('a CSRF token depends on both the server secret and the session', () => {
    const t = csrfToken('server-1', 'emp_ses_a');
    expect(t).toBe(csrfToken('server-1', 'emp_ses_a'));
    expect(t).not.toBe(csrfToken('server-2', 'emp_ses_a'));
    expect(t).not.toBe(csrfToken('server-1', 'emp_ses_b'));
    expect(safeEqual(t, t)).toBe(true);
    expect(safeEqual(t, t.slice(1))).toBe(false);
  });
});
