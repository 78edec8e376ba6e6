/**
 * Pre-aggregated breakdowns of a campaign (issue 12 "pre-aggregated tables for every breakdown the dashboard shows";
 * issue 15's overview), written once per assessment into `campaign_aggregates` and read by
 * `GET /campaigns/{id}/breakdowns` without scanning the items.
 *
 * What is stored comes from the engine, never recomputed here: the totals of the run (per criterion and step, per
 * dimension — tier, type, entity, country, kind, datacenter, quality —, electricity, people-equivalent: the engine's
 * Aggregator, F20) and, per criterion, the 20 items of the inventory total with the largest value (the item's values
 * of that criterion summed over its steps, as the Aggregator sums them). The items come from the same application
 * layer's assess use case over the campaign's stored uploads as the assessment job, so every figure is the job's.
 *
 * Rows (dimension → key → vals):
 * - `criterion` → criterion → `{order, unit, value, byStep, peopleEquivalent?}`;
 * - `tier` | `type` | `entity` | `country` | `kind` | `datacenter` | `quality` → value → `{criterion: value}`;
 * - `electricity` → `kWh` → `{itKWh, facilityKWh}`;
 * - `top` → criterion → `[{position, name, kind, type, entity, value}]` (largest first).
 */
import { z } from 'zod';
import { assess } from '../../app/assess.js';
import type { AssessSink, AssessSummary } from '../../app/sink.js';
import type { CriterionRange } from '../../app/steering/uncertainty.js';
import { Layout } from '../../engine/layout.js';
import { OK, type ItemResult } from '../../engine/result.js';
import type { StepCode } from '../../referential/codes.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { Entity } from '../../store/schema.js';
import { campaignFor, withCampaignInput } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { campaignUncertainty } from './uncertainty.js';

/** The dimension of the row holding the fixes that narrow the climate total's range most (uncertainty.ts). */
export const UNCERTAINTY_FIXES = 'uncertaintyFixes';

/** How many items `top` keeps per criterion. */
export const TOP_ITEMS = 20;

/** The breakdown dimensions stored, as named in the engine's totals (`totals.by`). */
export const BREAKDOWN_DIMENSIONS = ['tier', 'type', 'entity', 'country', 'kind', 'datacenter', 'quality'] as const;

export interface TopItem {
  readonly position: number;
  readonly name: string;
  readonly kind: string;
  readonly type: string | null;
  readonly entity: string | null;
  readonly value: number;
}

/** The job runs on behalf of the campaign's organisation (the queue carries no user). */
const systemActor = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: false,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

/** Keeps the `TOP_ITEMS` largest values per criterion, largest first (ties: the earlier item first). */
function topCollector(criteria: readonly string[]) {
  const tops = criteria.map((): TopItem[] => []);
  return {
    offer(c: number, item: TopItem): void {
      const list = tops[c]!;
      if (list.length === TOP_ITEMS && list[TOP_ITEMS - 1]!.value >= item.value) return;
      let i = list.length;
      while (i > 0 && list[i - 1]!.value < item.value) i--;
      list.splice(i, 0, item);
      if (list.length > TOP_ITEMS) list.pop();
    },
    get: (c: number): readonly TopItem[] => tops[c]!,
  };
}

/** The aggregate rows of one run: its totals (engine) and its largest items per criterion. */
export function aggregateRows(
  summary: AssessSummary,
  tops: ReadonlyMap<string, readonly TopItem[]>,
): { dimension: string; key: string; vals: string }[] {
  const rows: { dimension: string; key: string; vals: string }[] = [];
  const t = summary.totals;
  t.byCriterion.forEach((c, order) =>
    rows.push({
      dimension: 'criterion',
      key: c.criterion,
      vals: JSON.stringify({
        order,
        unit: c.unit,
        value: c.value,
        byStep: c.byStep,
        ...(c.peopleEquivalent !== undefined ? { peopleEquivalent: c.peopleEquivalent } : {}),
      }),
    }),
  );
  for (const d of BREAKDOWN_DIMENSIONS)
    for (const [key, values] of Object.entries(t.by[d] ?? {}))
      rows.push({ dimension: d, key, vals: JSON.stringify(values) });
  rows.push({ dimension: 'electricity', key: 'kWh', vals: JSON.stringify(t.electricity) });
  for (const [criterion, list] of tops) rows.push({ dimension: 'top', key: criterion, vals: JSON.stringify(list) });
  return rows;
}

/**
 * Computes and stores the aggregates of assessment job `jobId` of a campaign. Called by the assessment job once its
 * items are assessed (src/server/usecases/assessments.ts); rows of other jobs are dropped except those of the results
 * still current, so the breakdowns route never mixes two runs. Returns the F21 ranges of the totals (the `uncertainty`
 * of `assess --summary --uncertainty`), which the job stores in the totals document; the fixes that narrow the
 * climate total's range most are stored here (`uncertaintyFixes` → criterion → UncertaintyFixes).
 */
