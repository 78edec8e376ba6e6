/**
 * An item's full trace, recomputed on demand: the application layer's explain use case (src/app/explain.ts, what
 * `empreinte explain --item <name>` runs) over the campaign's stored uploads, run request and referential (its pinned
 * organisation version, as `explain --referential <folder>`). The item is named by its position in the campaign's
 * stored results; among the items of that name, the one read at the same place (kind, file, line) is answered. Indicators are the JSON rows of `explain --format json` (errors as code + English message).
 */
import { z } from 'zod';
import { explainItem } from '../../app/explain.js';
import { jsonRow } from '../../app/sinks/json.js';
import { scoped, type Actor } from '../../store/scoped.js';
import { campaignFor, readCampaignStored, withCampaignInput } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { AppError } from './errors.js';

export const TraceParams = z.object({
  campaignId: z.uuid(),
  position: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
});

export const TraceView = z
  .object({
    campaignId: z.string(),
    position: z.int(),
    meta: z.record(z.string(), z.unknown()).describe('The run: profile, reference date, period, referential.'),
    item: z.object({
      kind: z.string(),
      item: z.string(),
      entity: z.string().optional(),
      quantity: z.number(),
      inTotal: z.boolean(),
      file: z.string().optional(),
      line: z.number().optional(),
      indicators: z
        .array(z.record(z.string(), z.unknown()))
        .describe('Every indicator with its full trace: formula, variables with origin, source and licence.'),
    }),
  })
  .meta({ id: 'ItemTrace' });

export const getItemTrace = async (
  deps: UseCaseDeps,
  actor: Actor,
  input: z.output<typeof TraceParams>,
): Promise<z.output<typeof TraceView>> => {
  const { campaign, files, stored } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    const item = await s.results.item(c.id, input.position);
    if (item === undefined)
      throw new AppError('APP_NOT_FOUND', { kind: 'item', id: `${c.id}/items/${input.position}` });
    return { campaign: c, files: await readCampaignStored(s, c), stored: item };
  });
  const e = await withCampaignInput(campaign, files, (app, assessInput) =>
    explainItem(app, { ...assessInput, item: stored.name }),
  );
  const match =
    e.matches.find(
      (m) => m.kind === stored.kind && (m.file ?? null) === stored.file && (m.line ?? null) === stored.line,
    ) ?? (e.matches.length === 1 ? e.matches[0] : undefined);
  if (match === undefined)
    throw new AppError('APP_NOT_FOUND', { kind: 'item', id: `${campaign.id}/items/${input.position}` });
  const { indicators, ...rest } = match;
  return {
    campaignId: campaign.id,
    position: input.position,
    meta: e.meta as unknown as Record<string, unknown>,
    item: { ...rest, indicators: indicators.map((r) => JSON.parse(jsonRow(r)) as Record<string, unknown>) },
  };
};
