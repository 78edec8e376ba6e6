/**
 * Merge referential layers into the frozen `Referential` of a run (methodology §3.5, precedence §0).
 *
 * - Layers are given lowest first (embedded pack → profile pack → user files in the order given).
 * - Within one layer a duplicate key replaces the earlier row (`REF_DUPLICATE_KEY`, upsert semantics).
 * - A layer whose `replace` lists a table first removes all lower-layer rows of that table ("annule et remplace").
 * - Rows owned by the run's organisation (`subscriber` / `nomOrganisation`) win over platform rows of any layer; rows
 *   owned by another organisation are ignored (choice), with one `REF_OTHER_OWNER_IGNORED` warning per owner and table.
 * - Reference items are grouped by name from the factor rows; their item-level attributes (average kWh, unit, tier…)
 *   come from the highest-precedence row, then file order ("the first row wins", `REF_INCONSISTENT_KWH`).
 * - Electricity: location → criterion → factor, the requested dataset when present for that location and criterion,
 *   else the factor of the highest layer (first row of that layer on a tie between datasets).
 * - `hash` = sha256 (hex) of a canonical serialisation (sorted keys, no file/line/layer) of the merged content.
 */
import { createHash } from 'node:crypto';
import { issue, type Issue } from '../issues/catalogue.js';
import { foldKey } from './codes.js';
import { hypothesisDef } from './hypotheses.js';
import {
  cloudKey,
  factorKey,
  type CloudInstanceRow,
  type CloudPlatformRow,
  type CloudProvider,
  type CloudReferential,
  type CloudRegion,
  type CpuSpec,
  type CriterionEntry,
  type ElectricityFactor,
  type Factor,
  type FactorRow,
  type Hypothesis,
  type ItemType,
  type ItemUnit,
  type Matching,
  type MessagingFactor,
  type NetworkType,
  type Normalisation,
  type Provenance,
  type ReferenceItem,
  type Referential,
  type ReferentialLayer,
  type ReferentialTable,
  type ServerHost,
  networkTypeKey,
} from './model.js';

export interface MergeOptions {
  /** The run's organisation: rows owned by it win; rows owned by others are ignored. */
  readonly organisation?: string;
  /** Electricity dataset to prefer (`ademe`, `ember`, `referential`…); absent = highest layer wins. */
  readonly electricityDataset?: string;
  /** Identity of the merged referential; default: the top layer's name. */
  readonly id?: string;
  /** Version of the merged referential; default: `sha256:` + 12 first hex digits of the hash. */
  readonly version?: string;
  /**
   * The hash of this very merge when the build already computed it (`merge-hashes.ts`: the embedded pack's default
   * merges, in the CLI bundle only); else computed here.
   */
  readonly hash?: string;
}

interface Ranked<T> {
  readonly row: T;
  readonly owned: boolean;
  readonly layer: number;
  readonly seq: number;
}

/** Higher precedence first: owned rows, then higher layers, then file order. */
function byPrecedence<T>(a: Ranked<T>, b: Ranked<T>): number {
  if (a.owned !== b.owned) return a.owned ? -1 : 1;
  if (a.layer !== b.layer) return b.layer - a.layer;
  return a.seq - b.seq;
}

interface TableSpec<T> {
  readonly table: ReferentialTable;
  readonly rows: (l: ReferentialLayer) => readonly T[];
  readonly key: (row: T) => string;
  readonly describe: (row: T) => string;
}

const provOf = (row: { prov: Provenance }): Provenance => row.prov;
const sameOwner = (a: string, b: string | undefined): boolean => b !== undefined && foldKey(a) === foldKey(b);

