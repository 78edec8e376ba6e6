/**
 * An organisation's data as a whole (issue 12, personal data): its export — every row of every tenant table as CSV, the
 * members' accounts (never password hashes), the uploads' raw files — in one ZIP streamed to the caller; and its
 * deletion, every row with it. Both need an administrator of the whole organisation (not one restricted to an entity
 * subtree), and deletion needs the organisation's name typed back. The archive is written entry by entry with
 * backpressure: memory stays bounded by one page of rows (or one upload's bytes, bounded by the upload limit).
 */
import { PassThrough, type Readable } from 'node:stream';
import { CSV_BOM, csvRecord } from '../../formats/csv-write.js';
import { ZipWriter } from '../../formats/zip-write.js';
import { scoped, type Actor } from '../../store/scoped.js';
import { EXPORT_KEYS, TENANT_TABLES, type TenantTable } from '../../store/schema.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';

/** Rows per page; uploads one at a time (each may hold up to the upload limit in raw bytes). */
const PAGE: { readonly [T in TenantTable]?: number } = { uploads: 1 };
const DEFAULT_PAGE = 2000;

const cell = (v: unknown): string | number | null =>
  v === null || v === undefined
    ? null
    : typeof v === 'number' || typeof v === 'string'
      ? v
      : v instanceof Date
        ? v.toISOString()
        : String(v);

/** A safe file name inside the archive (no folders, no control characters). */
const entryName = (s: string) => s.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 200) || 'file';

async function wholeOrganisationAdmin(
  deps: UseCaseDeps,
  actor: Actor,
  organisationId: string,
  action: 'organisation:export' | 'organisation:delete',
) {
  authorize(actor, action, organisationId);
  if (actor.memberships.get(organisationId)!.entityId !== null)
    throw new AppError('APP_FORBIDDEN', { action: `${action} (a member restricted to an entity)` });
  const org = await deps.store.transaction(async (tx) => (await scoped(tx, actor)).organisations.get(organisationId));
  if (org === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: organisationId });
  return org;
}

/** Every row of a tenant table of the organisation, page by page (keyset order of `EXPORT_KEYS`). */
async function forEachRow(
  deps: UseCaseDeps,
  actor: Actor,
  organisationId: string,
  table: TenantTable,
  fn: (row: Record<string, unknown>) => Promise<void>,
): Promise<number> {
  const keys = EXPORT_KEYS[table];
  const limit = PAGE[table] ?? DEFAULT_PAGE;
  let after: (string | number)[] | undefined;
  let n = 0;
  for (;;) {
    const rows = await deps.store.transaction(async (tx) =>
      (await scoped(tx, actor)).organisationData.page(organisationId, table, after, limit),
    );
    for (const row of rows) await fn(row);
    n += rows.length;
    if (rows.length < limit) return n;
    after = keys.map((k) => rows.at(-1)![k] as string | number);
  }
}

async function writeArchive(deps: UseCaseDeps, actor: Actor, organisationId: string, zip: ZipWriter): Promise<void> {
  const org = await deps.store.transaction(async (tx) => (await scoped(tx, actor)).organisations.get(organisationId));
  const counts: Record<string, number> = {};
  const users = await deps.store.transaction(async (tx) =>
    (await scoped(tx, actor)).organisationData.users(organisationId),
  );
  const u = zip.entry('users.csv');
  await u.write(CSV_BOM + csvRecord(['id', 'email', 'created_at']) + '\n');
  for (const r of users) await u.write(csvRecord([r.id, r.email, r.created_at]) + '\n');
  await u.close();
  counts.users = users.length;
  for (const table of TENANT_TABLES) {
    let columns: string[] | undefined;
    const e = zip.entry(`${table}.csv`);
    counts[table] = await forEachRow(deps, actor, organisationId, table, async (row) => {
      if (columns === undefined) {
        columns = Object.keys(row).filter((c) => c !== 'content');
        await e.write(CSV_BOM + csvRecord(columns) + '\n');
      }
      await e.write(csvRecord(columns.map((c) => cell(row[c]))) + '\n');
    });
    await e.close();
  }
  // The uploads' raw files, beside their table (one upload in memory at a time).
  await forEachRow(deps, actor, organisationId, 'uploads', async (r) => {
    if (r.content === null || r.content === undefined) return;
    const e = zip.entry(`uploads/${entryName(String(r.id))}/${entryName(String(r.file_name))}`);
    await e.write(r.content instanceof Uint8Array ? r.content : Buffer.from(String(r.content)));
    await e.close();
  });
  const m = zip.entry('organisation.json');
  const format = 'one CSV per table (UTF-8 with BOM, ;), users.csv, uploads/<id>/<file name> raw files';
  await m.write(
    JSON.stringify({ organisation: org, exportedAt: deps.clock.nowIso(), tables: counts, format }, null, 2) + '\n',
  );
  await m.close();
}

/** The organisation's data as a ZIP stream (errors after the start end the stream with an error). */
export async function exportOrganisation(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string },
): Promise<Readable> {
  await wholeOrganisationAdmin(deps, actor, input.organisationId, 'organisation:export');
  await deps.store.transaction(async (tx) =>
    (await scoped(tx, actor)).audit.append({
      id: deps.uuid(),
      organisation_id: input.organisationId,
      actor_user_id: actor.userId,
      action: 'organisation.export',
      target_type: 'organisation',
      target_id: input.organisationId,
      details: '{}',
      at: deps.clock.nowIso(),
    }),
  );
  const out = new PassThrough();
  const zip = new ZipWriter((chunk) =>
    out.write(chunk) ? undefined : new Promise<void>((ok) => out.once('drain', () => ok())),
  );
  void (async () => {
    try {
      await writeArchive(deps, actor, input.organisationId, zip);
      await zip.finish();
      out.end();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

/** Deletes the organisation and all its rows; `confirm` must be its exact name. */
export async function deleteOrganisation(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string; confirm: string },
): Promise<void> {
  const org = await wholeOrganisationAdmin(deps, actor, input.organisationId, 'organisation:delete');
  if (input.confirm !== org.name)
    throw new AppError('APP_INVALID', { reason: "type the organisation's exact name in `confirm` to delete it" });
  await deps.store.transaction(async (tx) => (await scoped(tx, actor)).organisationData.remove(input.organisationId));
}
