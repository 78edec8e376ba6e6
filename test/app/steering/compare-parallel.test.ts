/**
 * `compare` with the later campaign in a worker thread (issue 13, `compareCampaigns` with `parallel`; the worker
 * started from the TypeScript sources through tsx): the same outcome, byte for byte as JSON, as the one-thread run
 * on generated inventories with rejected lines and duplicates on both sides (lenient and strict), on mixed estates
 * (folders of hosts, VMs and applications), and with two referentials (the earlier campaign recomputed, 0′); the same
 * errors when a campaign cannot be read; a worker that fails fails the run with its message; no worker is left once
 * the run ends, whether it succeeds or fails; small inputs and stream sources start no worker.
 */
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssessInput } from '../../../src/app/assess.js';
import { standardDeps, type AppDeps } from '../../../src/app/deps.js';
import { pathSources } from '../../../src/app/sources.js';
import { compareCampaigns, compareInTwoThreads } from '../../../src/app/steering/compare.js';
import { comparisonVariant, generateMixedEstate, generatePhysicalCsv } from '../../../scripts/gen-inventory.js';
import { failureLine } from '../../helpers/issues.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-compare-parallel-'));
const DATE = '2025-06-30';
const deps = (over: Partial<AppDeps> = {}): AppDeps => ({ ...standardDeps(() => DATE), ...over });
const input = (paths: string[], over: Partial<AssessInput> = {}): AssessInput => ({
  sources: pathSources(paths),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  ...over,
});
const TWO = { parallel: { minBytes: 0 } } as const;

const LINES = 3000;
const a = join(tmp, 'a.csv');
const b = join(tmp, 'b.csv');
await generatePhysicalCsv(a, LINES);
// B: A with every 20th line dropped and every 10th line's quantity doubled (as `npm run bench` makes it).
await writeFile(b, comparisonVariant(await readFile(a, 'utf8')));
// Rejected lines on both sides: a duplicate of an earlier line, a bad quantity and date, an unknown type and country.
await appendFile(
  a,
  [
    'EQ-7;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 7;SRC',
    'EQ-X1;Latitude 5520;abc;Laptop;In use;France;user;2021-13-04;;;;20;Entity 1;SRC',
    'EQ-X2;Mystery;1;Toaster;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
  ].join('\n') + '\n',
);
await appendFile(
  b,
  [
    'EQ-12;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 7;SRC',
    'EQ-X4;"Latitude\n5520";1;Laptop;In use;Narnia;user;2021-03-04;;;;20;Entity 1;SRC',
    'EQ-X5;Latitude 5520;-2;Laptop;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
  ].join('\n') + '\n',
);
const mixedA = join(tmp, 'mixed-a');
const mixedB = join(tmp, 'mixed-b');
await generateMixedEstate(mixedA, 30);
await generateMixedEstate(mixedB, 36);

/** The outcome as the CLI prints it (JSON), in one thread and with the later campaign in a worker. */
async function both(before: AssessInput, after: AssessInput, d: AppDeps = deps()) {
  const one = JSON.stringify(await compareCampaigns(d, before, after), null, 2);
  const two = JSON.stringify(await compareCampaigns(d, before, after, TWO), null, 2);
  return { one, two };
}

const workers = () => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort');

