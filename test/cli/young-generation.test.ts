/**
 * `bin/young-generation.mjs` (issue 11): a run naming a large input file is run again in a child node with
 * `--max-semi-space-size=32`; small runs, and runs already given a semi-space size, run in place. The relaunched
 * child shares stdio, gets the arguments unchanged, and its exit code is the command's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

interface YoungGeneration {
  SEMI_SPACE_FLAG: string;
  NO_PRETENURING_FLAG: string;
  childFlags(args: readonly string[]): string[];
  LARGE_INPUT_BYTES: number;
  hasSemiSpaceFlag(execArgv: readonly string[], nodeOptions?: string): boolean;
  hasLargeInput(args: readonly string[], threshold?: number): boolean;
}

const moduleUrl = pathToFileURL(resolve('bin/young-generation.mjs')).href;
const yg = (await import(moduleUrl)) as YoungGeneration;
const dir = mkdtempSync(join(tmpdir(), 'empreinte-young-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('young generation of large runs', () => {
  it('is asked for a file, or a folder of files, of the threshold size or more, options excepted', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 1000);
    expect(yg.hasLargeInput(['assess', big, '--summary'], 1000)).toBe(true);
    expect(yg.hasLargeInput(['assess', big, '--summary'], 1001)).toBe(false);
    expect(yg.hasLargeInput([`--out=${big}`], 10)).toBe(false); // an option is not an input
    expect(yg.hasLargeInput(['assess', join(dir, 'missing.csv')], 1)).toBe(false);
    // A folder: the sizes of the files directly inside it add up (1000 + 500 bytes here).
    const folder = join(dir, 'inventory');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.csv'), '');
    truncateSync(join(folder, 'a.csv'), 1000);
    writeFileSync(join(folder, 'b.csv'), '');
    truncateSync(join(folder, 'b.csv'), 500);
    writeFileSync(join(folder, 'sub', 'c.csv'), '');
    truncateSync(join(folder, 'sub', 'c.csv'), 5000); // not read by the CLI: not counted
    expect(yg.hasLargeInput(['assess', folder], 1500)).toBe(true);
    expect(yg.hasLargeInput(['assess', folder], 1501)).toBe(false);
    expect(yg.LARGE_INPUT_BYTES).toBe(16 * 1024 * 1024);
  });

  it('is not asked again when node already has a semi-space size', () => {
    expect(yg.hasSemiSpaceFlag([])).toBe(false);
    expect(yg.hasSemiSpaceFlag(['--max-semi-space-size=64'])).toBe(true);
    expect(yg.hasSemiSpaceFlag(['--max_semi_space_size=8'])).toBe(true);
    expect(yg.hasSemiSpaceFlag(['--max-old-space-size=4096'])).toBe(false);
    expect(yg.hasSemiSpaceFlag([], '--max-semi-space-size=16 --enable-source-maps')).toBe(true);
    expect(yg.hasSemiSpaceFlag([], '--max-old-space-size=4096')).toBe(false);
  });

  it('runs the script in a child with the flag, the same arguments and stdio, and returns its exit code', () => {
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      'process.stdout.write(JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2) }));\nprocess.exitCode = 3;\n',
    );
    const parent = [
      `const { relaunch } = await import(${JSON.stringify(moduleUrl)});`,
      `process.exitCode = await relaunch(${JSON.stringify(script)}, ['assess', 'a b.csv', '--summary'], []);`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', parent], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      execArgv: ['--max-semi-space-size=32', '--no-allocation-site-pretenuring'],
      args: ['assess', 'a b.csv', '--summary'],
    });
    expect(yg.SEMI_SPACE_FLAG).toBe('--max-semi-space-size=32');
    expect(yg.NO_PRETENURING_FLAG).toBe('--no-allocation-site-pretenuring');
  });

  it('keeps V8 pretenuring for the commands that hold a campaign in memory', () => {
    const both = ['--max-semi-space-size=32', '--no-allocation-site-pretenuring'];
    expect(yg.childFlags(['assess', 'a.csv', '--summary'])).toEqual(both);
    expect(yg.childFlags(['validate', 'a.csv'])).toEqual(both);
    expect(yg.childFlags(['--quiet', 'convert', 'a.csv'])).toEqual(both);
    expect(yg.childFlags(['compare', 'a.csv', '--with', 'b.csv'])).toEqual(['--max-semi-space-size=32']);
    expect(yg.childFlags(['scenario', 'a.csv', '--scenario', 's.yaml'])).toEqual(['--max-semi-space-size=32']);
  });

  it('gives the flag to a node that accepts it', () => {
    const r = spawnSync(process.execPath, [...yg.childFlags(['assess']), '-e', 'process.exitCode = 7'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
  });
});
