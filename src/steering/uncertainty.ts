/**
 * Methodology F21: uncertainty ranges by Monte-Carlo over per-factor sums.
 *
 * Every value is activity × factor. A factor f carries a multiplier M_f shared by every item using it (factors are
 * correlated across items): lognormal with median 1 and σ = ln(1 + u_f), or, for Boavizta archetypes, triangular
 * between the archetype's min and max around its default (M_f = X / default). The engine keeps, per factor, S_f = the
 * sum of activity × factor over the items using it; a draw of the total is T = Σ_f S_f · M_f + √V_a · Z, where
 * V_a = Σ_classes u_q² · Σ_i v_i² is the per-item activity variance in closed form (independent items, relative
 * uncertainty u_q per quality class, summed: by the central limit theorem the sum is close to normal; its interaction
 * with the factor multipliers is neglected, a second-order term). Cost O(draws × distinct factors), independent of the
 * number of items. The five factors contributing most to the variance are ranked by their closed-form contribution
 * S_f² · Var(M_f).
 */
import { z } from 'zod';
import { type SteeringIssue, fail, fromSchemaIssues } from './errors.js';
import { Xoshiro128 } from './random.js';

/** Defaults of F21 (each an overridable hypothesis; source: docs/methodology.md F21). */
export const DEFAULT_RELATIVE_UNCERTAINTY = {
  productFootprint: 0.3,
  ademeDevice: 0.3,
  bottomUpServer: 0.3,
  electricity: 0.1,
  networkPerGb: 0.5,
  userLoaded: 0.2,
} as const;
/** Activity uncertainty by `qualite` (MOYENNE also when absent). */
export const QUALITY_UNCERTAINTY = { HAUTE: 0.05, MOYENNE: 0.2, BASSE: 0.5 } as const;

export const DEFAULT_DRAWS = 1000;

export const factorUncertaintySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('lognormal'), u: z.number().nonnegative().finite() }),
  z
    .strictObject({
      kind: z.literal('triangular'),
      min: z.number().nonnegative().finite(),
      mode: z.number().positive().finite(),
      max: z.number().positive().finite(),
    })
    .superRefine((t, ctx) => {
      if (!(t.min <= t.mode && t.mode <= t.max)) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `min ${t.min}, mode ${t.mode}, max ${t.max} are not ordered`,
          params: { code: 'STR_TRIANGULAR_BOUNDS', allowed: ['0 ≤ min ≤ mode ≤ max, mode > 0'] },
        });
      }
    }),
]);
export type FactorUncertainty = z.infer<typeof factorUncertaintySchema>;

const seedSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8,}$/, { message: 'the seed is a hexadecimal content hash of at least 8 digits' });

const factorSumSchema = z.strictObject({
  /** The factor's identity (e.g. `ref:Laptop:MANUFACTURING:CLIMATE_CHANGE`): the stream of its multipliers. */
  id: z.string().min(1),
  /** Σ activity × factor over the items using it, for one criterion (criterion unit). */
  sum: z.number().finite(),
  uncertainty: factorUncertaintySchema,
});
export type FactorSum = z.infer<typeof factorSumSchema>;

const activityClassSchema = z.strictObject({
  /** Quality class (`HAUTE`, `MOYENNE`, `BASSE`…): a label only. */
  quality: z.string().min(1),
  /** Σ v_i² over the items of the class (v_i = the item's value). */
  sumOfSquares: z.number().nonnegative().finite(),
  /** Relative uncertainty u_q of the class's activity data. */
  u: z.number().nonnegative().finite(),
});
export type ActivityClass = z.infer<typeof activityClassSchema>;

function uniqueIds<T extends { id: string }>(list: readonly T[], ctx: z.RefinementCtx, key: string): void {
  const seen = new Set<string>();
  list.forEach((f, i) => {
    if (seen.has(f.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [key, i, 'id'],
        message: `factor ${f.id} is listed twice`,
        params: { code: 'STR_DUPLICATE_KEY', allowed: ['one entry per factor'] },
      });
    }
    seen.add(f.id);
  });
}

const drawsSchema = z.number().int().min(10).max(1_000_000).default(DEFAULT_DRAWS);

