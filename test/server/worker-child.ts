/**
 * A worker process for the robustness tests (test/server/jobs-workers.test.ts): `runWorker` with the configuration of
 * its environment, as `empreinte worker` runs it, plus a delay after each result batch (TEST_BATCH_DELAY_MS) injected
 * through the worker's job hooks, so an assessment lasts long enough to be killed mid-way. Logs on stdout (pino).
 */
import { loadConfig } from '../../src/server/config.js';
import { runWorker } from '../../src/server/worker.js';

const delayMs = Number(process.env.TEST_BATCH_DELAY_MS ?? '0');
const worker = await runWorker(loadConfig(process.env), {
  jobHooks: { afterBatch: () => new Promise((r) => setTimeout(r, delayMs)) },
});
await worker.stopped;
