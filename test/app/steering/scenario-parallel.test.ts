/**
 * `scenario` with the baseline assessed in a worker thread (issue 13, `runScenario` with `parallel`; the worker
 * started from the TypeScript sources through tsx): the same outcome, byte for byte as JSON, as the one-thread run on
 * generated inventories with rejected lines and duplicates (lenient and strict), on a mixed estate, with the ranges
 * of F21 and with several levers; the worker's summary is `assess --summary`'s; the same errors when the campaign
 * cannot be read or the scenario is invalid; a file whose lines are all rejected (which `assess` refuses, a scenario
 * assesses) gives the one-thread outcome; no worker is left once the run ends, whether it succeeds or fails; small
 * inputs and stream sources start no worker.
 */
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../../src/app/assess.js';
import { standardDeps } from '../../../src/app/deps.js';
import { startBaselineSide } from '../../../src/app/parallel/baseline-side.js';
import { memorySink } from '../../../src/app/sinks/memory.js';
import { pathSources } from '../../../src/app/sources.js';
import { loadCampaign, runScenario, scenarioInTwoThreads, workerBaseline } from '../../../src/app/steering/scenario.js';
import type { AssessSummary } from '../../../src/app/sink.js';
import { EmpreinteError, issue } from '../../../src/issues/catalogue.js';
import { generateMixedEstate, generatePhysicalCsv } from '../../../scripts/gen-inventory.js';
import { failureLine } from '../../helpers/issues.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-scenario-parallel-'));
const DATE = '2025-06-30';
const deps = standardDeps(() => DATE);
const input = (paths: string[], over: Partial<AssessInput> = {}): AssessInput => ({
  sources: pathSources(paths),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  ...over,
});
const TWO = { parallel: { minBytes: 0 } } as const;

const LINES = 3000;
const a = join(tmp, 'a.csv');
await generatePhysicalCsv(a, LINES);
// Rejected lines: a duplicate of an earlier line, a bad quantity and date, an unknown type and country.
await appendFile(
  a,
  [
    'EQ-7;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 7;SRC',
    'EQ-X1;Latitude 5520;abc;Laptop;In use;France;user;2021-13-04;;;;20;Entity 1;SRC',
    'EQ-X2;Mystery;1;Toaster;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
    'EQ-X4;"Latitude\n5520";1;Laptop;In use;Narnia;user;2021-03-04;;;;20;Entity 1;SRC',
  ].join('\n') + '\n',
);
const mixed = join(tmp, 'mixed');
await generateMixedEstate(mixed, 30);

