/**
 * Rows of a table in batches for one pass, with the run's progress: bytes read so far over all passes against the
 * bytes all the passes will read.
 */
import type { CsvPart } from '../../formats/csv.js';
import type { TableRow } from '../../formats/table.js';
import { batchedTable, type OpenedTable } from './table.js';

const ROWS_PER_BATCH = 1024;

export class ReadProgress {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined,
  ) {}

  /** Batches of rows of a table for one more pass (the table's blank-line count is updated at the end). */
  async *batches(t: OpenedTable): AsyncGenerator<readonly TableRow[]> {
    const table = await t.forPass();
    const csv = batchedTable(table);
    if (csv) {
      const last = yield* this.counted(csv.batches, () => csv.bytesRead());
      t.report.blankLines = csv.blankLines();
      this.done += t.size - last;
    } else {
      let batch: TableRow[] = [];
      for await (const r of table.rows) {
        batch.push(r);
        if (batch.length >= ROWS_PER_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      this.done += t.size;
    }
    this.onProgress?.(this.done, this.total);
  }

  /** The batches of a CSV table, each counted by the bytes read so far; returns the bytes read when they end. */
  private async *counted(
    batches: AsyncIterable<readonly TableRow[]>,
    bytesRead: () => number,
  ): AsyncGenerator<readonly TableRow[], number> {
    let last = 0;
    for await (const b of batches) {
      const now = bytesRead();
      this.done += now - last;
      last = now;
      yield b;
      this.onProgress?.(this.done, this.total);
    }
    return last;
  }

  /**
   * Batches of the first part of a table read in two parts (`part.ts`); when the part stops at its split byte, the rest
   * is counted by `advance` as the second part's rows are taken.
   */
  async *firstPart(t: OpenedTable, part: CsvPart): AsyncGenerator<readonly TableRow[]> {
    const last = yield* this.counted(part.batches, () => part.bytesRead());
    t.report.blankLines = part.blankLines();
    if (!part.held()) this.done += t.size - last;
    this.onProgress?.(this.done, this.total);
  }

  /** `bytes` more read (the second part of a table). */
  advance(bytes: number): void {
    this.done += bytes;
    this.onProgress?.(this.done, this.total);
  }
}