export const uncertaintyInputSchema = z
  .strictObject({
    factors: z.array(factorSumSchema),
    activity: z.array(activityClassSchema).default([]),
    seed: seedSchema,
    draws: drawsSchema,
  })
  .superRefine((x, ctx) => uniqueIds(x.factors, ctx, 'factors'));
export type UncertaintyInput = z.input<typeof uncertaintyInputSchema>;

export const deltaUncertaintyInputSchema = z
  .strictObject({
    /** Per factor, its sum in campaign 0 and campaign 1 (0 when the campaign does not use it). */
    factors: z.array(
      z.strictObject({
        id: z.string().min(1),
        before: z.number().finite(),
        after: z.number().finite(),
        uncertainty: factorUncertaintySchema,
      }),
    ),
    /**
     * Activity variance of the delta: the items whose activity data differ between the campaigns (added, removed or
     * changed); matched items with unchanged data share their activity error, which cancels in the delta.
     */
    activity: z.array(activityClassSchema).default([]),
    seed: seedSchema,
    draws: drawsSchema,
  })
  .superRefine((x, ctx) => uniqueIds(x.factors, ctx, 'factors'));
export type DeltaUncertaintyInput = z.input<typeof deltaUncertaintyInputSchema>;

function codeFor(path: readonly PropertyKey[]): { code: SteeringIssue['code']; allowed?: readonly string[] } {
  const last = path[path.length - 1];
  if (path[0] === 'seed') return { code: 'STR_SEED_FORMAT', allowed: ['hexadecimal digits, at least 8'] };
  if (last === 'draws') return { code: 'STR_DRAWS_RANGE', allowed: ['an integer from 10 to 1000000'] };
  if (last === 'kind') return { code: 'STR_UNCERTAINTY_RANGE', allowed: ['lognormal', 'triangular'] };
  if (last === 'u') return { code: 'STR_UNCERTAINTY_RANGE', allowed: ['a relative uncertainty ≥ 0'] };
  if (last === 'min' || last === 'mode' || last === 'max') {
    return { code: 'STR_TRIANGULAR_BOUNDS', allowed: ['0 ≤ min ≤ mode ≤ max, mode > 0'] };
  }
  if (last === 'sum' || last === 'before' || last === 'after' || last === 'sumOfSquares') {
    return { code: 'STR_VALUE_RANGE', allowed: ['a finite number'] };
  }
  return { code: 'STR_FIELD' };
}

/** Var(M) of a factor's multiplier: lognormal (e^{σ²} − 1)·e^{σ²}; triangular (a² + b² + c² − ab − ac − bc)/18 / c². */
export function multiplierVariance(u: FactorUncertainty): number {
  if (u.kind === 'lognormal') {
    const s2 = Math.log1p(u.u) ** 2;
    return Math.expm1(s2) * Math.exp(s2);
  }
  const { min: a, max: b, mode: c } = u;
  return (a * a + b * b + c * c - a * b - a * c - b * c) / 18 / (c * c);
}

/** The sample quantile of sorted values (linear interpolation between order statistics, Hyndman & Fan type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, n - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** Adds S · M_k for every draw k of a factor's multiplier stream into `totals`. */
function addFactorDraws(totals: Float64Array, seed: string, id: string, sum: number, u: FactorUncertainty): void {
  const n = totals.length;
  if (sum === 0) return;
  if (u.kind === 'lognormal' && u.u === 0) {
    for (let k = 0; k < n; k++) totals[k] = (totals[k] ?? 0) + sum;
    return;
  }
  const rng = Xoshiro128.forStream(seed, `factor:${id}`);
  if (u.kind === 'lognormal') {
    const sigma = Math.log1p(u.u);
    for (let k = 0; k < n; k += 2) {
      const [z1, z2] = rng.nextNormalPair();
      totals[k] = (totals[k] ?? 0) + sum * Math.exp(sigma * z1);
      if (k + 1 < n) totals[k + 1] = (totals[k + 1] ?? 0) + sum * Math.exp(sigma * z2);
    }
    return;
  }
  const { min: a, max: b, mode: c } = u;
  const fc = b > a ? (c - a) / (b - a) : 0;
  for (let k = 0; k < n; k++) {
    const v = rng.nextUniform();
    const x = b === a ? c : v < fc ? a + Math.sqrt(v * (b - a) * (c - a)) : b - Math.sqrt((1 - v) * (b - a) * (b - c));
    totals[k] = (totals[k] ?? 0) + (sum * x) / c;
  }
}

