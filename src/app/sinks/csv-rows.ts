/**
 * `--format csv`: one `;`-separated row per indicator (through the one CSV writer, `src/formats/csv-write.ts`:
 * formula-leading text neutralised, numbers written as numbers). The header waits for the first row or the end.
 */
import type { IndicatorRow } from '../../engine/index.js';
import { csvRecord } from '../../formats/csv-write.js';
import { issueMessage } from '../../issues/catalogue.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';

export const CSV_COLUMNS = [
  'kind',
  'item',
  'entity',
  'lifecycleStep',
  'criterion',
  'value',
  'unit',
  'status',
  'errorCode',
  'errorMessage',
  'tier',
  'virtualEquipment',
  'physicalEquipment',
  'formula',
] as const;

/** The header line of `--format csv`. */
export const csvHeader = (): string => csvRecord(CSV_COLUMNS) + '\n';

/** One indicator row; `value` is written as a number (never neutralised), every text cell through the CSV writer. */
export function csvRow(r: IndicatorRow): string {
  const cells = [
    r.kind,
    r.item,
    r.entity ?? '',
    r.lifecycleStep,
    r.criterion,
    r.value,
    r.unit,
    r.status,
    r.errorCode ?? '',
    r.errorMessage ? issueMessage(r.errorMessage, { name: r.item }) : '',
    r.tier,
    r.virtualEquipment ?? '',
    r.physicalEquipment ?? '',
    r.trace?.formula ?? '',
  ];
  return csvRecord(cells) + '\n';
}

export function csvRowsSink(out: TextOut): AssessSink {
  let head: string | undefined;
  const write = (text: string) => {
    if (head !== undefined) {
      text = head + text;
      head = undefined;
    }
    return out.write(text);
  };
  return {
    rows: true,
    begin: () => {
      head = csvHeader();
    },
    item: (_r, rows) => {
      let chunk = '';
      for (const row of rows) chunk += csvRow(row);
      if (chunk) return write(chunk);
    },
    // As before this layer: a run without any row writes nothing, not even the header.
    totals: () => undefined,
    close: () => out.close(),
    abort: () => out.abort(),
  };
}
