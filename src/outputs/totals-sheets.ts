/**
 * The small sheets of `--format xlsx` next to the streamed items sheet (issue 11): totals (one row per criterion, one
 * column per step) and breakdowns (one row per dimension × key × criterion, allocations apart). Pure: header and rows
 * of cells from the engine's Totals, for `XlsxWriter` (or the CSV writer). Values rounded like the wide layout
 * (`round`, 4 significant digits by default); sums are those of the engine, made from exact values.
 */
import type { Totals } from '../engine/index.js';
import { DEFAULT_SIGNIFICANT_DIGITS, round } from '../formats/csv-write.js';
import type { WideCell } from './wide.js';

export interface SheetRows {
  readonly header: string[];
  readonly rows: WideCell[][];
}

export interface SheetOptions {
  /** Significant digits of values (default 4); `null` writes exact values. */
  readonly significantDigits?: number | null;
}

const rounder = (o: SheetOptions) => {
  const d = o.significantDigits === undefined ? DEFAULT_SIGNIFICANT_DIGITS : o.significantDigits;
  return (v: number | undefined): number | undefined => (v === undefined || d === null ? v : round(v, d));
};

/**
 * Totals: `criterion, unit, <step>…, total, peopleEquivalent, perCollaborator, indicators, errors` — a step the
 * criterion has no value for is empty.
 */
export function totalsSheet(totals: Totals, steps: readonly string[], options: SheetOptions = {}): SheetRows {
  const r = rounder(options);
  return {
    header: ['criterion', 'unit', ...steps, 'total', 'peopleEquivalent', 'perCollaborator', 'indicators', 'errors'],
    rows: totals.byCriterion.map((c) => [
      c.criterion,
      c.unit,
      ...steps.map((s) => r(c.byStep[s])),
      r(c.value),
      r(c.peopleEquivalent),
      r(c.perCollaborator),
      c.indicators,
      c.errors,
    ]),
  };
}

/**
 * Breakdowns: `dimension, key, criterion, value, unit`, the inventory's dimensions first (kind, type, entity, country,
 * datacenter, tier, quality: parts of the total), then the allocations of hosts to applications and domains, named
 * `allocation:<dimension>` (F20: not to be added to the total).
 */
export function breakdownsSheet(totals: Totals, options: SheetOptions = {}): SheetRows {
  const r = rounder(options);
  const unit = new Map(totals.byCriterion.map((c) => [c.criterion, c.unit]));
  const rows: WideCell[][] = [];
  for (const [prefix, dims] of [
    ['', totals.by],
    ['allocation:', totals.allocations],
  ] as const)
    for (const [dim, byKey] of Object.entries(dims))
      for (const [key, byCriterion] of Object.entries(byKey))
        for (const [criterion, v] of Object.entries(byCriterion))
          rows.push([`${prefix}${dim}`, key, criterion, r(v), unit.get(criterion) ?? '']);
  return { header: ['dimension', 'key', 'criterion', 'value', 'unit'], rows };
}
