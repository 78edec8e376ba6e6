/**
 * GET /api/v1/campaigns/:campaignId/kpis on SQLite and PostgreSQL: 404 before the campaign is assessed; after, the
 * KPIs of the uploaded inventory, worked out by hand below, with the organisation's entity headcounts replacing the
 * inventory's; footprint per collaborator = the stored totals' entity value / headcount.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import { DATABASES } from '../store/databases.js';
import {
  assessAndWait,
  closeServedWorld,
  newCampaign,
  serveWorld,
  uploadFile,
  type ServedWorld,
} from './served-world.js';
import type { World } from './world.js';

// Siège: 6 laptops given away (don) + 2 recycled; Annexe: 3 laptops, one line bought refurbished (dureeUsageAmont).
const PHYSICAL = [
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;nomEntite;finDeVie;dureeUsageAmont',
  'PC-1;;Laptop;6;France;Siège;don;',
  'PC-2;;Laptop;2;France;Siège;recyclage;',
  'PC-3;;Laptop;3;France;Annexe;;2',
].join('\n');
const ENTITIES = 'nomEntite;nbCollaborateurs\nSiège;100\nAnnexe;3\n';

describe.each(DATABASES)('State KPIs over HTTP on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    // The organisation's own headcount for Siège (4) replaces the inventory's 100; Annexe keeps the inventory's 3.
    await org.createEntity(w.deps, w.a.admin.actor, {
      organisationId: w.orgA,
      name: 'Siège',
      parentId: null,
      headcount: 4,
    });
    campaignId = await newCampaign(w, '2025', '2025-06-30');
  });
  afterAll(() => closeServedWorld(served));
  const auth = () => ({ authorization: `Bearer ${w.a.viewer.token}` });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth() });
  const upload = (name: string, content: string) => uploadFile(app, w.a.editor.token, campaignId, name, content);

  it('404 before the campaign is assessed, then the KPIs by hand', async () => {
    await upload('equipements_physiques.csv', PHYSICAL);
    await upload('entites.csv', ENTITIES);
    const before = await get(`/api/v1/campaigns/${campaignId}/kpis`);
    expect(before.statusCode).toBe(404);
    expect(before.json().code).toBe('APP_NOT_FOUND');

    await assessAndWait(app, w.a.editor.token, campaignId);

    const r = await get(`/api/v1/campaigns/${campaignId}/kpis`);
    expect(r.statusCode, r.body).toBe(200);
    const k = r.json();
    // units 6 + 2 + 3 = 11; headcount 4 (organisation's Siège) + 3 (inventory's Annexe) = 7
    expect(k.campaign.units).toBe(11);
    expect(k.campaign.headcount).toBe(7);
    expect(k.campaign.equipmentPerCollaborator).toBeCloseTo(11 / 7, 12);
    // refurbished: PC-3 has a dureeUsageAmont → 3 of 11; end of life: donation 6, recycling 2 → 6/8
    expect(k.campaign.refurbished.share).toBeCloseTo(3 / 11, 12);
    expect(k.campaign.endOfLife.units).toEqual({ reuse: 0, donation: 6, recycling: 2, unknown: 0 });
    expect(k.campaign.endOfLife.reuseOrDonationShare).toBeCloseTo(0.75, 12);
    const siege = k.byEntity.find((e: { entity: string }) => e.entity === 'Siège');
    expect(siege).toMatchObject({ units: 8, headcount: 4, equipmentPerCollaborator: 2 });
    const totals = (await get(`/api/v1/campaigns/${campaignId}/totals`)).json();
    const cc = siege.footprint.find((x: { criterion: string }) => x.criterion === 'CLIMATE_CHANGE');
    expect(cc.perCollaborator).toBeCloseTo(totals.totals.by.entity['Siège'].CLIMATE_CHANGE / 4, 9);
    expect(k.byEntity.find((e: { entity: string }) => e.entity === 'Annexe')).toMatchObject({ units: 3, headcount: 3 });
  });
});
