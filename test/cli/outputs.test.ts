/**
 * Issue 9, outputs and OS-level robustness (methodology §2.1 "Reject limit"): one CSV writer neutralising formulas
 * everywhere (rejects included) with a re-import that restores the original values; outputs refused on inputs; OS
 * errors as one coded line; unreadable folder entries skipped; temporary files of killed runs removed; terminal
 * output free of control characters. Expected strings are written by hand from the rules.
 *
 * OS errors that can be triggered here: the tests run as root, so permission bits do not stop writes (no EACCES /
 * EROFS). They use ENOENT (missing parent, dangling symlink), ENOTDIR (a path under a regular file), EISDIR (a folder
 * where a file is expected) and ELOOP (a symlink to itself) instead — the same code paths (`OUT_UNWRITABLE`,
 * `INP_FILE_UNREADABLE`, `INP_ENTRY_SKIPPED`) whatever the errno.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvRow, totalsCsv } from '../../src/cli/output.js';
import { issueLine, printable } from '../../src/cli/terminal.js';
import { loadMapping } from '../../src/cli/validate.js';
import type { IndicatorRow, Totals } from '../../src/engine/index.js';
import { csvCell, csvRecord, neutraliseRecord, stripFormulaGuard } from '../../src/formats/csv-write.js';
import { removeStaleTemps, scratchPath, TempRegistry } from '../../src/formats/temp-files.js';
import { processInventory } from '../../src/inventory/pipeline.js';
import { tableReaders } from '../../src/inventory/readers.js';
import type { PhysicalEquipment } from '../../src/inventory/model.js';
import { issue } from '../../src/issues/catalogue.js';
import { emptyLayer } from '../../src/referential/model.js';
import { exportFiles } from '../../src/referential/export.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-outputs-'));
const PE_HEADER = 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation';
const DATE = ['--date', '2025-01-01'];

const run = (args: string[]) => runCli(args);

afterEach(() => {
  process.exitCode = undefined;
  vi.unstubAllEnvs();
});

const dirWith = async (files: Record<string, string | Buffer>): Promise<string> => {
  const d = await mkdtemp(join(tmp, 'd-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(d, name), text);
  return d;
};

/** A script running the CLI from the sources in a child process (`node --import tsx <script> <args…>`), no build needed. */
async function cliRunner(dir: string): Promise<string> {
  const runner = join(dir, 'run.mjs');
  const entry = JSON.stringify(join(process.cwd(), 'src/cli/main.ts'));
  await writeFile(runner, `import { main } from ${entry};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return runner;
}

/** One line on stderr, `empreinte: <file>:1:1: CODE …`, no stack trace. */
function expectOneLine(err: string, prefix: string): void {
  expect(err.endsWith('\n')).toBe(true);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err.startsWith(`empreinte: ${prefix}`)).toBe(true);
  expect(err).not.toMatch(/\n\s+at |internal error/);
}

describe('the CSV writer', () => {
  it('prefixes text cells starting with = + - @ tab or CR with a quote, and quotes only where needed', () => {
    expect(csvCell(`=cmd|' /C calc'!A0`)).toBe(`'=cmd|' /C calc'!A0`);
    expect(csvCell('+1+1')).toBe(`'+1+1`);
    expect(csvCell('-1+1')).toBe(`'-1+1`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\t=1+1')).toBe(`'\t=1+1`);
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`); // CR also forces quoting
    expect(csvCell('=HYPERLINK("x";"y")')).toBe(`"'=HYPERLINK(""x"";""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('a,b', ',')).toBe('"a,b"');
    expect(csvCell('a,b', ';')).toBe('a,b');
  });

  it('writes numbers and booleans as they are: -5 is a number, "-5" is text', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(-1.5e-7)).toBe('-1.5e-7');
    expect(csvCell('-5')).toBe(`'-5`);
    expect(csvCell(false)).toBe('false');
    expect(csvRecord(['x', -2, undefined, null, '@x'])).toBe(`x;-2;;;'@x`);
  });

  it('neutralises a raw record in place, keeping its quoting, spacing and empty fields', () => {
    expect(neutraliseRecord('=1+1;"=2";"a""b";+x; -y;', ';')).toBe(`'=1+1;"'=2";"a""b";'+x; -y;`);
    expect(neutraliseRecord('a\t\t@b\t"-c"', '\t')).toBe(`a\t\t'@b\t"'-c"`);
    expect(neutraliseRecord('"a;=b";=c', ';')).toBe(`"a;=b";'=c`); // a delimiter inside quotes is not a boundary
    expect(neutraliseRecord('"x ""=y"" z";-1', ';')).toBe(`"x ""=y"" z";'-1`);
    expect(neutraliseRecord('"open;=1', ';')).toBe('"open;=1'); // broken: the quoted field runs to the end
    expect(neutraliseRecord('', ';')).toBe('');
  });

  it('the readers strip the guard only before a formula character', () => {
    expect(stripFormulaGuard(`'=1+1`)).toBe('=1+1');
    expect(stripFormulaGuard(`'-5`)).toBe('-5');
    expect(stripFormulaGuard(`'\t=1`)).toBe('\t=1');
    expect(stripFormulaGuard(`'abc`)).toBe(`'abc`);
    expect(stripFormulaGuard(`'`)).toBe(`'`);
    expect(stripFormulaGuard(`''=1`)).toBe(`''=1`);
  });

  it('result rows keep a negative value a number and neutralise text; summaries likewise', () => {
    const row: IndicatorRow = {
      kind: 'physical-equipment',
      item: '-pc',
      entity: '=E',
      lifecycleStep: 'USE',
      criterion: 'CLIMATE_CHANGE',
      value: -5,
      unit: 'kg CO2 eq',
      status: 'OK',
      tier: 'TERMINAL',
      physicalEquipment: '@h',
    } as unknown as IndicatorRow;
    expect(csvRow(row)).toBe(`physical-equipment;'-pc;'=E;USE;CLIMATE_CHANGE;-5;kg CO2 eq;OK;;;TERMINAL;;'@h;\n`);
    const totals = {
      byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', value: -2, byStep: { USE: -2 } }],
      by: { entity: { '+x': { CLIMATE_CHANGE: -2 } } },
      allocations: {},
      coverage: { notCovered: { byCriterion: {} }, toFix: { byCode: {} } },
      outOfPeriod: { byKind: {} },
    } as unknown as Totals;
    expect(totalsCsv(totals).split('\n')).toEqual([
      'dimension;key;criterion;lifecycleStep;value;unit',
      'total;;CLIMATE_CHANGE;USE;-2;kg CO2 eq',
      'total;;CLIMATE_CHANGE;ALL;-2;kg CO2 eq',
      `entity;'+x;CLIMATE_CHANGE;ALL;-2;kg CO2 eq`,
      '',
    ]);
  });

  it('referential exports go through it: text neutralised, numbers kept', () => {
    const layer = emptyLayer('t');
    const prov = { source: 'test', layer: 't' };
    layer.criteria.push({ code: 'X', label: '=X', unit: 'u', description: '-d', prov });
    layer.hypotheses.push({ code: 'H', value: -3, description: '@h', prov } as never);
    const files = exportFiles(layer, 'g4it');
    expect(files.get('criterion.csv')).toBe(`code;label;description;unit\nX;'=X;'-d;u\n`);
    expect(files.get('hypothesis.csv')).toBe(`code;source;value;description;subscriber;version\nH;test;-3;'@h;;\n`);
  });
});

