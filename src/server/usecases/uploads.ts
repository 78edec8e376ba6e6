/**
 * Uploads into a campaign: the file is validated through the application layer's validate use case (a stream source,
 * the campaign's reference date, the mapping preset when one is named), then stored — raw bytes, validation report and
 * rejects file — with an audit entry, in one transaction that re-checks the lock. A locked campaign refuses uploads.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { z } from 'zod';
import { standardDeps } from '../../app/deps.js';
import { validate } from '../../app/validate.js';
import { issueMessage, type Issue } from '../../issues/catalogue.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import { assertUnlocked } from './organisations.js';
import { personalAudit, personalPolicy, protectPersonalData } from './personal-data.js';
import type { UploadReportView, UploadView } from './schemas.js';

type Out<T extends z.ZodType> = z.output<T>;

/** Largest upload accepted by default (bytes); the HTTP edge enforces it while reading the request. */
export const DEFAULT_UPLOAD_LIMIT = 64 * 1024 * 1024;

/** A mapping named by a client is a preset id, never a path on the server. */
const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** File names kept: the extension chooses the reader; no folder part. */
const FILE_NAME = /^[^/\\\0]{1,200}$/;

export interface UploadInput {
  readonly campaignId: string;
  readonly fileName: string;
  readonly mapping: string | null;
  readonly content: Buffer;
}

const issueView = (i: Issue) => ({
  code: i.code,
  severity: i.severity,
  message: issueMessage(i),
  ...(i.line !== undefined ? { line: i.line } : {}),
});

type UploadRow = {
  id: string;
  campaign_id: string;
  file_name: string;
  mapping: string | null;
  size: number;
  status: string;
  report: string | null;
  created_at: string;
};

/** JSON columns: text on SQLite, jsonb (already parsed by pg) on PostgreSQL. */
const fromJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

const uploadView = (u: UploadRow): Out<typeof UploadView> => ({
  id: u.id,
  campaignId: u.campaign_id,
  fileName: u.file_name,
  mapping: u.mapping === null ? null : (fromJson(u.mapping) as string),
  size: u.size,
  status: u.status === 'valid' ? 'valid' : 'invalid',
  report: (u.report === null
    ? { ok: false, read: 0, imported: 0, rejected: 0, warnings: 0, issues: [] }
    : fromJson(u.report)) as Out<typeof UploadReportView>,
  createdAt: u.created_at,
});

async function campaignForWrite(deps: UseCaseDeps, actor: Actor, campaignId: string) {
  return deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: campaignId });
    authorize(actor, 'campaign:write', c.organisation_id, 'campaign');
    refuseRestricted(actor, c.organisation_id, 'upload campaign:write');
    assertUnlocked(c);
    return c;
  });
}

