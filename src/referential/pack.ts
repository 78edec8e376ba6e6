/**
 * Referential packs: a folder holding `manifest.json` plus one JSON file per table (or per licence, so that ODbL and
 * CC BY-SA data stay separate files, methodology §8). The embedded default pack (`referential/empreinte-default/`,
 * built by `scripts/build-referential.ts`) and the user packs stored by `empreinte referential import` share this
 * format. Loading validates every file with zod and checks its sha256 against the manifest, then yields a
 * `ReferentialLayer` (methodology §3.4) whose every value carries its Provenance (source, licence, vintage, layer,
 * file, line).
 *
 * Serialisation is deterministic: object keys sorted, one row per line, no timestamps, so rebuilding from the same
 * inputs gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { ALL_STEPS, type StepCode } from './codes.js';
import type {
  CloudInstanceRow,
  CloudPlatformRow,
  CloudProvider,
  CloudRegion,
  CpuSpec,
  CriterionEntry,
  ElectricityFactor,
  FactorRow,
  Hypothesis,
  ItemType,
  Matching,
  MessagingFactor,
  NetworkType,
  Normalisation,
  Provenance,
  ReferentialLayer,
  ReferentialTable,
  ServerHost,
} from './model.js';
import { REFERENTIAL_TABLES } from './model.js';
import { validateLayer } from './validate.js';

export const PACK_FORMAT = 'empreinte-referential-pack/1';
export const DEFAULT_PACK_ID = 'empreinte-default';

// ---------------------------------------------------------------------------------------------------------------
// Schemas (zod) of the files
// ---------------------------------------------------------------------------------------------------------------

/**
 * The zod schemas of the data files, built when a pack's data files are validated (issue 11, start-up time: they are
 * not built by a run that loads the embedded pack only, whose data files are not re-validated; see `loadPack`).
 */
