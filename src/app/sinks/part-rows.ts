/**
 * Rows rendered by a worker thread (issue 11: the second part of a large table is read and assessed in a worker,
 * `src/app/parallel/part-worker.ts`). A sink that can take rows as bytes says how to render them (`RowsSpec`, in
 * `AssessSink.partRows`); the worker renders each accepted item of its part with the sink's own row writer into one
 * byte array per batch, and the main thread hands each item's bytes to the sink in the item's place (`PartRows.write`),
 * after the duplicate check: the file gets the bytes the sink would have written itself, in input order.
 *
 * The long CSV's rows are too large to wait in memory (1.8 GB for the second part of a 1M-line file, against the
 * worker's 512 MB of pending batches): when the output has a scratch file (`TextOut.scratch`, next to it), the worker
 * appends its rows there and sends only each item's end; the main thread copies the accepted ranges from it into the
 * output, in bounded chunks (`SpillReader`, buffered.ts), once its own part is written.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Layout } from '../../engine/layout.js';
import type { ItemResult } from '../../engine/result.js';
import type { CsvFormat } from '../../formats/csv-write.js';
import { wideParts } from '../../outputs/wide.js';
import { scratchFailure } from '../adapters/file-out.js';
import type { ScratchFile } from '../text-out.js';
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
  | {
      readonly type: 'csv-long';
      readonly format: CsvFormat;
      readonly withFormula: boolean;
      /** The scratch file the rows are appended to (absent: they travel with their batch). */
      readonly scratch?: ScratchFile;
    };

/**
 * The rows of a batch's items: their bytes one after the other (`bytes`, or in the spec's file from offset `at`), and
 * where each item's end (from the batch's start).
 */
export type RenderedRows =
  { readonly bytes: Uint8Array; readonly ends: Int32Array } | { readonly at: number; readonly ends: Int32Array };

/**
 * The worker's writer: `add` renders one item, `take` gives the batch's rows (written to the spec's file before it
 * returns) and starts the next batch, `close` releases the file. A failure to open or write the file is the output's
 * `OUT_UNWRITABLE` (`scratchFailure`), thrown by that call and by every later `add` and `take`: the worker sends it in
 * its batches' place, and no batch announces rows that did not reach the file.
 */
export interface PartRowWriter {
  add(result: ItemResult): void;
  take(): RenderedRows;
  close(): void;
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
  const scratch = spec.type === 'csv-long' ? spec.scratch : undefined;
  /** The scratch file's failure, once met. */
  let failed: Error | undefined;
  const fail = (e: unknown): never => {
    failed ??= scratchFailure(scratch!, e);
    throw failed;
  };
  // Appended in this thread, synchronously: the main thread reads a batch's range only after its message, sent after
  // `take`. The file's offsets are the writer's (`ByteRows.offset`: the file starts empty).
  let fd: number | undefined;
  if (scratch !== undefined) {
    try {
      fd = openSync(scratch.path, 'r+');
    } catch (e) {
      fail(e);
    }
  }
  const file = fd;
  // Else each hand-over is copied to its exact size: the batches wait in the main thread until it has read its own
  // part, and the unused room of a writer's buffer would be held with them.
  const chunks: Uint8Array[] = [];
  const w = new ByteRows(
    file === undefined
      ? (b) => void chunks.push(new Uint8Array(b))
      : (b) => {
          if (failed) throw failed;
          try {
            writeAll(file, b);
          } catch (e) {
            fail(e);
          }
        },
    file === undefined ? bytesPerWrite : BUFFERED_BYTES,
    file !== undefined, // written before `writeAll` returns: one buffer for the whole part
  );
  const row = rowsOf(spec, w, layout);
  let ends = new Int32Array(4096);
  let n = 0;
  let start = 0;
  return {
    add: (r) => {
      if (failed) throw failed;
      row(r);
      if (n === ends.length) {
        const grown = new Int32Array(2 * n);
        grown.set(ends);
        ends = grown;
      }
      ends[n++] = w.offset - start;
    },
    take: () => {
      if (failed) throw failed;
      void w.flush(); // synchronous: the hand-over above returns nothing
      if (file !== undefined) {
        const at = start;
        start = w.offset;
        const taken = ends.slice(0, n);
        n = 0;
        return { at, ends: taken };
      }
      const bytes = chunks.length === 1 ? chunks[0]! : concat(chunks);
      chunks.length = 0;
      start = w.offset;
      const taken = ends.slice(0, n);
      n = 0;
      return { bytes, ends: taken };
    },
    close: () => {
      if (file !== undefined) closeSync(file);
    },
  };
}

function writeAll(fd: number, b: Uint8Array): void {
  for (let at = 0; at < b.length;) at += writeSync(fd, b, at, b.length - at);
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
