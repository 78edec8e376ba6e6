/**
 * Worker thread of a comparison's later campaign (issue 13; `compare-side.ts`): reads and assesses campaign `after`
 * (`afterSideOf`: its referential loaded here with the run's options, its items as the inventory diff's records, its
 * engine pass into a compact side) while the main thread does campaign `before`, sends its summary and records (their
 * typed arrays moved), then joins campaign `before`'s compact side, when the main thread sends it, with its own
 * (`joinSides`: the decomposition and the ranges) while the main thread does the inventory diff. A coded error (a
 * file, the referential) is sent as its issue; any other exception as a crash, with its message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { standardDeps } from '../deps.js';
import { CompactSide } from '../steering/compact.js';
import { afterSideOf, joinSides, layoutFromData } from '../steering/compare.js';
import { diffRecordsTransfer } from '../steering/diff.js';
import { seedOf } from '../steering/uncertainty.js';
import type { CompareBefore, CompareSideInit, CompareSideMessage } from './compare-protocol.js';
import { failureOf } from './worker-module.js';

async function run(init: CompareSideInit, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (m: CompareSideMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const before = new Promise<CompareBefore>((resolve) =>
    port.once('message', (m: { before: CompareBefore }) => resolve(m.before)),
  );
  try {
    const done = await afterSideOf(
      standardDeps(() => init.today),
      init.input,
      init.strict,
    );
    const { summary, records } = done;
    post(
      { type: 'after', after: { referentialHash: done.referentialHash, summary, records } },
      diffRecordsTransfer(records),
    );
    const b = await before;
    const sideB = CompactSide.fromTransfer(b.side, layoutFromData(b.layout));
    post({ type: 'joined', joined: joinSides(sideB, done.side, b.originalBefore, seedOf(summary.meta)) });
  } catch (e) {
    post(failureOf(e));
  } finally {
    port.close();
  }
}

if (parentPort) await run(workerData as CompareSideInit, parentPort);
