/**
 * Inputs and views of the steering routes (compare, trajectory and target, scenarios, actions): validated at the HTTP
 * edge and the source of the OpenAPI document. Levers are checked by the steering core's scenario schema
 * (src/steering/scenario-schema.ts) in the use case, so that a bad lever answers its own code (`STR_SHARE_RANGE`…)
 * with the field path and the allowed values; here a lever is any object.
 */
import { z } from 'zod';
import { EFFECTS } from '../../steering/lmdi.js';
import { LEVER_NAMES } from '../../steering/scenario-schema.js';
import { TRAJECTORY_SHAPES } from '../../steering/trajectory.js';
import { CriterionRangeView, Id } from './schemas.js';

const Criterion = z.string().trim().min(1).max(100);

/** A summary document, as `assess --summary --format json` writes it (meta, inventory, totals). */
export const SummaryDocument = z.record(z.string(), z.unknown()).meta({
  id: 'SummaryDocument',
  description: 'The document of `empreinte assess --summary --format json`: meta, inventory, totals',
});

export const TotalsDeltaView = z
  .object({
    byCriterion: z.array(
      z.object({
        criterion: z.string(),
        unit: z.string(),
        before: z.number(),
        after: z.number(),
        delta: z.number(),
        relative: z.number().nullable(),
        byStep: z.record(z.string(), z.number()),
      }),
    ),
    by: z
      .record(z.string(), z.record(z.string(), z.record(z.string(), z.number())))
      .describe('dimension (tier, type, entity…) → value → criterion → after − before'),
  })
  .meta({ id: 'TotalsDelta' });

// ---- compare ----
export const EFFECT_NAMES = ['referenceData', ...EFFECTS] as const;
export const EffectValue = z.object({ effect: z.enum(EFFECT_NAMES), value: z.number() }).meta({ id: 'Effect' });

export const CompareQuery = z.object({
  with: Id.describe('the later campaign: the comparison goes from the path campaign to this one'),
  criterion: Criterion.default('CLIMATE_CHANGE').describe('the criterion of the top-level `effects`'),
});

const DiffItem = z.object({ kind: z.string(), label: z.string(), quantity: z.number().optional() });
const ChangedItem = z.object({
  kind: z.string(),
  label: z.string(),
  quantityBefore: z.number().optional(),
  quantityAfter: z.number().optional(),
  fields: z.array(z.string()),
});
const rows = <T extends z.ZodType>(row: T) => z.object({ count: z.int(), rows: z.array(row) });

const CompareSide = z.object({
  campaignId: Id,
  name: z.string(),
  referenceDate: z.string(),
  summary: SummaryDocument,
});

export const CompareView = z
  .object({
    before: CompareSide,
    after: CompareSide,
    criterion: z.string(),
    delta: TotalsDeltaView,
    effects: z.array(EffectValue).describe('the decomposition of `criterion`: they sum to its delta (relative 1e-9)'),
    decomposition: z.array(
      z.object({
        criterion: z.string(),
        before: z.number(),
        recomputedBefore: z.number(),
        after: z.number(),
        change: z.number(),
        referenceData: z.number(),
        effects: z.array(EffectValue),
        zeroValueMoves: z.int(),
      }),
    ),
    unfactored: z.int(),
    uncertainty: z
      .array(CriterionRangeView)
      .describe('F21: P5/P50/P95 of the change per criterion, as `empreinte compare` gives it'),
    diff: z.object({
      added: rows(DiffItem),
      removed: rows(DiffItem),
      changed: rows(ChangedItem),
      unchanged: z.int(),
    }),
  })
  .meta({ id: 'Comparison' });

// ---- target and trajectory ----
export const TargetInput = z
  .object({
    criterion: Criterion.default('CLIMATE_CHANGE'),
    baseYear: z.int().min(1900).max(2200),
    targetYear: z.int().min(1900).max(2200),
    reduction: z.number().describe('a fraction: −0.30 for −30 % (−1 < reduction < 0)'),
    shape: z.enum(TRAJECTORY_SHAPES).default('linear'),
    budget: z.number().nullable().default(null).describe('cumulative budget, baseline to target year, criterion unit'),
  })
  .meta({ id: 'TargetPut' });

