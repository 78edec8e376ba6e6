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

export interface ItemsRun {
  readonly meta: RunMeta;
  readonly totals: Totals;
  /** The results of the physical equipment, in input order (with `physicalResults: true`). */
  readonly physical?: readonly ItemResult[];
}

export function runItems(
  inventory: InventoryInput,
  referential: Referential,
  ctx: RunContext,
  options: { readonly physicalResults?: boolean } = {},
): ItemsRun {
  const a = new Assessment(referential, ctx, engineHooks(referential, { profile: ctx.profile }));
  const agg = new Aggregator(a.layout, referential);
  for (const dc of inventory.datacenters ?? []) a.datacenter(dc);
  for (const e of inventory.entities ?? []) if (e.collaborators) agg.addCollaborators(e.collaborators);
  for (const pe of inventory.physical ?? []) a.indexUpstream(pe);
  for (const vm of inventory.virtual ?? []) a.indexVirtual(vm);
  for (const app of inventory.applications ?? []) a.indexApplication(app);
  const physical: ItemResult[] | undefined = options.physicalResults ? [] : undefined;
  for (const pe of inventory.physical ?? []) {
    const r = a.physical(pe);
    agg.add(r);
    physical?.push(r);
  }
  for (const b of a.telework()) agg.add(b);
  for (const vm of inventory.virtual ?? []) agg.add(a.virtual(vm));
  for (const app of inventory.applications ?? []) agg.add(a.application(app));
  for (const n of inventory.nonIt ?? []) agg.add(a.nonIt(n));
  for (const m of inventory.messaging ?? []) agg.add(a.messaging(m));
  return { meta: a.meta(), totals: agg.result(), ...(physical !== undefined ? { physical } : {}) };
}