function addActivityDraws(totals: Float64Array, seed: string, variance: number): void {
  if (variance === 0) return;
  const sd = Math.sqrt(variance);
  const rng = Xoshiro128.forStream(seed, 'activity');
  for (let k = 0; k < totals.length; k += 2) {
    const [z1, z2] = rng.nextNormalPair();
    totals[k] = (totals[k] ?? 0) + sd * z1;
    if (k + 1 < totals.length) totals[k + 1] = (totals[k + 1] ?? 0) + sd * z2;
  }
}

export interface FactorContribution {
  readonly id: string;
  /** S_f (or S_f¹ − S_f⁰ for a delta). */
  readonly sum: number;
  /** S_f² · Var(M_f). */
  readonly variance: number;
  /** variance / total variance (factors and activity). */
  readonly share: number;
}

export interface UncertaintyRange {
  /** Σ S_f: the value without uncertainty. */
  readonly nominal: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly draws: number;
  /** Closed-form variance: Σ S_f² Var(M_f) + V_a. */
  readonly variance: number;
  readonly activityVariance: number;
  /** The (at most) five factors contributing most to the variance, largest first (ties by id). */
  readonly topFactors: readonly FactorContribution[];
}

function summarise(
  totals: Float64Array,
  entries: readonly { id: string; sum: number; uncertainty: FactorUncertainty }[],
  activityVariance: number,
): UncertaintyRange {
  const contributions = entries.map((e) => ({
    id: e.id,
    sum: e.sum,
    variance: e.sum * e.sum * multiplierVariance(e.uncertainty),
  }));
  const variance = contributions.reduce((s, c) => s + c.variance, 0) + activityVariance;
  const topFactors = contributions
    .filter((c) => c.variance > 0)
    .sort((x, y) => y.variance - x.variance || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, 5)
    .map((c) => ({ ...c, share: c.variance / variance }));
  const sorted = Float64Array.from(totals).sort();
  return {
    nominal: entries.reduce((s, e) => s + e.sum, 0),
    p5: quantile(sorted, 0.05),
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    draws: totals.length,
    variance,
    activityVariance,
    topFactors,
  };
}

const activityVarianceOf = (classes: readonly ActivityClass[]): number =>
  classes.reduce((s, c) => s + c.u * c.u * c.sumOfSquares, 0);

/** P5/P50/P95 of a total and the five factors dominating its variance (F21). */
export function uncertaintyRange(input: UncertaintyInput): UncertaintyRange {
  const parsed = uncertaintyInputSchema.safeParse(input);
  if (!parsed.success) fail(fromSchemaIssues(parsed.error.issues, codeFor));
  const { factors, activity, seed, draws } = parsed.data;
  const totals = new Float64Array(draws);
  for (const f of factors) addFactorDraws(totals, seed, f.id, f.sum, f.uncertainty);
  const activityVariance = activityVarianceOf(activity);
  addActivityDraws(totals, seed, activityVariance);
  return summarise(totals, factors, activityVariance);
}

/**
 * P5/P50/P95 of the delta between two campaigns sharing factors: the same multiplier stream per factor id in both, so
 * a draw of the delta is Σ_f (S_f¹ − S_f⁰) · M_f (+ the activity term of the items that differ). Identical campaigns
 * give a delta of zero width.
 */
export function deltaUncertaintyRange(input: DeltaUncertaintyInput): UncertaintyRange {
  const parsed = deltaUncertaintyInputSchema.safeParse(input);
  if (!parsed.success) fail(fromSchemaIssues(parsed.error.issues, codeFor));
  const { factors, activity, seed, draws } = parsed.data;
  const entries = factors.map((f) => ({ id: f.id, sum: f.after - f.before, uncertainty: f.uncertainty }));
  const totals = new Float64Array(draws);
  for (const e of entries) addFactorDraws(totals, seed, e.id, e.sum, e.uncertainty);
  const activityVariance = activityVarianceOf(activity);
  addActivityDraws(totals, seed, activityVariance);
  return summarise(totals, entries, activityVariance);
}