export const TargetView = z
  .object({
    organisationId: Id,
    criterion: z.string(),
    baseYear: z.int(),
    targetYear: z.int(),
    reduction: z.number(),
    shape: z.enum(TRAJECTORY_SHAPES),
    budget: z.number().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Target' });

export const TrajectoryQuery = z.object({
  likeForLike: z
    .enum(['true', 'false'])
    .default('false')
    .describe("true: every campaign recomputed from its stored uploads with the latest campaign's referential"),
});

const Referential = z.object({ id: z.string(), version: z.string(), hash: z.string() });
const ForecastPoint = z.object({
  year: z.int(),
  value: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});

export const TrajectoryView = z
  .object({
    organisationId: Id,
    criterion: z.string(),
    unit: z.string().nullable(),
    likeForLike: z.boolean(),
    referential: Referential.nullable().describe('the referential of the latest campaign (or the current one)'),
    campaigns: z.array(
      z.object({
        campaignId: Id,
        name: z.string(),
        referenceDate: z.string(),
        year: z.int(),
        total: z.number().nullable(),
        referential: Referential,
        referentialDiffers: z.boolean(),
        inTrajectory: z.boolean().describe('false for an earlier campaign of the same year (the latest one counts)'),
        target: z.number().nullable(),
        gap: z.number().nullable(),
        relativeGap: z.number().nullable(),
        status: z.enum(['on-track', 'off-track', 'before-baseline']).nullable(),
      }),
    ),
    target: TargetView.nullable(),
    unavailable: z.string().nullable().describe('why there is no target line or forecast (no target, no baseline…)'),
    targetValue: z.number().nullable(),
    annualChange: z.number().nullable(),
    targetLine: z.array(z.object({ year: z.int(), value: z.number() })),
    latest: z
      .object({
        year: z.int(),
        value: z.number(),
        target: z.number().nullable(),
        gap: z.number().nullable(),
        status: z.enum(['on-track', 'off-track', 'before-baseline']),
      })
      .nullable(),
    forecast: z
      .object({
        available: z.boolean(),
        reason: z.string().nullable(),
        slope: z.number().nullable(),
        residualSd: z.number().nullable(),
        studentT: z.number().nullable(),
        confidence: z.number().nullable(),
        reachedYear: z.number().nullable(),
        note: z.string().nullable(),
        points: z.array(ForecastPoint),
      })
      .nullable(),
    budget: z
      .object({
        budget: z.number(),
        emittedSoFar: z.number(),
        remaining: z.number(),
        targetPathTotal: z.number(),
        projectedTotal: z.number().nullable(),
        projectedWithinBudget: z.boolean().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Trajectory' });

// ---- scenarios ----
const Levers = z
  .array(z.record(z.string(), z.unknown()))
  .max(100)
  .describe(
    `levers, each an object with one key among ${LEVER_NAMES.join(', ')} (src/steering/scenario-schema.ts; checked with coded errors)`,
  );

export const ScenarioPreviewInput = z
  .object({ name: z.string().trim().min(1).max(200).optional(), levers: Levers })
  .meta({ id: 'ScenarioPreviewRequest' });

export const ScenarioInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    levers: Levers,
  })
  .meta({ id: 'ScenarioCreate' });

export const ScenarioPreviewView = z
  .object({
    campaignId: Id,
    name: z.string(),
    baseline: SummaryDocument,
    scenario: SummaryDocument,
    delta: TotalsDeltaView,
  })
  .meta({ id: 'ScenarioPreview' });

const DeltaByCriterion = TotalsDeltaView.shape.byCriterion;

export const ScenarioView = z
  .object({
    id: Id,
    campaignId: Id,
    name: z.string(),
    description: z.string().nullable(),
    levers: z.array(z.record(z.string(), z.unknown())),
    createdAt: z.string(),
    result: z.object({
      jobId: z.string().describe('the assessment the delta was computed on'),
      computedAt: z.string(),
      byCriterion: DeltaByCriterion,
      byTier: z.record(z.string(), z.record(z.string(), z.number())),
    }),
  })
  .meta({ id: 'Scenario' });

// ---- actions ----
export const ACTION_STATUSES = ['planned', 'in-progress', 'done', 'cancelled'] as const;

const ActionFields = {
  title: z.string().trim().min(1).max(200),
  owner: z.string().trim().min(1).max(200),
  dueDate: z.iso.date(),
  status: z.enum(ACTION_STATUSES),
  scenarioId: Id,
  levers: Levers,
  campaignId: Id.describe('the campaign the levers are priced on (default: the latest assessed campaign)'),
};

export const ActionInput = z
  .object({
    title: ActionFields.title,
    owner: ActionFields.owner,
    dueDate: ActionFields.dueDate,
    status: ActionFields.status.default('planned'),
    scenarioId: ActionFields.scenarioId.optional(),
    levers: ActionFields.levers.optional(),
    campaignId: ActionFields.campaignId.optional(),
  })
  .refine((a) => (a.scenarioId === undefined) !== (a.levers === undefined), {
    message: 'give exactly one of scenarioId or levers',
    path: ['scenarioId'],
  })
  .meta({ id: 'ActionCreate' });

export const ActionPatch = z
  .object({
    title: ActionFields.title.optional(),
    owner: ActionFields.owner.optional(),
    dueDate: ActionFields.dueDate.optional(),
    status: ActionFields.status.optional(),
    scenarioId: ActionFields.scenarioId.optional(),
    levers: ActionFields.levers.optional(),
    campaignId: ActionFields.campaignId.optional(),
  })
  .refine((a) => a.scenarioId === undefined || a.levers === undefined, {
    message: 'give at most one of scenarioId or levers',
    path: ['scenarioId'],
  })
  .meta({ id: 'ActionPatch' });

export const ActionView = z
  .object({
    id: Id,
    organisationId: Id,
    title: z.string(),
    owner: z.string(),
    dueDate: z.string(),
    status: z.enum(ACTION_STATUSES),
    scenarioId: Id.nullable(),
    campaignId: Id.nullable(),
    levers: z.array(z.record(z.string(), z.unknown())),
    expectedSaving: z.number().describe('kg CO2 eq per year (positive: a reduction), from the scenario preview'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Action' });

export const MeasuredActionView = ActionView.extend({
  measured: z
    .object({
      effects: z.array(z.enum(EFFECT_NAMES)).describe('the effects its levers stand for (docs/steering.md)'),
      saving: z.number().describe('−Σ of those effects of CLIMATE_CHANGE between the two campaigns, kg CO2 eq'),
      match: z.string().describe('how the levers were matched to the effects'),
    })
    .nullable(),
}).meta({ id: 'ActionWithMeasure' });

export const ActionPlanView = z
  .object({
    measuredBetween: z
      .object({
        from: z.object({ campaignId: Id, name: z.string(), referenceDate: z.string() }),
        to: z.object({ campaignId: Id, name: z.string(), referenceDate: z.string() }),
        effects: z.array(EffectValue),
      })
      .nullable()
      .describe('the two latest assessed campaigns and the CLIMATE_CHANGE decomposition between them'),
    unmeasured: z.string().nullable().describe('why nothing is measured (fewer than two assessed campaigns)'),
    actions: z.array(MeasuredActionView),
  })
  .meta({ id: 'ActionPlan' });
