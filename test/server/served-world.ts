/**
 * A server for HTTP tests: a fresh store (SQLite or PostgreSQL), the in-process job queue with the assessment jobs,
 * the small world of world.ts and `buildServer` over them; plus the requests most tests repeat (a campaign, an upload,
 * an assessment waited for).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { registerJobs } from '../../src/server/usecases/assessments.js';
import type { Clock } from '../../src/server/usecases/deps.js';
import * as org from '../../src/server/usecases/organisations.js';
import { freshStore, type FreshStore, type TestDb } from '../store/databases.js';
import { multipartBytes } from './services-world.js';
import { depsFor, makeWorld, multipartFile, unique, type World } from './world.js';

export interface ServedWorld {
  readonly f: FreshStore;
  readonly w: World;
  readonly app: FastifyInstance;
  readonly queue: InProcessQueue;
}

/**
 * A fresh store on `d`, its job queue started, the world made, the server built (not listening: `app.inject`);
 * `clock` replaces the world's fake clock (tests of dated behaviour move it).
 */
export async function serveWorld(d: TestDb, clock?: Clock): Promise<ServedWorld> {
  const f = await freshStore(d);
  const queue = new InProcessQueue();
  const deps = { ...depsFor(f.store, clock), jobs: queue };
  registerJobs(deps, queue);
  await queue.start();
  const w = await makeWorld(deps);
  const app = await buildServer(w.deps, { logger: false });
  return { f, w, app, queue };
}

/** Closes what `serveWorld` opened (nothing when `serveWorld` failed). */
export async function closeServedWorld(s: ServedWorld | undefined): Promise<void> {
  await s?.app.close();
  await s?.queue.stop({ graceful: true });
  await s?.f.dispose();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A campaign of organisation A (by its admin) on the default pack; its name made unique. */
export async function newCampaign(w: World, name: string, referenceDate: string): Promise<string> {
  const c = await org.createCampaign(w.deps, w.a.admin.actor, {
    organisationId: w.orgA,
    name: unique(name),
    referenceDate,
    profile: 'default',
    referentialId: null,
    referentialHash: null,
  });
  return c.id;
}

/**
 * Stores an upload named broken.xlsx in a campaign of organisation A, valid by its report but whose bytes no reader
 * accepts (as if the file were corrupted after its validation): the next assessment of the campaign fails on it.
 */
export async function storeBrokenUpload(w: World, campaignId: string): Promise<void> {
  await w.deps.store.db
    .insertInto('uploads')
    .values({
      id: w.deps.uuid(),
      organisation_id: w.orgA,
      campaign_id: campaignId,
      file_name: 'broken.xlsx',
      mapping: null,
      status: 'valid',
      report: JSON.stringify({ ok: true, read: 0, imported: 0, rejected: 0, warnings: 0, issues: [] }),
      created_at: new Date().toISOString(),
      content: Buffer.from('not a zip'),
      size: 9,
      rejects: null,
    })
    .execute();
}

export interface UploadReply {
  id: string;
  report: { rejected: number; issues: { code: string; severity: string }[] };
}

/** POST …/uploads of one file; it must be accepted (201). */
export async function uploadFile(
  app: FastifyInstance,
  token: string,
  campaignId: string,
  fileName: string,
  content: string,
): Promise<UploadReply> {
  const m = multipartFile(fileName, content);
  const r = await app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/uploads`,
    headers: { ...bearer(token), ...m.headers },
    payload: m.payload,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as UploadReply;
}

/** POST …/organisations/:id/referentials of one file (a zip or one CSV) as a version of `name`: the reply, any status. */
export async function postReferential(
  app: FastifyInstance,
  token: string,
  organisationId: string,
  fileName: string,
  content: Buffer,
  name: string,
): Promise<LightMyRequestResponse> {
  const m = multipartBytes(fileName, content, { name });
  return app.inject({
    method: 'POST',
    url: `/api/v1/organisations/${organisationId}/referentials`,
    headers: { ...bearer(token), ...m.headers },
    payload: m.payload,
  });
}

/** The CSV files of a referential folder, by name in name order: what a zip of the folder holds. */
export function csvFilesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((n) => n.endsWith('.csv'))
      .sort()
      .map((n) => [n, readFileSync(join(dir, n), 'utf8')]),
  );
}

/** A job as `GET /api/v1/jobs/:jobId` returns it. */
export interface JobReply {
  status: string;
  progress: number;
  errors: string[];
  campaignId: string;
}

/** POST …/assessments (202), then the job polled every 25 ms until it ends, at most 20 s: its last state. */
export async function runAssessment(app: FastifyInstance, token: string, campaignId: string): Promise<JobReply> {
  const r = await app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/assessments`,
    headers: bearer(token),
  });
  expect(r.statusCode, r.body).toBe(202);
  const { jobId } = r.json() as { jobId: string };
  const job = async () =>
    (await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: bearer(token) })).json() as JobReply;
  let j = await job();
  for (let i = 0; i < 800 && (j.status === 'queued' || j.status === 'running'); i++) {
    await new Promise((res) => setTimeout(res, 25));
    j = await job();
  }
  return j;
}

/** `runAssessment`, which must end `done`. */
export async function assessAndWait(app: FastifyInstance, token: string, campaignId: string): Promise<void> {
  const j = await runAssessment(app, token, campaignId);
  expect(j.status, JSON.stringify(j)).toBe('done');
}
