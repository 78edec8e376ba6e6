/**
 * The F21 uncertainty of a campaign in the server (issue 13: "on request in the CLI, always in the server"), computed
 * once per assessment job by the chunk that finishes it (src/server/usecases/assessments.ts), from the inputs its own
 * engine pass accumulated (`UncertaintyAccumulator`, the accumulator of `empreinte assess --uncertainty`): the ranges
 * by `rangesOf` with the same seed rule (`seedOf`: the referential's content hash) and the same 1,000 draws. The ranges
 * go into the totals document; the fixes below into the campaign's aggregates.
 *
 * "The fixes that would narrow the uncertainty most" (issue 15's data-quality page, docs/steering.md "Uncertainty
 * fixes"): every input of the climate total's range — each factor S_f (shared multiplier) and each activity class
 * (items by `qualite`) — is ranked by its part of the total's variance; each names the fix a user can make:
 * - `GIVE_MODEL`: an equipment factor used by items whose model matched no reference item (their type's default
 *   item, CALC_MODEL_FALLBACK): give their model, or load their own factor;
 * - `SPECIFIC_FACTOR`: any other equipment (or cloud, messaging…) factor: load a product footprint or a supplier's
 *   factor in an organisation referential;
 * - `ELECTRICITY_FACTOR`: an electricity mix: load the supplier's contracted factor;
 * - `MEASURE`: the activity data of the items of quality MEDIUM (or absent) or LOW: measure quantities,
 *   consumptions and lifetimes and mark them `qualite` HAUTE. Items already HIGH have no fix left and are not listed.
 * The share and the P5–P95 width "if that input were exact" are computed by the steering core (`uncertaintyRange`)
 * with that input's relative uncertainty set to 0, the same draws otherwise: no second formula. The share is the
 * closed-form variance's drop (exact); the width is a Monte-Carlo estimate over 1,000 draws, whose sampling noise (a
 * few per cent of the width) can exceed the narrowing of an input with a small share.
 */
import { activity, rangesOf, seedOf, type CriterionRange, type CriterionSums } from '../../app/steering/uncertainty.js';
import { DEFAULT_DRAWS, multiplierVariance, uncertaintyRange } from '../../steering/uncertainty.js';

/** The criterion whose range the fixes narrow (the climate total), else the campaign's first criterion. */
export const FIX_CRITERION = 'CLIMATE_CHANGE';
/** How many fixes are kept. */
export const MAX_FIXES = 10;

export const FIX_CODES = ['GIVE_MODEL', 'SPECIFIC_FACTOR', 'ELECTRICITY_FACTOR', 'MEASURE'] as const;
export type FixCode = (typeof FIX_CODES)[number];

/** One input of the range and the fix that narrows it. */
export interface UncertaintyFix {
  /** The factor's id (`item:<item>|<step>|<criterion>`, `elec:…`, `other:…`) or `activity:<quality>`. */
  readonly input: string;
  readonly kind: 'factor' | 'activity';
  readonly fix: FixCode;
  /** Items using the factor, or the items of the quality class. */
  readonly items: number;
  /** Among them, items on their type's default item (CALC_MODEL_FALLBACK). */
  readonly defaultFactorItems: number;
  /** S_f for a factor; for a class, the sum of its items' values (criterion unit). */
  readonly value: number;
  /** The input's part of the variance of the total (0–1). */
  readonly share: number;
  /** P95 − P5 of the total if this input were exact. */
  readonly widthIfExact: number;
}

export interface UncertaintyFixes {
  readonly criterion: string;
  readonly unit: string;
  readonly nominal: number;
  readonly p5: number;
  readonly p95: number;
  /** P95 − P5 of the total as it is. */
  readonly width: number;
  /** Largest share first (ties by input), at most MAX_FIXES. */
  readonly fixes: readonly UncertaintyFix[];
}

/** A factor of the range with the items using it. */
export interface FixFactor {
  readonly id: string;
  readonly sum: number;
  /** Relative uncertainty (lognormal, F21). */
  readonly u: number;
  readonly items: number;
  readonly defaultFactorItems: number;
}

/** An activity class of the range with its items. */
export interface FixActivity {
  readonly quality: string;
  readonly sumOfSquares: number;
  readonly u: number;
  readonly items: number;
  readonly value: number;
}

export interface FixInputs {
  readonly criterion: string;
  readonly unit: string;
  readonly factors: readonly FixFactor[];
  readonly activity: readonly FixActivity[];
}

/**
 * The inputs of one criterion's range, as `rangesOf` reads them (the accumulator's factor sums and `activity`), with,
 * per factor, the items using it and, per class, its items.
 */
