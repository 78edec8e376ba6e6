/**
 * The CLI run in process (src/cli/main.ts `main`), its stdout and stderr captured: what the tests of every front end
 * compare against. Restores the streams and `process.exitCode` (which a command may set) after the run.
 */
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `empreinte <args>` in this process; `env` defaults to the process's (as `main` does). */
export async function runCli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = env === undefined ? await main(args) : await main(args, env);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/** `runCli` for a command that must succeed (exit code 0; its stderr shown when not): its stdout. */
export async function cliOut(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runCli(args, env);
  expect(r.code, r.err).toBe(0);
  return r.out;
}
