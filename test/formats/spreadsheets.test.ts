/**
 * XLSX (generated here with exceljs: two sheets, typed cells, formulas, gaps) and ODS
 * (test/fixtures/mapping/inventory.ods, built by scripts/build-mapping-fixtures.ts) readers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOds } from '../../src/formats/ods.js';
import { numberText } from '../../src/formats/sheet-values.js';
import type { Table, TableRow } from '../../src/formats/table.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';

const FIXTURES = 'test/fixtures/mapping/';

async function rowsOf(t: Table): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

async function fileError(p: Promise<unknown>): Promise<{ code: string; file?: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EmpreinteError);
    return { code: (e as EmpreinteError).issue.code, file: (e as EmpreinteError).issue.file };
  }
  throw new Error('expected an EmpreinteError');
}

describe('numberText', () => {
  it('writes numbers without binary or locale artefacts', () => {
    expect(numberText(3.3000000000000003)).toBe('3.3'); // 3 × 1.1 in binary floating point
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1234.5)).toBe('1234.5');
    expect(numberText(1e21)).toBe('1e+21');
    expect(numberText(-42)).toBe('-42');
  });
});

describe('XLSX reader', () => {
  let dir: string;
  let book: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-xlsx-'));
    book = join(dir, 'inventory.xlsx');
    const wb = new ExcelJS.Workbook();
    const eq = wb.addWorksheet('Equipment');
    eq.addRow([
      'nomEquipementPhysique',
      'modele',
      'quantite',
      'type',
      'paysDUtilisation',
      'dateAchat',
      'consoElecAnnuelle',
    ]);
    eq.addRow(['PC-001', 'Latitude 5420', 2, 'Laptop', 'France', new Date(Date.UTC(2021, 2, 15)), 3 * 1.1]);
    eq.addRow([]); // row 3 empty
    const r4 = eq.addRow([
      'SRV-01',
      'PowerEdge R740',
      1,
      'Server',
      'Germany',
      new Date(Date.UTC(2020, 0, 2, 10, 30)),
      0,
    ]);
    r4.getCell(3).value = { formula: '2-1', result: 1 };
    r4.getCell(7).value = { richText: [{ text: '12' }, { text: '50' }] };
    const r5 = eq.addRow(['SW-01', 'C9200L', 1, 'Switch', 'France']);
    r5.getCell(6).value = { formula: 'DATE(2019,5,17)', result: 43602 }; // serial 43602 = 2019-05-17
    r5.getCell(6).numFmt = 'dd/mm/yyyy';
    r5.getCell(7).value = true;
    const dc = wb.addWorksheet('Datacenters');
    dc.addRow([]);
    dc.addRow(['nomCourtDatacenter', 'localisation', 'pue']); // header on row 2
    dc.addRow(['DC-1', 'France', 1.5]);
    wb.addWorksheet('Blank');
    await wb.xlsx.writeFile(book);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('returns one table per non-empty sheet with headers and sheet row numbers', async () => {
    const tables = await openXlsx(book);
    expect(tables.map((t) => [t.sheet, t.headerLine, t.format])).toEqual([
      ['Equipment', 1, 'xlsx'],
      ['Datacenters', 2, 'xlsx'],
    ]);
    expect(tables[0]!.header[5]).toBe('dateAchat');
    const eq = await rowsOf(tables[0]!);
    expect(eq.map((r) => r.line)).toEqual([2, 4, 5]); // empty row 3 skipped
    expect(eq[0]!.cells).toEqual(['PC-001', 'Latitude 5420', '2', 'Laptop', 'France', '2021-03-15', '3.3']);
    // formula → cached result; date-time keeps its time; rich text → plain text
    expect(eq[1]!.cells).toEqual(['SRV-01', 'PowerEdge R740', '1', 'Server', 'Germany', '2020-01-02 10:30:00', '1250']);
    // date-formatted formula result (serial 43602) → ISO date; boolean → true
    expect(eq[2]!.cells).toEqual(['SW-01', 'C9200L', '1', 'Switch', 'France', '2019-05-17', 'true']);
    const dc = await rowsOf(tables[1]!);
    expect(dc).toEqual([{ line: 3, cells: ['DC-1', 'France', '1.5'] }]);
    // re-iterable
    expect((await rowsOf(tables[1]!)).length).toBe(1);
  });

  it('reads one named sheet', async () => {
    const tables = await openXlsx(book, { sheet: 'datacenters' });
    expect(tables.map((t) => t.sheet)).toEqual(['Datacenters']);
  });

  it('reports unreadable and corrupt files naming the file', async () => {
    const bad = join(dir, 'corrupt.xlsx');
    await writeFile(bad, 'this is not a zip file at all');
    expect(await fileError(openXlsx(bad, { displayName: 'corrupt.xlsx' }))).toEqual({
      code: 'INP_FILE_UNREADABLE',
      file: 'corrupt.xlsx',
    });
    expect((await fileError(openXlsx(join(dir, 'missing.xlsx')))).code).toBe('INP_FILE_UNREADABLE');
  });
});

describe('ODS reader', () => {
  it('reads typed values, repeated rows and cells, formulas, paragraphs; skips empty rows and sheets', async () => {
    const tables = await openOds(FIXTURES + 'inventory.ods');
    expect(tables.map((t) => [t.sheet, t.headerLine, t.format])).toEqual([
      ['Equipment', 1, 'ods'],
      ['Datacenters', 1, 'ods'],
    ]);
    expect(tables[0]!.header).toEqual([
      'nomEquipementPhysique',
      'modele',
      'quantite',
      'type',
      'paysDUtilisation',
      'dateAchat',
      'tauxUtilisation',
      'serveur',
      'consoElecAnnuelle',
    ]); // trailing 1020 repeated empty cells dropped
    const rows = await rowsOf(tables[0]!);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 8]); // row 3 repeated twice; rows 5–7 empty
    // 25 % stored 0.25; FAUX stored false; "1 234,5" shown, 1234.5 stored; date stored ISO; text:s = one space
    expect(rows[0]!.cells).toEqual([
      'PC-001',
      'Latitude 5420',
      '2',
      'Laptop',
      'France',
      '2021-03-15',
      '0.25',
      'false',
      '1234.5',
    ]);
    expect(rows[1]!.cells).toEqual(['SW-01', 'C9200L', '1', 'Switch', 'France', '2020-01-02', '', '', '']); // padded
    expect(rows[2]!.cells).toEqual(rows[1]!.cells);
    expect(rows[1]!.cells[5]).toBe('2020-01-02'); // 2020-01-02T00:00:00 → date only
    // two paragraphs joined by a newline; formula 1+2 → cached 3; comment excluded; 2 empty cells then 0.3
    expect(rows[3]!.cells).toEqual(['SRV-01', 'PowerEdge\nR740', '3', 'Server', 'Germany', '', '', '0.3', '']);
    expect(await rowsOf(tables[1]!)).toEqual([
      { line: 2, cells: ['DC-1', 'France', '1.5'] },
      { line: 3, cells: ['DC-2', 'Spain', '1.35'] },
    ]);
  });

  it('refuses a non-spreadsheet OpenDocument file and a truncated one, naming the file', async () => {
    const odt = await fileError(openOds(FIXTURES + 'not-a-spreadsheet.odt'));
    expect(odt).toEqual({ code: 'INP_FILE_UNREADABLE', file: 'not-a-spreadsheet.odt' });
    expect(await fileError(openOds(FIXTURES + 'truncated.ods'))).toEqual({
      code: 'INP_FILE_UNREADABLE',
      file: 'truncated.ods',
    });
  });
});
