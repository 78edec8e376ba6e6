/**
 * Where a worker thread's module is, next to this one: `<name>.mjs` (the CLI bundle: its own entry beside the
 * bundle, scripts/bundle.mjs; `../<name>.mjs` from a chunk), `<name>.js` (compiled modules) or `<name>.ts` (the
 * sources, run through tsx by the tests: a bootstrap importing it through tsx's `tsImport`, since loader hooks given
 * by `--import tsx` do not reach a worker's own imports on Node 20).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { EmpreinteError, type Issue } from '../../issues/catalogue.js';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A worker's young generation (MiB): as the CLI's relaunch for large inputs (`bin/young-generation.mjs`). */
export const WORKER_YOUNG_GENERATION_MB = 96;

export function workerModule(name: string): { code: URL | string; eval: boolean } {
  for (const file of [`./${name}.mjs`, `../${name}.mjs`, `./${name}.js`, `./${name}.ts`]) {
    const url = new URL(file, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    if (!file.endsWith('.ts')) return { code: url, eval: false };
    const api = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`;
    return { code, eval: true };
  }
  throw new Error(`no ${name} module next to ${import.meta.url}`);
}

/** A promise with its settlers; its rejection is handled (what a worker sends is awaited only later, maybe never). */
export function deferred<T>() {
  let resolve!: (x: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((y, n) => {
    resolve = y;
    reject = n;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Starts the worker module `name` (`workerModule`) with `workerData`, its young generation as the CLI's. */
export function startWorker(name: string, workerData: unknown): Worker {
  const { code, eval: isCode } = workerModule(name);
  return new Worker(code, {
    eval: isCode,
    workerData,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

/** What a worker sends when it fails: a coded error (a file, the referential) as its issue, any other as a crash. */
export type WorkerFailure =
  { readonly type: 'error'; readonly issue: Issue } | { readonly type: 'crash'; readonly message: string };

export function failureOf(e: unknown): WorkerFailure {
  if (e instanceof EmpreinteError) return { type: 'error', issue: e.issue };
  return { type: 'crash', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
