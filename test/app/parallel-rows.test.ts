/**
 * The wide CSV to a file with a large table's second part in a worker thread (issue 11): the worker renders its items'
 * rows (`AssessSink.partRows`), the main thread writes them in their place; the file is byte for byte the one-thread
 * run's, in both locales, with rejected lines, duplicates across the two parts, names a spreadsheet would read as
 * formulas and multi-byte characters in the worker's part. The worker started from the TypeScript sources (tsx).
 */
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileOut, type FileOut } from '../../src/app/adapters/file-out.js';
import { assess, type AssessInput } from '../../src/app/assess.js';
import { standardDeps } from '../../src/app/deps.js';
import type { AssessSink } from '../../src/app/sink.js';
import { csvRowsSink } from '../../src/app/sinks/csv-rows.js';
import { csvWideSink } from '../../src/app/sinks/csv-wide.js';
import { pathSources } from '../../src/app/sources.js';
import type { TextOut } from '../../src/app/text-out.js';
import { issueLine } from '../../src/cli/terminal.js';
import { csvFormat, type CsvLocale } from '../../src/formats/csv-write.js';
import { TempRegistry } from '../../src/formats/temp-files.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { generatePhysicalCsv } from '../../scripts/gen-inventory.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-parallel-rows-'));
const DATE = '2025-06-30';
const input = (path: string, parallel: AssessInput['parallel'], over: Partial<AssessInput> = {}): AssessInput => ({
  sources: pathSources([path]),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  parallel,
  ...over,
});

const file = join(tmp, 'p.csv');
await generatePhysicalCsv(file, 3000);
// In the second part: a duplicate of a first-part line (EQ-7) and of a second-part line (=EQ-F1), a bad quantity and
// date, an unknown type, an unknown location, names and entities starting with =, +, -, @, a quoted name with the
// delimiter, multi-byte characters, an item out of the period.
const EXTRA = [
  'EQ-7;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 7;SRC',
  '=EQ-F1;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;+Entity;SRC',
  '+EQ-F2;Latitude 5520;2;Laptop;In use;France;user;2021-03-04;;;;20;-Entity;SRC',
  '-EQ-F3;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;@Entity;SRC',
  '@EQ-F4;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
  '=EQ-F1;Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;+Entity;SRC',
  '"EQ;Q ""1""";Latitude 5520;1;Laptop;In use;France;user;2021-03-04;;;;20;Entité € 😀;SRC',
  'EQ-X1;Latitude 5520;abc;Laptop;In use;France;user;2021-13-04;;;;20;Entity 1;SRC',
  'EQ-X2;Mystery;1;Toaster;In use;France;user;2021-03-04;;;;20;Entity 1;SRC',
  'EQ-X3;Latitude 5520;1;Laptop;Retired;France;user;2010-03-04;2012-01-01;;;20;Entity 1;SRC',
  'EQ-X4;Latitude 5520;1;Laptop;In use;Narnia;user;2021-03-04;;;;20;Entity 1;SRC',
];
await appendFile(file, EXTRA.join('\n') + '\n');

const workers = () => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;

/** A file output in memory (it takes bytes, as the CLI's `--out` does). */
function fileOut(): TextOut & { bytes(): Buffer } {
  const parts: Buffer[] = [];
  return {
    write: (s) => void parts.push(Buffer.from(s, 'utf8')),
    writeBytes: (b) => void parts.push(Buffer.from(b)),
    close: async () => undefined,
    abort: async () => undefined,
    bytes: () => Buffer.concat(parts),
  };
}

async function wide(locale: CsvLocale, parallel: AssessInput['parallel']) {
  const out = fileOut();
  let workersSeen = 0;
  const sink = {
    ...csvWideSink(out, csvFormat(locale)),
    progress: () => void (workersSeen = Math.max(workersSeen, workers())),
  };
  const outcome = await assess(
    standardDeps(() => DATE),
    input(file, parallel),
    sink,
  );
  return { bytes: out.bytes(), outcome, workersSeen };
}

