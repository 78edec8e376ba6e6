/**
 * Use case: validate a set of sources (issue 4) without assessing them — read, map, check every line against the
 * schema and the active referential's types and locations (`INP_UNKNOWN_TYPE`, `INP_UNKNOWN_LOCATION`), write the
 * rejects files, and return the per-file reports. File-level failures are in the result (`fileErrors`), not thrown:
 * the caller prints its report first, then fails.
 */
import { EngineEnv } from '../engine/env.js';
import type { TextEncoding } from '../formats/encoding.js';
import { processInventory, type InventoryResult } from '../inventory/pipeline.js';
import { issueMessage, type Issue } from '../issues/catalogue.js';
import type { Referential } from '../referential/model.js';
import type { AppDeps } from './deps.js';
import { failAllRejected } from './no-silent-zero.js';
import type { RunObserver } from './sink.js';
import { openSources, type Source } from './sources.js';

export interface ValidateInput {
  readonly sources: readonly Source[];
  /** Reference date `yyyy-MM-dd` for date checks (default `deps.today()`). */
  readonly referenceDate?: string;
  readonly strict?: boolean;
  readonly encoding?: TextEncoding;
  readonly rejectsDir?: string;
  /** Referential folders or pack ids layered over the default pack (as assess). */
  readonly referentials?: readonly string[];
}

/** The pipeline's referential checks for a referential, with the engine's type and location lookups (as assess). */
export function referentialChecks(referential: Referential, referenceDate: string) {
  const env = new EngineEnv(referential, {
    profile: 'rcp',
    referenceDate,
    lifetimeMethod: 'REEL',
    criteria: [],
    steps: [],
  });
  return {
    isKnownType: (t: string) => env.itemType(t) !== undefined,
    knownTypeNames: env.knownTypeNames(100).join(', '),
    isKnownLocation: (l: string) => referential.electricity.has(env.locationKey(l)),
  };
}

/** The file-level errors of a validation, in file order. */
export const fileErrors = (result: InventoryResult): Issue[] =>
  result.files.flatMap((f) => (f.fileError ? [f.fileError] : []));

/** Runs a validation; throws only on unusable options or mappings (`EmpreinteError`). */
export async function validate(
  deps: AppDeps,
  input: ValidateInput,
  observer: RunObserver = {},
): Promise<InventoryResult> {
  const referenceDate = input.referenceDate ?? deps.today();
  const opened = await openSources(input.sources, deps);
  const { referential, issues } = await deps.loadReferential({
    ...(input.referentials ? { referential: input.referentials } : {}),
    profile: 'rcp',
  });
  const ignored = issues.filter((i) => i.severity === 'R');
  if (ignored.length > 0) observer.notice?.({ type: 'referential-rows-ignored', issues: ignored });
  const progress = observer.progress;
  const result = await processInventory(opened, {
    readers: deps.readers,
    ...(deps.spoolDir !== undefined ? { spoolDir: deps.spoolDir } : {}),
    mode: input.strict ? 'strict' : 'lenient',
    referenceDate,
    ...(input.encoding ? { encoding: input.encoding } : {}),
    ...(input.rejectsDir !== undefined ? { rejectsDir: input.rejectsDir } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress(done, total) } : {}),
    ...referentialChecks(referential, referenceDate),
    ...(deps.temps ? { tempFiles: deps.temps } : {}),
  });
  observer.progressEnd?.();
  // No silent zero: a file read without a single line imported is failed.
  return failAllRejected(result);
}

function withMessage(i: Issue) {
  return { ...i, message: issueMessage(i) };
}

/** The JSON report of a validation: the pipeline result with each issue's English message. */
export function validationReport(result: InventoryResult) {
  return {
    ok: result.ok,
    totals: result.totals,
    files: result.files.map((f) => ({
      ...f,
      issues: f.issues.map(withMessage),
      fileError: f.fileError ? withMessage(f.fileError) : undefined,
    })),
  };
}
