/**
 * The convert use case (issue 11): read sources as `assess` does — each with its own mapping (a GLPI or Lansweeper
 * export through its preset, a NumEcoEval folder read as it is) — and write the validated inventory as NumEcoEval or
 * G4IT CSV files, one per kind, with the canonical column names of `src/inventory/columns.ts`. Rejected lines are not
 * written (the run's report counts them, and `rejectsDir` writes them as `validate` does).
 *
 * Files are streamed into a hidden temporary folder next to the target and moved into it at the end, so a failed run
 * leaves no partial output; every cell goes through the one CSV writer (formula guard, which the readers strip).
 * Converting back what was written reads the same inventory (tested: equal totals).
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { csvRecord } from '../formats/csv-write.js';
import { outputError } from '../formats/os-error.js';
import { removeStaleTemps, tempPath } from '../formats/temp-files.js';
import { KIND_SPECS, type ColumnSpec } from '../inventory/columns.js';
import type { InventoryKind, Quality } from '../inventory/model.js';
import { processInventory, type InventoryResult, type InventorySink } from '../inventory/pipeline.js';
import type { TextEncoding } from '../formats/encoding.js';
import type { AppDeps } from './deps.js';
import { openSources, type Source } from './sources.js';
import { referentialChecks } from './validate.js';

export type ConvertFormat = 'numecoeval' | 'g4it';

export interface ConvertInput {
  readonly sources: readonly Source[];
  readonly to: ConvertFormat;
  /** Target folder (created; files of the same names replaced). */
  readonly outDir: string;
  readonly referenceDate?: string;
  readonly strict?: boolean;
  readonly encoding?: TextEncoding;
  readonly rejectsDir?: string;
  /** Referential folders or pack ids layered over the default pack, for the type and location checks (as assess). */
  readonly referentials?: readonly string[];
}

export interface ConvertOutcome {
  /** Files written, with the number of rows of each. */
  readonly files: readonly { readonly file: string; readonly kind: InventoryKind; readonly rows: number }[];
  /** Items of a kind the target format has no file for (G4IT: entities, non-IT items, messaging), per kind. */
  readonly notConverted: Readonly<Partial<Record<InventoryKind, number>>>;
  readonly result: InventoryResult;
}

/** NumEcoEval writes `qualite` in French (§1.6); the readers accept both. */
const QUALITY_OUT: Readonly<Record<Quality, string>> = { HIGH: 'HAUTE', MEDIUM: 'MOYENNE', LOW: 'BASSE' };

/** The columns written for a kind: those the model keeps (a column read and ignored has no field to write back). */
function columnsOf(kind: InventoryKind): readonly ColumnSpec[] {
  return KIND_SPECS[kind].columns.filter((c) => c.field !== undefined || c.type === 'monthYear');
}

function cell(spec: ColumnSpec, item: Readonly<Record<string, unknown>>): string | number | undefined {
  // Messaging keeps `MoisAnnee` as month and year (model.ts): written back as MMYYYY.
  if (spec.type === 'monthYear')
    return typeof item['month'] === 'number' && typeof item['year'] === 'number'
      ? `${String(item['month']).padStart(2, '0')}${item['year']}`
      : undefined;
  const v = item[spec.field ?? spec.canonical];
  if (v === undefined || v === null) return undefined;
  if (spec.type === 'quality') return QUALITY_OUT[v as Quality];
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

function fileName(kind: InventoryKind, to: ConvertFormat): string | undefined {
  const spec = KIND_SPECS[kind];
  if (to === 'g4it') return spec.g4it !== undefined ? `${spec.g4it}.csv` : undefined;
  return `${spec.numecoeval}.csv`;
}

/** Runs a conversion; throws an `OutputError` when the target cannot be written, mapping errors as `assess` does. */
export async function convert(deps: AppDeps, input: ConvertInput): Promise<ConvertOutcome> {
  const target = resolve(input.outDir);
  const tmp = tempPath(target);
  const writers = new Map<InventoryKind, { file: string; out: WriteStream; rows: number }>();
  const notConverted: Partial<Record<InventoryKind, number>> = {};
  const fail = (e: unknown): never => {
    throw outputError(input.outDir, e);
  };
  const write = (kind: InventoryKind, item: object): void | Promise<void> => {
    let w = writers.get(kind);
    if (w === undefined) {
      const file = fileName(kind, input.to);
      if (file === undefined) {
        notConverted[kind] = (notConverted[kind] ?? 0) + 1;
        return;
      }
      const out = createWriteStream(join(tmp, file));
      out.on('error', () => undefined); // reported by the awaited end() below
      out.write(csvRecord(columnsOf(kind).map((c) => c.canonical)) + '\n');
      writers.set(kind, (w = { file, out, rows: 0 }));
    }
    w.rows++;
    const record = item as Readonly<Record<string, unknown>>;
    if (!w.out.write(csvRecord(columnsOf(kind).map((c) => cell(c, record))) + '\n'))
      return new Promise((ok) => w.out.once('drain', () => ok()));
  };
  const sink: InventorySink = {
    entity: (i) => write('entity', i),
    datacenter: (i) => write('datacenter', i),
    physical: (i) => write('physical-equipment', i),
    virtual: (i) => write('virtual-equipment', i),
    application: (i) => write('application', i),
    nonIt: (i) => write('non-it', i),
    messaging: (i) => write('messaging', i),
  };

  try {
    await mkdir(dirname(target), { recursive: true }).catch(fail);
    await removeStaleTemps(target);
    await rm(tmp, { recursive: true, force: true });
    deps.temps?.add(tmp);
    await mkdir(tmp, { recursive: true }).catch(fail);
    const inputs = await openSources(input.sources, deps);
    // The same checks as assess and validate: a line of an unknown type or location is refused, not written.
    const { referential } = await deps.loadReferential({
      ...(input.referentials ? { referential: input.referentials } : {}),
      profile: 'rcp',
    });
    const referenceDate = input.referenceDate ?? deps.today();
    const result = await processInventory(
      inputs,
      {
        readers: deps.readers,
        ...(deps.spoolDir !== undefined ? { spoolDir: deps.spoolDir } : {}),
        mode: input.strict ? 'strict' : 'lenient',
        referenceDate,
        ...referentialChecks(referential, referenceDate),
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(input.rejectsDir !== undefined ? { rejectsDir: input.rejectsDir } : {}),
        ...(deps.temps ? { tempFiles: deps.temps } : {}),
      },
      sink,
    );
    for (const w of writers.values())
      await new Promise<void>((ok, ko) => w.out.end((e?: Error | null) => (e ? ko(e) : ok()))).catch(fail);
    if (!existsSync(target)) await rename(tmp, target).catch(fail);
    else {
      for (const w of writers.values()) await rename(join(tmp, w.file), join(target, w.file)).catch(fail);
      await rm(tmp, { recursive: true, force: true });
    }
    const files = [...writers.entries()]
      .map(([kind, w]) => ({ file: join(input.outDir, w.file), kind, rows: w.rows }))
      .sort((a, b) => a.file.localeCompare(b.file));
    return { files, notConverted, result };
  } catch (e) {
    for (const w of writers.values()) w.out.destroy();
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  } finally {
    deps.temps?.delete(tmp);
  }
}
