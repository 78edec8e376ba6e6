/**
 * Targets and trajectory: a baseline (year, value), a target year and a reduction, a shape (linear or constant annual
 * rate) and an optional cumulative budget; per campaign the target value, the gap and on/off track; a forecast from the
 * campaigns so far by ordinary least squares with its Student-t prediction interval, and the year the target would be
 * reached at the current pace. Pure: no I/O, no clock.
 *
 * Forecast (documented in docs/steering.md §2): with n campaigns (x_i = year, y_i = value), x̄, ȳ their means,
 * Sxx = Σ(x_i − x̄)², b = Σ(x_i − x̄)(y_i − ȳ) / Sxx, ŷ(x) = ȳ + b·(x − x̄), s² = Σ(y_i − ŷ(x_i))² / (n − 2), and the
 * prediction interval of a future value at x is ŷ(x) ± t_{1−α/2, n−2} · s · √(1 + 1/n + (x − x̄)² / Sxx).
 */
import { z } from 'zod';
import { type SteeringIssue, fail, fromSchemaIssues } from './errors.js';
import { studentQuantile } from './student.js';

export const TRAJECTORY_SHAPES = ['linear', 'constant-rate'] as const;

export const targetSchema = z
  .strictObject({
    baseline: z.strictObject({ year: z.number().int(), value: z.number().positive().finite() }),
    targetYear: z.number().int(),
    /** A fraction: −0.30 for −30 %. */
    reduction: z.number().gt(-1).lt(0),
    shape: z.enum(TRAJECTORY_SHAPES),
    /** Cumulative emissions allowed from the baseline year to the target year, both included (criterion unit). */
    budget: z.number().positive().finite().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.targetYear <= t.baseline.year) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetYear'],
        message: `target year ${t.targetYear} is not after the baseline year ${t.baseline.year}`,
        params: { code: 'STR_TARGET_YEAR_BEFORE_BASELINE', allowed: [`a year after ${t.baseline.year}`] },
      });
    }
  });
export type Target = z.infer<typeof targetSchema>;

export const campaignPointSchema = z.strictObject({ year: z.number().int(), value: z.number().nonnegative().finite() });
export type CampaignPoint = z.infer<typeof campaignPointSchema>;

export const trajectoryInputSchema = z
  .strictObject({
    target: targetSchema,
    campaigns: z.array(campaignPointSchema),
    /** Level of the prediction interval, 0.95 by default. */
    confidence: z.number().gt(0).lt(1).default(0.95),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<number>();
    t.campaigns.forEach((c, i) => {
      if (seen.has(c.year)) {
        ctx.addIssue({
          code: 'custom',
          path: ['campaigns', i, 'year'],
          message: `year ${c.year} appears twice`,
          params: { code: 'STR_DUPLICATE_YEAR', allowed: ['one campaign per year'] },
        });
      }
      seen.add(c.year);
    });
  });
export type TrajectoryInput = z.input<typeof trajectoryInputSchema>;

function codeFor(path: readonly PropertyKey[]): { code: SteeringIssue['code']; allowed?: readonly string[] } {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'reduction') return { code: 'STR_REDUCTION_RANGE', allowed: ['−1 < reduction < 0 (−0.30 for −30 %)'] };
  if (last === 'shape') return { code: 'STR_SHAPE', allowed: TRAJECTORY_SHAPES };
  if (last === 'budget') return { code: 'STR_BUDGET_RANGE', allowed: ['a number > 0'] };
  if (last === 'confidence') return { code: 'STR_CONFIDENCE_RANGE', allowed: ['0 < confidence < 1'] };
  if (last === 'value' && parent === 'baseline') return { code: 'STR_BASELINE_VALUE', allowed: ['a number > 0'] };
  if (last === 'value') return { code: 'STR_CAMPAIGN_VALUE', allowed: ['a number ≥ 0'] };
  if (last === 'year' || last === 'targetYear') return { code: 'STR_YEAR', allowed: ['an integer year'] };
  return { code: 'STR_FIELD' };
}

export type TrackStatus = 'on-track' | 'off-track' | 'before-baseline';

export interface CampaignTrack {
  readonly year: number;
  readonly value: number;
  /** Target value for that year (null before the baseline year). */
  readonly target: number | null;
  /** value − target: positive = above the path (off track). */
  readonly gap: number | null;
  /** gap / target. */
  readonly relativeGap: number | null;
  readonly status: TrackStatus;
}

