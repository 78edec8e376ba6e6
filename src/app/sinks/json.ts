/**
 * `--format json`: one document `{"meta":…,"indicators":[…],"inventory":[…],"totals":…}` written as the run goes
 * (rows streamed, one per line), or without `indicators` for `--summary`. The head waits for the first row or the end,
 * so a file that fails to open leaves nothing written.
 */
import type { IndicatorRow } from '../../engine/index.js';
import { issueMessage } from '../../issues/catalogue.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites } from './buffered.js';
import { JsonStreamWriter } from './json-stream.js';

/**
 * How much of each row's trace a JSON document carries: `full` (formula, variables with their origins, resolution,
 * warnings: what `empreinte explain` shows) or `short` (the formula alone, the default of `assess --format json`: a
 * full trace makes a document of 100,000 lines about 2 GB). `--no-trace` leaves the trace out altogether.
 */
export type TraceDetail = 'short' | 'full';

/** JSON row: the error as code + English message (the Issue object stays internal); the trace at `detail`. */
export function jsonRow(r: IndicatorRow, detail: TraceDetail = 'full'): string {
  const { errorMessage, formula, ...rest } = r;
  // A row built with its formula alone (the short detail's rows) carries it as `trace.formula`, as a whole trace would.
  const short = formula ?? (detail === 'short' ? rest.trace?.formula : undefined);
  const row = short !== undefined ? { ...rest, trace: { formula: short } } : rest;
  return JSON.stringify(errorMessage ? { ...row, errorMessage: issueMessage(errorMessage, { name: r.item }) } : row);
}

export function jsonSink(out: TextOut, o: { readonly rows: boolean; readonly trace?: TraceDetail }): AssessSink {
  const detail = o.trace ?? 'full';
  const doc = new JsonStreamWriter();
  const buffer = bufferedWrites(out);
  return {
    rows: o.rows,
    ...(detail === 'short' ? { traceDetail: 'formula' as const } : {}),
    begin: (meta) => {
      doc.openObject().field('meta', meta);
      if (o.rows) doc.key('indicators').openArray();
    },
    item: (_r, rows) => {
      let any = false;
      for (const row of rows) {
        doc.element(jsonRow(row, detail));
        any = true;
      }
      if (any) return buffer.write(doc.take());
    },
    totals: async (s) => {
      await buffer.flush();
      if (o.rows) doc.closeArray();
      doc.field('inventory', s.inventory).field('totals', s.totals).closeObject();
      return out.write(doc.take());
    },
    close: async () => {
      await buffer.flush();
      await out.close();
    },
    abort: () => out.abort(),
  };
}
