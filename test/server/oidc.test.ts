/**
 * OpenID Connect sign-in end to end (issue 12): a real `oidc-provider` on loopback, the server's relying party over
 * `openid-client` (the production adapter, src/server/oidc-client.ts), and the browser's part played by hand: follow
 * the redirects, sign in and consent at the provider's development forms, come back to the callback. The account, its
 * membership and role come from the claims as docs/deployment.md documents; on SQLite and PostgreSQL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, OIDC_FLOW_COOKIE, SESSION_COOKIE } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openidClient } from '../../src/server/oidc-client.js';
import { mapClaims, type OidcPolicy } from '../../src/server/usecases/oidc.js';
import * as org from '../../src/server/usecases/organisations.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, SYSTEM, unique } from './world.js';

const REDIRECT = 'http://empreinte.test/api/v1/auth/oidc/callback';
const POLICY: OidcPolicy = { organisationClaim: 'organisation', roleClaim: 'role', defaultRole: 'viewer', roleMap: {} };

/** The provider's accounts: their claims, as an identity provider would release them. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {};

let provider: Server;
let issuer = '';

beforeAll(async () => {
  provider = createServer();
  await new Promise<void>((ok) => provider.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const p = new Provider(issuer, {
    clients: [
      {
        client_id: 'empreinte',
        client_secret: 'a-client-secret-of-the-test-provider-0123456789',
        redirect_uris: [REDIRECT],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: { email: ['email', 'email_verified'], empreinte: ['organisation', 'role'] },
    scopes: ['openid', 'email', 'empreinte'],
    findAccount: (_ctx, id) =>
      ACCOUNTS[id] === undefined ? undefined : { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) },
    cookies: { keys: ['a-cookie-key-of-the-test-provider'] },
    pkce: { required: () => true },
  });
  provider.on('request', p.callback());
});
afterAll(async () => {
  await new Promise((ok) => provider?.close(ok));
});

/** A browser's cookie jar for one origin, enough for the provider's interaction cookies. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(set: string[] | string | null | undefined): void {
    for (const line of [set ?? []].flat()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Plays the browser at the provider from its authorization URL until it redirects to our callback. */
async function signInAtProvider(authorizationUrl: string, accountId: string): Promise<string> {
  const jar = new Jar();
  let url = authorizationUrl;
  for (let hops = 0; hops < 12; hops++) {
    if (url.startsWith(REDIRECT)) return url;
    const interaction = /\/interaction\/([^/?#]+)$/.exec(new URL(url, issuer).pathname);
    let r: Response;
    if (interaction) {
      const page = await fetch(new URL(url, issuer), { headers: { cookie: jar.header() }, redirect: 'manual' });
      jar.take(page.headers.getSetCookie());
      const html = await page.text();
      const prompt =
        /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'x' } : { prompt });
      r = await fetch(new URL(url, issuer), {
        method: 'POST',
        body: form,
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
    } else {
      r = await fetch(new URL(url, issuer), { headers: { cookie: jar.header() }, redirect: 'manual' });
    }
    jar.take(r.headers.getSetCookie());
    const next = r.headers.get('location');
    if (next === null)
      throw new Error(`the provider stopped at ${url} with ${r.status}: ${(await r.text()).slice(0, 300)}`);
    url = new URL(next, url.startsWith('http') ? url : issuer).href;
  }
  throw new Error('too many redirects at the provider');
}

const cookieOf = (set: string | string[] | undefined, name: string): string | undefined =>
  [set ?? []]
    .flat()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1);

describe('mapClaims (the documented mapping, pure)', () => {
  it('takes the email, the organisations named by the claim and the highest role', () => {
    expect(
      mapClaims(
        { email: ' Ana@Example.org ', organisation: ['Acme', 'Beta', 'Acme'], role: ['viewer', 'editor'] },
        POLICY,
      ),
    ).toEqual({ email: 'ana@example.org', organisations: ['Acme', 'Beta'], role: 'editor' });
  });
  it('maps provider role names through the role map, else the default role', () => {
    const policy = { ...POLICY, roleMap: { 'it-director': 'admin' as const } };
    expect(mapClaims({ email: 'a@b.c', role: 'it-director' }, policy).role).toBe('admin');
    expect(mapClaims({ email: 'a@b.c', role: 'intern' }, policy).role).toBe('viewer');
    expect(mapClaims({ email: 'a@b.c' }, { ...POLICY, defaultRole: null }).role).toBeNull();
  });
  it('refuses a missing or unverified email with APP_OIDC_REFUSED', () => {
    expect(() => mapClaims({ sub: 'x' }, POLICY)).toThrow(/no email address/);
    expect(() => mapClaims({ email: 'a@b.c', email_verified: false }, POLICY)).toThrow(/not verified/);
  });
});

describe('OIDC configuration', () => {
  const base = {
    OIDC_ISSUER: 'https://idp.example.org/realms/x',
    OIDC_CLIENT_ID: 'empreinte',
    OIDC_REDIRECT_URL: 'https://empreinte.example.org/api/v1/auth/oidc/callback',
  };
  it('is all or nothing, https unless OIDC_ALLOW_HTTP=1, and reads the role map', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(() => loadConfig({ OIDC_ISSUER: base.OIDC_ISSUER })).toThrow(/go together/);
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'http://idp.example.org' })).toThrow(/https/);
    const c = loadConfig({ ...base, OIDC_ROLE_MAP: 'it-director=admin, fleet=editor', OIDC_DEFAULT_ROLE: 'none' });
    expect(c.oidc?.policy).toEqual({
      organisationClaim: 'organisation',
      roleClaim: 'role',
      defaultRole: null,
      roleMap: { 'it-director': 'admin', fleet: 'editor' },
    });
    expect(() => loadConfig({ ...base, OIDC_ROLE_MAP: 'boss=owner' })).toThrow(/OIDC_ROLE_MAP/);
  });
});

