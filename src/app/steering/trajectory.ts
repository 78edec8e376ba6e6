/**
 * Use case: follow a target (issue 13). Takes summary documents of past campaigns (`assess --summary --format json`,
 * validated by zod: only the fields read are required), picks one criterion's total per campaign (the campaign year is
 * the year its assessed period starts), and hands them with the target to the steering core (`trajectory`).
 *
 * Errors: `SteeringError` naming the field and the allowed values — a document without the fields read, two
 * documents of the same year or of different organisations, a baseline year with no campaign, a criterion absent
 * from a document, a reduction that is not a percentage below 0, a target year not after the baseline.
 */
import { z } from 'zod';
import { fail, fromSchemaIssues, type SteeringIssue } from '../../steering/errors.js';
import { trajectory, TRAJECTORY_SHAPES, type TrajectoryReport } from '../../steering/trajectory.js';

/** The fields of a summary document the trajectory reads. */
export const summaryDocumentSchema = z.looseObject({
  meta: z.looseObject({
    period: z.looseObject({ start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    organisation: z.string().optional(),
  }),
  totals: z.looseObject({
    byCriterion: z.array(z.looseObject({ criterion: z.string(), unit: z.string(), value: z.number().finite() })),
  }),
});

export interface TrajectoryRequest {
  /** The documents with the name they are known by (a file name), in any order. */
  readonly documents: readonly { readonly name: string; readonly document: unknown }[];
  readonly baselineYear: number;
  /** A fraction: −0.30 for −30 %. */
  readonly reduction: number;
  readonly targetYear: number;
  readonly shape: (typeof TRAJECTORY_SHAPES)[number];
  readonly criterion?: string;
  readonly budget?: number;
  readonly confidence?: number;
}

export interface TrajectoryOutcome extends TrajectoryReport {
  readonly criterion: string;
  readonly unit: string;
  readonly organisation?: string;
  readonly sources: readonly { readonly name: string; readonly year: number; readonly value: number }[];
}

/** `-30%`, `-30 %`, `−30%` or `-0.3` → −0.30; anything else: undefined. */
export function parseReduction(text: string): number | undefined {
  const t = text.trim().replace('\u2212', '-');
  const pct = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(t);
  const x = pct ? Number(pct[1]) / 100 : /^-?\d+(?:\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
  return Number.isFinite(x) ? x : undefined;
}

export function runTrajectory(req: TrajectoryRequest): TrajectoryOutcome {
  const criterion = req.criterion ?? 'CLIMATE_CHANGE';
  const issues: SteeringIssue[] = [];
  const points: { name: string; year: number; value: number; unit: string; organisation?: string }[] = [];
  for (const { name, document } of req.documents) {
    const parsed = summaryDocumentSchema.safeParse(document);
    if (!parsed.success) {
      issues.push(
        ...fromSchemaIssues(
          parsed.error.issues.map((i) => ({ ...i, path: [name, ...i.path] })),
          () => ({ code: 'STR_FIELD', allowed: ['a document of assess --summary --format json'] }),
        ),
      );
      continue;
    }
    const c = parsed.data.totals.byCriterion.find((x) => x.criterion === criterion);
    if (c === undefined) {
      issues.push({
        code: 'STR_FIELD',
        path: `${name}.totals.byCriterion`,
        message: `no total for criterion ${criterion}`,
        allowed: parsed.data.totals.byCriterion.map((x) => x.criterion),
      });
      continue;
    }
    const org = parsed.data.meta.organisation;
    points.push({
      name,
      year: Number(parsed.data.meta.period.start.slice(0, 4)),
      value: c.value,
      unit: c.unit,
      ...(org !== undefined ? { organisation: org } : {}),
    });
  }
  const orgs = [...new Set(points.map((p) => p.organisation ?? ''))];
  if (orgs.length > 1) {
    issues.push({
      code: 'STR_FIELD',
      path: 'meta.organisation',
      message: `the campaigns belong to different organisations: ${orgs.map((o) => o || '(none)').join(', ')}`,
      allowed: ['campaigns of one organisation'],
    });
  }
  const units = [...new Set(points.map((p) => p.unit))];
  if (units.length > 1) {
    issues.push({
      code: 'STR_FIELD',
      path: 'totals.byCriterion.unit',
      message: `the campaigns give ${criterion} in different units: ${units.join(', ')}`,
      allowed: [units[0]!],
    });
  }
  const baseline = points.find((p) => p.year === req.baselineYear);
  if (issues.length === 0 && baseline === undefined) {
    issues.push({
      code: 'STR_YEAR',
      path: 'baseline',
      message: `no campaign of year ${req.baselineYear}`,
      allowed: points.map((p) => String(p.year)).sort(),
    });
  }
  if (issues.length > 0) fail(issues);
  const report = trajectory({
    target: {
      baseline: { year: req.baselineYear, value: baseline!.value },
      targetYear: req.targetYear,
      reduction: req.reduction,
      shape: req.shape,
      ...(req.budget !== undefined ? { budget: req.budget } : {}),
    },
    campaigns: points.map((p) => ({ year: p.year, value: p.value })),
    ...(req.confidence !== undefined ? { confidence: req.confidence } : {}),
  });
  const organisation = points[0]?.organisation;
  return {
    criterion,
    unit: points[0]!.unit,
    ...(organisation !== undefined ? { organisation } : {}),
    sources: points.map(({ name, year, value }) => ({ name, year, value })),
    ...report,
  };
}
