/**
 * Referential versions per organisation (issue 12) over HTTP: the project's examples/referential folder uploaded as a
 * zip; a campaign on the example inventory pinned to it gives the totals of the CLI run
 * `assess examples/inventory --referential examples/referential --summary --format json` (run here, independently);
 * unpinned, the CLI default totals. A file with no usable row is refused naming file, line and column; another
 * organisation's version is 404; a locked campaign refuses the pin; two versions diff like `referential diff`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
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
import { unique, type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const INVENTORY = 'examples/inventory';
/**
 * The example inventory's files that the example referential can assess: with it, the CLI rejects every line of
 * equipements_virtuels.csv and applications.csv (INP_ALL_LINES_REJECTED, exit 2), so both runs use these three.
 */
const INVENTORY_FILES = ['datacenters.csv', 'entites.csv', 'equipements_physiques.csv'];
const REFERENTIAL = 'examples/referential';
const DATE = '2025-06-30';

interface SummaryDoc {
  meta: { referential: { hash: string } } & Record<string, unknown>;
  totals: Record<string, unknown>;
}

async function cliSummary(extra: string[]): Promise<SummaryDoc> {
  const out = join(await mkdtemp(join(tmpdir(), 'empreinte-cli-')), 'out.json');
  const files = INVENTORY_FILES.map((n) => join(INVENTORY, n));
  await cliOut(['assess', ...files, ...extra, '--date', DATE, '--summary', '--format', 'json', '--out', out]);
  // The CLI names files by their path, the server by the uploaded name: the only difference allowed.
  return JSON.parse((await readFile(out, 'utf8')).replaceAll(`${INVENTORY}/`, '')) as SummaryDoc;
}