function mergeTable<T extends { prov: Provenance; owner?: string }>(
  layers: readonly ReferentialLayer[],
  spec: TableSpec<T>,
  opts: MergeOptions,
  issues: Issue[],
): Map<string, Ranked<T>> {
  const merged = new Map<string, Ranked<T>>();
  layers.forEach((layer, li) => {
    if (layer.replace?.includes(spec.table)) merged.clear();
    const seen = [new Set<string>(), new Set<string>()]; // platform, owned
    const ignored = new Map<string, number>();
    spec.rows(layer).forEach((row, seq) => {
      const owner = provOf(row).owner ?? row.owner;
      if (owner !== undefined && !sameOwner(owner, opts.organisation)) {
        ignored.set(owner, (ignored.get(owner) ?? 0) + 1);
        return;
      }
      const owned = owner !== undefined;
      const key = spec.key(row);
      const seenSet = seen[owned ? 1 : 0]!;
      if (seenSet.has(key)) {
        const p = provOf(row);
        issues.push(
          issue(
            'REF_DUPLICATE_KEY',
            { line: p.line ?? 0, key: spec.describe(row) },
            { file: p.file ?? layer.name, line: p.line },
          ),
        );
      }
      seenSet.add(key);
      const cur = merged.get(key);
      if (cur && cur.owned && !owned) return; // owned rows win over platform rows
      merged.set(key, { row, owned, layer: li, seq });
    });
    for (const [owner, count] of ignored) {
      issues.push(
        issue(
          'REF_OTHER_OWNER_IGNORED',
          { count, table: spec.table, owner, organisation: opts.organisation ?? '(none)' },
          { file: layer.name },
        ),
      );
    }
  });
  return merged;
}

const SEP = '\u0000';

function buildItems(rows: Map<string, Ranked<FactorRow>>, issues: Issue[]): Map<string, ReferenceItem> {
  const groups = new Map<string, Ranked<FactorRow>[]>();
  for (const r of rows.values()) {
    const g = groups.get(r.row.item);
    if (g) g.push(r);
    else groups.set(r.row.item, [r]);
  }
  const items = new Map<string, ReferenceItem>();
  for (const [name, group] of groups) {
    const sorted = [...group].sort(byPrecedence);
    const first = <K extends keyof FactorRow>(k: K): FactorRow[K] | undefined =>
      sorted.find((r) => r.row[k] !== undefined)?.row[k];
    const kwhValues = new Set(sorted.map((r) => r.row.avgKWhPerYear).filter((v) => v !== undefined));
    const avgKWhPerYear = first('avgKWhPerYear');
    if (kwhValues.size > 1) {
      const p = sorted[0]!.row.prov;
      issues.push(
        issue(
          'REF_INCONSISTENT_KWH',
          { item: name, value: avgKWhPerYear ?? '' },
          { file: p.file ?? p.layer, line: p.line },
        ),
      );
    }
    const unit: ItemUnit = first('unit') ?? 'Item';
    const factors = new Map<string, Factor>();
    // Factor order: layer then file order (stable for display).
    for (const r of [...group].sort((a, b) => a.layer - b.layer || a.seq - b.seq)) {
      factors.set(factorKey(r.row.step, r.row.criterion), { value: r.row.value, prov: r.row.prov });
    }
    const opt = <K extends keyof FactorRow>(k: K, out: K | string = k) => {
      const v = first(k);
      return v === undefined ? {} : { [out]: v };
    };
    const item: ReferenceItem = {
      name,
      unit,
      amortised: unit === 'Item',
      factors,
      prov: sorted[0]!.row.prov,
      ...opt('description'),
      ...opt('tier'),
      ...opt('level'),
      ...opt('category'),
      ...(avgKWhPerYear !== undefined ? { avgKWhPerYear } : {}),
      ...opt('activePowerW'),
      ...opt('dailyHours'),
      ...opt('lifespanYears'),
      ...opt('location'),
      ...opt('kwhProv'),
    };
    items.set(name, item);
  }
  return items;
}

