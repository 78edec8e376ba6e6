/**
 * The one check every reader makes before opening an input: it is a regular file. A named pipe, a socket or a device
 * (`/dev/zero`, a terminal) is refused by name, without opening it — opening a FIFO blocks until a writer comes, and
 * a device has no size and no end — so that `validate` never calls such an input "empty" nor hangs on it. A pipe's
 * content cannot be read twice, and the readers read a file more than once (encoding check, then records).
 */
import { stat } from 'node:fs/promises';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** What a non-regular file is, for messages. */
function kindOf(st: Awaited<ReturnType<typeof stat>>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The size of `path`, a regular file; else `INP_FILE_UNREADABLE` naming `file`. */
export async function regularFile(path: string, file: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
  if (!st.isFile()) {
    const kind = kindOf(st);
    const reason =
      kind === 'not a regular file' || kind === 'a directory'
        ? `it is ${kind === 'a directory' ? kind : 'not a regular file'}`
        : `it is ${kind}, not a regular file; save its content to a file first`;
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason }, { file }));
  }
  return st.size;
}