function packSchemas() {
  const sourceSchema = z.strictObject({
    source: z.string().min(1),
    licence: z.string().min(1).optional(),
    vintage: z.string().min(1).optional(),
  });

  const tierSchema = z.enum(['TERMINAL', 'NETWORK', 'DATACENTER', 'UNASSIGNED']);
  const unitSchema = z.enum(['Item', 'Line', 'GB', 'h', 'kWh']);
  const stepSchema = z.enum(ALL_STEPS as unknown as [StepCode, ...StepCode[]]);
  const finite = z.number().refine(Number.isFinite, 'must be a finite number');
  /** Factors and lifetimes: any number here; `validate.ts` refuses the row (not the pack) when it breaks a rule of §3.5. */
  const checkedLater = z.custom<number>((v) => typeof v === 'number', 'must be a number'); // Infinity too (1e309)
  /** Per-row reference to the file's `sources` table plus optional original location (user packs). */
  const rowRef = { src: z.string().min(1), line: z.number().int().positive().optional(), file: z.string().optional() };

  const rowSchemas = {
    criteria: z.strictObject({
      code: z.string().min(1),
      label: z.string(),
      unit: z.string(),
      description: z.string().optional(),
      ...rowRef,
    }),
    steps: z.strictObject({ code: stepSchema, label: z.string(), ...rowRef }),
    hypotheses: z.strictObject({
      code: z.string().min(1),
      value: z.union([finite, z.string()]),
      unit: z.string().optional(),
      description: z.string().optional(),
      ...rowRef,
    }),
    itemTypes: z.strictObject({
      type: z.string().min(1),
      category: z.string().optional(),
      isServer: z.boolean(),
      defaultLifespanYears: checkedLater.optional(),
      defaultRefItem: z.string().optional(),
      tier: tierSchema.optional(),
      comment: z.string().optional(),
      synonyms: z.array(z.string().min(1)).optional(),
      ...rowRef,
    }),
    factorRows: z.strictObject({
      item: z.string().min(1),
      step: stepSchema,
      criterion: z.string().min(1),
      value: checkedLater,
      description: z.string().optional(),
      tier: tierSchema.optional(),
      level: z.string().optional(),
      category: z.string().optional(),
      unit: unitSchema.optional(),
      avgKWhPerYear: checkedLater.optional(),
      activePowerW: finite.nonnegative().optional(),
      dailyHours: finite.nonnegative().max(24).optional(),
      lifespanYears: checkedLater.optional(),
      location: z.string().optional(),
      /** Source id of the consumption figure (`kwhProv`), when it is not the factor's own source. */
      kwhSrc: z.string().optional(),
      ...rowRef,
    }),
    electricity: z.strictObject({
      location: z.string().min(1),
      locationLabel: z.string().min(1),
      criterion: z.string().min(1),
      valuePerKWh: checkedLater,
      dataset: z.string().min(1),
      ...rowRef,
    }),
    matchings: z.strictObject({
      modelSource: z.string().min(1),
      refItemTarget: z.string().min(1),
      owner: z.string().optional(),
      ...rowRef,
    }),
    messaging: z.strictObject({ criterion: z.string().min(1), A: checkedLater, b: checkedLater, ...rowRef }),
    normalisation: z.strictObject({ criterion: z.string().min(1), perPersonPerYear: finite.positive(), ...rowRef }),
    // F15 cloud archetypes and the F16/F17 CPU catalogue (Boavizta), see model.ts.
    cloudProviders: z.strictObject({
      provider: z.string().min(1),
      description: z.string().optional(),
      synonyms: z.array(z.string().min(1)).optional(),
      ...rowRef,
    }),
    cloudInstances: z.strictObject({
      provider: z.string().min(1),
      id: z.string().min(1),
      vcpu: finite.positive(),
      memoryGB: finite.nonnegative(),
      ssdGB: finite.nonnegative(),
      hddGB: finite.nonnegative(),
      gpu: z.string().min(1).optional(),
      platform: z.string().min(1),
      note: z.string().optional(),
      sourceRow: z.number().int().positive().optional(),
      ...rowRef,
    }),
    cloudPlatforms: z.strictObject({
      id: z.string().min(1),
      manufacturer: z.string().optional(),
      caseType: z.enum(['rack', 'blade']),
      cpuUnits: finite.positive(),
      cpuCoreUnits: finite.positive().optional(),
      cpuDieSizePerCoreMm2: finite.positive().optional(),
      cpuName: z.string().min(1).optional(),
      cpuThreads: finite.positive().optional(),
      ramUnits: finite.nonnegative(),
      ramCapacityGB: finite.nonnegative(),
      ssdUnits: finite.nonnegative(),
      ssdCapacityGB: finite.nonnegative(),
      hddUnits: finite.nonnegative(),
      hddCapacityGB: finite.nonnegative(),
      gpuUnits: finite.nonnegative().optional(),
      gpuName: z.string().optional(),
      powerSupplyUnits: finite.nonnegative(),
      powerSupplyWeightKg: finite.nonnegative(),
      load: finite.nonnegative().max(100).optional(),
      useTimeRatio: finite.nonnegative().max(1).optional(),
      hoursLifeTime: finite.positive(),
      otherConsumptionRatio: finite.nonnegative(),
      warnings: z.string().optional(),
      ...rowRef,
    }),
    cloudRegions: z.strictObject({
      provider: z.string().min(1),
      region: z.string().min(1),
      location: z.string().min(1),
      locationLabel: z.string().min(1),
      ...rowRef,
    }),
    cpuSpecs: z.strictObject({
      name: z.string().min(1),
      manufacturer: z.string().optional(),
      modelRange: z.string().optional(),
      family: z.string().optional(),
      cores: finite.positive().optional(),
      threads: finite.positive().optional(),
      tdpW: finite.positive().optional(),
      totalDieSizeMm2: finite.positive().optional(),
      sourceRow: z.number().int().positive().optional(),
      ...rowRef,
    }),
    // Digital-service auxiliary tables (G4IT `ref_network_type.csv`, `ref_server_host.csv`), see model.ts.
    networkTypes: z.strictObject({
      code: z.string().min(1),
      description: z.string().optional(),
      referenceDescription: z.string().optional(),
      kind: z.enum(['FIXED', 'MOBILE']),
      annualGBPerLine: finite.positive().optional(),
      country: z.string().optional(),
      ...rowRef,
    }),
    serverHosts: z.strictObject({
      description: z.string().min(1),
      reference: z.string().min(1),
      referenceDescription: z.string().optional(),
      kind: z.enum(['COMPUTE', 'STORAGE']),
      vcpu: finite.positive().optional(),
      totalDiskGB: finite.positive().optional(),
      lifespanYears: checkedLater.optional(),
      ...rowRef,
    }),
  } as const;

  const dataFileSchema = z.strictObject({
    sources: z.record(z.string(), sourceSchema),
    criteria: z.array(rowSchemas.criteria).optional(),
    steps: z.array(rowSchemas.steps).optional(),
    hypotheses: z.array(rowSchemas.hypotheses).optional(),
    itemTypes: z.array(rowSchemas.itemTypes).optional(),
    factorRows: z.array(rowSchemas.factorRows).optional(),
    electricity: z.array(rowSchemas.electricity).optional(),
    matchings: z.array(rowSchemas.matchings).optional(),
    messaging: z.array(rowSchemas.messaging).optional(),
    normalisation: z.array(rowSchemas.normalisation).optional(),
    cloudProviders: z.array(rowSchemas.cloudProviders).optional(),
    cloudInstances: z.array(rowSchemas.cloudInstances).optional(),
    cloudPlatforms: z.array(rowSchemas.cloudPlatforms).optional(),
    cloudRegions: z.array(rowSchemas.cloudRegions).optional(),
    cpuSpecs: z.array(rowSchemas.cpuSpecs).optional(),
    networkTypes: z.array(rowSchemas.networkTypes).optional(),
    serverHosts: z.array(rowSchemas.serverHosts).optional(),
  });

  return { sourceSchema, rowSchemas, dataFileSchema };
}

