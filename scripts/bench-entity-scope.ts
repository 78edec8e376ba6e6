/**
 * The cost of a campaign's figures for a member restricted to an entity subtree (issue 12;
 * `node --import tsx scripts/bench-entity-scope.ts [items] [rounds]`): a campaign of `items` generated physical-equipment
 * lines (default 20,000, spread over "Entity 0" … "Entity 19": scripts/gen-inventory.ts) is uploaded and assessed on
 * SQLite; then, alternately, an unrestricted viewer and a viewer restricted to "Entity 3" (one twentieth of the items)
 * read the totals, the breakdowns and one page of items through the use cases. CPU time (user + system) of the process
 * per request, the median over `rounds` (default 5).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessQueue } from '../src/server/jobs/in-process.js';
import { getBreakdowns } from '../src/server/usecases/aggregates.js';
import { getJob, getTotals, listItems, registerJobs, startAssessment } from '../src/server/usecases/assessments.js';
import { randomIds, systemClock, type UseCaseDeps } from '../src/server/usecases/deps.js';
import * as org from '../src/server/usecases/organisations.js';
import { createUpload } from '../src/server/usecases/uploads.js';
import { openStore } from '../src/store/open.js';
import type { Actor } from '../src/store/scoped.js';
import { generatePhysicalCsv } from './gen-inventory.js';

const n = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-bench-scope-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const queue = new InProcessQueue();
  const deps: UseCaseDeps = {
    store,
    clock: systemClock,
    uuid: randomIds,
    serverSecret: 'bench-scope-secret-0123456789abcdef0123456789',
    sessionTtlMs: 3600_000,
    jobs: queue,
  };
  registerJobs(deps, queue);
  await queue.start();
  try {
    const system: Actor = { userId: null, platformAdmin: true, memberships: new Map() };
    const o = await org.createOrganisation(deps, system, { name: 'Bench' });
    const admin: Actor = { ...system, memberships: new Map([[o.id, { role: 'admin', entityId: null }]]) };
    let scopedTo = '';
    for (let i = 0; i < 20; i++) {
      const e = await org.createEntity(deps, admin, {
        organisationId: o.id,
        name: `Entity ${i}`,
        parentId: null,
        headcount: 10,
      });
      if (i === 3) scopedTo = e.id;
    }
    const c = await org.createCampaign(deps, admin, {
      organisationId: o.id,
      name: 'bench',
      referenceDate: '2025-06-30',
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    const file = join(dir, 'physical.csv');
    await generatePhysicalCsv(file, n);
    await createUpload(deps, admin, {
      campaignId: c.id,
      fileName: 'physical.csv',
      mapping: null,
      content: await readFile(file),
    });
    const { jobId } = await startAssessment(deps, admin, { campaignId: c.id });
    for (;;) {
      const j = await getJob(deps, admin, { jobId });
      if (j.status === 'done') break;
      if (j.status === 'failed') throw new Error(`assessment failed: ${j.errors.join('; ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const viewer: Actor = {
      userId: null,
      platformAdmin: false,
      memberships: new Map([[o.id, { role: 'viewer', entityId: null }]]),
    };
    const restricted: Actor = {
      userId: null,
      platformAdmin: false,
      memberships: new Map([[o.id, { role: 'viewer', entityId: scopedTo }]]),
    };
    const reads = {
      totals: (a: Actor) => getTotals(deps, a, { campaignId: c.id }),
      breakdowns: (a: Actor) => getBreakdowns(deps, a, { campaignId: c.id, criterion: 'CLIMATE_CHANGE' }),
      'items (100)': (a: Actor) =>
        listItems(deps, a, { campaignId: c.id, sort: 'position', order: 'asc', offset: 0, limit: 100 }),
    };
    console.log(`# Entity-restricted reads — node ${process.version}, ${n} items, SQLite, median of ${rounds} rounds`);
    console.log('| read | unrestricted: CPU ms | restricted to 1 entity of 20: CPU ms |');
    console.log('|---|---|---|');
    for (const [name, read] of Object.entries(reads)) {
      const times: Record<'whole' | 'part', number[]> = { whole: [], part: [] };
      await read(viewer);
      await read(restricted);
      for (let r = 0; r < rounds; r++)
        for (const [k, a] of [
          ['whole', viewer],
          ['part', restricted],
        ] as const) {
          const c0 = process.cpuUsage();
          await read(a);
          times[k].push(cpuMs(process.cpuUsage(c0)));
        }
      console.log(`| ${name} | ${median(times.whole).toFixed(1)} | ${median(times.part).toFixed(1)} |`);
    }
  } finally {
    await queue.stop({ graceful: true });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
