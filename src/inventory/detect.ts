/**
 * File kind detection from the header line, never from the file name (methodology §2.1, issue 2 "Formats").
 *
 * Each kind scores the number of distinct columns of the header it knows (canonical NumEcoEval names, G4IT aliases,
 * native English names, case-insensitive). A kind is a candidate when it knows at least half of the header's non-empty
 * cells, or when the header holds all its mandatory columns and it knows at least three of them and a quarter of the
 * header (choice: no kind on a weak match, `strongMatch`). Among
 * candidates: complete headers first, then the highest score, then the fewest missing mandatory columns, then the
 * processing order of `KIND_ORDER`.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import {
  KIND_ORDER,
  headerKey,
  isLegacyColumn,
  mandatoryColumns,
  resolveColumn,
  type ValidationMode,
} from './columns.js';
import type { InventoryKind } from './model.js';

export interface HeaderResolution {
  readonly kind: InventoryKind;
  /** Canonical column of each header cell (undefined = unknown or empty cell, ignored). */
  readonly columns: readonly (string | undefined)[];
  /** The header cells as written (trimmed), to name columns in issues. */
  readonly display: readonly string[];
  /** Unknown non-empty header cells. */
  readonly unknown: readonly string[];
  /** Warnings about the header (INP_HEADER_UNKNOWN in lenient mode, INP_HEADER_LEGACY in both). */
  readonly warnings: readonly Issue[];
}

export type DetectResult =
  | ({ readonly ok: true } & HeaderResolution)
  | { readonly ok: false; readonly error: Issue; readonly kind?: InventoryKind };

interface KindScore {
  readonly kind: InventoryKind;
  readonly matched: number;
  readonly missing: number;
}

function scoreKinds(header: readonly string[]): KindScore[] {
  return KIND_ORDER.map((kind) => {
    const seen = new Set<string>();
    for (const h of header) {
      const spec = resolveColumn(kind, h);
      if (spec) seen.add(spec.canonical);
    }
    const missing = mandatoryColumns(kind, 'lenient').filter((c) => !seen.has(c.canonical)).length;
    return { kind, matched: seen.size, missing };
  });
}

/** Score of a candidate header for the delimiter choice of `openCsv`: columns known by the best-matching kind. */
export function scoreHeader(header: readonly string[]): number {
  let best = 0;
  for (const s of scoreKinds(header)) if (s.matched > best) best = s.matched;
  return best;
}

/**
 * Whether a kind's score is more than a weak match: at least half of the header's cells are its columns, or the
 * header holds all its mandatory columns and those known columns are at least three and a quarter of the header.
 * A foreign export whose `Name` and `Location` happen to be the two mandatory datacenter columns (a Snipe-IT list
 * of 15 columns, issue 11) is not a datacenter file: its kind is unknown (pass `--mapping`).
 */
function strongMatch(s: KindScore, nonEmpty: number): boolean {
  if (s.matched === 0) return false;
  if (s.matched * 2 >= nonEmpty) return true;
  return s.missing === 0 && s.matched >= 3 && s.matched * 4 >= nonEmpty;
}

