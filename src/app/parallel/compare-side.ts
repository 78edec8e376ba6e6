/**
 * Starts the worker of a comparison's later campaign (`compare-worker.ts`) and gives what it sends: campaign `after`
 * done (`after`), then, given campaign `before`'s compact side, the two sides joined (`join`). A failure of the worker
 * rejects what is awaited: a coded error (the files, the referential) as the same `EmpreinteError` the one-thread run
 * throws, any other as `worker of compare: <message>`. `close` terminates the worker (the caller calls it when the
 * join is taken, on an error of its own and when the run stops).
 */
import { EmpreinteError } from '../../issues/catalogue.js';
import type { JoinedSides } from '../steering/compare.js';
import type { CompareAfter, CompareBefore, CompareSideInit, CompareSideMessage } from './compare-protocol.js';
import { deferred, startWorker } from './worker-module.js';

export interface CompareSide {
  /** Campaign `after` done (once). */
  readonly after: () => Promise<CompareAfter>;
  /** Campaign `before`'s side sent (its buffers in `transfer` moved); the two sides joined. */
  readonly join: (before: CompareBefore, transfer: ArrayBuffer[]) => Promise<JoinedSides>;
  readonly close: () => Promise<void>;
}

export function startCompareSide(init: CompareSideInit): CompareSide {
  const worker = startWorker('compare-worker', init);
  let closed = false;
  const after = deferred<CompareAfter>();
  const joined = deferred<JoinedSides>();
  const fail = (e: unknown) => {
    after.reject(e);
    joined.reject(e);
  };
  worker.on('message', (m: CompareSideMessage) => {
    if (m.type === 'after') after.resolve(m.after);
    else if (m.type === 'joined') joined.resolve(m.joined);
    else if (m.type === 'error') fail(new EmpreinteError(m.issue));
    else fail(new Error(`worker of compare: ${m.message}`));
  });
  worker.on('error', (e) => fail(new Error(`worker of compare: ${e.stack ?? e.message}`)));
  worker.on('exit', (c) => {
    if (!closed) fail(new Error(`worker of compare: the worker stopped (exit code ${c})`));
  });
  return {
    after: () => after.promise,
    join: (before, transfer) => {
      worker.postMessage({ before }, transfer);
      return joined.promise;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
