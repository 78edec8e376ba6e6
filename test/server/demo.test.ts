/** The demo seeded on first start: organisation, administrator, campaigns 2024 and 2025 assessed; once only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { seedDemo } from '../../src/server/demo.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { login } from '../../src/server/usecases/auth.js';
import { getJob, getTotals, registerJobs } from '../../src/server/usecases/assessments.js';
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
    const totals: Record<string, { totals: { items?: unknown } }> = {};
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
    expect(await seedDemo(deps)).toBeUndefined();
  });

  it('EMPREINTE_DEMO=0 turns the demo off; it is on by default', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ EMPREINTE_DEMO: '0' }).demo).toBe(false);
  });
});
