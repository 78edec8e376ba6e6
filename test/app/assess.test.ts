/**
 * The assess use case without the CLI: the example inventory through `src/app` into an in-memory sink. Numbers are
 * checked by hand (arithmetic in comments) and against what the CLI writes for the same run (two paths, one result).
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, buildRunContext, type AssessInput } from '../../src/app/assess.js';
import { standardDeps, type AppDeps } from '../../src/app/deps.js';
import { memorySink } from '../../src/app/sinks/memory.js';
import { pathSources } from '../../src/app/sources.js';
import { TempRegistry } from '../../src/formats/temp-files.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { MANDATORY_CRITERIA } from '../../src/referential/codes.js';
import { cliOut } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-app-'));
const DATE = '2025-06-30';
const deps = (over: Partial<AppDeps> = {}): AppDeps => ({ ...standardDeps(() => DATE), ...over });
const input = (over: Partial<AssessInput> = {}): AssessInput => ({
  sources: pathSources(['examples/inventory']),
  run: { profile: 'rcp', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
  ...over,
});

/** The CLI's JSON document for the same run, in process. */
async function cliJson(args: string[]): Promise<{ totals: unknown; inventory: unknown; meta: unknown }> {
  const out = join(await mkdtemp(join(tmp, 'cli-')), 'out.json');
  await cliOut(['assess', ...args, '--format', 'json', '--summary', '--out', out]);
  return JSON.parse(await readFile(out, 'utf8')) as { totals: unknown; inventory: unknown; meta: unknown };
}

describe('assess use case on the example inventory', async () => {
  const sink = memorySink({ rows: true });
  const outcome = await assess(deps(), input(), sink);
  const row = (item: string, step: string) =>
    sink.indicators.find((r) => r.item === item && r.lifecycleStep === step && r.criterion === 'CLIMATE_CHANGE')!;

  it('hands meta, items, totals and per-file reports to the sink, then closes it', () => {
    expect(sink.state).toBe('closed');
    expect(sink.meta).toMatchObject({ profile: 'rcp', referenceDate: DATE, lifetimeMethod: 'REEL' });
    expect(sink.summary?.totals).toBe(outcome.totals);
    expect(sink.summary?.inventory.map((f) => f.file).sort()).toEqual(
      [
        'examples/inventory/applications.csv',
        'examples/inventory/datacenters.csv',
        'examples/inventory/entites.csv',
        'examples/inventory/equipements_physiques.csv',
        'examples/inventory/equipements_virtuels.csv',
      ].sort(),
    );
    // Every line read is imported or rejected, file by file.
    for (const f of outcome.inventory) expect(f.read).toBe(f.imported + f.rejected);
  });

  it('computes the hosted switch by hand: 4 × 876 kWh × PUE 1.9 × 0.0519 kg/kWh; embodied 4 × 367 kg over 2737/365 years', () => {
    expect(row('SWITCH-COEUR', 'USE').value).toBeCloseTo(4 * 876 * 1.9 * 0.0519, 9);
    expect(row('SWITCH-COEUR', 'MANUFACTURING').value).toBeCloseTo((4 * 367) / (2737 / 365), 9);
    expect(row('SWITCH-COEUR', 'USE').trace?.formula).toContain('4 × 876 × 1 × 1.9 × 0.0519');
  });

  it('the inventory total of a criterion is the sum of the rows counted in the total', () => {
    const cc = outcome.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    // Allocations (VMs on hosts, applications) are not in the total (F20); rows in error count 0.
    const counted = new Set(sink.items.filter((r) => r.inTotal).map((r) => `${r.kind}|${r.name}`));
    const sum = sink.indicators
      .filter((r) => r.criterion === 'CLIMATE_CHANGE' && r.status === 'OK' && counted.has(`${r.kind}|${r.item}`))
      .reduce((a, r) => a + r.value, 0);
    expect(cc.value).toBeCloseTo(sum, 6);
  });

  it('gives the totals and the per-file reports the CLI writes for the same run', async () => {
    const cli = await cliJson(['examples/inventory', '--date', DATE]);
    expect(JSON.parse(JSON.stringify(outcome.totals))).toEqual(cli.totals);
    expect(JSON.parse(JSON.stringify(outcome.inventory))).toEqual(cli.inventory);
    expect(JSON.parse(JSON.stringify(outcome.meta))).toEqual(cli.meta);
  });

  it('builds no row for a sink that does not want them, with the same totals', async () => {
    const summary = memorySink({ rows: false });
    const again = await assess(deps(), input(), summary);
    expect(summary.items).toEqual([]);
    expect(summary.indicators).toEqual([]);
    expect(JSON.stringify(again.totals)).toBe(JSON.stringify(outcome.totals));
  });

  it('builds rows without their trace on request (--no-trace)', async () => {
    const noTrace = memorySink({ rows: true });
    await assess(deps(), input({ trace: false }), noTrace);
    expect(noTrace.indicators.length).toBe(sink.indicators.length);
    expect(noTrace.indicators.every((r) => r.trace === undefined)).toBe(true);
  });
});

