/**
 * Steering over the API, on SQLite and PostgreSQL: compare, target and trajectory, scenarios, the action plan.
 *
 * Two worlds: the demo organisation (src/server/demo.ts: campaign 2024 = examples/inventory at 2024-12-31, campaign
 * 2025 = examples/demo-2025 at 2025-12-31), and organisation A of the test world holding the same two inventories at
 * one reference date (2025-12-31) so that `empreinte compare` / `empreinte scenario` (one `--date` for both sides) run
 * on exactly what the server stored. Expected values come from the CLI run here, or are computed by hand below from
 * the stored totals (GET …/totals), never from the route under test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildServer } from '../../src/server/app.js';
import { seedDemo } from '../../src/server/demo.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { getJob, registerJobs, startAssessment } from '../../src/server/usecases/assessments.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import type { UseCaseDeps } from '../../src/server/usecases/deps.js';
import * as org from '../../src/server/usecases/organisations.js';
import { steeringCaches } from '../../src/server/usecases/steering-load.js';
import { createToken } from '../../src/server/usecases/tokens.js';
import type { Actor } from '../../src/store/scoped.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, PASSWORD, unique, type World } from './world.js';
import { cliOut } from '../helpers/cli.js';

const CC = 'CLIMATE_CHANGE';
const DATE = '2025-12-31';
const SCENARIO_FILE = 'examples/scenarios/laptops-longer.yaml';

interface Criterion {
  criterion: string;
  value: number;
}
interface Doc {
  meta: Record<string, unknown>;
  inventory: { file: string }[];
  totals: { byCriterion: Criterion[] } & Record<string, unknown>;
}

async function cli(args: string[]): Promise<unknown> {
  return JSON.parse(await cliOut(args)) as unknown;
}

/** The CLI names files by their path, the server by the uploaded name: the one difference allowed. */
const unpath = <T>(x: T): T =>
  JSON.parse(JSON.stringify(x).replaceAll('examples/inventory/', '').replaceAll('examples/demo-2025/', '')) as T;
