/**
 * Inputs and views of the server's use cases: validated at the HTTP edge and in admin commands, and the source of the
 * OpenAPI document. Views carry no transforms (they would vanish from the document); use cases map rows to views.
 */
import { z } from 'zod';

export const Id = z.uuid();
export const RoleSchema = z.enum(['admin', 'editor', 'viewer']);
const Email = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());

export const LoginInput = z
  .object({ email: Email, password: z.string().min(1).max(1024) })
  .meta({ id: 'LoginRequest' });
export const PasswordResetInput = z
  .object({
    token: z.string().min(1).max(200),
    password: z.string().min(12, 'a password needs at least 12 characters').max(1024),
  })
  .meta({ id: 'PasswordResetRequest' });
export const OrganisationInput = z
  .object({ name: z.string().trim().min(1).max(200), adminEmail: Email.optional() })
  .meta({ id: 'OrganisationCreate' });
export const EntityInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    parentId: Id.nullable().default(null),
    headcount: z.int().min(0).max(10_000_000).nullable().default(null),
  })
  .meta({ id: 'EntityCreate' });
export const EntityPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    parentId: Id.nullable().optional(),
    headcount: z.int().min(0).max(10_000_000).nullable().optional(),
  })
  .meta({ id: 'EntityPatch' });
export const MemberInput = z
  .object({ email: Email, role: RoleSchema, entityId: Id.nullable().default(null) })
  .meta({ id: 'MemberPut' });
export const TokenInput = z
  .object({ name: z.string().trim().min(1).max(100), expiresInDays: z.int().min(1).max(3650).nullable().default(90) })
  .meta({ id: 'TokenCreate' });
export const CampaignInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    referenceDate: z.iso.date(),
    profile: z.string().trim().min(1).max(100).default('default'),
    referentialId: z.string().max(200).nullable().default(null),
    referentialHash: z.string().max(200).nullable().default(null),
  })
  .meta({ id: 'CampaignCreate' });
export const CampaignPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    profile: z.string().trim().min(1).max(100).optional(),
    referentialId: Id.nullable()
      .optional()
      .describe('An organisation referential version to layer over the default pack; null: the default pack alone.'),
  })
  .meta({ id: 'CampaignPatch' });

export const OrganisationView = z
  .object({ id: Id, name: z.string(), createdAt: z.string() })
  .meta({ id: 'Organisation' });
export const EntityView = z
  .object({
    id: Id,
    organisationId: Id,
    parentId: Id.nullable(),
    name: z.string(),
    headcount: z.int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Entity' });
export const MemberView = z
  .object({ userId: Id, email: z.string(), role: RoleSchema, entityId: Id.nullable() })
  .meta({ id: 'Member' });
export const MemberCreated = MemberView.extend({
  initialPassword: z.string().nullable().describe('Shown once when the account was created, else null.'),
}).meta({ id: 'MemberCreated' });
export const MeView = z
  .object({
    userId: Id,
    email: z.string(),
    platformAdmin: z.boolean(),
    memberships: z.array(z.object({ organisationId: Id, role: RoleSchema, entityId: Id.nullable() })),
    csrfToken: z.string().nullable().describe('For cookie sessions: send it back in X-CSRF-Token on writes.'),
  })
  .meta({ id: 'Me' });
export const TokenView = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Token' });
export const TokenCreated = TokenView.extend({ token: z.string().describe('Shown once; only its hash is kept.') }).meta(
  {
    id: 'TokenCreated',
  },
);
export const CampaignView = z
  .object({
    id: Id,
    organisationId: Id,
    name: z.string(),
    referenceDate: z.string(),
    profile: z.string(),
    referentialId: z.string().nullable(),
    referentialHash: z.string().nullable(),
    locked: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Campaign' });
export const AuditView = z
  .object({
    id: Id,
    actorUserId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    at: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export const UploadIssueView = z
  .object({ code: z.string(), severity: z.string(), message: z.string(), line: z.number().optional() })
  .meta({ id: 'UploadIssue' });
export const UploadReportView = z
  .object({
    ok: z.boolean(),
    read: z.number().int(),
    imported: z.number().int(),
    rejected: z.number().int(),
    warnings: z.number().int(),
    kind: z.string().optional(),
    format: z.string().optional(),
    fileError: UploadIssueView.optional(),
    issues: z.array(UploadIssueView),
  })
  .meta({ id: 'UploadReport' });
export const UploadView = z
  .object({
    id: Id,
    campaignId: Id,
    fileName: z.string(),
    mapping: z.string().nullable(),
    size: z.number().int(),
    status: z.enum(['valid', 'invalid']),
    report: UploadReportView,
    createdAt: z.string(),
  })
  .meta({ id: 'Upload' });

/** The F21 range of one criterion's total or change (`CriterionRange` of src/app/steering/uncertainty.ts). */
export const CriterionRangeView = z
  .object({
    criterion: z.string(),
    unit: z.string(),
    range: z.object({
      nominal: z.number().describe('The value without uncertainty (Σ S_f).'),
      p5: z.number(),
      p50: z.number(),
      p95: z.number(),
      draws: z.int(),
      variance: z.number().describe('Closed form: Σ S_f² Var(M_f) + the activity variance.'),
      activityVariance: z.number(),
      topFactors: z
        .array(z.object({ id: z.string(), sum: z.number(), variance: z.number(), share: z.number() }))
        .describe('The (at most) five factors contributing most to the variance, largest first.'),
    }),
  })
  .meta({ id: 'CriterionRange' });