describe('run context', () => {
  it('takes the reference date from the clock and the criteria from the referential when not given', async () => {
    const { referential } = await standardDeps(() => DATE).loadReferential({ profile: 'rcp' });
    const ctx = buildRunContext({ profile: 'rcp', lifetimeMethod: 'REEL' }, () => '2031-01-02', referential);
    expect(ctx.referenceDate).toBe('2031-01-02');
    // The embedded pack computes the five RCP mandatory criteria (§2.2), listed first.
    expect(ctx.criteria.slice(0, MANDATORY_CRITERIA.length)).toEqual([...MANDATORY_CRITERIA]);
    expect(ctx.steps).toEqual(['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE']);
    const given = buildRunContext(
      { profile: 'rcp', lifetimeMethod: 'REEL', referenceDate: DATE, criteria: ['CLIMATE_CHANGE'], steps: ['USE'] },
      () => '2031-01-02',
      referential,
    );
    expect(given).toMatchObject({ referenceDate: DATE, criteria: ['CLIMATE_CHANGE'], steps: ['USE'] });
  });
});

describe('sources', () => {
  it('reads each source with its own mapping: a GLPI export through its preset next to a NumEcoEval folder', async () => {
    const sink = memorySink({ rows: true });
    const out = await assess(
      deps(),
      input({
        sources: [
          { path: 'examples/inventory' },
          { path: '../shared/samples/glpi-computers-fr.csv', mapping: { type: 'named', ref: 'glpi-computers' } },
        ],
      }),
      sink,
    );
    const glpi = out.inventory.find((f) => f.file.endsWith('glpi-computers-fr.csv'))!;
    // 43 data lines under the header.
    expect(glpi).toMatchObject({ kind: 'physical-equipment', read: 43 });
    expect(glpi.imported + glpi.rejected).toBe(43);
    expect(sink.items.some((r) => r.name === 'PC-DDT-0101')).toBe(true);
    expect(sink.items.some((r) => r.name === 'SWITCH-COEUR')).toBe(true);
  });

  it('a bad named mapping fails the run with a coded error and aborts the sink', async () => {
    const sink = memorySink({ rows: true });
    const e = await assess(
      deps(),
      input({ sources: [{ path: 'examples/inventory', mapping: { type: 'named', ref: 'no-such-preset' } }] }),
      sink,
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EmpreinteError);
    expect(sink.state).toBe('aborted');
  });

  it('spools a stream source to a temporary file, reads it as the file itself, then removes it', async () => {
    const spoolDir = await mkdtemp(join(tmp, 'spool-'));
    const temps = new TempRegistry();
    const fromPath = memorySink({ rows: true });
    await assess(deps(), input(), fromPath);
    const names = (await readdir('examples/inventory')).filter((n) => n.endsWith('.csv'));
    const fromStream = memorySink({ rows: true });
    await assess(
      deps({ spoolDir, temps }),
      input({
        sources: names.map((name) => ({ name, stream: createReadStream(join('examples/inventory', name)) })),
      }),
      fromStream,
    );
    expect(fromStream.indicators.map((r) => [r.item, r.lifecycleStep, r.criterion, r.value])).toEqual(
      fromPath.indicators.map((r) => [r.item, r.lifecycleStep, r.criterion, r.value]),
    );
    expect(await readdir(spoolDir)).toEqual([]);
    expect(temps.list()).toEqual([]);
  });
});

