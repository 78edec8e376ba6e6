/**
 * Benchmark of a scenario preview through the use cases, without HTTP nor the store (issue 13: a scenario on a
 * 100k-item campaign answers within 2 s): `node --import tsx scripts/bench-scenario-preview.ts <inventory.csv>
 * [<runs>]`. Steps, as the server's steering cache runs them (src/server/usecases/steering-load.ts): the inventory read
 * into memory (`loadCampaign`), the campaign prepared once (`prepareCampaign`: baseline and retained lifetimes), then
 * `runScenarioOn` with two levers (laptops +1 year, half the desktops replaced by laptops) <runs> times (default 3).
 * CPU is user + system of this process per step; the first preview after an assessment costs load + prepare + one
 * preview. Not a test (no pass/fail): the figures go to docs/benchmarks.md.
 */
import { standardDeps } from '../src/app/deps.js';
import { pathSources } from '../src/app/sources.js';
import type { AssessInput } from '../src/app/assess.js';
import { loadCampaign, prepareCampaign, runScenarioOn } from '../src/app/steering/scenario.js';
import { TempRegistry } from '../src/formats/temp-files.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: bench-scenario-preview.ts <inventory.csv> [<runs>]');
const runs = Number(process.argv[3] ?? 3);
const LEVERS = {
  name: 'laptops one more year, half the desktops replaced by laptops',
  levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }, { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } }],
};

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  const c0 = cpu();
  const t0 = process.hrtime.bigint();
  const v = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${what}: ${(cpu() - c0).toFixed(2)} s CPU, ${wall.toFixed(2)} s wall`);
  return v;
}

const deps = standardDeps(() => '2025-01-01', new TempRegistry());
const input: AssessInput = {
  sources: pathSources([file]),
  run: { profile: 'rcp', referenceDate: '2025-01-01', lifetimeMethod: 'REEL' },
};
const loaded = await step('loadCampaign (read into memory)', () => loadCampaign(deps, input));
const prepared = await step('prepareCampaign (baseline, lifetimes)', () => prepareCampaign(loaded));
for (let i = 1; i <= runs; i++) await step(`runScenarioOn #${i}`, () => runScenarioOn(deps, prepared, input, LEVERS));
