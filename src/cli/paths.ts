/**
 * Output paths against input paths: `--out`, `--rejects` or an export folder that is an input, or inside an input
 * folder, would replace the inventory by the report or mix outputs into the inputs of the next run. Such a path is
 * refused before any work (`OUT_OVERWRITES_INPUT`). Paths are compared after resolving symbolic links (a missing
 * output resolves through its nearest existing parent), and an existing output that is the same file as an input
 * under another name (hard link) is refused too.
 */
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** The absolute path with symbolic links resolved, for a path that may not exist yet. */
export async function resolvedPath(p: string): Promise<string> {
  const abs = resolve(p);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return join(await resolvedPath(parent), basename(abs));
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Throw `OUT_OVERWRITES_INPUT` when `output` (given to `option`) is one of `inputs` or inside one of them. Inputs that
 * do not exist are ignored (the readers report them).
 */
export async function refuseOutputOnInput(
  option: string,
  output: string | undefined,
  inputs: readonly (string | undefined)[],
): Promise<void> {
  if (output === undefined) return;
  const out = await resolvedPath(output);
  for (const input of inputs) {
    if (input === undefined || !existsSync(input)) continue; // e.g. a pack id given to --referential
    const inp = await resolvedPath(input);
    const inside = out === inp || out.startsWith(inp.endsWith(sep) ? inp : inp + sep);
    if (inside || (await sameFile(out, inp)))
      throw new EmpreinteError(issue('OUT_OVERWRITES_INPUT', { option, input }, { file: output }));
  }
}
