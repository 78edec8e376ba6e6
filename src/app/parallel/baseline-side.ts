/**
 * Starts the worker of a scenario's baseline (`baseline-worker.ts`) and gives its summary: the campaign assessed as
 * it is by the streaming `assess` use case (`assess --summary`'s document), on the second core while the main thread
 * does the scenario. A failure of the worker rejects `summary()`: a coded error (a file, the referential) as the same
 * `EmpreinteError`, any other as `worker of scenario: <message>`. `close` terminates the worker (the caller calls it
 * when the run ends, however it ends).
 */
import { EmpreinteError } from '../../issues/catalogue.js';
import type { AssessInput } from '../assess.js';
import type { AssessSummary } from '../sink.js';
import { deferred, startWorker, type WorkerFailure } from './worker-module.js';

/** What the worker is started with. */
export interface BaselineInit {
  /** The campaign's input (sources named by path: no stream, no mapping table; no rejects folder). */
  readonly input: AssessInput;
  /** `deps.today()` of the run. */
  readonly today: string;
}

export type BaselineMessage = { readonly type: 'summary'; readonly summary: AssessSummary } | WorkerFailure;

export interface BaselineSide {
  /** The baseline's summary (once). */
  readonly summary: () => Promise<AssessSummary>;
  readonly close: () => Promise<void>;
}

export function startBaselineSide(init: BaselineInit): BaselineSide {
  const worker = startWorker('baseline-worker', init);
  let closed = false;
  const summary = deferred<AssessSummary>();
  worker.on('message', (m: BaselineMessage) => {
    if (m.type === 'summary') summary.resolve(m.summary);
    else if (m.type === 'error') summary.reject(new EmpreinteError(m.issue));
    else summary.reject(new Error(`worker of scenario: ${m.message}`));
  });
  worker.on('error', (e) => summary.reject(new Error(`worker of scenario: ${e.stack ?? e.message}`)));
  worker.on('exit', (c) => {
    if (!closed) summary.reject(new Error(`worker of scenario: the worker stopped (exit code ${c})`));
  });
  return {
    summary: () => summary.promise,
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
