/**
 * A campaign's stored uploads as the application layer's assess input, for the use cases that recompute from the
 * stored inputs (traces, exports, aggregates, KPIs, steering, the recompute job): the same sources, run request and
 * referential (the default pack or the campaign's pinned organisation version) as the assessment job
 * (src/server/usecases/assessments.ts), so what they compute is what the job stored. The engine is pure: running it
 * again over the same uploads and referential gives the same values.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AssessInput, RunRequest } from '../../app/assess.js';
import { standardDeps, type AppDeps } from '../../app/deps.js';
import type { Source } from '../../app/sources.js';
import type { Campaign, StoredOrgReferential } from '../../store/schema.js';
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

/** An organisation referential version's files (file name → content) as stored (a referential folder's files). */
export interface PinnedVersion {
  readonly id: string;
  readonly files: Readonly<Record<string, string>>;
}

/** JSON text on SQLite; the same text on PostgreSQL (the column is text on both). */
export const storedFiles = (r: Pick<StoredOrgReferential, 'files'>): Record<string, string> =>
  z.record(z.string(), z.string()).parse(JSON.parse(r.files));

/** Write a version's files into `dir` (created); the folder is then a referential source like a CLI folder. */
export async function writeReferentialFiles(files: Readonly<Record<string, string>>, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, basename(name)), content);
  return dir;
}

/** True when a campaign's `referential_id` names an organisation referential version (else: the default pack). */
export const pinsVersion = (referentialId: string | null): referentialId is string =>
  referentialId !== null && z.uuid().safeParse(referentialId).success;

/**
 * The organisation referential version `referentialId` (read in the caller's transaction, with its scope); undefined
 * for the default pack (null, or a free-text label given at campaign creation). A pinned version that is gone is
 * APP_NOT_FOUND (referential) rather than a silent fall back to the default pack.
 */
export async function pinnedVersion(s: Scope, referentialId: string | null): Promise<PinnedVersion | undefined> {
  if (!pinsVersion(referentialId)) return undefined;
  const r = await s.orgReferentials.get(referentialId);
  if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'referential', id: referentialId });
  return { id: r.id, files: storedFiles(r) };
}

/** What a view recomputing a campaign reads in its transaction: the stored uploads and the pinned version. */
export interface CampaignStored {
  readonly files: readonly StoredUpload[];
  readonly pinned: PinnedVersion | undefined;
}

/** The campaign's stored uploads and its pinned referential version, read in the caller's transaction. */
export async function readCampaignStored(
  s: Scope,
  c: Pick<Campaign, 'id' | 'referential_id'>,
  options: { readonly uploads?: boolean } = {},
): Promise<CampaignStored> {
  return {
    files: options.uploads === false ? [] : await s.uploadContents(c.id),
    pinned: await pinnedVersion(s, c.referential_id),
  };
}

/**
 * Runs `fn` with the app layer's dependencies and the campaign's assess input: its sources (spooled into a temporary
 * folder, removed when `fn` settles), its run request and its referential — the default pack, or the campaign's pinned
 * organisation version written into that folder and layered over the default pack as by `assess --referential`, as
 * the assessment job does. The one place a recomputing view (trace, export, KPIs, steering) gets a campaign's input,
 * so what it computes is what the job stored. `options.referentials`: folders already written by the caller (the
 * assessment job's own copy of the pinned version).
 */
export async function withCampaignInput<T>(
  c: Pick<Campaign, 'id' | 'profile' | 'reference_date' | 'referential_id'>,
  stored: CampaignStored | readonly StoredUpload[],
  fn: (deps: AppDeps, input: AssessInput) => Promise<T>,
  options: { readonly referentials?: readonly string[] } = {},
): Promise<T> {
  const files = isStored(stored) ? stored.files : stored;
  const pinned = isStored(stored) ? stored.pinned : undefined;
  // A view that read only the uploads of a pinned campaign would compute with the default pack: a programming error.
  if (pinsVersion(c.referential_id) && options.referentials === undefined && pinned?.id !== c.referential_id)
    throw new Error(`campaign ${c.id}: its pinned referential ${c.referential_id} was not read (readCampaignStored)`);
  const work = await mkdtemp(join(tmpdir(), 'empreinte-read-'));
  try {
    // The folder is named as the assessment job names it: the layer's name in the traces' provenance is the same.
    const referentials =
      options.referentials ??
      (pinned === undefined
        ? undefined
        : [await writeReferentialFiles(pinned.files, join(work, `referential-${pinned.id}`))]);
    return await fn(
      { ...standardDeps(() => c.reference_date), spoolDir: work },
      {
        sources: campaignSources(files),
        run: campaignRun(c),
        ...(referentials !== undefined ? { referentials } : {}),
      },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const isStored = (x: CampaignStored | readonly StoredUpload[]): x is CampaignStored => !Array.isArray(x);
