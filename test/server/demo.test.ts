/**
 * The demo seeded on first start: organisation, administrator, campaigns 2024 and 2025 assessed, a reduction target
 * (baseline 2024, −30 % by 2030, linear); once only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { seedDemo } from '../../src/server/demo.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { login } from '../../src/server/usecases/auth.js';
import { getJob, getTotals, registerJobs } from '../../src/server/usecases/assessments.js';
import { getTarget, getTrajectory } from '../../src/server/usecases/steering-targets.js';
import { accounts } from '../../src/store/accounts.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor } from './world.js';

describe.each(DATABASES)('demo on %s', (d) => {
  let f: FreshStore;
  let queue: InProcessQueue;
  beforeAll(async () => {
    f = await freshStore(d);
    queue = new InProcessQueue();
  });
  afterAll(async () => {
    await queue?.stop({ graceful: true });
    await f?.dispose();
  });

  it('seeds the demo on an empty database, the two campaigns assessed, and never again', async () => {
    const deps = { ...depsFor(f.store), jobs: queue };
    registerJobs(deps, queue);
    await queue.start();
    const demo = (await seedDemo(deps))!;
    expect(demo.campaigns.map((c) => c.name)).toEqual(['2024', '2025']);
    // The printed password signs the administrator in.
    await expect(login(deps, { email: demo.adminEmail, password: demo.adminPassword })).resolves.toBeDefined();
    const actor = (await f.store.transaction(async (tx) => {
      const u = await accounts.userByEmail(tx, demo.adminEmail);
      return accounts.actorOf(tx, u!.id);
    }))!;
    const totals: Record<string, { totals: { items?: unknown; byCriterion: { criterion: string; value: number }[] } }> =
      {};
    for (const c of demo.campaigns) {
      let job = await getJob(deps, actor, { jobId: c.jobId });
      for (let i = 0; i < 400 && job.status !== 'done' && job.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        job = await getJob(deps, actor, { jobId: c.jobId });
      }
      expect(job.status, job.errors.join()).toBe('done');
      totals[c.name] = (await getTotals(deps, actor, { campaignId: c.id })) as never;
    }
    expect(JSON.stringify(totals['2025']!.totals)).not.toBe(JSON.stringify(totals['2024']!.totals));

    // The target, through the target use case: baseline 2024, −30 % by 2030, linear, climate change, no budget.
    const target = await getTarget(deps, actor, { organisationId: demo.organisationId });
    expect(target).toMatchObject({
      criterion: 'CLIMATE_CHANGE',
      baseYear: 2024,
      targetYear: 2030,
      reduction: -0.3,
      shape: 'linear',
      budget: null,
    });
    // The trajectory has it: a linear path from the 2024 total to 70 % of it in 2030 is at 1 − 0.30 × 1/6 = 95 % of
    // the 2024 total in 2025; the gap is the 2025 total minus that.
    const climate = (name: string) =>
      totals[name]!.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
    const trajectory = await getTrajectory(deps, actor, { organisationId: demo.organisationId, likeForLike: 'false' });
    expect(trajectory.target).not.toBeNull();
    const c2025 = trajectory.campaigns.find((c) => c.name === '2025')!;
    expect(c2025.total).toBeCloseTo(climate('2025'), 6);
    expect(c2025.target).toBeCloseTo(0.95 * climate('2024'), 6);
    expect(c2025.gap).toBeCloseTo(climate('2025') - 0.95 * climate('2024'), 6);
    expect(await seedDemo(deps)).toBeUndefined();
  });

  it('EMPREINTE_DEMO=0 turns the demo off; it is on by default', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ EMPREINTE_DEMO: '0' }).demo).toBe(false);
  });
});
