/**
 * An in-memory sink: the metadata, the items (with their rows when asked) and the summary of a run, for tests and for
 * callers that use the results themselves (steering's comparisons, a server's store).
 */
import type { IndicatorRow, RunMeta } from '../../engine/index.js';
import type { ItemResult } from '../../engine/result.js';
import type { AssessNotice, AssessSink, AssessSummary } from '../sink.js';

export interface MemorySink extends AssessSink {
  meta?: RunMeta;
  readonly items: ItemResult[];
  /** The rows of every item, when the sink was created with `rows: true`. */
  readonly indicators: IndicatorRow[];
  summary?: AssessSummary;
  readonly notices: AssessNotice[];
  state: 'open' | 'closed' | 'aborted';
}

export function memorySink(o: { readonly rows: boolean }): MemorySink {
  const sink: MemorySink = {
    rows: o.rows,
    items: [],
    indicators: [],
    notices: [],
    state: 'open',
    begin: (meta) => {
      sink.meta = meta;
    },
    item: (r, rows) => {
      sink.items.push(r);
      for (const row of rows) sink.indicators.push(row);
    },
    totals: (s) => {
      sink.summary = s;
    },
    close: async () => {
      sink.state = 'closed';
    },
    abort: async () => {
      sink.state = 'aborted';
    },
    notice: (n) => void sink.notices.push(n),
  };
  return sink;
}
