/**
 * Digital services of an organisation (issue 14): descriptions stored per organisation, one row per (name, version),
 * validated by the services schema on every write (a bad description is a 422 naming the field path), assessed on
 * demand (`footprint`: per functional unit, split terminals / network / datacenter, the other versions of the same
 * service side by side), and imported from G4IT's digital-service zip. Reading needs `campaign:read`, writing
 * `campaign:write` (the grants of the organisation's assessment work; a viewer reads, an editor writes).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { importG4itService } from '../../app/service-g4it.js';
import { assessDefinition, checkServiceDefinition, footprintOf, serviceReferential } from '../../app/services.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { StoredService } from '../../store/schema.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';

const Id = z.uuid();

export const ServiceBody = z
  .object({
    /** The description, as in a service YAML/JSON file (docs/services.md). */
    definition: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ServiceWrite' });

export const ServiceView = z
  .object({
    id: Id,
    organisationId: Id,
    name: z.string(),
    version: z.string(),
    definition: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Service' });

const Split = z
  .object({ total: z.number(), terminals: z.number(), network: z.number(), datacenter: z.number() })
  .meta({ id: 'ServiceTierSplit' });
const CriterionFootprint = z
  .object({ criterion: z.string(), unit: z.string(), perFunctionalUnit: Split, perYear: Split })
  .meta({ id: 'ServiceCriterionFootprint' });
const VersionFootprint = z
  .object({
    id: Id,
    version: z.string(),
    functionalUnit: z.object({ label: z.string(), perYear: z.number() }),
    model: z.string(),
    criteria: z.array(CriterionFootprint),
    warnings: z.array(z.object({ code: z.string(), column: z.string().optional() })),
  })
  .meta({ id: 'ServiceVersionFootprint' });
export const FootprintView = z
  .object({
    serviceId: Id,
    name: z.string(),
    version: z.string(),
    footprint: VersionFootprint,
    /** Every version of the service (this one included), oldest first, assessed the same way. */
    versions: z.array(VersionFootprint),
  })
  .meta({ id: 'ServiceFootprint' });

type ServiceOut = z.output<typeof ServiceView>;

const view = (r: StoredService): ServiceOut => ({
  id: r.id,
  organisationId: r.organisation_id,
  name: r.name,
  version: r.version,
  definition: JSON.parse(r.definition) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const inScope = <T>(deps: UseCaseDeps, actor: Actor, fn: (s: Scope) => Promise<T>): Promise<T> =>
  deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));

async function serviceOf(s: Scope, id: string): Promise<StoredService> {
  const r = await s.services.get(id);
  if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'service', id });
  return r;
}

async function audit(
  deps: UseCaseDeps,
  s: Scope,
  actor: Actor,
  r: { organisation_id: string; id: string },
  action: string,
  details: Record<string, unknown>,
) {
  await s.audit.append({
    id: deps.uuid(),
    organisation_id: r.organisation_id,
    actor_user_id: actor.userId,
    action,
    target_type: 'service',
    target_id: r.id,
    details: JSON.stringify(details),
    at: deps.clock.nowIso(),
  });
}

async function assertNoOtherVersion(s: Scope, organisationId: string, name: string, version: string, id?: string) {
  if ((await s.services.versions(organisationId, name)).some((v) => v.version === version && v.id !== id))
    throw new AppError('APP_CONFLICT', { kind: 'service', name: `${name} ${version}` });
}

export const listServices = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'campaign:read', input.organisationId);
    return (await s.services.list(input.organisationId)).map(view);
  });

export const getService = (deps: UseCaseDeps, actor: Actor, input: { serviceId: string }) =>
  inScope(deps, actor, async (s) => {
    const r = await serviceOf(s, input.serviceId);
    authorize(actor, 'campaign:read', r.organisation_id, 'service');
    return view(r);
  });

