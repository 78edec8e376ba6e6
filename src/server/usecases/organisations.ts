/**
 * Use cases on an organisation's own data: the organisation, its entities, members, campaigns and audit log. Each is
 * a plain function (deps, actor, input): it reads through the actor's scope (other organisations' rows are absent →
 * APP_NOT_FOUND), checks the role (→ APP_FORBIDDEN), writes, and appends to the audit log in the same transaction.
 */
import type { z } from 'zod';
import { accounts } from '../../store/accounts.js';
import type { Tx } from '../../store/open.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { Campaign, Entity, Role } from '../../store/schema.js';
import { generatePassword, hashPassword } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { checkPin } from './referential-runs.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import type {
  AuditView,
  CampaignInput,
  CampaignPatch,
  CampaignView,
  EntityInput,
  EntityPatch,
  EntityView,
  MemberCreated,
  MemberInput,
  MemberView,
  OrganisationInput,
  OrganisationView,
} from './schemas.js';

type Out<T extends z.ZodType> = z.output<T>;

const entityView = (e: Entity): Out<typeof EntityView> => ({
  id: e.id,
  organisationId: e.organisation_id,
  parentId: e.parent_id,
  name: e.name,
  headcount: e.headcount,
  createdAt: e.created_at,
});
export const campaignView = (c: Campaign): Out<typeof CampaignView> => ({
  id: c.id,
  organisationId: c.organisation_id,
  name: c.name,
  referenceDate: c.reference_date,
  profile: c.profile,
  referentialId: c.referential_id,
  referentialHash: c.referential_hash,
  locked: c.locked === 1,
  createdAt: c.created_at,
});

async function audit(
  deps: UseCaseDeps,
  s: Scope,
  actor: Actor,
  organisationId: string,
  action: string,
  target: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await s.audit.append({
    id: deps.uuid(),
    organisation_id: organisationId,
    actor_user_id: actor.userId,
    action,
    target_type: target.type,
    target_id: target.id,
    details: JSON.stringify(details),
    at: deps.clock.nowIso(),
  });
}

const inScope = <T>(deps: UseCaseDeps, actor: Actor, fn: (s: Scope, tx: Tx) => Promise<T>): Promise<T> =>
  deps.store.transaction(async (tx) => fn(await scoped(tx, actor), tx));

// ---- organisations ----

/** A platform administrator (or an admin command) creates an organisation, optionally naming its first admin. */
export async function createOrganisation(
  deps: UseCaseDeps,
  actor: Actor,
  input: Out<typeof OrganisationInput>,
): Promise<Out<typeof OrganisationView> & { adminPassword: string | null }> {
  if (!actor.platformAdmin) throw new AppError('APP_FORBIDDEN', { action: 'organisation:create' });
  return deps.store.transaction(async (tx) => {
    if (await accounts.organisationByName(tx, input.name))
      throw new AppError('APP_CONFLICT', { kind: 'organisation', name: input.name });
    const org = { id: deps.uuid(), name: input.name, created_at: deps.clock.nowIso() };
    await accounts.insertOrganisation(tx, org);
    let adminPassword: string | null = null;
    if (input.adminEmail !== undefined) {
      const r = await ensureUser(deps, tx, input.adminEmail);
      adminPassword = r.password;
      await accounts.insertMembership(tx, {
        organisation_id: org.id,
        user_id: r.id,
        role: 'admin',
        entity_id: null,
        created_at: deps.clock.nowIso(),
      });
    }
    return { id: org.id, name: org.name, createdAt: org.created_at, adminPassword };
  });
}

export const getOrganisation = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s): Promise<Out<typeof OrganisationView>> => {
    const o = await s.organisations.get(input.organisationId);
    if (o === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
    authorize(actor, 'organisation:read', o.id);
    return { id: o.id, name: o.name, createdAt: o.created_at };
  });

export const listOrganisations = (deps: UseCaseDeps, actor: Actor) =>
  inScope(deps, actor, async (s) =>
    (await s.organisations.list()).map((o) => ({ id: o.id, name: o.name, createdAt: o.created_at })),
  );

// ---- entities ----

export const listEntities = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'entity:read', input.organisationId);
    return (await s.entities.list(input.organisationId)).map(entityView);
  });

export const getEntity = (deps: UseCaseDeps, actor: Actor, input: { entityId: string }) =>
  inScope(deps, actor, async (s) => {
    const e = await s.entities.get(input.entityId);
    if (e === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'entity', id: input.entityId });
    authorize(actor, 'entity:read', e.organisation_id, 'entity');
    return entityView(e);
  });

