// Bundles the compiled CLI (dist/cli/main.js, from `tsc -p tsconfig.build.json`) and its dependencies into an ES
// module, dist/empreinte.mjs, that `bin/empreinte` runs: a few files to load instead of hundreds of modules (issue 11,
// start-up time). Plain JavaScript so that `npm ci` (the `prepare` script) needs nothing but esbuild, installed with
// the dev dependencies (through tsx). Packages loaded through `createRequire` stay runtime requires (node_modules).
// `bundleOptions` is exported for test/cli/bundle.test.ts, which bundles the sources the same way.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
 * `mergeHashes` (from `mergeHashes` below) is written into the bundle for `src/referential/merge-hashes.ts`, and
 * `normalised` (from `normalisedModels` below) for `src/referential/matching/precomputed.ts`.
 */
export function bundleOptions(entry, outdir, mergeHashes = undefined, normalised = undefined) {
  const define = {
    ...(mergeHashes !== undefined ? { __EMPREINTE_MERGE_HASHES__: JSON.stringify(mergeHashes) } : {}),
    ...(normalised !== undefined ? { __EMPREINTE_NORMALISED_MODELS__: JSON.stringify(normalised) } : {}),
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
export function workerBundleOptions(entry, outdir, mergeHashes = undefined, normalised = undefined) {
  const {
    chunkNames: _chunks,
    splitting: _splitting,
    ...options
  } = bundleOptions(entry, outdir, mergeHashes, normalised);
  return { ...options, entryPoints: { 'part-worker': entry } };
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
  await build(bundleOptions(join(dist, 'cli', 'main.js'), dist, hashes, normalised));
  await build(workerBundleOptions(join(dist, 'app', 'parallel', 'part-worker.js'), dist, hashes, normalised));
}
