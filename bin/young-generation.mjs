// Issue 11: a larger young generation for large inventories. V8 sizes its young generation (the semi-spaces where
// short-lived objects are allocated) only at start-up, from node's command line: `v8.setFlagsFromString` has no
// effect once the heap exists, and NODE_OPTIONS is the user's. On a 1M-line inventory the default 16 MiB semi-space
// makes the scavenger promote about 600 MB of objects that die soon after, which the old generation's mark-compacts
// then collect; with 32 MiB, 87 MB are promoted, for the same output. So `bin/empreinte` runs the CLI again as a
// child with `--max-semi-space-size=32` when an argument names a file (or a folder of files) of LARGE_INPUT_BYTES or
// more: a second start of node (about 0.05 s) that only large runs pay; small runs (and runs given a semi-space size,
// `node --max-semi-space-size=… bin/empreinte`) run in place. Measured in docs/benchmarks.md, "Issue 11, 1M summary
// (branch h11-summary)".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SEMI_SPACE_FLAG = '--max-semi-space-size=32';
/**
 * Also given to the relaunched child of a streaming command (every command but `compare` and `scenario`). At a full
 * collection V8 may decide that the objects made at an allocation site live long and allocate them in the old
 * generation from then on ("pretenuring"). When that decision falls as the application pass of a mixed estate starts,
 * the per-line objects (and the cell strings they hold) pile up in the old generation with no full collection until
 * the end: in about one run in two, the 100k-host mixed estate peaked at 600–720 MB instead of 360–380 MB, in every
 * build. A streaming command's per-line objects die young, so the decision is never right for it; with the flag,
 * 29 runs out of 29 peaked at 356–374 MB. `compare` and `scenario` hold a whole campaign's items until its engine pass
 * ends, objects that do live long: they keep V8's default. Measured in docs/benchmarks.md, "Issue 11, the mixed
 * estate's bimodal peak".
 */
export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';
/** The commands that hold a campaign in memory (see NO_PRETENURING_FLAG). */
const HOLDING_COMMANDS = new Set(['compare', 'scenario']);

/** The node flags of the relaunched child for the CLI arguments `args` (the command is the first non-option). */
export function childFlags(args) {
  const command = args.find((a) => !a.startsWith('-'));
  return HOLDING_COMMANDS.has(command) ? [SEMI_SPACE_FLAG] : [SEMI_SPACE_FLAG, NO_PRETENURING_FLAG];
}
/** Inputs from this size on get the larger young generation (16 MiB: about 180,000 physical-equipment lines). */
export const LARGE_INPUT_BYTES = 16 * 1024 * 1024;

/** Whether node already runs with a semi-space size chosen on its command line or in NODE_OPTIONS. */
export function hasSemiSpaceFlag(execArgv, nodeOptions = '') {
  const flag = (a) => /^--max[-_]semi[-_]space[-_]size\b/.test(a);
  return execArgv.some(flag) || nodeOptions.split(/\s+/).some(flag);
}

/**
 * Whether an argument (options excepted) names a regular file of `threshold` bytes or more, or a folder whose files
 * (directly inside it, as the CLI reads a folder) add up to that much.
 */
export function hasLargeInput(args, threshold = LARGE_INPUT_BYTES) {
  const size = (path) => {
    try {
      const s = statSync(path, { throwIfNoEntry: false });
      return s !== undefined && s.isFile() ? s.size : 0;
    } catch {
      return 0; // unreadable: the command itself reports it
    }
  };
  for (const a of args) {
    if (a.startsWith('-')) continue;
    try {
      const s = statSync(a, { throwIfNoEntry: false });
      if (s === undefined) continue;
      if (s.isFile() && s.size >= threshold) return true;
      if (s.isDirectory()) {
        let total = 0;
        for (const name of readdirSync(a)) if ((total += size(join(a, name))) >= threshold) return true;
      }
    } catch {
      // Unreadable: the command itself reports it.
    }
  }
  return false;
}

/**
 * Runs `script args` in a child node with the larger young generation (and `childFlags`), stdio shared; resolves with its exit code
 * (128 + signal number when it was killed). SIGINT and SIGTERM received by this process are passed on to the child,
 * which removes its temporary files and exits with 130 / 143 as it does when run in place.
 */
export async function relaunch(script, args, execArgv = process.execArgv) {
  // Loaded here: a small run (most runs) does not load them (start-up time).
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const child = spawn(process.execPath, [...execArgv, ...childFlags(args), script, ...args], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}