export async function writeAggregates(
  deps: UseCaseDeps,
  p: { readonly jobId: string; readonly organisationId: string; readonly campaignId: string },
  /** The pinned organisation referential's folder, written by the job (undefined: the default pack). */
  referentialDir?: string,
): Promise<{ readonly uncertainty: readonly CriterionRange[] }> {
  const actor = systemActor(p.organisationId);
  const { campaign, files, current } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(p.campaignId);
    if (c === undefined) throw new Error(`campaign ${p.campaignId} is gone`);
    return { campaign: c, files: await s.uploadContents(c.id), current: (await s.results.get(c.id))?.job_id ?? null };
  });
  let summary: AssessSummary | undefined;
  let criteria: readonly string[] = [];
  let slots: number[][] = [];
  let top: ReturnType<typeof topCollector> | undefined;
  let position = 0;
  const sink: AssessSink = {
    rows: true,
    begin: (meta, layout) => {
      const l = layout ?? new Layout(meta.steps as StepCode[], meta.criteria);
      criteria = l.criteria;
      slots = l.criteria.map((c) => l.steps.map((s) => l.slot(s, c)).filter((x) => x >= 0));
      top = topCollector(l.criteria);
    },
    item: (r: ItemResult) => {
      const at = position++;
      if (!r.inTotal || r.outOfPeriod !== undefined) return;
      for (let c = 0; c < criteria.length; c++) {
        let value = 0;
        let any = false;
        for (const s of slots[c]!)
          if (r.status[s] === OK) {
            value += r.values[s]!;
            any = true;
          }
        if (any)
          top!.offer(c, {
            position: at,
            name: r.name,
            kind: r.kind,
            type: r.dims.type ?? null,
            entity: r.entity ?? null,
            value,
          });
      }
    },
    totals: (s) => {
      summary = s;
    },
    close: async () => undefined,
    abort: async () => undefined,
  };
  const pinned = referentialDir !== undefined ? { referentials: [referentialDir] } : {};
  await withCampaignInput(campaign, files, (app, input) => assess(app, { ...input, trace: false }, sink), pinned);
  // F21, always in the server: the calls of `assess --uncertainty` over the same input (./uncertainty.ts).
  const uncertainty = await withCampaignInput(
    campaign,
    files,
    (app, input) => campaignUncertainty(app, input, summary!.meta),
    pinned,
  );
  const tops = new Map(criteria.map((c, i) => [c, top!.get(i)] as const));
  const rows = aggregateRows(summary!, tops);
  if (uncertainty.fixes !== null)
    rows.push({
      dimension: UNCERTAINTY_FIXES,
      key: uncertainty.fixes.criterion,
      vals: JSON.stringify(uncertainty.fixes),
    });
  await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    await s.aggregates.replace(campaign.organisation_id, campaign.id, p.jobId, current, rows);
  });
  return { uncertainty: uncertainty.ranges };
}

// ---------------------------------------------------------------------------------------------------------------
// The breakdowns route
// ---------------------------------------------------------------------------------------------------------------

export const BreakdownsQuery = z.object({
  criterion: z.string().trim().min(1).max(100).default('CLIMATE_CHANGE'),
});

const Share = z.object({ key: z.string(), value: z.number() });
const EntityShare = Share.extend({
  entityId: z.string().nullable().describe("The organisation's entity of that name, when there is one."),
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
});

export const BreakdownsView = z
  .object({
    campaignId: z.string(),
    jobId: z.string(),
    computedAt: z.string(),
    criterion: z.string(),
    unit: z.string(),
    total: z.number(),
    criteria: z.array(z.object({ criterion: z.string(), unit: z.string(), value: z.number() })),
    byTier: z.array(Share),
    byType: z.array(Share),
    byStep: z.array(Share),
    byEntity: z.array(EntityShare),
    byCountry: z.array(Share),
    top: z.array(
      z.object({
        position: z.int(),
        name: z.string(),
        kind: z.string(),
        type: z.string().nullable(),
        entity: z.string().nullable(),
        value: z.number(),
      }),
    ),
    electricityKwh: z.number().describe('Yearly electricity at the equipment (kWh).'),
    electricityFacilityKwh: z.number().describe('Yearly electricity with the datacenters’ PUE (kWh).'),
    headcount: z.int().nullable().describe("Collaborators of the organisation's entities, when known."),
    perCollaborator: z.number().nullable(),
    peopleEquivalent: z.number().nullable(),
  })
  .meta({ id: 'Breakdowns' });

/** The key of the items without a value for a dimension (the engine's own name for an item without an entity). */
const UNKNOWN = 'Unknown';

