/**
 * Applying a mapping to a header: every source column named by the mapping is located once (INP_HEADER_MISSING
 * naming the absent ones), then each row's cells become a record keyed by canonical column names — the input of
 * `parseRecord` (`src/inventory/parse-row.ts`) — plus the mapping's own issues (exclusions).
 *
 * Field evaluation, in order: the first non-empty of the source and fallback cells (trimmed); `map` (folded
 * comparison); else the first `rules` entry whose conditions hold; else `otherwise` (keep the text, or empty);
 * `default` when the result is empty; then `date` and `unit` conversions. A constant `value` ignores the cells.
 * A cell a conversion cannot read is passed through unchanged so that the row parser reports it.
 */
import { EmpreinteError, issue, type Issue } from '../../issues/catalogue.js';
import type { InventoryKind } from '../model.js';
import { parseNumber } from '../cells.js';
import { convertDate, convertUnit } from './convert.js';
import { alternatives, fold } from './fold.js';
import type { Condition, DateFormat, FieldRule, Mapping } from './model.js';
import { stripFormulaGuard } from '../../formats/csv-write.js';

export interface MappedRow {
  /** Canonical column → text (every mapped column present, `''` when empty). */
  readonly record: Record<string, string>;
  /** Issues raised by the mapping itself (`INP_MAPPING_EXCLUDED`, severity R: the line is rejected). */
  readonly issues: readonly Issue[];
}

export interface AppliedMapping {
  readonly kind: InventoryKind;
  readonly mapping: Mapping;
  /** Canonical columns of the records, in record order. */
  readonly columns: readonly string[];
  /** The source column a canonical column comes from (to name it in issues), or the mapping's name for constants. */
  display(canonical: string): string | undefined;
  /** Map one row's cells (in header order). `line` is put in issues. */
  map(cells: readonly string[], line?: number): MappedRow;
}

export interface ApplyOptions {
  /** File name put in issues. */
  readonly file?: string;
  /** Field delimiter of the source (a `,` file reads `476,9` as not a number), as the row parser does. */
  readonly delimiter?: string;
}

/**
 * Integer columns holding a size, where rounding a decimal value to the nearest whole number keeps its meaning
 * (`476,9` GB of disk → 477, warning INP_MAPPING_ROUNDED). Counts (cores, disks, users, mails) are not rounded: a
 * decimal count is an error the row parser reports (INP_NOT_INTEGER).
 */
const ROUNDABLE: ReadonlySet<string> = new Set(['tailleMemoire', 'tailleDuDisque']);

type Getter = (cells: readonly string[]) => string;
const NONE: readonly Issue[] = Object.freeze([]);

/** Locate the columns of a header by folded name. */
class HeaderIndex {
  private readonly byName = new Map<string, number>();
  readonly missing: string[] = [];
  constructor(readonly header: readonly string[]) {
    header.forEach((h, i) => {
      const k = fold(h);
      if (k !== '' && !this.byName.has(k)) this.byName.set(k, i);
    });
  }
  /** Index of the first present alternative; records the reference as missing unless optional. */
  find(ref: string | readonly string[], optional: boolean): number | undefined {
    for (const name of alternatives(ref)) {
      const i = this.byName.get(fold(name));
      if (i !== undefined) return i;
    }
    if (!optional) {
      const label = alternatives(ref).join(' | ');
      if (!this.missing.includes(label)) this.missing.push(label);
    }
    return undefined;
  }
  name(i: number): string {
    return this.header[i]!.replace(/^\ufeff/, '').trim();
  }
}

function cellAt(i: number | undefined): Getter {
  if (i === undefined) return () => '';
  return (cells) => stripFormulaGuard(cells[i] ?? '').trim();
}

function compileCondition(c: Condition, index: HeaderIndex): (cells: readonly string[]) => boolean {
  const get = cellAt(index.find(c.column, false));
  let test: (v: string) => boolean;
  if (c.pattern !== undefined) {
    const re = new RegExp(c.pattern, 'iu');
    test = (v) => re.test(v);
  } else if (c.values !== undefined) {
    const set = new Set(c.values.map(fold));
    test = (v) => set.has(fold(v));
  } else {
    const wantEmpty = c.empty === true;
    test = (v) => (v === '') === wantEmpty;
  }
  return c.not ? (cells) => !test(get(cells)) : (cells) => test(get(cells));
}

