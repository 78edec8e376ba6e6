/**
 * `--format xlsx` (issue 11; `--out` required): a workbook of three sheets written by streaming through `XlsxWriter`
 * — `items` (the wide rows of `src/outputs/wide.ts`, one per item, appended as the items come), then `totals` (one row
 * per criterion, one column per step) and `breakdowns` (`src/outputs/totals-sheets.ts`) once the totals are known.
 * Memory: one row and zlib's window, whatever the number of items. Values rounded to 4 significant digits.
 */
import type { ItemResult } from '../../engine/result.js';
import { XlsxWriter, type XlsxSheetWriter } from '../../formats/xlsx-write.js';
import { breakdownsSheet, totalsSheet, type SheetRows } from '../../outputs/totals-sheets.js';
import { wideHeader, wideRows, type WideCell } from '../../outputs/wide.js';
import type { FileOut } from '../adapters/file-out.js';
import type { AssessSink } from '../sink.js';

/** Where the workbook's bytes go: a file output (atomic) or memory. */
export type ByteOut = Pick<FileOut, 'writeBytes' | 'close' | 'abort'>;

export const XLSX_SHEETS = ['items', 'totals', 'breakdowns'] as const;

export function xlsxSink(out: ByteOut): AssessSink {
  const book = new XlsxWriter((chunk) => out.writeBytes(chunk));
  let items: XlsxSheetWriter | undefined;
  let row: ((r: ItemResult) => WideCell[]) | undefined;
  let steps: readonly string[] = [];
  const sheet = async (name: string, { header, rows }: SheetRows): Promise<void> => {
    const s = await book.addSheet(name, { header });
    for (const r of rows) await s.appendRow(r);
    await s.close();
  };
  return {
    rows: true,
    begin: async (_meta, layout) => {
      if (layout === undefined) throw new Error('the XLSX items sheet needs the run layout');
      steps = layout.steps;
      row = wideRows(layout);
      items = await book.addSheet('items', { header: wideHeader(layout) });
    },
    item: (r) => items!.appendRow(row!(r)),
    totals: async ({ totals }) => {
      await items!.close();
      await sheet('totals', totalsSheet(totals, steps));
      await sheet('breakdowns', breakdownsSheet(totals));
      await book.close();
    },
    close: () => out.close(),
    abort: () => out.abort(),
  };
}