/** The parent must be a visible entity of the same organisation; a subtree-restricted member cannot add a root. */
async function checkParent(s: Scope, organisationId: string, parentId: string | null): Promise<void> {
  if (parentId !== null) {
    const p = await s.entities.get(parentId);
    if (p === undefined || p.organisation_id !== organisationId)
      throw new AppError('APP_NOT_FOUND', { kind: 'entity', id: parentId });
  } else if (!s.canSeeEntity(organisationId, null)) {
    throw new AppError('APP_FORBIDDEN', { action: 'entity:write (organisation root)' });
  }
}

export const createEntity = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & Out<typeof EntityInput>,
) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'entity:write', input.organisationId);
    await checkParent(s, input.organisationId, input.parentId);
    const row = {
      id: deps.uuid(),
      organisation_id: input.organisationId,
      parent_id: input.parentId,
      name: input.name,
      headcount: input.headcount,
      created_at: deps.clock.nowIso(),
    };
    await s.entities.insert(row);
    await audit(
      deps,
      s,
      actor,
      input.organisationId,
      'entity.create',
      { type: 'entity', id: row.id },
      { name: row.name },
    );
    return entityView(row);
  });

export const updateEntity = (deps: UseCaseDeps, actor: Actor, input: { entityId: string } & Out<typeof EntityPatch>) =>
  inScope(deps, actor, async (s) => {
    const e = await s.entities.get(input.entityId);
    if (e === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'entity', id: input.entityId });
    authorize(actor, 'entity:write', e.organisation_id, 'entity');
    if (input.parentId !== undefined) {
      await checkParent(s, e.organisation_id, input.parentId);
      if (input.parentId === e.id) throw new AppError('APP_INVALID', { reason: 'an entity cannot be its own parent' });
    }
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      ...(input.headcount !== undefined ? { headcount: input.headcount } : {}),
    };
    if (Object.keys(patch).length > 0) await s.entities.update(e.id, patch);
    await audit(deps, s, actor, e.organisation_id, 'entity.update', { type: 'entity', id: e.id }, patch);
    return entityView({ ...e, ...patch });
  });

export const deleteEntity = (deps: UseCaseDeps, actor: Actor, input: { entityId: string }) =>
  inScope(deps, actor, async (s) => {
    const e = await s.entities.get(input.entityId);
    if (e === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'entity', id: input.entityId });
    authorize(actor, 'entity:write', e.organisation_id, 'entity');
    await s.entities.delete(e.id);
    await audit(deps, s, actor, e.organisation_id, 'entity.delete', { type: 'entity', id: e.id }, { name: e.name });
  });

// ---- users and memberships ----

/** The user with this email, created with a generated password when absent (the password is returned once). */
async function ensureUser(deps: UseCaseDeps, tx: Tx, email: string, password?: string) {
  const existing = await accounts.userByEmail(tx, email);
  if (existing !== undefined) return { id: existing.id, password: null };
  const pw = password ?? generatePassword();
  const id = deps.uuid();
  await accounts.insertUser(tx, {
    id,
    email,
    password_hash: await hashPassword(pw),
    platform_admin: 0,
    created_at: deps.clock.nowIso(),
  });
  return { id, password: password === undefined ? pw : null };
}

export const listMembers = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s): Promise<Out<typeof MemberView>[]> => {
    authorize(actor, 'member:read', input.organisationId);
    return (await s.members.list(input.organisationId)).map((m) => ({
      userId: m.user_id,
      email: m.email,
      role: m.role,
      entityId: m.entity_id,
    }));
  });

/** Adds a member (creating the account when the email is new) or changes their role. */
export const putMember = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & Out<typeof MemberInput>,
  password?: string,
) =>
  inScope(deps, actor, async (s, tx): Promise<Out<typeof MemberCreated>> => {
    authorize(actor, 'member:manage', input.organisationId);
    // A member restricted to a subtree grants only memberships inside it (never a wider one, nor their own widening).
    if (input.entityId === null && !s.canSeeEntity(input.organisationId, null))
      throw new AppError('APP_FORBIDDEN', { action: 'member:manage (whole organisation)' });
    if (input.entityId !== null) {
      const e = await s.entities.get(input.entityId);
      if (e === undefined || e.organisation_id !== input.organisationId)
        throw new AppError('APP_NOT_FOUND', { kind: 'entity', id: input.entityId });
    }
    const u = await ensureUser(deps, tx, input.email, password);
    await s.members.upsert({
      organisation_id: input.organisationId,
      user_id: u.id,
      role: input.role,
      entity_id: input.entityId,
      created_at: deps.clock.nowIso(),
    });
    await audit(deps, s, actor, input.organisationId, 'member.put', { type: 'user', id: u.id }, { role: input.role });
    return {
      userId: u.id,
      email: input.email,
      role: input.role,
      entityId: input.entityId,
      initialPassword: u.password,
    };
  });

