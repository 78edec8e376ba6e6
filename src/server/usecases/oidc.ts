/**
 * OpenID Connect sign-in (issue 12: Keycloak, ProConnect…). `oidcStart` creates the flow's checks (state, nonce, PKCE
 * verifier) and seals them in a short-lived signed cookie; `oidcCallback` opens that cookie, lets the provider client
 * exchange the code and check the ID token, maps the claims to an account and memberships, and opens a session.
 *
 * Claims mapping (docs/deployment.md "OpenID Connect"): `email` is required and must not be `email_verified: false`;
 * the organisation claim (default `organisation`; a string or a list) names organisations by name or id — unknown ones
 * are ignored, never created; the role claim (default `role`) gives `admin`, `editor` or `viewer` (through
 * OIDC_ROLE_MAP for other names; the highest wins), else the default role. Memberships named by the claims are set on
 * every sign-in (the provider is the source of truth for them), keeping an existing entity restriction; other
 * memberships are left alone. Someone with no membership at all after mapping is refused.
 */
import { createHmac } from 'node:crypto';
import { accounts } from '../../store/accounts.js';
import type { Actor } from '../../store/scoped.js';
import { ROLES, type Role } from '../../store/schema.js';
import { openSession, type LoginResult } from './auth.js';
import { safeEqual } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { putMember } from './organisations.js';

/** The checks a callback must match, created at the start of the flow and kept in a signed cookie meanwhile. */
export interface OidcChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The provider side of the flow (src/server/oidc-client.ts over openid-client; tests may give another). */
export interface OidcClient {
  /** Fresh checks and the provider's authorization URL to send the browser to. */
  start(): Promise<{ readonly checks: OidcChecks; readonly url: string }>;
  /**
   * Exchanges the code of the callback (the query string the provider sent back) for tokens, checks state, nonce and
   * the ID token, and returns the ID token's claims merged with the userinfo endpoint's.
   */
  finish(callbackQuery: string, checks: OidcChecks): Promise<Readonly<Record<string, unknown>>>;
}

export interface OidcPolicy {
  readonly organisationClaim: string;
  readonly roleClaim: string;
  /** Role of a user whose role claim is absent or unknown; null refuses them. */
  readonly defaultRole: Role | null;
  /** Provider role names → Empreinte roles (admin, editor, viewer map to themselves unless listed). */
  readonly roleMap: Readonly<Record<string, Role>>;
}

/** How long the browser has between the redirect to the provider and the callback. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;

const RANK: Readonly<Record<Role, number>> = { viewer: 0, editor: 1, admin: 2 };

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The account the claims describe: email, organisation references, role (pure). */
export function mapClaims(
  claims: Readonly<Record<string, unknown>>,
  policy: OidcPolicy,
): { email: string; organisations: string[]; role: Role | null } {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new AppError('APP_OIDC_REFUSED', { reason: 'the provider gave no email address' });
  if (claims.email_verified === false)
    throw new AppError('APP_OIDC_REFUSED', { reason: 'the provider says the email address is not verified' });
  const organisations = [...new Set(strings(claims[policy.organisationClaim]).map((s) => s.trim()))].filter(Boolean);
  const roles = strings(claims[policy.roleClaim]).flatMap((r): Role[] => {
    const mapped = policy.roleMap[r] ?? ((ROLES as readonly string[]).includes(r) ? (r as Role) : undefined);
    return mapped === undefined ? [] : [mapped];
  });
  const role = roles.length ? roles.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : policy.defaultRole;
  return { email, organisations, role };
}

const seal = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`oidc-flow:${payload}`).digest('base64url');

/** The flow's checks and deadline as a cookie value: base64url JSON, a dot, its HMAC under the server secret. */
export function sealChecks(deps: UseCaseDeps, checks: OidcChecks): string {
  const payload = Buffer.from(JSON.stringify({ ...checks, exp: deps.clock.nowMs() + OIDC_FLOW_TTL_MS })).toString(
    'base64url',
  );
  return `${payload}.${seal(deps.serverSecret, payload)}`;
}

function openChecks(deps: UseCaseDeps, cookie: string | undefined): OidcChecks {
  const stale = new AppError('APP_OIDC_REFUSED', {
    reason: 'the sign-in expired or was started in another browser; start it again',
  });
  const [payload, mac] = (cookie ?? '').split('.');
  if (!payload || !mac || !safeEqual(mac, seal(deps.serverSecret, payload))) throw stale;
  const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<OidcChecks & { exp: number }>;
  if (typeof v.exp !== 'number' || v.exp < deps.clock.nowMs()) throw stale;
  if (typeof v.state !== 'string' || typeof v.nonce !== 'string' || typeof v.codeVerifier !== 'string') throw stale;
  return { state: v.state, nonce: v.nonce, codeVerifier: v.codeVerifier };
}

function client(deps: UseCaseDeps) {
  if (deps.oidc === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'route', id: 'OpenID Connect sign-in' });
  return deps.oidc;
}

/** Starts a sign-in: where to send the browser, and the cookie holding the flow's checks. */
export async function oidcStart(deps: UseCaseDeps): Promise<{ url: string; cookie: string }> {
  const { checks, url } = await client(deps).client.start();
  return { url, cookie: sealChecks(deps, checks) };
}

const systemIn = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: true,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

/** Completes a sign-in from the provider's redirect: the account, its memberships from the claims, a session. */
export async function oidcCallback(
  deps: UseCaseDeps,
  input: { query: string; cookie: string | undefined },
): Promise<LoginResult> {
  const o = client(deps);
  const checks = openChecks(deps, input.cookie);
  let claims: Readonly<Record<string, unknown>>;
  try {
    claims = await o.client.finish(input.query, checks);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
    throw new AppError('APP_OIDC_REFUSED', { reason: `the provider's answer was refused (${reason})` });
  }
  const m = mapClaims(claims, o.policy);
  const userId = await deps.store.transaction(async (tx) => {
    const existing = await accounts.userByEmail(tx, m.email);
    if (existing !== undefined) return existing.id;
    const id = deps.uuid();
    // No password: this account signs in through the provider (an administrator may still set one).
    await accounts.insertUser(tx, {
      id,
      email: m.email,
      password_hash: null,
      platform_admin: 0,
      created_at: deps.clock.nowIso(),
    });
    return id;
  });
  if (m.role !== null) {
    const current = (await deps.store.transaction((tx) => accounts.actorOf(tx, userId)))?.memberships;
    for (const ref of m.organisations) {
      const org = await deps.store.transaction(
        async (tx) => (await accounts.organisationByName(tx, ref)) ?? (await accounts.organisationById(tx, ref)),
      );
      if (org === undefined) continue;
      const had = current?.get(org.id);
      if (had?.role === m.role) continue;
      await putMember(deps, systemIn(org.id), {
        organisationId: org.id,
        email: m.email,
        role: m.role,
        entityId: had?.entityId ?? null,
      });
    }
  }
  const actor = await deps.store.transaction((tx) => accounts.actorOf(tx, userId));
  if (actor === undefined || (actor.memberships.size === 0 && !actor.platformAdmin))
    throw new AppError('APP_OIDC_REFUSED', {
      reason: 'no Empreinte organisation matches your account; ask an administrator',
    });
  return openSession(deps, userId);
}
