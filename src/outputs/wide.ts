/**
 * The wide layout of item results (issue 11, the default of `--format csv` and the items sheet of `--format xlsx`): one
 * row per item — its dimensions, then one column per criterion × lifecycle step of the run's Layout, in rounded values,
 * then its status. Pure: cells out, the CSV writer (`csvRecord`) or the XLSX writer (`appendRow`) writes them.
 *
 * Columns, in order:
 * - `kind`, `name`, `entity`, `type`, `tier`, `country`, `datacenter`, `quantity`, `virtualEquipment`,
 *   `physicalEquipment` (the host of a VM or application), `file`, `line` (where the item was read, when known);
 * - for each criterion of the run, for each step: `<CRITERION> <STEP> (<unit>)`, e.g.
 *   `CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)` — criteria outermost, so that a criterion's steps sit side by side;
 * - `status`: `OK`; `<n> error(s): <codes>` (n slots in error, their distinct codes in slot order); `excluded:
 *   CALC_OUT_OF_PERIOD` for an item outside the assessed period (§2.2, not in the totals).
 * A value cell holds the slot's value rounded to `significantDigits` (default 4, see `round`) when the slot is
 * computed; it is empty when the slot is in error (the status names the code), not computed for the item (a source
 * giving only EMBODIED leaves the split steps empty), or the item is out of the period.
 */
import type { Layout } from '../engine/layout.js';
import type { ItemResult } from '../engine/result.js';
import { DEFAULT_SIGNIFICANT_DIGITS, round } from '../formats/csv-write.js';

/** A cell of a wide row: text, number or empty. Accepted as is by `csvRecord` and `XlsxSheetWriter.appendRow`. */
export type WideCell = string | number | undefined;

export const WIDE_DIMENSIONS = [
  'kind',
  'name',
  'entity',
  'type',
  'tier',
  'country',
  'datacenter',
  'quantity',
  'virtualEquipment',
  'physicalEquipment',
  'file',
  'line',
] as const;

export interface WideOptions {
  /** Significant digits of the value cells (default 4); `null` writes exact values. */
  readonly significantDigits?: number | null;
}

/** Slot order of the value columns: criteria outermost, then steps (the Layout stores steps outermost). */
function slotsOf(layout: Layout): number[] {
  const out: number[] = [];
  for (const c of layout.criteria) for (const s of layout.steps) out.push(layout.slot(s, c));
  return out;
}

/** The header of the wide layout for a run's Layout. */
export function wideHeader(layout: Layout): string[] {
  const header: string[] = [...WIDE_DIMENSIONS];
  for (const slot of slotsOf(layout)) {
    const unit = layout.unitOf(slot);
    header.push(`${layout.criterionOf(slot)} ${layout.stepOf(slot)}${unit ? ` (${unit})` : ''}`);
  }
  header.push('status');
  return header;
}

/** The status cell of an item: `OK`, `n error(s): CODES` or `excluded: CODE`. */
export function wideStatus(result: ItemResult, layout: Layout): string {
  if (result.outOfPeriod !== undefined) return `excluded: ${result.outOfPeriod.code}`;
  const { status } = result;
  let s = 0;
  while (s < layout.size && status[s] !== 2) s++;
  if (s === layout.size) return 'OK';
  let errors = 0;
  const codes: string[] = [];
  for (; s < layout.size; s++) {
    if (status[s] !== 2) continue;
    errors++;
    const code = result.errors.get(s)?.code;
    if (code !== undefined && !codes.includes(code)) codes.push(code);
  }
  if (errors === 0) return 'OK';
  return `${errors} error${errors > 1 ? 's' : ''}${codes.length ? `: ${codes.join(', ')}` : ''}`;
}

/**
 * The parts of a wide row, for writers that write its cells without the row array (the wide CSV to a file): the
 * dimension cells, the value columns' slots in order with the value of one, and the status. `wideRows` is made of them.
 */
export interface WideParts {
  /** The dimension cells of an item (`WIDE_DIMENSIONS`). */
  dimensions(result: ItemResult): WideCell[];
  /** The slot of each value column, in column order (-1: a column without slot). */
  readonly slots: readonly number[];
  /** The cell of one value column (a slot of `slots`): its rounded value, or undefined (empty). */
  value(result: ItemResult, slot: number): number | undefined;
  /** The status cell (`wideStatus`). */
  status(result: ItemResult): string;
}

export function wideParts(layout: Layout, options: WideOptions = {}): WideParts {
  const digits = options.significantDigits === undefined ? DEFAULT_SIGNIFICANT_DIGITS : options.significantDigits;
  return {
    dimensions: (result) => {
      const d = result.dims;
      return [
        result.kind,
        result.name,
        result.entity,
        d.type,
        d.tier,
        d.country,
        d.datacenter,
        result.quantity,
        result.virtualEquipment,
        result.physicalEquipment,
        result.at?.file,
        result.at?.line,
      ];
    },
    slots: slotsOf(layout),
    value: (result, slot) => {
      if (result.outOfPeriod !== undefined || slot < 0 || result.status[slot] !== 1) return undefined;
      return digits === null ? result.values[slot] : round(result.values[slot]!, digits);
    },
    status: (result) => wideStatus(result, layout),
  };
}

/**
 * A function giving the wide row of an item, aligned with `wideHeader(layout)`; the column order is worked out once
 * (use it for a whole run: `const row = wideRows(layout); for (const r of results) sink(row(r));`).
 */
export function wideRows(layout: Layout, options: WideOptions = {}): (result: ItemResult) => WideCell[] {
  const parts = wideParts(layout, options);
  const { slots } = parts;
  return (result) => {
    const row = parts.dimensions(result);
    for (const slot of slots) row.push(parts.value(result, slot));
    row.push(parts.status(result));
    return row;
  };
}

/** The wide row of one item, aligned with `wideHeader(layout)` (for many items, `wideRows` is faster). */
export function wideRow(result: ItemResult, layout: Layout, options: WideOptions = {}): WideCell[] {
  return wideRows(layout, options)(result);
}
