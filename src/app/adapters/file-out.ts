/**
 * Files written by a run: a result file is written to a temporary sibling and renamed at the end, so a failed run
 * leaves no partial output; the temporary file is registered for removal on SIGINT/SIGTERM (`TempFiles`), and those of
 * killed runs are removed before writing. An output that cannot be written is a coded one-line error
 * (`OUT_UNWRITABLE`), found before the work starts when possible (a folder, a missing or read-only parent).
 *
 * This is the file-system adapter of the application layer: the CLI passes the `TextOut` it opens here to a sink.
 */
import { closeSync, openSync, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import { isOsError, osReason } from '../../formats/os-error.js';
import { removeStaleTemps, scratchPath, tempPath, type TempFiles } from '../../formats/temp-files.js';
import type { ScratchFile, TextOut } from '../text-out.js';

/** `OUT_UNWRITABLE` for an output path and the OS error met writing it. */
export function unwritable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  return new EmpreinteError(issue('OUT_UNWRITABLE', { reason: osReason(e) }, { file }));
}

/**
 * `OUT_UNWRITABLE` of an output for an error met writing or reading its scratch file (`TextOut.scratch`: the rows a
 * worker rendered wait there): the run fails as it would for the output itself, the scratch file named in the reason.
 */
export function scratchFailure(scratch: ScratchFile, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  return new EmpreinteError(
    issue('OUT_UNWRITABLE', { reason: `its scratch file ${scratch.path}: ${osReason(e)}` }, { file: scratch.output }),
  );
}

/**
 * Check that `out` can be a file written by this run: not a folder, its folder exists and is a folder. Throws
 * `OUT_UNWRITABLE`.
 */
export async function checkOutputFile(out: string): Promise<void> {
  try {
    if ((await stat(out)).isDirectory())
      throw new EmpreinteError(issue('OUT_UNWRITABLE', { reason: 'it is a folder' }, { file: out }));
  } catch (e) {
    if (!isOsError(e) || e.code !== 'ENOENT') throw unwritable(out, e);
  }
  const dir = dirname(out);
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw isOsError(e) && e.code === 'ENOENT'
      ? new EmpreinteError(issue('OUT_UNWRITABLE', { reason: `folder ${dir} does not exist` }, { file: out }))
      : unwritable(out, e);
  }
  if (!st.isDirectory())
    throw new EmpreinteError(issue('OUT_UNWRITABLE', { reason: `${dir} is not a folder` }, { file: out }));
}

/**
 * Check that `dir` can be the rejects folder: an existing folder, or a path whose nearest existing parent is a
 * folder (it is created on the first rejected line). Throws `OUT_UNWRITABLE`.
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  for (let p = dir; ;) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      if (!isOsError(e) || e.code !== 'ENOENT') throw unwritable(dir, e);
      const parent = dirname(p);
      if (parent === p) return;
      p = parent;
      continue;
    }
    if (st.isDirectory()) return;
    throw new EmpreinteError(
      issue('OUT_UNWRITABLE', { reason: p === dir ? 'it is not a folder' : `${p} is not a folder` }, { file: dir }),
    );
  }
}

/** A file output that also takes bytes (binary formats: `--format xlsx`), with the same back-pressure. */
export interface FileOut extends TextOut {
  writeBytes(b: Uint8Array): void | Promise<void>;
}

/**
 * A file written atomically (temp file + rename at `close`). Opens its temporary file before returning, so an
 * unwritable target fails before any work. Text is written in UTF-8; `writeBytes` writes bytes as they are.
 */
export async function openFileOut(out: string, temps?: TempFiles): Promise<FileOut> {
  await checkOutputFile(out);
  await removeStaleTemps(out);
  const tmp = tempPath(out);
  let ws: WriteStream;
  try {
    ws = (await open(tmp, 'w')).createWriteStream();
  } catch (e) {
    throw unwritable(out, e);
  }
  temps?.add(tmp);
  let failed: Error | undefined;
  ws.on('error', (e) => (failed ??= e));
  /** The scratch file (`TextOut.scratch`), once made. */
  let scratch: ScratchFile | undefined;
  const dropScratch = async () => {
    if (scratch === undefined) return;
    // `recursive`: whatever stands at this run's own name (`removeStaleTemps` removes it so too).
    await rm(scratch.path, { recursive: true, force: true }).catch(() => undefined);
    temps?.delete(scratch.path);
    scratch = undefined;
  };
  const drop = async () => {
    ws.destroy();
    await rm(tmp, { force: true }).catch(() => undefined); // best effort: the failure being reported matters more
    temps?.delete(tmp);
    await dropScratch();
  };
  const write = (s: string | Uint8Array): void | Promise<void> => {
    if (failed) throw unwritable(out, failed);
    if (!ws.write(s))
      return new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => {
          ws.off('drain', onDrain);
          reject(unwritable(out, e));
        };
        const onDrain = () => {
          ws.off('error', onError);
          resolve();
        };
        ws.once('drain', onDrain);
        ws.once('error', onError);
      });
  };
  return {
    write,
    writeBytes: write,
    scratch: () => {
      if (scratch === undefined) {
        const made = { path: scratchPath(out), output: out };
        // Registered before it exists: a signal from now on removes it (`force`: whether it was made or not).
        temps?.add(made.path);
        try {
          closeSync(openSync(made.path, 'w'));
        } catch (e) {
          temps?.delete(made.path);
          throw scratchFailure(made, e);
        }
        scratch = made;
      }
      return scratch;
    },
    close: async () => {
      if (!failed) await new Promise<void>((res) => ws.end(() => res()));
      try {
        if (failed) throw failed;
        await rename(tmp, out);
      } catch (e) {
        await drop();
        throw unwritable(out, e);
      }
      temps?.delete(tmp);
      await dropScratch();
    },
    abort: drop,
  };
}
