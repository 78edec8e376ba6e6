/**
 * Worker thread of a table's second part (issue 11; `src/inventory/pipeline/part.ts`): loads the run's referential as
 * soon as it starts (the main thread may start it before its own referential is loaded: `second-part.ts`), then, once
 * given its part, builds the same assessment as the main thread, reads, parses and checks the rows after the split
 * byte and computes the results of the accepted ones, packed for the totals (`src/engine/totals-transfer.ts`), and
 * their rows when the sink has them rendered here (`AssessSink.partRows`: the wide CSV to a file).
 * Batches go to the main thread in file order; it acknowledges each one it takes, and this worker waits while more
 * than `MAX_PENDING_BYTES` are not taken yet (the main thread takes them only after its own part). A coded error
 * (the file, the referential, the output's scratch file: `OUT_UNWRITABLE`) is sent in its place in the stream; any
 * other exception as a crash, with its message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Assessment } from '../../engine/index.js';
import { engineHooks } from '../../engine/hooks.js';
import { TotalsPacker } from '../../engine/totals-transfer.js';
import { judgePart } from '../../inventory/pipeline/part.js';
import { EmpreinteError } from '../../issues/catalogue.js';
import { loadActiveReferential } from '../load-referential.js';
import { partRowWriter, type PartRowWriter } from '../sinks/part-rows.js';
import { referentialChecks } from './checks.js';
import {
  batchBytes,
  batchTransfer,
  type PartInit,
  type PartMessage,
  type PartResults,
  type PartStart,
  type PartTaken,
} from './protocol.js';

/** Bytes sent and not yet taken by the main thread beyond which the worker waits. */
const MAX_PENDING_BYTES = 512 * 1024 * 1024;

async function run(init: PartInit, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (m: PartMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  // Loaded while the main thread opens the file; its failure is told once the part is given (in the stream's place).
  const loaded = loadActiveReferential(init.referential);
  loaded.catch(() => undefined);
  let pending = 0;
  let wake: (() => void) | undefined;
  let given: ((start: PartStart) => void) | undefined;
  const part = new Promise<PartStart>((resolve) => (given = resolve));
  port.on('message', (m: PartStart | PartTaken) => {
    if (m.type === 'part') given?.(m);
    else {
      pending -= m.bytes;
      wake?.();
    }
  });
  const start = await part;
  let rows: PartRowWriter | undefined;
  try {
    const { referential } = await loaded;
    if (referential.hash !== start.referentialHash) {
      throw new Error(`the worker's referential ${referential.hash} is not the run's ${start.referentialHash}`);
    }
    const a = new Assessment(referential, start.ctx, engineHooks(referential, { profile: start.ctx.profile }));
    const packer = new TotalsPacker(a.layout);
    // The sink's rows too, when it has them rendered here (the wide or long CSV to a file): the main thread writes
    // their bytes (the long ones wait in the output's scratch file).
    const writer = (rows = start.rows === undefined ? undefined : partRowWriter(start.rows, a.layout));
    const parts = judgePart(
      start.spec,
      referentialChecks(a, referential),
      writer === undefined
        ? (pe) => packer.add(a.physical(pe))
        : (pe) => {
            const r = a.physical(pe);
            packer.add(r);
            writer.add(r);
          },
      (): PartResults =>
        writer === undefined ? { totals: packer.take() } : { totals: packer.take(), rows: writer.take() },
    );
    for (;;) {
      const r = await parts.next();
      if (r.done) {
        post({ type: 'end', end: r.value });
        return;
      }
      const bytes = batchBytes(r.value);
      pending += bytes;
      post({ type: 'batch', batch: r.value, bytes }, batchTransfer(r.value));
      while (pending > MAX_PENDING_BYTES) await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (e) {
    if (e instanceof EmpreinteError) post({ type: 'error', issue: e.issue });
    else post({ type: 'crash', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  } finally {
    rows?.close();
    port.close();
  }
}

if (parentPort) await run(workerData as PartInit, parentPort);
