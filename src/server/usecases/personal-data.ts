/**
 * Personal data at import (issue 12): the `utilisateur` column (people's names; native English name `user`) is
 * dropped — or, when the organisation chose it, replaced by a keyed-hash pseudonym — before the file is validated or
 * stored, so it never reaches the database in clear: not in the raw bytes, the rejects file nor the results. A CSV is
 * re-written through the one CSV writer (src/formats/csv-write.ts) with its own delimiter and encoding (UTF-8, else
 * Latin-1 byte for byte); an XLSX or ODS workbook with such a column is read with the project's bounded readers and
 * stored as the equivalent CSV. Also here: the organisation's settings (`personalData`, `retentionDays`).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { openOds } from '../../formats/ods.js';
import { openXlsx } from '../../formats/xlsx.js';
import { CSV_BOM, csvRecord } from '../../formats/csv-write.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';

/** Header names dropped (compared without case, accents or surrounding spaces). */
const PERSONAL = new Set(['utilisateur', 'user']);

const norm = (h: string) => h.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();

function delimiterOf(headerLine: string): string {
  const counts = [';', ',', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** What an organisation does with a personal column: drop it, or replace each value by its keyed pseudonym. */
export type PersonalDataMode = 'drop' | 'pseudonymise';

/**
 * The pseudonym function of one organisation: HMAC-SHA256 keyed by HKDF(server secret, organisation id), truncated to
 * 16 hex digits (64 bits) with the prefix `p_`. Identical values give identical pseudonyms within the organisation,
 * different ones across organisations; without the server secret a pseudonym cannot be linked back to a name other
 * than by trying candidate names with the key. An empty cell stays empty.
 */
export function pseudonymiser(serverSecret: string, organisationId: string): (value: string) => string {
  const key = Buffer.from(hkdfSync('sha256', serverSecret, organisationId, 'empreinte personal-data pseudonym v1', 32));
  return (value) => {
    const v = value.trim();
    return v === '' ? '' : 'p_' + createHmac('sha256', key).update(v, 'utf8').digest('hex').slice(0, 16);
  };
}

/** How a personal column is treated: dropped (no `pseudonym`), or each value replaced by `pseudonym(value)`. */
export interface PersonalPolicy {
  readonly pseudonym?: (value: string) => string;
}

/** Rows with the personal columns dropped or pseudonymised; `null` when the header has no such column. */
function protectRows(rows: readonly (readonly string[])[], policy: PersonalPolicy): string[][] | null {
  const header = rows[0] ?? [];
  const personal = new Set(header.flatMap((h, i) => (PERSONAL.has(norm(h)) ? [i] : [])));
  if (personal.size === 0) return null;
  const p = policy.pseudonym;
  return rows.map((r, line) =>
    p === undefined ? r.filter((_c, i) => !personal.has(i)) : r.map((c, i) => (line > 0 && personal.has(i) ? p(c) : c)),
  );
}

/** What the upload stores: its bytes and name (a converted spreadsheet is stored as `<name>.csv`), and what changed. */
export interface ProtectedUpload {
  readonly fileName: string;
  readonly content: Buffer;
  /** The personal columns found (dropped or pseudonymised), by their header. */
  readonly columns: readonly string[];
  readonly action: 'dropped' | 'pseudonymised' | null;
  /** Set when a spreadsheet was converted to CSV to remove its personal column. */
  readonly convertedFrom?: 'xlsx' | 'ods';
}

/**
 * An upload with its personal columns dropped or pseudonymised before it is validated or stored. A CSV is re-written
 * with its own delimiter and encoding. An XLSX or ODS workbook is read with the project's bounded readers; when its
 * sheet has a personal column it is stored as the equivalent CSV (UTF-8, `;`, the cells as the pipeline reads them
 * from the workbook) named `<original name>.csv`. A workbook of several sheets with a personal column is refused
 * (one sheet per upload). A spreadsheet the readers cannot open is stored as is: its validation reports it.
 */
export async function protectPersonalData(
  fileName: string,
  content: Buffer,
  policy: PersonalPolicy,
): Promise<ProtectedUpload> {
  const action = policy.pseudonym === undefined ? 'dropped' : 'pseudonymised';
  const ext = /\.(xlsx|ods)$/i.exec(fileName)?.[1]?.toLowerCase() as 'xlsx' | 'ods' | undefined;
  if (ext === undefined) {
    const r = dropPersonalColumns(fileName, content, policy);
    return { fileName, content: r.content, columns: r.dropped, action: r.dropped.length > 0 ? action : null };
  }
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-personal-'));
  try {
    const path = join(dir, `upload.${ext}`);
    await writeFile(path, content);
    let sheets;
    try {
      sheets = await (ext === 'xlsx' ? openXlsx : openOds)(path, { displayName: fileName });
    } catch {
      return { fileName, content, columns: [], action: null };
    }
    const withPersonal = sheets.filter((t) => t.header.some((h) => PERSONAL.has(norm(h))));
    if (withPersonal.length === 0) return { fileName, content, columns: [], action: null };
    if (sheets.length > 1)
      throw new AppError('APP_INVALID', {
        reason: `${fileName} has several sheets and a personal column (${withPersonal[0]!.header.find((h) => PERSONAL.has(norm(h)))}); upload one sheet per file`,
      });
    const t = sheets[0]!;
    const rows: string[][] = [[...t.header]];
    for await (const r of t.rows) rows.push([...r.cells]);
    const out = protectRows(rows, policy)!;
    const columns = t.header.filter((h) => PERSONAL.has(norm(h)));
    return {
      fileName: `${fileName}.csv`,
      content: Buffer.from(out.map((r) => csvRecord(r, ';') + '\n').join(''), 'utf8'),
      columns,
      action,
      convertedFrom: ext,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The CSV without its personal columns (or with them pseudonymised); other files, and CSVs without one, as they are. */
export function dropPersonalColumns(
  fileName: string,
  content: Buffer,
  policy: PersonalPolicy = {},
): { content: Buffer; dropped: string[] } {
  if (!/\.(csv|txt)$/i.test(fileName)) return { content, dropped: [] };
  let text: string;
  let latin1 = false;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    text = content.toString('latin1');
    latin1 = true;
  }
  const bom = text.startsWith(CSV_BOM);
  if (bom) text = text.slice(1);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = delimiterOf(firstLine);
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch {
    return { content, dropped: [] }; // unreadable: the validation reports it; nothing personal can be told apart
  }
  const header = rows[0] ?? [];
  const kept = protectRows(rows, policy);
  if (kept === null) return { content, dropped: [] };
  const out = kept.map((r) => csvRecord(r, delimiter) + '\n').join('');
  const s = (bom ? CSV_BOM : '') + out;
  return {
    content: latin1 ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8'),
    dropped: header.filter((h) => PERSONAL.has(norm(h))),
  };
}

// ---- the organisation's personal-data settings (read by its members, set by its unrestricted administrators) ----

export const PersonalDataSettings = z
  .object({
    personalData: z
      .enum(['drop', 'pseudonymise'])
      .describe("What an upload's `utilisateur` column becomes: dropped (default) or a keyed-hash pseudonym."),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(36500)
      .nullable()
      .describe("Days an upload's raw file is kept before the daily purge clears it; null keeps it."),
  })
  .meta({ id: 'OrganisationSettings' });

export const PersonalDataSettingsPatch = PersonalDataSettings.partial()
  .strict()
  .meta({ id: 'OrganisationSettingsPatch' });

type Settings = z.output<typeof PersonalDataSettings>;

const settingsView = (r: { personal_data: string; retention_days: number | null }): Settings => ({
  personalData: r.personal_data === 'pseudonymise' ? 'pseudonymise' : 'drop',
  retentionDays: r.retention_days === null ? null : Number(r.retention_days),
});

export const getSettings = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  deps.store.transaction(async (tx) => {
    authorize(actor, 'organisation:read', input.organisationId);
    const r = await (await scoped(tx, actor)).personalData.settings(input.organisationId);
    if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
    return settingsView(r);
  });

export const updateSettings = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & z.output<typeof PersonalDataSettingsPatch>,
) =>
  deps.store.transaction(async (tx) => {
    authorize(actor, 'organisation:settings', input.organisationId);
    if (actor.memberships.get(input.organisationId)!.entityId !== null)
      throw new AppError('APP_FORBIDDEN', { action: 'organisation:settings (a member restricted to an entity)' });
    const s = await scoped(tx, actor);
    const before = await s.personalData.settings(input.organisationId);
    if (before === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'organisation', id: input.organisationId });
    await s.personalData.update(input.organisationId, {
      ...(input.personalData !== undefined ? { personal_data: input.personalData } : {}),
      ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
    });
    const after = (await s.personalData.settings(input.organisationId))!;
    await s.audit.append({
      id: deps.uuid(),
      organisation_id: input.organisationId,
      actor_user_id: actor.userId,
      action: 'organisation.settings',
      target_type: 'organisation',
      target_id: input.organisationId,
      details: JSON.stringify({ before: settingsView(before), after: settingsView(after) }),
      at: deps.clock.nowIso(),
    });
    return settingsView(after);
  });

/** The organisation's policy for personal columns (its `personalData` setting; a pseudonym keyed for it). */
export async function personalPolicy(deps: UseCaseDeps, actor: Actor, organisationId: string): Promise<PersonalPolicy> {
  const r = await deps.store.transaction(async (tx) => (await scoped(tx, actor)).personalData.settings(organisationId));
  return r?.personal_data === 'pseudonymise' ? { pseudonym: pseudonymiser(deps.serverSecret, organisationId) } : {};
}

/** The audit entry's account of what happened to personal data (column names only, never a value). */
export const personalAudit = (originalName: string, p: ProtectedUpload) =>
  p.action === null
    ? {}
    : {
        ...(p.action === 'dropped' ? { droppedColumns: p.columns } : { pseudonymisedColumns: p.columns }),
        ...(p.convertedFrom !== undefined
          ? { convertedFrom: p.convertedFrom, originalFileName: originalName, storedAs: p.fileName }
          : {}),
      };
