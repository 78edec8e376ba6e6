/**
 * Campaigns pinned to an organisation referential version in every recomputing view (issues 12 and 13), on SQLite and
 * PostgreSQL. The project's examples/referential is uploaded as version 1 and, with one factor changed (the laptop's
 * manufacturing climate factor, 170 → 200 kg CO2 eq), as version 2. Expected figures come from the CLI run in process
 * on the same files (`assess --summary`, `explain --item`, `compare --before-referential`, each with the versions'
 * folders written to disk here), never from the server:
 * - a campaign pinned to version 2: its trace shows the pinned factor and equals `explain --referential <v2>`; its XLSX
 *   export's totals, its KPIs' footprint and a scenario preview's baseline equal the CLI totals with `--referential`;
 * - compare between stored campaigns of the same inventory: the older one on the default pack (or on version 1), the
 *   newer pinned to version 2 → the whole delta is the reference-data effect, equal to the difference of two CLI runs,
 *   and the effects are those of `compare --before-referential`;
 * - the KPIs of a member restricted to an entity subtree: that subtree's figures, worked out by hand, nothing else.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import { createToken } from '../../src/server/usecases/tokens.js';
import {
  assessAndWait,
  closeServedWorld,
  csvFilesOf,
  newCampaign,
  postReferential,
  serveWorld,
  uploadFile,
  type ServedWorld,
} from './served-world.js';
import { DATABASES } from '../store/databases.js';
import { zipOf } from './services-world.js';
import { PASSWORD, unique, type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const INVENTORY = 'examples/inventory';
/**
 * The example inventory's files both the default pack and the example referential assess (see referentials-org), the
 * physical equipment without its lines of French type names (Ordinateur portable, Serveur…), which the example
 * referential rejects (INP_UNKNOWN_TYPE) and the default pack reads: so every referential reads the same 11 items and
 * a difference between campaigns is the referential's alone.
 */
const INVENTORY_FILES = ['datacenters.csv', 'entites.csv', 'equipements_physiques.csv'];
const FRENCH_TYPES = new Set(['Ordinateur portable', 'Ordinateur fixe', 'Écran', 'Tablette', 'Serveur']);
const physicalLines = readFileSync(join(INVENTORY, 'equipements_physiques.csv'), 'utf8')
  .split('\n')
  .filter((l) => !FRENCH_TYPES.has(l.split(';')[6] ?? ''));
const REFERENTIAL = 'examples/referential';
const DATE = '2025-06-30';
const LAPTOP_FACTOR = /^ademe-laptop;FABRICATION;Climate change;(.*?);170;Item;/m;

interface ByCriterion {
  criterion: string;
  unit: string;
  value: number;
  byStep: Record<string, number>;
}
interface SummaryDoc {
  meta: { referential: { hash: string } };
  totals: { byCriterion: ByCriterion[] };
}

/** The CLI run in process: its stdout (the command's exit code must be 0). */
async function cli(args: string[]): Promise<string> {
  // The CLI names files by their path, the server by the uploaded name: the only difference allowed.
  return (await cliOut(args)).replaceAll(`${inputDir}/`, '');
}

/** The files as the CLI reads them (the physical equipment filtered, written into a temporary folder). */
const inputDir = mkdtempSync(join(tmpdir(), 'empreinte-pinned-inventory-'));
const contents = Object.fromEntries(
  INVENTORY_FILES.map((n) => [
    n,
    n === 'equipements_physiques.csv' ? physicalLines.join('\n') : readFileSync(join(INVENTORY, n), 'utf8'),
  ]),
);
for (const [n, text] of Object.entries(contents)) writeFileSync(join(inputDir, n), text);
const files = INVENTORY_FILES.map((n) => join(inputDir, n));
const cliSummary = async (extra: string[]): Promise<SummaryDoc> =>
  JSON.parse(await cli(['assess', ...files, ...extra, '--date', DATE, '--summary', '--format', 'json'])) as SummaryDoc;