describe.each(DATABASES)('OpenID Connect sign-in against a local oidc-provider, on %s', (d) => {
  let f: FreshStore;
  let app: FastifyInstance;
  let orgName = '';
  let orgId = '';
  beforeAll(async () => {
    f = await freshStore(d);
    const deps0 = depsFor(f.store);
    orgName = unique('Acme');
    orgId = (await org.createOrganisation(deps0, SYSTEM, { name: orgName })).id;
    const deps = {
      ...deps0,
      oidc: {
        client: openidClient({
          issuer,
          clientId: 'empreinte',
          clientSecret: 'a-client-secret-of-the-test-provider-0123456789',
          redirectUrl: REDIRECT,
          scopes: 'openid email empreinte',
          allowHttp: true,
        }),
        policy: POLICY,
      },
    };
    app = await buildServer(deps, { logger: false, loginRateLimit: { max: 100, timeWindow: '1 minute' } });
  });
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });

  /** The whole browser round trip; returns the callback's answer. */
  async function signIn(accountId: string, flowCookie?: (c: string) => string) {
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(start.statusCode).toBe(302);
    const flow = cookieOf(start.headers['set-cookie'], OIDC_FLOW_COOKIE)!;
    expect(flow).toBeTruthy();
    const back = await signInAtProvider(start.headers.location as string, accountId);
    const u = new URL(back);
    return app.inject({
      method: 'GET',
      url: `${u.pathname}${u.search}`,
      cookies: { [OIDC_FLOW_COOKIE]: flowCookie ? flowCookie(flow) : flow },
    });
  }

  it('creates the account with the role and organisation of its claims, and the session works', async () => {
    const sub = unique('ana');
    ACCOUNTS[sub] = { email: `${sub}@example.org`, email_verified: true, organisation: orgName, role: 'editor' };
    const r = await signIn(sub);
    expect(r.statusCode, r.body).toBe(302);
    expect(r.headers.location).toBe('/');
    const session = cookieOf(r.headers['set-cookie'], SESSION_COOKIE)!;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { [SESSION_COOKIE]: session } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: `${sub}@example.org`,
      memberships: [{ organisationId: orgId, role: 'editor', entityId: null }],
    });
    // The provider is the source of truth for the role: a second sign-in with another role updates it.
    ACCOUNTS[sub] = { ...ACCOUNTS[sub], role: 'admin' };
    const again = await signIn(sub);
    expect(again.statusCode, again.body).toBe(302);
    const s2 = cookieOf(again.headers['set-cookie'], SESSION_COOKIE)!;
    const me2 = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { [SESSION_COOKIE]: s2 } });
    expect(me2.json().memberships).toEqual([{ organisationId: orgId, role: 'admin', entityId: null }]);
    // The account has no password: the password login refuses it.
    const pw = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: `${sub}@example.org`, password: 'anything at all' },
    });
    expect(pw.statusCode).toBe(401);
  });

  it('refuses someone whose claims name no known organisation (401 APP_OIDC_REFUSED), and no session', async () => {
    const sub = unique('bob');
    ACCOUNTS[sub] = { email: `${sub}@example.org`, email_verified: true, organisation: 'Nowhere Inc', role: 'admin' };
    const r = await signIn(sub);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'APP_OIDC_REFUSED' });
    expect(cookieOf(r.headers['set-cookie'], SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a callback whose flow cookie was tampered with or is missing', async () => {
    const sub = unique('eve');
    ACCOUNTS[sub] = { email: `${sub}@example.org`, email_verified: true, organisation: orgName, role: 'viewer' };
    const tampered = await signIn(sub, (c) => c.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')));
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().detail).toMatch(/expired or was started in another browser/);
    const forged = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/callback?code=x&state=y' });
    expect(forged.statusCode).toBe(401);
  });
});

describe('without OIDC configured', () => {
  it('the sign-in routes answer 404', async () => {
    const f = await freshStore('sqlite');
    const app = await buildServer(depsFor(f.store), { logger: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
      expect(r.statusCode).toBe(404);
    } finally {
      await app.close();
      await f.dispose();
    }
  });
});
