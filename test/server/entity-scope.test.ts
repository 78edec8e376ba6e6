/**
 * A member restricted to an entity subtree (issue 12) over HTTP on SQLite and PostgreSQL: a campaign with items in
 * entities "Site A" (with its child "Atelier A1") and "Site B" and one item without an entity, and a VM of Site A
 * hosted on Site B's server (an allocation of its host: in no inventory total, F20). An administrator restricted to
 * Site A sees only Site A's and Atelier A1's items, traces, export rows, totals and breakdowns; steering, uploads,
 * jobs and data quality are refused. Expected figures are the unrestricted items route's stored values of those
 * items, summed here (the VM left out as an allocation), never the restricted routes' own output.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import { createToken } from '../../src/server/usecases/tokens.js';
import {
  assessAndWait,
  closeServedWorld,
  newCampaign,
  serveWorld,
  uploadFile,
  type ServedWorld,
} from './served-world.js';
import { DATABASES } from '../store/databases.js';
import { unique, type World } from './world.js';

const DATE = '2025-06-30';
const PHYSICAL = [
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat;nomEntite;consoElecAnnuelle;nbCoeur',
  'PC-A;Latitude 5420;Laptop;3;France;2022-01-10;Site A;;',
  'DESK-A1;OptiPlex 7090;Desktop;2;France;2021-05-01;Atelier A1;;',
  'PC-B;Latitude 5420;Laptop;5;France;2022-01-10;Site B;;',
  'SRV-B;PowerEdge R740;Serveur;1;France;2019-04-01;Site B;2100;32',
  'PC-X;Latitude 5420;Laptop;1;France;2022-01-10;;;',
].join('\n');
const VIRTUAL = [
  'nomEquipementVirtuel;nomEquipementPhysique;vCPU;nomEntite',
  'VM-A;SRV-B;8;Site A',
  'VM-B;SRV-B;8;Site B',
].join('\n');
const MINE = new Set(['Site A', 'Atelier A1']);

interface Item {
  position: number;
  kind: string;
  name: string;
  entity: string | null;
  values: (number | null)[];
  status: string;
}
interface Page {
  total: number;
  columns: string[];
  items: Item[];
}
interface CriterionTotal {
  criterion: string;
  value: number;
  byStep: Record<string, number>;
}

const near = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
/** An item's value of a criterion: its stored values of that criterion's columns, summed. */
const itemValue = (page: Page, item: Item, criterion: string) =>
  page.columns.reduce((a, c, i) => (c.startsWith(`${criterion} `) ? a + (item.values[i] ?? 0) : a), 0);
/** Hosted VMs and applications are allocations of their host, in no inventory total (F20). */
const inTotal = (i: Item) => i.kind === 'physical-equipment' && !i.status.startsWith('excluded');

