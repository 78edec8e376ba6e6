/**
 * Issue 11's consolidation case, end to end through the CLI: a GLPI computers export saved as XLSX, a Lansweeper
 * assets export in Windows-1252 and a NumEcoEval folder, assessed in one run (each source read through its own
 * mapping: the presets its header matches, or `--mapping <path>=<preset>`). The run's totals equal the sum of the
 * three sources assessed apart, per criterion; `validate` and `explain` take the same sources and mappings.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../inventory/mapping/helpers.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-mixed-'));
const DATE = ['--date', '2025-06-30'];
const LANSWEEPER = 'test/fixtures/mapping/lansweeper-assets-fr.csv';
const NUMECOEVAL = 'examples/inventory';
let glpiXlsx = '';

const run = (args: string[]) => runCli(args);

interface Summary {
  inventory: { file: string; kind: string; imported: number; rejected: number }[];
  totals: { byCriterion: { criterion: string; value: number }[] };
}

async function summary(args: string[]): Promise<Summary> {
  const r = await run(['assess', ...args, ...DATE, '--summary', '--format', 'json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Summary;
}

const byCriterion = (s: Summary) => new Map(s.totals.byCriterion.map((c) => [c.criterion, c.value]));

beforeAll(async () => {
  // The GLPI sample (semicolon CSV, UTF-8 with BOM) written as the XLSX a user saves from Excel: header + rows as text.
  const text = readFileSync(join(SAMPLES, 'glpi-computers-fr.csv'), 'utf8').replace(/^\uFEFF/, '');
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(';').map((c) => c.replace(/^"(.*)"$/s, '$1')));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Ordinateurs');
  for (const r of rows) ws.addRow(r);
  glpiXlsx = join(tmp, 'glpi-ordinateurs.xlsx');
  await wb.xlsx.writeFile(glpiXlsx);
  // The Lansweeper fixture really is Windows-1252 (é as the single byte 0xE9), not UTF-8.
  const raw = readFileSync(LANSWEEPER);
  expect(raw.includes(0xe9)).toBe(true);
  expect(raw.toString('utf8')).toContain('\uFFFD');
});

describe('a GLPI XLSX, a Lansweeper CSV in Windows-1252 and a NumEcoEval folder in one run', () => {
  it('reads each source with its own mapping and the totals equal the sum of the three assessed apart', async () => {
    const mapped = [`--mapping`, `${glpiXlsx}=glpi-computers`, '--mapping', `${LANSWEEPER}=lansweeper-assets`];
    const all = await summary([glpiXlsx, LANSWEEPER, NUMECOEVAL, ...mapped]);
    const glpi = await summary([glpiXlsx, '--mapping', 'glpi-computers']);
    const lw = await summary([LANSWEEPER, '--mapping', 'lansweeper-assets']);
    const ne = await summary([NUMECOEVAL]);

    // Every source contributed items.
    const imported = (s: Summary) => s.inventory.reduce((n, f) => n + f.imported, 0);
    for (const s of [glpi, lw, ne]) expect(imported(s)).toBeGreaterThan(0);
    expect(imported(all)).toBe(imported(glpi) + imported(lw) + imported(ne));

    const [a, g, l, n] = [all, glpi, lw, ne].map(byCriterion);
    expect([...a!.keys()].sort()).toEqual([...n!.keys()].sort());
    for (const [criterion, value] of a!) {
      const sum = (g!.get(criterion) ?? 0) + (l!.get(criterion) ?? 0) + (n!.get(criterion) ?? 0);
      expect(value, criterion).toBeCloseTo(sum, 9);
    }
    expect(a!.get('CLIMATE_CHANGE')!).toBeGreaterThan(n!.get('CLIMATE_CHANGE')!);
  });

  it('validate takes the same sources and per-file mappings and reports the three', async () => {
    const r = await run([
      'validate',
      glpiXlsx,
      LANSWEEPER,
      NUMECOEVAL,
      '--mapping',
      `${glpiXlsx}=glpi-computers`,
      '--mapping',
      `${LANSWEEPER}=lansweeper-assets`,
      ...DATE,
      '--format',
      'json',
    ]);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { files: { file: string; imported: number }[] };
    const byFile = new Map(report.files.map((f) => [f.file, f.imported]));
    expect(byFile.get(glpiXlsx)).toBeGreaterThan(0);
    expect(byFile.get(LANSWEEPER)).toBeGreaterThan(0);
  });

  it('explain finds an item of the Lansweeper file read through its per-file mapping (accents decoded)', async () => {
    const r = await run([
      'explain',
      LANSWEEPER,
      NUMECOEVAL,
      '--mapping',
      `${LANSWEEPER}=lansweeper-assets`,
      '--item',
      'PC-COMPTA-01',
      ...DATE,
      '--format',
      'json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { matches: { item: string; file?: string }[] };
    expect(doc.matches.map((m) => [m.item, m.file])).toEqual([['PC-COMPTA-01', LANSWEEPER]]);
  });

  it('a sources file works for validate as for assess', async () => {
    const list = join(tmp, 'sources.yaml');
    await writeFile(
      list,
      // Paths of a sources file are relative to its folder: absolute here.
      `sources:\n  - path: ${JSON.stringify(resolve(LANSWEEPER))}\n    mapping: lansweeper-assets\n  - path: ${JSON.stringify(resolve(NUMECOEVAL))}\n`,
    );
    const r = await run(['validate', '--sources', list, ...DATE, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { files: { file: string; kind: string }[] };
    expect(report.files.some((f) => f.file === resolve(LANSWEEPER) && f.kind === 'physical-equipment')).toBe(true);
  });
});
