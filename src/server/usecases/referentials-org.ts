/**
 * Referential versions per organisation (issue 12, methodology §3.5). An upload — one NumEcoEval/G4IT referential CSV
 * file, or a zip of a CSV folder or of an Empreinte pack — is read by the project's one loader
 * (`loadReferentialSource`, src/referential/source.ts) with the §3.5 value rules: refused rows are listed in the
 * version's report, a source with no usable row is refused (APP_REFERENTIAL_REFUSED naming file, line and column).
 * The source files are stored as uploaded; each upload of a name gets the next version number. An assessment of a
 * campaign that pins a version writes the files to its private folder and layers them over the default pack through
 * `assess`'s `referentials` (src/app/load-referential.ts, the path of `assess --referential`).
 *
 * Reading needs `campaign:read` (viewers), uploading `campaign:write` (editors and administrators: a referential is
 * assessment input, like an inventory upload; pinning it to a campaign is a campaign write, refused when locked).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { zipEntries, type ZipEntryInfo } from '../../formats/zip-entry.js';
import { zipEntryChunks } from '../../formats/xlsx-zip.js';
import { EmpreinteError, issueMessage, type Issue } from '../../issues/catalogue.js';
import { diffLayers, sha256, stableJson } from '../../referential/pack.js';
import { loadReferentialSource, type ReferentialSource } from '../../referential/source.js';
import { layerRowCount } from '../../referential/validate.js';
import { isUniqueViolation } from '../../store/errors.js';
import { scoped, type Actor, type Scope } from '../../store/scoped.js';
import type { StoredOrgReferential } from '../../store/schema.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import { assertUnlocked } from './organisations.js';
import { IMPORT_FILE_NAME } from './services.js';
import { checkPin, RECOMPUTE_JOB, storedFiles, writeReferentialFiles } from './referential-runs.js';

/** Entries of a referential zip read at most (a CSV folder has 6 to 10 files, a pack a few more). */
export const MAX_ZIP_ENTRIES = 200;
/** Bytes of all the files of one referential version (the embedded pack is about 10 MiB). */
export const MAX_REFERENTIAL_BYTES = 64 << 20;
/** Refused rows kept in a version's report (the count is always exact). */
const MAX_REPORTED = 200;
/** Files kept from an upload: referential tables and pack files; anything else in a zip is ignored. */
const KEPT = new Set(['.csv', '.json']);

const Id = z.uuid();
export const RefusedRow = z
  .object({
    code: z.string(),
    file: z.string().nullable(),
    line: z.int().nullable(),
    column: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'ReferentialRefusedRow' });
export const OrgReferentialView = z
  .object({
    id: Id,
    organisationId: Id,
    name: z.string(),
    version: z.int(),
    contentHash: z.string().describe('sha256 of the stored files (name and content, sorted by name).'),
    kind: z.enum(['pack', 'csv']),
    files: z.array(z.string()),
    rows: z.int().describe('Rows kept after the §3.5 validation.'),
    refusedCount: z.int(),
    refused: z.array(RefusedRow).describe(`The first ${MAX_REPORTED} refused rows.`),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: 'OrgReferential' });
