/**
 * A campaign's stored uploads as the application layer's assess input, for the read use cases that recompute from the
 * stored inputs (traces, exports, aggregates): the same sources and run request as the assessment job
 * (src/server/usecases/assessments.ts), so what they compute is what the job stored. The engine is pure: running it
 * again over the same uploads and referential gives the same values.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AssessInput, RunRequest } from '../../app/assess.js';
import { standardDeps, type AppDeps } from '../../app/deps.js';
import type { Source } from '../../app/sources.js';
import type { Campaign } from '../../store/schema.js';
import type { Actor, Scope } from '../../store/scoped.js';
import { AppError } from './errors.js';
import { authorize, type Action } from './grants.js';

/** An upload as the assessment reads it. */
export interface StoredUpload {
  readonly file_name: string;
  readonly mapping: unknown;
  readonly report: unknown;
  readonly content: Buffer | null;
}

/** JSON columns: text on SQLite, jsonb (already parsed by pg) on PostgreSQL. */
export const fromJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * The campaign's readable uploads as stream sources, each with its mapping. A file refused whole at upload (a header
 * missing…) is left out; one whose every line was refused alone (INP_ALL_LINES_REJECTED) is assessed with the others.
 */
export function campaignSources(files: readonly StoredUpload[]): Source[] {
  const readable = (report: unknown): boolean => {
    const code = (fromJson(report) as { fileError?: { code?: string } } | null)?.fileError?.code;
    return code === undefined || code === 'INP_ALL_LINES_REJECTED';
  };
  return files
    .filter((f) => f.content !== null && readable(f.report))
    .map((f) => {
      const mapping = f.mapping === null ? null : (fromJson(f.mapping) as string);
      return {
        stream: Readable.from([f.content!]),
        name: f.file_name,
        ...(mapping !== null ? { mapping: { type: 'named' as const, ref: mapping } } : {}),
      };
    });
}

/** The run request of a campaign: its profile and reference date. */
export function campaignRun(c: Pick<Campaign, 'profile' | 'reference_date'>): RunRequest {
  return {
    profile: c.profile === 'numecoeval' ? 'numecoeval' : 'rcp',
    referenceDate: c.reference_date,
    lifetimeMethod: 'REEL',
    refurbishedRule: 'category',
  };
}

/** The campaign (visible to the actor, whose role allows `action`) or APP_NOT_FOUND / APP_FORBIDDEN. */
export async function campaignFor(s: Scope, actor: Actor, campaignId: string, action: Action): Promise<Campaign> {
  const c = await s.campaigns.get(campaignId);
  if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: campaignId });
  authorize(actor, action, c.organisation_id, 'campaign');
  return c;
}

/**
 * Runs `fn` with the app layer's dependencies and the campaign's assess input (sources spooled into a temporary
 * folder, removed when `fn` settles).
 */
export async function withCampaignInput<T>(
  c: Pick<Campaign, 'id' | 'profile' | 'reference_date' | 'referential_id'>,
  files: readonly StoredUpload[],
  fn: (deps: AppDeps, input: AssessInput) => Promise<T>,
  options: { readonly referentials?: readonly string[] } = {},
): Promise<T> {
  // A campaign pinned to an organisation referential is recomputed only where the pinned version is given (the
  // assessment job's aggregates): a view computed with the default pack would not be the campaign's numbers.
  if (c.referential_id !== null && options.referentials === undefined) throw pinnedNotSupported(c.id);
  const work = await mkdtemp(join(tmpdir(), 'empreinte-read-'));
  try {
    return await fn(
      { ...standardDeps(() => c.reference_date), spoolDir: work },
      {
        sources: campaignSources(files),
        run: campaignRun(c),
        ...(options.referentials !== undefined ? { referentials: options.referentials } : {}),
      },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The refusal of a view that cannot yet recompute with a campaign's pinned organisation referential. */
export const pinnedNotSupported = (campaignId: string): AppError =>
  new AppError('APP_INVALID', {
    reason: `campaign ${campaignId} is pinned to an organisation referential; this view does not recompute with it yet (its totals and items do)`,
  });
