/**
 * `--format json`: one document `{"meta":…,"indicators":[…],"inventory":[…],"totals":…}` written as the run goes
 * (rows streamed, one per line), or without `indicators` for `--summary`. The head waits for the first row or the end,
 * so a file that fails to open leaves nothing written.
 */
import type { IndicatorRow } from '../../engine/index.js';
import { issueMessage } from '../../issues/catalogue.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { JsonStreamWriter } from './json-stream.js';

/** JSON row: the error as code + English message (the Issue object stays internal). */
export function jsonRow(r: IndicatorRow): string {
  const { errorMessage, ...rest } = r;
  return JSON.stringify(errorMessage ? { ...rest, errorMessage: issueMessage(errorMessage, { name: r.item }) } : rest);
}

export function jsonSink(out: TextOut, o: { readonly rows: boolean }): AssessSink {
  const doc = new JsonStreamWriter();
  return {
    rows: o.rows,
    begin: (meta) => {
      doc.openObject().field('meta', meta);
      if (o.rows) doc.key('indicators').openArray();
    },
    item: (_r, rows) => {
      let any = false;
      for (const row of rows) {
        doc.element(jsonRow(row));
        any = true;
      }
      if (any) return out.write(doc.take());
    },
    totals: (s) => {
      if (o.rows) doc.closeArray();
      doc.field('inventory', s.inventory).field('totals', s.totals).closeObject();
      return out.write(doc.take());
    },
    close: () => out.close(),
    abort: () => out.abort(),
  };
}