/** Validates and stores one uploaded file; answers its report (a file with rejected lines is stored, status invalid). */
export async function createUpload(
  deps: UseCaseDeps,
  actor: Actor,
  input: UploadInput,
): Promise<Out<typeof UploadView>> {
  const c = await campaignForWrite(deps, actor, input.campaignId);
  if (!FILE_NAME.test(input.fileName)) throw new AppError('APP_INVALID', { reason: 'invalid file name' });
  if (input.mapping !== null && !PRESET_ID.test(input.mapping))
    throw new AppError('APP_INVALID', { reason: 'mapping must be a preset id' });
  // People's names never reach the database in clear: dropped (or pseudonymised, as the organisation chose) before
  // validation, so neither the bytes nor the rejects keep them; a spreadsheet with such a column is stored as CSV.
  const personal = await protectPersonalData(
    input.fileName,
    input.content,
    await personalPolicy(deps, actor, c.organisation_id),
  );
  const { content, fileName } = personal;
  const work = await mkdtemp(join(tmpdir(), 'empreinte-upload-'));
  try {
    const app = { ...standardDeps(() => c.reference_date), spoolDir: work };
    const rejectsDir = join(work, 'rejects');
    const result = await validate(app, {
      sources: [
        {
          stream: Readable.from([content]),
          name: fileName,
          ...(input.mapping !== null ? { mapping: { type: 'named' as const, ref: input.mapping } } : {}),
        },
      ],
      referenceDate: c.reference_date,
      rejectsDir,
    });
    const f = result.files[0];
    const report: Out<typeof UploadReportView> = {
      ok: result.ok,
      read: result.totals.read,
      imported: result.totals.imported,
      rejected: result.totals.rejected,
      warnings: f?.warnings ?? 0,
      ...(f?.kind !== undefined ? { kind: f.kind } : {}),
      ...(f?.format !== undefined ? { format: f.format } : {}),
      ...(f?.fileError !== undefined ? { fileError: issueView(f.fileError) } : {}),
      issues: result.files.flatMap((x) => x.issues.map(issueView)),
    };
    const rejectsFiles = await readdir(rejectsDir).catch(() => [] as string[]);
    const rejects =
      rejectsFiles.length > 0
        ? (await Promise.all(rejectsFiles.sort().map((n) => readFile(join(rejectsDir, n), 'utf8')))).join('')
        : null;
    const row = {
      id: deps.uuid(),
      organisation_id: c.organisation_id,
      campaign_id: c.id,
      file_name: fileName,
      mapping: input.mapping === null ? null : JSON.stringify(input.mapping),
      status: report.ok && report.fileError === undefined ? 'valid' : 'invalid',
      report: JSON.stringify(report),
      created_at: deps.clock.nowIso(),
      content,
      size: content.length,
      rejects,
    };
    await deps.store.transaction(async (tx) => {
      const s = await scoped(tx, actor);
      const again = await s.campaigns.get(c.id);
      if (again === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: c.id });
      assertUnlocked(again); // locked while the file was being validated
      await s.uploads.insert(row);
      await s.audit.append({
        id: deps.uuid(),
        organisation_id: c.organisation_id,
        actor_user_id: actor.userId,
        action: 'upload.create',
        target_type: 'upload',
        target_id: row.id,
        details: JSON.stringify({
          campaignId: c.id,
          fileName: row.file_name,
          size: row.size,
          ...personalAudit(input.fileName, personal),
          read: report.read,
          imported: report.imported,
          rejected: report.rejected,
        }),
        at: deps.clock.nowIso(),
      });
    });
    return uploadView(row);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const listUploads = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    refuseRestricted(actor, c.organisation_id, 'upload campaign:read');
    return (await s.uploads.list(c.id)).map(uploadView);
  });

export const getUpload = (deps: UseCaseDeps, actor: Actor, input: { uploadId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const u = await s.uploads.get(input.uploadId);
    if (u === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'upload', id: input.uploadId });
    authorize(actor, 'campaign:read', u.organisation_id, 'upload');
    refuseRestricted(actor, u.organisation_id, 'upload campaign:read');
    return uploadView(u);
  });

/** The rejects file of an upload (CSV written by the pipeline through src/formats/csv-write.ts); empty when none. */
export const uploadRejects = (deps: UseCaseDeps, actor: Actor, input: { uploadId: string }) =>
  deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const u = await s.uploads.get(input.uploadId);
    if (u === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'upload', id: input.uploadId });
    authorize(actor, 'campaign:read', u.organisation_id, 'upload');
    refuseRestricted(actor, u.organisation_id, 'upload campaign:read');
    return (await s.uploads.rejects(u.id))?.rejects ?? '';
  });

/** The use case's input from a multipart request (the route's one line): no file part → APP_INVALID. */
export function uploadInput(
  params: { campaignId: string },
  file: { fileName: string; content: Buffer; fields: Readonly<Record<string, string>> } | undefined,
): UploadInput {
  if (file === undefined) throw new AppError('APP_INVALID', { reason: 'a multipart `file` part is required' });
  const mapping = file.fields.mapping;
  return {
    campaignId: params.campaignId,
    fileName: file.fileName,
    mapping: mapping === undefined || mapping === '' ? null : mapping,
    content: file.content,
  };
}
