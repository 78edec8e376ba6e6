/**
 * Personal data (issue 12): an organisation's settings (read by members, set by its administrators) and the retention
 * purge, with a fake clock, on SQLite and PostgreSQL. A purged upload keeps its report and the campaign its results,
 * its raw bytes are gone, the purge is audited, and re-assessing the campaign fails with APP_UPLOAD_PURGED.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob, getTotals, startAssessment } from '../../src/server/usecases/assessments.js';
import * as org from '../../src/server/usecases/organisations.js';
import { getSettings, updateSettings } from '../../src/server/usecases/personal-data.js';
import { purgeExpiredUploads, scheduleRetentionPurge } from '../../src/server/usecases/retention.js';
import { createUpload, getUpload } from '../../src/server/usecases/uploads.js';
import type { Actor } from '../../src/store/scoped.js';
import { bearer, closeServedWorld, serveWorld, type ServedWorld } from './served-world.js';
import { DATABASES, type FreshStore } from '../store/databases.js';
import { FakeClock, type World } from './world.js';

const DAY = 24 * 3600_000;
const csv = (name: string) =>
  `nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\n${name};Latitude;Laptop;2;France;2022-01-10\n`;

describe.each(DATABASES)('personal-data settings and retention on %s', (d) => {
  let served: ServedWorld | undefined;
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  const clock = new FakeClock();

  beforeAll(async () => {
    served = await serveWorld(d, clock);
    ({ f, w, app } = served);
  });
  afterAll(() => closeServedWorld(served));

  const campaign = (actor: Actor, organisationId: string, name: string) =>
    org.createCampaign(w.deps, actor, {
      organisationId,
      name,
      referenceDate: '2025-06-30',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
  const upload = (actor: Actor, campaignId: string, fileName: string, content: string) =>
    createUpload(w.deps, actor, { campaignId, fileName, mapping: null, content: Buffer.from(content) });
  const assess = async (actor: Actor, campaignId: string) => {
    const { jobId } = await startAssessment(w.deps, actor, { campaignId });
    for (let i = 0; i < 400; i++) {
      const j = await getJob(w.deps, actor, { jobId });
      if (j.status === 'done' || j.status === 'failed') return j;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error('assessment did not finish');
  };
  const contents = () =>
    f.store.transaction((tx) => tx.selectFrom('uploads').select(['id', 'content']).orderBy('id').execute());
  const hasBytes = async (id: string) => {
    const r = (await contents()).find((u) => u.id === id);
    return r !== undefined && r.content !== null;
  };

  it('settings: members read the defaults, an administrator sets them (audited), others are refused', async () => {
    const url = `/api/v1/organisations/${w.orgA}/settings`;
    const get = await app.inject({ method: 'GET', url, headers: bearer(w.a.viewer.token) });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ personalData: 'drop', retentionDays: null });
    const ed = await app.inject({
      method: 'PATCH',
      url,
      headers: bearer(w.a.editor.token),
      payload: { retentionDays: 5 },
    });
    expect(ed.statusCode).toBe(403);
    const other = await app.inject({
      method: 'PATCH',
      url,
      headers: bearer(w.bAdmin.token),
      payload: { retentionDays: 5 },
    });
    expect(other.statusCode).toBe(404);
    for (const bad of [{ retentionDays: 0 }, { retentionDays: 1.5 }, { personalData: 'keep' }, { other: 1 }]) {
      const r = await app.inject({ method: 'PATCH', url, headers: bearer(w.a.admin.token), payload: bad });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const ok = await app.inject({
      method: 'PATCH',
      url,
      headers: bearer(w.a.admin.token),
      payload: { retentionDays: 30 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ personalData: 'drop', retentionDays: 30 });
    const again = await app.inject({ method: 'GET', url, headers: bearer(w.a.editor.token) });
    expect(again.json()).toEqual({ personalData: 'drop', retentionDays: 30 });
    const log = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 10 });
    const entry = log.find((e) => e.action === 'organisation.settings');
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).toContain('"retentionDays":30');
  });

  it('an administrator restricted to an entity subtree may read the settings but not set them (403)', async () => {
    const e = await org.createEntity(w.deps, w.a.admin.actor, {
      organisationId: w.orgA,
      name: 'Site restreint',
      parentId: null,
      headcount: 1,
    });
    const restricted: Actor = {
      userId: w.a.admin.id,
      platformAdmin: false,
      memberships: new Map([[w.orgA, { role: 'admin', entityId: e.id }]]),
    };
    expect(await getSettings(w.deps, restricted, { organisationId: w.orgA })).toMatchObject({ personalData: 'drop' });
    await expect(
      updateSettings(w.deps, restricted, { organisationId: w.orgA, retentionDays: 1 }),
    ).rejects.toMatchObject({ code: 'APP_FORBIDDEN' });
    expect((await getSettings(w.deps, w.a.admin.actor, { organisationId: w.orgA })).retentionDays).not.toBe(1);
  });

  it('the purge clears old raw files only, keeps reports and results, audits, and blocks re-assessment', async () => {
    const admin = w.a.admin.actor;
    const c = await campaign(admin, w.orgA, 'Retention A');
    const old = await upload(admin, c.id, 'old.csv', csv('PC-OLD-1'));
    clock.ms += 20 * DAY;
    const recent = await upload(admin, c.id, 'recent.csv', csv('PC-NEW-1'));
    const job = await assess(admin, c.id);
    expect(job.status).toBe('done');
    const totalsBefore = await getTotals(w.deps, admin, { campaignId: c.id });
    // Organisation B has no retention period: its upload, as old, stays.
    const cb = await campaign(w.bAdmin.actor, w.orgB, 'Retention B');
    const bUpload = await upload(w.bAdmin.actor, cb.id, 'b.csv', csv('PC-B-1'));

    clock.ms += 15 * DAY; // `old` is 35 days old, `recent` 15: only `old` is past 30 days
    const purged = await purgeExpiredUploads(w.deps);
    const mine = purged.filter((o) => o.organisationId === w.orgA);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.uploads.map((u) => [u.id, u.fileName])).toEqual([[old.id, 'old.csv']]);
    expect(mine[0]!.retentionDays).toBe(30);
    expect(purged.some((o) => o.organisationId === w.orgB)).toBe(false);
    expect(await hasBytes(old.id)).toBe(false);
    expect(await hasBytes(recent.id)).toBe(true);
    expect(await hasBytes(bUpload.id)).toBe(true);

    // The report stays, and the campaign's results are unchanged.
    const kept = await getUpload(w.deps, admin, { uploadId: old.id });
    expect(kept.report.imported).toBe(1);
    expect(kept.fileName).toBe('old.csv');
    expect(await getTotals(w.deps, admin, { campaignId: c.id })).toEqual(totalsBefore);

    // Audited once for the organisation, naming the upload (never its content).
    const log = await org.listAudit(w.deps, admin, { organisationId: w.orgA, limit: 50 });
    const entries = log.filter((e) => e.action === 'upload.purge');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).toContain(old.id);
    expect(JSON.stringify(entries[0])).not.toContain(recent.id);
    expect(JSON.stringify(entries[0])).not.toContain('PC-OLD-1');

    // A second run finds nothing more to purge.
    expect((await purgeExpiredUploads(w.deps)).filter((o) => o.organisationId === w.orgA)).toEqual([]);

    // Re-assessing fails, coded and explained; the last results stay.
    const failed = await assess(admin, c.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors).toHaveLength(1);
    // The last attempt's error, wrapped by the job (JOB_ATTEMPTS_EXHAUSTED … last error: APP_UPLOAD_PURGED: …).
    expect(failed.errors[0]).toMatch(
      new RegExp(
        `^JOB_ATTEMPTS_EXHAUSTED .*last error: APP_UPLOAD_PURGED: Upload ${old.id} \\(old\\.csv\\) was purged`,
      ),
    );
    expect(await getTotals(w.deps, admin, { campaignId: c.id })).toEqual(totalsBefore);
  });

  it("the server's schedule purges at start and again at each interval, until stopped", async () => {
    const admin = w.a.admin.actor;
    const c = await campaign(admin, w.orgA, 'Retention schedule');
    const first = await upload(admin, c.id, 'first.csv', csv('PC-S-1'));
    clock.ms += 31 * DAY;
    const runs: string[][] = [];
    const schedule = scheduleRetentionPurge(w.deps, {
      intervalMs: 40,
      onPurged: (r) => runs.push(r.flatMap((o) => o.uploads.map((u) => u.id))),
    });
    await schedule.firstRun;
    expect(runs[0]).toContain(first.id); // (with the previous test's `recent`, now past 30 days too)
    expect(await hasBytes(first.id)).toBe(false);
    const second = await upload(admin, c.id, 'second.csv', csv('PC-S-2'));
    clock.ms += 31 * DAY;
    for (let i = 0; i < 200 && !runs.some((r) => r.includes(second.id)); i++)
      await new Promise((res) => setTimeout(res, 10));
    expect(runs.some((r) => r.includes(second.id))).toBe(true);
    await schedule.stop(); // resolves once the run under way, if any, has finished
    const count = runs.length;
    const third = await upload(admin, c.id, 'third.csv', csv('PC-S-3'));
    clock.ms += 31 * DAY;
    await new Promise((res) => setTimeout(res, 150));
    expect(runs.length).toBe(count);
    expect(await hasBytes(third.id)).toBe(true);
  });
});