describe('rejects files carry no live formula and re-import with the original values', () => {
  // quantite 'x' rejects every line; the names and models are the payloads of the fuzzing campaign.
  const lines = [
    `=cmd|' /C calc'!A0;M1;x;Laptop;France`,
    `+1+1;"@SUM(A1)";x;Laptop;France`,
    `\t=1+1;-M;x;Laptop;France`,
    `"=HYPERLINK(""http://x"")";M2;x;Laptop;France`,
  ];

  it('prefixes each formula cell with a quote in the rejects file (CSV input, raw text kept otherwise)', async () => {
    const d = await dirWith({ 'pe.csv': [PE_HEADER, ...lines].join('\n') + '\n' });
    const rej = join(tmp, `rej-${Date.now()}`);
    const r = await run(['validate', join(d, 'pe.csv'), '--rejects', rej, ...DATE]);
    // Every line is rejected: the file is failed (no silent zero, issue 11), its rejects file still written.
    expect(r.code).toBe(2);
    expect(r.err).toContain('INP_ALL_LINES_REJECTED');
    const text = await readFile(join(rej, 'rejected_pe.csv'), 'utf8');
    const msg = (line: number) => `${line};INP_NOT_NUMBER;Line ${line}: field 'quantite' must be a number (got 'x').`;
    expect(text.split('\n')).toEqual([
      `${PE_HEADER};line;errorCode;errorMessage`,
      `'=cmd|' /C calc'!A0;M1;x;Laptop;France;${msg(2)}`,
      `'+1+1;"'@SUM(A1)";x;Laptop;France;${msg(3)}`,
      `'\t=1+1;'-M;x;Laptop;France;${msg(4)}`,
      `"'=HYPERLINK(""http://x"")";M2;x;Laptop;France;${msg(5)}`,
      '',
    ]);
    // The user corrects the quantities and re-imports the rejects file: the original names and models come back.
    const fixed = join(d, 'fixed.csv');
    await writeFile(fixed, text.replace(/;x;/g, ';1;'));
    const items: PhysicalEquipment[] = [];
    const res = await processInventory(
      [fixed],
      { referenceDate: '2025-01-01' },
      { physical: (pe) => void items.push(pe) },
    );
    expect([res.files[0]!.imported, res.files[0]!.rejected]).toEqual([4, 0]);
    expect(items.map((i) => [i.name, i.model])).toEqual([
      [`=cmd|' /C calc'!A0`, 'M1'],
      ['+1+1', '@SUM(A1)'],
      ['=1+1', '-M'], // the original cell '\t=1+1' reads as '=1+1' (cells are trimmed), before and after
      ['=HYPERLINK("http://x")', 'M2'],
    ]);
    // The same values as reading the original lines with a valid quantity.
    const orig = join(d, 'orig.csv');
    await writeFile(orig, [PE_HEADER, ...lines].join('\n').replace(/;x;/g, ';1;') + '\n');
    const again: PhysicalEquipment[] = [];
    await processInventory([orig], { referenceDate: '2025-01-01' }, { physical: (pe) => void again.push(pe) });
    expect(again.map((i) => [i.name, i.model])).toEqual(items.map((i) => [i.name, i.model]));
  });

  it('a mapped export round-trips too: the mapping reads the guarded cells as their original values', async () => {
    const mapping = [
      'kind: physical-equipment',
      'name: test',
      'fields:',
      '  name: Asset',
      '  model: Ref',
      '  quantity: Qty',
      '  type: { from: Cat, map: { "-": Laptop }, otherwise: keep }',
      '  country: { value: France }',
      '',
    ].join('\n');
    const d = await dirWith({ 'fleet.csv': 'Asset;Ref;Qty;Cat\n=A;+M;x;-\n', 'm.yaml': mapping });
    const rej = await mkdtemp(join(tmp, 'rm-'));
    const args = ['validate', join(d, 'fleet.csv'), '--mapping', join(d, 'm.yaml'), '--rejects', rej, ...DATE];
    expect((await run(args)).code).toBe(2); // its one line rejected: INP_ALL_LINES_REJECTED (issue 11)
    const text = await readFile(join(rej, 'rejected_fleet.csv'), 'utf8');
    expect(text.split('\n')[1]).toBe(`'=A;'+M;x;'-;2;INP_NOT_NUMBER;Line 2: field 'Qty' must be a number (got 'x').`);
    const fixed = join(d, 'fixed.csv');
    await writeFile(fixed, text.replace(';x;', ';3;'));
    const items: PhysicalEquipment[] = [];
    const res = await processInventory(
      [fixed],
      { referenceDate: '2025-01-01', mapTable: await loadMapping(join(d, 'm.yaml')) },
      { physical: (pe) => void items.push(pe) },
    );
    expect(res.files[0]!.imported).toBe(1);
    expect(items.map((i) => [i.name, i.model, i.quantity, i.type])).toEqual([['=A', '+M', 3, 'Laptop']]);
  });

  it('text cells of an XLSX (inert there) do not become live formulas in the rejects CSV', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Parc');
    ws.addRow(PE_HEADER.split(';'));
    ws.addRow(['=1+1', '@SUM(A1)', 'x', 'Laptop', 'France']);
    ws.addRow(['-pc', 'M;1', 'x', 'Laptop', 'France']);
    const d = await mkdtemp(join(tmp, 'xlsx-'));
    await wb.xlsx.writeFile(join(d, 'parc.xlsx'));
    const rej = join(tmp, `rejx-${Date.now()}`);
    // Both lines rejected: the file is failed (INP_ALL_LINES_REJECTED, issue 11), its rejects file still written.
    expect((await run(['validate', join(d, 'parc.xlsx'), '--rejects', rej, ...DATE])).code).toBe(2);
    const [name] = await readdir(rej);
    const text = await readFile(join(rej, name!), 'utf8');
    expect(text.split('\n').slice(1, 3)).toEqual([
      `'=1+1;'@SUM(A1);x;Laptop;France;2;INP_NOT_NUMBER;Line 2: field 'quantite' must be a number (got 'x').`,
      `'-pc;"M;1";x;Laptop;France;3;INP_NOT_NUMBER;Line 3: field 'quantite' must be a number (got 'x').`,
    ]);
  });

  it('assess --format csv neutralises the item names of its rows', async () => {
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\n@pc;M;1;Laptop;France\n` });
    const out = join(await mkdtemp(join(tmp, 'o-')), 'r.csv');
    expect((await run(['assess', join(d, 'pe.csv'), '--format', 'csv', '--out', out, ...DATE])).code).toBe(0);
    const rows = (await readFile(out, 'utf8')).split('\n').slice(1, -1);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.startsWith(`physical-equipment;'@pc;`)).toBe(true);
  });
});

