/**
 * The read routes (src/server/routes/read.ts) over HTTP on SQLite and PostgreSQL, on the example inventory uploaded
 * file by file and assessed by a job. Expected figures come from elsewhere: the items route's stored values summed
 * here, the CLI (`assess --summary --format json`, `explain --item --format json`) run in process on the same files,
 * the trace evaluator (src/engine/trace-eval.ts), the embedded pack's manifest read from disk, exceljs for the XLSX.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceDisagreement } from '../../src/engine/trace-eval.js';
import type { Trace } from '../../src/engine/trace.js';
import { buildServer } from '../../src/server/app.js';
import * as org from '../../src/server/usecases/organisations.js';
import type { UncertaintyFixes } from '../../src/server/usecases/uncertainty.js';
import { openStore, type Store } from '../../src/store/open.js';
import {
  assessAndWait,
  closeServedWorld,
  newCampaign,
  serveWorld,
  uploadFile,
  type ServedWorld,
} from './served-world.js';
import { DATABASES, type FreshStore } from '../store/databases.js';
import { depsFor, type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const DIR = 'examples/inventory';
const DATE = '2025-06-30';
/** Kinds that are allocations of their host in the example (F20: not in the inventory total; no cloud VM there). */
const ALLOCATIONS = new Set(['virtual-equipment', 'application']);

interface Item {
  position: number;
  kind: string;
  name: string;
  entity: string | null;
  type: string | null;
  tier: string | null;
  country: string | null;
  values: (number | null)[];
  status: string;
}
interface Page {
  total: number;
  columns: string[];
  items: Item[];
}
interface Share {
  key: string;
  value: number;
}

const cli = (args: string[]): Promise<string> => cliOut(args);

const near = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/** An item's value of a criterion: its stored values of that criterion's columns, summed (null when none). */
function itemValue(page: Page, item: Item, criterion: string): number | null {
  let v: number | null = null;
  page.columns.forEach((c, i) => {
    const x = item.values[i];
    if (c.startsWith(`${criterion} `) && x !== null && x !== undefined) v = (v ?? 0) + x;
  });
  return v;
}
const inTotal = (i: Item) => !ALLOCATIONS.has(i.kind) && !i.status.startsWith('excluded');

