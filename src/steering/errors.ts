/**
 * Coded errors of the steering core. Every bad input names the field path and, where it is a choice, the allowed
 * values; nothing is computed from a half-valid input (the functions validate everything before computing).
 */

export const STEERING_ERROR_CODES = [
  'STR_TARGET_YEAR_BEFORE_BASELINE',
  'STR_REDUCTION_RANGE',
  'STR_BASELINE_VALUE',
  'STR_BUDGET_RANGE',
  'STR_YEAR',
  'STR_DUPLICATE_YEAR',
  'STR_CAMPAIGN_VALUE',
  'STR_CONFIDENCE_RANGE',
  'STR_SHAPE',
  'STR_FACTOR_RANGE',
  'STR_FACTOR_MISSING',
  'STR_DUPLICATE_KEY',
  'STR_CRITERION_MISSING',
  'STR_VALUE_RANGE',
  'STR_UNCERTAINTY_RANGE',
  'STR_TRIANGULAR_BOUNDS',
  'STR_DRAWS_RANGE',
  'STR_SEED_FORMAT',
  'STR_SHARE_RANGE',
  'STR_LIFETIME_NEGATIVE',
  'STR_LIFETIME_UNKNOWN',
  'STR_PUE_RANGE',
  'STR_UNKNOWN_TYPE',
  'STR_UNKNOWN_STATUS',
  'STR_UNKNOWN_DATACENTER',
  'STR_UNKNOWN_COUNTRY',
  'STR_UNKNOWN_LEVER',
  'STR_LEVER_SHAPE',
  'STR_AGENTS_UNKNOWN',
  'STR_DEVICES_PER_AGENT_NO_ROWS',
  'STR_SCENARIO_FIELD',
  'STR_FIELD',
] as const;
export type SteeringErrorCode = (typeof STEERING_ERROR_CODES)[number];
const CODES: ReadonlySet<string> = new Set(STEERING_ERROR_CODES);

export interface SteeringIssue {
  readonly code: SteeringErrorCode;
  /** Field path, dot-separated (`levers.1.replace.share`, `target.reduction`, `campaigns.2.year`). */
  readonly path: string;
  readonly message: string;
  /** The allowed values, when the field is a choice or a range (`0 ≤ share ≤ 1`, `Laptop, Desktop…`). */
  readonly allowed?: readonly string[];
}

/** A bad input of the steering core: carries its first issue (code, path, allowed values) and all the issues found. */
export class SteeringError extends Error {
  readonly code: SteeringErrorCode;
  readonly path: string;
  readonly allowed: readonly string[] | undefined;
  readonly issues: readonly SteeringIssue[];

  constructor(issue: SteeringIssue, all?: readonly SteeringIssue[]) {
    const allowed = issue.allowed && issue.allowed.length > 0 ? ` (allowed: ${issue.allowed.join(', ')})` : '';
    super(`${issue.code} at ${issue.path || '(root)'}: ${issue.message}${allowed}`);
    this.name = 'SteeringError';
    this.code = issue.code;
    this.path = issue.path;
    this.allowed = issue.allowed;
    this.issues = all && all.length > 0 ? all : [issue];
  }
}

/** Throws the first issue (with all of them attached) when there is any. */
export function throwIfAny(issues: readonly SteeringIssue[]): void {
  const first = issues[0];
  if (first !== undefined) throw new SteeringError(first, issues);
}

/** Throws the first issue (with all of them attached); for the branch where a schema has already failed. */
export function fail(issues: readonly SteeringIssue[]): never {
  const first = issues[0] ?? { code: 'STR_FIELD', path: '', message: 'invalid input' };
  throw new SteeringError(first, issues);
}

/** Joins a zod-style path (keys and indices) into the dotted form used in messages. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** A zod issue as this module needs it (path and message), so that the mapping does not depend on zod's internals. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Turns schema issues into coded steering issues. A custom issue may carry `params.code` and `params.allowed`;
 * otherwise `codeFor` decides from the path (the field that failed).
 */
export function fromSchemaIssues(
  issues: readonly SchemaIssue[],
  codeFor: (path: readonly PropertyKey[]) => { code: SteeringErrorCode; allowed?: readonly string[] },
): SteeringIssue[] {
  return issues.map((i) => {
    const fallback = codeFor(i.path);
    const code = i.params !== undefined && isCode(i.params['code']) ? i.params['code'] : fallback.code;
    const rawAllowed = i.params?.['allowed'];
    const allowed = Array.isArray(rawAllowed) ? rawAllowed.map((a) => String(a)) : fallback.allowed;
    return allowed === undefined
      ? { code, path: joinPath(i.path), message: i.message }
      : { code, path: joinPath(i.path), message: i.message, allowed };
  });
}

function isCode(x: unknown): x is SteeringErrorCode {
  return typeof x === 'string' && CODES.has(x);
}
