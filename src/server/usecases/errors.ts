/**
 * Errors the server's use cases throw: a stable code and details, no HTTP status (the edge maps codes to statuses in
 * src/server/problem.ts). When issue 10's application layer lands, these codes move to the issues catalogue.
 */
export const APP_CODES = {
  APP_UNAUTHENTICATED: 'Authentication is required.',
  APP_BAD_CREDENTIALS: 'The email or password is wrong.',
  APP_FORBIDDEN: 'Your role does not allow {action}.',
  APP_NOT_FOUND: '{kind} {id} does not exist.',
  APP_CONFLICT: '{kind} {name} already exists.',
  APP_CAMPAIGN_LOCKED: 'Campaign {id} is locked; an administrator must unlock it first.',
  APP_CSRF: 'A cookie-authenticated write needs a valid X-CSRF-Token header and a same-origin Origin.',
  APP_VALIDATION: 'The request is invalid.',
  APP_INVALID: '{reason}',
  APP_RATE_LIMITED: 'Too many requests; retry later.',
  APP_PAYLOAD_TOO_LARGE: 'The request body is too large.',
  APP_INTERNAL: 'Internal error.',
  APP_RESET_INVALID:
    'This password reset link is unknown, already used or expired; ask an administrator for a new one.',
  APP_OIDC_REFUSED: 'OpenID Connect sign-in refused: {reason}.',
  APP_UPLOAD_PURGED:
    "Upload {id} ({fileName}) was purged by the organisation's retention period: its raw file is gone, so the campaign cannot be re-assessed (its last results stay); upload the files into a new campaign to recompute.",
  APP_REFERENTIAL_REFUSED:
    'Referential refused, no usable row ({refused} refused): {code} at {file} line {line} column {column}: {reason}',
} as const;

export type AppCode = keyof typeof APP_CODES;
export type AppDetails = Readonly<Record<string, string | number>>;

export class AppError extends Error {
  constructor(
    readonly code: AppCode,
    readonly details: AppDetails = {},
  ) {
    super(appMessage(code, details));
    this.name = 'AppError';
  }
}

export function appMessage(code: AppCode, details: AppDetails): string {
  return APP_CODES[code].replace(/\{(\w+)\}/g, (_m, k: string) => String(details[k] ?? `{${k}}`));
}
