/**
 * What the `empreinte admin` commands do, as the system (a platform-administrator actor with no user): create an
 * organisation, create or update a user's membership (or a platform administrator), create an API token for a user.
 */
import { accounts } from '../../store/accounts.js';
import type { Actor } from '../../store/scoped.js';
import type { Role } from '../../store/schema.js';
import { generatePassword, hashPassword } from './crypto.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { createOrganisation, putMember } from './organisations.js';
import { createToken } from './tokens.js';

const SYSTEM: Actor = { userId: null, platformAdmin: true, memberships: new Map() };
const systemIn = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: true,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

export const adminCreateOrganisation = (deps: UseCaseDeps, name: string) => createOrganisation(deps, SYSTEM, { name });

/** The organisation named `ref` or whose id is `ref`. */
async function organisationRef(deps: UseCaseDeps, ref: string) {
  const byName = await deps.store.transaction((tx) => accounts.organisationByName(tx, ref));
  if (byName) return byName.id;
  const byId = await deps.store.transaction((tx) => accounts.organisationById(tx, ref));
  if (byId) return byId.id;
  throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: ref });
}

export interface CreateUserInput {
  readonly email: string;
  readonly organisation?: string;
  readonly role?: Role;
  readonly platformAdmin?: boolean;
  /** Absent: a password is generated and returned (for a new account). */
  readonly password?: string;
}

/** Creates the account if needed (a given password also resets an existing account's) and sets the membership. */
export async function adminCreateUser(
  deps: UseCaseDeps,
  input: CreateUserInput,
): Promise<{ userId: string; password: string | null }> {
  const email = input.email.toLowerCase();
  if (input.organisation === undefined && !input.platformAdmin)
    throw new AppError('APP_INVALID', { reason: 'give --organisation and --role, or --platform-admin' });
  if (input.organisation !== undefined && input.role === undefined)
    throw new AppError('APP_INVALID', { reason: '--role is required with --organisation' });
  let generated: string | null = null;
  const userId = await deps.store.transaction(async (tx) => {
    const existing = await accounts.userByEmail(tx, email);
    if (existing !== undefined) {
      if (input.password !== undefined) await accounts.setPassword(tx, existing.id, await hashPassword(input.password));
      if (input.platformAdmin) await accounts.setPlatformAdmin(tx, existing.id);
      return existing.id;
    }
    const password = input.password ?? (generated = generatePassword());
    const id = deps.uuid();
    await accounts.insertUser(tx, {
      id,
      email,
      password_hash: await hashPassword(password),
      platform_admin: input.platformAdmin ? 1 : 0,
      created_at: deps.clock.nowIso(),
    });
    return id;
  });
  if (input.organisation !== undefined && input.role !== undefined) {
    const organisationId = await organisationRef(deps, input.organisation);
    await putMember(deps, systemIn(organisationId), { organisationId, email, role: input.role, entityId: null });
  }
  return { userId, password: generated };
}

export async function adminCreateToken(
  deps: UseCaseDeps,
  input: { email: string; name: string; expiresInDays: number | null },
): Promise<string> {
  const user = await deps.store.transaction((tx) => accounts.userByEmail(tx, input.email.toLowerCase()));
  if (user === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'user', id: input.email });
  const actor = (await deps.store.transaction((tx) => accounts.actorOf(tx, user.id)))!;
  return (await createToken(deps, actor, { name: input.name, expiresInDays: input.expiresInDays })).token;
}