export const removeMember = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string; userId: string }) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'member:manage', input.organisationId);
    const target = await s.members.get(input.organisationId, input.userId);
    if (target === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'member', id: input.userId });
    if (!s.canSeeEntity(input.organisationId, target.entity_id))
      throw new AppError('APP_FORBIDDEN', { action: 'member:manage (outside your entities)' });
    const r = await s.members.delete(input.organisationId, input.userId);
    if (Number(r.numDeletedRows) === 0) throw new AppError('APP_NOT_FOUND', { kind: 'member', id: input.userId });
    await audit(deps, s, actor, input.organisationId, 'member.remove', { type: 'user', id: input.userId });
  });

// ---- campaigns ----

export const listCampaigns = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'campaign:read', input.organisationId);
    return (await s.campaigns.list(input.organisationId)).map(campaignView);
  });

async function campaignOf(s: Scope, id: string): Promise<Campaign> {
  const c = await s.campaigns.get(id);
  if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id });
  return c;
}

export const getCampaign = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) =>
  inScope(deps, actor, async (s) => {
    const c = await campaignOf(s, input.campaignId);
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    return campaignView(c);
  });

export const createCampaign = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & Out<typeof CampaignInput>,
) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'campaign:write', input.organisationId);
    if ((await s.campaigns.list(input.organisationId)).some((c) => c.name === input.name))
      throw new AppError('APP_CONFLICT', { kind: 'campaign', name: input.name });
    const row: Campaign = {
      id: deps.uuid(),
      organisation_id: input.organisationId,
      name: input.name,
      reference_date: input.referenceDate,
      profile: input.profile,
      referential_id: input.referentialId,
      referential_hash: input.referentialHash,
      locked: 0,
      created_at: deps.clock.nowIso(),
    };
    await s.campaigns.insert(row);
    await audit(
      deps,
      s,
      actor,
      row.organisation_id,
      'campaign.create',
      { type: 'campaign', id: row.id },
      {
        name: row.name,
      },
    );
    return campaignView(row);
  });

/** A locked campaign refuses every write but unlock (APP_CAMPAIGN_LOCKED). */
export function assertUnlocked(c: Campaign): void {
  if (c.locked === 1) throw new AppError('APP_CAMPAIGN_LOCKED', { id: c.id });
}

export const updateCampaign = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & Out<typeof CampaignPatch>,
) =>
  inScope(deps, actor, async (s) => {
    const c = await campaignOf(s, input.campaignId);
    authorize(actor, 'campaign:write', c.organisation_id, 'campaign');
    assertUnlocked(c);
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.profile !== undefined ? { profile: input.profile } : {}),
    };
    if (Object.keys(patch).length > 0) await s.campaigns.update(c.id, patch);
    const pin =
      input.referentialId === undefined ? {} : { referential_id: input.referentialId, referential_hash: null };
    if (input.referentialId !== undefined) {
      if (input.referentialId !== null) await checkPin(s, c.organisation_id, input.referentialId);
      await s.orgReferentials.pin(c.id, input.referentialId, null);
    }
    await audit(
      deps,
      s,
      actor,
      c.organisation_id,
      'campaign.update',
      { type: 'campaign', id: c.id },
      {
        ...patch,
        ...(input.referentialId !== undefined ? { referentialId: input.referentialId } : {}),
      },
    );
    return campaignView({ ...c, ...patch, ...pin });
  });

export const setCampaignLock = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string; locked: boolean }) =>
  inScope(deps, actor, async (s) => {
    const c = await campaignOf(s, input.campaignId);
    authorize(actor, 'campaign:lock', c.organisation_id, 'campaign');
    await s.campaigns.setLocked(c.id, input.locked);
    await audit(deps, s, actor, c.organisation_id, input.locked ? 'campaign.lock' : 'campaign.unlock', {
      type: 'campaign',
      id: c.id,
    });
    return campaignView({ ...c, locked: input.locked ? 1 : 0 });
  });

// ---- audit log ----

export const listAudit = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string; limit: number }) =>
  inScope(deps, actor, async (s): Promise<Out<typeof AuditView>[]> => {
    authorize(actor, 'audit:read', input.organisationId);
    return (await s.audit.list(input.organisationId, input.limit)).map((a) => ({
      id: a.id,
      actorUserId: a.actor_user_id,
      action: a.action,
      targetType: a.target_type,
      targetId: a.target_id,
      details: JSON.parse(a.details) as Record<string, unknown>,
      at: a.at,
    }));
  });

export type { Role };
