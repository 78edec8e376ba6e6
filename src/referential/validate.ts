/**
 * Value rules of a referential (methodology §3.5 "referential errors"), the same for a NumEcoEval/G4IT CSV folder, an
 * imported user pack and the embedded pack: every number finite (`REF_NOT_FINITE`), no negative factor
 * (`REF_NEGATIVE_VALUE`), item-type and reference-item lifetimes in (0, 50] years (`REF_LIFETIME_RANGE`). A row that
 * breaks one of them is refused (severity R), with the file, line and column of its provenance. Pure.
 *
 * The CSV readers (`csv/rows.ts`) apply the same predicates while reading, to name the CSV column; `validateLayer` is
 * the guarantee for every layer whatever its origin.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import { REFERENTIAL_TABLES, type Provenance, type ReferentialLayer, type ReferentialTable } from './model.js';

/** Largest lifetime accepted for an item type or a reference item (years, §2.1 hard limits, §3.5). */
export const MAX_LIFETIME_YEARS = 50;

export const isLifetimeInRange = (years: number): boolean => years > 0 && years <= MAX_LIFETIME_YEARS;

/** A characterisation, electricity or messaging factor below 0 is refused (§3.5). */
export const isNegativeFactor = (value: number): boolean => value < 0;

type AnyRow = { readonly prov: Provenance } & Readonly<Record<string, unknown>>;

/** Per table: the factor fields (refused when negative, with the criterion named) and the lifetime fields. */
const RULES: Partial<
  Record<
    ReferentialTable,
    {
      readonly factors?: readonly string[];
      readonly lifetimes?: readonly string[];
      readonly name: (r: AnyRow) => string;
      readonly criterion?: (r: AnyRow, field: string) => string;
    }
  >
> = {
  factorRows: {
    factors: ['value', 'avgKWhPerYear'],
    lifetimes: ['lifespanYears'],
    name: (r) => String(r.item),
    criterion: (r, f) => (f === 'value' ? String(r.criterion) : f),
  },
  electricity: { factors: ['valuePerKWh'], name: (r) => String(r.location), criterion: (r) => String(r.criterion) },
  messaging: { factors: ['A', 'b'], name: (r) => String(r.criterion), criterion: (r) => String(r.criterion) },
  itemTypes: { lifetimes: ['defaultLifespanYears'], name: (r) => String(r.type) },
  serverHosts: { lifetimes: ['lifespanYears'], name: (r) => String(r.description) },
};

const TABLES: readonly ReferentialTable[] = REFERENTIAL_TABLES;

/** Number of rows of a layer, all tables. */
export function layerRowCount(layer: ReferentialLayer): number {
  let n = 0;
  for (const t of TABLES) n += (layer[t] as readonly unknown[] | undefined)?.length ?? 0;
  return n;
}

/** The issue refusing a row, or undefined when the row follows the rules. */
function refusal(table: ReferentialTable, r: AnyRow): Issue | undefined {
  const at = (column: string) => ({ file: r.prov.file, line: r.prov.line, column });
  const line = r.prov.line ?? '';
  for (const [field, v] of Object.entries(r)) {
    if (typeof v === 'number' && !Number.isFinite(v))
      return issue('REF_NOT_FINITE', { line, field, value: String(v) }, at(field));
  }
  const rule = RULES[table];
  if (!rule) return undefined;
  for (const field of rule.factors ?? []) {
    const v = r[field];
    if (typeof v === 'number' && isNegativeFactor(v))
      return issue('REF_NEGATIVE_VALUE', { line, value: v, criterion: rule.criterion!(r, field) }, at(field));
  }
  for (const field of rule.lifetimes ?? []) {
    const v = r[field];
    if (typeof v === 'number' && !isLifetimeInRange(v))
      return issue('REF_LIFETIME_RANGE', { line, value: v, type: rule.name(r) }, at(field));
  }
  return undefined;
}

/**
 * The layer without its refused rows, and one issue (severity R) per refused row. Returns the same layer object when
 * every row follows the rules.
 */
export function validateLayer(layer: ReferentialLayer): { layer: ReferentialLayer; issues: Issue[] } {
  const issues: Issue[] = [];
  let out: Record<string, unknown> | undefined;
  for (const table of TABLES) {
    const rows = layer[table] as readonly AnyRow[] | undefined;
    if (!rows) continue;
    let kept: AnyRow[] | undefined;
    rows.forEach((r, i) => {
      const refused = refusal(table, r);
      if (refused) {
        issues.push(refused);
        kept ??= rows.slice(0, i);
      } else kept?.push(r);
    });
    if (kept) (out ??= { ...layer })[table] = kept;
  }
  return { layer: (out as ReferentialLayer | undefined) ?? layer, issues };
}
