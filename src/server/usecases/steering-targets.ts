/**
 * Use cases: the organisation's target (one per organisation) and its trajectory. The trajectory is the app layer's
 * `runTrajectory` (the use case of `empreinte trajectory`) over the stored totals documents of the organisation's
 * assessed campaigns — or, with `likeForLike`, over each campaign recomputed from its stored uploads with the latest
 * campaign's referential (its pinned organisation version or the default pack) — and the steering core's `targetValueAt` for the target line. Only the latest campaign of a year counts
 * (the others are listed with `inTrajectory: false`); a campaign assessed with another referential than the latest
 * campaign's is flagged.
 */
import type { z } from 'zod';
import { runTrajectory, summaryDocumentSchema, type TrajectoryOutcome } from '../../app/steering/trajectory.js';
import { assessLoaded } from '../../app/steering/scenario.js';
import { CRITERIA, criterionDef } from '../../referential/codes.js';
import { SteeringError, type SteeringIssue } from '../../steering/errors.js';
import { parseTrajectoryInput, targetValueAt } from '../../steering/trajectory.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { OrganisationTarget } from '../../store/schema.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { refuseRestricted } from './entity-scope.js';
import {
  assessedCampaign,
  auditSteering,
  loadStored,
  withReferentialOf,
  type AssessedCampaign,
} from './steering-load.js';
import type { TargetInput, TargetView, TrajectoryView } from './steering-schemas.js';

type Shape = z.output<typeof TargetView>['shape'];

const targetView = (t: OrganisationTarget): z.output<typeof TargetView> => ({
  organisationId: t.organisation_id,
  criterion: t.criterion,
  baseYear: t.base_year,
  targetYear: t.target_year,
  reduction: t.reduction,
  shape: t.shape as Shape,
  budget: t.budget,
  updatedAt: t.updated_at,
});

/** The body's field names in the steering core's paths (`target.baseline.year` → `baseYear`). */
const FIELD: Readonly<Record<string, string>> = {
  'target.baseline.year': 'baseYear',
  'target.targetYear': 'targetYear',
  'target.reduction': 'reduction',
  'target.shape': 'shape',
  'target.budget': 'budget',
};

/** Checks a target with the steering core's own schema (coded errors naming the body's field) before storing it. */
function checkTarget(t: z.output<typeof TargetInput>): string {
  const def = criterionDef(t.criterion);
  if (def === undefined)
    throw new SteeringError({
      code: 'STR_FIELD',
      path: 'criterion',
      message: `unknown criterion ${t.criterion}`,
      allowed: CRITERIA.map((c) => c.code),
    });
  try {
    parseTrajectoryInput({
      target: {
        baseline: { year: t.baseYear, value: 1 },
        targetYear: t.targetYear,
        reduction: t.reduction,
        shape: t.shape,
        ...(t.budget !== null ? { budget: t.budget } : {}),
      },
      campaigns: [],
    });
  } catch (e) {
    if (!(e instanceof SteeringError)) throw e;
    const rename = (i: SteeringIssue): SteeringIssue => ({ ...i, path: FIELD[i.path] ?? i.path });
    throw new SteeringError(rename(e.issues[0]!), e.issues.map(rename));
  }
  return def.code;
}

export const getTarget = (deps: UseCaseDeps, actor: Actor, input: { organisationId: string }) =>
  deps.store.transaction(async (tx) => {
    authorize(actor, 'campaign:read', input.organisationId);
    refuseRestricted(actor, input.organisationId, 'steering campaign:read');
    const t = await (await scoped(tx, actor)).targets.get(input.organisationId);
    if (t === undefined)
      throw new AppError('APP_NOT_FOUND', { kind: 'target of organisation', id: input.organisationId });
    return targetView(t);
  });

export const putTarget = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string } & z.output<typeof TargetInput>,
) =>
  deps.store.transaction(async (tx) => {
    authorize(actor, 'campaign:write', input.organisationId);
    refuseRestricted(actor, input.organisationId, 'steering campaign:write');
    const criterion = checkTarget(input);
    const s = await scoped(tx, actor);
    const row: OrganisationTarget = {
      organisation_id: input.organisationId,
      criterion,
      base_year: input.baseYear,
      target_year: input.targetYear,
      reduction: input.reduction,
      shape: input.shape,
      budget: input.budget,
      updated_at: deps.clock.nowIso(),
    };
    await s.targets.put(row);
    await auditSteering(
      deps,
      s,
      actor,
      input.organisationId,
      'target.put',
      { type: 'organisation', id: row.organisation_id },
      {
        criterion,
        baseYear: row.base_year,
        targetYear: row.target_year,
        reduction: row.reduction,
        shape: row.shape,
        budget: row.budget,
      },
    );
    return targetView(row);
  });

interface Point {
  readonly a: AssessedCampaign;
  readonly year: number;
  readonly total: number | null;
  readonly unit: string | null;
  readonly referential: { id: string; version: string; hash: string };
  readonly document: unknown;
}

const referentialOf = (doc: unknown): { id: string; version: string; hash: string } => {
  const r = (doc as { meta?: { referential?: { id?: unknown; version?: unknown; hash?: unknown } } }).meta?.referential;
  return { id: String(r?.id ?? ''), version: String(r?.version ?? ''), hash: String(r?.hash ?? '') };
};

