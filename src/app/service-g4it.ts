/**
 * Use cases `importG4itService` and `exportG4itService` (issue 14): G4IT's digital-service files (a zip as G4IT's
 * export writes it, or a folder of its CSV files) ↔ an Empreinte service description. The mapping itself is
 * `src/services/g4it-exchange.ts`; this module reads and writes the files with the project's bounded readers:
 * - a zip's central directory is read first; more than `MAX_ENTRIES` entries, a ZIP64 archive, an encrypted entry, a
 *   table declared above `MAX_TABLE_BYTES`, or an entry whose sizes make it a decompression bomb (formats/limits.ts)
 *   is refused with a coded one-line error before anything is inflated; inflating stops at the declared size;
 * - each table is read by the CSV reader (`openCsv`: encoding, delimiter, record and column limits) and its cells'
 *   formula guard (`'` before `= + - @`) is removed, as for inventories.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { openCsv } from '../formats/csv.js';
import { csvText, stripFormulaGuard } from '../formats/csv-write.js';
import { LimitExceeded, grouped, limitError, oneLine } from '../formats/limits.js';
import { osReason } from '../formats/os-error.js';
import { zipEntryChunks } from '../formats/xlsx-zip.js';
import { zipEntries } from '../formats/zip-entry.js';
import { ZipWriter } from '../formats/zip-write.js';
import type { Referential } from '../referential/model.js';
import {
  G4IT_DS_FILES,
  G4IT_DS_HEADERS,
  g4itFromService,
  g4itLookupsOf,
  serviceFromG4it,
  type G4itLookups,
  type G4itRow,
  type G4itTable,
  type G4itTableKind,
  type G4itTables,
} from '../services/g4it-exchange.js';
import { createReferenceData } from '../services/reference-data.js';
import { validateServiceDefinition } from '../services/parse.js';
import type { ServiceDefinition } from '../services/schema.js';
import type { ServiceSource } from '../services/source.js';

/** Entries of a G4IT zip read at most (its export has 5 to 10). */
export const MAX_ENTRIES = 1000;
/** Bytes of one table of a digital service (G4IT's are a few kilobytes; an inventory-sized one is refused). */
export const MAX_TABLE_BYTES = 16 << 20;
/** AI parameters of a G4IT digital service (EcoMind): not importable (Empreinte's AI part is another method). */
const AI_FILES = /^ai_(parameters|infrastructure)\.csv$/i;

/** The lookups of the mapping from the run's referential (its device types, network types and server hosts). */
export function g4itLookups(referential: Referential): G4itLookups {
  return g4itLookupsOf(createReferenceData(referential, 'numecoeval'));
}

async function readTable(path: string, displayName: string): Promise<G4itTable> {
  const t = await openCsv(path, { displayName });
  const header = t.header.map((h) => h.trim());
  const rows: G4itRow[] = [];
  for await (const r of t.rows) {
    const cells: Record<string, string> = {};
    header.forEach((h, i) => {
      cells[h] = stripFormulaGuard(r.cells[i] ?? '');
    });
    rows.push({ line: r.line, cells });
  }
  return { file: displayName, header, rows };
}

const kindOf = (name: string): G4itTableKind | undefined =>
  (Object.keys(G4IT_DS_FILES) as G4itTableKind[]).find((k) => G4IT_DS_FILES[k] === name.toLowerCase());

const invalid = (file: string, reason: string): EmpreinteError =>
  new EmpreinteError(issue('SVC_G4IT_INVALID', { file, reason: oneLine(reason) }, { file }));

