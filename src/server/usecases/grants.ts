/**
 * "May this role do this action in its organisation?" — one table. "Which rows may this caller see?" is the store's
 * scope (src/store/scoped.ts). An organisation the actor does not belong to answers not found, never forbidden.
 */
import type { Actor } from '../../store/scoped.js';
import type { Role } from '../../store/schema.js';
import { AppError } from './errors.js';

export const ACTIONS = [
  'organisation:read',
  'entity:read',
  'entity:write',
  'member:read',
  'member:manage',
  'campaign:read',
  'campaign:write',
  'campaign:lock',
  'audit:read',
  'organisation:export',
  'organisation:delete',
  'organisation:settings',
] as const;
export type Action = (typeof ACTIONS)[number];

const VIEWER = ['organisation:read', 'entity:read', 'member:read', 'campaign:read'] as const;
const EDITOR = [...VIEWER, 'campaign:write'] as const;

export const GRANTS: { readonly [R in Role]: readonly Action[] } = {
  viewer: VIEWER,
  editor: EDITOR,
  admin: [
    ...EDITOR,
    'entity:write',
    'member:manage',
    'campaign:lock',
    'audit:read',
    'organisation:export',
    'organisation:delete',
    'organisation:settings',
  ],
};

export function can(actor: Actor, action: Action, organisationId: string): boolean {
  const m = actor.memberships.get(organisationId);
  return m !== undefined && GRANTS[m.role].includes(action);
}

/** Throws APP_NOT_FOUND outside the actor's organisations, APP_FORBIDDEN when the role lacks the action. */
export function authorize(actor: Actor, action: Action, organisationId: string, kind = 'organisation'): void {
  if (!actor.memberships.has(organisationId)) throw new AppError('APP_NOT_FOUND', { kind, id: organisationId });
  if (!can(actor, action, organisationId)) throw new AppError('APP_FORBIDDEN', { action });
}