describe('compare with the later campaign in a worker thread = one thread', () => {
  it('generated tables with rejected lines and duplicates on both sides, both ways', async () => {
    const { one, two } = await both(input([a]), input([b]));
    expect(two).toBe(one);
    const o = JSON.parse(one);
    // What the files were made to hold: 150 lines dropped, 300 quantities doubled, 3 rejected lines each side.
    expect(o.inventory.removed.length).toBe(LINES / 20);
    expect(o.inventory.changed.length).toBe(LINES / 10);
    expect(o.inventory.added.length).toBe(0);
    expect(o.before.inventory[0]).toMatchObject({ read: LINES + 3, rejected: 3 });
    expect(o.after.inventory[0]).toMatchObject({ read: LINES - LINES / 20 + 3, rejected: 3 });
    expect(o.decomposition.length).toBeGreaterThan(0);
    expect(o.uncertainty.length).toBe(o.decomposition.length);
    const back = await both(input([b]), input([a]));
    expect(back.two).toBe(back.one);
    expect(JSON.parse(back.one).inventory.added.length).toBe(LINES / 20);
    expect(workers()).toEqual([]);
  }, 120_000);

  it('strict mode (the natural keys of the diff too)', async () => {
    const { one, two } = await both(input([a], { strict: true }), input([b], { strict: true }));
    expect(two).toBe(one);
  }, 120_000);

  it('mixed estates (folders of hosts, VMs, applications)', async () => {
    const { one, two } = await both(input([mixedA]), input([mixedB]));
    expect(two).toBe(one);
    const o = JSON.parse(one);
    // 6 hosts more, each with 3 VMs of 2 applications.
    expect(o.inventory.added.length).toBe(6 * (1 + 3 + 3 * 2));
    expect(o.inventory.removed.length).toBe(0);
  }, 120_000);

  it('two referentials: the earlier campaign recomputed with the later one (0′)', async () => {
    const { one, two } = await both(input([a], { referentials: ['examples/referential'] }), input([b]));
    expect(two).toBe(one);
    expect(JSON.parse(one).recomputedBefore).toBeDefined();
  }, 120_000);
});

describe('compare in two threads: errors', () => {
  const missing = join(tmp, 'missing.csv');
  const message = failureLine;

  it('a campaign that cannot be read: the same error as one thread (the earlier campaign first)', async () => {
    for (const [before, after] of [
      [[a], [missing]],
      [[missing], [b]],
      [[missing], [missing, b]],
    ]) {
      const one = await message(compareCampaigns(deps(), input(before!), input(after!)));
      const two = await message(compareCampaigns(deps(), input(before!), input(after!), TWO));
      expect(two).toBe(one);
      expect(one).toMatch(/^EmpreinteError: .*missing\.csv/);
      expect(workers()).toEqual([]);
    }
  }, 120_000);

  it('a worker that fails fails the run with its message, and is not left running', async () => {
    // The main thread's referential is not the worker's (which loads the standard one).
    const other = deps({
      loadReferential: async (o) => {
        const r = await standardDeps(() => DATE).loadReferential(o);
        return { ...r, referential: { ...r.referential, hash: 'not-the-pack' } };
      },
    });
    await expect(compareCampaigns(other, input([a]), input([b]), TWO)).rejects.toThrow(
      /^worker of compare: its referential .* is not the run's not-the-pack$/,
    );
    expect(workers()).toEqual([]);
  }, 120_000);
});

describe('which comparisons use a worker', () => {
  it('both campaigns from the threshold on, named by paths', async () => {
    expect(await compareInTwoThreads(input([a]), input([b]), {})).toBe(false); // 16 MiB by default
    expect(await compareInTwoThreads(input([a]), input([b]), { minBytes: 0 })).toBe(true);
    expect(await compareInTwoThreads(input([mixedA]), input([mixedB]), { minBytes: 10_000 })).toBe(true);
    const size = (await readFile(b)).byteLength;
    expect(await compareInTwoThreads(input([a]), input([b]), { minBytes: size + 1 })).toBe(false);
    expect(await compareInTwoThreads(input([b]), input([a, b]), { minBytes: size + 1 })).toBe(false);
    expect(await compareInTwoThreads(input([a, b]), input([a, b]), { minBytes: size + 1 })).toBe(true);
    const stream: AssessInput = {
      sources: [{ name: 'b.csv', stream: (async function* () {})() }],
      run: input([b]).run,
    };
    expect(await compareInTwoThreads(input([a]), stream, { minBytes: 0 })).toBe(false);
  });
});
