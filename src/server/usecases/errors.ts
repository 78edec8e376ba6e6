/**
 * Errors the server's use cases throw: a stable code and details, no HTTP status (the edge maps codes to statuses in
 * src/server/problem.ts). The codes and their messages live in the one issues catalogue (src/issues/catalogue.ts,
 * `APP_*`, French in messages-fr.ts); `APP_CODES` is its `APP_*` part, for the problem details' titles.
 */
import { CATALOGUE, issueMessage, type IssueCode } from '../../issues/catalogue.js';

export type AppCode = Extract<IssueCode, `APP_${string}`>;

export const APP_CODES: { readonly [C in AppCode]: string } = Object.fromEntries(
  Object.entries(CATALOGUE)
    .filter(([code]) => code.startsWith('APP_'))
    .map(([code, e]) => [code, e.message]),
) as { readonly [C in AppCode]: string };

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

/** The English message of an application error, rendered like every issue of the catalogue. */
export function appMessage(code: AppCode, details: AppDetails): string {
  return issueMessage({ code, severity: CATALOGUE[code].severity, details });
}