const LEVERS = {
  name: 'laptops one more year, half the desktops replaced, the stock removed',
  levers: [
    { lifetime: { type: 'Laptop', addYears: 1 } },
    { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
    { removeByStatus: { status: 'In stock' } },
  ],
};

/** The outcome as JSON, in one thread and with the baseline in a worker. */
async function both(i: AssessInput, scenario: unknown = LEVERS, options: { uncertainty?: boolean } = {}) {
  const one = JSON.stringify(await runScenario(deps, i, scenario, options), null, 2);
  const two = JSON.stringify(await runScenario(deps, i, scenario, { ...options, ...TWO }), null, 2);
  return { one, two };
}

const workers = () => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort');

describe('scenario with the baseline in a worker thread = one thread', () => {
  it('a generated table with rejected lines and a duplicate, lenient and strict', async () => {
    const { one, two } = await both(input([a]));
    expect(two).toBe(one);
    const o = JSON.parse(one);
    expect(o.baseline.inventory[0]).toMatchObject({ read: LINES + 4, rejected: 4 });
    expect(o.delta.byCriterion[0].delta).not.toBe(0);
    const strict = await both(input([a], { strict: true }));
    expect(strict.two).toBe(strict.one);
    expect(workers()).toEqual([]);
  }, 120_000);

  it('a mixed estate (hosts, VMs, applications), with the ranges of F21', async () => {
    const servers = {
      name: 'servers one more year, PUE 1.3',
      levers: [{ lifetime: { type: 'Server', addYears: 1 } }, { pue: { value: 1.3 } }],
    };
    const { one, two } = await both(input([mixed]), servers, { uncertainty: true });
    expect(two).toBe(one);
    expect(JSON.parse(one).delta.byCriterion[0].delta).not.toBe(0);
    expect(JSON.parse(one).uncertainty.length).toBeGreaterThan(0);
  }, 120_000);

  it('the worker’s summary is the one of assess --summary', async () => {
    const side = startBaselineSide({ input: input([a]), today: DATE });
    try {
      const sink = memorySink({ rows: false });
      await assess(deps, input([a]), sink);
      expect(JSON.stringify(await side.summary())).toBe(JSON.stringify(sink.summary));
    } finally {
      await side.close();
    }
    expect(workers()).toEqual([]);
  }, 120_000);

  it('a file whose lines are all rejected: the one-thread outcome (the worker’s assess refuses it)', async () => {
    const bad = join(tmp, 'bad.csv');
    const header = (await readFile(a, 'utf8')).split('\n')[0]!;
    await writeFile(
      bad,
      [header, 'EQ-1;Latitude 5520;abc;Laptop;In use;France;u;2021-03-04;;;;20;E;SRC'].join('\n') + '\n',
    );
    const { one, two } = await both(input([bad]), { name: 'nothing', levers: [{ pue: { value: 1.5 } }] });
    expect(two).toBe(one);
    expect(JSON.parse(one).baseline.inventory[0]).toMatchObject({ read: 1, rejected: 1, imported: 0 });
    expect(workers()).toEqual([]);
  }, 120_000);
});

describe('the worker’s baseline is taken when it assessed what this thread read', () => {
  const summaryOf = async (i: AssessInput) => {
    const sink = memorySink({ rows: false });
    await assess(deps, i, sink);
    return sink.summary!;
  };
  const side = (s: AssessSummary | Error) => ({ summary: async () => (s instanceof Error ? Promise.reject(s) : s) });

  it('the same run and inventory report: its totals, in the one-thread key order', async () => {
    const c = await loadCampaign(deps, input([a]));
    const s = await summaryOf(input([a]));
    const got = await workerBaseline(side(s), c);
    expect(Object.keys(got!)).toEqual(['meta', 'totals', 'inventory']);
    expect(got!.totals).toBe(s.totals);
    expect(JSON.stringify(got!.inventory)).toBe(JSON.stringify(s.inventory));
  }, 60_000);

  it('another run, another inventory report, a coded error: none (assessed here); a crash is thrown', async () => {
    const c = await loadCampaign(deps, input([a]));
    const s = await summaryOf(input([a]));
    const otherDate = { ...s, meta: { ...s.meta, referenceDate: '2024-06-30' } };
    expect(await workerBaseline(side(otherDate), c)).toBeUndefined();
    const otherRead = { ...s, inventory: s.inventory.map((f) => ({ ...f, read: f.read + 1 })) };
    expect(await workerBaseline(side(otherRead), c)).toBeUndefined();
    const coded = new EmpreinteError(issue('INP_INVENTORY_EMPTY', { inputs: 'a.csv' }));
    expect(await workerBaseline(side(coded), c)).toBeUndefined();
    await expect(workerBaseline(side(new Error('worker of scenario: boom')), c)).rejects.toThrow('boom');
  }, 60_000);
});

describe('scenario in two threads: errors and when', () => {
  const message = failureLine;

  it('a campaign that cannot be read, a scenario naming an unknown type: the one-thread error, no worker left', async () => {
    const missing = input([join(tmp, 'missing.csv')]);
    expect(await message(runScenario(deps, missing, LEVERS, TWO))).toBe(
      await message(runScenario(deps, missing, LEVERS)),
    );
    const unknown = { name: 'x', levers: [{ lifetime: { type: 'Toaster', addYears: 1 } }] };
    const one = await message(runScenario(deps, input([a]), unknown));
    expect(one).toMatch(/^SteeringError: .*Toaster/);
    expect(await message(runScenario(deps, input([a]), unknown, TWO))).toBe(one);
    expect(workers()).toEqual([]);
  }, 120_000);

  it('two threads from 16 MiB by default, for files and folders named by path only', async () => {
    expect(await scenarioInTwoThreads(input([a]), {})).toBe(false);
    expect(await scenarioInTwoThreads(input([a]), { minBytes: 0 })).toBe(true);
    expect(await scenarioInTwoThreads(input([mixed]), { minBytes: 10_000 })).toBe(true);
    const stream: AssessInput = {
      sources: [{ name: 'a.csv', stream: (async function* () {})() }],
      run: input([a]).run,
    };
    expect(await scenarioInTwoThreads(stream, { minBytes: 0 })).toBe(false);
  });
});
