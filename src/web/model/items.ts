/** Reading the wide item rows of `GET /campaigns/:id/items` (columns `CRITERION STEP (unit)`, src/outputs/wide.ts). */

export interface ColumnKey {
  readonly criterion: string;
  readonly step: string;
  readonly unit: string;
}

/** `"CLIMATE_CHANGE USE (kg CO2 eq)"` → {criterion, step, unit}; undefined for a column of another shape. */
export function parseColumn(column: string): ColumnKey | undefined {
  const m = /^(\S+) (\S+) \((.*)\)$/.exec(column);
  return m ? { criterion: m[1]!, step: m[2]!, unit: m[3]! } : undefined;
}

/** An item's total per criterion: the sum of its steps' values (empty cells are not computed and add nothing). */
export function itemTotals(
  columns: readonly string[],
  values: readonly (number | null)[],
): Map<string, { value: number; unit: string; computed: number }> {
  const out = new Map<string, { value: number; unit: string; computed: number }>();
  columns.forEach((c, i) => {
    const k = parseColumn(c);
    if (!k) return;
    const cur = out.get(k.criterion) ?? { value: 0, unit: k.unit, computed: 0 };
    const v = values[i];
    if (typeof v === 'number') {
      cur.value += v;
      cur.computed += 1;
    }
    out.set(k.criterion, cur);
  });
  return out;
}