describe('outputs on inputs are refused before any work (OUT_OVERWRITES_INPUT)', () => {
  it('--out equal to the input file keeps the inventory intact, exit 2', async () => {
    const inv = `${PE_HEADER}\npc;M;1;Laptop;France\n`;
    const d = await dirWith({ 'pe.csv': inv });
    const pe = join(d, 'pe.csv');
    const r = await run(['assess', pe, '--out', pe, '--format', 'json', ...DATE]);
    expect(r.code).toBe(2);
    expectOneLine(r.err, `${pe}:1:1: OUT_OVERWRITES_INPUT --out ${pe} is the input ${pe} or inside it`);
    expect(await readFile(pe, 'utf8')).toBe(inv);
    expect(await readdir(d)).toEqual(['pe.csv']);
  });

  it('--out inside an input folder, or through a symlink to the input, and --rejects inside an input are refused', async () => {
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\npc;M;x;Laptop;France\n` });
    const a = await run(['assess', d, '--out', join(d, 'report.json'), ...DATE]);
    expect(a.code).toBe(2);
    expectOneLine(a.err, `${join(d, 'report.json')}:1:1: OUT_OVERWRITES_INPUT`);
    const link = join(await mkdtemp(join(tmp, 'l-')), 'link.csv');
    await symlink(join(d, 'pe.csv'), link);
    const b = await run(['assess', join(d, 'pe.csv'), '--out', link, ...DATE]);
    expect(b.code).toBe(2);
    expectOneLine(b.err, `${link}:1:1: OUT_OVERWRITES_INPUT`);
    for (const cmd of ['assess', 'validate']) {
      const c = await run([cmd, d, '--rejects', join(d, 'rejects'), ...DATE]);
      expect(c.code).toBe(2);
      expectOneLine(c.err, `${join(d, 'rejects')}:1:1: OUT_OVERWRITES_INPUT --rejects`);
      const e = await run([cmd, d, '--rejects', d, ...DATE]);
      expect(e.code).toBe(2);
      expectOneLine(e.err, `${d}:1:1: OUT_OVERWRITES_INPUT --rejects`);
    }
    expect(await readdir(d)).toEqual(['pe.csv']);
  });

  it('referential export into the folder of the pack it exports is refused', async () => {
    const home = await mkdtemp(join(tmp, 'home-'));
    vi.stubEnv('EMPREINTE_HOME', home);
    expect((await run(['referential', 'import', 'test/fixtures/pack/user-good', '--id', 'mine'])).code).toBe(0);
    const packDir = join(home, 'referentials', 'mine');
    const before = (await readdir(packDir)).sort();
    const r = await run(['referential', 'export', 'mine', packDir, '--format', 'g4it']);
    expect(r.code).toBe(2);
    expectOneLine(r.err, `${packDir}:1:1: OUT_OVERWRITES_INPUT export folder ${packDir}`);
    expect((await readdir(packDir)).sort()).toEqual(before);
  });
});

describe('OS errors are one coded line, never a stack trace', () => {
  const good = `${PE_HEADER}\npc;M;1;Laptop;France\n`;

  it('--out a folder, under a regular file (ENOTDIR), with a missing parent', async () => {
    const d = await dirWith({ 'pe.csv': good, 'file.txt': 'x' });
    const pe = join(d, 'pe.csv');
    const outDir = await mkdtemp(join(tmp, 'od-'));
    const cases: [string, string][] = [
      [outDir, `${outDir}:1:1: OUT_UNWRITABLE ${outDir} cannot be written: it is a folder.`],
      [
        join(d, 'file.txt', 'x.json'),
        `${join(d, 'file.txt', 'x.json')}:1:1: OUT_UNWRITABLE ${join(d, 'file.txt', 'x.json')} cannot be written: a part of the path is not a folder (ENOTDIR).`,
      ],
      [
        join(outDir, 'no', 'x.json'),
        `${join(outDir, 'no', 'x.json')}:1:1: OUT_UNWRITABLE ${join(outDir, 'no', 'x.json')} cannot be written: folder ${join(outDir, 'no')} does not exist.`,
      ],
    ];
    for (const [out, line] of cases) {
      const r = await run(['assess', pe, '--out', out, '--format', 'json', ...DATE]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`empreinte: ${line}\n`);
      expect(r.out).toBe('');
    }
    expect(await readdir(outDir)).toEqual([]);
  });

  it('--rejects a regular file, under a regular file, and a rejects file name taken by a folder', async () => {
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\npc;M;x;Laptop;France\n` });
    const pe = join(d, 'pe.csv');
    const f = join(await mkdtemp(join(tmp, 'rf-')), 'plain');
    await writeFile(f, 'x');
    for (const cmd of ['assess', 'validate']) {
      const a = await run([cmd, pe, '--rejects', f, ...DATE]);
      expect(a.code).toBe(2);
      expect(a.err).toBe(`empreinte: ${f}:1:1: OUT_UNWRITABLE ${f} cannot be written: it is not a folder.\n`);
      const b = await run([cmd, pe, '--rejects', join(f, 'sub'), ...DATE]);
      expect(b.code).toBe(2);
      expectOneLine(b.err, `${join(f, 'sub')}:1:1: OUT_UNWRITABLE`);
      expect(b.err).toContain('(ENOTDIR)');
    }
    // The rejects folder exists but `rejected_pe.csv` in it is a folder: the rename fails (EISDIR) at the end.
    const rej = await mkdtemp(join(tmp, 'rj-'));
    await mkdir(join(rej, 'rejected_pe.csv'));
    const out = join(await mkdtemp(join(tmp, 'ro-')), 'r.json');
    const c = await run(['assess', pe, '--rejects', rej, '--out', out, '--format', 'json', ...DATE]);
    expect(c.code).toBe(2);
    expect(c.err).toBe(
      `empreinte: ${join(rej, 'rejected_pe.csv')}:1:1: OUT_UNWRITABLE ${join(rej, 'rejected_pe.csv')} cannot be written: it is a folder (EISDIR).\n`,
    );
    expect(await readdir(rej)).toEqual(['rejected_pe.csv']); // no temporary file left
    expect(existsSync(out)).toBe(false); // no report either
    expect(await readdir(join(out, '..'))).toEqual([]);
  });

  it("a failing write stream (EISDIR standing in for EACCES on a read-only folder) is one coded line, not an unhandled 'error'", async () => {
    // As root a read-only folder does not stop writes; a folder in place of this run's temporary file makes the
    // write stream fail the same way (asynchronously, with an 'error' event), for the rejects file and for --out.
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\npc;M;x;Laptop;France\n` });
    const rej = await mkdtemp(join(tmp, 'ew-'));
    const tmpRej = join(rej, `.rejected_pe.csv.${process.pid}.tmp`);
    await mkdir(tmpRej);
    const a = await run(['validate', join(d, 'pe.csv'), '--rejects', rej, ...DATE]);
    expect(a.code).toBe(2);
    expect(a.err).toBe(
      `empreinte: ${join(rej, 'rejected_pe.csv')}:1:1: OUT_UNWRITABLE ${join(rej, 'rejected_pe.csv')} cannot be written: it is a folder (EISDIR).\n`,
    );
    const outDir = await mkdtemp(join(tmp, 'eo-'));
    await mkdir(join(outDir, `.r.json.${process.pid}.tmp`));
    const b = await run(['assess', join(d, 'pe.csv'), '--out', join(outDir, 'r.json'), ...DATE]);
    expect(b.code).toBe(2);
    expect(b.err).toBe(
      `empreinte: ${join(outDir, 'r.json')}:1:1: OUT_UNWRITABLE ${join(outDir, 'r.json')} cannot be written: it is a folder (EISDIR).\n`,
    );
    expect(existsSync(join(outDir, 'r.json'))).toBe(false);
  });

  it('a symlink loop or a dangling symlink named *.csv in a folder is skipped with a warning; the others are read', async () => {
    const d = await dirWith({ 'pe.csv': good });
    await symlink('loop.csv', join(d, 'loop.csv'));
    await symlink(join(d, 'nowhere'), join(d, 'dangling.csv'));
    const out = join(await mkdtemp(join(tmp, 'sk-')), 'r.json');
    const r = await run(['assess', d, '--out', out, '--format', 'json', '--summary', ...DATE]);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual([
      `warning: ${join(d, 'dangling.csv')}:1:1: INP_ENTRY_SKIPPED Folder entry ${join(d, 'dangling.csv')} is skipped: no such file or folder (ENOENT).`,
      `warning: ${join(d, 'loop.csv')}:1:1: INP_ENTRY_SKIPPED Folder entry ${join(d, 'loop.csv')} is skipped: too many levels of symbolic links (ELOOP).`,
      '',
    ]);
    const json = JSON.parse(await readFile(out, 'utf8')) as { inventory: { file: string; imported: number }[] };
    expect(json.inventory.find((f) => f.file.endsWith('pe.csv'))!.imported).toBe(1);
    const v = await run(['validate', d, '--format', 'json', ...DATE]);
    expect(v.code).toBe(0);
    const rep = JSON.parse(v.out) as { files: { file: string; status: string; issues: { code: string }[] }[] };
    expect(rep.files.map((f) => [f.file.slice(d.length + 1), f.status, f.issues.map((i) => i.code)])).toEqual([
      ['dangling.csv', 'ok', ['INP_ENTRY_SKIPPED']],
      ['loop.csv', 'ok', ['INP_ENTRY_SKIPPED']],
      ['pe.csv', 'ok', []],
    ]);
  });

  it('a symlink loop or dangling symlink named explicitly: one line at 1:1, exit 2, nothing on stdout', async () => {
    const d = await dirWith({ 'pe.csv': good });
    await symlink('loop.csv', join(d, 'loop.csv'));
    await symlink(join(d, 'nowhere'), join(d, 'dangling.csv'));
    for (const [name, reason] of [
      ['loop.csv', 'too many levels of symbolic links (ELOOP)'],
      ['dangling.csv', 'no such file or folder (ENOENT)'],
    ]) {
      const p = join(d, name!);
      // With another good file first: the JSON document must not start on stdout (no truncated JSON).
      const r = await run(['assess', join(d, 'pe.csv'), p, '--format', 'json', ...DATE]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`empreinte: ${p}:1:1: INP_FILE_UNREADABLE File ${p} cannot be read: ${reason}.\n`);
    }
  });

  it('an OS error opening a file (EACCES, simulated: root ignores permissions) skips a folder entry, fails a named file', async () => {
    // The run's readers with one for a test-only extension that fails as open(2) does on an unreadable file (the CLI
    // prints these reports as the ELOOP test above shows).
    const readers = tableReaders({
      eacces: async (path) => {
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
          code: 'EACCES',
          syscall: 'open',
          path,
        });
      },
    });
    const d = await dirWith({ 'a.eacces': 'x', 'pe.csv': good });
    const p = join(d, 'a.eacces');
    const inFolder = await processInventory([d], { readers, referenceDate: '2025-06-30' });
    const skipped = inFolder.files.find((f) => f.path === p)!;
    expect(skipped.status).not.toBe('failed');
    expect(skipped.issues.map((i) => [i.code, i.details['reason']])).toEqual([
      ['INP_ENTRY_SKIPPED', 'permission denied (EACCES)'],
    ]);
    expect(inFolder.files.find((f) => f.path === join(d, 'pe.csv'))!.imported).toBe(1);
    const named = await processInventory([p], { readers, referenceDate: '2025-06-30' });
    expect(named.files[0]!.status).toBe('failed');
    expect(named.files[0]!.fileError?.code).toBe('INP_FILE_UNREADABLE');
    expect(named.files[0]!.fileError?.details['reason']).toBe('permission denied (EACCES)');
  });

  it('referential export to a path under a regular file, or onto a file: one line, nothing written', async () => {
    const d = await mkdtemp(join(tmp, 'ex-'));
    const f = join(d, 'plain');
    await writeFile(f, 'x');
    const a = await run(['referential', 'export', 'empreinte-default', join(f, 'x'), '--format', 'g4it']);
    expect(a.code).toBe(2);
    expect(a.err).toBe(
      `empreinte: ${join(f, 'x')}:1:1: OUT_UNWRITABLE ${join(f, 'x')} cannot be written: a part of the path is not a folder (ENOTDIR).\n`,
    );
    const b = await run(['referential', 'export', 'empreinte-default', f, '--format', 'g4it']);
    expect(b.code).toBe(2);
    expect(b.err).toBe(`empreinte: ${f}:1:1: OUT_UNWRITABLE ${f} cannot be written: it is not a folder.\n`);
    expect(await readdir(d)).toEqual(['plain']);
  });

  it('stdout closed by its reader (EPIPE, `| head`) is one coded line, not an unhandled stream error', async () => {
    const d = await mkdtemp(join(tmp, 'pipe-'));
    const rows = Array.from({ length: 20_000 }, (_, i) => `pc${i};M;1;Laptop;France`).join('\n');
    await writeFile(join(d, 'pe.csv'), `${PE_HEADER}\n${rows}\n`);
    const runner = await cliRunner(d);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', runner, 'assess', join(d, 'pe.csv'), '--format', 'csv', ...DATE],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after the first chunk
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toBe(
      'empreinte: <stdout>:1:1: OUT_UNWRITABLE <stdout> cannot be written: the reader of the pipe has gone (EPIPE).\n',
    );
  }, 60_000);

  it('a file-level error of the input is printed at file:1:1', async () => {
    const d = await dirWith({ 'x.csv': 'foo;bar\n1;2\n' });
    const r = await run(['assess', join(d, 'x.csv'), ...DATE]);
    expect(r.code).toBe(2);
    expectOneLine(r.err, `${join(d, 'x.csv')}:1:1: INP_FILE_KIND_UNKNOWN`);
  });
});

describe('temporary files', () => {
  it('a stale temporary file of a dead process next to --out is removed by the next run; a live one is kept', async () => {
    const dead = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => resolve(c.pid!));
    });
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\npc;M;1;Laptop;France\n` });
    const outDir = await mkdtemp(join(tmp, 'st-'));
    const stale = join(outDir, `.r.json.${dead}.tmp`);
    const live = join(outDir, `.r.json.${process.ppid}.tmp`); // our parent is alive
    const other = join(outDir, `.other.json.${dead}.tmp`); // another target's: not ours to remove
    for (const f of [stale, live, other]) await writeFile(f, 'partial');
    const r = await run(['assess', join(d, 'pe.csv'), '--out', join(outDir, 'r.json'), ...DATE]);
    expect(r.code).toBe(0);
    expect((await readdir(outDir)).sort()).toEqual([
      `.other.json.${dead}.tmp`,
      `.r.json.${process.ppid}.tmp`,
      'r.json',
    ]);
  });

  it('stale rejects temporary files of dead processes are removed at the start of the next run, even without rejects', async () => {
    const dead = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => resolve(c.pid!));
    });
    const d = await dirWith({ 'pe.csv': `${PE_HEADER}\npc;M;1;Laptop;France\n` });
    const rej = await mkdtemp(join(tmp, 'sr-'));
    await writeFile(join(rej, `.rejected_pe.csv.${dead}.tmp`), 'partial');
    await writeFile(join(rej, `.rejected_other.csv.${process.ppid}.tmp`), 'live');
    await writeFile(join(rej, `.notes.${dead}.tmp`), 'not a rejects file');
    expect((await run(['validate', join(d, 'pe.csv'), '--rejects', rej, ...DATE])).code).toBe(0);
    expect((await readdir(rej)).sort()).toEqual([`.notes.${dead}.tmp`, `.rejected_other.csv.${process.ppid}.tmp`]);
  });

  it('removeStaleTemps asks whether each pid exists and removes only dead ones', async () => {
    const d = await mkdtemp(join(tmp, 'rs-'));
    for (const n of ['.a.csv.11.tmp', '.a.csv.12.tmp', '.a.csv.x.tmp', 'a.csv', '.b.csv.11.tmp'])
      await writeFile(join(d, n), '');
    await mkdir(join(d, '.a.csv.13.tmp')); // an export's temporary folder
    const removed = await removeStaleTemps(join(d, 'a.csv'), (pid) => pid === 12);
    expect(removed.sort()).toEqual([join(d, '.a.csv.11.tmp'), join(d, '.a.csv.13.tmp')]);
    expect((await readdir(d)).sort()).toEqual(['.a.csv.12.tmp', '.a.csv.x.tmp', '.b.csv.11.tmp', 'a.csv']);
  });

  it('removeStaleTemps removes the scratch files (.tmp.rows) of dead processes too, and no other name', async () => {
    const d = await mkdtemp(join(tmp, 'rs-rows-'));
    for (const n of ['.a.csv.11.tmp.rows', '.a.csv.12.tmp.rows', '.a.csv.11.tmp.rowsx', '.a.csv.11.rows', 'a.csv'])
      await writeFile(join(d, n), '');
    const removed = await removeStaleTemps(join(d, 'a.csv'), (pid) => pid === 12);
    expect(removed).toEqual([join(d, '.a.csv.11.tmp.rows')]);
    expect((await readdir(d)).sort()).toEqual(['.a.csv.11.rows', '.a.csv.11.tmp.rowsx', '.a.csv.12.tmp.rows', 'a.csv']);
    expect(scratchPath(join(d, 'a.csv'), 7)).toBe(join(d, '.a.csv.7.tmp.rows'));
  });

  it('the registry removes what it holds', async () => {
    const d = await mkdtemp(join(tmp, 'rg-'));
    const reg = new TempRegistry();
    await writeFile(join(d, 'a'), '');
    await mkdir(join(d, 'b'));
    reg.add(join(d, 'a'));
    reg.add(join(d, 'b'));
    reg.add(join(d, 'c')); // already gone: ignored
    reg.removeAllSync();
    expect(await readdir(d)).toEqual([]);
    expect(reg.list()).toEqual([]);
  });

  it('SIGTERM and SIGINT during a run remove its temporary files and exit 143 / 130', async () => {
    const d = await mkdtemp(join(tmp, 'sig-'));
    const rows = Array.from({ length: 400_000 }, (_, i) => `pc${i};M;1;Laptop;France`).join('\n');
    await writeFile(join(d, 'pe.csv'), `${PE_HEADER}\n${rows}\n`);
    const runner = await cliRunner(d);
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const outDir = await mkdtemp(join(tmp, 'sigout-'));
      const rej = join(outDir, 'rejects');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          runner,
          'assess',
          join(d, 'pe.csv'),
          '--format',
          'json',
          '--out',
          join(outDir, 'r.json'),
          '--rejects',
          rej,
          ...DATE,
        ],
        { stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // Wait for the temporary output to exist and grow (rows being written), then interrupt.
      const tmpName = `.r.json.${child.pid}.tmp`;
      for (let i = 0; i < 600; i++) {
        const names = await readdir(outDir);
        if (names.includes(tmpName) && (await readFile(join(outDir, tmpName))).length > 10_000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await readdir(outDir)).toContain(tmpName);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(await readdir(outDir)).toEqual([]);
    }
  }, 120_000);
});