/** The zod schema of a pack's manifest, built when a manifest is read. */
function manifestSchema() {
  return z.strictObject({
    format: z.literal(PACK_FORMAT),
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'pack id: letters, digits, dot, dash, underscore'),
    version: z.string().min(1),
    title: z.string(),
    description: z.string().optional(),
    /** Profile the pack is meant for (`rcp` for the default pack). */
    profile: z.string().optional(),
    /** sha256 over the sorted `path:sha256` lines of `files`: identifies the pack content. */
    contentHash: z.string().regex(/^[0-9a-f]{64}$/),
    files: z.array(
      z.strictObject({
        path: z.string().regex(/^[A-Za-z0-9._-]+\.json$/),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        licence: z.string(),
        rows: z.number().int().nonnegative(),
        description: z.string().optional(),
      }),
    ),
    /** Build inputs (default pack) or imported files (user packs), with their hashes. */
    inputs: z.array(
      z.strictObject({
        path: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        origin: z.string().optional(),
        licence: z.string().optional(),
      }),
    ),
    licences: z.array(z.strictObject({ dataset: z.string(), licence: z.string(), attribution: z.string() })),
    /** Source rows deliberately not embedded, with the reason (nothing dropped silently). */
    skipped: z.array(z.strictObject({ what: z.string(), count: z.number().int().nonnegative(), reason: z.string() })),
    /** Hypotheses and choices worth showing in `referential show`. */
    notes: z.array(z.string()).optional(),
  });
}

type PackSchemas = ReturnType<typeof packSchemas>;
export type PackSource = z.infer<PackSchemas['sourceSchema']>;
export type PackDataFile = z.infer<PackSchemas['dataFileSchema']>;
export type PackManifest = z.infer<ReturnType<typeof manifestSchema>>;

/** The tables of a pack, in the order of the schemas of the data files (the order rows are read in). */
export const PACK_TABLES: readonly ReferentialTable[] = REFERENTIAL_TABLES;

/** The tables of the data files' schema, in order (for the test that PACK_TABLES lists them all). */
export function schemaTables(): string[] {
  return Object.keys(packSchemas().rowSchemas);
}

export interface Pack {
  readonly dir: string;
  readonly manifest: PackManifest;
  /** The pack's rows, without those refused by the value rules of §3.5 (listed in `issues`). */
  readonly layer: ReferentialLayer;
  /** Rows refused (severity R) by `validateLayer`; empty for a sound pack. */
  readonly issues?: readonly Issue[];
}

// ---------------------------------------------------------------------------------------------------------------
// Stable JSON
// ---------------------------------------------------------------------------------------------------------------

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** Deterministic JSON: keys sorted; top-level arrays written one element per line (readable diffs). */
export function stableJson(value: unknown): string {
  const v = sortKeys(value);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v) + '\n';
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    let body: string;
    if (Array.isArray(x)) {
      body = x.length === 0 ? '[]' : '[\n' + x.map((e) => '    ' + JSON.stringify(e)).join(',\n') + '\n  ]';
    } else if (x !== null && typeof x === 'object') {
      const entries = Object.entries(x);
      body =
        entries.length === 0
          ? '{}'
          : '{\n' + entries.map(([kk, e]) => `    ${JSON.stringify(kk)}: ${JSON.stringify(e)}`).join(',\n') + '\n  }';
    } else body = JSON.stringify(x);
    parts.push(`  ${JSON.stringify(k)}: ${body}`);
  }
  return '{\n' + parts.join(',\n') + '\n}\n';
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// Layer ⇄ files
// ---------------------------------------------------------------------------------------------------------------

type AnyRow = { prov: Provenance } & Record<string, unknown>;