const near = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
/** `a` equals `b` to a relative `rel` (the values shown when not). */
const expectNear = (a: number, b: number, rel = 1e-9) => {
  if (!near(a, b, rel)) expect(a).toBe(b);
};
const valueOf = (d: SummaryDoc, criterion: string) => d.totals.byCriterion.find((c) => c.criterion === criterion)!;

describe.each(DATABASES)('campaigns pinned to an organisation referential on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let v1Dir: string;
  let v2Dir: string;
  let cliDefault: SummaryDoc;
  let cliV1: SummaryDoc;
  let cliV2: SummaryDoc;
  /** Same inventory, same date: on the default pack, pinned to version 1, pinned to version 2. */
  let onDefault: string;
  let onV1: string;
  let onV2: string;

  const auth = (token = w.a.editor.token) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: auth(token) });
  const uploadVersion = async (content: Record<string, string>, name: string) => {
    const r = await postReferential(app, w.a.editor.token, w.orgA, 'referential.zip', await zipOf(content), name);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const campaign = async (name: string, referentialId: string | null, uploads: Record<string, string>) => {
    const id = await newCampaign(w, name, DATE);
    for (const [n, text] of Object.entries(uploads)) await uploadFile(app, w.a.editor.token, id, n, text);
    if (referentialId !== null) {
      const p = await app.inject({
        method: 'PATCH',
        url: `/api/v1/campaigns/${id}`,
        headers: auth(),
        payload: { referentialId },
      });
      expect(p.statusCode, p.body).toBe(200);
    }
    await assessAndWait(app, w.a.editor.token, id);
    return id;
  };

  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);

    const v1Files = csvFilesOf(REFERENTIAL);
    expect(v1Files['facteursCaracterisation.csv']).toMatch(LAPTOP_FACTOR);
    const v2Files = {
      ...v1Files,
      'facteursCaracterisation.csv': v1Files['facteursCaracterisation.csv']!.replace(
        LAPTOP_FACTOR,
        'ademe-laptop;FABRICATION;Climate change;$1;200;Item;',
      ),
    };
    // The versions first: their folders for the CLI are named as the server names them (`referential-<id>`), so the
    // layer names in the traces' provenance are the same.
    const name = unique('ref');
    const v1 = await uploadVersion(v1Files, name);
    const v2 = await uploadVersion(v2Files, name);
    const root = mkdtempSync(join(tmpdir(), 'empreinte-pinned-'));
    v1Dir = join(root, `referential-${v1}`);
    v2Dir = join(root, `referential-${v2}`);
    for (const [dir, content] of [
      [v1Dir, v1Files],
      [v2Dir, v2Files],
    ] as const) {
      mkdirSync(dir);
      for (const [n, text] of Object.entries(content)) writeFileSync(join(dir, n), text);
    }
    cliDefault = await cliSummary([]);
    cliV1 = await cliSummary(['--referential', v1Dir]);
    cliV2 = await cliSummary(['--referential', v2Dir]);
    expect(valueOf(cliV2, 'CLIMATE_CHANGE').value).not.toBe(valueOf(cliV1, 'CLIMATE_CHANGE').value);
    onDefault = await campaign('default', null, contents);
    onV1 = await campaign('v1', v1, contents);
    onV2 = await campaign('v2', v2, contents);
  });
  afterAll(() => closeServedWorld(served));

  it('the stored totals are the CLI totals with --referential (the assessment job already used the pinned version)', async () => {
    expect((await get(`/api/v1/campaigns/${onV2}/totals`)).json().totals).toEqual(cliV2.totals);
    expect((await get(`/api/v1/campaigns/${onDefault}/totals`)).json().totals).toEqual(cliDefault.totals);
  });

  it("an item's trace shows the pinned factor and equals `explain --referential <version 2>`", async () => {
    const items = (await get(`/api/v1/campaigns/${onV2}/items?limit=200`)).json() as {
      items: { position: number; kind: string; name: string }[];
    };
    const item = items.items.find((i) => i.name === 'PC-PORT-TECH' && i.kind === 'physical-equipment')!;
    const r = await get(`/api/v1/campaigns/${onV2}/items/${item.position}/trace`);
    expect(r.statusCode, r.body).toBe(200);
    const t = r.json();
    const doc = JSON.parse(
      await cli(['explain', ...files, '--item', item.name, '--referential', v2Dir, '--date', DATE, '--format', 'json']),
    );
    const match = doc.matches.find((m: { kind: string }) => m.kind === 'physical-equipment');
    expect(t.item).toEqual(match);
    expect(t.meta).toEqual(doc.meta);
    expect(t.meta.referential.hash).toBe(cliV2.meta.referential.hash);
    const manufacturing = (
      t.item.indicators as {
        criterion: string;
        lifecycleStep: string;
        trace: { variables: Record<string, { value: unknown }> };
      }[]
    ).find((i) => i.criterion === 'CLIMATE_CHANGE' && i.lifecycleStep === 'MANUFACTURING')!;
    expect(manufacturing.trace.variables['F']!.value).toBe(200);
    // The same item on the default pack traces another factor: the pin is what changed it.
    const other = (await get(`/api/v1/campaigns/${onV1}/items/${item.position}/trace`)).json();
    const f1 = (
      other.item.indicators as {
        criterion: string;
        lifecycleStep: string;
        trace: { variables: Record<string, { value: unknown }> };
      }[]
    ).find((i) => i.criterion === 'CLIMATE_CHANGE' && i.lifecycleStep === 'MANUFACTURING')!;
    expect(f1.trace.variables['F']!.value).toBe(170);
  });

  it("the XLSX export's totals sheet equals the totals route (the pinned version's figures)", async () => {
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${onV2}/export?format=xlsx`,
      headers: auth(),
    });
    expect(r.statusCode, r.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('totals')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((h, i) => [h, v[i]])));
    });
    const totals = (await get(`/api/v1/campaigns/${onV2}/totals`)).json() as SummaryDoc;
    expect(rows.map((x) => x['criterion'])).toEqual(totals.totals.byCriterion.map((c) => c.criterion));
    for (const c of cliV2.totals.byCriterion) {
      const row = rows.find((x) => x['criterion'] === c.criterion)!;
      // The sheet's numbers are written to 4 significant digits (the CLI's XLSX).
      expect(Number(row['total'])).toBe(Number(c.value.toPrecision(4)));
      for (const [step, v] of Object.entries(c.byStep)) expect(Number(row[step])).toBe(Number(v.toPrecision(4)));
    }
  });

  it("KPIs and a scenario preview use the campaign's pinned version", async () => {
    const k = await get(`/api/v1/campaigns/${onV2}/kpis`);
    expect(k.statusCode, k.body).toBe(200);
    for (const c of cliV2.totals.byCriterion) {
      const fp = (k.json().campaign.footprint as { criterion: string; value: number }[]).find(
        (x) => x.criterion === c.criterion,
      )!;
      expectNear(fp.value, c.value);
    }
    const p = await app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${onV2}/scenarios/preview`,
      headers: auth(),
      payload: { levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] },
    });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().baseline.totals).toEqual(cliV2.totals);
    expect(p.json().baseline.meta.referential.hash).toBe(cliV2.meta.referential.hash);
    const cc = (p.json().delta.byCriterion as { criterion: string; delta: number }[]).find(
      (x) => x.criterion === 'CLIMATE_CHANGE',
    )!;
    expect(cc.delta).toBeLessThan(0);
  });

  interface Decomposed {
    criterion: string;
    change: number;
    referenceData: number;
    effects: { effect: string; value: number }[];
  }
  const compare = async (before: string, after: string) => {
    const r = await get(`/api/v1/campaigns/${before}/compare?with=${after}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { decomposition: Decomposed[]; delta: { byCriterion: { criterion: string; delta: number }[] } };
  };

  it('compare, default pack → pinned version 2, same inventory: the whole delta is the reference-data effect, the difference of two CLI runs', async () => {
    const o = await compare(onDefault, onV2);
    expect(o.decomposition.length).toBeGreaterThan(0);
    for (const c of o.decomposition) {
      const expected = (valueOf(cliV2, c.criterion)?.value ?? 0) - (valueOf(cliDefault, c.criterion)?.value ?? 0);
      expectNear(c.change, expected);
      expectNear(c.referenceData, expected);
      for (const e of c.effects.filter((x) => x.effect !== 'referenceData'))
        expect(Math.abs(e.value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      expectNear(
        c.effects.reduce((a, e) => a + e.value, 0),
        c.change,
      );
    }
    const cc = o.decomposition.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(Math.abs(cc.referenceData)).toBeGreaterThan(1);
  });

  it('compare, version 1 → version 2: the effects of `compare --before-referential <v1> --referential <v2>`', async () => {
    const o = await compare(onV1, onV2);
    const doc = JSON.parse(
      await cli([
        'compare',
        ...files,
        '--with',
        ...files,
        '--before-referential',
        v1Dir,
        '--referential',
        v2Dir,
        '--date',
        DATE,
        '--format',
        'json',
      ]),
    ) as {
      decomposition: { criterion: string; change: number; referenceData: number; effects: Record<string, number> }[];
    };
    expect(o.decomposition.map((c) => c.criterion)).toEqual(doc.decomposition.map((c) => c.criterion));
    for (const c of o.decomposition) {
      const expected = doc.decomposition.find((x) => x.criterion === c.criterion)!;
      expectNear(c.change, expected.change);
      expectNear(c.referenceData, expected.referenceData);
      for (const e of c.effects.filter((x) => x.effect !== 'referenceData'))
        expectNear(e.value, expected.effects[e.effect]!);
      // Same inventory: the change is the two CLI runs' difference, all of it reference data.
      const diff = (valueOf(cliV2, c.criterion)?.value ?? 0) - (valueOf(cliV1, c.criterion)?.value ?? 0);
      expectNear(c.referenceData, diff);
    }
    const cc = o.decomposition.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(cc.referenceData).toBeGreaterThan(0); // 170 → 200 kg per laptop
  });

  it("the trajectory like-for-like recomputes every campaign with the latest campaign's referential", async () => {
    const t = await get(`/api/v1/organisations/${w.orgA}/trajectory?likeForLike=true`);
    expect(t.statusCode, t.body).toBe(200);
    const campaigns = t.json().campaigns as { campaignId: string; total: number }[];
    // The latest campaign (created last, same date) is the one pinned to version 2: all three have its totals.
    for (const id of [onDefault, onV1, onV2])
      expectNear(campaigns.find((c) => c.campaignId === id)!.total, valueOf(cliV2, 'CLIMATE_CHANGE').value);
  });
});

// Nord (10 collaborators) ⊃ Nord-Atelier (2); Sud (5) apart; one line without entity.
const PHYSICAL = [
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;nomEntite;finDeVie;dureeUsageAmont',
  'PC-N;;Laptop;4;France;Nord;don;',
  'PC-NA;;Laptop;1;France;Nord-Atelier;recyclage;2',
  'PC-S;;Laptop;7;France;Sud;don;',
  'PC-X;;Laptop;3;France;;;',
].join('\n');

describe.each(DATABASES)('KPIs of a member restricted to an entity subtree on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  let narrowToken: string;
  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    const entity = (name: string, parentId: string | null, headcount: number) =>
      org.createEntity(w.deps, w.a.admin.actor, { organisationId: w.orgA, name, parentId, headcount });
    const nord = (await entity('Nord', null, 10)).id;
    await entity('Nord-Atelier', nord, 2);
    await entity('Sud', null, 5);
    const email = `${unique('narrow')}@example.org`;
    const m = await org.putMember(
      w.deps,
      w.a.admin.actor,
      { organisationId: w.orgA, email, role: 'viewer', entityId: nord },
      PASSWORD,
    );
    const actor = await w.actorOf(m.userId);
    narrowToken = (await createToken(w.deps, actor, { name: 'narrow', expiresInDays: 30 })).token;
    campaignId = await newCampaign(w, '2025', '2025-06-30');
    await uploadFile(app, w.a.editor.token, campaignId, 'equipements_physiques.csv', PHYSICAL);
    await assessAndWait(app, w.a.editor.token, campaignId);
  });
  afterAll(() => closeServedWorld(served));
  const kpis = (token: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/kpis`,
      headers: { authorization: `Bearer ${token}` },
    });

  it('the subtree only: units, headcount, shares and footprint by hand; nothing of Sud nor of the items without entity', async () => {
    const r = await kpis(narrowToken);
    expect(r.statusCode, r.body).toBe(200);
    const k = r.json();
    // Nord 4 + Nord-Atelier 1 = 5 units; 10 + 2 = 12 collaborators; 1 refurbished unit (dureeUsageAmont);
    // end of life: 4 donation, 1 recycling → reuse or donation 4/5.
    expect(k.campaign.units).toBe(5);
    expect(k.campaign.headcount).toBe(12);
    expect(k.campaign.equipmentPerCollaborator).toBeCloseTo(5 / 12, 12);
    expect(k.campaign.refurbished).toEqual({ units: 1, share: 0.2 });
    expect(k.campaign.endOfLife.units).toEqual({ reuse: 0, donation: 4, recycling: 1, unknown: 0 });
    expect(k.campaign.endOfLife.reuseOrDonationShare).toBeCloseTo(0.8, 12);
    expect(k.byEntity.map((e: { entity: string }) => e.entity)).toEqual(['Nord', 'Nord-Atelier']);
    expect(k.campaign.lifetimeByType.map((t: { type: string; quantity: number }) => [t.type, t.quantity])).toEqual([
      ['Laptop', 5],
    ]);
    expect(k.byEntity[0]).toMatchObject({ units: 4, headcount: 10 });
    expect(k.byEntity[1]).toMatchObject({ units: 1, headcount: 2 });
    expect(k.withoutEntity).toBeNull();
    expect(JSON.stringify(k)).not.toContain('Sud');

    // Footprint: the stored values of the subtree's two items (the items route, read by the unrestricted viewer).
    const page = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/campaigns/${campaignId}/items`,
        headers: { authorization: `Bearer ${w.a.viewer.token}` },
      })
    ).json() as { columns: string[]; items: { name: string; values: (number | null)[] }[] };
    const itemCc = (name: string) => {
      const it = page.items.find((i) => i.name === name)!;
      return page.columns.reduce(
        (a, c, i) => (c.startsWith('CLIMATE_CHANGE ') && it.values[i] != null ? a + it.values[i]! : a),
        0,
      );
    };
    const cc = (k.campaign.footprint as { criterion: string; value: number; perCollaborator: number }[]).find(
      (x) => x.criterion === 'CLIMATE_CHANGE',
    )!;
    const expected = itemCc('PC-N') + itemCc('PC-NA');
    expect(expected).toBeGreaterThan(0);
    expectNear(cc.value, expected);
    expectNear(cc.perCollaborator, expected / 12);
    const nordCc = (k.byEntity[0].footprint as { criterion: string; value: number }[]).find(
      (x) => x.criterion === 'CLIMATE_CHANGE',
    )!;
    expectNear(nordCc.value, itemCc('PC-N'));
  });

  it('an unrestricted member sees the whole campaign (the restriction is the scope, not the route)', async () => {
    const k = (await kpis(w.a.viewer.token)).json();
    expect(k.campaign.units).toBe(15);
    expect(k.campaign.headcount).toBe(17);
    expect(k.byEntity.map((e: { entity: string }) => e.entity)).toEqual(['Nord', 'Nord-Atelier', 'Sud']);
    expect(k.withoutEntity).toMatchObject({ units: 3 });
  });
});
