/**
 * `--format csv --long`: one `;`-separated row per indicator (through the one CSV writer, `src/formats/csv-write.ts`:
 * formula-leading text neutralised, numbers written as numbers). The header waits for the first row or the end.
 */
import type { IndicatorRow } from '../../engine/index.js';
import { csvCell, csvFormat, csvPreamble, type CsvFormat } from '../../formats/csv-write.js';
import { issueMessage, type Issue } from '../../issues/catalogue.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites } from './buffered.js';

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

/**
 * One indicator row; `value` is written as a number (never neutralised), every text cell through the CSV writer
 * (`csvCell`, the cells of `csvRecord` written in line without an array per row: this runs 14 million times for the long
 * CSV of a 1M-line inventory).
 */
export function csvRow(
  r: IndicatorRow,
  format: CsvFormat = csvFormat('en'),
  messages?: (issue: Issue, item: string) => string,
): string {
  const d = format.delimiter;
  return (
    csvCell(r.kind, format) +
    d +
    csvCell(r.item, format) +
    d +
    csvCell(r.entity ?? '', format) +
    d +
    csvCell(r.lifecycleStep, format) +
    d +
    csvCell(r.criterion, format) +
    d +
    csvCell(r.value, format) +
    d +
    csvCell(r.unit, format) +
    d +
    csvCell(r.status, format) +
    d +
    csvCell(r.errorCode ?? '', format) +
    d +
    csvCell(
      r.errorMessage ? (messages?.(r.errorMessage, r.item) ?? issueMessage(r.errorMessage, { name: r.item })) : '',
      format,
    ) +
    d +
    csvCell(r.tier, format) +
    d +
    csvCell(r.virtualEquipment ?? '', format) +
    d +
    csvCell(r.physicalEquipment ?? '', format) +
    d +
    csvCell(r.trace?.formula ?? r.formula ?? '', format) +
    '\n'
  );
}

/**
 * The error message of a row, rendered once per issue when its text does not name the item (the slots in error of
 * items sharing a reference item and location share their `Issue` objects), else once per (issue, item). Held weakly:
 * an issue of one item only is not kept after it.
 */
function messageCache(): (issue: Issue, item: string) => string {
  const byIssue = new WeakMap<Issue, string | null>(); // null: the message names the item
  let lastIssue: Issue | undefined;
  let lastItem = '';
  let last = '';
  return (i, item) => {
    const known = byIssue.get(i);
    if (typeof known === 'string') return known;
    if (i === lastIssue && item === lastItem) return last;
    const text = issueMessage(i, { name: item });
    if (known === undefined) {
      const probe = issueMessage(i, { name: '\u0001' });
      byIssue.set(i, probe.includes('\u0001') ? null : text);
    }
    lastIssue = i;
    lastItem = item;
    last = text;
    return text;
  };
}

export function csvRowsSink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
  let head: string | undefined;
  const buffer = bufferedWrites(out);
  const messages = messageCache();
  const write = (text: string) => {
    if (head !== undefined) {
      text = head + text;
      head = undefined;
    }
    return buffer.write(text);
  };
  return {
    rows: true,
    // The formula column is the trace's formula alone: the rest of the trace is not built.
    traceDetail: 'formula',
    begin: () => {
      head = csvHeader(format);
    },
    item: (_r, rows) => {
      let chunk = '';
      for (const row of rows) chunk += csvRow(row, format, messages);
      if (chunk) return write(chunk);
    },
    // As before this layer: a run without any row writes nothing, not even the header.
    totals: () => buffer.flush(),
    close: async () => {
      await buffer.flush();
      await out.close();
    },
    abort: () => out.abort(),
  };
}