export function fixInputs(sums: ReadonlyMap<string, CriterionSums>, criterion: string): FixInputs | undefined {
  const s = sums.get(criterion);
  if (s === undefined) return undefined;
  return {
    criterion,
    unit: s.unit,
    factors: [...s.factors].map(([id, f]) => ({
      id,
      sum: f.sum,
      u: f.u,
      items: f.items,
      defaultFactorItems: f.onDefaultItem,
    })),
    activity: activity(s).map((c) => ({
      ...c,
      items: s.classes.get(c.quality)?.items ?? 0,
      value: s.classes.get(c.quality)?.value ?? 0,
    })),
  };
}

const factorFix = (f: FixFactor): FixCode =>
  f.id.startsWith('elec:') ? 'ELECTRICITY_FACTOR' : f.defaultFactorItems > 0 ? 'GIVE_MODEL' : 'SPECIFIC_FACTOR';

/**
 * The inputs ranked by their part of the variance, each with its fix and the width of the range were it exact. The
 * factors short-listed by S_f² · Var(M_f) (the steering core's `multiplierVariance`), then each candidate's share and
 * width from `uncertaintyRange` run with the candidate exact.
 */
export function rankFixes(inputs: FixInputs, seed: string, draws = DEFAULT_DRAWS): UncertaintyFixes {
  const range = (exactFactor?: string, exactClass?: string) =>
    uncertaintyRange({
      factors: inputs.factors.map((f) => ({
        id: f.id,
        sum: f.sum,
        uncertainty: { kind: 'lognormal' as const, u: f.id === exactFactor ? 0 : f.u },
      })),
      activity: inputs.activity.map((c) => ({
        quality: c.quality,
        sumOfSquares: c.sumOfSquares,
        u: c.quality === exactClass ? 0 : c.u,
      })),
      seed,
      draws,
    });
  const base = range();
  const share = (r: { variance: number }) =>
    base.variance > 0 ? Math.min(1, Math.max(0, (base.variance - r.variance) / base.variance)) : 0;
  const weight = (f: FixFactor) => f.sum * f.sum * multiplierVariance({ kind: 'lognormal', u: f.u });
  const factors = inputs.factors
    .filter((f) => weight(f) > 0)
    .sort((a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, MAX_FIXES)
    .map((f): UncertaintyFix => {
      const r = range(f.id);
      return {
        input: f.id,
        kind: 'factor',
        fix: factorFix(f),
        items: f.items,
        defaultFactorItems: f.defaultFactorItems,
        value: f.sum,
        share: share(r),
        widthIfExact: r.p95 - r.p5,
      };
    });
  const classes = inputs.activity
    .filter((c) => c.quality !== 'HIGH' && c.u > 0 && c.sumOfSquares > 0)
    .map((c): UncertaintyFix => {
      const r = range(undefined, c.quality);
      return {
        input: `activity:${c.quality}`,
        kind: 'activity',
        fix: 'MEASURE',
        items: c.items,
        defaultFactorItems: 0,
        value: c.value,
        share: share(r),
        widthIfExact: r.p95 - r.p5,
      };
    });
  const fixes = [...factors, ...classes]
    .sort((a, b) => b.share - a.share || (a.input < b.input ? -1 : a.input > b.input ? 1 : 0))
    .slice(0, MAX_FIXES);
  return {
    criterion: inputs.criterion,
    unit: inputs.unit,
    nominal: base.nominal,
    p5: base.p5,
    p95: base.p95,
    width: base.p95 - base.p5,
    fixes,
  };
}

export interface CampaignUncertainty {
  /** The `uncertainty` of `assess --summary --uncertainty --format json`. */
  readonly ranges: readonly CriterionRange[];
  /** The fixes of the climate total (else the first criterion's); null when nothing is counted. */
  readonly fixes: UncertaintyFixes | null;
}

/**
 * The F21 ranges of a campaign's totals and its fixes, from the inputs its assessment accumulated
 * (`UncertaintyAccumulator` fed the counted results of the job's engine pass). `meta`: the run's metadata (its
 * referential's hash is the seed, as in `assess --uncertainty`).
 */
export function campaignUncertainty(
  sums: ReadonlyMap<string, CriterionSums>,
  meta: { readonly referential: { readonly hash: string } },
): CampaignUncertainty {
  const seed = seedOf(meta);
  const ranges = rangesOf(sums, seed);
  const criterion = ranges.some((r) => r.criterion === FIX_CRITERION) ? FIX_CRITERION : ranges[0]?.criterion;
  const inputs = criterion === undefined ? undefined : fixInputs(sums, criterion);
  return { ranges, fixes: inputs === undefined ? null : rankFixes(inputs, seed) };
}
