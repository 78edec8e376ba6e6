/**
 * The CLI run in process for the fuzz suite (as test/cli/assess.test.ts does): exit code, stdout and stderr, and the
 * invariants every run must keep whatever its input (issue 9).
 */
import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(args: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  // Plain replacements rather than spies: a spy records every call, which thousands of runs would accumulate.
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => {
    out += String(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    err += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    process.exitCode = undefined;
  }
}

interface ValidateJson {
  readonly totals: { read: number; imported: number; rejected: number };
  readonly files: { status: string; read: number; imported: number; rejected: number; fileError?: unknown }[];
}

/** One coded line: `empreinte: [where: ]CODE message`, nothing else. */
const CODED_LINE = /^empreinte: (?:\S.*: )?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+ \S/;

/**
 * The invariants of a `validate --format json` run: no crash (exit 0 or 2, never the internal-error exit 1), on exit 2
 * exactly one coded error line on stderr, and every file's `read = imported + rejected`.
 */
export function expectValidateHeld(r: CliRun, label: string): ValidateJson | undefined {
  expect(r.err, label).not.toMatch(/internal error|\n\s+at /);
  expect([0, 2], `${label}: exit ${r.code}, stderr ${r.err.slice(0, 300)}`).toContain(r.code);
  const lines = r.err.split('\n').filter((l) => l !== '');
  if (r.code === 2) {
    expect(lines, label).toHaveLength(1);
    expect(lines[0], label).toMatch(CODED_LINE);
  } else {
    expect(lines, label).toEqual([]);
  }
  if (r.out === '') return undefined;
  const json = JSON.parse(r.out) as ValidateJson;
  for (const f of json.files) expect(f.read, label).toBe(f.imported + f.rejected);
  const t = json.totals;
  expect(t.read, label).toBe(t.imported + t.rejected);
  if (r.code === 2)
    expect(
      json.files.some((f) => f.status === 'failed'),
      label,
    ).toBe(true);
  return json;
}

/** Peak resident memory of this process, in MB (monotonic: `maxRSS` never decreases). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

setFlagsFromString('--expose-gc');
/** V8's full garbage collection (exposed at run time, without a command-line flag). */
const collect = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, in MB. */
export function liveHeapMB(): number {
  collect();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Collect garbage once more than `slackMB` of heap is in use above `baseMB`, so that the peak measured over thousands
 * of runs in one process is the peak of a run (plus that slack), not garbage V8 had no reason to collect yet.
 */
export function settle(baseMB: number, slackMB = 64): void {
  if (process.memoryUsage().heapUsed / 2 ** 20 - baseMB > slackMB) collect();
}

/** With `FUZZ_LOG=<file>`: append `<kind> <exit code> <stderr line>` for this run (to tabulate the outcomes). */
export function logRun(kind: string, r: CliRun): void {
  const log = process.env.FUZZ_LOG;
  if (log) appendFileSync(log, `${kind} ${r.code} ${r.err.split('\n', 1)[0]}\n`);
}
