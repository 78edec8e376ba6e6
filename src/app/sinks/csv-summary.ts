/**
 * `--format csv --summary`: the totals as `;`-separated rows `dimension;key;criterion;lifecycleStep;value;unit`
 * (through the one CSV writer).
 */
import type { Totals } from '../../engine/index.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../formats/csv-write.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';

/**
 * The inventory total per criterion and step (dimension `total`), then each breakdown and each allocation (all steps),
 * then the counts `notCovered` (per criterion and step), `toFix` (per code) and `outOfPeriod` (items per kind).
 */
export function totalsCsv(totals: Totals, format: CsvFormat = csvFormat('en')): string {
  const unit = new Map(totals.byCriterion.map((c) => [c.criterion, c.unit]));
  const lines = [csvPreamble(['dimension', 'key', 'criterion', 'lifecycleStep', 'value', 'unit'], format).slice(0, -1)];
  const row = (dim: string, key: string, criterion: string, step: string, value: number) =>
    lines.push(csvRecord([dim, key, criterion, step, value, unit.get(criterion) ?? ''], format));
  for (const c of totals.byCriterion) {
    for (const [step, v] of Object.entries(c.byStep)) row('total', '', c.criterion, step, v);
    row('total', '', c.criterion, 'ALL', c.value);
  }
  for (const [group, dims] of [
    ['', totals.by],
    ['allocation:', totals.allocations],
  ] as const)
    for (const [dim, byKey] of Object.entries(dims))
      for (const [key, byCrit] of Object.entries(byKey))
        for (const [criterion, v] of Object.entries(byCrit)) row(`${group}${dim}`, key, criterion, 'ALL', v);
  // F20 coverage apart from errors and §2.2 exclusions, as counts (unit: indicators, items).
  const count = (dim: string, key: string, criterion: string, step: string, n: number, what: string) =>
    lines.push(csvRecord([dim, key, criterion, step, n, what], format));
  for (const [criterion, bySteps] of Object.entries(totals.coverage.notCovered.byCriterion))
    for (const [step, n] of Object.entries(bySteps)) count('notCovered', '', criterion, step, n, 'indicators');
  for (const [code, f] of Object.entries(totals.coverage.toFix.byCode))
    count('toFix', code, '', 'ALL', f.indicators, 'indicators');
  for (const [kind, k] of Object.entries(totals.outOfPeriod.byKind))
    count('outOfPeriod', kind, '', 'ALL', k.items, 'items');
  return lines.join('\n') + '\n';
}

export function csvSummarySink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
  return {
    rows: false,
    begin: () => undefined,
    totals: (s) => out.write(totalsCsv(s.totals, format)),
    close: () => out.close(),
    abort: () => out.abort(),
  };
}