/** Sort key of each table's rows (natural key), so files do not depend on build order. */
const ROW_KEY: Record<ReferentialTable, (r: AnyRow) => string> = {
  criteria: (r) => String(r.code),
  steps: (r) => String(r.code),
  hypotheses: (r) => String(r.code),
  itemTypes: (r) => String(r.type),
  factorRows: (r) => `${String(r.item)}\u0000${String(r.step)}\u0000${String(r.criterion)}`,
  electricity: (r) => `${String(r.dataset)}\u0000${String(r.location)}\u0000${String(r.criterion)}`,
  matchings: (r) => `${String(r.modelSource)}\u0000${String(r.owner ?? '')}`,
  messaging: (r) => String(r.criterion),
  normalisation: (r) => String(r.criterion),
  cloudProviders: (r) => String(r.provider),
  cloudInstances: (r) => `${String(r.provider)}\u0000${String(r.id)}`,
  cloudPlatforms: (r) => String(r.id),
  cloudRegions: (r) => `${String(r.provider)}\u0000${String(r.region)}`,
  cpuSpecs: (r) => String(r.name),
  networkTypes: (r) => String(r.code),
  serverHosts: (r) => String(r.description),
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface SerialisedPack {
  readonly manifest: PackManifest;
  /** File name → content. */
  readonly files: ReadonlyMap<string, string>;
}

export interface PackMeta {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly description?: string;
  readonly profile?: string;
  readonly inputs: PackManifest['inputs'];
  readonly licences: PackManifest['licences'];
  readonly skipped: PackManifest['skipped'];
  readonly notes?: readonly string[];
  /** Description of each data file, shown in `referential show`. */
  readonly fileDescriptions?: Readonly<Record<string, string>>;
  /** Keep the original file/line of each row in the pack (user packs: errors and traces point at the CSV). */
  readonly keepRowLocation?: boolean;
}

/**
 * Serialise a layer into pack files. A row goes to the file named by its `prov.file` when that ends in `.json`
 * (the build script uses this to keep licences apart), else to `<table>.json`.
 */
export function serialisePack(layer: ReferentialLayer, meta: PackMeta): SerialisedPack {
  const perFile = new Map<
    string,
    {
      sources: Map<string, PackSource>;
      srcIds: Map<string, string>;
      tables: Map<ReferentialTable, Record<string, unknown>[]>;
    }
  >();
  for (const table of PACK_TABLES) {
    const rows = [...((layer[table] ?? []) as unknown as AnyRow[])].sort((a, b) =>
      cmp(ROW_KEY[table](a), ROW_KEY[table](b)),
    );
    for (const row of rows) {
      const fileName = row.prov.file?.endsWith('.json') && !meta.keepRowLocation ? row.prov.file : `${table}.json`;
      let f = perFile.get(fileName);
      if (!f) perFile.set(fileName, (f = { sources: new Map(), srcIds: new Map(), tables: new Map() }));
      const file = f;
      const srcId = (p: Provenance): string => {
        const src: PackSource = { source: p.source, licence: p.licence, vintage: p.vintage };
        const srcKey = JSON.stringify([src.source, src.licence ?? null, src.vintage ?? null]);
        let id = file.srcIds.get(srcKey);
        if (id === undefined) {
          id = `s${file.srcIds.size + 1}`;
          file.srcIds.set(srcKey, id);
          file.sources.set(id, src);
        }
        return id;
      };
      const id = srcId(row.prov);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row))
        if (k !== 'prov' && k !== 'kwhProv' && v !== undefined) out[k] = Array.isArray(v) ? [...v] : v;
      if (row.kwhProv !== undefined) out.kwhSrc = srcId(row.kwhProv as Provenance);
      out.src = id;
      if (meta.keepRowLocation) {
        if (row.prov.file !== undefined) out.file = row.prov.file;
        if (row.prov.line !== undefined) out.line = row.prov.line;
      }
      let list = f.tables.get(table);
      if (!list) f.tables.set(table, (list = []));
      list.push(out);
    }
  }
  const files = new Map<string, string>();
  const fileEntries: PackManifest['files'] = [];
  const { dataFileSchema } = packSchemas();
  for (const name of [...perFile.keys()].sort(cmp)) {
    const f = perFile.get(name)!;
    const body: Record<string, unknown> = { sources: Object.fromEntries(f.sources) };
    let rows = 0;
    for (const [t, list] of f.tables) {
      body[t] = list;
      rows += list.length;
    }
    const text = stableJson(body);
    dataFileSchema.parse(JSON.parse(text)); // never write what we could not read back
    files.set(name, text);
    const licences = [...new Set([...f.sources.values()].map((s) => s.licence ?? 'unspecified'))].sort(cmp);
    fileEntries.push({
      path: name,
      sha256: sha256(text),
      licence: licences.join(' + '),
      rows,
      description: meta.fileDescriptions?.[name],
    });
  }
  const contentHash = sha256(fileEntries.map((e) => `${e.path}:${e.sha256}`).join('\n'));
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    id: meta.id,
    version: meta.version,
    title: meta.title,
    description: meta.description,
    profile: meta.profile,
    contentHash,
    files: fileEntries,
    inputs: [...meta.inputs].sort((a, b) => cmp(a.path, b.path)),
    licences: [...meta.licences],
    skipped: [...meta.skipped],
    notes: meta.notes ? [...meta.notes] : undefined,
  };
  manifestSchema().parse(manifest);
  return { manifest, files };
}