export async function getTrajectory(
  deps: UseCaseDeps,
  actor: Actor,
  input: { organisationId: string; likeForLike: 'true' | 'false' },
): Promise<z.output<typeof TrajectoryView>> {
  const likeForLike = input.likeForLike === 'true';
  const { target, assessed } = await deps.store.transaction(async (tx) => {
    authorize(actor, 'campaign:read', input.organisationId);
    refuseRestricted(actor, input.organisationId, 'steering campaign:read');
    const s = await scoped(tx, actor);
    const out: AssessedCampaign[] = [];
    for (const c of await s.campaigns.list(input.organisationId))
      if ((await s.results.get(c.id)) !== undefined) out.push(await assessedCampaign(s, c));
    return { target: await s.targets.get(input.organisationId), assessed: out };
  });
  const criterion = target?.criterion ?? 'CLIMATE_CHANGE';
  // Oldest first; within a day, the campaign created first.
  assessed.sort(
    (x, y) =>
      x.campaign.reference_date.localeCompare(y.campaign.reference_date) ||
      x.campaign.created_at.localeCompare(y.campaign.created_at),
  );
  const points: Point[] = [];
  // Like-for-like: every campaign recomputed with the latest campaign's referential (its pinned version or the
  // default pack), as a comparison recomputes the earlier campaign with the later one's.
  const latest = likeForLike && assessed.length > 0 ? await loadStored(deps, actor, assessed.at(-1)!) : undefined;
  for (const a of assessed) {
    let document: unknown = a.document;
    if (latest !== undefined) {
      const loaded = await loadStored(deps, actor, a);
      const recomputed = withReferentialOf(loaded, a.campaign, latest);
      document =
        recomputed !== undefined ? assessLoaded(recomputed) : (loaded.prepared?.baseline ?? assessLoaded(loaded));
    }
    const parsed = summaryDocumentSchema.parse(document);
    const c = parsed.totals.byCriterion.find((x) => x.criterion === criterion);
    points.push({
      a,
      year: Number(parsed.meta.period.start.slice(0, 4)),
      total: c?.value ?? null,
      unit: c?.unit ?? null,
      referential: referentialOf(a.document),
      document,
    });
  }
  const latestStored = points.at(-1);
  const counted = new Set(
    [...new Map(points.map((p) => [p.year, p])).values()].filter((p) => p.total !== null).map((p) => p.a.campaign.id),
  );
  let outcome: TrajectoryOutcome | undefined;
  let unavailable: string | null = null;
  if (target === undefined) unavailable = 'no target is set for the organisation';
  else {
    try {
      outcome = runTrajectory({
        documents: points
          .filter((p) => counted.has(p.a.campaign.id))
          .map((p) => ({ name: p.a.campaign.id, document: p.document })),
        baselineYear: target.base_year,
        reduction: target.reduction,
        targetYear: target.target_year,
        shape: target.shape as Shape,
        criterion,
        ...(target.budget !== null ? { budget: target.budget } : {}),
      });
    } catch (e) {
      if (!(e instanceof SteeringError)) throw e;
      unavailable = e.message;
    }
  }
  const track = (year: number) => outcome?.campaigns.find((t) => t.year === year);
  const currentReferential = likeForLike && points.length > 0 ? referentialOf(points.at(-1)!.document) : null;
  const latestTrack = outcome?.campaigns.at(-1);
  const f = outcome?.forecast;
  return {
    organisationId: input.organisationId,
    criterion,
    unit: outcome?.unit ?? points.find((p) => p.unit !== null)?.unit ?? null,
    likeForLike,
    referential: currentReferential ?? (latestStored ? latestStored.referential : null),
    campaigns: points.map((p) => {
      const inTrajectory = counted.has(p.a.campaign.id);
      const t = inTrajectory ? track(p.year) : undefined;
      return {
        campaignId: p.a.campaign.id,
        name: p.a.campaign.name,
        referenceDate: p.a.campaign.reference_date,
        year: p.year,
        total: p.total,
        referential: p.referential,
        referentialDiffers: latestStored !== undefined && p.referential.hash !== latestStored.referential.hash,
        inTrajectory,
        target: t?.target ?? null,
        gap: t?.gap ?? null,
        relativeGap: t?.relativeGap ?? null,
        status: t?.status ?? null,
      };
    }),
    target: target === undefined ? null : targetView(target),
    unavailable,
    targetValue: outcome?.targetValue ?? null,
    annualChange: outcome?.annualChange ?? null,
    targetLine:
      outcome === undefined
        ? []
        : Array.from({ length: outcome.target.targetYear - outcome.target.baseline.year + 1 }, (_x, i) => {
            const year = outcome!.target.baseline.year + i;
            return { year, value: targetValueAt(outcome!.target, year)! };
          }),
    latest:
      latestTrack === undefined
        ? null
        : {
            year: latestTrack.year,
            value: latestTrack.value,
            target: latestTrack.target,
            gap: latestTrack.gap,
            status: latestTrack.status,
          },
    forecast:
      f === undefined
        ? null
        : f.available
          ? {
              available: true,
              reason: null,
              slope: f.slope,
              residualSd: f.residualSd,
              studentT: f.studentT,
              confidence: f.confidence,
              reachedYear: f.reachedYear,
              note: f.note,
              points: f.points.map((p) => ({ ...p })),
            }
          : {
              available: false,
              reason: f.reason,
              slope: null,
              residualSd: null,
              studentT: null,
              confidence: null,
              reachedYear: null,
              note: null,
              points: [],
            },
    budget: outcome?.budget ? { ...outcome.budget } : null,
  };
}