/** The best kind for a header, or undefined when no kind recognises it (or only weakly: see `strongMatch`). */
export function guessKind(header: readonly string[]): InventoryKind | undefined {
  const nonEmpty = header.filter((h) => h.trim() !== '').length;
  const candidates = scoreKinds(header).filter((s) => strongMatch(s, nonEmpty));
  candidates.sort(
    (a, b) =>
      Number(b.missing === 0) - Number(a.missing === 0) ||
      b.matched - a.matched ||
      a.missing - b.missing ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
  return candidates[0]?.kind;
}

/** Columns appended by rejects files (`line`, `errorCode`, `errorMessage`): ignored without a warning. */
const REJECTS_COLUMNS = new Set(['line', 'errorcode', 'errormessage']);

/** Detect the kind of a header and resolve its columns; header-level errors per §2.1 and §2.12. */
export function detectKind(
  header: readonly string[],
  options: { readonly mode?: ValidationMode; readonly file?: string; readonly kind?: InventoryKind } = {},
): DetectResult {
  const mode = options.mode ?? 'lenient';
  const file = options.file;
  const display = header.map((h) => h.trim());
  const kind = options.kind ?? guessKind(display);
  if (!kind) return { ok: false, error: issue('INP_FILE_KIND_UNKNOWN', {}, { file, line: 1 }) };

  const columns: (string | undefined)[] = [];
  const unknown: string[] = [];
  const legacy: string[] = [];
  const seenSpec = new Map<string, string>();
  const seenName = new Set<string>();
  for (const h of display) {
    if (h === '') {
      columns.push(undefined);
      continue;
    }
    const key = headerKey(h);
    if (REJECTS_COLUMNS.has(key)) {
      columns.push(undefined); // a corrected rejects file is re-imported as is
      continue;
    }
    const spec = resolveColumn(kind, h);
    if (seenName.has(key) || (spec && seenSpec.has(spec.canonical))) {
      return { ok: false, kind, error: issue('INP_HEADER_DUPLICATE', { column: h }, { file, line: 1, column: h }) };
    }
    seenName.add(key);
    if (spec) seenSpec.set(spec.canonical, h);
    else if (isLegacyColumn(kind, h)) legacy.push(h);
    else unknown.push(h);
    columns.push(spec?.canonical);
  }
  const missing = mandatoryColumns(kind, mode)
    .filter((c) => !seenSpec.has(c.canonical))
    .map((c) => c.canonical);
  if (missing.length > 0) {
    return { ok: false, kind, error: issue('INP_HEADER_MISSING', { columns: missing.join(', ') }, { file, line: 1 }) };
  }
  const warnings: Issue[] = [];
  if (unknown.length > 0) {
    const columns = unknown.join(', ');
    if (mode === 'strict') {
      return { ok: false, kind, error: issue('INP_HEADER_UNKNOWN_STRICT', { columns }, { file, line: 1 }) };
    }
    warnings.push(issue('INP_HEADER_UNKNOWN', { columns }, { file, line: 1 }));
  }
  if (legacy.length > 0) warnings.push(issue('INP_HEADER_LEGACY', { columns: legacy.join(', ') }, { file, line: 1 }));
  return { ok: true, kind, columns, display, unknown, warnings };
}

export type HeaderStyle = 'numecoeval' | 'g4it' | 'native' | 'mixed';

/** Columns that only G4IT files carry (`csv-headers.yml`, methodology §2.4–2.6). */
const G4IT_ONLY = new Set(
  [
    'fabricant',
    'typeDeProcesseur',
    'tailleMemoire',
    'tailleDuDisque',
    'dureeUtilisation',
    'nombreUtilisateur',
    'typeInfrastructure',
    'provider',
    'typeInstance',
    'location',
    'chargeMoy',
    'dureeUtilisationAnnuelle',
    'associeAvecUnEquipmentCloud',
  ].map(headerKey),
);

/** The dialect of a resolved header: native English names, G4IT (aliases or G4IT-only columns), NumEcoEval. */
export function headerStyle(kind: InventoryKind, header: readonly string[]): HeaderStyle {
  let native = false;
  let french = false;
  let g4it = false;
  for (const h of header) {
    const spec = resolveColumn(kind, h);
    if (!spec) continue;
    const key = headerKey(h);
    const canonical = headerKey(spec.canonical);
    const nativeKey = headerKey(spec.field ?? spec.native ?? spec.canonical);
    if (key === canonical) {
      if (G4IT_ONLY.has(canonical)) g4it = true;
      else if (canonical !== nativeKey) french = true;
    } else if (key === nativeKey) native = true;
    else g4it = true; // an alias
  }
  if (native) return french || g4it ? 'mixed' : 'native';
  return g4it ? 'g4it' : 'numecoeval';
}
