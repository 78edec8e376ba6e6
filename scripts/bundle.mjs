// Bundles the compiled CLI (dist/cli/main.js, from `tsc -p tsconfig.build.json`) and its dependencies into an ES
// module, dist/empreinte.mjs, that `bin/empreinte` runs: a few files to load instead of hundreds of modules (issue 11,
// start-up time). Plain JavaScript so that `npm ci` (the `prepare` script) needs nothing but esbuild, installed with
// the dev dependencies (through tsx). Packages loaded through `createRequire` stay runtime requires (node_modules).
// `bundleOptions` is exported for test/cli/bundle.test.ts, which bundles the sources the same way. The CLI is also
// written as one CommonJS file, dist/empreinte.cjs, with the V8 code cache of a run, dist/empreinte.cjs.cache, which
// `bin/empreinte` runs (bin/code-cache.mjs, `commonJsBundleOptions`; test/cli/code-cache.test.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_END, BUNDLE_START, URL_PARAMETER } from '../bin/code-cache.mjs';

/**
 * The server's dependencies stay runtime imports: they are loaded only by `serve`/`admin`, and some locate files next
 * to their own module (better-sqlite3's native addon through `bindings`, pino's transports), which a bundle would
 * break.
 */
export const SERVER_PACKAGES = [
  'better-sqlite3',
  'pg',
  'pg-boss',
  'kysely',
  'fastify',
  '@fastify/*',
  'fastify-type-provider-zod',
  'pino',
  'pino-*',
];

/**
 * The esbuild options of the CLI bundle: `entry` (the CLI's main module) → `outdir`/empreinte.mjs + chunks/.
 * The build's `tables`, each optional, are written into the bundle: `mergeHashes` (from `mergeHashes` below) for
 * `src/referential/merge-hashes.ts`, `normalised` (from `normalisedModels` below) for
 * `src/referential/matching/precomputed.ts`, `snapshots` (from `mergeSnapshots` below) for
 * `src/referential/merge-snapshot.ts`, `countries` (from `countryTable` below) for `src/referential/countries.ts`.
 */
export function bundleOptions(entry, outdir, tables = {}) {
  const { mergeHashes, normalised, snapshots, countries } = tables;
  const define = {
    ...(mergeHashes !== undefined ? { __EMPREINTE_MERGE_HASHES__: JSON.stringify(mergeHashes) } : {}),
    ...(normalised !== undefined ? { __EMPREINTE_NORMALISED_MODELS__: JSON.stringify(normalised) } : {}),
    ...(snapshots !== undefined ? { __EMPREINTE_MERGE_SNAPSHOTS__: JSON.stringify(snapshots) } : {}),
    ...(countries !== undefined ? { __EMPREINTE_COUNTRIES__: JSON.stringify(countries) } : {}),
  };
  return {
    ...(Object.keys(define).length > 0 ? { define } : {}),
    entryPoints: { empreinte: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Code split at the CLI's dynamic imports (the server, its store and jobs: `serve`, `admin`) into chunks/: the
    // server's dependencies are imported by those chunks only, so `assess` and the other commands do not load them at
    // start-up (issue 11, start-up time).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // The campaign report's Preact components (src/web/report, compiled by tsc with jsx react-jsx) import
    // `preact/jsx-runtime`; these settings make esbuild compile any JSX it meets the same way.
    jsx: 'automatic',
    jsxImportSource: 'preact',
    external: SERVER_PACKAGES,
    // CommonJS dependencies bundled into an ES module call `require` for Node built-ins.
    banner: {
      js: "import { createRequire as __empreinteRequire } from 'node:module'; const require = __empreinteRequire(import.meta.url);",
    },
  };
}

/**
 * The worker of a large table's second part (src/app/parallel/part-worker.ts) as its own module,
 * `outdir`/part-worker.mjs, found next to the CLI bundle by second-part.ts. A separate build without code splitting:
 * the CLI bundle stays one file to load (the worker's copy of the engine is loaded by the worker alone).
 */
export function workerBundleOptions(entry, outdir, tables = {}) {
  const { chunkNames: _chunks, splitting: _splitting, ...options } = bundleOptions(entry, outdir, tables);
  return { ...options, entryPoints: { 'part-worker': entry } };
}

/**
 * The esbuild options of the CommonJS bundle of the CLI, `outdir`/empreinte.cjs, that `bin/empreinte` runs with a V8
 * code cache (bin/code-cache.mjs; Node 20 caches no ES module's code): the options of `bundleOptions` in one file (a
 * command's modules are still evaluated only when the command line names it: esbuild wraps the modules of a dynamic
 * import into functions run on the import), `import.meta.url` being the bundle's URL, given by the loader. The server
 * (`serve`, `admin`, `worker`) is left out: its dependencies are ES modules, which `require` cannot load in Node 20;
 * `bin/empreinte` runs those commands from the ES module bundle (`runsFromModules` in src/cli/main.ts), and the
 * server's modules are replaced here by a module that throws if it is ever reached.
 */
export function commonJsBundleOptions(entry, outdir, tables = {}) {
  const {
    splitting: _splitting,
    chunkNames: _chunkNames,
    banner: _banner,
    ...options
  } = bundleOptions(entry, outdir, tables);
  return {
    ...options,
    define: { ...options.define, 'import.meta.url': URL_PARAMETER },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // The CommonJS wrapper is in the file (bin/code-cache.mjs): V8 compiles the text as read.
    banner: { js: BUNDLE_START },
    footer: { js: BUNDLE_END },
    plugins: [
      {
        name: 'no-server',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/server\// }, (args) =>
            /[\\/]cli[\\/][^\\/]+$/.test(args.importer) ? { path: args.path, namespace: 'no-server' } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'no-server' }, (args) => ({
            contents: `throw new Error(${JSON.stringify(`${args.path}: the server runs from the ES module bundle (dist/empreinte.mjs)`)});`,
            loader: 'js',
          }));
        },
      },
    ],
  };
}

