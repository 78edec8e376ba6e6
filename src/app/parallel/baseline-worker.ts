/**
 * Worker thread of a scenario's baseline (issue 13; `baseline-side.ts`): assesses the campaign as it is, streamed
 * through the `assess` use case on this thread alone (`--summary`: no row built), while the main thread reads the
 * campaign into memory, applies the levers and assesses the scenario. Sends the summary, or the coded error of a
 * file or the referential as its issue, or any other exception as a crash with its message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { assess } from '../assess.js';
import { standardDeps } from '../deps.js';
import { memorySink } from '../sinks/memory.js';
import type { BaselineInit, BaselineMessage } from './baseline-side.js';
import { failureOf } from './worker-module.js';

async function run(init: BaselineInit, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (m: BaselineMessage) => port.postMessage(m);
  try {
    const sink = memorySink({ rows: false });
    await assess(
      standardDeps(() => init.today),
      { ...init.input, parallel: false },
      sink,
    );
    if (sink.summary === undefined) throw new Error('the assessment gave no summary');
    post({ type: 'summary', summary: sink.summary });
  } catch (e) {
    post(failureOf(e));
  } finally {
    port.close();
  }
}

if (parentPort) await run(workerData as BaselineInit, parentPort);