/** Store a checked description (`data`: as given, kept as given). */
async function insertService(
  deps: UseCaseDeps,
  actor: Actor,
  organisationId: string,
  data: Record<string, unknown>,
  action: string,
): Promise<ServiceOut> {
  authorize(actor, 'campaign:write', organisationId);
  const def = checkServiceDefinition(data);
  return inScope(deps, actor, async (s) => {
    authorize(actor, 'campaign:write', organisationId);
    await assertNoOtherVersion(s, organisationId, def.service, def.version);
    const now = deps.clock.nowIso();
    const row: StoredService = {
      id: deps.uuid(),
      organisation_id: organisationId,
      name: def.service,
      version: def.version,
      definition: JSON.stringify(data),
      created_at: now,
      updated_at: now,
    };
    await s.services.insert(row);
    await audit(deps, s, actor, row, action, { name: row.name, version: row.version });
    return view(row);
  });
}

export const createService = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & z.output<typeof ServiceBody>,
) => {
  // Not found before invalid: another organisation's id answers 404 whatever the body.
  if (!actor.memberships.has(input.organisationId))
    throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
  return insertService(deps, actor, input.organisationId, input.definition, 'service.create');
};

export const updateService = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { serviceId: string } & z.output<typeof ServiceBody>,
) =>
  inScope(deps, actor, async (s) => {
    const r = await serviceOf(s, input.serviceId);
    authorize(actor, 'campaign:write', r.organisation_id, 'service');
    const def = checkServiceDefinition(input.definition);
    await assertNoOtherVersion(s, r.organisation_id, def.service, def.version, r.id);
    const patch = {
      name: def.service,
      version: def.version,
      definition: JSON.stringify(input.definition),
      updated_at: deps.clock.nowIso(),
    };
    await s.services.update(r.id, patch);
    await audit(deps, s, actor, r, 'service.update', { name: patch.name, version: patch.version });
    return view({ ...r, ...patch });
  });

export const deleteService = (deps: UseCaseDeps, actor: Actor, input: { serviceId: string }) =>
  inScope(deps, actor, async (s) => {
    const r = await serviceOf(s, input.serviceId);
    authorize(actor, 'campaign:write', r.organisation_id, 'service');
    await s.services.delete(r.id);
    await audit(deps, s, actor, r, 'service.delete', { name: r.name, version: r.version });
    return null;
  });

/** The service assessed, and every version of it (same name) assessed the same way. */
export async function serviceFootprint(
  deps: UseCaseDeps,
  actor: Actor,
  input: { serviceId: string },
): Promise<z.output<typeof FootprintView>> {
  const { row, versions } = await inScope(deps, actor, async (s) => {
    const r = await serviceOf(s, input.serviceId);
    authorize(actor, 'campaign:read', r.organisation_id, 'service');
    return { row: r, versions: await s.services.versions(r.organisation_id, r.name) };
  });
  const assess = async (r: StoredService) => ({
    id: r.id,
    version: r.version,
    ...footprintOf(await assessDefinition(checkServiceDefinition(JSON.parse(r.definition), `service ${r.id}`))),
  });
  const all = [];
  for (const v of versions) all.push(await assess(v));
  const own = all.find((v) => v.id === row.id) ?? (await assess(row));
  return { serviceId: row.id, name: row.name, version: row.version, footprint: own, versions: all };
}

/** A multipart request without its `file` part. */
export class MissingFile extends AppError {
  constructor() {
    super('APP_INVALID', { reason: 'a multipart `file` part is required' });
  }
}

/** Upload names kept (no folder part); the size is bounded by the server's upload limit while reading. */
export const IMPORT_FILE_NAME = /^[^/\\\0]{1,200}$/;

/** A G4IT digital-service zip (multipart `file`, optional field `name`) stored as a service of the organisation. */
export async function importService(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string; fileName: string; content: Buffer; name?: string },
): Promise<ServiceOut> {
  if (!actor.memberships.has(input.organisationId))
    throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
  authorize(actor, 'campaign:write', input.organisationId);
  if (!IMPORT_FILE_NAME.test(input.fileName)) throw new AppError('APP_INVALID', { reason: 'invalid file name' });
  const work = await mkdtemp(join(tmpdir(), 'empreinte-service-import-'));
  try {
    const path = join(work, 'upload.zip');
    await writeFile(path, input.content);
    const { document } = await importG4itService({
      path,
      file: input.fileName,
      referential: await serviceReferential('numecoeval'),
      ...(input.name !== undefined && input.name.trim() !== '' ? { service: input.name.trim() } : {}),
    });
    return await insertService(deps, actor, input.organisationId, document, 'service.import');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
