/**
 * Pre-aggregated breakdowns of a campaign (issue 12 "pre-aggregated tables for every breakdown the dashboard shows";
 * issue 15's overview), written once per assessment into `campaign_aggregates` and read by
 * `GET /campaigns/{id}/breakdowns` without scanning the items.
 *
 * What is stored comes from the assessment job's own pass, never recomputed here: the totals of the run (per criterion
 * and step, per dimension — tier, type, entity, country, kind, datacenter, quality —, electricity, people-equivalent:
 * the engine's Aggregator, F20) and, per criterion, the 20 items of the inventory total with the largest value (the
 * item's values of that criterion summed over its steps, as the Aggregator sums them), collected by `ItemTops` from
 * the items the job writes and merged over its chunks (`mergeTops`).
 *
 * Rows (dimension → key → vals):
 * - `criterion` → criterion → `{order, unit, value, byStep, peopleEquivalent?}`;
 * - `tier` | `type` | `entity` | `country` | `kind` | `datacenter` | `quality` → value → `{criterion: value}`;
 * - `electricity` → `kWh` → `{itKWh, facilityKWh}`;
 * - `top` → criterion → `[{position, name, kind, type, entity, value}]` (largest first);
 * - `uncertaintyFixes` → criterion → the fixes that narrow its F21 range most (./uncertainty.ts), computed once by the
 *   step that finishes the job (assessments.ts), not by the chunks.
 */
import { z } from 'zod';
import type { AssessSummary } from '../../app/sink.js';
import type { Layout } from '../../engine/layout.js';
import { OK, type ItemResult } from '../../engine/result.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { Campaign, Entity } from '../../store/schema.js';
import { campaignFor, readCampaignStored } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { subtreeSummary } from './entity-scope.js';
import { AppError } from './errors.js';

/**
 * The dimension of the row holding the fixes that narrow the climate total's range most (./uncertainty.ts), written by
 * the assessment job's finishing step with the F21 ranges.
 */
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

/**
 * The largest items per criterion among the items offered, in position order (ties: the earlier item first); the
 * assessment job offers each item it writes, so the tops come from the job's own pass. A chunk of a job keeps the
 * tops of its items; `mergeTops` gives the tops of the whole job from the chunks' (exact: the `TOP_ITEMS` largest of
 * the union are among the `TOP_ITEMS` largest of each part).
 */
export class ItemTops {
  readonly #criteria: readonly string[];
  /** Per criterion, the layout's slots of its steps. */
  readonly #slots: number[][];
  readonly #tops: TopItem[][];

  constructor(layout: Layout) {
    this.#criteria = layout.criteria;
    this.#slots = layout.criteria.map((c) => layout.steps.map((s) => layout.slot(s, c)).filter((x) => x >= 0));
    this.#tops = layout.criteria.map((): TopItem[] => []);
  }

  /** Offers the item at `position`: its value per criterion is its values of that criterion summed over its steps. */
  offer(position: number, r: ItemResult): void {
    if (!r.inTotal || r.outOfPeriod !== undefined) return;
    for (let c = 0; c < this.#criteria.length; c++) {
      let value = 0;
      let any = false;
      for (const s of this.#slots[c]!)
        if (r.status[s] === OK) {
          value += r.values[s]!;
          any = true;
        }
      if (!any) continue;
      const list = this.#tops[c]!;
      if (list.length === TOP_ITEMS && list[TOP_ITEMS - 1]!.value >= value) continue;
      let i = list.length;
      while (i > 0 && list[i - 1]!.value < value) i--;
      list.splice(i, 0, {
        position,
        name: r.name,
        kind: r.kind,
        type: r.dims.type ?? null,
        entity: r.entity ?? null,
        value,
      });
      if (list.length > TOP_ITEMS) list.pop();
    }
  }

  /** The tops per criterion (JSON-ready: a chunk's partial aggregates). */
  get(): Record<string, TopItem[]> {
    return Object.fromEntries(this.#criteria.map((c, i) => [c, this.#tops[i]!]));
  }
}

/**
 * The tops of a whole job from its chunks' tops: per criterion, the `TOP_ITEMS` largest values, ties by position (the
 * order `ItemTops` keeps when it sees every item in one pass).
 */
export function mergeTops(
  criteria: readonly string[],
  parts: readonly Readonly<Record<string, readonly TopItem[]>>[],
): Map<string, TopItem[]> {
  return new Map(
    criteria.map((c) => {
      const all = parts.flatMap((p) => p[c] ?? []);
      all.sort((a, b) => b.value - a.value || a.position - b.position);
      return [c, all.slice(0, TOP_ITEMS)] as const;
    }),
  );
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
    scope: z
      .object({ entities: z.array(z.string()) })
      .optional()
      .describe(
        'Present for a member restricted to an entity subtree: the figures are those of the items of these entities alone.',
      ),
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

/** The dimensions the breakdowns route reads. */
const VIEW_DIMENSIONS = ['criterion', 'tier', 'type', 'entity', 'country', 'electricity', 'top'];

/**
 * The campaign's breakdowns for one criterion, from its current aggregate rows. For a member restricted to an entity
 * subtree (the scope says which: src/store/scoped.ts), the same view computed on the subtree's items
 * (src/server/usecases/entity-scope.ts: the engine's totals and the largest items of those items alone), marked with
 * `scope`.
 */
export const getBreakdowns = async (
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & z.output<typeof BreakdownsQuery>,
): Promise<z.output<typeof BreakdownsView>> => {
  const found = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    const entities = await s.entities.list(c.organisation_id);
    const part = s.entityScope(c.organisation_id);
    if (part === null) return { c, entities, rows: await s.aggregates.current(c.id, VIEW_DIMENSIONS) };
    const r = await s.results.get(c.id);
    if (r === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'breakdowns of campaign', id: c.id });
    return { c, entities, part, result: r, stored: await readCampaignStored(s, c) };
  });
  if (found.part === undefined) return breakdownsView(found.c, found.rows, found.entities, input.criterion);
  let tops: ItemTops | undefined;
  const { summary } = await subtreeSummary(found.c, found.stored, new Set(found.part.entities), {
    begin: (layout) => {
      tops = new ItemTops(layout);
    },
    item: (r, position) => tops!.offer(position, r),
  });
  const rows = aggregateRows(summary, new Map(Object.entries(tops!.get())))
    .filter((x) => VIEW_DIMENSIONS.includes(x.dimension))
    .map((x) => ({ ...x, job_id: found.result.job_id, computed_at: found.result.computed_at }));
  return {
    ...breakdownsView(found.c, rows, found.entities, input.criterion),
    scope: { entities: [...found.part.entities] },
  };
};

/** The view of a campaign's aggregate rows (the stored ones, or a subtree's) for one criterion. */
function breakdownsView(
  c: Campaign,
  rows: readonly { dimension: string; key: string; vals: string; job_id: string; computed_at: string }[],
  entities: readonly Entity[],
  criterion: string,
): z.output<typeof BreakdownsView> {
  const input = { criterion };
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
}

interface CriterionVals {
  /** The criterion's place in the run (the CLI's order). */
  readonly order: number;
  readonly unit: string;
  readonly value: number;
  readonly byStep: Readonly<Record<string, number>>;
  readonly peopleEquivalent?: number;
}
