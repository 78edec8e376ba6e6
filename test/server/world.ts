/** A small world for server tests: two organisations, a member of each role, a platform admin, API tokens. */
import { randomUUID } from 'node:crypto';
import { accounts } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/open.js';
import type { Actor } from '../../src/store/scoped.js';
import type { Role } from '../../src/store/schema.js';
import { hashPassword } from '../../src/server/usecases/crypto.js';
import type { Clock, UseCaseDeps } from '../../src/server/usecases/deps.js';
import * as org from '../../src/server/usecases/organisations.js';
import { createToken } from '../../src/server/usecases/tokens.js';

export const PASSWORD = 'correct horse battery staple';

export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2026-12-06T12:00:00Z')) {}
  /** Each reading advances the clock by 1 ms, so entries written in sequence have distinct, ordered times. */
  nowIso(): string {
    return new Date(this.ms++).toISOString();
  }
  nowMs(): number {
    return this.ms;
  }
}

export function depsFor(store: Store, clock: Clock = new FakeClock()): UseCaseDeps {
  return {
    store,
    clock,
    uuid: () => randomUUID(),
    serverSecret: 'test-server-secret-0123456789abcdef0123456789',
    sessionTtlMs: 8 * 3600_000,
  };
}

export const SYSTEM: Actor = { userId: null, platformAdmin: true, memberships: new Map() };

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly token: string;
  readonly actor: Actor;
}

export interface World {
  readonly deps: UseCaseDeps;
  readonly orgA: string;
  readonly orgB: string;
  readonly a: Readonly<Record<Role, Member>>;
  readonly bAdmin: Member;
  readonly platform: Member;
  actorOf(userId: string): Promise<Actor>;
}

export const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

export async function makeWorld(deps: UseCaseDeps): Promise<World> {
  const orgA = (await org.createOrganisation(deps, SYSTEM, { name: unique('Org A') })).id;
  const orgB = (await org.createOrganisation(deps, SYSTEM, { name: unique('Org B') })).id;
  const actorOf = async (userId: string) => (await deps.store.transaction((tx) => accounts.actorOf(tx, userId)))!;
  const member = async (orgId: string, role: Role): Promise<Member> => {
    const sys: Actor = {
      userId: null,
      platformAdmin: true,
      memberships: new Map([[orgId, { role: 'admin', entityId: null }]]),
    };
    const email = `${unique(role)}@example.org`;
    const m = await org.putMember(deps, sys, { organisationId: orgId, email, role, entityId: null }, PASSWORD);
    const actor = await actorOf(m.userId);
    const t = await createToken(deps, actor, { name: 'test', expiresInDays: 30 });
    return { id: m.userId, email, token: t.token, actor };
  };
  const a = {
    admin: await member(orgA, 'admin'),
    editor: await member(orgA, 'editor'),
    viewer: await member(orgA, 'viewer'),
  };
  const bAdmin = await member(orgB, 'admin');
  const pid = randomUUID();
  const email = `${unique('platform')}@example.org`;
  await deps.store.transaction(async (tx) =>
    accounts.insertUser(tx, {
      id: pid,
      email,
      password_hash: await hashPassword(PASSWORD),
      platform_admin: 1,
      created_at: deps.clock.nowIso(),
    }),
  );
  const pActor = await actorOf(pid);
  const pt = await createToken(deps, pActor, { name: 'platform', expiresInDays: null });
  return { deps, orgA, orgB, a, bAdmin, platform: { id: pid, email, token: pt.token, actor: pActor }, actorOf };
}

/** A multipart/form-data body with text fields then one `file` part, for `app.inject`. */
export function multipartFile(fileName: string, content: string, fields: Record<string, string> = {}) {
  const boundary = `----empreinte${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`,
  );
  return {
    payload: parts.join('') + `--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
