/**
 * Benchmark of the F21 steps of an assessment job (issue 13/15: the F21 ranges and the uncertainty fixes, always in
 * the server, computed once per job): `node --import tsx scripts/bench-uncertainty-step.ts <inventory.csv>`.
 * The job accumulates the ranges' inputs during the engine pass it runs anyway (`UncertaintyAccumulator`, fed each
 * counted result), then computes the draws (`campaignUncertainty`). Here: the inventory read into memory
 * (`loadCampaign`) and its counted results (`countedIndicators`, one engine pass) — what the job no longer does —
 * then the accumulation over the counted results (`sumsOf`: the job's extra work per item), the ranges (`rangesOf`,
 * 1,000 draws per criterion), the fixes of the climate total (`fixInputs`, `rankFixes`), and `campaignUncertainty`
 * (ranges and fixes) as the job calls it. The seed is the referential's hash, as in the job (`seedOf(meta)`), read
 * from one `assessLoaded`. CPU is user + system of this process per step. Not a test (no pass/fail): the figures go
 * to docs/benchmarks.md.
 */
import type { AssessInput } from '../src/app/assess.js';
import { standardDeps } from '../src/app/deps.js';
import { pathSources } from '../src/app/sources.js';
import { countedIndicators } from '../src/app/steering/counted.js';
import { assessLoaded, loadCampaign } from '../src/app/steering/scenario.js';
import { rangesOf, seedOf, sumsOf } from '../src/app/steering/uncertainty.js';
import { TempRegistry } from '../src/formats/temp-files.js';
import { campaignUncertainty, FIX_CRITERION, fixInputs, rankFixes } from '../src/server/usecases/uncertainty.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: bench-uncertainty-step.ts <inventory.csv>');

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  const c0 = cpu();
  const v = await fn();
  console.log(`${what}: ${(cpu() - c0).toFixed(2)} s CPU`);
  return v;
}

const deps = standardDeps(() => '2025-01-01', new TempRegistry());
const input: AssessInput = {
  sources: pathSources([file]),
  run: { profile: 'rcp', referenceDate: '2025-01-01', lifetimeMethod: 'REEL' },
};
const loaded = await step('loadCampaign (read into memory)', () => loadCampaign(deps, input));
const { meta } = assessLoaded(loaded);
const seed = seedOf(meta);
const counted = await step('countedIndicators (one engine pass)', () => countedIndicators(loaded));
const sums = await step('sumsOf (the accumulation over the counted results)', () => sumsOf(counted));
await step('rangesOf (ranges)', () => rangesOf(sums, seed));
await step('fixes of the climate total', () => rankFixes(fixInputs(sums, FIX_CRITERION)!, seed));
await step('campaignUncertainty (ranges and fixes), as the job runs it', () => campaignUncertainty(sums, meta));
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