describe('terminal output strips control characters', () => {
  it('printable removes C0/C1 controls and DEL; oneLine also turns line feeds into spaces', () => {
    expect(printable('a\x1b[2Jb\x1b]0;pwned\x07c\x9b31md\x7fe\tf\ng')).toBe('a[2Jb]0;pwnedc31mde f\ng');
    expect(printable('x\ny\r', true)).toBe('x y');
    const i = issue(
      'INP_NOT_NUMBER',
      { field: 'quantite', value: '\x1b[2J' },
      { file: 'f.csv', line: 3, column: 'quantite' },
    );
    expect(issueLine(i)).toBe(
      "f.csv:3:quantite: INP_NOT_NUMBER Line 3: field 'quantite' must be a number (got '[2J').",
    );
  });

  it('mapping suggest strips them from the header names it echoes in comments', async () => {
    const d = await dirWith({ 'h.csv': 'nom\x1b[2J;modele\nA;B\n' });
    const r = await run(['mapping', 'suggest', join(d, 'h.csv')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# Header columns not used: nom[2J');
    // eslint-disable-next-line no-control-regex
    expect(r.out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('validate tables, issue lines and assess tables print no escape sequence from cells', async () => {
    const evil = '\x1b[2J\x1b]0;pwned\x07';
    const d = await dirWith({
      'pe.csv': `${PE_HEADER};nomEntite\npc;M;"x${evil}";Laptop;France;E\nok;M;1;Laptop;France;"ent${evil}"\n`,
    });
    const v = await run(['validate', join(d, 'pe.csv'), ...DATE]);
    const a = await run(['assess', join(d, 'pe.csv'), ...DATE]);
    for (const r of [v, a]) {
      expect(r.code).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(r.out + r.err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    expect(v.out).toContain("(got 'x[2J]0;pwned')");
    expect(a.err).toContain("(got 'x[2J]0;pwned')");
    expect(a.out).toContain('ent[2J]0;pwned');
  });
});
