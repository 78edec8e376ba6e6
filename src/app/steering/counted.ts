/**
 * The item results a campaign counts in its totals (in the inventory total, in the period) with the run's layout:
 * what the decomposition (F22) and the uncertainty ranges (F21) read their factors from. One engine pass (`runItems`),
 * the same that gives the totals; no indicator row nor trace is built: an indicator is a result's slot with status OK,
 * and the factors of an equipment's slot come from the engine's own computation (`slotFactors`, `equipmentFactors`).
 */
import { runItems, type Counted } from './run-items.js';
import type { LoadedCampaign } from './scenario.js';

export type { Counted } from './run-items.js';

/** The counted results of a campaign (one engine pass; see `runItems` with `counted: true`). */
export function countedIndicators(c: LoadedCampaign): Counted {
  return runItems(c.inventory, c.referential, c.ctx, { counted: true }).counted!;
}