function compileField(rule: FieldRule, index: HeaderIndex): { get: Getter; source?: number } {
  if (typeof rule === 'string') {
    const i = index.find(rule, false);
    return { get: cellAt(i), source: i };
  }
  if (rule.value !== undefined) {
    const v = String(rule.value);
    return { get: () => v };
  }
  const optional = rule.optional === true;
  const sources: number[] = [];
  if (rule.from !== undefined) {
    const i = index.find(rule.from, optional);
    if (i !== undefined) sources.push(i);
  }
  for (const f of rule.fallback ?? []) {
    const i = index.find(f, optional);
    if (i !== undefined) sources.push(i);
  }
  const map = rule.map ? new Map(Object.entries(rule.map).map(([k, v]) => [fold(k), v])) : undefined;
  const rules = (rule.rules ?? []).map((r) => ({ value: r.value, when: r.if.map((c) => compileCondition(c, index)) }));
  const keep = rule.otherwise !== 'empty';
  const dflt = rule.default === undefined ? '' : String(rule.default);
  const dates: readonly DateFormat[] | undefined =
    rule.date === undefined ? undefined : typeof rule.date === 'string' ? [rule.date] : rule.date;
  const unit = rule.unit;

  const get: Getter = (cells) => {
    let raw = '';
    for (const i of sources) {
      raw = stripFormulaGuard(cells[i] ?? '').trim(); // `'-` written by a rejects file reads as `-` (§2.1)
      if (raw !== '') break;
    }
    let v: string | undefined;
    if (map && raw !== '') v = map.get(fold(raw));
    if (v === undefined) {
      for (const r of rules) {
        if (r.when.every((t) => t(cells))) {
          v = r.value;
          break;
        }
      }
    }
    if (v === undefined) v = keep ? raw : '';
    if (v === '') v = dflt;
    if (v !== '' && dates) v = convertDate(v, dates) ?? v;
    if (v !== '' && unit) v = convertUnit(v, unit) ?? v;
    return v;
  };
  return { get, source: sources[0] };
}

/**
 * Prepare a mapping for a header. Throws `EmpreinteError` `INP_HEADER_MISSING` naming every source column the
 * mapping needs that the header lacks (alternatives joined with ` | `).
 */
export function applyMapping(mapping: Mapping, header: readonly string[], options: ApplyOptions = {}): AppliedMapping {
  const index = new HeaderIndex(header);
  const columns: string[] = [];
  const getters: Getter[] = [];
  const display = new Map<string, string>();
  for (const [canonical, rule] of Object.entries(mapping.fields)) {
    const { get, source } = compileField(rule, index);
    columns.push(canonical);
    getters.push(get);
    display.set(canonical, source !== undefined ? index.name(source) : canonical);
  }
  const exclusions = mapping.exclude.map((e) => ({
    reason: e.reason,
    when: e.if.map((c) => compileCondition(c, index)),
  }));
  if (index.missing.length > 0) {
    throw new EmpreinteError(
      issue(
        'INP_HEADER_MISSING',
        { columns: `${index.missing.join(', ')} (needed by mapping ${mapping.name})` },
        { file: options.file, line: 1, column: index.missing[0] },
      ),
    );
  }
  const file = options.file;
  const numbers = { delimiter: options.delimiter };
  const roundable = columns.filter((c) => ROUNDABLE.has(c));
  return {
    kind: mapping.kind,
    mapping,
    columns,
    display: (c) => display.get(c),
    map(cells, line) {
      const record: Record<string, string> = {};
      for (let k = 0; k < columns.length; k++) record[columns[k]!] = getters[k]!(cells);
      let issues: Issue[] | undefined;
      for (const c of roundable) {
        const text = record[c]!;
        if (text === '') continue;
        const n = parseNumber(text, numbers);
        if (!n.ok || Number.isInteger(n.value) || n.ambiguous !== undefined) continue;
        const rounded = Math.round(n.value);
        if (rounded < 1) continue; // 0.4 → 0 would change the meaning: left to the row parser
        record[c] = String(rounded);
        const field = display.get(c) ?? c;
        (issues ??= []).push(
          issue('INP_MAPPING_ROUNDED', { field, value: text, rounded }, { file, line, column: field }),
        );
      }
      for (const e of exclusions) {
        if (e.when.every((t) => t(cells))) {
          (issues ??= []).push(
            issue('INP_MAPPING_EXCLUDED', { mapping: mapping.name, reason: e.reason }, { file, line }),
          );
          break;
        }
      }
      return { record, issues: issues ?? NONE };
    },
  };
}
