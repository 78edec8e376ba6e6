/**
 * Issue 11, start-up time: `bin/code-cache.mjs` runs a CommonJS bundle through `vm.Script` with the V8 code cache
 * made from those very bytes (checked by sha256), and compiles it without the cache when the cache is missing, made
 * from other bytes (a bundle rebuilt or edited, even of the same length, which V8 itself would not notice) or refused
 * by V8 (another node, other flags); the same code runs in every case. The CLI's CommonJS bundle
 * (`commonJsBundleOptions` of scripts/bundle.mjs) leaves the server out and, run with its cache, prints what the ES
 * module bundle prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript build script without type declarations
import { asciiOnly, bundleOptions, commonJsBundleOptions } from '../../scripts/bundle.mjs';

const root = resolve('.');
const loaderUrl = pathToFileURL(join(root, 'bin', 'code-cache.mjs')).href;
const { URL_PARAMETER, BUNDLE_START, BUNDLE_END } = (await import(loaderUrl)) as Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'empreinte-code-cache-'));
// Inside the package: the bundle finds the embedded pack from its own location, as dist/ does.
const out = mkdtempSync(join(root, '.code-cache-test-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

/** A small CommonJS module: its exports depend on `version`, its wrapper parameters and a relative require. */
function moduleText(version: string): string {
  return [
    BUNDLE_START,
    `const { helper } = require('./helper.cjs');`,
    `function compute(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }`,
    `exports.version = '${version}';`,
    `exports.answer = helper(compute(100));`,
    `exports.url = ${URL_PARAMETER};`,
    `exports.file = __filename;`,
    `exports.text = ['é ✓ 😀'.length, /^[é✓]+$/.test('é✓é'), /😀/u.test('😀')].join();`,
    BUNDLE_END,
  ].join('\n');
}

/**
 * Loads `file` in a new node (V8 also keeps compiled code in memory for a source it has already compiled in the same
 * process, which would hide what the cache file does) and, with `write`, writes its cache after the run.
 */
function load(file: string, write = false): { cache: string; exports: Record<string, unknown> } {
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { loadCommonJsBundle, writeCodeCache } from ${JSON.stringify(loaderUrl)};
       const { exports, script, cache } = loadCommonJsBundle(${JSON.stringify(file)});
       if (${String(write)}) writeCodeCache(script, ${JSON.stringify(file)});
       process.stdout.write(JSON.stringify({ cache, exports }));`,
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { cache: string; exports: Record<string, unknown> };
}

describe('code cache loader (bin/code-cache.mjs)', () => {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(join(dir, 'helper.cjs'), 'exports.helper = (x) => x * 2;\n');
  // 0..99 % 7: 14 full cycles (21 each) plus 0 + 1 = 295; doubled by the helper.
  const expected = (version: string) => ({
    version,
    answer: 590,
    url: pathToFileURL(file).href,
    file,
    text: '6,true,true', // 'é ✓ 😀': 1 + 1 + 1 + 1 + 2 UTF-16 code units
  });

  it('runs the bundle without a cache, then with the cache written after a run', () => {
    writeFileSync(file, moduleText('one'));
    rmSync(`${file}.cache`, { force: true });
    expect(load(file, true)).toEqual({ cache: 'missing', exports: expected('one') });
    const header = readFileSync(`${file}.cache`).subarray(0, 100).toString('latin1').split('\n')[0];
    expect(header).toMatch(/^empreinte-code-cache v1 [0-9a-f]{64}$/);
    expect(load(file)).toEqual({ cache: 'used', exports: expected('one') });
  });

  it('compiles without the cache a bundle changed since, even of the same length', () => {
    writeFileSync(file, moduleText('one'));
    load(file, true);
    writeFileSync(file, moduleText('two')); // same length: V8's own check (the length) would take the cache
    expect(load(file)).toEqual({ cache: 'stale', exports: expected('two') });
  });

  it('falls back to compiling when V8 refuses the cache, or when the file is not a cache', () => {
    writeFileSync(file, moduleText('one'));
    load(file, true);
    const cache = readFileSync(`${file}.cache`);
    const headerEnd = cache.indexOf(10) + 1;
    // The right header over data V8 cannot use (another node's, corrupted).
    writeFileSync(
      `${file}.cache`,
      Buffer.concat([cache.subarray(0, headerEnd), Buffer.alloc(cache.length - headerEnd, 7)]),
    );
    expect(load(file)).toEqual({ cache: 'rejected', exports: expected('one') });
    writeFileSync(`${file}.cache`, 'not a cache');
    expect(load(file)).toEqual({ cache: 'stale', exports: expected('one') });
  });
});

describe('asciiOnly (scripts/bundle.mjs)', () => {
  it('escapes every non-ASCII character as UTF-16 escapes that mean the same in strings and regular expressions', () => {
    expect(asciiOnly('a é ✓ 😀 z')).toBe('a \\u00e9 \\u2713 \\ud83d\\ude00 z');
    const source = `[/^[é✓]+$/.test('é✓é'), /😀/u.test('😀'), /^.$/u.test('😀'), /^..$/.test('😀'), 'é😀'] // ✓`;
    const escaped = asciiOnly(source) as string;
    expect([...escaped].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    // The escaped text runs as the original does.
    expect(eval(escaped)).toEqual([true, true, true, true, 'é😀']);
    expect(() => asciiOnly('/\\é/')).toThrow(/backslash/);
  });
});

describe("the CLI's CommonJS bundle", () => {
  it('leaves the server out, and run with its code cache prints what the ES module bundle prints', async () => {
    const entry = join(root, 'src', 'cli', 'main.ts');
    const cjs = await build({ ...commonJsBundleOptions(entry, out), metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(cjs.metafile?.inputs ?? {});
    expect(inputs).toContain('src/engine/assess.ts');
    expect(inputs.filter((i) => i.startsWith('src/server/'))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith('no-server:')).length).toBeGreaterThan(0);
    const text = readFileSync(join(out, 'empreinte.cjs'), 'utf8');
    expect(text.startsWith(BUNDLE_START!)).toBe(true);
    writeFileSync(join(out, 'empreinte.cjs'), asciiOnly(text));
    expect(text).not.toMatch(/require\("(kysely|fastify|pg|pg-boss|better-sqlite3)"\)/);
    await build({ ...bundleOptions(entry, out), logLevel: 'silent' });

    const args = ['assess', 'examples/inventory', '--summary', '--format', 'json', '--date', '2025-06-30'];
    const bundle = join(out, 'empreinte.cjs');
    const record = spawnSync(process.execPath, ['bin/code-cache.mjs', bundle, `${bundle}.cache`, ...args], {
      encoding: 'utf8',
    });
    expect(record.status).toBe(0);
    const viaCache = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { loadCommonJsBundle } from ${JSON.stringify(loaderUrl)};
         const { exports, cache } = loadCommonJsBundle(${JSON.stringify(bundle)});
         process.stderr.write(cache);
         process.exitCode = await exports.main(${JSON.stringify(args)});`,
      ],
      { encoding: 'utf8' },
    );
    expect(viaCache.stderr).toBe('used');
    expect(viaCache.status).toBe(0);
    const viaModules = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(pathToFileURL(join(out, 'empreinte.mjs')).href)});
         process.exitCode = await main(${JSON.stringify(args)});`,
      ],
      { encoding: 'utf8' },
    );
    expect(viaModules.status).toBe(0);
    expect(JSON.parse(viaCache.stdout).totals).toBeDefined();
    expect(viaCache.stdout).toBe(viaModules.stdout);
  }, 120_000);
});