export const OrgReferentialDiff = z
  .object({
    from: Id,
    to: Id,
    entries: z.array(
      z.object({
        kind: z.enum(['added', 'removed', 'changed']),
        table: z.string(),
        key: z.string(),
        before: z.string().nullable(),
        after: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'OrgReferentialDiff' });
const UploadName = z.string().trim().min(1).max(100);

type View = z.output<typeof OrgReferentialView>;
const Report = z.object({
  kind: z.enum(['pack', 'csv']),
  rows: z.int(),
  refusedCount: z.int(),
  refused: z.array(RefusedRow),
});

const inScope = <T>(deps: UseCaseDeps, actor: Actor, fn: (s: Scope) => Promise<T>): Promise<T> =>
  deps.store.transaction(async (tx) => fn(await scoped(tx, actor)));

const view = (r: StoredOrgReferential): View => {
  const report = Report.parse(JSON.parse(r.report));
  return {
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    version: r.version,
    contentHash: r.content_hash,
    kind: report.kind,
    files: Object.keys(storedFiles(r)).sort(),
    rows: report.rows,
    refusedCount: report.refusedCount,
    refused: report.refused,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
};

/** Read the files of an upload: one CSV, or the CSV/JSON entries of a zip (bounded: entries, sizes, ratio). */
async function uploadFiles(fileName: string, content: Buffer, work: string): Promise<Record<string, string>> {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.csv') return { [fileName]: content.toString('utf8') };
  if (ext !== '.zip')
    throw new AppError('APP_INVALID', {
      reason: `${fileName}: a referential is a CSV file or a zip of a CSV folder or pack`,
    });
  const path = join(work, 'upload.zip');
  await writeFile(path, content);
  let entries: ZipEntryInfo[];
  try {
    entries = await zipEntries(path);
  } catch (e) {
    throw new AppError('APP_INVALID', { reason: `${fileName}: ${(e as Error).message}` });
  }
  if (entries.length > MAX_ZIP_ENTRIES)
    throw new AppError('APP_INVALID', { reason: `${fileName}: more than ${MAX_ZIP_ENTRIES} entries` });
  const files: Record<string, string> = {};
  let total = 0;
  for (const entry of entries) {
    const name = basename(entry.name);
    if (entry.name.endsWith('/') || name.startsWith('.') || !KEPT.has(extname(name).toLowerCase())) continue;
    if (entry.name.startsWith('__MACOSX/')) continue;
    total += entry.size;
    if (total > MAX_REFERENTIAL_BYTES)
      throw new AppError('APP_INVALID', { reason: `${fileName}: more than ${MAX_REFERENTIAL_BYTES} bytes of tables` });
    if (files[name] !== undefined)
      throw new AppError('APP_INVALID', { reason: `${fileName}: two entries named ${name}` });
    const chunks: Buffer[] = [];
    try {
      for await (const c of zipEntryChunks(path, entry)) chunks.push(c);
    } catch (e) {
      throw new AppError('APP_INVALID', { reason: `${fileName}:${entry.name}: ${(e as Error).message}` });
    }
    files[name] = Buffer.concat(chunks).toString('utf8');
  }
  if (Object.keys(files).length === 0)
    throw new AppError('APP_INVALID', { reason: `${fileName}: no .csv or .json file in the archive` });
  return files;
}

/** An issue's location shown relative to the upload (`referential.zip:facteursCaracterisation.csv`). */
const shownFile = (upload: string, dir: string, file: string | undefined, single: boolean): string | null => {
  if (file === undefined) return null;
  const rel = isAbsolute(file) ? relative(dir, file) : file;
  if (rel.startsWith('..')) return file;
  return single ? upload : `${upload}:${rel}`;
};

/** Open stored files with the one loader; file-level errors become APP_REFERENTIAL_REFUSED naming the file. */
async function openFiles(
  files: Readonly<Record<string, string>>,
  upload: string,
  work: string,
): Promise<{ src: ReferentialSource; refused: z.output<typeof RefusedRow>[] }> {
  const dir = await writeReferentialFiles(files, join(work, 'referential'));
  const single = Object.keys(files).length === 1 && extname(upload).toLowerCase() === '.csv';
  const row = (i: Issue): z.output<typeof RefusedRow> => ({
    code: i.code,
    file: shownFile(upload, dir, i.file, single),
    line: i.line ?? null,
    column: i.column ?? null,
    message: issueMessage(i).split(dir).join(upload),
  });
  try {
    const src = await loadReferentialSource(dir, { layerName: `organisation:${basename(upload)}` });
    return { src, refused: src.issues.filter((i) => i.severity !== 'W').map(row) };
  } catch (e) {
    if (e instanceof EmpreinteError) throw refusedError(row(e.issue), 1);
    throw e;
  }
}

const refusedError = (first: z.output<typeof RefusedRow> | undefined, refused: number): AppError =>
  new AppError('APP_REFERENTIAL_REFUSED', {
    file: first?.file ?? '',
    line: first?.line ?? 0,
    column: first?.column ?? '',
    code: first?.code ?? '',
    reason: first?.message ?? 'no referential row',
    refused,
  });

/** Upload a referential version (multipart `file`, optional field `name`). */
export async function uploadOrgReferential(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string; fileName: string; content: Buffer; name?: string },
): Promise<View> {
  if (!actor.memberships.has(input.organisationId))
    throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
  authorize(actor, 'campaign:write', input.organisationId);
  if (!IMPORT_FILE_NAME.test(input.fileName)) throw new AppError('APP_INVALID', { reason: 'invalid file name' });
  const parsedName = UploadName.safeParse(input.name ?? basename(input.fileName, extname(input.fileName)));
  if (!parsedName.success) throw new AppError('APP_VALIDATION', { field: 'name' });
  const work = await mkdtemp(join(tmpdir(), 'empreinte-org-referential-'));
  try {
    const files = await uploadFiles(input.fileName, input.content, work);
    const { src, refused } = await openFiles(files, input.fileName, work);
    const rows = layerRowCount(src.layer);
    if (rows === 0) throw refusedError(refused[0], refused.length);
    const report = { kind: src.kind, rows, refusedCount: refused.length, refused: refused.slice(0, MAX_REPORTED) };
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // Two uploads of one name at once may read the same last version: the unique key refuses the second insert,
    // whose transaction is then rolled back whole and run again on the version just committed.
    for (let attempt = 1; ; attempt++) {
      try {
        return await insertVersion(deps, actor, input.organisationId, parsedName.data, sorted, report, refused, rows);
      } catch (e) {
        if (!isUniqueViolation(e, 'org_referentials', ['organisation_id', 'name', 'version'])) throw e;
        if (attempt === VERSION_ATTEMPTS)
          throw new AppError('APP_CONFLICT', {
            kind: 'referential',
            name: `${parsedName.data}: a version uploaded at the same time`,
          });
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Uploads of one referential name racing each other that one upload outlasts before answering 409. */
const VERSION_ATTEMPTS = 16;

/** Stores the next version of a referential name with its audit entry, in one transaction. */
function insertVersion(
  deps: UseCaseDeps,
  actor: Actor,
  organisationId: string,
  name: string,
  sorted: Record<string, string>,
  report: z.output<typeof Report>,
  refused: readonly z.output<typeof RefusedRow>[],
  rows: number,
): Promise<View> {
  return inScope(deps, actor, async (s) => {
    const row: StoredOrgReferential = {
      id: deps.uuid(),
      organisation_id: organisationId,
      name,
      version: (await s.orgReferentials.lastVersion(organisationId, name)) + 1,
      content_hash: sha256(stableJson(sorted)),
      files: JSON.stringify(sorted),
      report: JSON.stringify(report),
      created_at: deps.clock.nowIso(),
      created_by: actor.userId,
    };
    await s.orgReferentials.insert(row);
    await s.audit.append({
      id: deps.uuid(),
      organisation_id: row.organisation_id,
      actor_user_id: actor.userId,
      action: 'referential.upload',
      target_type: 'referential',
      target_id: row.id,
      details: JSON.stringify({ name: row.name, version: row.version, hash: row.content_hash, rows, refused }),
      at: row.created_at,
    });
    return view(row);
  });
}

export const listOrgReferentials = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  inScope(deps, actor, async (s) => {
    authorize(actor, 'campaign:read', input.organisationId);
    return (await s.orgReferentials.list(input.organisationId)).map(view);
  });

async function referentialOf(s: Scope, actor: Actor, id: string): Promise<StoredOrgReferential> {
  const r = await s.orgReferentials.get(id);
  if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'referential', id });
  authorize(actor, 'campaign:read', r.organisation_id, 'referential');
  return r;
}

export const getOrgReferential = (deps: UseCaseDeps, actor: Actor, input: { referentialId: string }) =>
  inScope(deps, actor, async (s) => view(await referentialOf(s, actor, input.referentialId)));

/** The pack diff (src/referential/pack.ts `diffLayers`) from this version to `with`. */
export async function diffOrgReferentials(
  deps: UseCaseDeps,
  actor: Actor,
  input: { referentialId: string; with: string },
): Promise<z.output<typeof OrgReferentialDiff>> {
  const [a, b] = await inScope(deps, actor, async (s) => [
    await referentialOf(s, actor, input.referentialId),
    await referentialOf(s, actor, input.with),
  ]);
  const layerOf = async (r: StoredOrgReferential) => {
    const work = await mkdtemp(join(tmpdir(), 'empreinte-org-referential-'));
    try {
      return (await openFiles(storedFiles(r), `${r.name}-v${r.version}`, work)).src.layer;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
  const entries = diffLayers(await layerOf(a), await layerOf(b));
  return {
    from: a.id,
    to: b.id,
    entries: entries.map((e) => ({
      kind: e.kind,
      table: e.table,
      key: e.key,
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  };
}

// ---- recomputing a campaign with another referential version ----

export const RecomputeBody = z
  .object({
    referentialId: Id.nullable().describe('An organisation referential version; null: the default pack alone.'),
  })
  .meta({ id: 'RecomputeCreate' });
const CriterionDelta = z.object({
  criterion: z.string(),
  unit: z.string(),
  before: z.number(),
  after: z.number(),
  delta: z.number(),
  relative: z.number().nullable(),
  byStep: z.record(z.string(), z.number()),
});
export const RecomputeView = z
  .object({
    jobId: Id,
    campaignId: Id,
    status: z.enum(['queued', 'running', 'done', 'failed']),
    errors: z.array(z.string()),
    referentialId: Id.nullable(),
    result: z
      .object({
        referentialHash: z.string().describe("The merged referential's hash of the recomputation."),
        before: z.record(z.string(), z.unknown()).describe("The campaign's stored totals (its signed result)."),
        after: z.record(z.string(), z.unknown()).describe('The totals with the other referential.'),
        delta: z.object({ byCriterion: z.array(CriterionDelta) }).describe('after − before, per criterion and step.'),
      })
      .nullable(),
  })
  .meta({ id: 'CampaignRecompute' });

/** Start recomputing a campaign's stored uploads with a referential version; its stored result is left as it is. */
export const startRecompute = async (
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & z.output<typeof RecomputeBody>,
) => {
  if (deps.jobs === undefined) throw new Error('no job queue');
  const jobId = deps.uuid();
  const organisationId = await inScope(deps, actor, async (s) => {
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:write', c.organisation_id, 'campaign');
    refuseRestricted(actor, c.organisation_id, 'recompute campaign:write');
    assertUnlocked(c);
    if (input.referentialId !== null) await checkPin(s, c.organisation_id, input.referentialId);
    if ((await s.results.get(c.id)) === undefined)
      throw new AppError('APP_NOT_FOUND', { kind: 'totals of campaign', id: c.id });
    const now = deps.clock.nowIso();
    await s.jobs.insert({
      id: jobId,
      organisation_id: c.organisation_id,
      campaign_id: c.id,
      name: RECOMPUTE_JOB,
      status: 'queued',
      progress: 0,
      error: null,
      created_at: now,
      updated_at: now,
    });
    await s.audit.append({
      id: deps.uuid(),
      organisation_id: c.organisation_id,
      actor_user_id: actor.userId,
      action: 'campaign.recompute',
      target_type: 'campaign',
      target_id: c.id,
      details: JSON.stringify({ jobId, referentialId: input.referentialId }),
      at: now,
    });
    return c.organisation_id;
  });
  await deps.jobs.enqueue(RECOMPUTE_JOB, { jobId, organisationId, ...input });
  return { jobId };
};

/** A recomputation job: its status, then the totals before/after and the delta once done. */
export const getRecompute = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string; jobId: string }) =>
  inScope(deps, actor, async (s): Promise<z.output<typeof RecomputeView>> => {
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    refuseRestricted(actor, c.organisation_id, 'recompute campaign:read');
    const j = await s.jobs.get(input.jobId);
    if (j === undefined || j.campaign_id !== c.id || j.name !== RECOMPUTE_JOB)
      throw new AppError('APP_NOT_FOUND', { kind: 'recomputation', id: input.jobId });
    const r = await s.orgReferentials.recompute(j.id);
    const doc = r === undefined ? null : (JSON.parse(r.document) as z.output<typeof RecomputeView>['result']);
    return {
      jobId: j.id,
      campaignId: c.id,
      status: j.status,
      errors: j.error === null ? [] : [j.error],
      referentialId: r?.referential_id ?? null,
      result: doc,
    };
  });
