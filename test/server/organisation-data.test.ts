/**
 * An organisation's data as a whole (issue 12, personal data): the export contains all its data and nothing of
 * another's; deletion removes every row of the organisation and leaves the others whole. The archive is read back with
 * Python's zipfile (an independent reader), on SQLite and PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob, startAssessment } from '../../src/server/usecases/assessments.js';
import * as org from '../../src/server/usecases/organisations.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { bearer, closeServedWorld, serveWorld, type ServedWorld } from './served-world.js';
import { DATABASES, type FreshStore } from '../store/databases.js';
import { type World } from './world.js';

const CSV_A =
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\nPC-ALPHA-1;Latitude;Laptop;2;France;2022-01-10\n';
const CSV_B =
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\nPC-BRAVO-9;Latitude;Laptop;3;France;2022-01-10\n';

function unzip(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-org-export-'));
  writeFileSync(join(dir, 'a.zip'), bytes);
  execFileSync('python3', ['-m', 'zipfile', '-e', join(dir, 'a.zip'), join(dir, 'x')]);
  return join(dir, 'x');
}

describe.each(DATABASES)("an organisation's whole data on %s", (d) => {
  let served: ServedWorld | undefined;
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  const campaigns: Record<'a' | 'b', string> = { a: '', b: '' };

  beforeAll(async () => {
    served = await serveWorld(d);
    ({ f, w, app } = served);
    for (const [side, owner, csv] of [
      ['a', w.a.admin.actor, CSV_A],
      ['b', w.bAdmin.actor, CSV_B],
    ] as const) {
      const organisationId = side === 'a' ? w.orgA : w.orgB;
      await org.createEntity(w.deps, owner, { organisationId, name: `Site ${side}`, parentId: null, headcount: 4 });
      const c = await org.createCampaign(w.deps, owner, {
        organisationId,
        name: `Campagne ${side}`,
        referenceDate: '2025-06-30',
        profile: 'default',
        referentialId: null,
        referentialHash: null,
      });
      campaigns[side] = c.id;
      await createUpload(w.deps, owner, {
        campaignId: c.id,
        fileName: `parc-${side}.csv`,
        mapping: null,
        content: Buffer.from(csv),
      });
      const { jobId } = await startAssessment(w.deps, owner, { campaignId: c.id });
      for (let i = 0; i < 400 && (await getJob(w.deps, owner, { jobId })).status !== 'done'; i++)
        await new Promise((res) => setTimeout(res, 25));
      expect((await getJob(w.deps, owner, { jobId })).status).toBe('done');
    }
  });
  afterAll(() => closeServedWorld(served));

  it("exports all of its data and nothing of another's", async () => {
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/organisations/${w.orgA}/export`,
      headers: bearer(w.a.admin.token),
    });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="empreinte-organisation-${w.orgA}.zip"`);
    const dir = unzip(r.rawPayload);
    const files = readdirSync(dir).sort();
    for (const t of ['users.csv', 'entities.csv', 'memberships.csv', 'campaigns.csv', 'audit_log.csv', 'uploads.csv'])
      expect(files).toContain(t);
    expect(files).toContain('result_items.csv');
    const all = files
      .filter((n) => n.endsWith('.csv') || n.endsWith('.json'))
      .map((n) => readFileSync(join(dir, n), 'utf8'))
      .join('\n');
    // Its own rows: entity, campaign, members (the three of organisation A), its item, its raw upload.
    expect(all).toContain('Site a');
    expect(all).toContain('Campagne a');
    expect(all).toContain('PC-ALPHA-1');
    for (const m of [w.a.admin, w.a.editor, w.a.viewer]) expect(all).toContain(m.email);
    const uploads = readdirSync(join(dir, 'uploads'));
    expect(uploads).toHaveLength(1);
    const raw = readFileSync(join(dir, 'uploads', uploads[0]!, 'parc-a.csv'), 'utf8');
    expect(raw).toBe(CSV_A);
    // Nothing of organisation B, nor any password hash.
    for (const other of ['Site b', 'Campagne b', 'PC-BRAVO-9', w.orgB, w.bAdmin.email, campaigns.b])
      expect(all).not.toContain(other);
    expect(all).not.toMatch(/scrypt\$/);
    const meta = JSON.parse(readFileSync(join(dir, 'organisation.json'), 'utf8')) as { tables: Record<string, number> };
    expect(meta.tables).toMatchObject({ users: 3, entities: 1, campaigns: 1, uploads: 1, result_items: 1 });
  });

  it('an editor may not export (403), an admin of another organisation gets 404', async () => {
    const ed = await app.inject({
      method: 'GET',
      url: `/api/v1/organisations/${w.orgA}/export`,
      headers: bearer(w.a.editor.token),
    });
    expect(ed.statusCode).toBe(403);
    const other = await app.inject({
      method: 'GET',
      url: `/api/v1/organisations/${w.orgA}/export`,
      headers: bearer(w.bAdmin.token),
    });
    expect(other.statusCode).toBe(404);
  });

  it('deletion needs the exact name, then removes every row of the organisation and nothing of the other', async () => {
    const wrong = await app.inject({
      method: 'DELETE',
      url: `/api/v1/organisations/${w.orgB}`,
      headers: bearer(w.bAdmin.token),
      payload: { confirm: 'not its name' },
    });
    expect(wrong.statusCode).toBe(422);
    const name = (await org.getOrganisation(w.deps, w.bAdmin.actor, { organisationId: w.orgB })).name;
    const ok = await app.inject({
      method: 'DELETE',
      url: `/api/v1/organisations/${w.orgB}`,
      headers: bearer(w.bAdmin.token),
      payload: { confirm: name },
    });
    expect(ok.statusCode, ok.body).toBe(204);
    const db = f.store.db;
    for (const table of [
      'entities',
      'memberships',
      'campaigns',
      'audit_log',
      'uploads',
      'job_records',
      'result_items',
      'campaign_results',
    ] as const) {
      const left = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organisation_id', '=', w.orgB)
        .executeTakeFirstOrThrow();
      expect(Number(left.n), table).toBe(0);
      const kept = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organisation_id', '=', w.orgA)
        .executeTakeFirstOrThrow();
      if (table !== 'job_records') expect(Number(kept.n), table).toBeGreaterThan(0);
    }
    expect(
      await db.selectFrom('organisations').selectAll().where('id', '=', w.orgB).executeTakeFirst(),
    ).toBeUndefined();
    // Organisation A's totals are still served.
    const totals = await app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaigns.a}/totals`,
      headers: bearer(w.a.viewer.token),
    });
    expect(totals.statusCode).toBe(200);
  });
});
