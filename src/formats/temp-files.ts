/**
 * Temporary files of atomic writes (`--out`, rejects files, referential exports): a target `dir/x.json` is written to
 * `dir/.x.json.<pid>.tmp` and renamed at the end. The run's temporary files are recorded in a `TempFiles` registry
 * that the CLI entry removes on SIGINT/SIGTERM; the temporary files that a killed run (`kill -9`) could not remove are
 * removed by the next run writing the same target, when the process that made them no longer exists.
 */
import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What a writer tells the run about its temporary files. */
export interface TempFiles {
  add(path: string): void;
  delete(path: string): void;
}

/** The temporary files of one run (created and discarded by the CLI entry; never module-level). */
export class TempRegistry implements TempFiles {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
  }

  delete(path: string): void {
    this.paths.delete(path);
  }

  list(): string[] {
    return [...this.paths];
  }

  /** Remove every registered file or folder, synchronously (from a signal handler); errors are ignored. */
  removeAllSync(): void {
    for (const p of this.paths) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        // Nothing more can be done while exiting on a signal.
      }
    }
    this.paths.clear();
  }
}

/** `dir/.name.<pid>.tmp` for a target `dir/name`. */
export function tempPath(target: string, pid: number = process.pid): string {
  return join(dirname(target), `.${basename(target)}.${pid}.tmp`);
}

/**
 * `dir/.name.<pid>.tmp.rows` for a target `dir/name`: a second temporary file of the same write (the rows a worker
 * rendered for it, copied into the output at the end), removed with the first by `removeStaleTemps`.
 */
export function scratchPath(target: string, pid: number = process.pid): string {
  return `${tempPath(target, pid)}.rows`;
}

/** Whether a process with this id exists (EPERM: it exists, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Remove the temporary files (or folders) `.name.<pid>.tmp` (and `.name.<pid>.tmp.rows`) next to `target` left by processes that no longer exist
 * (a run killed with SIGKILL cannot clean up). Files of live processes, including this one, are kept. Returns the
 * paths removed. A missing or unreadable folder is not an error here (the write itself reports it).
 */
export async function removeStaleTemps(
  target: string,
  exists: (pid: number) => boolean = processExists,
): Promise<string[]> {
  return removeMatching(
    dirname(target),
    new RegExp(`^\\.${escapeRe(basename(target))}\\.(\\d+)\\.tmp(?:\\.rows)?$`),
    exists,
  );
}

/**
 * The same for every target of `dir` whose name starts with `prefix` (e.g. the `rejected_*` files of a rejects folder,
 * cleaned at the start of a run even when it rejects nothing).
 */
export async function removeStaleTempsIn(
  dir: string,
  prefix: string,
  exists: (pid: number) => boolean = processExists,
): Promise<string[]> {
  return removeMatching(dir, new RegExp(`^\\.${escapeRe(prefix)}.*\\.(\\d+)\\.tmp$`), exists);
}

async function removeMatching(dir: string, re: RegExp, exists: (pid: number) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = re.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || exists(pid)) continue;
    const p = join(dir, n);
    try {
      await rm(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // Not ours to fight over (permissions): the run goes on; its own temporary file has another name.
    }
  }
  return removed;
}
