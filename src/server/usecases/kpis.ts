/**
 * The State reporting KPIs of a campaign (issue 13) for the API: the campaign's stored uploads read by the
 * application layer's KPI use case (`src/app/steering/kpis.ts`, the same computation as `empreinte kpis`), with the
 * run and referential of the campaign's assessment (profile, reference date, pinned version) and the headcounts of
 * the organisation's entities (they replace the inventory's `nbCollaborateurs` for the entities of the same name).
 * Like the totals, the KPIs exist once the campaign has been assessed (404 before).
 */
import { z } from 'zod';
import { kpisOfLoaded } from '../../app/steering/kpis.js';
import { blockOf, type LifetimeSums, type StateKpis } from '../../steering/kpis.js';
import { scoped, type Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';
import { assessedCampaign, loadStored } from './steering-load.js';

const share = z.number().nullable();
const KpiBlock = z
  .object({
    units: z.number(),
    headcount: z.number().nullable(),
    equipmentPerCollaborator: z.number().nullable(),
    footprint: z.array(
      z.object({ criterion: z.string(), unit: z.string(), value: z.number(), perCollaborator: z.number().nullable() }),
    ),
    lifetimeByType: z.array(
      z.object({
        type: z.string(),
        quantity: z.number(),
        retainedYears: z.number(),
        expectedYears: z.number().nullable(),
        gapYears: z.number().nullable(),
      }),
    ),
    refurbished: z.object({ units: z.number(), share }),
    reused: z.object({ units: z.number(), share }),
    endOfLife: z.object({
      units: z.object({ reuse: z.number(), donation: z.number(), recycling: z.number(), unknown: z.number() }),
      reuseOrDonationShare: share,
    }),
  })
  .meta({ id: 'KpiBlock' });

export const KpisView = z
  .object({
    campaign: KpiBlock,
    byEntity: z.array(z.object({ entity: z.string() }).and(KpiBlock)),
    withoutEntity: KpiBlock.nullable(),
  })
  .meta({ id: 'CampaignKpis' });

type Block = StateKpis['campaign'];

/**
 * The block of an entity subtree from the blocks of its entities (computed by the KPI use case over the whole
 * campaign, so each entity's figures are the ones an unrestricted member sees): units, headcounts, footprints,
 * refurbished, reused and end-of-life units add up, and the steering library's `blockOf` takes the ratios again; a
 * type's lifetime sums are rebuilt from each entity's quantity × retained (and expected) years (the units of a type
 * within an entity all have an expected lifetime or none: the referential's global default lifetime).
 */
export function subtreeBlock(blocks: readonly Block[]): Block {
  const sum = (f: (b: Block) => number) => blocks.reduce((a, b) => a + f(b), 0);
  const counted = blocks.filter((b) => b.headcount !== null);
  const footprint = new Map<string, { criterion: string; unit: string; value: number }>();
  for (const b of blocks)
    for (const f of b.footprint) {
      const x = footprint.get(f.criterion) ?? { criterion: f.criterion, unit: f.unit, value: 0 };
      x.value += f.value;
      footprint.set(f.criterion, x);
    }
  const lifetimes = new Map<string, LifetimeSums>();
  for (const b of blocks)
    for (const t of b.lifetimeByType) {
      const x = lifetimes.get(t.type) ?? { q: 0, qL: 0, qE: 0, qExp: 0 };
      x.q += t.quantity;
      x.qL += t.quantity * t.retainedYears;
      if (t.expectedYears !== null) {
        x.qE += t.quantity;
        x.qExp += t.quantity * t.expectedYears;
      }
      lifetimes.set(t.type, x);
    }
  return blockOf({
    units: sum((b) => b.units),
    refurbished: sum((b) => b.refurbished.units),
    reused: sum((b) => b.reused.units),
    endOfLife: {
      reuse: sum((b) => b.endOfLife.units.reuse),
      donation: sum((b) => b.endOfLife.units.donation),
      recycling: sum((b) => b.endOfLife.units.recycling),
      unknown: sum((b) => b.endOfLife.units.unknown),
    },
    lifetimes,
    headcount: counted.length > 0 ? counted.reduce((a, b) => a + b.headcount!, 0) : null,
    footprint: [...footprint.values()],
  });
}

/**
 * The KPIs of the campaign's last assessed inventory, computed with the campaign's referential (its pinned organisation
 * version or the default pack) from the server's cache of loaded campaigns. A member restricted to an entity subtree
 * gets the KPIs of that subtree only: one block per entity of the subtree (the same figures an unrestricted member
 * sees for it) and, as the campaign block, the subtree's; nothing of the other entities nor of the items without an
 * entity.
 */
export async function getKpis(deps: UseCaseDeps, actor: Actor, input: { campaignId: string }): Promise<StateKpis> {
  const { assessed, headcounts, visible } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    if ((await s.results.get(c.id)) === undefined)
      throw new AppError('APP_NOT_FOUND', { kind: 'KPIs of campaign', id: c.id });
    // The entities the caller sees (the whole organisation, or their subtree: the scope decides, src/store/scoped.ts).
    const entities = await s.entities.list(c.organisation_id);
    const counts: Record<string, number> = {};
    for (const e of entities) if (e.headcount !== null) counts[e.name] = e.headcount;
    const restricted = !s.canSeeEntity(c.organisation_id, null);
    return {
      assessed: await assessedCampaign(s, c),
      headcounts: counts,
      visible: restricted ? new Set(entities.map((e) => e.name)) : undefined,
    };
  });
  const k = kpisOfLoaded(await loadStored(deps, actor, assessed), { headcounts });
  if (visible === undefined) return { campaign: k.campaign, byEntity: k.byEntity, withoutEntity: k.withoutEntity };
  const byEntity = k.byEntity.filter((e) => visible.has(e.entity));
  return { campaign: subtreeBlock(byEntity), byEntity, withoutEntity: null };
}