export interface ForecastPoint {
  readonly year: number;
  readonly value: number;
  /** Prediction interval (null with two campaigns: no residual degree of freedom). */
  readonly lower: number | null;
  readonly upper: number | null;
}

export type Forecast =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      /** Units per year. */
      readonly slope: number;
      /** ŷ(x̄): the fitted value at the mean campaign year. */
      readonly meanYear: number;
      readonly meanValue: number;
      /** Residual standard deviation s (null with two campaigns). */
      readonly residualSd: number | null;
      /** t_{1−α/2, n−2} (null with two campaigns). */
      readonly studentT: number | null;
      readonly confidence: number;
      /** Fitted values and prediction intervals, one per year from the first campaign year to the target year. */
      readonly points: readonly ForecastPoint[];
      /** Year (fractional) at which the fitted line reaches the target value; null when it never does (slope ≥ 0). */
      readonly reachedYear: number | null;
      readonly note: string | null;
    };

export interface BudgetReport {
  readonly budget: number;
  /** Σ of yearly values from the baseline year to the last campaign year (≤ target year), linear between campaigns. */
  readonly emittedSoFar: number;
  readonly remaining: number;
  /** Σ of the target path from the baseline year to the target year. */
  readonly targetPathTotal: number;
  /** emittedSoFar + Σ of the forecast for the remaining years (null without a forecast). */
  readonly projectedTotal: number | null;
  readonly projectedWithinBudget: boolean | null;
}

export interface TrajectoryReport {
  readonly target: Target;
  /** Baseline value × (1 + reduction). */
  readonly targetValue: number;
  /** Constant-rate shape: (1 + reduction)^(1/(targetYear − baseline year)) − 1; linear: reduction/(years) of the baseline. */
  readonly annualChange: number;
  readonly campaigns: readonly CampaignTrack[];
  readonly forecast: Forecast;
  readonly budget: BudgetReport | null;
}

/** The target value of a year on the path (null before the baseline year; held at the final value after the target year). */
export function targetValueAt(target: Target, year: number): number | null {
  const y0 = target.baseline.year;
  if (year < y0) return null;
  const span = target.targetYear - y0;
  const k = Math.min(year - y0, span) / span;
  const v0 = target.baseline.value;
  return target.shape === 'linear' ? v0 * (1 + target.reduction * k) : v0 * Math.pow(1 + target.reduction, k);
}

/** Validates the whole input (coded errors naming the field) before computing anything. */
export function parseTrajectoryInput(input: unknown): z.output<typeof trajectoryInputSchema> {
  const parsed = trajectoryInputSchema.safeParse(input);
  if (!parsed.success) fail(fromSchemaIssues(parsed.error.issues, codeFor));
  return parsed.data;
}

function fit(points: readonly CampaignPoint[], confidence: number, target: Target, targetValue: number): Forecast {
  const n = points.length;
  if (n < 2) {
    return {
      available: false,
      reason: `a forecast needs at least two campaigns; ${n} given`,
    };
  }
  const xbar = points.reduce((s, p) => s + p.year, 0) / n;
  const ybar = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.year - xbar) ** 2;
    sxy += (p.year - xbar) * (p.value - ybar);
  }
  const slope = sxy / sxx;
  const yhat = (x: number): number => ybar + slope * (x - xbar);
  let residualSd: number | null = null;
  let studentT: number | null = null;
  let note: string | null = null;
  if (n >= 3) {
    const sse = points.reduce((s, p) => s + (p.value - yhat(p.year)) ** 2, 0);
    residualSd = Math.sqrt(sse / (n - 2));
    studentT = studentQuantile(1 - (1 - confidence) / 2, n - 2);
  } else {
    note = 'two campaigns: the line is exact and has no prediction interval (n − 2 = 0 degrees of freedom)';
  }
  const first = Math.min(...points.map((p) => p.year));
  const last = Math.max(target.targetYear, ...points.map((p) => p.year));
  const out: ForecastPoint[] = [];
  // A footprint cannot be negative: where the fitted line (or its interval) falls below zero, the forecast is held
  // at 0, and the note says from which year.
  let firstClipped: number | null = null;
  const atLeastZero = (year: number, v: number): number => {
    if (v >= 0) return v;
    firstClipped ??= year;
    return 0;
  };
  for (let year = first; year <= last; year++) {
    const fitted = yhat(year);
    const value = atLeastZero(year, fitted);
    if (residualSd !== null && studentT !== null) {
      const half = studentT * residualSd * Math.sqrt(1 + 1 / n + (year - xbar) ** 2 / sxx);
      out.push({ year, value, lower: Math.max(0, fitted - half), upper: atLeastZero(year, fitted + half) });
    } else {
      out.push({ year, value, lower: null, upper: null });
    }
  }
  if (firstClipped !== null) {
    const clipped = `the fitted line falls below zero in ${firstClipped}: the forecast is held at 0 from then on`;
    note = note === null ? clipped : `${note}; ${clipped}`;
  }
  const reachedYear = slope < 0 ? xbar + (targetValue - ybar) / slope : null;
  return {
    available: true,
    slope,
    meanYear: xbar,
    meanValue: ybar,
    residualSd,
    studentT,
    confidence,
    points: out,
    reachedYear,
    note,
  };
}

