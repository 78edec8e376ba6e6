/**
 * What a member restricted to an entity subtree (issue 12: "a site's fleet manager sees only their entities") gets
 * from a campaign's figures. Which items they see is the store's scope (src/store/scoped.ts: `entityScope`, and the
 * items and traces it filters); this module holds what the read-side use cases do with it:
 *
 * - exports and totals run the campaign's assessment again (the application layer's assess use case over the stored
 *   uploads and pinned referential, as the export and the trace do) and keep the subtree's items: the rows written are
 *   theirs, and the totals are the engine's `Aggregator` fed with those items alone. The item values are those of the
 *   whole campaign (an item's figures do not change with who reads them: a VM's host may lie outside the subtree), and
 *   the totals follow the engine's own rules — allocations (hosted VMs, applications) and items outside the period
 *   left out — which the stored wide rows alone cannot tell;
 * - views over the whole organisation (steering, uploads, assessments, data quality) are refused with APP_FORBIDDEN
 *   naming "(a member restricted to an entity)", as the organisation's export and deletion are.
 */
import { assess } from '../../app/assess.js';
import type { AssessSink, AssessSummary } from '../../app/sink.js';
import { Aggregator } from '../../engine/index.js';
import { Layout } from '../../engine/layout.js';
import type { ItemResult } from '../../engine/result.js';
import type { StepCode } from '../../referential/codes.js';
import type { Referential } from '../../referential/model.js';
import type { Actor } from '../../store/scoped.js';
import type { Campaign } from '../../store/schema.js';
import { withCampaignInput, type CampaignStored } from './campaign-run.js';
import { AppError } from './errors.js';

/** The marker of a document computed on a part of the campaign: the entities whose items it covers. */
export interface EntityScopeMark {
  readonly entities: readonly string[];
}

/**
 * Refuses a view over the whole organisation to a member restricted to an entity subtree (APP_FORBIDDEN naming the
 * action); an unrestricted member (or no member: the caller answers not found first) passes.
 */
export function refuseRestricted(actor: Actor, organisationId: string, action: string): void {
  const m = actor.memberships.get(organisationId);
  if (m !== undefined && m.entityId !== null)
    throw new AppError('APP_FORBIDDEN', { action: `${action} (a member restricted to an entity)` });
}

/**
 * Wraps a sink so that it receives only the items of the entities named (items without an entity belong to none) and,
 * as the totals, the engine's aggregation of those items alone (same layout and referential as the run). The other
 * parts of the summary (meta, per-file reports) are the run's.
 */
export function subtreeSink(
  inner: AssessSink,
  entities: ReadonlySet<string>,
  referential: () => Referential,
  /** Called with each item kept and its position among all the run's items (the stored results' position). */
  onItem?: (r: ItemResult, position: number) => void,
): AssessSink {
  let agg: Aggregator | undefined;
  let position = 0;
  return {
    ...inner,
    // Items are filtered by `item` below: not the inner sink's rows rendered by a worker, which would bypass it.
    partRows: undefined,
    // The items are needed whatever the inner sink wants (their indicator rows are built only if it walks them).
    rows: true,
    begin: (meta, layout) => {
      agg = new Aggregator(layout ?? new Layout(meta.steps as StepCode[], meta.criteria), referential());
      return inner.begin(meta, layout);
    },
    item: (r, rows) => {
      const at = position++;
      if (r.entity === undefined || !entities.has(r.entity)) return;
      agg!.add(r);
      onItem?.(r, at);
      return inner.rows ? inner.item?.(r, rows) : undefined;
    },
    totals: (s: AssessSummary) => inner.totals({ ...s, totals: agg!.result() }),
  };
}

/**
 * Runs the campaign's assessment into `sink` wrapped by `subtreeSink` (the referential is the one the run loads).
 * `stored`: the campaign's uploads and pinned version (readCampaignStored).
 */
export function assessSubtree(
  campaign: Pick<Campaign, 'id' | 'profile' | 'reference_date' | 'referential_id'>,
  stored: CampaignStored,
  entities: ReadonlySet<string>,
  sink: AssessSink,
  options: { readonly trace?: boolean; readonly onItem?: (r: ItemResult, position: number) => void } = {},
): Promise<unknown> {
  return withCampaignInput(campaign, stored, (app, input) => {
    let referential: Referential | undefined;
    const deps = {
      ...app,
      loadReferential: async (o: Parameters<typeof app.loadReferential>[0]) => {
        const r = await app.loadReferential(o);
        referential = r.referential;
        return r;
      },
    };
    const wrapped = subtreeSink(sink, entities, () => referential!, options.onItem);
    return assess(deps, { ...input, trace: options.trace ?? false }, wrapped);
  });
}

/** What a caller of `subtreeSummary` is told while the run goes: the layout, then each item kept and its position. */
export interface SubtreeObserver {
  begin?(layout: Layout): void;
  item?(r: ItemResult, position: number): void;
}

/** The subtree's summary (meta, per-file reports, totals of its items), from a run of the campaign's assessment. */
export async function subtreeSummary(
  campaign: Pick<Campaign, 'id' | 'profile' | 'reference_date' | 'referential_id'>,
  stored: CampaignStored,
  entities: ReadonlySet<string>,
  observer: SubtreeObserver = {},
): Promise<{ summary: AssessSummary; layout: Layout }> {
  let summary: AssessSummary | undefined;
  let layout: Layout | undefined;
  const collect: AssessSink = {
    rows: false,
    begin: (meta, l) => {
      layout = l ?? new Layout(meta.steps as StepCode[], meta.criteria);
      observer.begin?.(layout);
    },
    totals: (s) => {
      summary = s;
    },
    close: async () => undefined,
    abort: async () => undefined,
  };
  await assessSubtree(
    campaign,
    stored,
    entities,
    collect,
    observer.item !== undefined ? { onItem: observer.item } : {},
  );
  return { summary: summary!, layout: layout! };
}

/**
 * The totals document of a subtree (the shape of `assess --summary --format json`): the run's meta, the totals of the
 * subtree's items, no per-file reports (a file's report counts the lines of every entity), and `scope` naming the
 * entities covered.
 */
export async function subtreeTotals(p: {
  readonly campaign: Pick<Campaign, 'id' | 'profile' | 'reference_date' | 'referential_id'>;
  readonly stored: CampaignStored;
  readonly part: EntityScopeMark;
}): Promise<Record<string, unknown>> {
  const { summary } = await subtreeSummary(p.campaign, p.stored, new Set(p.part.entities));
  return { meta: summary.meta, inventory: [], totals: summary.totals, scope: { entities: [...p.part.entities] } };
}