/** Turn validated pack files back into a layer named `layerName`. */
export function layerFromPackFiles(
  manifest: PackManifest,
  files: ReadonlyMap<string, PackDataFile>,
  layerName: string,
): ReferentialLayer {
  const tables: Record<ReferentialTable, AnyRow[]> = {
    criteria: [],
    steps: [],
    hypotheses: [],
    itemTypes: [],
    factorRows: [],
    electricity: [],
    matchings: [],
    messaging: [],
    normalisation: [],
    cloudProviders: [],
    cloudInstances: [],
    cloudPlatforms: [],
    cloudRegions: [],
    cpuSpecs: [],
    networkTypes: [],
    serverHosts: [],
  };
  for (const entry of manifest.files) {
    const data = files.get(entry.path);
    if (!data) throw new Error(`pack ${manifest.id}: file ${entry.path} missing`);
    for (const table of PACK_TABLES) {
      const rows = data[table] as
        (Record<string, unknown> & { src: string; file?: string; line?: number })[] | undefined;
      if (!rows) continue;
      for (const r of rows) {
        const s = data.sources[r.src];
        if (!s) throw new Error(`pack ${manifest.id}: ${entry.path}: unknown source id '${r.src}'`);
        const prov: Provenance = {
          source: s.source,
          licence: s.licence,
          vintage: s.vintage,
          layer: layerName,
          file: r.file ?? entry.path,
          line: r.line,
        };
        // The row's own fields (without its source reference and location, and without undefined values), in their
        // order, then `prov` and, when the row names one, `kwhProv`: one object per row.
        const row: Record<string, unknown> = {};
        for (const key of Object.keys(r)) {
          if (key === 'src' || key === 'file' || key === 'line' || key === 'kwhSrc') continue;
          const v = r[key];
          if (v !== undefined) row[key] = v;
        }
        row.prov = prov;
        const kwhSrc = (r as typeof r & { kwhSrc?: string }).kwhSrc;
        if (kwhSrc !== undefined) {
          const k = data.sources[kwhSrc];
          if (!k) throw new Error(`pack ${manifest.id}: ${entry.path}: unknown source id '${kwhSrc}'`);
          row.kwhProv = { source: k.source, licence: k.licence, vintage: k.vintage, layer: layerName, file: prov.file };
        }
        tables[table].push(row as AnyRow);
      }
    }
  }
  // Electricity rows in the order of the pack's `electricitySource` hypothesis (e.g. `ademe,ember`): `mergeLayers`
  // keeps the first row of a layer when no dataset is requested, so the default dataset order is the pack's own.
  const order = electricityOrder(tables.hypotheses as unknown as Hypothesis[]);
  const rank = (d: string) => {
    const i = order.indexOf(d);
    return i < 0 ? order.length : i;
  };
  tables.electricity.sort((a, b) => rank(String(a.dataset)) - rank(String(b.dataset)));
  return {
    name: layerName,
    criteria: tables.criteria as unknown as CriterionEntry[],
    steps: tables.steps as unknown as ReferentialLayer['steps'],
    hypotheses: tables.hypotheses as unknown as Hypothesis[],
    itemTypes: tables.itemTypes as unknown as ItemType[],
    factorRows: tables.factorRows as unknown as FactorRow[],
    electricity: tables.electricity as unknown as ElectricityFactor[],
    matchings: tables.matchings as unknown as Matching[],
    messaging: tables.messaging as unknown as MessagingFactor[],
    normalisation: tables.normalisation as unknown as Normalisation[],
    // Cloud tables only when the pack has them (layers of CSV referentials have none).
    ...(tables.cloudProviders.length ? { cloudProviders: tables.cloudProviders as unknown as CloudProvider[] } : {}),
    ...(tables.cloudInstances.length ? { cloudInstances: tables.cloudInstances as unknown as CloudInstanceRow[] } : {}),
    ...(tables.cloudPlatforms.length ? { cloudPlatforms: tables.cloudPlatforms as unknown as CloudPlatformRow[] } : {}),
    ...(tables.cloudRegions.length ? { cloudRegions: tables.cloudRegions as unknown as CloudRegion[] } : {}),
    ...(tables.cpuSpecs.length ? { cpuSpecs: tables.cpuSpecs as unknown as CpuSpec[] } : {}),
    ...(tables.networkTypes.length ? { networkTypes: tables.networkTypes as unknown as NetworkType[] } : {}),
    ...(tables.serverHosts.length ? { serverHosts: tables.serverHosts as unknown as ServerHost[] } : {}),
  };
}