describe.each(DATABASES)('entity-restricted member on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  let siteToken: string;
  let all: Page;
  const get = (url: string, token: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    const admin = w.a.admin.actor;
    const a = await org.createEntity(w.deps, admin, {
      organisationId: w.orgA,
      name: 'Site A',
      parentId: null,
      headcount: 10,
    });
    await org.createEntity(w.deps, admin, { organisationId: w.orgA, name: 'Atelier A1', parentId: a.id, headcount: 4 });
    await org.createEntity(w.deps, admin, { organisationId: w.orgA, name: 'Site B', parentId: null, headcount: 50 });
    const m = await org.putMember(w.deps, admin, {
      organisationId: w.orgA,
      email: `${unique('site-a')}@example.org`,
      role: 'admin',
      entityId: a.id,
    });
    siteToken = (await createToken(w.deps, await w.actorOf(m.userId), { name: 'site', expiresInDays: 1 })).token;
    campaignId = await newCampaign(w, '2025', DATE);
    await uploadFile(app, w.a.editor.token, campaignId, 'equipements_physiques.csv', PHYSICAL + '\n');
    await uploadFile(app, w.a.editor.token, campaignId, 'equipements_virtuels.csv', VIRTUAL + '\n');
    await assessAndWait(app, w.a.editor.token, campaignId);
    all = (await get(`/api/v1/campaigns/${campaignId}/items?limit=1000`, w.a.viewer.token)).json() as Page;
  }, 240_000);
  afterAll(() => closeServedWorld(served));

  const mine = () => all.items.filter((i) => i.entity !== null && MINE.has(i.entity));

  it('the campaign holds every entity’s items (the unrestricted view)', () => {
    expect(all.items.map((i) => i.name).sort()).toEqual(['DESK-A1', 'PC-A', 'PC-B', 'PC-X', 'SRV-B', 'VM-A', 'VM-B']);
    expect(
      mine()
        .map((i) => i.name)
        .sort(),
    ).toEqual(['DESK-A1', 'PC-A', 'VM-A']);
  });

  describe('items and traces', () => {
    it('the items list and its count hold only the subtree’s items, with filters, sort and paging', async () => {
      const p = (await get(`/api/v1/campaigns/${campaignId}/items`, siteToken)).json() as Page;
      expect(p.total).toBe(3);
      expect(p.items.map((i) => i.name).sort()).toEqual(['DESK-A1', 'PC-A', 'VM-A']);
      expect(p.items).toEqual(mine()); // the same stored rows an unrestricted member reads
      const b = (await get(`/api/v1/campaigns/${campaignId}/items?entity=Site%20B`, siteToken)).json() as Page;
      expect(b.total).toBe(0);
      expect(b.items).toEqual([]);
      const q = (await get(`/api/v1/campaigns/${campaignId}/items?q=pc`, siteToken)).json() as Page;
      expect(q.items.map((i) => i.name)).toEqual(['PC-A']);
      const sorted = (
        await get(`/api/v1/campaigns/${campaignId}/items?sort=name&order=desc&limit=1&offset=1`, siteToken)
      ).json() as Page;
      expect(sorted.total).toBe(3);
      expect(sorted.items.map((i) => i.name)).toEqual(['PC-A']); // VM-A, PC-A, DESK-A1
    });

    it('a trace outside the subtree, or of an item without an entity, is absent (404)', async () => {
      for (const name of ['PC-B', 'PC-X', 'SRV-B']) {
        const pos = all.items.find((i) => i.name === name)!.position;
        const r = await get(`/api/v1/campaigns/${campaignId}/items/${pos}/trace`, siteToken);
        expect(r.statusCode, name).toBe(404);
        expect(r.json().code).toBe('APP_NOT_FOUND');
      }
      const pos = all.items.find((i) => i.name === 'PC-A')!.position;
      const r = await get(`/api/v1/campaigns/${campaignId}/items/${pos}/trace`, siteToken);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().item.item).toBe('PC-A');
    });
  });

  describe('totals and breakdowns', () => {
    it('totals: the subtree’s items summed (VM-A an allocation, out of the total), never Site B’s, marked', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/totals`, siteToken);
      expect(r.statusCode, r.body).toBe(200);
      const doc = r.json() as {
        scope: { entities: string[] };
        inventory: unknown[];
        totals: { byCriterion: CriterionTotal[]; items: Record<string, number>; by: Record<string, object> };
      };
      expect(doc.scope).toEqual({ entities: ['Atelier A1', 'Site A'] });
      expect(doc.inventory).toEqual([]);
      const counted = mine().filter(inTotal);
      expect(counted.map((i) => i.name).sort()).toEqual(['DESK-A1', 'PC-A']);
      expect(doc.totals.byCriterion.length).toBeGreaterThan(2);
      for (const c of doc.totals.byCriterion) {
        const expected = counted.reduce((a, i) => a + itemValue(all, i, c.criterion), 0);
        expect(near(c.value, expected), `${c.criterion}: ${c.value} vs ${expected}`).toBe(true);
        for (const [step, v] of Object.entries(c.byStep)) {
          const col = all.columns.findIndex((x) => x.startsWith(`${c.criterion} ${step}`));
          const e = counted.reduce((a, i) => a + (i.values[col] ?? 0), 0);
          expect(near(v, e), `${c.criterion} ${step}`).toBe(true);
        }
      }
      // Items counted per kind: the subtree's (the VM included: it is an item, outside the total).
      expect(doc.totals.items).toEqual({ 'physical-equipment': 2, 'virtual-equipment': 1 });
      expect(Object.keys(doc.totals.by.entity ?? {}).sort()).toEqual(['Atelier A1', 'Site A']);
      // Not the whole campaign's.
      const whole = (await get(`/api/v1/campaigns/${campaignId}/totals`, w.a.viewer.token)).json();
      expect(whole.scope).toBeUndefined();
      const cc = (t: { totals: { byCriterion: CriterionTotal[] } }) =>
        t.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
      const wholeExpected = all.items.filter(inTotal).reduce((a, i) => a + itemValue(all, i, 'CLIMATE_CHANGE'), 0);
      expect(near(cc(whole), wholeExpected)).toBe(true);
      expect(cc(doc)).toBeLessThan(cc(whole));
    });

    it('breakdowns: the subtree’s total, shares, largest items and headcount, marked', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/breakdowns?criterion=CLIMATE_CHANGE`, siteToken);
      expect(r.statusCode, r.body).toBe(200);
      const b = r.json();
      const counted = mine().filter(inTotal);
      const expected = counted.reduce((a, i) => a + itemValue(all, i, 'CLIMATE_CHANGE'), 0);
      expect(near(b.total, expected)).toBe(true);
      expect(b.scope).toEqual({ entities: ['Atelier A1', 'Site A'] });
      const byEntity = b.byEntity as { key: string; value: number; parentName: string | null }[];
      expect(byEntity.map((x) => x.key).sort()).toEqual(['Atelier A1', 'Site A']);
      const pcA = counted.find((i) => i.name === 'PC-A')!;
      const deskA1 = counted.find((i) => i.name === 'DESK-A1')!;
      expect(near(byEntity.find((x) => x.key === 'Site A')!.value, itemValue(all, pcA, 'CLIMATE_CHANGE'))).toBe(true);
      expect(near(byEntity.find((x) => x.key === 'Atelier A1')!.value, itemValue(all, deskA1, 'CLIMATE_CHANGE'))).toBe(
        true,
      );
      expect(byEntity.find((x) => x.key === 'Atelier A1')!.parentName).toBe('Site A');
      // The largest items: the subtree's, with their positions in the campaign (their traces' address).
      expect(b.top.map((t: { name: string; position: number }) => [t.name, t.position])).toEqual(
        [...counted]
          .sort((x, y) => itemValue(all, y, 'CLIMATE_CHANGE') - itemValue(all, x, 'CLIMATE_CHANGE'))
          .map((i) => [i.name, i.position]),
      );
      // Site A's 10 collaborators include Atelier A1's 4.
      expect(b.headcount).toBe(10);
      expect(near(b.perCollaborator, expected / 10)).toBe(true);
      const whole = (
        await get(`/api/v1/campaigns/${campaignId}/breakdowns?criterion=CLIMATE_CHANGE`, w.a.viewer.token)
      ).json();
      expect(whole.scope).toBeUndefined();
      expect(whole.byEntity.map((x: { key: string }) => x.key)).toContain('Site B');
    });
  });

  describe('exports', () => {
    it('CSV: the subtree’s rows alone (default locale: `;`)', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/export?format=csv`, siteToken);
      expect(r.statusCode, r.body).toBe(200);
      const lines = r.body.trim().split('\n');
      const names = lines.slice(1).map((l) => l.split(';')[1]);
      expect(names.sort()).toEqual(['DESK-A1', 'PC-A', 'VM-A']);
      expect(r.body).not.toContain('Site B');
    });

    it('XLSX: the subtree’s items, and the totals sheet of those items', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/export?format=xlsx`, siteToken);
      expect(r.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const items = wb.getWorksheet('items')!;
      const names: string[] = [];
      items.eachRow((row, n) => {
        if (n > 1) names.push(String(row.getCell(2).value));
      });
      expect(names.sort()).toEqual(['DESK-A1', 'PC-A', 'VM-A']);
      const totals = wb.getWorksheet('totals')!;
      const header = (totals.getRow(1).values as unknown[]).map(String);
      let climate: unknown[] | undefined;
      totals.eachRow((row) => {
        if (row.getCell(1).value === 'CLIMATE_CHANGE') climate = row.values as unknown[];
      });
      expect(climate, header.join('|')).toBeDefined();
      const counted = mine().filter(inTotal);
      const expected = counted.reduce((a, i) => a + itemValue(all, i, 'CLIMATE_CHANGE'), 0);
      // The sheet's values are rounded to 4 significant digits: one of its cells is the subtree's total.
      const cells = climate!.filter((v): v is number => typeof v === 'number');
      expect(
        cells.some((v) => near(v, expected, 1e-3)),
        `${cells.join(', ')} vs ${expected}`,
      ).toBe(true);
      const breakdowns = wb.getWorksheet('breakdowns')!;
      let siteB = false;
      breakdowns.eachRow((row) => {
        if (row.getCell(2).value === 'Site B') siteB = true;
      });
      expect(siteB).toBe(false);
    });
  });

  describe('views over the whole organisation are refused', () => {
    it.each([
      ['steering compare', (id: string) => `/api/v1/campaigns/${id}/compare?with=${id}`],
      ['scenarios', (id: string) => `/api/v1/campaigns/${id}/scenarios`],
      ['uploads', (id: string) => `/api/v1/campaigns/${id}/uploads`],
      ['quality', (id: string) => `/api/v1/campaigns/${id}/quality`],
      ['trajectory', () => `/api/v1/organisations/${w.orgA}/trajectory`],
      ['actions', () => `/api/v1/organisations/${w.orgA}/actions`],
    ])('%s → 403 naming the restriction', async (_what, url) => {
      const r = await get(url(campaignId), siteToken);
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().code).toBe('APP_FORBIDDEN');
      expect(r.json().detail).toContain('(a member restricted to an entity)');
      // An unrestricted viewer of the organisation is not refused.
      expect((await get(url(campaignId), w.a.viewer.token)).statusCode).not.toBe(403);
    });

    it('starting an assessment → 403', async () => {
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/campaigns/${campaignId}/assessments`,
        headers: { authorization: `Bearer ${siteToken}` },
      });
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().detail).toContain('(a member restricted to an entity)');
    });
  });
});
