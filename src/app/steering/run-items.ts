/**
 * The seam of the steering use cases: assess items already read into memory (issue 13, "assess taking items
 * directly"), so that scenarios, comparisons and KPIs read their files once (`loadCampaign`) and run the engine as
 * often as they need. The engine calls and their order are those of the streaming `assess` (datacenters, entities'
 * headcounts, the F3/VM/application pre-passes, then physical equipment, telework, VMs, applications, non-IT,
 * messaging) into the engine's `Aggregator`; no indicator row nor trace is built (the engine's `assessInventory`
 * builds every row with its trace, which a scenario does not need), and item results are kept only on request.
 */
import { Aggregator, Assessment, type InventoryInput, type RunMeta, type Totals } from '../../engine/index.js';
import { engineHooks } from '../../engine/hooks.js';
import type { ItemResult } from '../../engine/result.js';
import type { Referential } from '../../referential/model.js';
import type { RunContext } from '../../engine/index.js';
import type { Layout } from '../../engine/layout.js';

export interface ItemsRun {
  readonly meta: RunMeta;
  readonly totals: Totals;
  /** The run's slot layout. */
  readonly layout: Layout;
  /** The results of the physical equipment, in input order (with `physicalResults: true`). */
  readonly physical?: readonly ItemResult[];
  /**
   * With `counted: true`: the results counted in the totals (in the inventory total, in the period), in the engine's
   * order (physical equipment, telework boxes, VMs, applications, non-IT, messaging), and the run's slot layout.
   */
  readonly counted?: Counted;
}

/** The item results a run counts in its totals and their slot layout: what F21 and F22 read their factors from. */
export interface Counted {
  readonly layout: Layout;
  readonly results: readonly ItemResult[];
}

/** Whether a result counts in the totals (in the inventory total, in the period): the results F21 and F22 read. */
export const isCounted = (r: ItemResult): boolean => r.inTotal && r.outOfPeriod === undefined;

export function runItems(
  inventory: InventoryInput,
  referential: Referential,
  ctx: RunContext,
  options: {
    readonly physicalResults?: boolean;
    readonly counted?: boolean;
    /** Called with each result counted in the totals, in the order of `counted`, instead of keeping them all. */
    readonly onCounted?: (r: ItemResult, layout: Layout) => void;
  } = {},
): ItemsRun {
  const a = new Assessment(referential, ctx, engineHooks(referential, { profile: ctx.profile }));
  const agg = new Aggregator(a.layout, referential);
  const counted: ItemResult[] | undefined = options.counted ? [] : undefined;
  const onCounted = options.onCounted;
  const add = (r: ItemResult) => {
    agg.add(r);
    if (isCounted(r)) {
      counted?.push(r);
      onCounted?.(r, a.layout);
    }
  };
  for (const dc of inventory.datacenters ?? []) a.datacenter(dc);
  for (const e of inventory.entities ?? []) if (e.collaborators) agg.addCollaborators(e.collaborators);
  for (const pe of inventory.physical ?? []) a.indexUpstream(pe);
  for (const vm of inventory.virtual ?? []) a.indexVirtual(vm);
  for (const app of inventory.applications ?? []) a.indexApplication(app);
  const physical: ItemResult[] | undefined = options.physicalResults ? [] : undefined;
  for (const pe of inventory.physical ?? []) {
    const r = a.physical(pe);
    add(r);
    physical?.push(r);
  }
  for (const b of a.telework()) add(b);
  for (const vm of inventory.virtual ?? []) add(a.virtual(vm));
  for (const app of inventory.applications ?? []) add(a.application(app));
  for (const n of inventory.nonIt ?? []) add(a.nonIt(n));
  for (const m of inventory.messaging ?? []) add(a.messaging(m));
  return {
    meta: a.meta(),
    totals: agg.result(),
    layout: a.layout,
    ...(physical !== undefined ? { physical } : {}),
    ...(counted !== undefined ? { counted: { layout: a.layout, results: counted } } : {}),
  };
}
