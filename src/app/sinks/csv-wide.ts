/**
 * `--format csv` (the default layout since issue 11; `--long` gives the per-indicator rows): one row per item — its
 * dimensions, one column per criterion × step in rounded values, its status (`src/outputs/wide.ts`) — through the one
 * CSV writer in the run's locale (`--locale fr`: `;`, decimal comma, UTF-8 BOM). The header waits for the first row;
 * a run without any item writes the header alone.
 */
import type { Layout } from '../../engine/layout.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../formats/csv-write.js';
import { wideHeader, wideRows, type WideCell } from '../../outputs/wide.js';
import type { ItemResult } from '../../engine/result.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites } from './buffered.js';

export function csvWideSink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
  let head: string | undefined;
  const buffer = bufferedWrites(out);
  let row: ((r: ItemResult) => WideCell[]) | undefined;
  const take = (): string => {
    const h = head ?? '';
    head = undefined;
    return h;
  };
  return {
    rows: true,
    begin: (_meta, layout?: Layout) => {
      if (layout === undefined) throw new Error('the wide CSV needs the run layout');
      head = csvPreamble(wideHeader(layout), format);
      row = wideRows(layout);
    },
    item: (r) => buffer.write(take() + csvRecord(row!(r), format) + '\n'),
    totals: () => {
      if (head !== undefined) return buffer.write(take());
    },
    close: async () => {
      await buffer.flush();
      await out.close();
    },
    abort: () => out.abort(),
  };
}
