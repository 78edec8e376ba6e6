/**
 * `--format csv` (the default layout since issue 11; `--long` gives the per-indicator rows): one row per item — its
 * dimensions, one column per criterion × step in rounded values, its status (`src/outputs/wide.ts`) — through the one
 * CSV writer in the run's locale (`--locale fr`: `;`, decimal comma, UTF-8 BOM). The header waits for the first row;
 * a run without any item writes the header alone.
 */
import type { Layout } from '../../engine/layout.js';
import { csvCell, csvFormat, csvPreamble, csvRecord, type CsvFormat } from '../../formats/csv-write.js';
import { wideHeader, wideParts, wideRows, type WideCell, type WideParts } from '../../outputs/wide.js';
import type { ItemResult } from '../../engine/result.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites, ByteRows, utf8 } from './buffered.js';

export function csvWideSink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
  if (out.writeBytes !== undefined) return csvWideBytesSink(out, out.writeBytes.bind(out), format);
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

/**
 * The wide CSV to an output taking bytes (a file; issue 11): the same cells (`wideParts`, the parts of `wideRows`)
 * through the same `csvCell`, encoded straight into the output's bytes without a row array nor a row string; a value
 * cell's text is kept per rounded value (a run has far fewer distinct rounded values than cells) and a status's bytes
 * per status. The same bytes as `csvRecord(wideRows(layout)(r), format)` (test/app/sinks.test.ts).
 */
function csvWideBytesSink(
  out: TextOut,
  writeBytes: (b: Uint8Array) => void | Promise<void>,
  format: CsvFormat,
): AssessSink {
  const w = new ByteRows(writeBytes);
  let head: string | undefined;
  let row: ((r: ItemResult) => void) | undefined;
  const writeHead = () => {
    if (head === undefined) return;
    w.text(head);
    head = undefined;
  };
  return {
    rows: true,
    begin: (_meta, layout?: Layout) => {
      if (layout === undefined) throw new Error('the wide CSV needs the run layout');
      head = csvPreamble(wideHeader(layout), format);
      row = wideWriter(w, wideParts(layout), format);
    },
    item: (r) => {
      writeHead();
      row!(r);
      return w.end();
    },
    totals: () => {
      writeHead();
      return w.flush();
    },
    close: async () => {
      await w.flush();
      await out.close();
    },
    abort: () => out.abort(),
  };
}

/** Distinct value or status texts kept at most (a map of them is emptied when it reaches this size). */
const MEMO_LIMIT = 1 << 16;

function wideWriter(w: ByteRows, parts: WideParts, format: CsvFormat): (r: ItemResult) => void {
  const delimiter = utf8(format.delimiter);
  const statuses = new Map<string, Uint8Array>();
  const { slots } = parts;
  return (r) => {
    w.text(csvRecord(parts.dimensions(r), format));
    for (let i = 0; i < slots.length; i++) {
      w.bytes(delimiter);
      const v = parts.value(r, slots[i]!);
      if (v === undefined) continue;
      w.text(csvCell(v, format));
    }
    w.bytes(delimiter);
    const status = parts.status(r);
    let s = statuses.get(status);
    if (s === undefined) {
      if (statuses.size >= MEMO_LIMIT) statuses.clear();
      statuses.set(status, (s = utf8(csvCell(status, format) + '\n')));
    }
    w.bytes(s);
  };
}
