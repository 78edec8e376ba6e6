/**
 * The State reporting KPIs of a campaign (issue 13) for the API: the campaign's stored uploads read by the
 * application layer's KPI use case (`src/app/steering/kpis.ts`, the same computation as `empreinte kpis`), with the
 * run of the campaign's assessment (profile, reference date) and the headcounts of the organisation's entities
 * (they replace the inventory's `nbCollaborateurs` for the entities of the same name). Like the totals, the KPIs exist
 * once the campaign has been assessed (404 before).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { standardDeps } from '../../app/deps.js';
import { campaignKpis } from '../../app/steering/kpis.js';
import type { StateKpis } from '../../steering/kpis.js';
import { scoped, type Actor } from '../../store/scoped.js';
import { campaignRun, campaignSources, pinnedNotSupported } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';
import { authorize } from './grants.js';

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

/** The KPIs of the campaign's last assessed inventory. */
export async function getKpis(deps: UseCaseDeps, actor: Actor, input: { campaignId: string }): Promise<StateKpis> {
  const { campaign, files, headcounts } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await s.campaigns.get(input.campaignId);
    if (c === undefined) throw new AppError('APP_NOT_FOUND', { kind: 'campaign', id: input.campaignId });
    authorize(actor, 'campaign:read', c.organisation_id, 'campaign');
    if ((await s.results.get(c.id)) === undefined)
      throw new AppError('APP_NOT_FOUND', { kind: 'KPIs of campaign', id: c.id });
    const counts: Record<string, number> = {};
    for (const e of await s.entities.list(c.organisation_id)) if (e.headcount !== null) counts[e.name] = e.headcount;
    return { campaign: c, files: await s.uploadContents(c.id), headcounts: counts };
  });
  // The uploads and run as the assessment job reads them (campaign-run.ts).
  if (campaign.referential_id !== null) throw pinnedNotSupported(campaign.id);
  const sources = campaignSources(files);
  const run = campaignRun(campaign);
  const work = await mkdtemp(join(tmpdir(), 'empreinte-kpis-'));
  try {
    const k = await campaignKpis(
      { ...standardDeps(() => campaign.reference_date), spoolDir: work },
      { sources, run },
      { headcounts },
    );
    return { campaign: k.campaign, byEntity: k.byEntity, withoutEntity: k.withoutEntity };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
