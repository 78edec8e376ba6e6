/**
 * The indicators a campaign counts in its totals (OK, in the inventory total, in the period), each with its item and
 * its trace: what the decomposition (F22) and the uncertainty ranges (F21) read their factors from.
 */
import { Assessment, indicatorRows, type IndicatorRow } from '../../engine/index.js';
import { engineHooks } from '../../engine/hooks.js';
import type { ItemResult } from '../../engine/result.js';
import type { LoadedCampaign } from './scenario.js';

/** The indicators counted in the totals of a campaign (OK, in the inventory total, in the period), with traces. */
export function countedIndicators(c: LoadedCampaign): { result: ItemResult; row: IndicatorRow }[] {
  // The same engine calls, in the same order, as assessInventory; the rows are kept with their item.
  const inv = c.inventory;
  const a = new Assessment(c.referential, c.ctx, engineHooks(c.referential, { profile: c.ctx.profile }));
  for (const dc of inv.datacenters) a.datacenter(dc);
  for (const pe of inv.physical) a.indexUpstream(pe);
  for (const vm of inv.virtual) a.indexVirtual(vm);
  for (const app of inv.applications) a.indexApplication(app);
  const results: ItemResult[] = [
    ...inv.physical.map((pe) => a.physical(pe)),
    ...a.telework(),
    ...inv.virtual.map((vm) => a.virtual(vm)),
    ...inv.applications.map((x) => a.application(x)),
    ...inv.nonIt.map((x) => a.nonIt(x)),
    ...inv.messaging.map((x) => a.messaging(x)),
  ];
  const out: { result: ItemResult; row: IndicatorRow }[] = [];
  for (const result of results) {
    if (!result.inTotal || result.outOfPeriod !== undefined) continue;
    for (const row of indicatorRows(result, a.layout, true)) if (row.status === 'OK') out.push({ result, row });
  }
  return out;
}