/** Yearly values from the baseline year to `until`, from the campaigns (linear between them) and the baseline. */
function yearlySeries(target: Target, campaigns: readonly CampaignPoint[], until: number): Map<number, number> {
  const known = new Map<number, number>();
  known.set(target.baseline.year, target.baseline.value);
  for (const c of campaigns) if (c.year >= target.baseline.year) known.set(c.year, c.value);
  const years = [...known.keys()].sort((a, b) => a - b);
  const out = new Map<number, number>();
  for (let y = target.baseline.year; y <= until; y++) {
    const exact = known.get(y);
    if (exact !== undefined) {
      out.set(y, exact);
      continue;
    }
    const lo = years.filter((k) => k < y).pop();
    const hi = years.find((k) => k > y);
    if (lo === undefined || hi === undefined) continue;
    const vlo = known.get(lo) ?? 0;
    const vhi = known.get(hi) ?? 0;
    out.set(y, vlo + ((vhi - vlo) * (y - lo)) / (hi - lo));
  }
  return out;
}

/** Computes the trajectory report; throws a SteeringError (code, field path, allowed values) on bad input. */
export function trajectory(input: unknown): TrajectoryReport {
  const { target, campaigns, confidence } = parseTrajectoryInput(input);
  const targetValue = target.baseline.value * (1 + target.reduction);
  const span = target.targetYear - target.baseline.year;
  const annualChange =
    target.shape === 'linear' ? target.reduction / span : Math.pow(1 + target.reduction, 1 / span) - 1;
  const sorted = [...campaigns].sort((a, b) => a.year - b.year);
  const tracks: CampaignTrack[] = sorted.map((c) => {
    const t = targetValueAt(target, c.year);
    if (t === null) {
      return { year: c.year, value: c.value, target: null, gap: null, relativeGap: null, status: 'before-baseline' };
    }
    const gap = c.value - t;
    return {
      year: c.year,
      value: c.value,
      target: t,
      gap,
      relativeGap: gap / t,
      status: c.value <= t ? 'on-track' : 'off-track',
    };
  });
  const forecast = fit(sorted, confidence, target, targetValue);
  let budget: BudgetReport | null = null;
  if (target.budget !== undefined) {
    const lastYear = Math.min(target.targetYear, Math.max(target.baseline.year, ...sorted.map((c) => c.year)));
    const series = yearlySeries(target, sorted, lastYear);
    const emittedSoFar = [...series.values()].reduce((s, v) => s + v, 0);
    let targetPathTotal = 0;
    for (let y = target.baseline.year; y <= target.targetYear; y++) targetPathTotal += targetValueAt(target, y) ?? 0;
    let projectedTotal: number | null = null;
    if (forecast.available) {
      projectedTotal = emittedSoFar;
      for (const p of forecast.points) if (p.year > lastYear && p.year <= target.targetYear) projectedTotal += p.value;
    }
    budget = {
      budget: target.budget,
      emittedSoFar,
      remaining: target.budget - emittedSoFar,
      targetPathTotal,
      projectedTotal,
      projectedWithinBudget: projectedTotal === null ? null : projectedTotal <= target.budget,
    };
  }
  return { target, targetValue, annualChange, campaigns: tracks, forecast, budget };
}
