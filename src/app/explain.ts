/**
 * Use case: explain one item — assess the sources as `assess` does and return the full indicator rows, traces
 * included, of the item(s) with that name (a name may be shared by items of different kinds, e.g. a host and a VM).
 * What `empreinte explain` prints, and what a server's or the web's explanation view shows: one renderer for both.
 * Only the items asked for have their rows and traces built; the others are aggregated and dropped.
 */
import type { IndicatorRow, RunMeta } from '../engine/index.js';
import type { IndicatorKind } from '../engine/result.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { assess, type AssessInput } from './assess.js';
import type { AppDeps } from './deps.js';
import type { RunObserver } from './sink.js';

export interface ExplainInput extends AssessInput {
  /** The item's name (`nomEquipementPhysique`, `nomEquipementVirtuel`, `nomApplication`…), compared exactly. */
  readonly item: string;
}

export interface ExplainedItem {
  readonly kind: IndicatorKind;
  readonly item: string;
  readonly entity?: string;
  readonly quantity: number;
  /** False for allocations (VMs on hosts, applications): their values are shares of their host's (F20). */
  readonly inTotal: boolean;
  /** Where the item was read. */
  readonly file?: string;
  readonly line?: number;
  /** Every computed indicator of the item, with its trace (formula, variables, sources). */
  readonly indicators: readonly IndicatorRow[];
}

export interface Explanation {
  readonly meta: RunMeta;
  readonly item: string;
  readonly matches: readonly ExplainedItem[];
}

/** Throws `INP_ITEM_NOT_FOUND` when no item has that name (and the assessment's own errors). */
export async function explainItem(
  deps: AppDeps,
  input: ExplainInput,
  observer: RunObserver = {},
): Promise<Explanation> {
  const matches: ExplainedItem[] = [];
  let meta: RunMeta | undefined;
  await assess(
    deps,
    { ...input, trace: true },
    {
      ...observer,
      rows: true,
      begin: (m) => {
        meta = m;
      },
      item: (r, rows) => {
        if (r.name !== input.item) return;
        matches.push({
          kind: r.kind,
          item: r.name,
          ...(r.entity !== undefined ? { entity: r.entity } : {}),
          quantity: r.quantity,
          inTotal: r.inTotal,
          ...(r.at?.file !== undefined ? { file: r.at.file, line: r.at.line } : {}),
          indicators: [...rows],
        });
      },
      totals: () => undefined,
      close: async () => undefined,
      abort: async () => undefined,
    },
  );
  if (meta === undefined || matches.length === 0)
    throw new EmpreinteError(issue('INP_ITEM_NOT_FOUND', { value: input.item }));
  return { meta, item: input.item, matches };
}
