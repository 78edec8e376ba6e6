/**
 * Use case: `assess --uncertainty` (methodology F21). The inventory is read once (`loadCampaign`, as `assess`), its
 * summary document is the one `assess --summary` writes (same engine entry), and each criterion's total gets its
 * P5/P50/P95 and the five factors dominating its range, computed from the same counted indicators.
 */
import type { AssessInput } from '../assess.js';
import type { AppDeps } from '../deps.js';
import type { AssessSummary } from '../sink.js';
import { countedIndicators } from './counted.js';
import { assessLoaded, loadCampaign } from './scenario.js';
import { seedOf, totalsUncertainty, type CriterionRange } from './uncertainty.js';

export interface AssessUncertaintyOutcome extends AssessSummary {
  readonly uncertainty: readonly CriterionRange[];
}

export async function assessWithUncertainty(
  deps: AppDeps,
  input: AssessInput,
  draws?: number,
): Promise<AssessUncertaintyOutcome> {
  const c = await loadCampaign(deps, input);
  const summary = assessLoaded(c);
  return { ...summary, uncertainty: totalsUncertainty(countedIndicators(c), seedOf(summary.meta), draws) };
}
