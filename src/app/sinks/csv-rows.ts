/**
 * `--format csv --long`: one `;`-separated row per indicator (through the one CSV writer, `src/formats/csv-write.ts`:
 * formula-leading text neutralised, numbers written as numbers). The header waits for the first row or the end.
 */
import type { IndicatorRow } from '../../engine/index.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../formats/csv-write.js';
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

/** The header line of `--format csv --long` (with the BOM when the format asks for one: the file's start). */
export const csvHeader = (format: CsvFormat = csvFormat('en')): string => csvPreamble(CSV_COLUMNS, format);

/** One indicator row; `value` is written as a number (never neutralised), every text cell through the CSV writer. */
export function csvRow(r: IndicatorRow, format: CsvFormat = csvFormat('en')): string {
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
  return csvRecord(cells, format) + '\n';
}

export function csvRowsSink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
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
      head = csvHeader(format);
    },
    item: (_r, rows) => {
      let chunk = '';
      for (const row of rows) chunk += csvRow(row, format);
      if (chunk) return write(chunk);
    },
    // As before this layer: a run without any row writes nothing, not even the header.
    totals: () => undefined,
    close: () => out.close(),
    abort: () => out.abort(),
  };
}