describe('source options', () => {
  it("a source's entity names the items of that source that have none, and only those", async () => {
    // desk-1 (c06) names no entity; the example inventory's items name theirs (Administration, DSI, …).
    const outcome = await assess(
      deps(),
      input({
        sources: [{ path: 'test/fixtures/cli/c06', entity: 'Site Nord' }, { path: 'examples/inventory' }],
      }),
      memorySink({ rows: false }),
    );
    const byEntity = outcome.totals.by['entity']!;
    expect(Object.keys(byEntity)).toContain('Site Nord');
    // desk-1 alone: its CLIMATE_CHANGE total is the whole "Site Nord" entry; the example's entities are unchanged.
    const alone = await assess(
      deps(),
      input({ sources: pathSources(['test/fixtures/cli/c06']) }),
      memorySink({ rows: false }),
    );
    const deskTotal = alone.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
    expect(byEntity['Site Nord']!['CLIMATE_CHANGE']).toBeCloseTo(deskTotal, 9);
    const example = await assess(deps(), input(), memorySink({ rows: false }));
    for (const [entity, byCrit] of Object.entries(example.totals.by['entity']!))
      expect(byEntity[entity]!['CLIMATE_CHANGE']).toBeCloseTo(byCrit['CLIMATE_CHANGE']!, 9);
  });
});

describe('failures and notices', () => {
  it('a file that cannot be recognised throws its coded error; the sink is aborted after begin, with no item', async () => {
    const sink = memorySink({ rows: true });
    const e = await assess(deps(), input({ sources: pathSources(['test/fixtures/cli/bad']) }), sink).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(EmpreinteError);
    expect((e as EmpreinteError).issue.code).toBe('INP_FILE_KIND_UNKNOWN');
    expect(sink.state).toBe('aborted');
    expect(sink.items).toEqual([]);
    expect(sink.summary).toBeUndefined();
  });

  it('tells the rejected lines as a notice, with the first errors of each file and the rejects folder', async () => {
    const dir = await mkdtemp(join(tmp, 'rej-'));
    const inv = join(dir, 'in');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(inv);
    await writeFile(
      join(inv, 'equipements_physiques.csv'),
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation\nPC-1;X;Laptop;1;France\nPC-2;X;Laptop;abc;France\n',
    );
    const sink = memorySink({ rows: false });
    const out = await assess(deps(), input({ sources: pathSources([inv]), rejectsDir: join(dir, 'rejects') }), sink);
    expect(out.result.totals).toMatchObject({ read: 2, imported: 1, rejected: 1 });
    const n = sink.notices.find((x) => x.type === 'lines-rejected');
    expect(n).toMatchObject({ type: 'lines-rejected', rejected: 1, rejectsDir: join(dir, 'rejects') });
    expect(n?.type === 'lines-rejected' && n.samples.map((i) => [i.code, i.line])).toEqual([['INP_NOT_NUMBER', 3]]);
    expect(existsSync(join(dir, 'rejects', 'rejected_equipements_physiques.csv'))).toBe(true);
  });

  it('an unknown electricity dataset is a coded error naming the datasets of the referential', async () => {
    const sink = memorySink({ rows: false });
    const e = await assess(deps(), input({ electricity: 'nope' }), sink).catch((x: unknown) => x);
    expect((e as EmpreinteError).issue).toMatchObject({ code: 'INP_BAD_ENUM' });
    expect(sink.state).toBe('aborted');
  });
});