describe('the wide CSV with the second part in a worker (issue 11)', () => {
  for (const locale of ['en', 'fr'] as const)
    it.each([0.45, 0.002])(
      `${locale}: the same bytes as one thread, the worker rendering its part's rows (split at %d)`,
      async (fraction) => {
        const one = await wide(locale, false);
        expect(one.workersSeen).toBe(0);
        const two = await wide(locale, { minBytes: 0, fraction });
        expect(two.workersSeen).toBe(1);
        expect(two.bytes.equals(one.bytes)).toBe(true);
        expect(workers()).toBe(0);
        // What the file must hold: one row per item accepted (3000 generated, the five of EXTRA with formula-like or
        // quoted names, the one out of the period), none of the duplicates nor of the rejected lines.
        const text = one.bytes.toString('utf8');
        const rows = text.split('\n').slice(1, -1);
        expect(one.outcome.inventory[0]).toMatchObject({ read: 3011, imported: 3006, rejected: 5 });
        expect(rows.length).toBe(3006);
        expect(rows.filter((r) => r.startsWith("physical-equipment;'=EQ-F1;")).length).toBe(1);
        for (const cells of ["'=EQ-F1;'+Entity", "'+EQ-F2;'-Entity", "'-EQ-F3;'@Entity", "'@EQ-F4;Entity 1"])
          expect(text).toContain(`;${cells};`);
        expect(text).toContain(';"EQ;Q ""1""";Entité € 😀;');
        expect(rows.filter((r) => r.includes(';EQ-7;')).length).toBe(1);
        expect(text).not.toContain('EQ-X1');
        expect(text).not.toContain('EQ-X2');
        expect(text).not.toContain('EQ-X4');
        expect(rows.find((r) => r.includes(';EQ-X3;'))).toMatch(/;excluded: CALC_OUT_OF_PERIOD$/);
      },
      60_000,
    );

  it('a decimal comma in the first part: the second read again in this thread, the same bytes', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines.findIndex((l, i) => i > 5 && l.includes(';1;Laptop;'));
    lines[at] = lines[at]!.replace(';1;Laptop;', ';2,5;Laptop;'); // settles `1,250` below as one and a quarter
    const late = lines.findIndex((l, i) => i > lines.length * 0.8 && l.includes(';1;Laptop;'));
    lines[late] = lines[late]!.replace(';1;Laptop;', ';1,250;Laptop;');
    const path = join(tmp, 'comma.csv');
    await writeFile(path, lines.join('\n'));
    const run = async (parallel: AssessInput['parallel']) => {
      const out = fileOut();
      await assess(
        standardDeps(() => DATE),
        input(path, parallel),
        csvWideSink(out, csvFormat('en')),
      );
      return out.bytes();
    };
    const one = await run(false);
    expect((await run({ minBytes: 0, fraction: 0.45 })).equals(one)).toBe(true);
    expect(one.toString('utf8')).toMatch(/;2\.5;/); // the quantities as the one-thread run reads them
    expect(one.toString('utf8')).toMatch(/;1\.25;/);
    expect(workers()).toBe(0);
  }, 60_000);

  /** The long CSV of the file, one thread or split; `over`: the run's trace options. */
  async function long(locale: CsvLocale, parallel: AssessInput['parallel'], over: Partial<AssessInput> = {}) {
    const out = fileOut();
    let workersSeen = 0;
    const sink = {
      ...csvRowsSink(out, csvFormat(locale)),
      progress: () => void (workersSeen = Math.max(workersSeen, workers())),
    };
    await assess(
      standardDeps(() => DATE),
      input(file, parallel, over),
      sink,
    );
    return { bytes: out.bytes(), workersSeen };
  }

  it.each([
    ['en', 0.45, {}],
    ['en', 0.002, {}],
    ['fr', 0.45, {}],
    ['en', 0.45, { trace: false }],
    ['fr', 0.002, { trace: false }],
  ] as const)(
    'long CSV, %s: the same bytes as one thread, the worker rendering the rows of its part (split at %d, %o)',
    async (locale, fraction, over) => {
      const one = await long(locale, false, over);
      const two = await long(locale, { minBytes: 0, fraction }, over);
      expect(two.workersSeen).toBe(1);
      expect(two.bytes.equals(one.bytes)).toBe(true);
      // Every accepted item in the period has its rows (the rejected and excluded ones none), the formula column
      // filled or empty as asked.
      const text = one.bytes.toString('utf8');
      expect(text).toContain(";'=EQ-F1;'+Entity;");
      expect(text).not.toContain(';EQ-X3;');
      const last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
      expect(last.endsWith(';')).toBe('trace' in over);
      expect(workers()).toBe(0);
    },
    60_000,
  );

  it('long CSV with whole traces (--hide-licensed rewrites them): one thread, every item from its rows', async () => {
    const two = await long('en', { minBytes: 0, fraction: 0.45 }, { hideLicensed: true });
    expect(two.workersSeen).toBe(0);
    expect(two.bytes.equals((await long('en', false, { hideLicensed: true })).bytes)).toBe(true);
  }, 60_000);

  /**
   * The long CSV of the file written to `dir/l.csv` through the CLI's file output: the worker's rows wait in the
   * output's scratch file. `failAtTotals`: the run fails once every row is written. `made`: called with the scratch
   * file's path once it is made (before the worker opens it), `firstSpilled` before the main thread's first copy from it.
   */
  async function longFile(
    dir: string,
    locale: CsvLocale,
    parallel: AssessInput['parallel'],
    failAtTotals = false,
    hooks: { made?: (path: string) => void; firstSpilled?: (path: string) => void } = {},
  ) {
    await mkdir(dir, { recursive: true });
    const temps = new TempRegistry();
    const opened = await openFileOut(join(dir, 'l.csv'), temps);
    const scratches: string[] = [];
    const out: FileOut = {
      ...opened,
      scratch: () => {
        const scratch = opened.scratch!();
        scratches.push(scratch.path);
        hooks.made?.(scratch.path);
        return scratch;
      },
    };
    const base = csvRowsSink(out, csvFormat(locale));
    let spilled = 0;
    let inMessages = 0;
    let scratchSize = 0;
    const sink: AssessSink = {
      ...base,
      partRows: {
        ...base.partRows!,
        write: (bytes, start, end) => {
          inMessages += end - start;
          return base.partRows!.write(bytes, start, end);
        },
        spilled: (start, end) => {
          if (spilled === 0) hooks.firstSpilled?.(scratches[0]!);
          spilled += end - start;
          scratchSize = Math.max(scratchSize, statSync(scratches[0]!).size);
          return base.partRows!.spilled!(start, end);
        },
      },
      totals: (summary) => {
        if (failAtTotals) throw new Error('the disk is full');
        return base.totals(summary);
      },
    };
    const outcome = assess(
      standardDeps(() => DATE, temps),
      input(file, parallel),
      sink,
    );
    return { outcome, temps, scratches, counts: () => ({ spilled, inMessages, scratchSize }) };
  }

  it.each([
    ['en', 0.45],
    ['fr', 0.002],
  ] as const)(
    'long CSV to a file, %s, split at %d: the worker rows go through a scratch file next to it, removed at the end',
    async (locale, fraction) => {
      const dir = join(tmp, `long-file-${locale}`);
      const run = await longFile(dir, locale, { minBytes: 0, fraction });
      await run.outcome;
      const bytes = await readFile(join(dir, 'l.csv'));
      expect(bytes.equals((await long(locale, false)).bytes)).toBe(true);
      const { spilled, inMessages, scratchSize } = run.counts();
      expect(inMessages).toBe(0);
      expect(spilled).toBeGreaterThan(0);
      // The second part's duplicate (=EQ-F1 twice) was rendered by the worker, then skipped: the scratch holds more.
      expect(scratchSize).toBeGreaterThan(spilled);
      expect(run.scratches).toEqual([join(dir, '.l.csv.' + process.pid + '.tmp.rows')]);
      expect(readdirSync(dir)).toEqual(['l.csv']);
      expect(run.temps.list()).toEqual([]);
      expect(workers()).toBe(0);
    },
    60_000,
  );

  it('long CSV to a file on one thread: the same bytes, the scratch file made and removed', async () => {
    const dir = join(tmp, 'long-file-one');
    const run = await longFile(dir, 'en', false);
    await run.outcome;
    expect((await readFile(join(dir, 'l.csv'))).equals((await long('en', false)).bytes)).toBe(true);
    expect(run.counts().spilled).toBe(0);
    expect(readdirSync(dir)).toEqual(['l.csv']);
  }, 60_000);

  it('long CSV to a file, a failed split run: no output, no temporary nor scratch file left', async () => {
    const dir = join(tmp, 'long-file-fail');
    const run = await longFile(dir, 'en', { minBytes: 0, fraction: 0.45 }, true);
    await expect(run.outcome).rejects.toThrow('the disk is full');
    expect(run.counts().spilled).toBeGreaterThan(0);
    expect(run.scratches.length).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
    expect(run.temps.list()).toEqual([]);
    expect(workers()).toBe(0);
  }, 60_000);

  /** The run's failure: the output's `OUT_UNWRITABLE` naming the scratch file, nothing left in `dir`. */
  async function expectUnwritable(
    dir: string,
    run: Awaited<ReturnType<typeof longFile>>,
    reason: string,
    left: string[] = [],
  ) {
    const e = await run.outcome.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EmpreinteError);
    const scratch = join(dir, '.l.csv.' + process.pid + '.tmp.rows');
    expect((e as EmpreinteError).issue).toMatchObject({
      code: 'OUT_UNWRITABLE',
      file: join(dir, 'l.csv'),
      details: { reason: `its scratch file ${scratch}: ${reason}` },
    });
    // The line the CLI prints for it, as for the output itself.
    expect(issueLine((e as EmpreinteError).issue, 'en')).toBe(
      `${join(dir, 'l.csv')}:1:1: OUT_UNWRITABLE ${join(dir, 'l.csv')} cannot be written: its scratch file ${scratch}: ${reason}.`,
    );
    expect(readdirSync(dir)).toEqual(left);
    expect(run.temps.list()).toEqual([]);
    expect(workers()).toBe(0);
  }

  it("the worker's write to the scratch file fails (a full disk): the output's coded error, nothing left", async () => {
    const dir = join(tmp, 'long-file-full');
    // /dev/full in the scratch file's place: the worker opens it, and each write fails with ENOSPC.
    const run = await longFile(dir, 'en', { minBytes: 0, fraction: 0.45 }, false, {
      made: (path) => {
        rmSync(path);
        symlinkSync('/dev/full', path);
      },
    });
    await expectUnwritable(dir, run, 'no space left on the device (ENOSPC)');
    expect(run.counts().spilled).toBe(0);
  }, 60_000);

  it("the worker cannot open the scratch file (a folder in its place): the output's coded error, nothing left", async () => {
    const dir = join(tmp, 'long-file-folder');
    const run = await longFile(dir, 'fr', { minBytes: 0, fraction: 0.45 }, false, {
      made: (path) => {
        rmSync(path);
        mkdirSync(path);
      },
    });
    await expectUnwritable(dir, run, 'it is a folder (EISDIR)');
  }, 60_000);

  it.each([
    [
      'read (a folder in its place)',
      (path: string) => {
        rmSync(path);
        mkdirSync(path);
      },
      'it is a folder (EISDIR)',
    ],
    // The worker's part is one batch, written before its message: the file is whole when it is cut.
    ['cut short', (path: string) => truncateSync(path, 0), 'ends at byte 0, before the rows announced'],
  ] as const)(
    "the main thread's copy from the scratch file fails, %s: the output's coded error, nothing left",
    async (_, spoil, reason) => {
      const dir = join(tmp, `long-file-read-${reason.length}`);
      const run = await longFile(dir, 'en', { minBytes: 0, fraction: 0.45 }, false, { firstSpilled: spoil });
      await expectUnwritable(dir, run, reason);
    },
    60_000,
  );

  it("a scratch file that cannot be made (a folder at its name): the output's coded error before any work", async () => {
    const dir = join(tmp, 'long-file-taken');
    await mkdir(dir, { recursive: true });
    const name = '.l.csv.' + process.pid + '.tmp.rows';
    await mkdir(join(dir, name));
    const run = await longFile(dir, 'en', { minBytes: 0, fraction: 0.45 });
    // The folder was not made by this run: it stays; the output's temporary file goes.
    await expectUnwritable(dir, run, 'it is a folder (EISDIR)', [name]);
    expect(run.scratches).toEqual([]);
  }, 60_000);

  it('the wide CSV written as text (stdout) keeps one thread', async () => {
    const chunks: string[] = [];
    let workersSeen = 0;
    const sink = {
      ...csvWideSink({
        write: (s) => void chunks.push(s),
        close: async () => undefined,
        abort: async () => undefined,
      }),
      progress: () => void (workersSeen = Math.max(workersSeen, workers())),
    };
    await assess(
      standardDeps(() => DATE),
      input(file, { minBytes: 0, fraction: 0.45 }),
      sink,
    );
    expect(workersSeen).toBe(0);
    expect(Buffer.from(chunks.join(''), 'utf8').equals((await wide('en', false)).bytes)).toBe(true);
  }, 60_000);
});