/**
 * `text` with every character outside ASCII written as a `\uXXXX` escape (UTF-16 code units, so that a regular
 * expression without the `u` flag keeps the same meaning): esbuild already escapes those of strings and templates;
 * what it leaves are comments and regular expression literals, where the escape means the same character. An ASCII
 * bundle is read as Latin-1, one byte per character in V8's heap instead of two.
 */
export function asciiOnly(text) {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    // After a backslash (`\é` in a regular expression) the escape would not mean the same: refused.
    if (text.charCodeAt(i - 1) === 0x5c) throw new Error(`bundle: a non-ASCII character after a backslash (${i})`);
    out += text.slice(last, i) + '\\u' + c.toString(16).padStart(4, '0');
    last = i + 1;
  }
  return out + text.slice(last);
}

/**
 * Writes the V8 code cache of the CommonJS bundle `dist`/empreinte.cjs (bin/code-cache.mjs): runs the CLI from it once
 * in a child node, `assess` over examples/inventory (the code a run compiles is what the cache holds), output
 * discarded. Returns whether the cache was written.
 */
export function writeBundleCodeCache(root, dist) {
  const bundle = join(dist, 'empreinte.cjs');
  const args = ['assess', join(root, 'examples', 'inventory'), '--summary', '--format', 'json', '--date', '2025-06-30'];
  const run = spawnSync(process.execPath, [join(root, 'bin', 'code-cache.mjs'), bundle, `${bundle}.cache`, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return run.status === 0;
}

/**
 * The merged referential's hash of every default run (the embedded pack and a profile, no user referential, no
 * organisation; each profile, without and with each electricity dataset of the pack), computed by the compiled modules
 * in `dist` (the code being bundled) through the CLI's own `loadActiveReferential`, keyed by `defaultMergeKey`.
 */
export async function mergeHashes(dist) {
  const url = (path) => pathToFileURL(join(dist, path)).href;
  const { loadActiveReferential } = await import(url('app/load-referential.js'));
  const { defaultMergeKey } = await import(url('referential/merge-hashes.js'));
  const { PROFILES } = await import(url('referential/hypotheses.js'));
  const { loadDefaultPack } = await import(url('referential/pack.js'));
  const pack = await loadDefaultPack();
  const datasets = [...new Set(pack.layer.electricity.map((e) => e.dataset))].sort();
  const out = {};
  for (const profile of PROFILES) {
    for (const electricity of [undefined, ...datasets]) {
      const { referential } = await loadActiveReferential({
        profile,
        ...(electricity !== undefined ? { electricity } : {}),
      });
      out[defaultMergeKey(pack.manifest, profile, electricity)] = referential.hash;
    }
  }
  return out;
}

/**
 * The default merges of the embedded pack (each profile, no user referential, no organisation, no electricity dataset
 * asked for), merged by the compiled modules in `dist` (the code being bundled) through the CLI's own
 * `loadActiveReferential` and written as V8 serialisations into `dist`/default-merges (`src/referential/merge-snapshot.ts`).
 * Returns their table, keyed by `defaultMergeKey`. A merge with issues (warnings of a pack being rebuilt…) is not
 * written: its runs merge the pack and report them.
 */
export async function mergeSnapshots(dist) {
  const url = (path) => pathToFileURL(join(dist, path)).href;
  const { loadActiveReferential } = await import(url('app/load-referential.js'));
  const { defaultMergeKey } = await import(url('referential/merge-hashes.js'));
  const { mergeSnapshotDir, serialiseMerge } = await import(url('referential/merge-snapshot.js'));
  const { PROFILES } = await import(url('referential/hypotheses.js'));
  const { loadDefaultPack } = await import(url('referential/pack.js'));
  const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
  const pack = await loadDefaultPack();
  const manifestSha256 = sha256(await readFile(join(pack.dir, 'manifest.json')));
  const dir = mergeSnapshotDir(pack.dir);
  if (dir !== join(dist, 'default-merges')) throw new Error(`the embedded pack is not this package's (${pack.dir})`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const out = {};
  for (const profile of PROFILES) {
    const { referential, issues } = await loadActiveReferential({ profile });
    if (issues.length > 0) {
      console.warn(`bundle: no snapshot of the default merge for profile ${profile} (${issues.length} issues)`);
      continue;
    }
    const bytes = serialiseMerge(referential);
    const file = `${profile}.v8`;
    await writeFile(join(dir, file), bytes);
    out[defaultMergeKey(pack.manifest, profile, undefined)] = { file, sha256: sha256(bytes), manifestSha256 };
  }
  return out;
}

/**
 * The fuzzy matcher's normalisations of the default merge's reference item names (`precomputed.ts`), as text,
 * computed by the compiled modules in `dist` (the code being bundled).
 */
export async function normalisedModels(dist) {
  const url = (path) => pathToFileURL(join(dist, path)).href;
  const { loadActiveReferential } = await import(url('app/load-referential.js'));
  const { serialiseNormalisations } = await import(url('referential/matching/precomputed.js'));
  const { referential } = await loadActiveReferential({ profile: 'rcp' });
  const names = [...referential.items.values()].filter((it) => it.unit === 'Item').map((it) => it.name);
  return serialiseNormalisations(names);
}

/** The location index of `src/referential/countries.ts` (`countryTable`), computed by the compiled modules in `dist`. */
export async function countryTable(dist) {
  const { countryTable: table } = await import(pathToFileURL(join(dist, 'referential', 'countries.js')).href);
  return table();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dist = join(root, 'dist');
  await rm(join(dist, 'chunks'), { recursive: true, force: true });
  // A pack that cannot be loaded (not built yet, being rebuilt) leaves the table out: the CLI then hashes every run.
  const hashes = await mergeHashes(dist).catch((e) => {
    console.warn(`bundle: no precomputed referential hashes (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  });
  const normalised = await normalisedModels(dist).catch((e) => {
    console.warn(`bundle: no precomputed model normalisations (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  });
  const snapshots = await mergeSnapshots(dist).catch((e) => {
    console.warn(`bundle: no snapshots of the default merges (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  });
  const countries = await countryTable(dist);
  const tables = { mergeHashes: hashes, normalised, snapshots, countries };
  await build(bundleOptions(join(dist, 'cli', 'main.js'), dist, tables));
  await rm(join(dist, 'empreinte.cjs.cache'), { force: true });
  await build(commonJsBundleOptions(join(dist, 'cli', 'main.js'), dist, tables));
  const commonJs = join(dist, 'empreinte.cjs');
  await writeFile(commonJs, asciiOnly(await readFile(commonJs, 'utf8')));
  // Without the cache (the pack is missing…), bin/empreinte compiles the CommonJS bundle as any script.
  if (!writeBundleCodeCache(root, dist)) console.warn('bundle: no code cache for dist/empreinte.cjs');
  await build(workerBundleOptions(join(dist, 'app', 'parallel', 'part-worker.js'), dist, tables));
  // The workers of compare's later campaign and of a scenario's baseline (src/app/parallel/compare-worker.ts,
  // baseline-worker.ts), built the same way.
  for (const name of ['compare-worker', 'baseline-worker']) {
    const entry = join(dist, 'app', 'parallel', `${name}.js`);
    await build({ ...workerBundleOptions(entry, dist, tables), entryPoints: { [name]: entry } });
  }
}
