/**
 * Personal data at import (issue 12): the `utilisateur` column (people's names; native English name `user`) is
 * dropped from an uploaded CSV before the file is validated or stored, so it never reaches the database in clear — not
 * in the raw bytes, the rejects file nor the results. The file is re-written through the one CSV writer
 * (src/formats/csv-write.ts) with its own delimiter and encoding (UTF-8, else Latin-1 byte for byte).
 *
 * Not yet covered: spreadsheets (XLSX, ODS) are stored as uploaded (docs/deployment.md, "Personal data"), and the
 * organisation's choice of a keyed-hash pseudonym instead of dropping.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
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

/** The CSV without its personal columns; other files, and CSVs without such a column, are returned as they are. */
export function dropPersonalColumns(fileName: string, content: Buffer): { content: Buffer; dropped: string[] } {
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
  const drop = new Set(header.flatMap((h, i) => (PERSONAL.has(norm(h)) ? [i] : [])));
  if (drop.size === 0) return { content, dropped: [] };
  const out = rows
    .map(
      (r) =>
        csvRecord(
          r.filter((_c, i) => !drop.has(i)),
          delimiter,
        ) + '\n',
    )
    .join('');
  const s = (bom ? CSV_BOM : '') + out;
  return {
    content: latin1 ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8'),
    dropped: [...drop].map((i) => header[i]!),
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
