/**
 * Starts the worker of a table's second part (`part-worker.ts`) and hands its batches to the pipeline in order
 * (`SecondPart`). The worker can be started before its part is known (`startPartWorker`: it loads its modules and
 * the referential meanwhile, issue 11) and given it later (`PartWorker.start`).
 * The worker module is found next to this one: `part-worker.mjs` (the CLI bundle: its own entry, scripts/bundle.mjs),
 * `part-worker.js` (compiled modules) or `part-worker.ts` (the sources, run through tsx by the tests). `close`
 * terminates the worker: the pipeline calls it when the part is taken, on an error and on an abort; the caller of
 * `startPartWorker` when the run ends (a worker given no part).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PartBatch, PartEnd, PartSpec, SecondPart } from '../../inventory/pipeline/part.js';
import { EmpreinteError } from '../../issues/catalogue.js';
import type { ReferentialOptions } from '../load-referential.js';
import type { PartInit, PartMessage, PartStart, PartTaken } from './protocol.js';

/** The worker's young generation (MiB): as the CLI's relaunch for large inputs (`bin/young-generation.mjs`). */
const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * The worker's code: the module next to this one, or, for the TypeScript sources (tests), a bootstrap importing it
 * through tsx's `tsImport` (loader hooks given by `--import tsx` do not reach a worker's own imports on Node 20).
 */
function workerModule(): { code: URL | string; eval: boolean } {
  for (const name of ['./part-worker.mjs', '../part-worker.mjs', './part-worker.js', './part-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    if (!name.endsWith('.ts')) return { code: url, eval: false };
    const api = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`;
    return { code, eval: true };
  }
  throw new Error(`no part-worker module next to ${import.meta.url}`);
}

/** A worker started before its part is known. */
export interface PartWorker {
  /** Gives the worker its part (once): its batches, in order. */
  start(spec: PartSpec, run: Omit<PartStart, 'type' | 'spec'>): SecondPart;
  /** Terminates the worker (whatever its state); idempotent. */
  close(): Promise<void>;
}

/** Starts a worker that loads the run's referential and waits for its part. */
export function startPartWorker(referential: ReferentialOptions): PartWorker {
  const { code, eval: isCode } = workerModule();
  const worker = new Worker(code, {
    eval: isCode,
    workerData: { referential } satisfies PartInit,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const queue: PartMessage[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let started = false;
  let end: PartEnd | undefined;
  let file = 'the table';
  const push = (m: PartMessage) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ type: 'crash', message: e.stack ?? e.message }));
  worker.on('exit', (code) => {
    if (!closed) push({ type: 'crash', message: `the worker of ${file} stopped (exit code ${code})` });
  });
  const next = async (): Promise<PartMessage> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return queue.shift()!;
  };
  async function* batches(): AsyncGenerator<PartBatch> {
    for (;;) {
      const m = await next();
      switch (m.type) {
        case 'batch':
          worker.postMessage({ type: 'taken', bytes: m.bytes } satisfies PartTaken);
          yield m.batch;
          break;
        case 'end':
          end = m.end;
          return;
        case 'error':
          throw new EmpreinteError(m.issue);
        case 'crash':
          throw new Error(`worker of ${file}: ${m.message}`);
      }
    }
  }
  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };
  return {
    start: (spec, run) => {
      if (started) throw new Error('the worker was already given its part');
      started = true;
      file = spec.report.file;
      worker.postMessage({ type: 'part', spec, ...run } satisfies PartStart);
      return {
        batches: { [Symbol.asyncIterator]: batches },
        end: () => {
          if (end === undefined) throw new Error('the second part is not finished');
          return end;
        },
        close,
      };
    },
    close,
  };
}