/** The tables of a zip: bounded, extracted to a private temporary folder, read by the CSV reader, removed. */
async function zipTables(path: string, file: string): Promise<G4itTables> {
  let entries;
  try {
    entries = await zipEntries(path);
  } catch (e) {
    if (e instanceof LimitExceeded) throw limitError(file, e);
    throw invalid(file, (e as Error).message);
  }
  if (entries.length > MAX_ENTRIES)
    throw new EmpreinteError(
      issue('INP_TOO_LARGE', { reason: `${grouped(entries.length)} entries (at most ${MAX_ENTRIES})` }, { file }),
    );
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-g4it-'));
  try {
    const tables: G4itTables = {};
    for (const entry of entries) {
      const name = basename(entry.name);
      if (entry.name.endsWith('/')) continue;
      if (AI_FILES.test(name) && entry.size > 0) await refuseAi(path, entry, `${file}:${entry.name}`);
      const kind = kindOf(name);
      if (kind === undefined) continue;
      const shown = `${file}:${entry.name}`;
      if (tables[kind] !== undefined) throw invalid(shown, `a second ${G4IT_DS_FILES[kind]} in the archive`);
      if (entry.size > MAX_TABLE_BYTES)
        throw new EmpreinteError(
          issue(
            'INP_TOO_LARGE',
            { reason: `entry of ${grouped(entry.size)} bytes (a table is read up to ${grouped(MAX_TABLE_BYTES)})` },
            { file: shown },
          ),
        );
      const target = join(dir, `${kind}.csv`);
      const chunks: Buffer[] = [];
      try {
        for await (const c of zipEntryChunks(path, entry)) chunks.push(c);
      } catch (e) {
        if (e instanceof LimitExceeded) throw limitError(shown, e);
        throw invalid(shown, (e as Error).message);
      }
      await writeFile(target, Buffer.concat(chunks));
      tables[kind] = await readTable(target, shown);
    }
    return tables;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An AI parameters file with data rows stops the import (nothing is dropped silently). */
async function refuseAi(path: string, entry: Awaited<ReturnType<typeof zipEntries>>[number], shown: string) {
  if (entry.size > MAX_TABLE_BYTES) throw invalid(shown, 'AI parameters are not imported');
  const chunks: Buffer[] = [];
  for await (const c of zipEntryChunks(path, entry)) chunks.push(c);
  if (hasDataRows(Buffer.concat(chunks).toString('utf8')))
    throw invalid(shown, "G4IT's AI (EcoMind) parameters are not imported: describe the AI part with 'servers[].ai'");
}

const hasDataRows = (text: string): boolean => text.split(/\r?\n/).filter((l) => l.trim() !== '').length > 1;

async function folderTables(dir: string): Promise<G4itTables> {
  const tables: G4itTables = {};
  for (const name of await readdir(dir)) {
    const shown = join(dir, name);
    if (AI_FILES.test(name) || kindOf(name) !== undefined) {
      const size = (await stat(shown)).size;
      if (size > MAX_TABLE_BYTES)
        throw new EmpreinteError(
          issue(
            'INP_TOO_LARGE',
            { reason: `${grouped(size)} bytes (a table is read up to ${grouped(MAX_TABLE_BYTES)})` },
            { file: shown },
          ),
        );
    }
    if (AI_FILES.test(name)) {
      const t = await readTable(shown, shown);
      if (t.rows.length > 0)
        throw invalid(
          shown,
          "G4IT's AI (EcoMind) parameters are not imported: describe the AI part with 'servers[].ai'",
        );
    }
    const kind = kindOf(name);
    if (kind === undefined) continue; // outputs (ind_*.csv), application.csv and other files are not read
    tables[kind] = await readTable(shown, shown);
  }
  return tables;
}

export interface ImportedService {
  readonly definition: ServiceDefinition;
  /** The description as plain data (what is written as YAML), before defaults were applied. */
  readonly document: Record<string, unknown>;
}

/**
 * Read G4IT digital-service files (`path`: a zip or a folder) into a validated Empreinte description. `file` is the
 * name shown in errors (the path by default; the upload's name on the server).
 */
export async function importG4itService(input: {
  readonly path: string;
  readonly referential: Referential;
  readonly service?: string;
  readonly file?: string;
}): Promise<ImportedService> {
  const file = input.file ?? input.path;
  let isDir: boolean;
  try {
    isDir = (await stat(input.path)).isDirectory();
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file }));
  }
  const tables = isDir ? await folderTables(input.path) : await zipTables(input.path, file);
  if (tables.physical === undefined && tables.virtual === undefined)
    throw invalid(
      file,
      `not a G4IT digital service: neither ${G4IT_DS_FILES.physical} nor ${G4IT_DS_FILES.virtual} was found`,
    );
  for (const k of Object.keys(tables) as G4itTableKind[]) {
    const t = tables[k]!;
    const need =
      k === 'datacenter' ? 'nomCourtDatacenter' : k === 'physical' ? 'nomEquipementPhysique' : 'nomEquipementVirtuel';
    if (!t.header.includes(need))
      throw new EmpreinteError(
        issue(
          'SVC_G4IT_INVALID',
          { file: t.file, reason: `the header has no '${need}' column (G4IT's: ${G4IT_DS_HEADERS[k].join(';')})` },
          { file: t.file, line: 1 },
        ),
      );
  }
  const service = input.service ?? basename(file).replace(/\.zip$/i, '');
  const document = serviceFromG4it(tables, g4itLookups(input.referential), {
    service,
    description: `Imported from G4IT digital-service files (${basename(file)})`,
  }) as Record<string, unknown>;
  const definition = validateServiceDefinition(document, { file });
  return { definition, document };
}

/** G4IT's digital-service zip of a description: datacenter.csv, physical_equipment.csv, virtual_equipment.csv. */
export async function exportG4itService(
  definition: ServiceDefinition,
  referential: Referential,
  source?: ServiceSource,
): Promise<Buffer> {
  const t = g4itFromService(definition, g4itLookups(referential), source);
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter((c) => {
    chunks.push(Buffer.from(c));
  });
  for (const kind of ['datacenter', 'physical', 'virtual'] as const) {
    const e = zip.entry(G4IT_DS_FILES[kind]);
    await e.write(csvText(G4IT_DS_HEADERS[kind], t[kind], ';'));
    await e.close();
  }
  await zip.finish();
  return Buffer.concat(chunks);
}
