/**
 * The assess use case with a large table's second part in a worker thread (src/app/parallel, issue 11): the same
 * summary to the last digit as the one-thread path, the worker started from the TypeScript sources (through tsx);
 * a worker that fails is an error of the run, and a run stopped midway stops its worker.
 */
import { appendFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../src/app/assess.js';
import { standardDeps, type AppDeps } from '../../src/app/deps.js';
import { memorySink } from '../../src/app/sinks/memory.js';
import { pathSources } from '../../src/app/sources.js';
import { generatePhysicalCsv } from '../../scripts/gen-inventory.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-parallel-'));
const DATE = '2025-06-30';
const deps = (over: Partial<AppDeps> = {}): AppDeps => ({ ...standardDeps(() => DATE), ...over });
const input = (path: string, over: Partial<AssessInput> = {}): AssessInput => ({
  sources: pathSources([path]),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  ...over,
});

const file = join(tmp, 'p.csv');
await generatePhysicalCsv(file, 3000);
// Errors, duplicates of the first part, an unknown type and an out-of-period item in the second part.
await appendFile(
  file,
  [
    'EQ-7;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 7;SRC',
    'EQ-X1;Latitude 5520;abc;Laptop;In use;France;user;2021-13-04;;;;20;Entity 1;SRC',
    'EQ-X2;Mystery;1;Toaster;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
    'EQ-X3;Latitude 5520;1;Laptop;Retired;France;user;2010-03-04;2012-01-01;;;20;Entity 1;SRC',
    'EQ-X4;"Latitude\n5520";1;Laptop;In use;Narnia;user;2021-03-04;;;;20;Entity 1;SRC',
  ].join('\n') + '\n',
);

/** Workers alive when the sink begins (after the referential is loaded, before the file is opened). */
const workersAtBegin: number[] = [];

async function summary(parallel: AssessInput['parallel'], path = file) {
  const rejectsDir = await mkdtemp(join(tmp, 'rejects-'));
  const sink = memorySink({ rows: false });
  const begin = sink.begin.bind(sink);
  sink.begin = (...args) => {
    workersAtBegin.push(process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length);
    return begin(...args);
  };
  const outcome = await assess(deps(), input(path, { parallel, rejectsDir }), sink);
  const rejects: string[] = [];
  for (const f of await readdir(rejectsDir)) rejects.push(await readFile(join(rejectsDir, f), 'utf8'));
  return { outcome, sink, rejects, rejectsDir };
}

describe('assess with the second part in a worker', () => {
  it.each([0.45, 0.002])(
    'gives the same summary as one thread, to the last digit (split at %d)',
    async (fraction) => {
      const one = await summary(false);
      // Split early, the items listed first (out of the period, errors to fix) come from the worker.
      const two = await summary({ minBytes: 0, fraction });
      expect(JSON.stringify(two.outcome.totals)).toBe(JSON.stringify(one.outcome.totals));
      expect(two.outcome.inventory.map((f) => ({ ...f, rejectsFile: undefined }))).toEqual(
        one.outcome.inventory.map((f) => ({ ...f, rejectsFile: undefined })),
      );
      expect(two.rejects).toEqual(one.rejects);
      expect(JSON.stringify(two.sink.notices).replaceAll(two.rejectsDir, '')).toBe(
        JSON.stringify(one.sink.notices).replaceAll(one.rejectsDir, ''),
      );
      // The file has what the totals must show: rejected lines (EQ-7 a duplicate of line 8, EQ-X1 its quantity and
      // date, EQ-X2 an unknown type, EQ-X4 an unknown location), warnings, an item out of the period (EQ-X3).
      expect(one.outcome.inventory[0]).toMatchObject({ read: 3005, imported: 3001, rejected: 4 });
      expect(one.outcome.totals.outOfPeriod.first.length).toBe(5);
      expect(
        one.outcome.totals.coverage.toFix.indicators + one.outcome.totals.coverage.notCovered.indicators,
      ).toBeGreaterThan(0);
    },
    60_000,
  );

  it('fails the run when the worker fails, and aborts the sink', async () => {
    const sink = memorySink({ rows: false });
    const broken = deps({
      loadReferential: async (o) => {
        const r = await standardDeps(() => DATE).loadReferential(o);
        return { ...r, referential: { ...r.referential, hash: 'not-the-pack' } };
      },
    });
    await expect(assess(broken, input(file, { parallel: { minBytes: 0 } }), sink)).rejects.toThrow(
      /worker of .*p\.csv.*referential/s,
    );
    expect(sink.state).toBe('aborted');
  }, 60_000);

  it('stops the worker when the run stops midway', async () => {
    const sink = memorySink({ rows: false });
    let calls = 0;
    const stopping = {
      ...sink,
      progress: () => {
        if (++calls > 1) throw new Error('stopped by the test');
      },
    };
    await expect(assess(deps(), input(file, { parallel: { minBytes: 0, fraction: 0.01 } }), stopping)).rejects.toThrow(
      'stopped by the test',
    );
    // No worker left running: nothing keeps the event loop but the test's own handles.
    await new Promise((r) => setTimeout(r, 50));
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort')).toEqual([]);
  }, 60_000);

  it.each([
    ['an upstream-life column: the index pre-pass', 'upstream'],
    ['a header with a quote', 'quoted'],
  ])(
    'stops the worker started ahead when the table is not split (%s): the one-thread result, no worker left',
    async (_, which) => {
      const text = await readFile(file, 'utf8');
      const path = join(tmp, `${which}.csv`);
      await writeFile(
        path,
        which === 'quoted'
          ? text.replace('nomEquipementPhysique', '"nomEquipementPhysique"')
          : text.replace(/\n(?!$)/g, ';\n').replace(/^([^\n]*);\n/, '$1;dureeUsageAmont\n'),
      );
      const one = await summary(false, path);
      workersAtBegin.length = 0;
      const two = await summary({ minBytes: 0, fraction: 0.3 }, path);
      expect(workersAtBegin).toEqual([1]); // started ahead, before the file was opened
      expect(JSON.stringify(two.outcome.totals)).toBe(JSON.stringify(one.outcome.totals));
      expect(two.outcome.inventory[0]!.read).toBeGreaterThan(0);
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort')).toEqual([]);
    },
    60_000,
  );

  it('still splits a folder holding one large file (not foreseen: the worker started when the split is decided)', async () => {
    const dir = await mkdtemp(join(tmp, 'folder-'));
    await writeFile(join(dir, 'p.csv'), await readFile(file));
    const one = await summary(false, dir);
    workersAtBegin.length = 0;
    const rejectsDir = await mkdtemp(join(tmp, 'rejects-'));
    const sink = memorySink({ rows: false });
    let workersDuring = 0;
    const watching = {
      ...sink,
      progress: () => {
        const n = process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;
        workersDuring = Math.max(workersDuring, n);
      },
    };
    const outcome = await assess(
      deps(),
      input(dir, { parallel: { minBytes: 0, fraction: 0.3 }, rejectsDir }),
      watching,
    );
    expect(JSON.stringify(outcome.totals)).toBe(JSON.stringify(one.outcome.totals));
    expect(workersDuring).toBe(1);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort')).toEqual([]);
  }, 60_000);
});
