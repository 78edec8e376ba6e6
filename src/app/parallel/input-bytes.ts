/**
 * The size of an input named by paths, which decides whether a steering command reads a campaign in a worker thread
 * too (`compare`'s later campaign, `scenario`'s baseline): below `TWO_THREADS_MIN_BYTES`, a worker's start (its
 * modules and referential, ≈ 0.2 s) costs more than the second core gives back.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssessInput } from '../assess.js';

/** Inputs from this size on are read in two threads (16 MiB: the size from which `assess` splits a table). */
export const TWO_THREADS_MIN_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of an input's files (a folder: the files directly in it, as the pipeline reads a folder; what cannot be
 * read counts 0: the pipeline reports it); undefined when a source is not a file or folder named by its path (a
 * worker is given the input as data: a stream or a mapping table cannot be sent to it).
 */
export async function inputBytes(input: AssessInput): Promise<number | undefined> {
  let total = 0;
  for (const s of input.sources) {
    if (!('path' in s) || s.mapping?.type === 'table') return undefined;
    const st = await stat(s.path).catch(() => undefined);
    if (st === undefined) continue;
    if (!st.isDirectory()) {
      total += st.size;
      continue;
    }
    for (const name of await readdir(s.path).catch(() => [])) {
      const f = await stat(join(s.path, name)).catch(() => undefined);
      if (f?.isFile()) total += f.size;
    }
  }
  return total;
}