/** Datasets listed by the `electricitySource` hypothesis (comma-separated), in order. */
export function electricityOrder(hypotheses: readonly Hypothesis[]): string[] {
  const h = hypotheses.find((x) => x.code === 'electricitySource');
  return typeof h?.value === 'string'
    ? h.value
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '')
    : [];
}

/** Layer name of a pack: `embedded:<id>` for the default pack, `user:<id>` otherwise. */
export const packLayerName = (id: string, embedded: boolean): string => `${embedded ? 'embedded' : 'user'}:${id}`;

function zodMessage(e: z.ZodError): { column: string; reason: string } {
  const first = e.issues[0];
  const path = first ? first.path.map(String).join('.') : '';
  return { column: path, reason: first ? `${path ? path + ': ' : ''}${first.message}` : e.message };
}

/** Throws the pack's `REF_PACK_INVALID` error about `file` (and `column`). */
type PackFail = (file: string, reason: string, column?: string) => never;

/** The `fail` of the pack in `dir`: its error names the pack by its folder's name. */
export function packFail(dir: string): PackFail {
  const id = basename(resolve(dir));
  return (file, reason, column) => {
    throw new EmpreinteError(issue('REF_PACK_INVALID', { id, reason }, { file, column }));
  };
}

/**
 * The integrity of a pack's data files against its (already read) manifest, as `loadPack` checks it: each listed
 * file read and its bytes' sha256 compared with the manifest's, no file listed twice, the manifest's contentHash over
 * the files' hashes, no data file in `dir` that the manifest does not list. `each` is given each file's bytes, in
 * the manifest's order, once its hash is checked; `read` reads a file (`readFile`, or `readFileSync` where blocking
 * the event loop costs less than the promises: a CLI run). Throws through `fail` at the first problem.
 */
export async function checkPackFiles<F extends { readonly path: string; readonly sha256: string }>(
  dir: string,
  manifest: { readonly files: readonly F[]; readonly contentHash: string },
  fail: PackFail,
  each: (entry: F, path: string, bytes: Buffer) => void = () => {},
  read: (path: string) => Buffer | Promise<Buffer> = readFile,
): Promise<void> {
  const manifestPath = join(dir, 'manifest.json');
  const seen = new Set<string>();
  for (const entry of manifest.files) {
    const p = join(dir, entry.path);
    // The bytes are hashed as read (the manifest's sha256 is the one of the UTF-8 text the build wrote).
    let bytes: Buffer;
    try {
      bytes = await read(p);
    } catch (e) {
      return fail(p, `cannot read: ${(e as Error).message}`);
    }
    if (sha256(bytes) !== entry.sha256)
      fail(p, `content does not match the manifest's sha256 (file modified after build?)`);
    if (seen.has(entry.path)) fail(manifestPath, `file ${entry.path} is listed twice`, 'files');
    seen.add(entry.path);
    each(entry, p, bytes);
  }
  // The manifest describes the whole content: its hash over the files, and no data file beside those it lists.
  const contentHash = sha256(manifest.files.map((e) => `${e.path}:${e.sha256}`).join('\n'));
  if (contentHash !== manifest.contentHash)
    fail(manifestPath, 'contentHash does not match the files listed', 'contentHash');
  const listed = new Set(manifest.files.map((e) => e.path));
  const extra = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== 'manifest.json' && !listed.has(n));
  if (extra.length > 0) fail(join(dir, extra.sort(cmp)[0]!), 'data file not listed in the manifest');
}

/**
 * Load and validate a pack folder. Throws `EmpreinteError` (REF_PACK_INVALID) naming the file and the field.
 *
 * `trusted` (only `loadDefaultPack`, for the embedded pack of the package): every file's sha256 and the manifest's
 * contentHash are still checked, but the files are not re-validated with zod nor their rows with `validateLayer`: the
 * build (`serialisePack`) validated exactly these bytes, and `pack.test.ts` checks that the full validation of the
 * embedded pack refuses nothing and gives the same layer. A user pack is always validated in full.
 */
