import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, SESSION_COOKIE } from '../../src/server/app.js';
import { ROUTES } from '../../src/server/routes.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, FakeClock, makeWorld, PASSWORD, type World } from './world.js';

const sessionOf = (setCookie: string | string[] | undefined): string => {
  const line = [setCookie ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (line === undefined) throw new Error('no session cookie');
  return line;
};
const cookieValue = (line: string) => line.split(';')[0]!.split('=')[1]!;

describe.each(DATABASES)('HTTP API on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  let clock: FakeClock;
  const logs: string[] = [];
  beforeAll(async () => {
    f = await freshStore(d);
    clock = new FakeClock();
    w = await makeWorld(depsFor(f.store, clock));
    const stream = new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    app = await buildServer(w.deps, {
      logger: { level: 'info', stream },
      loginRateLimit: { max: 100, timeWindow: '1 minute' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });

  const login = async (email = w.a.editor.email, password = PASSWORD, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers });

  it('health answers ok after a database round trip', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBeDefined();
  });

  it('serves an OpenAPI 3.1 document with every route of the table and the zod components', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Campaign', 'Problem', 'LoginRequest']),
    );
    const post = doc.paths['/api/v1/organisations/{organisationId}/campaigns'].post;
    const ref = post.requestBody.content['application/json'].schema.$ref as string;
    expect(doc.components.schemas[ref.split('/').pop()!].required).toContain('referenceDate');
    expect(post.responses['404'].content['application/json'].schema.$ref).toBe('#/components/schemas/Problem');
  });

  it('logs in with a cookie that is HttpOnly and SameSite=Lax, not Secure over plain http', async () => {
    const r = await login();
    expect(r.statusCode).toBe(200);
    const c = sessionOf(r.headers['set-cookie']);
    expect(c).toMatch(/HttpOnly/);
    expect(c).toMatch(/SameSite=Lax/);
    expect(c).not.toMatch(/Secure/);
    expect(r.json().csrfToken).toMatch(/^[\w-]{43}$/);
  });

  it('marks the cookie Secure behind a TLS proxy', async () => {
    const proxied = await buildServer(w.deps, { logger: false, trustProxy: true });
    const r = await proxied.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: w.a.viewer.email, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    await proxied.close();
    expect(sessionOf(r.headers['set-cookie'])).toMatch(/Secure/);
  });

  it('a wrong password and an unknown email answer the same 401 problem', async () => {
    const a = await login(w.a.editor.email, 'nope');
    const b = await login('nobody@example.org', 'nope');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().code).toBe('APP_BAD_CREDENTIALS');
    expect(b.json()).toEqual({ ...a.json(), instance: '/api/v1/auth/login' });
    expect(a.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('a cookie session reads freely, writes only with the CSRF token and a same-origin Origin', async () => {
    const r = await login();
    const cookie = `${SESSION_COOKIE}=${cookieValue(sessionOf(r.headers['set-cookie']))}`;
    const csrf = r.json().csrfToken as string;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: w.a.editor.email, csrfToken: csrf });
    expect(me.json().memberships).toEqual([{ organisationId: w.orgA, role: 'editor', entityId: null }]);

    const body = { name: 'csrf-campaign', referenceDate: '2025-12-31' };
    const url = `/api/v1/organisations/${w.orgA}/campaigns`;
    const none = await app.inject({ method: 'POST', url, headers: { cookie }, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('APP_CSRF');
    const wrong = await app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': csrf.slice(1) + 'A' },
      payload: body,
    });
    expect(wrong.json().code).toBe('APP_CSRF');
    const evil = await app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' },
      payload: body,
    });
    expect(evil.json().code).toBe('APP_CSRF');
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': csrf, origin: 'http://localhost:80' },
      payload: body,
    });
    expect(ok.statusCode, ok.body).toBe(201);

    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a session expires', async () => {
    const r = await login(w.a.viewer.email);
    const cookie = `${SESSION_COOKIE}=${cookieValue(sessionOf(r.headers['set-cookie']))}`;
    clock.ms += 9 * 3600_000;
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      clock.ms -= 9 * 3600_000;
    }
  });

  it('API tokens: shown once, listed without the secret, usable as Bearer, revocable, expiring', async () => {
    const auth = { authorization: `Bearer ${w.a.viewer.token}` };
    const c = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth,
      payload: { name: 'ci', expiresInDays: 1 },
    });
    expect(c.statusCode).toBe(201);
    const { token, id } = c.json() as { token: string; id: string };
    expect(token).toMatch(/^emp_tok_/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth });
    expect(list.body).not.toContain(token);
    expect(list.json().map((t: { id: string }) => t.id)).toContain(id);
    const stored = await f.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    clock.ms += 2 * 86_400_000;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    clock.ms -= 2 * 86_400_000;
    const rv = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer });
    expect(rv.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer emp_tok_forged' } }))
        .statusCode,
    ).toBe(401);
    // Bearer writes need no CSRF token.
    const w2 = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: auth, payload: { name: 'x' } });
    expect(w2.statusCode).toBe(201);
  });

  it('a platform administrator creates an organisation with its first admin, whose password is shown once', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { authorization: `Bearer ${w.platform.token}` },
      payload: { name: 'Ville de Test', adminEmail: 'Maire@Example.org' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const pw = r.json().adminPassword as string;
    expect(pw.length).toBeGreaterThanOrEqual(20);
    const l = await login('maire@example.org', pw);
    expect(l.statusCode).toBe(200);
    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { authorization: `Bearer ${w.platform.token}` },
      payload: { name: 'Ville de Test' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('APP_CONFLICT');
  });

  it('a locked campaign refuses writes until an admin unlocks it; the audit log says who and when', async () => {
    const admin = { authorization: `Bearer ${w.a.admin.token}` };
    const editor = { authorization: `Bearer ${w.a.editor.token}` };
    const c = await app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${w.orgA}/campaigns`,
      headers: editor,
      payload: {
        name: 'signed-2024',
        referenceDate: '2024-12-31',
        referentialId: 'ademe-2025',
        referentialHash: 'sha256:abc',
      },
    });
    const id = c.json().id as string;
    expect(c.json()).toMatchObject({ locked: false, referentialId: 'ademe-2025', profile: 'default' });
    const lockByEditor = await app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/lock`, headers: editor });
    expect(lockByEditor.statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/lock`, headers: admin })).json().locked,
    ).toBe(true);
    const refused = await app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${id}`,
      headers: editor,
      payload: { name: 'x' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('APP_CAMPAIGN_LOCKED');
    await app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/unlock`, headers: admin });
    const ok = await app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${id}`,
      headers: editor,
      payload: { name: 'renamed' },
    });
    expect(ok.json().name).toBe('renamed');

    const log = await app.inject({
      method: 'GET',
      url: `/api/v1/organisations/${w.orgA}/audit?limit=1000`,
      headers: admin,
    });
    const mine = (log.json() as { action: string; targetId: string; actorUserId: string }[]).filter(
      (e) => e.targetId === id,
    );
    expect(mine.map((e) => [e.action, e.actorUserId]).reverse()).toEqual([
      ['campaign.create', w.a.editor.id],
      ['campaign.lock', w.a.admin.id],
      ['campaign.unlock', w.a.admin.id],
      ['campaign.update', w.a.editor.id],
    ]);
    expect(Object.keys(ROUTES)).not.toContain('audit.delete');
  });

  it("a member restricted to an entity subtree sees and edits only that subtree; another organisation's entity is 404", async () => {
    const admin = { authorization: `Bearer ${w.a.admin.token}` };
    const post = (url: string, payload: object, headers = admin) =>
      app.inject({ method: 'POST', url, headers, payload });
    const ents = `/api/v1/organisations/${w.orgA}/entities`;
    const root = (await post(ents, { name: 'Région' })).json().id as string;
    const site = (await post(ents, { name: 'Site Nord', parentId: root, headcount: 50 })).json().id as string;
    const sibling = (await post(ents, { name: 'Site Sud', parentId: root })).json().id as string;
    const bEntity = (
      await post(
        `/api/v1/organisations/${w.orgB}/entities`,
        { name: 'B' },
        { authorization: `Bearer ${w.bAdmin.token}` },
      )
    ).json().id as string;
    const cross = await post(`/api/v1/organisations/${w.orgA}/members`, {
      email: 'x@example.org',
      role: 'viewer',
      entityId: bEntity,
    });
    expect(cross.statusCode).toBe(404);

    const m = await post(`/api/v1/organisations/${w.orgA}/members`, {
      email: 'fleet@example.org',
      role: 'admin',
      entityId: site,
    });
    expect(m.statusCode).toBe(200);
    const pw = m.json().initialPassword as string;
    const l = await login('fleet@example.org', pw);
    const fleetToken = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: {
          cookie: `${SESSION_COOKIE}=${cookieValue(sessionOf(l.headers['set-cookie']))}`,
          'x-csrf-token': l.json().csrfToken,
        },
        payload: { name: 'fleet' },
      })
    ).json().token as string;
    const fleet = { authorization: `Bearer ${fleetToken}` };
    const seen = (await app.inject({ method: 'GET', url: ents, headers: fleet })).json() as { id: string }[];
    expect(seen.map((e) => e.id)).toEqual([site]);
    expect((await app.inject({ method: 'GET', url: `/api/v1/entities/${sibling}`, headers: fleet })).statusCode).toBe(
      404,
    );
    expect((await post(ents, { name: 'Root attempt' }, fleet)).statusCode).toBe(403);
    expect((await post(ents, { name: 'Under sibling', parentId: sibling }, fleet)).statusCode).toBe(404);
    const child = await post(ents, { name: 'Étage 1', parentId: site }, fleet);
    expect(child.statusCode).toBe(201);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/entities/${sibling}`, headers: fleet })).statusCode,
    ).toBe(404);
    // No widening through memberships: not for someone else, not for oneself, and no removal of a wider member.
    const members = `/api/v1/organisations/${w.orgA}/members`;
    expect((await post(members, { email: 'wide@example.org', role: 'viewer' }, fleet)).statusCode).toBe(403);
    expect((await post(members, { email: 'fleet@example.org', role: 'admin' }, fleet)).statusCode).toBe(403);
    expect(
      (await post(members, { email: 'narrow@example.org', role: 'viewer', entityId: site }, fleet)).statusCode,
    ).toBe(200);
    const del = await app.inject({ method: 'DELETE', url: `${members}/${w.a.viewer.id}`, headers: fleet });
    expect(del.statusCode).toBe(403);
  });

  it('invalid input answers a 400 problem naming the field', async () => {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${w.orgA}/campaigns`,
      headers: { authorization: `Bearer ${w.a.editor.token}` },
      payload: { name: 'bad', referenceDate: '31/12/2024' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('APP_VALIDATION');
    expect(JSON.stringify(r.json().details)).toContain('referenceDate');
    const notUuid = await app.inject({
      method: 'GET',
      url: '/api/v1/campaigns/123',
      headers: { authorization: `Bearer ${w.a.editor.token}` },
    });
    expect(notUuid.statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('APP_NOT_FOUND');
  });

  it('bodies are bounded', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${w.a.editor.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('APP_PAYLOAD_TOO_LARGE');
  });

  it('login is rate limited per client', async () => {
    const strict = await buildServer(w.deps, { logger: false, loginRateLimit: { max: 3, timeWindow: '1 minute' } });
    const attempt = (password: string) =>
      strict.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: w.a.viewer.email, password } });
    try {
      expect([
        (await attempt('bad')).statusCode,
        (await attempt('bad')).statusCode,
        (await attempt('bad')).statusCode,
      ]).toEqual([401, 401, 401]);
      const limited = await attempt(PASSWORD);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('APP_RATE_LIMITED');
      expect((await strict.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('logs carry no password, token, cookie or CSRF value', () => {
    const all = logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(w.a.viewer.token);
    expect(all).not.toMatch(/emp_(ses|tok)_[\w-]{20}/);
  });
});