const byValue = <T extends { value: number; key: string }>(a: T, b: T) =>
  b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Collaborators of the organisation: the headcounts of its entities, each counted once — an entity whose ancestor has
 * a headcount is inside that figure. Null when no entity has one.
 */
export function organisationHeadcount(
  entities: readonly Pick<Entity, 'id' | 'parent_id' | 'headcount'>[],
): number | null {
  const byId = new Map(entities.map((e) => [e.id, e]));
  let sum = 0;
  let known = false;
  for (const e of entities) {
    if (e.headcount === null) continue;
    let p = e.parent_id === null ? undefined : byId.get(e.parent_id);
    let covered = false;
    for (let guard = 0; p !== undefined && guard < entities.length; guard++) {
      if (p.headcount !== null) {
        covered = true;
        break;
      }
      p = p.parent_id === null ? undefined : byId.get(p.parent_id);
    }
    if (covered) continue;
    sum += e.headcount;
    known = true;
  }
  return known ? sum : null;
}

/** The campaign's breakdowns for one criterion, from its current aggregate rows. */
export const getBreakdowns = (
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & z.output<typeof BreakdownsQuery>,
) =>
  deps.store.transaction(async (tx): Promise<z.output<typeof BreakdownsView>> => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    const rows = await s.aggregates.current(c.id, [
      'criterion',
      'tier',
      'type',
      'entity',
      'country',
      'electricity',
      'top',
    ]);
    const r = rows[0];
    if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'breakdowns of campaign', id: c.id });
    const criteria = rows
      .filter((x) => x.dimension === 'criterion')
      .map((x) => ({ criterion: x.key, ...(JSON.parse(x.vals) as CriterionVals) }))
      .sort((a, b) => a.order - b.order);
    const k = criteria.find((x) => x.criterion === input.criterion);
    if (k === undefined)
      throw new AppError('APP_VALIDATION', {
        field: 'criterion',
        value: input.criterion,
        allowed: criteria.map((x) => x.criterion).join(', '),
      });
    // Items without a type or a country are in no key of those dimensions (the engine's totals): their share is
    // shown as `Unknown`, so every breakdown adds up to the total.
    const shares = (dimension: string) => {
      const list = rows
        .filter((x) => x.dimension === dimension)
        .map((x) => ({ key: x.key, value: (JSON.parse(x.vals) as Record<string, number>)[k.criterion] ?? 0 }));
      const rest = k.value - list.reduce((a, x) => a + x.value, 0);
      if (Math.abs(rest) > 1e-9 * Math.max(1, Math.abs(k.value))) {
        const unknown = list.find((x) => x.key === UNKNOWN);
        if (unknown !== undefined) unknown.value += rest;
        else list.push({ key: UNKNOWN, value: rest });
      }
      return list.sort(byValue);
    };
    const entities = await s.entities.list(c.organisation_id);
    const byName = new Map(entities.map((e) => [e.name, e]));
    const byId = new Map(entities.map((e) => [e.id, e]));
    const electricity = JSON.parse(rows.find((x) => x.dimension === 'electricity')?.vals ?? '{}') as {
      itKWh?: number;
      facilityKWh?: number;
    };
    const top = JSON.parse(rows.find((x) => x.dimension === 'top' && x.key === k.criterion)?.vals ?? '[]') as TopItem[];
    const headcount = organisationHeadcount(entities);
    return {
      campaignId: c.id,
      jobId: r.job_id,
      computedAt: r.computed_at,
      criterion: k.criterion,
      unit: k.unit,
      total: k.value,
      criteria: criteria.map((x) => ({ criterion: x.criterion, unit: x.unit, value: x.value })),
      byTier: shares('tier'),
      byType: shares('type'),
      byStep: Object.entries(k.byStep)
        .map(([key, value]) => ({ key, value }))
        .sort(byValue),
      byEntity: shares('entity').map((x) => {
        const e = byName.get(x.key);
        const parent = e?.parent_id ? byId.get(e.parent_id) : undefined;
        return { ...x, entityId: e?.id ?? null, parentId: parent?.id ?? null, parentName: parent?.name ?? null };
      }),
      byCountry: shares('country'),
      top,
      electricityKwh: electricity.itKWh ?? 0,
      electricityFacilityKwh: electricity.facilityKWh ?? 0,
      headcount,
      perCollaborator: headcount !== null && headcount > 0 ? k.value / headcount : null,
      peopleEquivalent: k.peopleEquivalent ?? null,
    };
  });

interface CriterionVals {
  /** The criterion's place in the run (the CLI's order). */
  readonly order: number;
  readonly unit: string;
  readonly value: number;
  readonly byStep: Readonly<Record<string, number>>;
  readonly peopleEquivalent?: number;
}
