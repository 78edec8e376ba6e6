/**
 * Password reset by an administrator's one-use link (issue 12): `empreinte admin reset-link` prints a link once; the
 * link sets a new password through POST /api/v1/auth/reset-password, works once, expires, and ends the account's
 * sessions. On SQLite and PostgreSQL; the admin command end to end on a data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, SESSION_COOKIE } from '../../src/server/app.js';
import { createResetLink } from '../../src/server/usecases/password-reset.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, FakeClock, makeWorld, PASSWORD, type World } from './world.js';
import { runCli } from '../helpers/cli.js';

const NEW_PASSWORD = 'a brand new passphrase 2026';
const tokenOf = (url: string) => decodeURIComponent(/[?&]token=([^&]+)/.exec(url)![1]!);

describe.each(DATABASES)('password reset links on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  let clock: FakeClock;
  beforeAll(async () => {
    f = await freshStore(d);
    clock = new FakeClock();
    w = await makeWorld(depsFor(f.store, clock));
    app = await buildServer(w.deps, { logger: false, loginRateLimit: { max: 1000, timeWindow: '1 minute' } });
  });
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });

  const login = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const reset = (token: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });

  it('sets the new password once, and ends the sessions opened before', async () => {
    const email = w.a.viewer.email;
    const before = await login(email, PASSWORD);
    expect(before.statusCode).toBe(200);
    const oldSession = [before.headers['set-cookie']].flat().find((c) => c!.startsWith(SESSION_COOKIE))!;
    const sessionValue = oldSession.split(';')[0]!.split('=')[1]!;

    const link = await createResetLink(w.deps, { email, hours: 24, publicUrl: 'https://empreinte.example.org/' });
    expect(link.url).toMatch(/^https:\/\/empreinte\.example\.org\/#\/reset-password\?token=emp_rst_[\w-]{43}$/);

    const r = await reset(tokenOf(link.url), NEW_PASSWORD);
    expect(r.statusCode, r.body).toBe(204);
    expect((await login(email, PASSWORD)).statusCode).toBe(401);
    expect((await login(email, NEW_PASSWORD)).statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { [SESSION_COOKIE]: sessionValue } });
    expect(me.statusCode).toBe(401);

    // A second use is refused, with the same answer as an unknown link.
    const again = await reset(tokenOf(link.url), 'yet another passphrase 99');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'APP_RESET_INVALID' });
    const unknown = await reset('emp_rst_' + 'A'.repeat(43), 'yet another passphrase 99');
    expect(unknown.json()).toMatchObject({ code: 'APP_RESET_INVALID' });
    expect((await login(email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('expires after its hours, and refuses a short password without using the link', async () => {
    const email = w.a.editor.email;
    const link = await createResetLink(w.deps, { email, hours: 1, publicUrl: 'http://127.0.0.1:8080' });
    const short = await reset(tokenOf(link.url), 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'APP_VALIDATION' });
    clock.ms += 3600_000 + 1;
    const late = await reset(tokenOf(link.url), NEW_PASSWORD);
    expect(late.json()).toMatchObject({ code: 'APP_RESET_INVALID' });
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });

  it('an unknown email is refused by the use case (the admin command prints it as one line)', async () => {
    await expect(
      createResetLink(w.deps, { email: 'nobody@example.org', hours: 1, publicUrl: 'http://x' }),
    ).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});

describe('empreinte admin reset-link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-reset-'));
  const env = { EMPREINTE_DATA_DIR: dir, EMPREINTE_PUBLIC_URL: 'https://empreinte.mairie.fr' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => runCli(args, env);

  it('prints the link alone on stdout, its validity on stderr; bad input is one coded line, exit 2', async () => {
    expect((await run(['admin', 'create-organisation', 'Mairie'])).code).toBe(0);
    const u = await run([
      'admin',
      'create-user',
      '--email',
      'dsi@mairie.fr',
      '--organisation',
      'Mairie',
      '--role',
      'admin',
    ]);
    expect(u.code, u.err).toBe(0);
    const r = await run(['admin', 'reset-link', '--email', 'DSI@mairie.fr', '--hours', '2']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^https:\/\/empreinte\.mairie\.fr\/#\/reset-password\?token=emp_rst_[\w-]{43}\n$/);
    expect(r.err).toMatch(/^valid until \d{4}-\d\d-\d\dT.*works once/);
    const unknown = await run(['admin', 'reset-link', '--email', 'x@mairie.fr']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^empreinte: APP_NOT_FOUND user x@mairie\.fr does not exist\.\n$/);
    const badHours = await run(['admin', 'reset-link', '--email', 'dsi@mairie.fr', '--hours', '0']);
    expect(badHours.code).toBe(2);
    expect(badHours.err).toContain('--hours must be an integer 1–168');
  });
});
