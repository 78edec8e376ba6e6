/**
 * Assessments as jobs over HTTP: the example inventory uploaded file by file, assessed by a job, gives the totals
 * document of `empreinte assess examples/inventory --summary --uncertainty --format json` (the CLI path, run here); items are stored
 * wide and filterable; a failed job leaves the previous totals in place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import {
  closeServedWorld,
  newCampaign,
  runAssessment,
  serveWorld,
  storeBrokenUpload,
  uploadFile,
  type ServedWorld,
} from './served-world.js';
import { DATABASES } from '../store/databases.js';
import { type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const DIR = 'examples/inventory';
const DATE = '2025-06-30';

interface SummaryDoc {
  meta: Record<string, unknown>;
  uncertainty: { criterion: string; unit: string; range: { nominal: number; p5: number; p95: number } }[];
  inventory: { file: string; read: number; imported: number; rejected: number }[];
  totals: Record<string, unknown>;
}

/** `empreinte assess examples/inventory --summary --uncertainty --format json` (it writes to stdout only). */
async function cliSummary(): Promise<SummaryDoc> {
  const out = await cliOut(['assess', DIR, '--date', DATE, '--summary', '--uncertainty', '--format', 'json']);
  return JSON.parse(out) as SummaryDoc;
}

const byFile = (inv: SummaryDoc['inventory']) => Object.fromEntries(inv.map((f) => [f.file, f]));

describe.each(DATABASES)('assessments on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  let cli: SummaryDoc;
  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    campaignId = await newCampaign(w, '2024', DATE);
    cli = await cliSummary();
  });
  afterAll(() => closeServedWorld(served));
  const auth = () => ({ authorization: `Bearer ${w.a.editor.token}` });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth() });
  const assessNow = () => runAssessment(app, w.a.editor.token, campaignId);

  it('API totals for the example inventory uploaded file by file equal `assess --summary --uncertainty --format json`', async () => {
    for (const name of readdirSync(DIR)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      await uploadFile(app, w.a.editor.token, campaignId, name, readFileSync(join(DIR, name), 'utf8'));
    }
    const job = await assessNow();
    expect(job).toMatchObject({ status: 'done', progress: 1, errors: [], campaignId });
    const api = (await get(`/api/v1/campaigns/${campaignId}/totals`)).json() as SummaryDoc;
    // The CLI names files by their path, the server by the uploaded name: the only difference allowed.
    const named = JSON.parse(JSON.stringify(cli).replaceAll(`${DIR}/`, '')) as SummaryDoc;
    expect(api.totals).toEqual(named.totals);
    expect(api.meta).toEqual(named.meta);
    expect(byFile(api.inventory)).toEqual(byFile(named.inventory));
    // F21, always in the server: the ranges of `assess --summary --uncertainty` (same seed, same draws), to the bit.
    expect(api.uncertainty).toEqual(named.uncertainty);
    expect(Object.keys(api).sort()).toEqual(['inventory', 'meta', 'totals', 'uncertainty']);
    const climate = named.uncertainty.find((u) => u.criterion === 'CLIMATE_CHANGE')!;
    expect(climate.range.p5).toBeLessThan(climate.range.nominal);
    expect(climate.range.p95).toBeGreaterThan(climate.range.p5);
    expect(named.inventory.reduce((n, x) => n + x.imported, 0)).toBeGreaterThan(30);
  });

  it('stores the items wide, paginated and filterable by type, entity and tier', async () => {
    const all = (await get(`/api/v1/campaigns/${campaignId}/items?limit=1000`)).json();
    expect(all.columns[0]).toMatch(/^CLIMATE_CHANGE /);
    expect(all.items.length).toBe(all.total);
    for (const it of all.items) expect(it.values).toHaveLength(all.columns.length);
    const laptops = all.items.filter((i: { type: string | null }) => i.type === all.items[0].type);
    const page = (
      await get(`/api/v1/campaigns/${campaignId}/items?type=${encodeURIComponent(all.items[0].type)}&limit=1&offset=0`)
    ).json();
    expect(page.total).toBe(laptops.length);
    expect(page.items).toEqual([laptops[0]]);
    const entity = all.items.find((i: { entity: string | null }) => i.entity !== null).entity as string;
    const byEntity = (
      await get(`/api/v1/campaigns/${campaignId}/items?entity=${encodeURIComponent(entity)}&limit=1000`)
    ).json();
    expect(byEntity.items).toEqual(all.items.filter((i: { entity: string | null }) => i.entity === entity));
    const tier = all.items.find((i: { tier: string | null }) => i.tier !== null)?.tier as string | undefined;
    if (tier !== undefined) {
      const byTier = (
        await get(`/api/v1/campaigns/${campaignId}/items?tier=${encodeURIComponent(tier)}&limit=1000`)
      ).json();
      expect(byTier.total).toBe(all.items.filter((i: { tier: string | null }) => i.tier === tier).length);
    }
  });

  it('a failed job leaves the previous totals and items in place', async () => {
    const before = (await get(`/api/v1/campaigns/${campaignId}/totals`)).json();
    const itemsBefore = (await get(`/api/v1/campaigns/${campaignId}/items?limit=1000`)).json();
    // A stored upload whose bytes no reader accepts (as if the file were corrupted after its validation).
    await storeBrokenUpload(w, campaignId);
    const job = await assessNow();
    expect(job.status).toBe('failed');
    expect(job.errors[0]).toMatch(/broken\.xlsx/);
    expect((await get(`/api/v1/campaigns/${campaignId}/totals`)).json()).toEqual(before);
    expect((await get(`/api/v1/campaigns/${campaignId}/items?limit=1000`)).json()).toEqual(itemsBefore);
  });

  it('a locked campaign refuses an assessment (409); each start is audited; a viewer cannot start one', async () => {
    await org.setCampaignLock(w.deps, w.a.admin.actor, { campaignId, locked: true });
    const r = await app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/assessments`, headers: auth() });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('APP_CAMPAIGN_LOCKED');
    await org.setCampaignLock(w.deps, w.a.admin.actor, { campaignId, locked: false });
    const v = await app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/assessments`,
      headers: { authorization: `Bearer ${w.a.viewer.token}` },
    });
    expect(v.statusCode).toBe(403);
    const audit = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 100 });
    expect(audit.filter((a) => a.action === 'campaign.assess' && a.targetId === campaignId)).toHaveLength(2);
  });
});