const total = (d: Doc, c = CC) => d.totals.byCriterion.find((x) => x.criterion === c)!.value;
const close = (a: number, b: number, rel = 1e-9) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe.each(DATABASES)('steering over the API on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let deps: UseCaseDeps;
  let app: FastifyInstance;
  let queue: InProcessQueue;
  let demo: { organisationId: string; y2024: string; y2025: string; editor: string; viewer: string };
  let a: { before: string; after: string };
  let cliCompare: Record<string, unknown>;
  let cliScenario: Record<string, unknown>;

  const waitJob = async (actor: Actor, jobId: string) => {
    for (let i = 0; i < 800 && (await getJob(deps, actor, { jobId })).status !== 'done'; i++)
      await new Promise((res) => setTimeout(res, 25));
    expect((await getJob(deps, actor, { jobId })).status).toBe('done');
  };
  const campaignOf = async (actor: Actor, organisationId: string, name: string, dir: string) => {
    const c = await org.createCampaign(deps, actor, {
      organisationId,
      name,
      referenceDate: DATE,
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    for (const file of readdirSync(dir)
      .filter((n) => n.endsWith('.csv'))
      .sort())
      await createUpload(deps, actor, {
        campaignId: c.id,
        fileName: file,
        mapping: null,
        content: readFileSync(join(dir, file)),
      });
    await waitJob(actor, (await startAssessment(deps, actor, { campaignId: c.id })).jobId);
    return c.id;
  };

  beforeAll(async () => {
    f = await freshStore(d);
    queue = new InProcessQueue();
    deps = { ...depsFor(f.store), jobs: queue, steering: steeringCaches() };
    registerJobs(deps, queue);
    await queue.start();
    // The demo first (it seeds only an empty database), then the test world.
    const seeded = (await seedDemo(deps))!;
    const sys: Actor = {
      userId: null,
      platformAdmin: true,
      memberships: new Map([[seeded.organisationId, { role: 'admin', entityId: null }]]),
    };
    for (const c of seeded.campaigns) await waitJob(sys, c.jobId);
    const tokenOf = async (role: 'editor' | 'viewer') => {
      const m = await org.putMember(
        deps,
        sys,
        { organisationId: seeded.organisationId, email: `${unique(role)}@demo.local`, role, entityId: null },
        PASSWORD,
      );
      const actor = (await w.actorOf(m.userId))!;
      return (await createToken(deps, actor, { name: 't', expiresInDays: 1 })).token;
    };
    w = await makeWorld(deps);
    demo = {
      organisationId: seeded.organisationId,
      y2024: seeded.campaigns.find((c) => c.name === '2024')!.id,
      y2025: seeded.campaigns.find((c) => c.name === '2025')!.id,
      editor: await tokenOf('editor'),
      viewer: await tokenOf('viewer'),
    };
    a = {
      before: await campaignOf(w.a.admin.actor, w.orgA, unique('before'), 'examples/inventory'),
      after: await campaignOf(w.a.admin.actor, w.orgA, unique('after'), 'examples/demo-2025'),
    };
    app = await buildServer(deps, { logger: false });
    cliCompare = (await cli([
      'compare',
      'examples/inventory',
      '--with',
      'examples/demo-2025',
      '--date',
      DATE,
      '--format',
      'json',
    ])) as Record<string, unknown>;
    cliScenario = (await cli([
      'scenario',
      'examples/inventory',
      '--scenario',
      SCENARIO_FILE,
      '--date',
      DATE,
      '--format',
      'json',
    ])) as Record<string, unknown>;
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await queue?.stop({ graceful: true });
    await f?.dispose();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token = w.a.editor.token) => app.inject({ method: 'GET', url, headers: bearer(token) });
  const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, token = w.a.editor.token) =>
    app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload } : {}) });
  const totalsOf = async (campaignId: string, token: string) =>
    (await get(`/api/v1/campaigns/${campaignId}/totals`, token)).json() as Doc;

  describe('compare', () => {
    it('demo 2024 → 2025: effects sum to the delta (1e-9), delta = after − before of the stored totals', async () => {
      const r = await get(`/api/v1/campaigns/${demo.y2024}/compare?with=${demo.y2025}`, demo.viewer);
      expect(r.statusCode, r.body).toBe(200);
      const c = r.json();
      const stored = {
        before: await totalsOf(demo.y2024, demo.viewer),
        after: await totalsOf(demo.y2025, demo.viewer),
      };
      const delta = c.delta.byCriterion.find((x: { criterion: string }) => x.criterion === CC);
      close(delta.delta, total(stored.after) - total(stored.before));
      close(delta.before, total(stored.before));
      close(delta.after, total(stored.after));
      expect(c.criterion).toBe(CC);
      expect(c.effects.map((e: { effect: string }) => e.effect)).toEqual([
        'referenceData',
        'scope',
        'fleet',
        'usageShare',
        'lifetime',
        'equipmentFactor',
        'consumption',
        'pue',
        'electricityMix',
      ]);
      close(
        c.effects.reduce((s: number, e: { value: number }) => s + e.value, 0),
        delta.delta,
      );
      for (const k of c.decomposition)
        close(
          k.effects.reduce((s: number, e: { value: number }) => s + e.value, 0),
          k.change,
        );
      // The demo's 2025 inventory drops the withdrawn laptops and changes items: the diff says so.
      expect(c.diff.added.count + c.diff.removed.count + c.diff.changed.count).toBeGreaterThan(0);
      expect(c.diff.changed.rows.length).toBe(Math.min(100, c.diff.changed.count));
      expect(c.before.campaignId).toBe(demo.y2024);
      expect(c.after.summary.totals).toEqual(stored.after.totals);
    });

    it('equals `empreinte compare --format json` on the same inventories', async () => {
      const c = (await get(`/api/v1/campaigns/${a.before}/compare?with=${a.after}&criterion=ACIDIFICATION`)).json();
      const x = unpath(cliCompare) as {
        before: Doc;
        after: Doc;
        delta: unknown;
        decomposition: { criterion: string; effects: Record<string, number>; referenceData: number }[];
        inventory: { added: unknown[]; removed: unknown[]; changed: unknown[]; unchanged: number };
        unfactored: number;
        uncertainty: unknown[];
      };
      expect(c.delta).toEqual(x.delta);
      expect(c.before.summary).toEqual(x.before);
      expect(c.after.summary).toEqual(x.after);
      expect(c.unfactored).toBe(x.unfactored);
      // F21: the range of the change, as the CLI's compare draws it (same seed: the newer campaign's referential).
      expect(c.uncertainty).toEqual(x.uncertainty);
      expect(c.uncertainty.length).toBe(x.decomposition.length);
      expect(c.decomposition.map((k: { criterion: string }) => k.criterion)).toEqual(
        x.decomposition.map((k) => k.criterion),
      );
      for (const k of x.decomposition) {
        const mine = c.decomposition.find((m: { criterion: string }) => m.criterion === k.criterion);
        expect(
          Object.fromEntries(mine.effects.map((e: { effect: string; value: number }) => [e.effect, e.value])),
        ).toEqual({
          referenceData: k.referenceData,
          ...k.effects,
        });
      }
      expect(c.effects).toEqual(
        c.decomposition.find((k: { criterion: string }) => k.criterion === 'ACIDIFICATION').effects,
      );
      expect(c.diff.added).toEqual({ count: x.inventory.added.length, rows: x.inventory.added.slice(0, 100) });
      expect(c.diff.removed).toEqual({ count: x.inventory.removed.length, rows: x.inventory.removed.slice(0, 100) });
      expect(c.diff.changed).toEqual({ count: x.inventory.changed.length, rows: x.inventory.changed.slice(0, 100) });
      expect(c.diff.unchanged).toBe(x.inventory.unchanged);
    });

    it('another organisation’s campaign is not found; an unassessed one is a coded 422; an unknown criterion 400', async () => {
      const other = (
        await org.createCampaign(deps, w.bAdmin.actor, {
          organisationId: w.orgB,
          name: unique('b'),
          referenceDate: DATE,
          profile: 'default',
          referentialId: null,
          referentialHash: null,
        })
      ).id;
      const r1 = await get(`/api/v1/campaigns/${a.before}/compare?with=${other}`);
      expect(r1.statusCode).toBe(404);
      expect(r1.json().code).toBe('APP_NOT_FOUND');
      expect((await get(`/api/v1/campaigns/${other}/compare?with=${a.before}`)).statusCode).toBe(404);
      const empty = (
        await org.createCampaign(deps, w.a.admin.actor, {
          organisationId: w.orgA,
          name: unique('empty'),
          referenceDate: DATE,
          profile: 'default',
          referentialId: null,
          referentialHash: null,
        })
      ).id;
      const r2 = await get(`/api/v1/campaigns/${a.before}/compare?with=${empty}`);
      expect(r2.statusCode).toBe(422);
      expect(r2.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r2.json()).toMatchObject({ code: 'STR_CAMPAIGN_NOT_ASSESSED', details: { campaign: empty } });
      const r3 = await get(`/api/v1/campaigns/${a.before}/compare?with=${a.after}&criterion=NOPE`);
      expect(r3.statusCode).toBe(400);
      expect(r3.json()).toMatchObject({ code: 'STR_CRITERION_MISSING', details: { path: 'criterion' } });
      expect(r3.json().details.allowed).toContain(CC);
    });
  });

  describe('target and trajectory', () => {
    const base = () => `/api/v1/organisations/${demo.organisationId}`;

    it('no target yet: GET target is 404; the trajectory lists the campaigns and says why there is no line', async () => {
      // Organisation A has no target (the demo has one, seeded by src/server/demo.ts).
      const orgA = `/api/v1/organisations/${w.orgA}`;
      expect((await get(`${orgA}/target`)).statusCode).toBe(404);
      const t = (await get(`${orgA}/trajectory`)).json();
      expect(t.target).toBeNull();
      expect(t.unavailable).toMatch(/no target/);
      expect(t.campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual(
        expect.arrayContaining([a.before, a.after]),
      );
      expect(t.targetLine).toEqual([]);
      // The demo's target: baseline 2024, −30 % by 2030, linear.
      expect((await get(`${base()}/target`, demo.viewer)).json()).toMatchObject({
        baseYear: 2024,
        targetYear: 2030,
        reduction: -0.3,
        shape: 'linear',
      });
    });

    it('bad targets are coded 400s naming the field; a viewer cannot set one', async () => {
      const put = (body: object, token = demo.editor) => send('PUT', `${base()}/target`, body, token);
      const r1 = await put({ baseYear: 2024, targetYear: 2020, reduction: -0.3 });
      expect(r1.statusCode).toBe(400);
      expect(r1.json()).toMatchObject({ code: 'STR_TARGET_YEAR_BEFORE_BASELINE', details: { path: 'targetYear' } });
      const r2 = await put({ baseYear: 2024, targetYear: 2030, reduction: 0.3 });
      expect(r2.json()).toMatchObject({ status: 400, code: 'STR_REDUCTION_RANGE', details: { path: 'reduction' } });
      const r3 = await put({ criterion: 'CO2', baseYear: 2024, targetYear: 2030, reduction: -0.3 });
      expect(r3.json()).toMatchObject({ status: 400, code: 'STR_FIELD', details: { path: 'criterion' } });
      expect(r3.json().details.allowed).toContain(CC);
      const r4 = await put({ baseYear: 2024, targetYear: 2030, reduction: -0.3 }, demo.viewer);
      expect(r4.statusCode).toBe(403);
    });

    it('−30 % by 2030 from 2024, linear, with a budget: every figure computed by hand from the stored totals', async () => {
      const v24 = total(await totalsOf(demo.y2024, demo.viewer));
      const v25 = total(await totalsOf(demo.y2025, demo.viewer));
      const budget = 6 * v24;
      const put = await send(
        'PUT',
        `${base()}/target`,
        { baseYear: 2024, targetYear: 2030, reduction: -0.3, budget },
        demo.editor,
      );
      expect(put.statusCode, put.body).toBe(200);
      expect((await get(`${base()}/target`, demo.viewer)).json()).toMatchObject({
        criterion: CC,
        baseYear: 2024,
        targetYear: 2030,
        reduction: -0.3,
        shape: 'linear',
        budget,
      });
      const t = (await get(`${base()}/trajectory?likeForLike=false`, demo.viewer)).json();
      expect(t.unavailable).toBeNull();
      // Linear path: target(y) = v24 · (1 − 0.3 · (y − 2024) / 6).
      const target = (y: number) => v24 * (1 - (0.3 * (y - 2024)) / 6);
      close(t.targetValue, 0.7 * v24);
      close(t.annualChange, -0.05);
      expect(t.targetLine.map((p: { year: number }) => p.year)).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030]);
      t.targetLine.forEach((p: { year: number; value: number }) => close(p.value, target(p.year)));
      const [c24, c25] = t.campaigns;
      expect(c24).toMatchObject({ campaignId: demo.y2024, year: 2024, inTrajectory: true, referentialDiffers: false });
      close(c24.total, v24);
      close(c24.gap, 0);
      expect(c24.status).toBe('on-track');
      close(c25.total, v25);
      close(c25.target, target(2025));
      close(c25.gap, v25 - target(2025));
      expect(c25.status).toBe(v25 <= target(2025) ? 'on-track' : 'off-track');
      expect(t.latest).toMatchObject({ year: 2025, status: c25.status });
      // Two campaigns: the least-squares line is the line through both points, without a band.
      const slope = v25 - v24;
      close(t.forecast.slope, slope);
      expect(t.forecast.residualSd).toBeNull();
      // A footprint cannot be negative: the forecast is held at 0 where the line falls below zero.
      const at = (y: number) => Math.max(0, v24 + slope * (y - 2024));
      t.forecast.points.forEach((p: { year: number; value: number }) => close(p.value, at(p.year)));
      if (slope < 0) close(t.forecast.reachedYear, 2024 + (0.7 * v24 - v24) / slope);
      else expect(t.forecast.reachedYear).toBeNull();
      // Budget: emitted 2024 + 2025; the target path sums to v24 · (7 − 0.3 · 21 / 6) = 5.95 · v24.
      close(t.budget.emittedSoFar, v24 + v25);
      close(t.budget.remaining, budget - v24 - v25);
      close(t.budget.targetPathTotal, 5.95 * v24);
      const projected = v24 + v25 + [2026, 2027, 2028, 2029, 2030].reduce((s, y) => s + at(y), 0);
      close(t.budget.projectedTotal, projected);
      expect(t.budget.projectedWithinBudget).toBe(projected <= budget);
      // Like-for-like: both recomputed with the current referential — the same one here, so the same figures.
      const l = (await get(`${base()}/trajectory?likeForLike=true`, demo.viewer)).json();
      expect(l.likeForLike).toBe(true);
      close(l.campaigns[0].total, v24);
      close(l.campaigns[1].total, v25);
      expect(l.referential.hash).toBe(c25.referential.hash);
    });

    it('another organisation’s target and trajectory are not found', async () => {
      for (const url of [`${base()}/target`, `${base()}/trajectory`]) {
        const r = await get(url, w.bAdmin.token);
        expect(r.statusCode).toBe(404);
        expect(r.json().code).toBe('APP_NOT_FOUND');
      }
    });
  });

  describe('scenarios', () => {
    const levers = () => (parseYaml(readFileSync(SCENARIO_FILE, 'utf8')) as { levers: object[] }).levers;

    it('preview equals `empreinte scenario --format json` on the same inventory and scenario file; the second call uses the cache', async () => {
      const before = deps.steering!.campaigns.stats;
      const url = `/api/v1/campaigns/${a.before}/scenarios/preview`;
      const r = await send('POST', url, { name: 'from the file', levers: levers() }, w.a.viewer.token);
      expect(r.statusCode, r.body).toBe(200);
      const p = r.json();
      const x = unpath(cliScenario) as {
        baseline: Doc;
        scenario: Doc;
        delta: { byCriterion: unknown[]; by: Record<string, unknown> };
      };
      expect(p.delta).toEqual(x.delta);
      expect(p.baseline).toEqual(x.baseline);
      expect(p.scenario).toEqual(x.scenario);
      expect(p.delta.by.tier).toBeDefined();
      // The baseline is the stored assessment.
      expect(p.baseline.totals).toEqual((await totalsOf(a.before, w.a.viewer.token)).totals);
      const again = await send('POST', url, { levers: levers() }, w.a.viewer.token);
      expect(again.json().delta).toEqual(p.delta);
      const after = deps.steering!.campaigns.stats;
      expect(after.hits).toBeGreaterThan(before.hits);
    });

    it('a bad lever is a coded 400 naming the field, with the allowed values; nothing is computed', async () => {
      const url = `/api/v1/campaigns/${a.before}/scenarios/preview`;
      const r1 = await send('POST', url, { levers: [{ replace: { from: 'Desktop', to: 'Laptop', share: 1.2 } }] });
      expect(r1.statusCode).toBe(400);
      expect(r1.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r1.json()).toMatchObject({
        code: 'STR_SHARE_RANGE',
        details: { path: 'levers.0.replace.share', allowed: ['0 ≤ share ≤ 1'] },
      });
      const r2 = await send('POST', url, { levers: [{ lifetime: { type: 'Spaceship', addYears: 1 } }] });
      expect(r2.json()).toMatchObject({
        status: 400,
        code: 'STR_UNKNOWN_TYPE',
        details: { path: 'levers.0.lifetime.type' },
      });
      expect(r2.json().details.allowed).toContain('Laptop');
      const r3 = await send('POST', url, { levers: [{ teleport: {} }] });
      expect(r3.json()).toMatchObject({ status: 400, code: 'STR_UNKNOWN_LEVER', details: { path: 'levers.0' } });
      const r4 = await send('POST', url, { levers: [{ lifetime: { type: 'Laptop', addYears: -1 } }] });
      expect(r4.json()).toMatchObject({ status: 400, code: 'STR_LIFETIME_NEGATIVE' });
    });

    it('saved scenarios: create (delta kept), list, get, 409 on a duplicate name, delete; another organisation sees nothing', async () => {
      const url = `/api/v1/campaigns/${a.before}/scenarios`;
      const name = unique('Laptops longer');
      const c = await send('POST', url, { name, description: 'from the example file', levers: levers() });
      expect(c.statusCode, c.body).toBe(201);
      const s = c.json();
      const x = unpath(cliScenario) as { delta: { byCriterion: unknown[]; by: { tier: unknown } } };
      expect(s.result.byCriterion).toEqual(x.delta.byCriterion);
      expect(s.result.byTier).toEqual(x.delta.by.tier);
      expect(s.levers).toEqual(levers());
      expect((await get(url, w.a.viewer.token)).json().map((v: { id: string }) => v.id)).toContain(s.id);
      expect((await get(`/api/v1/scenarios/${s.id}`, w.a.viewer.token)).json()).toEqual(s);
      const dup = await send('POST', url, { name, levers: levers() });
      expect(dup.statusCode).toBe(409);
      expect((await get(`/api/v1/scenarios/${s.id}`, w.bAdmin.token)).statusCode).toBe(404);
      expect((await send('DELETE', `/api/v1/scenarios/${s.id}`, undefined, w.bAdmin.token)).statusCode).toBe(404);
      expect((await send('DELETE', `/api/v1/scenarios/${s.id}`, undefined, w.a.viewer.token)).statusCode).toBe(403);
      expect((await send('DELETE', `/api/v1/scenarios/${s.id}`)).statusCode).toBe(204);
      expect((await get(`/api/v1/scenarios/${s.id}`)).statusCode).toBe(404);
      const bad = await send('POST', url, { name: unique('bad'), levers: [{ pue: { value: 0.5 } }] });
      expect(bad.json()).toMatchObject({ status: 400, code: 'STR_PUE_RANGE' });
      expect((await get(url)).json().some((v: { name: string }) => v.name.startsWith('bad'))).toBe(false);
    });

    it('a new assessment gives a new cache key: the next preview reloads the campaign', async () => {
      const url = `/api/v1/campaigns/${a.after}/scenarios/preview`;
      const body = { levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] };
      await send('POST', url, body);
      const m0 = deps.steering!.campaigns.stats.misses;
      await send('POST', url, body);
      expect(deps.steering!.campaigns.stats.misses).toBe(m0);
      const job = (await send('POST', `/api/v1/campaigns/${a.after}/assessments`)).json() as { jobId: string };
      await waitJob(w.a.editor.actor, job.jobId);
      await send('POST', url, body);
      expect(deps.steering!.campaigns.stats.misses).toBe(m0 + 1);
    });
  });

  describe('action plan', () => {
    const base = () => `/api/v1/organisations/${demo.organisationId}`;
    const laptopYear = [{ lifetime: { type: 'Laptop', addYears: 1 } }];

    it('expected saving from the scenario preview; measured saving from the decomposition 2024 → 2025 for the matching effects', async () => {
      // Levers: priced on the latest assessed campaign (2025), as a preview on it gives.
      const preview = (
        await send('POST', `/api/v1/campaigns/${demo.y2025}/scenarios/preview`, { levers: laptopYear }, demo.viewer)
      ).json();
      const previewDelta = preview.delta.byCriterion.find((c: { criterion: string }) => c.criterion === CC).delta;
      expect(previewDelta).toBeLessThan(0);
      const r1 = await send(
        'POST',
        `${base()}/actions`,
        { title: 'Keep laptops one more year', owner: 'DSI', dueDate: '2026-06-30', levers: laptopYear },
        demo.editor,
      );
      expect(r1.statusCode, r1.body).toBe(201);
      const a1 = r1.json();
      expect(a1).toMatchObject({ campaignId: demo.y2025, scenarioId: null, status: 'planned', levers: laptopYear });
      close(a1.expectedSaving, -previewDelta);
      // A saved scenario of 2024: its levers are copied, its saving is its own delta.
      const sc = (
        await send(
          'POST',
          `/api/v1/campaigns/${demo.y2024}/scenarios`,
          { name: 'PUE 1.5', levers: [{ pue: { value: 1.5 } }] },
          demo.editor,
        )
      ).json();
      const r2 = await send(
        'POST',
        `${base()}/actions`,
        { title: 'Cool the server room', owner: 'Services techniques', dueDate: '2027-01-31', scenarioId: sc.id },
        demo.editor,
      );
      expect(r2.statusCode, r2.body).toBe(201);
      const a2 = r2.json();
      expect(a2).toMatchObject({ scenarioId: sc.id, campaignId: demo.y2024, levers: [{ pue: { value: 1.5 } }] });
      close(a2.expectedSaving, -sc.result.byCriterion.find((c: { criterion: string }) => c.criterion === CC).delta);
      // The plan: measured between the two latest campaigns, effect by effect as the compare route gives them.
      const cmp = (await get(`/api/v1/campaigns/${demo.y2024}/compare?with=${demo.y2025}`, demo.viewer)).json();
      const effect = (n: string) => cmp.effects.find((e: { effect: string }) => e.effect === n).value as number;
      const plan = (await get(`${base()}/actions`, demo.viewer)).json();
      expect(plan.measuredBetween).toMatchObject({ from: { campaignId: demo.y2024 }, to: { campaignId: demo.y2025 } });
      expect(plan.measuredBetween.effects).toEqual(cmp.effects);
      const m1 = plan.actions.find((x: { id: string }) => x.id === a1.id);
      expect(m1.measured).toMatchObject({ effects: ['lifetime'], match: 'lifetime → lifetime' });
      close(m1.measured.saving, -effect('lifetime'));
      expect(effect('lifetime')).not.toBe(0); // the demo extends lifetimes: a real measure, not 0 = 0
      close(m1.expectedSaving, a1.expectedSaving);
      const m2 = plan.actions.find((x: { id: string }) => x.id === a2.id);
      expect(m2.measured).toMatchObject({ effects: ['pue'], match: 'pue → pue' });
      close(m2.measured.saving, -effect('pue'));
    });

    it('update (status, levers priced again), delete; bad bodies and other organisations refused', async () => {
      const made = (
        await send(
          'POST',
          `${base()}/actions`,
          { title: 'x', owner: 'DSI', dueDate: '2026-01-01', levers: laptopYear },
          demo.editor,
        )
      ).json();
      const p1 = await send('PATCH', `/api/v1/actions/${made.id}`, { status: 'in-progress' }, demo.editor);
      expect(p1.statusCode, p1.body).toBe(200);
      expect(p1.json()).toMatchObject({ status: 'in-progress', expectedSaving: made.expectedSaving });
      const two = [{ lifetime: { type: 'Laptop', addYears: 2 } }];
      const p2 = (await send('PATCH', `/api/v1/actions/${made.id}`, { levers: two }, demo.editor)).json();
      expect(p2.levers).toEqual(two);
      expect(p2.expectedSaving).toBeGreaterThan(made.expectedSaving);
      const both = await send(
        'POST',
        `${base()}/actions`,
        { title: 'x', owner: 'y', dueDate: '2026-01-01', levers: laptopYear, scenarioId: made.id },
        demo.editor,
      );
      expect(both.statusCode).toBe(400);
      expect(both.json().code).toBe('APP_VALIDATION');
      const badLever = await send(
        'POST',
        `${base()}/actions`,
        { title: 'x', owner: 'y', dueDate: '2026-01-01', levers: [{ refurbished: { type: 'Laptop', share: 2 } }] },
        demo.editor,
      );
      expect(badLever.json()).toMatchObject({ status: 400, code: 'STR_SHARE_RANGE' });
      expect((await send('PATCH', `/api/v1/actions/${made.id}`, { status: 'done' }, w.bAdmin.token)).statusCode).toBe(
        404,
      );
      expect((await send('PATCH', `/api/v1/actions/${made.id}`, { status: 'done' }, demo.viewer)).statusCode).toBe(403);
      expect((await get(`${base()}/actions`, w.bAdmin.token)).statusCode).toBe(404);
      expect((await send('DELETE', `/api/v1/actions/${made.id}`, undefined, demo.editor)).statusCode).toBe(204);
      const plan = (await get(`${base()}/actions`, demo.viewer)).json();
      expect(plan.actions.some((x: { id: string }) => x.id === made.id)).toBe(false);
    });

    it('an organisation without assessed campaigns has no measure and cannot price levers', async () => {
      const plan = (await get(`/api/v1/organisations/${w.orgB}/actions`, w.bAdmin.token)).json();
      expect(plan).toMatchObject({ measuredBetween: null, actions: [] });
      expect(plan.unmeasured).toMatch(/two assessed campaigns/);
      const r = await send(
        'POST',
        `/api/v1/organisations/${w.orgB}/actions`,
        { title: 'x', owner: 'y', dueDate: '2026-01-01', levers: laptopYear },
        w.bAdmin.token,
      );
      expect(r.statusCode).toBe(422);
      expect(r.json().code).toBe('STR_NO_ASSESSED_CAMPAIGN');
    });
  });
});
