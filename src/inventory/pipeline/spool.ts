/**
 * Stream sources (`InputSource.stream`, e.g. a server upload): a run reads a table more than once (strict key pass,
 * index pre-pass, main pass) and the CSV reader checks the encoding over the whole text before reading, so a stream
 * is first copied to a temporary file of the run, then read by the ordinary readers with every one of their limits.
 * Memory stays flat whatever the upload's size. The folder is removed at the end of the run (and registered in the
 * run's `TempFiles`, which the CLI removes on SIGINT/SIGTERM).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TempFiles } from '../../formats/temp-files.js';

export class StreamSpool {
  private dir: string | undefined;
  private count = 0;

  constructor(private readonly temps: TempFiles | undefined) {}

  /** Copies `stream` to a new temporary file; its path (readers are chosen by the source's name, not this path). */
  async write(stream: Readable): Promise<string> {
    if (this.dir === undefined) {
      this.dir = await mkdtemp(join(tmpdir(), 'empreinte-stream-'));
      this.temps?.add(this.dir);
    }
    const path = join(this.dir, `source-${this.count++}`);
    await pipeline(stream, createWriteStream(path));
    return path;
  }

  /** Removes the temporary files (a no-op when no stream was read). */
  async remove(): Promise<void> {
    const dir = this.dir;
    if (dir === undefined) return;
    this.dir = undefined;
    await rm(dir, { recursive: true, force: true });
    this.temps?.delete(dir);
  }
}
