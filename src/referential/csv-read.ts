/**
 * Read NumEcoEval and G4IT referential CSVs (methodology §3.1–§3.4) into one `ReferentialLayer`.
 *
 * Files are recognised by their header signature (never by name, `csv/kinds.ts`); encoding and delimiter are detected
 * by `formats/csv.ts`. File-level problems throw `EmpreinteError` (`REF_FILE_KIND_UNKNOWN`, `REF_HEADER_MISSING`,
 * unreadable/empty files); row-level problems are returned as issues and the row is skipped; warnings are returned.
 * Duplicate keys inside the layer are resolved by `mergeLayers` (`REF_DUPLICATE_KEY`), which keeps file order.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { openCsv, isProblemRow } from '../formats/csv.js';
import type { Table } from '../formats/table.js';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { foldKey, parseCriterion } from './codes.js';
import { matchHeader, scoreReferentialHeader, type HeaderMatch, type KindName } from './csv/kinds.js';
import { cellText } from './csv/cells.js';
import { mapperFor, RowReader, type FileContext, type LayerDraft } from './csv/rows.js';
import { emptyLayer, type ReferentialLayer, type ReferentialTable } from './model.js';
import { validateLayer } from './validate.js';

export interface ReadReferentialOptions {
  /** Layer name recorded in every provenance (`user:<dir>`, `embedded:example`…). */
  readonly layerName: string;
  /**
   * NumEcoEval "annule et remplace" (§3.1): the tables read from these files replace all lower-layer rows of the
   * same tables when merged. Default false (upsert).
   */
  readonly replace?: boolean;
}

/** Tables filled by each kind (for the replace flag). */
const KIND_TABLES: Record<KindName, readonly ReferentialTable[]> = {
  criteria: ['criteria'],
  steps: ['steps'],
  hypotheses: ['hypotheses'],
  itemTypes: ['itemTypes'],
  factors: ['factorRows', 'electricity'],
  legacyItemImpact: ['factorRows'],
  legacyNetworkImpact: ['factorRows'],
  legacyElectricity: ['electricity'],
  matchings: ['matchings'],
  messaging: ['messaging'],
  normalisation: ['normalisation'],
  deviceType: ['itemTypes'],
  networkType: ['networkTypes'],
  serverHost: ['serverHosts'],
};

/** Expand folders (their `.csv` files, sorted by name, hidden files skipped); explicit files are kept as given. */
async function expand(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file: p }));
    }
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.') && extname(n).toLowerCase() === '.csv').sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

interface OpenedFile {
  readonly path: string;
  readonly dir: string;
  readonly table: Table;
  readonly match: HeaderMatch;
}

async function openReferentialFile(path: string, issues: Issue[]): Promise<OpenedFile> {
  const table = await openCsv(path, { scoreHeader: scoreReferentialHeader });
  const file = table.file;
  const match = matchHeader(table.header);
  if (!match) throw new EmpreinteError(issue('REF_FILE_KIND_UNKNOWN', {}, { file, line: 1 }));
  if (match.missing.length > 0) {
    const columns = match.missing.map((f) => match.def.fields[f]!.join(' or ')).join(', ');
    throw new EmpreinteError(issue('REF_HEADER_MISSING', { kind: match.def.label, columns }, { file, line: 1 }));
  }
  if (match.unknown.length > 0) {
    issues.push(issue('INP_HEADER_UNKNOWN', { columns: match.unknown.join(', ') }, { file, line: 1 }));
  }
  return { path, dir: resolve(dirname(path)), table, match };
}

/** Criteria declared by the criteria files of each folder: `foldKey(code or label)` → code. */
async function declaredCriteria(files: readonly OpenedFile[]): Promise<Map<string, Map<string, string>>> {
  const byDir = new Map<string, Map<string, string>>();
  for (const f of files) {
    if (f.match.def.kind !== 'criteria') continue;
    const m = byDir.get(f.dir) ?? new Map<string, string>();
    byDir.set(f.dir, m);
    // Re-open: the rows iterator of `f.table` is consumed later by the main pass.
    const t = await openCsv(f.path, { scoreHeader: scoreReferentialHeader });
    const codeIdx = f.match.columns.get('code');
    const labelIdx = f.match.columns.get('label');
    for await (const row of t.rows) {
      if (isProblemRow(row)) continue;
      const name = codeIdx === undefined ? undefined : cellText(row.cells[codeIdx]);
      if (name === undefined) continue;
      const code = parseCriterion(name)?.code ?? name;
      m.set(foldKey(name), code);
      const label = labelIdx === undefined ? undefined : cellText(row.cells[labelIdx]);
      if (label !== undefined) m.set(foldKey(label), code);
    }
  }
  return byDir;
}

function emptyDraft(name: string): LayerDraft {
  return emptyLayer(name);
}

/**
 * Read referential folders and/or files into one layer. Throws `EmpreinteError` on a file-level problem; returns
 * row-level rejects (severity R) and warnings (W) as `issues`.
 */
export async function readReferential(
  paths: readonly string[],
  opts: ReadReferentialOptions,
): Promise<{ layer: ReferentialLayer; issues: Issue[] }> {
  const issues: Issue[] = [];
  const files: OpenedFile[] = [];
  for (const p of await expand(paths)) files.push(await openReferentialFile(p, issues));
  const declared = await declaredCriteria(files);
  const draft = emptyDraft(opts.layerName);
  const replaced = new Set<ReferentialTable>();

  for (const f of files) {
    const { def } = f.match;
    const file = f.table.file;
    if (def.ignored) {
      issues.push(issue('REF_TABLE_IGNORED', { kind: def.label }, { file }));
      continue;
    }
    for (const t of KIND_TABLES[def.kind]) replaced.add(t);
    const mapper = mapperFor(def.kind)!;
    const ctx: FileContext = {
      file,
      header: f.table.header,
      delimiter: f.table.delimiter,
      match: f.match,
      layerName: opts.layerName,
      declaredCriteria: declared.get(f.dir) ?? new Map(),
    };
    for await (const row of f.table.rows) {
      if (isProblemRow(row)) {
        issues.push(issue('REF_BAD_ROW', { line: row.line, reason: row.problem }, { file, line: row.line }));
        continue;
      }
      if (row.cells.every((c) => cellText(c) === undefined)) continue; // blank or all-NULL line
      if (row.cells.length > f.table.header.length) {
        issues.push(
          issue(
            'REF_FIELD_COUNT',
            { line: row.line, expected: f.table.header.length, found: row.cells.length },
            { file, line: row.line },
          ),
        );
        continue;
      }
      mapper(new RowReader(ctx, row, issues), draft, ctx);
    }
  }
  // The value rules of every layer (§3.5); the row mappers applied them already, naming the CSV column.
  const checked = validateLayer(draft);
  issues.push(...checked.issues);
  const layer: ReferentialLayer = opts.replace ? { ...checked.layer, replace: [...replaced] } : checked.layer;
  return { layer, issues };
}

/** Default layer name for a user referential folder or file list. */
export function userLayerName(paths: readonly string[]): string {
  return `user:${paths.map((p) => basename(resolve(p))).join('+')}`;
}
