/**
 * Rows rendered by a worker thread (issue 11: the second part of a large table is read and assessed in a worker,
 * `src/app/parallel/part-worker.ts`). A sink that can take rows as bytes says how to render them (`RowsSpec`, in
 * `AssessSink.partRows`); the worker renders each accepted item of its part with the sink's own row writer into one
 * byte array per batch, and the main thread hands each item's bytes to the sink in the item's place (`PartRows.write`),
 * after the duplicate check: the file gets the bytes the sink would have written itself, in input order.
 */
import type { Layout } from '../../engine/layout.js';
import type { ItemResult } from '../../engine/result.js';
import type { CsvFormat } from '../../formats/csv-write.js';
import { wideParts } from '../../outputs/wide.js';
import { BUFFERED_BYTES, ByteRows } from './buffered.js';
import { directRows, messageCache } from './csv-rows.js';
import { wideWriter } from './csv-wide.js';

/**
 * The worker's buffer for the long CSV: a whole batch's rows (2048 items of about 15 rows of 215 bytes), so that they
 * are copied once, not once per hand-over and again when joined. The wide rows of a batch (about 400 KB) fit in the
 * default one.
 */
const LONG_BATCH_BYTES = 8 << 20;

/** How a worker renders a sink's rows (structured-clonable): the wide CSV, or the long one with or without formulas. */
export type RowsSpec =
  | { readonly type: 'csv-wide'; readonly format: CsvFormat }
  | { readonly type: 'csv-long'; readonly format: CsvFormat; readonly withFormula: boolean };

/** The rows of a batch's items: their bytes one after the other, and where each item's end (from the batch's start). */
export interface RenderedRows {
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
}

/** The worker's writer: `add` renders one item, `take` gives the batch's rows and starts the next batch. */
export interface PartRowWriter {
  add(result: ItemResult): void;
  take(): RenderedRows;
}

/**
 * @param bytesPerWrite the writer's buffer: by default room for a whole batch's rows (tests set a small one, a batch's
 *   rows then span several hand-overs)
 */
export function partRowWriter(
  spec: RowsSpec,
  layout: Layout,
  bytesPerWrite = spec.type === 'csv-long' ? LONG_BATCH_BYTES : BUFFERED_BYTES,
): PartRowWriter {
  // Each hand-over is copied to its exact size: the batches wait in the main thread until it has read its own part,
  // and the unused room of a writer's buffer would be held with them.
  const chunks: Uint8Array[] = [];
  const w = new ByteRows((b) => void chunks.push(new Uint8Array(b)), bytesPerWrite);
  const row = rowsOf(spec, w, layout);
  let ends = new Int32Array(4096);
  let n = 0;
  let start = 0;
  return {
    add: (r) => {
      row(r);
      if (n === ends.length) {
        const grown = new Int32Array(2 * n);
        grown.set(ends);
        ends = grown;
      }
      ends[n++] = w.offset - start;
    },
    take: () => {
      void w.flush(); // synchronous: the hand-over above returns nothing
      const bytes = chunks.length === 1 ? chunks[0]! : concat(chunks);
      chunks.length = 0;
      start = w.offset;
      const taken = ends.slice(0, n);
      n = 0;
      return { bytes, ends: taken };
    },
  };
}

function rowsOf(spec: RowsSpec, w: ByteRows, layout: Layout): (r: ItemResult) => void {
  switch (spec.type) {
    case 'csv-wide':
      return wideWriter(w, wideParts(layout), spec.format);
    case 'csv-long':
      return directRows(w, layout, spec.format, messageCache(), spec.withFormula);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