function buildElectricity(
  rows: Map<string, Ranked<ElectricityFactor>>,
  dataset: string | undefined,
): Map<string, Map<string, ElectricityFactor>> {
  const candidates = new Map<string, Ranked<ElectricityFactor>[]>();
  for (const r of rows.values()) {
    const k = r.row.location + SEP + r.row.criterion;
    const list = candidates.get(k);
    if (list) list.push(r);
    else candidates.set(k, [r]);
  }
  const out = new Map<string, Map<string, ElectricityFactor>>();
  for (const list of candidates.values()) {
    const preferred = dataset === undefined ? [] : list.filter((r) => r.row.dataset === dataset);
    const chosen = [...(preferred.length > 0 ? preferred : list)].sort(byPrecedence)[0]!.row;
    let byCriterion = out.get(chosen.location);
    if (!byCriterion) out.set(chosen.location, (byCriterion = new Map()));
    byCriterion.set(chosen.criterion, chosen);
  }
  return out;
}

/**
 * JSON with sorted object keys, Maps as sorted objects, provenance without file/line/layer, undefined dropped.
 *
 * Written straight into one string (issue 11, start-up: this runs on every assessment, the hash is in every result's
 * `meta`), byte for byte what `JSON.stringify` gives of a copy with sorted keys: keys that are array indices ("0",
 * "12") first in numeric order, as a JavaScript object orders them, then the others sorted; a Map's value read under
 * its key as a string; `undefined`, functions and symbols left out of objects and written `null` in arrays;
 * non-finite numbers `null`; any other object (Date, Set) by its own enumerable keys.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value, undefined) ?? (undefined as unknown as string);
}

const PROV_DROPPED = new Set(['file', 'line', 'layer']);

/** Whether a key is an array index, which a JavaScript object lists first, in numeric order. */
function isIndexKey(k: string): boolean {
  if (k.length === 0 || k.length > 10) return false;
  const c = k.charCodeAt(0);
  if (c === 48) return k.length === 1; // "0", not "01"
  for (let i = 0; i < k.length; i++) {
    const d = k.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(k) < 4294967295;
}

/** Keys in the order `JSON.stringify` writes an object built by inserting them sorted. */
function objectKeyOrder(keys: string[]): string[] {
  keys.sort();
  let indices: string[] | undefined;
  for (const k of keys) if (isIndexKey(k)) (indices ??= []).push(k);
  if (indices === undefined) return keys;
  indices.sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isIndexKey(k))];
}

/** The canonical text of `v` (`key`: its property name), or undefined where JSON leaves a property out. */
function writeCanonical(v: unknown, key: string | undefined): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify of the copy would
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return 'null';
  if (v instanceof Map) {
    const m = v as Map<unknown, unknown>;
    let out = '';
    for (const k of objectKeyOrder([...new Set([...m.keys()].map(String))])) {
      if (k === '__proto__') continue;
      const text = writeCanonical(m.get(k), undefined);
      if (text !== undefined) out += (out === '' ? '' : ',') + JSON.stringify(k) + ':' + text;
    }
    return '{' + out + '}';
  }
  if (Array.isArray(v)) {
    let out = '';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + (writeCanonical(v[i], undefined) ?? 'null');
    return '[' + out + ']';
  }
  const o = v as Record<string, unknown>;
  const drop = key === 'prov';
  let out = '';
  for (const k of objectKeyOrder(Object.keys(o))) {
    if (k === '__proto__' || (drop && PROV_DROPPED.has(k))) continue;
    const text = writeCanonical(o[k], k);
    if (text !== undefined) out += (out === '' ? '' : ',') + JSON.stringify(k) + ':' + text;
  }
  return '{' + out + '}';
}

