/**
 * Consolidation (issue 11): one run over several sources, each with its own mapping — `--mapping <path>=<mapping>`
 * applies to that source only, a plain `--mapping` to the others. The totals of the run equal the sum of the sources
 * assessed apart.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-consolidation-'));
const DATE = ['--date', '2025-01-01', '--lifetime', 'fixed'];
const C06 = 'test/fixtures/cli/c06';
const MAPPING = [
  'kind: physical-equipment',
  'name: fleet',
  'fields:',
  '  name: Asset',
  '  model: Ref',
  '  quantity: Qty',
  '  type: Cat',
  '  country: { value: France }',
  '  internalLifeYears: Years',
  '',
].join('\n');

/** The CLIMATE_CHANGE total of `assess <args> --format json --summary`. */
async function climate(args: string[]): Promise<number> {
  const out = join(await mkdtemp(join(tmp, 'o-')), 'r.json');
  const r = await runCli(['assess', ...args, ...DATE, '--format', 'json', '--summary', '--out', out]);
  expect(r.code, r.err).toBe(0);
  const doc = JSON.parse(await readFile(out, 'utf8')) as {
    totals: { byCriterion: { criterion: string; value: number }[] };
  };
  return doc.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('assess <sources…> --mapping <path>=<mapping>', () => {
  it('maps one export and auto-detects the NumEcoEval file: totals = the sum of both assessed apart', async () => {
    const d = await mkdtemp(join(tmp, 'in-'));
    const fleet = join(d, 'fleet.csv');
    await writeFile(fleet, 'Asset;Ref;Qty;Cat;Years\npc-1;M;2;Laptop;5\n');
    const mapping = join(d, 'fleet.yaml');
    await writeFile(mapping, MAPPING);
    const alone = await climate([fleet, '--mapping', mapping]);
    const c06 = await climate([C06]);
    expect(alone).toBeGreaterThan(0);
    expect(c06).toBeGreaterThan(0);
    const both = await climate([fleet, C06, '--mapping', `${fleet}=${mapping}`]);
    expect(Math.abs(both - (alone + c06)) / both).toBeLessThan(1e-12);
  });

  it('a plain --mapping still applies to every source: the NumEcoEval file then lacks the mapped columns', async () => {
    const d = await mkdtemp(join(tmp, 'in2-'));
    const fleet = join(d, 'fleet.csv');
    await writeFile(fleet, 'Asset;Ref;Qty;Cat;Years\npc-1;M;2;Laptop;5\n');
    const mapping = join(d, 'fleet.yaml');
    await writeFile(mapping, MAPPING);
    const r = await runCli(['assess', fleet, `${C06}/equipements.csv`, '--mapping', mapping, ...DATE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${C06}/equipements.csv:1:Asset: INP_HEADER_MISSING`);
  });

  it('two plain mappings are refused', async () => {
    const r = await runCli(['assess', C06, '--mapping', 'a.yaml', '--mapping', 'b.yaml', ...DATE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("INP_BAD_ENUM Field '--mapping'");
  });
});

describe('assess --sources <sources.yaml>', () => {
  it('reads the listed sources, each with its mapping and entity: totals = the sum of the sources apart', async () => {
    const d = await mkdtemp(join(tmp, 'src-'));
    await writeFile(join(d, 'fleet.csv'), 'Asset;Ref;Qty;Cat;Years\npc-1;M;2;Laptop;5\n');
    await writeFile(join(d, 'fleet.yaml'), MAPPING);
    await writeFile(
      join(d, 'sources.yaml'),
      [
        'sources:',
        '  - path: fleet.csv', // relative to the sources file
        '    mapping: fleet.yaml',
        '    entity: Site Nord',
        `  - path: ${resolve(C06)}`,
        '',
      ].join('\n'),
    );
    const alone = await climate([join(d, 'fleet.csv'), '--mapping', join(d, 'fleet.yaml')]);
    const c06 = await climate([C06]);
    const both = await climate(['--sources', join(d, 'sources.yaml')]);
    expect(Math.abs(both - (alone + c06)) / both).toBeLessThan(1e-12);
    // The fleet's items name no entity: they carry the source's.
    const out = join(await mkdtemp(join(tmp, 'o-')), 'r.json');
    expect(
      (
        await runCli([
          'assess',
          '--sources',
          join(d, 'sources.yaml'),
          ...DATE,
          '--format',
          'json',
          '--summary',
          '--out',
          out,
        ])
      ).code,
    ).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8')) as {
      totals: { by: { entity?: Record<string, Record<string, number>> } };
    };
    expect(Math.abs(doc.totals.by.entity!['Site Nord']!.CLIMATE_CHANGE! - alone) / alone).toBeLessThan(1e-12);
  });

  it('a sources file that is not a list of sources is refused with INP_SOURCES_INVALID, exit 2', async () => {
    const d = await mkdtemp(join(tmp, 'bad-'));
    const f = join(d, 'sources.yaml');
    await writeFile(f, 'sources:\n  - path: a.csv\n    mappin: x.yaml\n');
    const r = await runCli(['assess', '--sources', f, ...DATE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:1:1: INP_SOURCES_INVALID Sources file ${f} is invalid at sources.0:`);
  });
});
