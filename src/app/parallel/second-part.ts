/**
 * Starts the worker of a table's second part (`part-worker.ts`) and hands its batches to the pipeline in order
 * (`SecondPart`). The worker can be started before its part is known (`startPartWorker`: it loads its modules and
 * the referential meanwhile, issue 11) and given it later (`PartWorker.start`).
 * The worker module is found next to this one (`workerModule`: the bundle's `part-worker.mjs`, the compiled module or
 * the sources run through tsx by the tests). `close`
 * terminates the worker: the pipeline calls it when the part is taken, on an error and on an abort; the caller of
 * `startPartWorker` when the run ends (a worker given no part).
 */
import { Worker } from 'node:worker_threads';
import type { PartBatch, PartEnd, PartSpec, SecondPart } from '../../inventory/pipeline/part.js';
import { EmpreinteError } from '../../issues/catalogue.js';
import type { ReferentialOptions } from '../load-referential.js';
import type { PartInit, PartMessage, PartStart, PartTaken } from './protocol.js';
import { WORKER_YOUNG_GENERATION_MB, workerModule } from './worker-module.js';

/** A worker started before its part is known. */
export interface PartWorker {
  /** Gives the worker its part (once): its batches, in order. */
  start(spec: PartSpec, run: Omit<PartStart, 'type' | 'spec'>): SecondPart;
  /** Terminates the worker (whatever its state); idempotent. */
  close(): Promise<void>;
}

/** Starts a worker that loads the run's referential and waits for its part. */
export function startPartWorker(referential: ReferentialOptions): PartWorker {
  const { code, eval: isCode } = workerModule('part-worker');
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
