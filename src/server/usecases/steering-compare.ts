/**
 * Use case: compare two stored campaigns of the caller's organisations (GET /campaigns/{id}/compare?with=…): `before`
 * is the campaign of the path, `after` the one of `with`. Both are read from their stored uploads with their own
 * referential (the default pack or the pinned organisation version, as their assessment) and compared by the app
 * layer's `compareLoaded` — the same use case as `empreinte compare`: both totals, the delta, the F22 decomposition,
 * the inventory diff and the F21 range of the change per criterion. When the referentials differ, `before` is
 * recomputed with `after`'s (like-for-like): the reference-data effect is like-for-like − before, the other effects
 * split like-for-like → after, and all of them sum to the delta (`compare --before-referential` on the CLI). The view
 * keeps the diff's counts and its first 100 rows.
 */
import type { z } from 'zod';
import { compareLoaded, type CompareOutcome } from '../../app/steering/compare.js';
import { SteeringError } from '../../steering/errors.js';
import { EFFECTS } from '../../steering/lmdi.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';
import {
  assessedCampaign,
  campaignFor,
  loadStored,
  withReferentialOf,
  type AssessedCampaign,
} from './steering-load.js';
import type { CompareView, EffectValue } from './steering-schemas.js';

export const DIFF_ROWS = 100;

/** The comparison of two assessed campaigns, kept in the server's cache under both assessments. */
export function comparison(
  deps: UseCaseDeps,
  actor: Actor,
  before: AssessedCampaign,
  after: AssessedCampaign,
): Promise<CompareOutcome> {
  const run = async () => {
    const cb = await loadStored(deps, actor, before);
    const ca = await loadStored(deps, actor, after);
    // Each campaign is loaded with its own referential (the default pack or its pinned version); when they differ,
    // `before` recomputed with `after`'s (like-for-like) gives the reference-data effect apart (F22).
    return compareLoaded(cb, ca, false, withReferentialOf(cb, before.campaign, ca));
  };
  return deps.steering === undefined ? run() : deps.steering.comparisons.get(`${before.key}→${after.key}`, run);
}

/** The effects of one criterion's change, reference data first (the order of a waterfall). */
export function effectsOf(c: CompareOutcome['decomposition'][number]): z.output<typeof EffectValue>[] {
  return [
    { effect: 'referenceData', value: c.referenceData },
    ...EFFECTS.map((e) => ({ effect: e, value: c.effects[e] })),
  ];
}

export async function compareCampaigns(
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string; with: string; criterion: string },
): Promise<z.output<typeof CompareView>> {
  const [before, after] = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const b = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    const a = await campaignFor(s, actor, input.with, 'campaign:read');
    return [await assessedCampaign(s, b), await assessedCampaign(s, a)] as const;
  });
  const o = await comparison(deps, actor, before, after);
  const chosen = o.decomposition.find((c) => c.criterion === input.criterion);
  if (chosen === undefined)
    throw new SteeringError({
      code: 'STR_CRITERION_MISSING',
      path: 'criterion',
      message: `no total for criterion ${input.criterion} in both campaigns`,
      allowed: o.decomposition.map((c) => c.criterion),
    });
  const side = (a: AssessedCampaign, summary: CompareOutcome['before']) => ({
    campaignId: a.campaign.id,
    name: a.campaign.name,
    referenceDate: a.campaign.reference_date,
    summary: summary as unknown as Record<string, unknown>,
  });
  const i = o.inventory;
  return {
    before: side(before, o.before),
    after: side(after, o.after),
    criterion: input.criterion,
    delta: o.delta as z.output<typeof CompareView>['delta'],
    effects: effectsOf(chosen),
    decomposition: o.decomposition.map((c) => ({
      criterion: c.criterion,
      before: c.before,
      recomputedBefore: c.recomputedBefore,
      after: c.after,
      change: c.change,
      referenceData: c.referenceData,
      effects: effectsOf(c),
      zeroValueMoves: c.zeroValueMoves,
    })),
    unfactored: o.unfactored,
    uncertainty: (o.uncertainty ?? []).map((u) => ({
      ...u,
      range: { ...u.range, topFactors: [...u.range.topFactors] },
    })),
    diff: {
      added: { count: i.added.length, rows: i.added.slice(0, DIFF_ROWS) },
      removed: { count: i.removed.length, rows: i.removed.slice(0, DIFF_ROWS) },
      changed: {
        count: i.changed.length,
        rows: i.changed.slice(0, DIFF_ROWS).map((c) => ({ ...c, fields: [...c.fields] })),
      },
      unchanged: i.unchanged,
    },
  };
}
