/**
 * `--format csv` (the default layout since issue 11; `--long` gives the per-indicator rows): one row per item — its
 * dimensions, one column per criterion × step in rounded values, its status (`src/outputs/wide.ts`) — through the one
 * CSV writer in the run's locale (`--locale fr`: `;`, decimal comma, UTF-8 BOM). The header waits for the first row;
 * a run without any item writes the header alone.
 */
import type { Layout } from '../../engine/layout.js';
import { csvCell, csvFormat, csvPreamble, csvRecord, plainNumbers, type CsvFormat } from '../../formats/csv-write.js';
import { WIDE_DIMENSIONS, wideHeader, wideParts, wideRows, type WideCell, type WideParts } from '../../outputs/wide.js';
import type { ItemResult } from '../../engine/result.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites, ByteRows, utf8 } from './buffered.js';
import { NumberBytes } from './number-bytes.js';

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
 * through the same `csvCell`, encoded straight into the output's bytes without a row string (`wideWriter`). The same bytes as `csvRecord(wideRows(layout)(r), format)` (test/app/sinks.test.ts).
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
    // The second part of a large table: its rows rendered by the worker with the same `wideWriter` (part-rows.ts).
    partRows: {
      spec: () => ({ type: 'csv-wide', format }),
      write: (bytes, start, end) => {
        writeHead();
        w.copy(bytes, start, end - start);
        return w.end();
      },
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

/** Dimension columns whose texts repeat across items (kept encoded per text); the others are written as they come. */
const REPEATED: readonly string[] = ['kind', 'entity', 'type', 'tier', 'country', 'datacenter', 'file'];

/**
 * Writes a wide row cell by cell: the cells of `csvRecord(wideRows(layout)(r), format)`. The texts of the dimension
 * columns that repeat (kind, entity, type, …) are kept encoded per text, numbers (quantities, lines, the rounded values:
 * few distinct texts) per number in a bounded table (`NumberBytes`), the status per status text. The worker of a large
 * table's second part writes its rows with it too (`partRowWriter`).
 */
export function wideWriter(w: ByteRows, parts: WideParts, format: CsvFormat): (r: ItemResult) => void {
  const delimiter = utf8(format.delimiter);
  const statuses = new Map<string, Uint8Array>();
  const numbers = new NumberBytes((x) => csvCell(x, format), 16, plainNumbers(format));
  const texts = WIDE_DIMENSIONS.map((c) => (REPEATED.includes(c) ? new Map<string, Uint8Array>() : undefined));
  /** The bytes of `csvCell(text) + end`, kept per text in `m`. */
  const memo = (m: Map<string, Uint8Array>, text: string, end: string): Uint8Array => {
    let b = m.get(text);
    if (b === undefined) {
      if (m.size >= MEMO_LIMIT) m.clear();
      m.set(text, (b = utf8(csvCell(text, format) + end)));
    }
    return b;
  };
  // The status cell depends on the item's status vector and errors only. Most items share both (the engine's slot
  // templates): its bytes are kept per vector, checked against a copy of it and the errors' identity.
  const byStatus = new WeakMap<
    object,
    { readonly errors: object; readonly copy: Uint8Array; readonly bytes: Uint8Array }
  >();
  const statusBytes = (r: ItemResult): Uint8Array => {
    if (r.outOfPeriod !== undefined) return memo(statuses, parts.status(r), '\n');
    const st = r.status;
    const known = byStatus.get(st);
    if (known !== undefined && known.errors === r.errors && sameBytes(known.copy, st)) return known.bytes;
    const bytes = memo(statuses, parts.status(r), '\n');
    byStatus.set(st, { errors: r.errors, copy: Uint8Array.from(st), bytes });
    return bytes;
  };
  const { slots } = parts;
  return (r) => {
    const dims = parts.dimensions(r);
    for (let i = 0; i < dims.length; i++) {
      if (i > 0) w.bytes(delimiter);
      const c = dims[i];
      if (c === undefined) continue;
      if (typeof c === 'number') numbers.write(w, c);
      else {
        const m = texts[i];
        if (m === undefined) w.text(csvCell(c, format));
        else w.bytes(memo(m, c, ''));
      }
    }
    for (let i = 0; i < slots.length; i++) {
      w.bytes(delimiter);
      const v = parts.value(r, slots[i]!);
      if (v !== undefined) numbers.write(w, v);
    }
    w.bytes(delimiter);
    w.bytes(statusBytes(r));
  };
}

function sameBytes(a: Uint8Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
