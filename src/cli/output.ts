/**
 * The CLI's outputs: stdout (this module) or a file written atomically (the application layer's file adapter,
 * `src/app/adapters/file-out.ts`), as the `TextOut` a sink writes to. The formats themselves are sinks of the
 * application layer (`src/app/sinks/`); their serializers are re-exported here for the CLI's callers.
 */
import type { TempFiles } from '../formats/temp-files.js';
import { openFileOut, unwritable } from '../app/adapters/file-out.js';
import type { TextOut } from '../app/text-out.js';

export { checkOutputFile, checkOutputFolder, unwritable } from '../app/adapters/file-out.js';
export { CSV_COLUMNS, csvHeader, csvRow } from '../app/sinks/csv-rows.js';
export { totalsCsv } from '../app/sinks/csv-summary.js';
export { jsonRow } from '../app/sinks/json.js';
export { renderTable } from '../app/sinks/table.js';

/** Where a command writes its document. */
export type Sink = TextOut;

/**
 * stdout as a text output. A write error (EPIPE when the reader of a pipe has gone, as with `| head`) is caught, not an
 * unhandled stream event, and raised as `OUT_UNWRITABLE` on `<stdout>` at the next write or at `close`.
 */
export function stdoutOut(): TextOut {
  const stdout = process.stdout;
  let failed: Error | undefined;
  const onError = (e: Error) => (failed ??= e);
  stdout.on('error', onError);
  const done = () => stdout.off('error', onError);
  const fail = (e: Error) => unwritable('<stdout>', e);
  return {
    write: (s) => {
      if (failed) throw fail(failed);
      if (!stdout.write(s))
        return new Promise<void>((resolve, reject) => {
          const onDrain = () => {
            stdout.off('error', onWriteError);
            resolve();
          };
          const onWriteError = (e: Error) => {
            stdout.off('drain', onDrain);
            reject(fail(e));
          };
          stdout.once('drain', onDrain);
          stdout.once('error', onWriteError);
        });
    },
    close: async () => {
      done();
      if (failed) throw fail(failed);
    },
    abort: async () => {
      done();
    },
  };
}

/**
 * stdout, or a file written atomically (temp file + rename). The file case opens its temporary file before returning,
 * so an unwritable target fails before any work.
 */
export async function openSink(out: string | undefined, temps?: TempFiles): Promise<TextOut> {
  return out === undefined ? stdoutOut() : openFileOut(out, temps);
}