export async function loadPack(dir: string, opts: { embedded?: boolean; trusted?: boolean } = {}): Promise<Pack> {
  const trusted = opts.trusted === true;
  const manifestPath = join(dir, 'manifest.json');
  const fail = packFail(dir);
  let raw: string;
  try {
    raw = await readFile(manifestPath, 'utf8');
  } catch (e) {
    return fail(manifestPath, `cannot read the pack manifest: ${(e as Error).message}`);
  }
  let manifest: PackManifest;
  try {
    const parsed = manifestSchema().safeParse(JSON.parse(raw));
    if (!parsed.success) {
      const m = zodMessage(parsed.error);
      return fail(manifestPath, m.reason, m.column);
    }
    manifest = parsed.data;
  } catch (e) {
    return fail(manifestPath, `invalid JSON: ${(e as Error).message}`);
  }
  const files = new Map<string, PackDataFile>();
  const dataFileSchema = trusted ? undefined : packSchemas().dataFileSchema;
  await checkPackFiles(dir, manifest, fail, (entry, p, bytes) => {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return fail(p, `invalid JSON: ${(e as Error).message}`);
    }
    if (dataFileSchema === undefined) {
      files.set(entry.path, json as PackDataFile);
      return;
    }
    const parsed = dataFileSchema.safeParse(json);
    if (!parsed.success) {
      const m = zodMessage(parsed.error);
      return fail(p, m.reason, m.column);
    }
    files.set(entry.path, parsed.data);
  });
  const embedded = opts.embedded ?? manifest.id === DEFAULT_PACK_ID;
  let layer: ReferentialLayer;
  try {
    layer = {
      ...layerFromPackFiles(manifest, files, packLayerName(manifest.id, embedded)),
      packHash: manifest.contentHash,
    };
  } catch (e) {
    return fail(manifestPath, (e as Error).message);
  }
  if (trusted) return { dir, manifest, layer, issues: [] };
  const checked = validateLayer(layer);
  return { dir, manifest, layer: checked.layer, issues: checked.issues };
}

/** Write a serialised pack into `dir` atomically (temporary folder, then rename): no partial writes. */
export async function writePack(dir: string, pack: SerialisedPack): Promise<void> {
  const target = resolve(dir);
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const [name, text] of pack.files) await writeFile(join(tmp, name), text, 'utf8');
  await writeFile(join(tmp, 'manifest.json'), stableJson(pack.manifest), 'utf8');
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) await rename(target, old);
  await mkdir(dirname(target), { recursive: true });
  await rename(tmp, target);
  await rm(old, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Locations of packs
// ---------------------------------------------------------------------------------------------------------------

/** Folder of the embedded default pack (`<package root>/referential/empreinte-default`), from src/ or dist/. */
export function defaultPackDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(d, 'referential', DEFAULT_PACK_ID);
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    d = dirname(d);
  }
  throw new EmpreinteError(
    issue(
      'REF_PACK_INVALID',
      { id: DEFAULT_PACK_ID, reason: 'the embedded default pack is missing; run `npm run referential:build`' },
      {},
    ),
  );
}

/** Load the embedded default pack. */
export function loadDefaultPack(): Promise<Pack> {
  return loadPack(defaultPackDir(), { embedded: true, trusted: true });
}

/** User packs folder: `$EMPREINTE_HOME/referentials`, else `~/.empreinte/referentials`. */
export function userPacksDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.EMPREINTE_HOME ?? join(env.HOME ?? env.USERPROFILE ?? '.', '.empreinte');
  return join(home, 'referentials');
}

export interface PackListing {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly dir: string;
  readonly embedded: boolean;
  readonly contentHash: string;
}

/** The embedded pack then the user packs (sorted by id). Unreadable user folders are reported, not skipped. */
export async function listPacks(env: NodeJS.ProcessEnv = process.env): Promise<PackListing[]> {
  const out: PackListing[] = [];
  const def = await loadManifestOnly(defaultPackDir());
  out.push({
    id: def.id,
    version: def.version,
    title: def.title,
    dir: defaultPackDir(),
    embedded: true,
    contentHash: def.contentHash,
  });
  const root = userPacksDir(env);
  if (existsSync(root)) {
    for (const name of (await readdir(root)).sort(cmp)) {
      if (name.includes('.tmp-') || name.includes('.old-')) continue;
      const dir = join(root, name);
      if (!existsSync(join(dir, 'manifest.json'))) continue;
      const m = await loadManifestOnly(dir);
      out.push({ id: m.id, version: m.version, title: m.title, dir, embedded: false, contentHash: m.contentHash });
    }
  }
  return out;
}