/** Merge layers (lowest first) into the run's referential. */
export function mergeLayers(
  layers: readonly ReferentialLayer[],
  opts: MergeOptions = {},
): { referential: Referential; issues: Issue[] } {
  const issues: Issue[] = [];

  const criteria = mergeTable<CriterionEntry>(
    layers,
    { table: 'criteria', rows: (l) => l.criteria, key: (r) => r.code, describe: (r) => r.code },
    opts,
    issues,
  );
  const hypotheses = mergeTable<Hypothesis>(
    layers,
    {
      table: 'hypotheses',
      rows: (l) => l.hypotheses,
      key: (r) => (hypothesisDef(r.code)?.code ?? r.code).toLowerCase(),
      describe: (r) => r.code,
    },
    opts,
    issues,
  );
  const itemTypes = mergeTable<ItemType>(
    layers,
    { table: 'itemTypes', rows: (l) => l.itemTypes, key: (r) => foldKey(r.type), describe: (r) => r.type },
    opts,
    issues,
  );
  const factorRows = mergeTable<FactorRow>(
    layers,
    {
      table: 'factorRows',
      rows: (l) => l.factorRows,
      key: (r) => [r.item, r.step, r.criterion].join(SEP),
      describe: (r) => `(${r.item}, ${r.step}, ${r.criterion})`,
    },
    opts,
    issues,
  );
  const electricity = mergeTable<ElectricityFactor>(
    layers,
    {
      table: 'electricity',
      rows: (l) => l.electricity,
      key: (r) => [r.dataset, r.location, r.criterion].join(SEP),
      describe: (r) => `(${r.locationLabel}, ${r.criterion}, ${r.dataset})`,
    },
    opts,
    issues,
  );
  const matchings = mergeTable<Matching>(
    layers,
    { table: 'matchings', rows: (l) => l.matchings, key: (r) => r.modelSource, describe: (r) => r.modelSource },
    opts,
    issues,
  );
  const messaging = mergeTable<MessagingFactor>(
    layers,
    { table: 'messaging', rows: (l) => l.messaging, key: (r) => r.criterion, describe: (r) => r.criterion },
    opts,
    issues,
  );
  const normalisation = mergeTable<Normalisation>(
    layers,
    { table: 'normalisation', rows: (l) => l.normalisation, key: (r) => r.criterion, describe: (r) => r.criterion },
    opts,
    issues,
  );

  // F15/F16 cloud archetypes and CPU catalogue (upsert by key; a user layer may override an instance row).
  const cloudProviders = mergeTable<CloudProvider>(
    layers,
    {
      table: 'cloudProviders',
      rows: (l) => l.cloudProviders ?? [],
      key: (r) => r.provider.trim().toLowerCase(),
      describe: (r) => r.provider,
    },
    opts,
    issues,
  );
  const cloudInstances = mergeTable<CloudInstanceRow>(
    layers,
    {
      table: 'cloudInstances',
      rows: (l) => l.cloudInstances ?? [],
      key: (r) => cloudKey(r.provider, r.id),
      describe: (r) => `(${r.provider}, ${r.id})`,
    },
    opts,
    issues,
  );
  const cloudPlatforms = mergeTable<CloudPlatformRow>(
    layers,
    { table: 'cloudPlatforms', rows: (l) => l.cloudPlatforms ?? [], key: (r) => r.id, describe: (r) => r.id },
    opts,
    issues,
  );
  const cloudRegions = mergeTable<CloudRegion>(
    layers,
    {
      table: 'cloudRegions',
      rows: (l) => l.cloudRegions ?? [],
      key: (r) => cloudKey(r.provider, r.region),
      describe: (r) => `(${r.provider}, ${r.region})`,
    },
    opts,
    issues,
  );
  const cpuSpecs = mergeTable<CpuSpec>(
    layers,
    { table: 'cpuSpecs', rows: (l) => l.cpuSpecs ?? [], key: (r) => r.name, describe: (r) => r.name },
    opts,
    issues,
  );
  // Digital-service auxiliary tables (G4IT network types and server hosts): a user layer's row replaces the lower
  // layers' row of the same code (network type) or description (server host).
  const networkTypes = mergeTable<NetworkType>(
    layers,
    {
      table: 'networkTypes',
      rows: (l) => l.networkTypes ?? [],
      key: (r) => networkTypeKey(r.code),
      describe: (r) => r.code,
    },
    opts,
    issues,
  );
  const serverHosts = mergeTable<ServerHost>(
    layers,
    {
      table: 'serverHosts',
      rows: (l) => l.serverHosts ?? [],
      key: (r) => foldKey(r.description),
      describe: (r) => r.description,
    },
    opts,
    issues,
  );
  const rowsOf = <T>(m: Map<string, Ranked<T>>): Map<string, T> => new Map([...m].map(([k, r]) => [k, r.row]));
  const cloud: CloudReferential = {
    providers: rowsOf(cloudProviders),
    instances: rowsOf(cloudInstances),
    platforms: rowsOf(cloudPlatforms),
    regions: rowsOf(cloudRegions),
  };
  const cpuSpecMap = rowsOf(cpuSpecs);
  const networkTypeMap = rowsOf(networkTypes);
  const serverHostMap = rowsOf(serverHosts);
  const hasCloud = cloudProviders.size + cloudInstances.size + cloudPlatforms.size + cloudRegions.size > 0;

  const items = buildItems(factorRows, issues);

  const typeIndex = new Map<string, ItemType>();
  const types = [...itemTypes.values()].map((r) => r.row);
  for (const t of types) for (const s of t.synonyms ?? []) if (!typeIndex.has(foldKey(s))) typeIndex.set(foldKey(s), t);
  for (const t of types) typeIndex.set(foldKey(t.type), t); // a type's own name wins over another type's synonym

  for (const t of types) {
    if (t.defaultRefItem !== undefined && !items.has(t.defaultRefItem)) {
      issues.push(
        issue(
          'REF_DANGLING_DEFAULT_ITEM',
          { type: t.type, item: t.defaultRefItem },
          { file: t.prov.file ?? t.prov.layer, line: t.prov.line },
        ),
      );
    }
  }
  const matchingMap = new Map<string, Matching>();
  for (const { row: m } of matchings.values()) {
    matchingMap.set(m.modelSource, m);
    if (!items.has(m.refItemTarget)) {
      issues.push(
        issue(
          'REF_DANGLING_MATCHING',
          { model: m.modelSource, item: m.refItemTarget },
          { file: m.prov.file ?? m.prov.layer, line: m.prov.line },
        ),
      );
    }
  }

  const criteriaMap = new Map([...criteria.values()].map(({ row }) => [row.code, row]));
  const hypothesisMap = new Map(
    [...hypotheses.values()].map(({ row }) => {
      const code = hypothesisDef(row.code)?.code ?? row.code;
      return [code, code === row.code ? row : { ...row, code }];
    }),
  );
  const electricityMap = buildElectricity(electricity, opts.electricityDataset);
  const messagingMap = new Map([...messaging.values()].map(({ row }) => [row.criterion, row]));
  const normalisationMap = new Map([...normalisation.values()].map(({ row }) => [row.criterion, row]));

  const hash =
    opts.hash ??
    createHash('sha256')
      .update(
        canonicalJson({
          criteria: criteriaMap,
          hypotheses: hypothesisMap,
          itemTypes: new Map(types.map((t) => [foldKey(t.type), t])),
          items,
          electricity: electricityMap,
          matchings: matchingMap,
          messaging: messagingMap,
          normalisation: normalisationMap,
          // Only when present, so that referentials without cloud data keep their hash.
          ...(hasCloud ? { cloud } : {}),
          ...(cpuSpecMap.size > 0 ? { cpuSpecs: cpuSpecMap } : {}),
          ...(networkTypeMap.size > 0 ? { networkTypes: networkTypeMap } : {}),
          ...(serverHostMap.size > 0 ? { serverHosts: serverHostMap } : {}),
        }),
      )
      .digest('hex');

  const referential: Referential = Object.freeze({
    id: opts.id ?? layers.at(-1)?.name ?? 'empty',
    version: opts.version ?? `sha256:${hash.slice(0, 12)}`,
    layers: layers.map((l) => ({
      name: l.name,
      ...(l.packHash !== undefined ? { packHash: l.packHash } : {}),
      ...(l.refused?.length ? { refused: l.refused } : {}),
    })),
    hash,
    criteria: criteriaMap,
    hypotheses: hypothesisMap,
    itemTypes: typeIndex,
    items,
    electricity: electricityMap,
    matchings: matchingMap,
    messaging: messagingMap,
    normalisation: normalisationMap,
    cloud,
    cpuSpecs: cpuSpecMap,
    networkTypes: networkTypeMap,
    serverHosts: serverHostMap,
  });
  return { referential, issues };
}
