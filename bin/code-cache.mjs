// Issue 11, start-up time: a V8 code cache for the CLI. Node 20 keeps no compiled code of ES modules between runs, so
// every run parsed and compiled the bundle's code again (about a fifth of a small run). A script run through
// `vm.Script` can be given the code V8 produced for it in an earlier run (`cachedData`): the build
// (scripts/bundle.mjs) writes the CLI also as one CommonJS file, dist/empreinte.cjs, runs it once over the example
// inventory and saves the code V8 compiled for it, with the sha256 of the bundle it was made from, in
// dist/empreinte.cjs.cache. `bin/empreinte` then loads the CLI from that file with that code. The cache is used only
// for the very bytes it was made from (a rebuilt or edited bundle has another hash: it is then compiled without the
// cache); V8 itself refuses a cache made by another version of node or with other flags (`cachedDataRejected`), and
// the bundle is then compiled as usual. Either way the same code runs: only the time to compile it changes.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** The bundle's replacement of `import.meta.url` (esbuild `define`): the URL of the CommonJS bundle itself. */
export const URL_PARAMETER = '__empreinteUrl';
/**
 * The bundle's first and last lines (esbuild `banner` and `footer`): its text is the function that CommonJS would wrap
 * it in, so that V8 is given the file's text as it is, without a copy of 3 MB to wrap it.
 */
export const BUNDLE_START = `(function (exports, require, module, __filename, __dirname, ${URL_PARAMETER}) {`;
export const BUNDLE_END = '})';
/** First line of a cache file: this text, the sha256 (hex) of the bundle the cache was made from, a newline. */
const MAGIC = 'empreinte-code-cache v1 ';
const HEADER_BYTES = MAGIC.length + 64 + 1;

/** The sha256 of the cache file's bundle, or undefined when it is missing or not a cache file. */
function cachedFor(cache) {
  if (cache === undefined || cache.length <= HEADER_BYTES) return undefined;
  const header = cache.subarray(0, HEADER_BYTES).toString('latin1');
  if (!header.startsWith(MAGIC) || !header.endsWith('\n')) return undefined;
  return header.slice(MAGIC.length, -1);
}

function readOptional(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // no cache (not built, unreadable): the bundle is compiled without one
  }
}

/**
 * Loads the CommonJS bundle `file` (its text between `BUNDLE_START` and `BUNDLE_END`; run once, like `require`), with the code cache `cacheFile` when it was made from
 * these very bytes. Returns its exports, the compiled script (for `writeCodeCache`) and what became of the cache:
 * `used`, `rejected` (by V8: another node version or other flags), `stale` (made from other bytes, or not a cache
 * file) or `missing`.
 */
export function loadCommonJsBundle(file, cacheFile = `${file}.cache`) {
  const bytes = readFileSync(file);
  const cache = readOptional(cacheFile);
  const madeFor = cachedFor(cache);
  const fresh = madeFor !== undefined && madeFor === createHash('sha256').update(bytes).digest('hex');
  const cachedData = fresh ? cache.subarray(HEADER_BYTES) : undefined;
  // ASCII (scripts/bundle.mjs escapes every other character): read as Latin-1, V8 keeps one byte per character.
  const script = new vm.Script(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), {
    filename: file,
    ...(cachedData !== undefined ? { cachedData } : {}),
  });
  const status = fresh ? (script.cachedDataRejected ? 'rejected' : 'used') : cache === undefined ? 'missing' : 'stale';
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  return { exports: module.exports, script, cache: status };
}

/**
 * Writes the code V8 holds for `script` (loaded from `file` by `loadCommonJsBundle`: the functions compiled so far,
 * hence after a run) into `cacheFile`, stamped with the sha256 of `file`'s bytes.
 */
export function writeCodeCache(script, file, cacheFile = `${file}.cache`) {
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
  writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${MAGIC}${hash}\n`, 'latin1'), script.createCachedData()]));
}

// `node bin/code-cache.mjs <bundle.cjs> <cache file> <CLI arguments…>` (scripts/bundle.mjs): runs the CLI from the
// bundle with these arguments (its output goes where this process's goes), then writes the cache.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, cacheFile, ...args] = process.argv.slice(2);
  const { exports, script } = loadCommonJsBundle(file, cacheFile);
  const code = await exports.main(args);
  if (code !== 0) {
    console.error(`code-cache: the run of the bundle ended with exit code ${code}; no cache written`);
    process.exit(1);
  }
  writeCodeCache(script, file, cacheFile);
}