/** A pack's manifest alone (zod-checked), without reading its data files. */
export async function loadManifestOnly(dir: string): Promise<PackManifest> {
  const p = join(dir, 'manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(p, 'utf8'));
  } catch (e) {
    throw new EmpreinteError(
      issue('REF_PACK_INVALID', { id: basename(dir), reason: (e as Error).message }, { file: p }),
    );
  }
  const parsed = manifestSchema().safeParse(json);
  if (!parsed.success) {
    const m = zodMessage(parsed.error);
    throw new EmpreinteError(
      issue('REF_PACK_INVALID', { id: basename(dir), reason: m.reason }, { file: p, column: m.column }),
    );
  }
  return parsed.data;
}

/** Find a pack by id (embedded or user) or by folder path. */
export async function resolvePack(idOrDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Pack> {
  if (existsSync(join(idOrDir, 'manifest.json'))) return loadPack(idOrDir);
  const all = await listPacks(env);
  const hit = all.find((p) => p.id === idOrDir);
  if (!hit) {
    throw new EmpreinteError(issue('REF_PACK_UNKNOWN', { id: idOrDir, known: all.map((p) => p.id).join(', ') }, {}));
  }
  return loadPack(hit.dir, { embedded: hit.embedded });
}

// ---------------------------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------------------------

export interface LayerDiffEntry {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly table: ReferentialTable;
  readonly key: string;
  readonly before?: string;
  readonly after?: string;
}

/** Keyed values of a layer, per table, for `referential diff` (value text without provenance). */
function keyedValues(layer: ReferentialLayer): Map<string, { table: ReferentialTable; key: string; value: string }> {
  const out = new Map<string, { table: ReferentialTable; key: string; value: string }>();
  const put = (table: ReferentialTable, key: string, value: unknown) =>
    out.set(`${table}\u0000${key}`, { table, key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  for (const r of layer.factorRows) put('factorRows', `${r.item} | ${r.step} | ${r.criterion}`, r.value);
  for (const r of layer.hypotheses) put('hypotheses', r.code, r.value);
  for (const r of layer.itemTypes) {
    put('itemTypes', r.type, {
      defaultRefItem: r.defaultRefItem,
      defaultLifespanYears: r.defaultLifespanYears,
      isServer: r.isServer,
      tier: r.tier,
    });
  }
  for (const r of layer.electricity) put('electricity', `${r.dataset} | ${r.location} | ${r.criterion}`, r.valuePerKWh);
  for (const r of layer.matchings)
    put('matchings', `${r.modelSource}${r.owner ? ` (${r.owner})` : ''}`, r.refItemTarget);
  for (const r of layer.normalisation) put('normalisation', r.criterion, r.perPersonPerYear);
  for (const r of layer.messaging) put('messaging', r.criterion, { A: r.A, b: r.b });
  for (const r of layer.criteria) put('criteria', r.code, { label: r.label, unit: r.unit });
  const noProv = <T extends { prov: Provenance }>({ prov: _prov, ...rest }: T) => rest;
  for (const r of layer.cloudProviders ?? []) put('cloudProviders', r.provider, noProv(r));
  for (const r of layer.cloudInstances ?? []) put('cloudInstances', `${r.provider} | ${r.id}`, noProv(r));
  for (const r of layer.cloudPlatforms ?? []) put('cloudPlatforms', r.id, noProv(r));
  for (const r of layer.cloudRegions ?? []) put('cloudRegions', `${r.provider} | ${r.region}`, r.location);
  for (const r of layer.cpuSpecs ?? []) put('cpuSpecs', r.name, noProv(r));
  for (const r of layer.networkTypes ?? []) put('networkTypes', r.code, noProv(r));
  for (const r of layer.serverHosts ?? []) put('serverHosts', r.description, noProv(r));
  return out;
}

/** Added, removed and changed values from layer `a` to layer `b`, sorted by table then key. */
export function diffLayers(a: ReferentialLayer, b: ReferentialLayer): LayerDiffEntry[] {
  const va = keyedValues(a);
  const vb = keyedValues(b);
  const out: LayerDiffEntry[] = [];
  for (const [k, x] of va) {
    const y = vb.get(k);
    if (!y) out.push({ kind: 'removed', table: x.table, key: x.key, before: x.value });
    else if (y.value !== x.value)
      out.push({ kind: 'changed', table: x.table, key: x.key, before: x.value, after: y.value });
  }
  for (const [k, y] of vb) if (!va.has(k)) out.push({ kind: 'added', table: y.table, key: y.key, after: y.value });
  return out.sort((p, q) => cmp(p.table, q.table) || cmp(p.key, q.key));
}
