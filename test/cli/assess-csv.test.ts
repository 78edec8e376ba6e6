/**
 * `empreinte assess --format csv|xlsx` (issue 11): the wide layout by default (one row per item), `--long` for the
 * per-indicator rows, `--locale fr` (`;`, decimal comma, UTF-8 BOM) read back with the project's own CSV reader; the
 * XLSX workbook (items, totals, breakdowns) read back with the project's own XLSX reader; the NumEcoEval / G4IT
 * indicator tables; the terminal table's readable units.
 * Expected values are worked out by hand from the C-06 case: one desktop of 153.3 kWh/year under the NumEcoEval
 * profile and referential, USE = 153.3 × 0.0813225 = 12.46674 kg CO2 eq, i.e. 12.47 to 4 significant digits.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCsv } from '../../src/formats/csv.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { parseNumber } from '../../src/inventory/cells.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-assess-csv-'));
const FIX = 'test/fixtures/cli';
const C06 = [
  `${FIX}/c06`,
  '--profile',
  'numecoeval',
  '--referential',
  `${FIX}/nee-referential`,
  '--date',
  '2025-01-01',
  '--lifetime',
  'fixed',
];
const USE = 'CLIMATE_CHANGE USE (kg CO2 eq)';

/** `assess C-06 --format csv <extra> --out <tmp>`: the file path. */
async function csvOf(extra: string[]): Promise<string> {
  const out = join(await mkdtemp(join(tmp, 'o-')), 'out.csv');
  const r = await runCli(['assess', ...C06, '--format', 'csv', ...extra, '--out', out]);
  expect(r.code, r.err).toBe(0);
  return out;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('assess --format csv', () => {
  it('writes one row per item by default: dimensions, one rounded column per criterion × step, status', async () => {
    const lines = (await readFile(await csvOf([]), 'utf8')).split('\n');
    expect(lines).toHaveLength(3); // header, the one desktop, the final empty string after the last '\n'
    expect(lines[2]).toBe('');
    const header = lines[0]!.split(';');
    expect(header.slice(0, 12)).toEqual([
      'kind',
      'name',
      'entity',
      'type',
      'tier',
      'country',
      'datacenter',
      'quantity',
      'virtualEquipment',
      'physicalEquipment',
      'file',
      'line',
    ]);
    expect(header.at(-1)).toBe('status');
    // Criteria outermost: the four steps of CLIMATE_CHANGE side by side, first.
    expect(header.slice(12, 16)).toEqual([
      'CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)',
      'CLIMATE_CHANGE DISTRIBUTION (kg CO2 eq)',
      USE,
      'CLIMATE_CHANGE END_OF_LIFE (kg CO2 eq)',
    ]);
    const row = lines[1]!.split(';');
    expect(row).toHaveLength(header.length);
    expect(row.slice(0, 2)).toEqual(['physical-equipment', 'desk-1']);
    expect(row[header.indexOf('type')]).toBe('Desktop');
    expect(row[header.indexOf('quantity')]).toBe('1');
    expect(row[header.indexOf('line')]).toBe('2');
    expect(row[header.indexOf(USE)]).toBe('12.47'); // 12.46674 to 4 significant digits
  });

  it('--long keeps one row per indicator, with exact values in the English locale', async () => {
    const lines = (await readFile(await csvOf(['--long']), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'kind;item;entity;lifecycleStep;criterion;value;unit;status;errorCode;errorMessage;tier;virtualEquipment;physicalEquipment;formula',
    );
    const use = lines.map((l) => l.split(';')).find((c) => c[3] === 'USE' && c[4] === 'CLIMATE_CHANGE')!;
    expect(Math.abs(Number(use[5]) - 12.46674) / 12.46674).toBeLessThan(1e-6);
  });

  it('--locale fr writes a UTF-8 BOM, ";" and decimal commas, read back with its numbers', async () => {
    const file = await csvOf(['--locale', 'fr']);
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = await openCsv(file);
    expect(table.delimiter).toBe(';');
    expect(table.encoding).toBe('utf-8-bom');
    const col = table.header.indexOf(USE);
    expect(col).toBeGreaterThan(11);
    const cells: string[] = [];
    for await (const r of table.rows) cells.push(r.cells[col]!);
    expect(cells).toEqual(['12,47']);
    const n = parseNumber(cells[0]!, { delimiter: table.delimiter });
    expect(n).toEqual({ ok: true, value: 12.47 });
  });

  it('--locale fr applies to --long and --summary too', async () => {
    const long = (await readFile(await csvOf(['--long', '--locale', 'fr']), 'utf8')).split('\n');
    expect(long[0]!.startsWith('\uFEFFkind;item;')).toBe(true);
    const use = long.map((l) => l.split(';')).find((c) => c[3] === 'USE' && c[4] === 'CLIMATE_CHANGE')!;
    expect(use[5]).toBe('12,47');
    const summary = (await readFile(await csvOf(['--summary', '--locale', 'fr']), 'utf8')).split('\n');
    expect(summary[0]).toBe('\uFEFFdimension;key;criterion;lifecycleStep;value;unit');
    // One item: the inventory total of the USE step is the item's value.
    expect(summary).toContain('total;;CLIMATE_CHANGE;USE;12,47;kg CO2 eq');
  });

  it('--locale fr writes line numbers and quantities exactly: only measured values are rounded', async () => {
    // 12,400 lines: rounding every number to 4 significant digits wrote line 12346 as 12350 and quantity 12345 as
    // 12350 (found in session 6). The values, 12345 × 153.3 kWh × 0.0813225 kg/kWh = 153,901.9 kg, stay rounded.
    const dir = await mkdtemp(join(tmp, 'lines-'));
    const header =
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;dureeUsageInterne;consoElecAnnuelle;dateAchat';
    const rows = Array.from(
      { length: 12_400 },
      (_, i) => `desk-${i + 1};Modèle inconnu;${i === 12_344 ? 12_345 : 1};Desktop;France;6;153.3;2020-01-01`,
    );
    await writeFile(join(dir, 'equipements.csv'), [header, ...rows].join('\n') + '\n');
    const out = join(await mkdtemp(join(tmp, 'o-')), 'out.csv');
    const r = await runCli(['assess', dir, ...C06.slice(1), '--format', 'csv', '--locale', 'fr', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const table = await openCsv(out);
    const [name, quantity, line, use] = ['name', 'quantity', 'line', USE].map((h) => table.header.indexOf(h));
    let found: string[] | undefined;
    for await (const row of table.rows) if (row.cells[name!] === 'desk-12345') found = [...row.cells];
    // desk-12345 is the 12,345th data line, line 12346 of the file (the header is line 1).
    expect([found![quantity!], found![line!], found![use!]]).toEqual(['12345', '12346', '153900']);
  });

  it('an unknown --locale is refused with a coded line, exit 2', async () => {
    const r = await runCli(['assess', ...C06, '--format', 'csv', '--locale', 'de']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("INP_BAD_ENUM Field '--locale'");
    expect(r.err).toContain('en, fr');
  });
});

/** Every row of a sheet table, as text cells. */
async function rowsOf(t: { rows: AsyncIterable<{ cells: readonly string[] }> }): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of t.rows) out.push([...r.cells]);
  return out;
}

describe('assess --format xlsx', () => {
  it('writes the items, totals and breakdowns sheets, read back with their values', async () => {
    const out = join(await mkdtemp(join(tmp, 'x-')), 'out.xlsx');
    const r = await runCli(['assess', ...C06, '--format', 'xlsx', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const sheets = await openXlsx(out);
    expect(sheets.map((s) => s.sheet)).toEqual(['items', 'totals', 'breakdowns']);
    const [items, totals, breakdowns] = sheets as [(typeof sheets)[0], (typeof sheets)[0], (typeof sheets)[0]];

    expect(items.header.slice(0, 2)).toEqual(['kind', 'name']);
    expect(items.header.at(-1)).toBe('status');
    const itemRows = await rowsOf(items);
    expect(itemRows).toHaveLength(1);
    expect(itemRows[0]![1]).toBe('desk-1');
    expect(itemRows[0]![items.header.indexOf(USE)]).toBe('12.47'); // 153.3 × 0.0813225 = 12.46674

    expect(totals.header.slice(0, 3)).toEqual(['criterion', 'unit', 'MANUFACTURING']);
    const cc = (await rowsOf(totals)).find((x) => x[0] === 'CLIMATE_CHANGE')!;
    expect(cc[1]).toBe('kg CO2 eq');
    expect(cc[totals.header.indexOf('USE')]).toBe('12.47'); // one item: the inventory's USE is the desktop's
    const total = cc[totals.header.indexOf('total')];

    expect(breakdowns.header).toEqual(['dimension', 'key', 'criterion', 'value', 'unit']);
    const desktop = (await rowsOf(breakdowns)).find(
      (x) => x[0] === 'type' && x[1] === 'Desktop' && x[2] === 'CLIMATE_CHANGE',
    )!;
    // One item, so the Desktop type holds the whole inventory total.
    expect(desktop[3]).toBe(total);
    expect(Number(total)).toBeGreaterThan(12.47);
  });

  it('needs --out: refused with OUT_FILE_REQUIRED, exit 2, before any work', async () => {
    const r = await runCli(['assess', ...C06, '--format', 'xlsx']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'empreinte: OUT_FILE_REQUIRED --format xlsx does not write to the terminal: give the output file with --out.\n',
    );
  });
});

describe('assess --format numecoeval|g4it --out <folder>', () => {
  /** The rows of a `;` file as records keyed by its header. */
  async function records(file: string): Promise<Record<string, string>[]> {
    const [head, ...lines] = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const header = head!.split(';');
    return lines.map((l) => Object.fromEntries(l.split(';').map((v, i) => [header[i]!, v])));
  }

  it('numecoeval: the physical equipment indicator table, USE of C-06 = 153.3 × 0.0813225', async () => {
    const dir = join(await mkdtemp(join(tmp, 'n-')), 'nee');
    const r = await runCli(['assess', ...C06, '--format', 'numecoeval', '--out', dir]);
    expect(r.code, r.err).toBe(0);
    expect(await readdir(dir)).toEqual(['ind_indicateur_impact_equipement_physique.csv']);
    const rows = await records(join(dir, 'ind_indicateur_impact_equipement_physique.csv'));
    const use = rows.find((x) => x.etapeacv === 'UTILISATION' && x.critere === 'Climate change')!;
    expect(Math.abs(Number(use.impact_unitaire) - 12.46674) / 12.46674).toBeLessThan(1e-6);
    expect(use.conso_elec_moyenne).toBe('153.3');
    expect(use.nom_equipement).toBe('desk-1');
    expect(use.type_equipement).toBe('Desktop');
    expect(use.statut_indicateur).toBe('OK');
    expect(use.date_lot).toBe('2025-01-01');
  });

  it('g4it: ind_physical_equipment with its columns; --out is required', async () => {
    const dir = join(await mkdtemp(join(tmp, 'g-')), 'g4it');
    expect((await runCli(['assess', ...C06, '--format', 'g4it', '--out', dir])).code).toBe(0);
    expect(await readdir(dir)).toEqual(['ind_physical_equipment.csv']);
    const rows = await records(join(dir, 'ind_physical_equipment.csv'));
    const use = rows.find((x) => x.acvStep === 'USING' && x.criteria === 'Climate change')!;
    expect(Math.abs(Number(use.unitImpact) - 12.46674) / 12.46674).toBeLessThan(1e-6);
    expect(use.equipmentName).toBe('desk-1');
    const r = await runCli(['assess', ...C06, '--format', 'g4it']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('OUT_FILE_REQUIRED --format g4it does not write to the terminal: give the output folder');
  });
});

describe('assess --format table', () => {
  it('shows each criterion in the unit that reads best: 100 desktops, USE = 100 × 12.46674 kg = 1.247 t', async () => {
    const dir = await mkdtemp(join(tmp, 't-'));
    const inv = (await readFile(`${FIX}/c06/equipements.csv`, 'utf8')).replace(
      'desk-1;Modèle inconnu;1;',
      'desk-1;Modèle inconnu;100;',
    );
    expect(inv).toContain(';100;');
    await writeFile(join(dir, 'equipements.csv'), inv);
    const out = join(await mkdtemp(join(tmp, 't-out-')), 'table.txt');
    const args = ['assess', dir, ...C06.slice(1), '--steps', 'USE', '--criteria', 'CLIMATE_CHANGE', '--out', out];
    expect((await runCli(args)).code).toBe(0);
    const text = await readFile(out, 'utf8');
    const row = text.split('\n').find((l) => l.startsWith('CLIMATE_CHANGE '))!;
    // criterion, unit, USE, WHOLE_LIFE (none), total: 1246.674 kg shown as 1.247 t, not 1,247 kg nor 1.247e+3.
    expect(row.split(/\s{2,}/).slice(0, 5)).toEqual(['CLIMATE_CHANGE', 't CO2 eq', '1.247', '–', '1.247']);
    // 100 × 153.3 kWh = 15,330 kWh = 15.33 MWh at the equipment.
    expect(text).toContain('Electricity: 15.33 MWh/yr at the equipment');
    expect(text).toMatch(/\n {2}Desktop +1\.247 t CO2 eq\n/);
  });
});

describe('assess --format json traces', () => {
  async function useRow(extra: string[]): Promise<Record<string, unknown>> {
    const out = join(await mkdtemp(join(tmp, 'j-')), 'out.json');
    expect((await runCli(['assess', ...C06, '--format', 'json', ...extra, '--out', out])).code).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8')) as { indicators: Record<string, unknown>[] };
    return doc.indicators.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
  }

  it('rows carry the formula alone by default, the whole trace with --trace full, none with --no-trace', async () => {
    const short = (await useRow([])).trace as Record<string, unknown>;
    expect(Object.keys(short)).toEqual(['formula']);
    expect(short.formula).toContain('153.3');
    expect(short.formula).toContain('0.0813225');
    const full = (await useRow(['--trace', 'full'])).trace as { formula: string; variables: Record<string, unknown> };
    expect(full.formula).toBe(short.formula);
    expect(Object.keys(full.variables).length).toBeGreaterThan(1);
    expect((await useRow(['--no-trace'])).trace).toBeUndefined();
  });
});
