/**
 * RFC 9457 problem details: every error the API answers is `application/problem+json` with the issue code. Codes map
 * to statuses in one table, complete by type.
 */
import { z } from 'zod';
import { EmpreinteError, issueMessage } from '../issues/catalogue.js';
import type { SteeringError } from '../steering/errors.js';
import { APP_CODES, appMessage, type AppCode, type AppDetails } from './usecases/errors.js';

export const HTTP_STATUS: { readonly [C in AppCode]: number } = {
  APP_UNAUTHENTICATED: 401,
  APP_BAD_CREDENTIALS: 401,
  APP_FORBIDDEN: 403,
  APP_NOT_FOUND: 404,
  APP_CONFLICT: 409,
  APP_CAMPAIGN_LOCKED: 409,
  APP_CSRF: 403,
  APP_VALIDATION: 400,
  APP_INVALID: 422,
  APP_RATE_LIMITED: 429,
  APP_PAYLOAD_TOO_LARGE: 413,
  APP_INTERNAL: 500,
  APP_OIDC_REFUSED: 401,
  APP_RESET_INVALID: 400,
  APP_UPLOAD_PURGED: 409,
  APP_REFERENTIAL_REFUSED: 422,
};

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string(),
    detail: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    instance: z.string().optional(),
  })
  .meta({ id: 'Problem' });
export type ProblemBody = z.output<typeof Problem>;

const TYPE_BASE = 'https://empreinte.dev/problems/';

export function problem(code: AppCode, details: AppDetails, instance?: string, extra?: unknown): ProblemBody {
  return {
    type: TYPE_BASE + code,
    title: APP_CODES[code].replace(/\{\w+\}/g, '…'),
    status: HTTP_STATUS[code],
    code,
    detail: appMessage(code, details),
    details: extra === undefined ? { ...details } : { ...details, issues: extra },
    ...(instance !== undefined ? { instance } : {}),
  };
}

/** A domain error from the engine or the inventory readers: 422 with its own issue code. */
export function domainProblem(e: EmpreinteError, instance?: string): ProblemBody {
  return {
    type: TYPE_BASE + e.issue.code,
    title: e.issue.code,
    status: 422,
    code: e.issue.code,
    detail: issueMessage(e.issue),
    details: { ...e.issue.details },
    ...(instance !== undefined ? { instance } : {}),
  };
}

/**
 * A bad scenario, target or lever (the steering core's coded error): 400 with its own code (`STR_SHARE_RANGE`…), the
 * field path and the allowed values, and every issue found (nothing is computed from a half-valid input).
 */
export function steeringProblem(e: SteeringError, instance?: string): ProblemBody {
  return {
    type: TYPE_BASE + e.code,
    title: e.code,
    status: 400,
    code: e.code,
    detail: e.message,
    details: {
      path: e.path,
      ...(e.allowed !== undefined ? { allowed: [...e.allowed] } : {}),
      issues: e.issues.map((i) => ({
        code: i.code,
        path: i.path,
        message: i.message,
        ...(i.allowed !== undefined ? { allowed: [...i.allowed] } : {}),
      })),
    },
    ...(instance !== undefined ? { instance } : {}),
  };
}