describe.each(DATABASES)('read routes on %s', (d) => {
  let served: ServedWorld | undefined;
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  let smallId: string;
  let all: Page;
  let cliInventory: { file: string; rejected: number }[];
  let cliTotals: {
    totals: {
      byCriterion: { criterion: string; value: number; perCollaborator?: number; peopleEquivalent?: number }[];
      electricity: { itKWh: number; facilityKWh: number };
      warnings: Record<string, number>;
      coverage: { notCovered: { indicators: number }; toFix: { byCode: Record<string, { items: number }> } };
      by: Record<string, Record<string, Record<string, number>>>;
    };
    uncertainty: {
      criterion: string;
      range: {
        nominal: number;
        p5: number;
        p95: number;
        variance: number;
        activityVariance: number;
        topFactors: { id: string; share: number }[];
      };
    }[];
  };
  const auth = (token = w.a.viewer.token) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: auth(token) });

  const upload = (id: string, name: string, content: string) => uploadFile(app, w.a.editor.token, id, name, content);
  const assessNow = (id: string) => assessAndWait(app, w.a.editor.token, id);

  beforeAll(async () => {
    served = await serveWorld(d);
    ({ f, w, app } = served);
    // The organisation's hierarchy: the inventory's four entities under one root without a headcount.
    const root = await org.createEntity(w.deps, w.a.admin.actor, {
      organisationId: w.orgA,
      name: 'Mairie',
      parentId: null,
      headcount: null,
    });
    for (const [name, headcount] of [
      ['Administration', 420],
      ['Services techniques', 180],
      ['Écoles', 95],
      ['DSI', 25],
    ] as const)
      await org.createEntity(w.deps, w.a.admin.actor, { organisationId: w.orgA, name, parentId: root.id, headcount });
    campaignId = await newCampaign(w, '2024', DATE);
    for (const name of readdirSync(DIR)
      .filter((n) => n.endsWith('.csv'))
      .sort())
      await upload(campaignId, name, readFileSync(join(DIR, name), 'utf8'));
    await assessNow(campaignId);
    all = (await get(`/api/v1/campaigns/${campaignId}/items?limit=1000`)).json() as Page;
    cliTotals = JSON.parse(
      await cli(['assess', DIR, '--date', DATE, '--summary', '--uncertainty', '--format', 'json']),
    );
    cliInventory = (cliTotals as unknown as { inventory: typeof cliInventory }).inventory;
    // A small campaign: an item named like a formula, a line with an unknown country, one with a negative quantity.
    smallId = await newCampaign(w, 'small', DATE);
    await upload(
      smallId,
      'parc.csv',
      [
        'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat',
        '=HYPERLINK("http://x");Latitude 5420;Laptop;2;France;2022-01-10',
        'PC-2;Latitude 5420;Laptop;1;Atlantis;2022-01-10',
        'PC-3;Latitude 5420;Laptop;-4;France;2022-01-10',
        'PC-4;Latitude 5420;Laptop;1;Neverland;2022-01-10',
      ].join('\n') + '\n',
    );
    await assessNow(smallId);
  }, 240_000);
  afterAll(() => closeServedWorld(served));

  describe('breakdowns', () => {
    it('total = the sum of the items route’s values; every breakdown adds up to it; equal to the CLI', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/breakdowns?criterion=CLIMATE_CHANGE`);
      expect(r.statusCode, r.body).toBe(200);
      const b = r.json();
      const expected = sum(all.items.filter(inTotal).map((i) => itemValue(all, i, 'CLIMATE_CHANGE') ?? 0));
      expect(expected).toBeGreaterThan(1000);
      expect(near(b.total, expected)).toBe(true);
      const cc = cliTotals.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
      expect(near(b.total, cc.value)).toBe(true);
      expect(b.unit).toBe('kg CO2 eq');
      for (const k of ['byTier', 'byType', 'byStep', 'byEntity', 'byCountry'] as const)
        expect(near(sum((b[k] as Share[]).map((x) => x.value)), b.total), k).toBe(true);
      // Per type, from the items.
      for (const t of b.byType as Share[]) {
        const items = all.items.filter((i) => inTotal(i) && (i.type ?? 'Unknown') === t.key);
        expect(near(t.value, sum(items.map((i) => itemValue(all, i, 'CLIMATE_CHANGE') ?? 0))), t.key).toBe(true);
      }
      // Largest first.
      const values = (b.byType as Share[]).map((x) => x.value);
      expect(values).toEqual([...values].sort((x, y) => y - x));
      expect(near(b.electricityKwh, cliTotals.totals.electricity.itKWh)).toBe(true);
      expect(near(b.electricityFacilityKwh, cliTotals.totals.electricity.facilityKWh)).toBe(true);
      expect(near(b.peopleEquivalent, cc.peopleEquivalent!)).toBe(true);
      expect(b.criteria.map((c: { criterion: string }) => c.criterion)).toEqual(
        cliTotals.totals.byCriterion.map((c) => c.criterion),
      );
    });

    it('top: the 20 largest items of the total, as the items route ranks them', async () => {
      const b = (await get(`/api/v1/campaigns/${campaignId}/breakdowns`)).json();
      const ranked = all.items
        .filter(inTotal)
        .map((i) => ({ i, v: itemValue(all, i, 'CLIMATE_CHANGE') }))
        .filter((x) => x.v !== null)
        .sort((a, z) => z.v! - a.v! || a.i.position - z.i.position)
        .slice(0, 20);
      expect(b.top).toHaveLength(ranked.length);
      b.top.forEach((t: { position: number; name: string; value: number; entity: string | null }, n: number) => {
        expect(t.position).toBe(ranked[n]!.i.position);
        expect(t.name).toBe(ranked[n]!.i.name);
        expect(t.entity).toBe(ranked[n]!.i.entity);
        expect(near(t.value, ranked[n]!.v!)).toBe(true);
      });
    });

    it('entities carry their parent; per collaborator = total ÷ the headcounts of the organisation', async () => {
      const b = (await get(`/api/v1/campaigns/${campaignId}/breakdowns`)).json();
      const dsi = b.byEntity.find((e: { key: string }) => e.key === 'DSI');
      expect(dsi).toMatchObject({ parentName: 'Mairie' });
      expect(dsi.entityId).toMatch(/^[0-9a-f-]{36}$/);
      expect(b.headcount).toBe(420 + 180 + 95 + 25);
      expect(near(b.perCollaborator, b.total / 720)).toBe(true);
      // The CLI's figure from entites.csv (the same 720 collaborators).
      const cc = cliTotals.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
      expect(near(b.perCollaborator, cc.perCollaborator!)).toBe(true);
    });

    it('another criterion; an unknown one → 400 listing the criteria', async () => {
      const crit = cliTotals.totals.byCriterion[1]!;
      const b = (await get(`/api/v1/campaigns/${campaignId}/breakdowns?criterion=${crit.criterion}`)).json();
      expect(near(b.total, crit.value)).toBe(true);
      const r = await get(`/api/v1/campaigns/${campaignId}/breakdowns?criterion=NOPE`);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().code).toBe('APP_VALIDATION');
      expect(r.json().details.allowed).toContain('CLIMATE_CHANGE');
    });

    it('a campaign never assessed → 404; a new assessment replaces the rows (one job’s rows only)', async () => {
      const empty = await newCampaign(w, 'empty', DATE);
      expect((await get(`/api/v1/campaigns/${empty}/breakdowns`)).statusCode).toBe(404);
      const first = (await get(`/api/v1/campaigns/${smallId}/breakdowns`)).json();
      await assessNow(smallId);
      await assessNow(smallId);
      const last = (await get(`/api/v1/campaigns/${smallId}/breakdowns`)).json();
      expect(last.jobId).not.toBe(first.jobId);
      expect(last.total).toBe(first.total);
      // Rows of the current job and of the one before it at most (a job writes its rows before its results).
      const jobs = await f.store.db
        .selectFrom('campaign_aggregates')
        .select('job_id')
        .distinct()
        .where('campaign_id', '=', smallId)
        .execute();
      expect(jobs.map((j) => j.job_id)).toContain(last.jobId);
      expect(jobs.map((j) => j.job_id)).not.toContain(first.jobId);
      expect(jobs.length).toBeLessThanOrEqual(2);
    });
  });

  describe('trace', () => {
    it('equals `explain --item --format json` for the item and its formulas give the stored values', async () => {
      const item = all.items.find((i) => i.name === 'SRV-VIRT-01' && i.kind === 'physical-equipment')!;
      const r = await get(`/api/v1/campaigns/${campaignId}/items/${item.position}/trace`);
      expect(r.statusCode, r.body).toBe(200);
      const t = r.json();
      const doc = JSON.parse(
        (await cli(['explain', DIR, '--item', item.name, '--date', DATE, '--format', 'json'])).replaceAll(
          `${DIR}/`,
          '',
        ),
      );
      const match = doc.matches.find((m: { kind: string }) => m.kind === item.kind);
      expect(t.item).toEqual(match);
      expect(t.meta).toEqual(doc.meta);
      let checked = 0;
      for (const ind of t.item.indicators as {
        status: string;
        value: number;
        criterion: string;
        lifecycleStep: string;
        trace: Trace;
      }[]) {
        if (ind.status !== 'OK') continue;
        expect(traceDisagreement(ind.trace, ind.value)).toBeUndefined();
        const col = all.columns.findIndex((c) => c.startsWith(`${ind.criterion} ${ind.lifecycleStep} `));
        expect(near(item.values[col]!, ind.value)).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(2);
    });

    it('an item of a name shared by two kinds: the one at that position', async () => {
      const vm = all.items.find((i) => i.kind === 'virtual-equipment')!;
      const t = (await get(`/api/v1/campaigns/${campaignId}/items/${vm.position}/trace`)).json();
      expect(t.item).toMatchObject({ kind: 'virtual-equipment', item: vm.name, inTotal: false });
    });

    it('a position out of range → 404', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/items/${all.total + 5}/trace`);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('APP_NOT_FOUND');
    });
  });

  describe('export', () => {
    it('CSV wide, French: BOM, `;`, decimal commas, a safe file name; values are the items’ to 4 digits', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/export?format=csv&layout=wide&locale=fr`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(r.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.csv"$/);
      expect(r.body.startsWith('\uFEFF')).toBe(true);
      const lines = r.body.slice(1).trimEnd().split('\n');
      const header = lines[0]!.split(';');
      expect(lines).toHaveLength(all.total + 1);
      const col = header.indexOf('CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)');
      const apiCol = all.columns.indexOf('CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)');
      expect(col).toBeGreaterThan(0);
      let compared = 0;
      lines.slice(1).forEach((line, n) => {
        const cell = line.split(';')[col]!;
        const v = all.items[n]!.values[apiCol];
        if (v === null || v === undefined) return expect(cell).toBe('');
        expect(cell).not.toContain('.');
        expect(Number(cell.replace(',', '.'))).toBe(Number(v.toPrecision(4)));
        compared++;
      });
      expect(compared).toBeGreaterThan(5);
    });

    it('CSV long, English: one row per indicator; a formula-like name is neutralised', async () => {
      const items = (await get(`/api/v1/campaigns/${smallId}/items`)).json() as Page;
      const r = await get(`/api/v1/campaigns/${smallId}/export?format=csv&layout=long&locale=en`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body.startsWith('\uFEFF')).toBe(false);
      const rows = r.body.trimEnd().split('\n').slice(1);
      const computed = items.items.flatMap((i) => i.values.filter((v) => v !== null));
      expect(rows.length).toBeGreaterThanOrEqual(computed.length);
      expect(rows.some((l) => l.includes(`'=HYPERLINK`))).toBe(true);
      expect(rows.some((l) => /(^|;)"?=HYPERLINK/.test(l))).toBe(false);
      const cc = rows.filter((l) => l.includes(';USE;CLIMATE_CHANGE;'));
      expect(cc).toHaveLength(1);
      expect(Number(cc[0]!.split(';')[5])).toBe(
        items.items[0]!.values[items.columns.indexOf('CLIMATE_CHANGE USE (kg CO2 eq)')],
      );
    });

    it('XLSX read back with exceljs: the items sheet has every item and its values', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/export?format=xlsx`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(r.headers['content-disposition']).toMatch(/filename="[A-Za-z0-9._-]+\.xlsx"/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('items')!;
      expect(sheet.rowCount).toBe(all.total + 1);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const col = header.indexOf('CLIMATE_CHANGE USE (kg CO2 eq)') + 1;
      const apiCol = all.columns.indexOf('CLIMATE_CHANGE USE (kg CO2 eq)');
      let compared = 0;
      for (let n = 0; n < all.total; n++) {
        const v = all.items[n]!.values[apiCol];
        const cell = sheet.getRow(n + 2).getCell(col).value;
        expect(sheet.getRow(n + 2).getCell(2).value).toBe(all.items[n]!.name);
        if (v === null || v === undefined) continue;
        expect(cell).toBe(Number(v.toPrecision(4)));
        compared++;
      }
      expect(compared).toBeGreaterThan(5);
    });

    it('a bad format → 400; an empty campaign → a problem, not an empty file', async () => {
      expect((await get(`/api/v1/campaigns/${campaignId}/export?format=pdf`)).statusCode).toBe(400);
      const empty = await newCampaign(w, 'empty-export', DATE);
      const r = await get(`/api/v1/campaigns/${empty}/export`);
      expect(r.statusCode).toBe(422);
      expect(r.json().code).toBe('INP_INVENTORY_EMPTY');
    });
  });

  describe('quality', () => {
    it('rejected lines per upload with their top reasons and the rejects link', async () => {
      const q = (await get(`/api/v1/campaigns/${smallId}/quality`)).json();
      expect(q.assessed).toBe(true);
      expect(q.uploads).toHaveLength(1);
      const u = q.uploads[0];
      expect(u).toMatchObject({ fileName: 'parc.csv', read: 4, imported: 1, rejected: 3 });
      const reasons = Object.fromEntries(u.topReasons.map((x: { code: string; lines: number }) => [x.code, x.lines]));
      expect(reasons).toEqual({ INP_UNKNOWN_LOCATION: 2, INP_NOT_POSITIVE: 1 });
      expect(u.rejectsUrl).toBe(`/api/v1/uploads/${u.uploadId}/rejects`);
      const rejects = await get(u.rejectsUrl);
      expect(rejects.statusCode).toBe(200);
      expect(rejects.body).toContain('Atlantis');
    });

    it('the fixes that narrow the climate total’s range most, from the range of `assess --uncertainty`', async () => {
      const q = (await get(`/api/v1/campaigns/${campaignId}/quality`)).json();
      const fx = q.uncertaintyFixes as UncertaintyFixes;
      const cc = cliTotals.uncertainty.find((u) => u.criterion === 'CLIMATE_CHANGE')!.range;
      expect(fx).toMatchObject({ criterion: 'CLIMATE_CHANGE', nominal: cc.nominal, p5: cc.p5, p95: cc.p95 });
      expect(fx.width).toBe(cc.p95 - cc.p5);
      expect(fx.fixes.length).toBeGreaterThan(3);
      expect(fx.fixes.length).toBeLessThanOrEqual(10);
      const shares = fx.fixes.map((f) => f.share);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      expect(sum(shares)).toBeLessThanOrEqual(1 + 1e-9);
      // A factor's share is its closed-form contribution S_f² Var(M_f) / V, as the range's top factors list it.
      for (const t of cc.topFactors) {
        const f = fx.fixes.find((x) => x.input === t.id);
        expect(f, t.id).toBeDefined();
        expect(near(f!.share, t.share, 1e-6)).toBe(true);
      }
      // The example has no `qualite` column: every item is MEDIUM, whose activity share is V_a / V.
      const act = fx.fixes.filter((f) => f.kind === 'activity');
      expect(act.map((f) => [f.input, f.fix])).toEqual([['activity:MEDIUM', 'MEASURE']]);
      expect(near(act[0]!.share, cc.activityVariance / cc.variance, 1e-6)).toBe(true);
      expect(near(act[0]!.value, cliTotals.totals.by.quality!.UNSPECIFIED!.CLIMATE_CHANGE!)).toBe(true);
      // Items on their type's default item (13 in the example) are found behind the factors they use.
      const fallback = fx.fixes.filter((f) => f.fix === 'GIVE_MODEL');
      expect(fallback.length).toBeGreaterThan(0);
      for (const f of fallback) expect(f.defaultFactorItems).toBeGreaterThan(0);
      expect(sum(fallback.map((f) => f.defaultFactorItems))).toBeLessThanOrEqual(
        cliTotals.totals.warnings.CALC_MODEL_FALLBACK!,
      );
      for (const f of fx.fixes) {
        expect(f.widthIfExact).toBeGreaterThan(0);
        expect(f.items).toBeGreaterThan(0);
        // Sampling noise of 1,000 draws (a few per cent of the width) can hide the narrowing of a small share.
        if (f.share > 0.2) expect(f.widthIfExact).toBeLessThan(fx.width);
      }
    });

    it('default factors, missing consumptions and what the open referential does not cover, as the CLI says', async () => {
      const q = (await get(`/api/v1/campaigns/${campaignId}/quality`)).json();
      const t = cliTotals.totals;
      expect(q.defaultFactor.items).toBe(t.warnings.CALC_MODEL_FALLBACK ?? 0);
      expect(q.missingConsumption.items).toBe(t.coverage.toFix.byCode.CALC_ELECTRICITY_MISSING!.items);
      expect(q.missingConsumption.first.map((x: { item: string }) => x.item)).toContain('TELEPHONES-IP');
      expect(q.notCovered.indicators).toBe(t.coverage.notCovered.indicators);
      expect(sum(q.notCovered.byCriterion.map((c: { indicators: number }) => c.indicators))).toBe(
        q.notCovered.indicators,
      );
      expect(q.notCovered.openReferentialOnly).toBe(true);
      // Read together, the example's files reject nothing (as the CLI says); alone, the applications name unknown VMs.
      expect(q.uploads.map((u: { rejected: number }) => u.rejected)).toEqual(cliInventory.map((x) => x.rejected));
      const apps = q.uploads.find((u: { fileName: string }) => u.fileName === 'applications.csv');
      expect(apps).toMatchObject({ rejected: 0, atUpload: { rejected: 7 }, topReasons: [], rejectsUrl: null });
    });
  });

  describe('items: sort, order, q', () => {
    it('sorted by a value column, descending, missing values last', async () => {
      const col = 'CLIMATE_CHANGE MANUFACTURING';
      const p = (
        await get(`/api/v1/campaigns/${campaignId}/items?sort=${encodeURIComponent(col)}&order=desc&limit=1000`)
      ).json() as Page;
      const i = all.columns.findIndex((c) => c.startsWith(`${col} (`));
      const expected = [...all.items].sort((a, b) => {
        const x = a.values[i] ?? null;
        const y = b.values[i] ?? null;
        if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.position - b.position;
        return y - x || a.position - b.position;
      });
      expect(p.items.map((x) => x.position)).toEqual(expected.map((x) => x.position));
    });

    it('by name ascending, filtered by a name part (case-insensitive), paginated', async () => {
      const p = (await get(`/api/v1/campaigns/${campaignId}/items?q=pc-&sort=name&limit=2&offset=1`)).json() as Page;
      const matching = all.items
        .filter((x) => x.name.toLowerCase().includes('pc-'))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.position - b.position));
      expect(p.total).toBe(matching.length);
      expect(matching.length).toBeGreaterThan(3);
      expect(p.items.map((x) => x.name)).toEqual(matching.slice(1, 3).map((x) => x.name));
      const none = (await get(`/api/v1/campaigns/${campaignId}/items?q=${encodeURIComponent("%'_")}`)).json();
      expect(none.total).toBe(0);
    });

    it('an unknown sort → 400 naming the allowed ones; a page above 1000 → 400', async () => {
      const r = await get(`/api/v1/campaigns/${campaignId}/items?sort=bogus`);
      expect(r.statusCode).toBe(400);
      expect(r.json().details.allowed).toContain('CLIMATE_CHANGE USE');
      expect((await get(`/api/v1/campaigns/${campaignId}/items?limit=5000`)).statusCode).toBe(400);
    });
  });

  it('referentials: the embedded pack with its hash, sources and licences as in its manifest', async () => {
    const r = await get('/api/v1/referentials');
    expect(r.statusCode).toBe(200);
    const manifest = JSON.parse(readFileSync('referential/empreinte-default/manifest.json', 'utf8'));
    const [p] = r.json();
    expect(p).toMatchObject({
      id: 'empreinte-default',
      version: manifest.version,
      contentHash: manifest.contentHash,
      embedded: true,
    });
    expect(p.licences).toEqual(manifest.licences);
    expect(p.sources).toHaveLength(manifest.inputs.length);
    expect(p.files.map((x: { path: string }) => x.path)).toEqual(manifest.files.map((x: { path: string }) => x.path));
  });

  it("another organisation's campaign → 404 on every read route, never 403", async () => {
    const other = w.bAdmin.token;
    for (const path of ['breakdowns', 'items/0/trace', 'export', 'quality']) {
      const r = await get(`/api/v1/campaigns/${campaignId}/${path}`, other);
      expect(r.statusCode, path).toBe(404);
      expect(r.json().code).toBe('APP_NOT_FOUND');
    }
  });
});

describe('the reference page', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    app = await buildServer(depsFor(store), { logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('/api/docs serves Swagger UI from the package (no CDN) and /api/docs/json the OpenAPI document', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const srcs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.some((s) => s.includes('swagger-ui-bundle.js'))).toBe(true);
    expect(srcs.filter((s) => /^(https?:)?\/\//.test(s))).toEqual([]);
    for (const s of srcs.filter((x) => x.endsWith('.js') || x.endsWith('.css'))) {
      const asset = await app.inject({ method: 'GET', url: new URL(s, 'http://x/api/docs/').pathname });
      expect(asset.statusCode, s).toBe(200);
    }
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/campaigns/{campaignId}/breakdowns');
    const body = doc.paths['/api/v1/campaigns/{campaignId}/uploads'].post.requestBody.content['multipart/form-data'];
    expect(body.schema.required).toEqual(['file']);
    expect(body.schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(body.schema.properties.mapping.type).toBe('string');
  });
});