describe.each(DATABASES)('organisation referentials on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let cliDefault: SummaryDoc;
  let cliWithRef: SummaryDoc;
  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    cliDefault = await cliSummary([]);
    cliWithRef = await cliSummary(['--referential', REFERENTIAL]);
  });
  afterAll(() => closeServedWorld(served));

  const auth = (token = w.a.editor.token) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: auth(token) });
  const upload = (orgId: string, fileName: string, content: Buffer, name: string, token = w.a.editor.token) =>
    postReferential(app, token, orgId, fileName, content, name);
  const patch = (campaignId: string, body: object, token?: string) =>
    app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${campaignId}`, headers: auth(token), payload: body });
  const assessNow = (campaignId: string) => assessAndWait(app, w.a.editor.token, campaignId);

  it('stores the example referential uploaded as a zip, versions per name, lists and diffs them', async () => {
    const name = unique('ref');
    const files = csvFilesOf(REFERENTIAL);
    const v1 = await upload(w.orgA, 'referential.zip', await zipOf(files), name);
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ name, version: 1, kind: 'csv', organisationId: w.orgA });
    expect(v1.json().files).toEqual(Object.keys(files));
    expect(v1.json().rows).toBeGreaterThan(10);
    // A second upload of the name, one hypothesis changed: version 2, another hash, a diff of exactly that value.
    const changed = files['hypotheses.csv']!.replace(/^PUEParDefaut;1\.75;/m, 'PUEParDefaut;1.6;');
    expect(changed).not.toBe(files['hypotheses.csv']);
    const v2 = await upload(w.orgA, 'referential.zip', await zipOf({ ...files, 'hypotheses.csv': changed }), name);
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, rows: v1.json().rows });
    expect(v2.json().contentHash).not.toBe(v1.json().contentHash);
    const list = (await get(`/api/v1/organisations/${w.orgA}/referentials`, w.a.viewer.token)).json();
    expect(list.filter((v: { name: string }) => v.name === name).map((v: { version: number }) => v.version)).toEqual([
      1, 2,
    ]);
    const one = await get(`/api/v1/referentials/org/${v1.json().id}`, w.a.viewer.token);
    expect(one.json()).toEqual(v1.json());
    const diff = (await get(`/api/v1/referentials/org/${v1.json().id}/diff?with=${v2.json().id}`)).json();
    expect(diff.entries).toEqual([
      { kind: 'changed', table: 'hypotheses', key: 'PUEParDefaut', before: '1.75', after: '1.6' },
    ]);
    const audit = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 100 });
    expect(audit.filter((a) => a.action === 'referential.upload' && a.targetId === v2.json().id)).toHaveLength(1);
  });

  it('a campaign pinned to the uploaded example referential gives the CLI totals with --referential; unpinned, the default ones', async () => {
    const v = await upload(w.orgA, 'referential.zip', await zipOf(csvFilesOf(REFERENTIAL)), unique('example'));
    expect(v.statusCode, v.body).toBe(201);
    const campaignId = await newCampaign(w, '2024', DATE);
    for (const name of INVENTORY_FILES) {
      await uploadFile(app, w.a.editor.token, campaignId, name, readFileSync(join(INVENTORY, name), 'utf8'));
    }
    expect(cliWithRef.totals).not.toEqual(cliDefault.totals);
    const pinned = await patch(campaignId, { referentialId: v.json().id });
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json().referentialId).toBe(v.json().id);
    await assessNow(campaignId);
    const withRef = (await get(`/api/v1/campaigns/${campaignId}/totals`)).json() as SummaryDoc;
    expect(withRef.totals).toEqual(cliWithRef.totals);
    expect(withRef.meta.referential.hash).toBe(cliWithRef.meta.referential.hash);
    const c = (await get(`/api/v1/campaigns/${campaignId}`)).json();
    expect(c.referentialHash).toBe(cliWithRef.meta.referential.hash);

    // Recompute with the default pack: the CLI default totals, the delta = default − with-referential, per criterion;
    // the campaign's own (signed) result is left as it was.
    const rc = await app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/recompute`,
      headers: auth(),
      payload: { referentialId: null },
    });
    expect(rc.statusCode, rc.body).toBe(202);
    const jobId = rc.json().jobId as string;
    let rec = (await get(`/api/v1/campaigns/${campaignId}/recompute/${jobId}`)).json();
    for (let i = 0; i < 800 && (rec.status === 'queued' || rec.status === 'running'); i++) {
      await new Promise((res) => setTimeout(res, 25));
      rec = (await get(`/api/v1/campaigns/${campaignId}/recompute/${jobId}`)).json();
    }
    expect(rec.status, JSON.stringify(rec.errors)).toBe('done');
    expect(rec.result.before.totals).toEqual(cliWithRef.totals);
    expect(rec.result.after.totals).toEqual(cliDefault.totals);
    expect(rec.result.referentialHash).toBe(cliDefault.meta.referential.hash);
    const crit = (doc: SummaryDoc) =>
      Object.fromEntries(
        (doc.totals as unknown as { byCriterion: { criterion: string; value: number }[] }).byCriterion.map((c) => [
          c.criterion,
          c.value,
        ]),
      );
    const withRefByCriterion = crit(cliWithRef);
    const defaultByCriterion = crit(cliDefault);
    const deltas = rec.result.delta.byCriterion as { criterion: string; delta: number }[];
    expect(deltas.map((x) => x.criterion).sort()).toEqual(Object.keys(defaultByCriterion).sort());
    for (const x of deltas)
      expect(x.delta).toBeCloseTo((defaultByCriterion[x.criterion] ?? 0) - (withRefByCriterion[x.criterion] ?? 0), 9);
    expect(deltas.some((x) => x.delta !== 0)).toBe(true);
    expect((await get(`/api/v1/campaigns/${campaignId}/totals`)).json().totals).toEqual(cliWithRef.totals);
    const audit = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 100 });
    expect(audit.filter((a) => a.action === 'campaign.recompute' && a.targetId === campaignId)).toHaveLength(1);

    expect((await patch(campaignId, { referentialId: null })).statusCode).toBe(200);
    await assessNow(campaignId);
    const byDefault = (await get(`/api/v1/campaigns/${campaignId}/totals`)).json() as SummaryDoc;
    expect(byDefault.totals).toEqual(cliDefault.totals);
    expect((await get(`/api/v1/campaigns/${campaignId}`)).json().referentialHash).toBe(
      cliDefault.meta.referential.hash,
    );
  });

  it('refused rows are listed in the version, the usable ones kept', async () => {
    const files = csvFilesOf(REFERENTIAL);
    const facteurs = `${files['facteursCaracterisation.csv']!.trimEnd()}\nademe-extra;FABRICATION;Climate change;x;;;;;;-5;Item;test\n`;
    const line = facteurs.trimEnd().split('\n').length;
    const r = await upload(
      w.orgA,
      'ref.zip',
      await zipOf({ ...files, 'facteursCaracterisation.csv': facteurs }),
      'neg',
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().refusedCount).toBe(1);
    expect(r.json().refused[0]).toMatchObject({
      code: 'REF_NEGATIVE_VALUE',
      file: 'ref.zip:facteursCaracterisation.csv',
      line,
    });
  });

  it('a file with no usable row is refused, naming the file, line and column', async () => {
    const header = readFileSync(join(REFERENTIAL, 'facteursCaracterisation.csv'), 'utf8').split('\n')[0]!;
    const bad = `${header}\nademe-laptop;FABRICATION;Climate change;x;;;;;;not-a-number;Item;test\n`;
    const r = await upload(w.orgA, 'facteurs.zip', await zipOf({ 'facteursCaracterisation.csv': bad }), 'bad');
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().code).toBe('APP_REFERENTIAL_REFUSED');
    expect(r.json().details).toMatchObject({
      file: 'facteurs.zip:facteursCaracterisation.csv',
      line: 2,
      column: 'valeur',
      code: 'REF_BAD_NUMBER',
      refused: 1,
    });
    expect(r.json().detail).toMatch(/facteurs\.zip:facteursCaracterisation\.csv line 2 column valeur/);
    const csv = await upload(w.orgA, 'facteursCaracterisation.csv', Buffer.from(bad), 'bad');
    expect(csv.statusCode).toBe(422);
    expect(csv.json().details).toMatchObject({ file: 'facteursCaracterisation.csv', line: 2, column: 'valeur' });
    const other = await upload(w.orgA, 'notes.txt', Buffer.from('hello'), 'bad');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('APP_INVALID');
  });

  it("another organisation's version is 404 to read, diff and pin; a viewer cannot upload", async () => {
    const theirs = await upload(
      w.orgB,
      'hypotheses.csv',
      Buffer.from(readFileSync(join(REFERENTIAL, 'hypotheses.csv'))),
      'b',
      w.bAdmin.token,
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    const id = theirs.json().id as string;
    expect((await get(`/api/v1/referentials/org/${id}`)).statusCode).toBe(404);
    const ours = await upload(
      w.orgA,
      'hypotheses.csv',
      Buffer.from(readFileSync(join(REFERENTIAL, 'hypotheses.csv'))),
      'a',
    );
    expect((await get(`/api/v1/referentials/org/${ours.json().id}/diff?with=${id}`)).statusCode).toBe(404);
    const campaignId = await newCampaign(w, '2024', DATE);
    const r = await patch(campaignId, { referentialId: id });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('APP_NOT_FOUND');
    expect((await get(`/api/v1/campaigns/${campaignId}`)).json().referentialId).toBeNull();
    const viewer = await upload(
      w.orgA,
      'hypotheses.csv',
      Buffer.from('code;valeur\nPUEParDefaut;1.5\n'),
      'v',
      w.a.viewer.token,
    );
    expect(viewer.statusCode).toBe(403);
  });

  it('a locked campaign refuses the pin and the recomputation', async () => {
    const v = await upload(
      w.orgA,
      'hypotheses.csv',
      Buffer.from(readFileSync(join(REFERENTIAL, 'hypotheses.csv'))),
      'lk',
    );
    const campaignId = await newCampaign(w, '2024', DATE);
    await org.setCampaignLock(w.deps, w.a.admin.actor, { campaignId, locked: true });
    const r = await patch(campaignId, { referentialId: v.json().id });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('APP_CAMPAIGN_LOCKED');
    const rc = await app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/recompute`,
      headers: auth(),
      payload: { referentialId: v.json().id },
    });
    expect(rc.statusCode).toBe(409);
    expect(rc.json().code).toBe('APP_CAMPAIGN_LOCKED');
    expect((await get(`/api/v1/campaigns/${campaignId}`)).json().referentialId).toBeNull();
  });
});
