/**
 * XLSX (generated here with exceljs — two sheets, typed cells, formulas, gaps; a streamed workbook with inline
 * strings; a large workbook for early aborts — and hand-built packages for the details of SpreadsheetML) and ODS
 * (test/fixtures/mapping/inventory.ods, built by scripts/build-mapping-fixtures.ts) readers.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOds } from '../../src/formats/ods.js';
import { numberText } from '../../src/formats/sheet-values.js';
import type { Table, TableRow } from '../../src/formats/table.js';
import { columnIndex } from '../../src/formats/xlsx-sheet.js';
import { isDateFormatCode } from '../../src/formats/xlsx-workbook.js';
import { zipEntryChunks } from '../../src/formats/xlsx-zip.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { zipEntries } from '../../src/formats/zip-entry.js';
import { zip } from '../helpers/zip.js';
import { rejectedIssue } from '../helpers/issues.js';

const FIXTURES = 'test/fixtures/mapping/';

async function rowsOf(t: Table): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

/** The code and file of the issue `p` rejects with. */
async function fileError(p: Promise<unknown>): Promise<{ code: string; file?: string }> {
  const i = await rejectedIssue(p);
  return { code: i.code, file: i.file };
}

/** Open file descriptors of this process (Linux /proc, or /dev/fd elsewhere). */
function openFds(): number {
  return readdirSync(existsSync('/proc/self/fd') ? '/proc/self/fd' : '/dev/fd').length;
}

/**
 * Pending file or zlib work (`FSReqCallback` of fs callbacks and streams, `FSReqPromise` of FileHandle reads, zlib
 * handles). A `CloseReq` is not counted: it stays listed until the tick after an awaited `FileHandle.close()` has
 * completed (the descriptor is already closed then, as `openFds` checks).
 */
function pendingIo(): string[] {
  return process.getActiveResourcesInfo().filter((r) => /FSReq|FileHandle|Zlib/i.test(r));
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A part of a workbook being built: tests change its text or its method before it is archived. */
interface WorkbookPart {
  name: string;
  text: string;
  stored?: boolean;
  data?: Buffer;
}

/** The parts of a minimal workbook; `sheets` are [name, worksheet XML]; worksheets come first in the archive. */
function workbookParts(
  sheets: [string, string][],
  extra: { sharedStrings?: string; styles?: string; workbookPr?: string } = {},
): WorkbookPart[] {
  const sheetParts = sheets.map(([, xml], i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, text: xml }));
  const rels = sheets.map(
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  const parts = [...sheetParts];
  if (extra.sharedStrings !== undefined) {
    parts.push({ name: 'xl/sharedStrings.xml', text: `<?xml version="1.0"?><sst ${NS}>${extra.sharedStrings}</sst>` });
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  if (extra.styles !== undefined) {
    parts.push({ name: 'xl/styles.xml', text: `<?xml version="1.0"?><styleSheet ${NS}>${extra.styles}</styleSheet>` });
    rels.push(`<Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/>`);
  }
  const sheetList = sheets.map(([name], i) => `<sheet name="${name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  parts.push(
    {
      name: 'xl/_rels/workbook.xml.rels',
      text: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      text: `<workbook ${NS} ${NS_R}>${extra.workbookPr ?? ''}<sheets>${sheetList.join('')}</sheets></workbook>`,
    },
    {
      name: '_rels/.rels',
      text: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
  );
  return parts;
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

  it('reads a workbook whose worksheets precede sharedStrings.xml in the archive (exceljs writer order)', async () => {
    const names = (await zipEntries(book)).map((e) => e.name);
    const sheet1 = names.indexOf('xl/worksheets/sheet1.xml');
    expect(sheet1).toBeGreaterThanOrEqual(0);
    expect(sheet1).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    expect(names.indexOf('xl/workbook.xml')).toBeGreaterThan(sheet1); // exceljs also writes the workbook part last
    const fdsBefore = openFds();
    const tables = await openXlsx(book);
    // shared strings of sheet 1, read after sheet 1's header in archive order
    expect(tables[0]!.header).toEqual([
      'nomEquipementPhysique',
      'modele',
      'quantite',
      'type',
      'paysDUtilisation',
      'dateAchat',
      'consoElecAnnuelle',
    ]);
    const rows = await rowsOf(tables[0]!);
    expect(rows[0]!.cells.slice(0, 2)).toEqual(['PC-001', 'Latitude 5420']);
    expect(openFds()).toBe(fdsBefore);
  });

  it('reads inline strings and date-formatted cells written by the exceljs streaming writer', async () => {
    const path = join(dir, 'inline.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet('Inline');
    ws.addRow(['name', 'bought', 'weight']).commit();
    const r = ws.addRow([
      { richText: [{ text: 'PC-' }, { font: { bold: true }, text: '002' }] },
      new Date(Date.UTC(2022, 11, 31)),
      2.5,
    ]);
    r.getCell(2).numFmt = 'dd/mm/yyyy';
    r.getCell(3).numFmt = '0.0 "d"'; // the d is a quoted literal: not a date
    r.commit();
    await wb.commit();
    const entries = await zipEntries(path);
    expect(entries.map((e) => e.name)).not.toContain('xl/sharedStrings.xml');
    const sheetEntry = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    const xml: Buffer[] = [];
    for await (const c of zipEntryChunks(path, sheetEntry)) xml.push(c);
    expect(Buffer.concat(xml).toString('utf8')).toContain('t="inlineStr"'); // the rich text cell is an inline string

    const tables = await openXlsx(path);
    expect(tables.map((t) => [t.sheet, t.header])).toEqual([['Inline', ['name', 'bought', 'weight']]]);
    // rich inline runs joined; 2022-12-31 stored as a serial with a custom d/m/y format → ISO; 2.5 stays a number
    expect(await rowsOf(tables[0]!)).toEqual([{ line: 2, cells: ['PC-002', '2022-12-31', '2.5'] }]);
  });

  it('reads the details of SpreadsheetML from a hand-built package', async () => {
    const path = join(dir, 'hand.xlsx');
    const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:G6"/><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>purchased</x:t></x:is></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="str"><x:v>flag</x:v></x:c><x:c r="E1" t="s"><x:v>2</x:v></x:c><x:c r="F1" t="inlineStr"><x:is><x:t>iso</x:t></x:is></x:c><x:c r="G1" t="inlineStr"><x:is><x:t xml:space="preserve"> note </x:t></x:is></x:c></x:row>
<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:r><x:t>PC-</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>001</x:t></x:r><x:rPh sb="0" eb="2"><x:t>ピーシー</x:t></x:rPh></x:is></x:c><x:c r="B3" s="1"><x:v>43602</x:v></x:c><x:c r="C3" s="3"><x:v>12</x:v></x:c><x:c r="D3" t="b"><x:v>0</x:v></x:c><x:c r="E3" t="e"><x:v>#N/A</x:v></x:c><x:c r="F3" t="d"><x:v>2021-03-15T00:00:00</x:v></x:c><x:c r="G3" s="4"><x:v>1.5</x:v></x:c></x:row>
<x:row><x:c t="str"><x:f>CONCAT("a","b")</x:f><x:v>ab</x:v></x:c><x:c s="2"><x:v>0.5</x:v></x:c><x:c t="b"><x:f>TRUE()</x:f><x:v>1</x:v></x:c><x:c t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c r="E4" s="1"/><x:c r="G4" t="inlineStr"><x:is><x:t>line_x000D_
next _x005F_x0041_</x:t></x:is></x:c></x:row>
<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:t>   </x:t></x:is></x:c><x:c r="B5" t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="6"><x:c r="B6"><x:v>3.3000000000000003</x:v></x:c><x:c r="C6" s="1"><x:v>44197.5</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;
    const second = `<worksheet ${NS}><sheetData><row r="2"><c r="C2" t="inlineStr"><is><t>only</t></is></c></row></sheetData></worksheet>`;
    const empty = `<worksheet ${NS}><sheetData/></worksheet>`;
    const parts = workbookParts(
      [
        ['Hand', sheet],
        ['Second', second],
        ['Empty', empty],
      ],
      {
        sharedStrings:
          '<si><t>name</t></si>' +
          '<si><r><t>qu</t></r><r><rPr><b/></rPr><t>antity</t></r><rPh sb="0" eb="1"><t>クオンティティ</t></rPh></si>' +
          '<si><t>err&amp;or</t></si><si><t/></si>',
        styles:
          '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="[Red]0.00"/>' +
          '<numFmt numFmtId="166" formatCode="0.0&quot; days&quot;"/></numFmts>' +
          '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>' +
          '<dxfs count="1"><dxf><numFmt numFmtId="165" formatCode="yyyy"/></dxf></dxfs>',
        workbookPr: '<workbookPr date1904="1"/>',
      },
    );
    const rels = parts.find((p) => p.name === 'xl/_rels/workbook.xml.rels')!;
    rels.text = rels.text.replace('Target="worksheets/sheet2.xml"', 'Target="/xl/worksheets/sheet2.xml"'); // absolute
    parts.find((p) => p.name === 'xl/sharedStrings.xml')!.stored = true; // stored (method 0), not deflated
    await writeFile(path, zip(parts));

    const tables = await openXlsx(path);
    expect(tables.map((t) => [t.sheet, t.headerLine])).toEqual([
      ['Hand', 1],
      ['Second', 2],
    ]); // 'Empty' has no row
    // shared, inline, rich (phonetic run excluded), str, entity-decoded shared string; header cells trimmed
    expect(tables[0]!.header).toEqual(['name', 'purchased', 'quantity', 'flag', 'err&or', 'iso', 'note']);
    expect(await rowsOf(tables[0]!)).toEqual([
      // 43602 in the 1904 date system = 43602 + 1462 in the 1900 one; 43602 (1900) is 2019-05-17, and 1462 days
      // later is 2023-05-18 (2019-05-17 → 2023-05-17 is 4 × 365 + 1 leap day = 1461 days, + 1).
      // [Red]0.00 and 0.0" days" are not dates (d inside brackets/quotes); the dxf 'yyyy' format is not a cell style.
      { line: 3, cells: ['PC-001', '2023-05-18', '12', 'false', '#N/A', '2021-03-15', '1.5'] },
      // row without r = 3 + 1; cells without r take the next column. Formula string result; serial 0.5 (1904
      // system) = 1904-01-01 plus half a day; boolean formula result; error formula result → empty; _x000D_ = CR,
      // _x005F_ = the underscore itself (so _x005F_x0041_ is the literal text _x0041_).
      { line: 4, cells: ['ab', '1904-01-01 12:00:00', 'true', '', '', '', 'line\r\nnext _x0041_'] },
      // row 5 (blank inline string, empty shared string) skipped. 3 × 1.1 artefact rounded; 44197.5 (1904) =
      // 44197 + 1462 (1900) = 2021-01-01 (44197 in 1900) + 1462 days = 2025-01-02 (1461 days to 2025-01-01, + 1), noon
      { line: 6, cells: ['', '3.3', '2025-01-02 12:00:00', '', '', '', ''] },
    ]);
    expect(tables[1]!.header).toEqual(['', '', 'only']);
    expect(await rowsOf(tables[1]!)).toEqual([]);
  });

  it('reports broken packages naming the file and the reason', async () => {
    const write = async (name: string, parts: Parameters<typeof zip>[0]): Promise<string> => {
      const path = join(dir, name);
      await writeFile(path, zip(parts));
      return path;
    };
    const row1 = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>';
    const reason = async (path: string): Promise<string> => {
      const i = await rejectedIssue(openXlsx(path));
      expect([i.code, i.file]).toEqual(['INP_FILE_UNREADABLE', path.slice(dir.length + 1)]);
      return String(i.details.reason);
    };

    const noWorkbook = await write('no-workbook.xlsx', [{ name: 'readme.txt', text: 'hello' }]);
    expect(await reason(noWorkbook)).toContain('no xl/workbook.xml');

    const parts = workbookParts([['S', `<worksheet ${NS}><sheetData>${row1}</sheetData></worksheet>`]]);
    const missing = await write(
      'missing-part.xlsx',
      parts.filter((p) => p.name !== 'xl/worksheets/sheet1.xml'),
    );
    expect(await reason(missing)).toContain("the part of sheet 'S' is missing");

    const badString = await write(
      'bad-shared-string.xlsx',
      workbookParts(
        [['S', `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData></worksheet>`]],
        {
          sharedStrings: '<si><t>only one</t></si>',
        },
      ),
    );
    expect(await reason(badString)).toContain("sheet 'S': cell A1 refers to shared string 5, which does not exist");

    const wide = await write(
      'too-wide.xlsx',
      workbookParts([
        ['S', `<worksheet ${NS}><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`],
      ]),
    );
    // A cell beyond the last column is a reader limit (INP_TOO_LARGE), named by row and column.
    const tooWide = await rejectedIssue(openXlsx(wide));
    expect([tooWide.code, tooWide.file, tooWide.line, tooWide.column]).toEqual([
      'INP_TOO_LARGE',
      'too-wide.xlsx',
      1,
      'XFE',
    ]);
    expect(tooWide.details.reason).toContain("sheet 'S': cell XFE1 goes beyond the last column XFD");

    const badXml = await write(
      'bad-xml.xlsx',
      workbookParts([
        ['S', `<worksheet ${NS}><sheetData>${row1}<row r="2"><c r="A2"><v>1</v></c></rowx></sheetData></worksheet>`],
      ]),
    );
    expect(await reason(badXml)).toContain("sheet 'S'");

    // A worksheet whose deflated data is cut in half: the header (first bytes) inflates, the end of the stream does
    // not. Opening succeeds; reading the rows fails with zlib's error, and leaves no file open.
    let body = '';
    for (let i = 2; i <= 400; i++) body += `<row r="${i}"><c r="A${i}"><v>${i * 7}</v></c></row>`;
    const xml = `<worksheet ${NS}><sheetData>${row1}${body}</sheetData></worksheet>`;
    const deflated = deflateRawSync(Buffer.from(xml, 'utf8'));
    const truncatedParts = workbookParts([['S', xml]]);
    truncatedParts[0] = { ...truncatedParts[0]!, data: deflated.subarray(0, deflated.length >> 1) };
    const truncated = await write('truncated-sheet.xlsx', truncatedParts);
    const fdsBefore = openFds();
    const tables = await openXlsx(truncated);
    expect(tables[0]!.header).toEqual(['name']);
    const i = await rejectedIssue(rowsOf(tables[0]!));
    expect([i.code, i.file]).toEqual(['INP_FILE_UNREADABLE', 'truncated-sheet.xlsx']);
    expect(String(i.details.reason)).toContain('unexpected end of file');
    expect(openFds()).toBe(fdsBefore);
  });
});

describe('XLSX helpers', () => {
  it('converts column letters to indexes', () => {
    expect(columnIndex('A1')).toBe(0);
    expect(columnIndex('Z9')).toBe(25);
    expect(columnIndex('AA1')).toBe(26); // 1 × 26 + 1 − 1
    expect(columnIndex('ab12')).toBe(27); // 1 × 26 + 2 − 1
    expect(columnIndex('XFD1048576')).toBe(16_383); // X=24, F=6, D=4: 24 × 676 + 6 × 26 + 4 − 1
    expect(columnIndex('12')).toBe(-1);
  });

  it('recognises date format codes by their d/m/y tokens outside quotes, brackets and escapes', () => {
    expect(isDateFormatCode('dd/mm/yyyy')).toBe(true);
    expect(isDateFormatCode('yyyy-mm-dd h:mm')).toBe(true);
    expect(isDateFormatCode('[$-409]mmmm d, yyyy')).toBe(true);
    expect(isDateFormatCode('General')).toBe(false);
    expect(isDateFormatCode('[Red]0.00')).toBe(false);
    expect(isDateFormatCode('0.0" days"')).toBe(false);
    expect(isDateFormatCode('#,##0\\ \\d')).toBe(false); // escaped d
    expect(isDateFormatCode('0.00_);[Red](0.00)')).toBe(false);
  });
});

describe('XLSX reader: early abort on a large workbook', () => {
  let dir: string;
  let big: string;
  const ROWS = 30_000;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-xlsx-big-'));
    big = join(dir, 'big.xlsx');
    const wb = new ExcelJS.Workbook();
    for (const name of ['One', 'Two']) {
      const ws = wb.addWorksheet(name);
      ws.addRow(['id', 'model', 'qty', 'date']);
      for (let i = 0; i < ROWS; i++) {
        ws.addRow([
          `ID-${(i * 7919) % 100_003}`,
          `M${(i * 31) % 977}`,
          i * 1.37,
          new Date(Date.UTC(2020, 0, 1 + (i % 900))),
        ]);
      }
    }
    await wb.xlsx.writeFile(big);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('leaves no file descriptor, pending I/O or unhandled error when a consumer stops early', async () => {
    const entries = await zipEntries(big);
    const names = entries.map((e) => e.name);
    // the archive order that made exceljs's reader spool worksheets to temporary files
    expect(names.indexOf('xl/worksheets/sheet2.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    // each worksheet part spans many 64 KiB reads, so the aborts below happen in the middle of a part
    expect(entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!.compressedSize).toBeGreaterThan(4 * 65_536);

    const errors: unknown[] = [];
    const onError = (e: unknown): void => {
      errors.push(e);
    };
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      await openXlsx(big); // warm-up (module loading, lazily created handles)
      const fdsBefore = openFds();
      const tables = await openXlsx(big); // reads each sheet up to its header only
      expect(openFds()).toBe(fdsBefore);
      expect(pendingIo()).toEqual([]);
      for (const t of tables) {
        for await (const row of t.rows) {
          expect(row.line).toBe(2);
          break;
        }
        expect(openFds()).toBe(fdsBefore);
        expect(pendingIo()).toEqual([]);
      }
      // abort deep in the part, through the iterator protocol
      const it = tables[0]!.rows[Symbol.asyncIterator]();
      for (let k = 0; k < 10_000; k++) expect((await it.next()).done).toBe(false);
      await it.return?.();
      expect(openFds()).toBe(fdsBefore);
      expect(pendingIo()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(errors).toEqual([]);
      expect(openFds()).toBe(fdsBefore);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  });

  it('streams a whole large sheet across chunk boundaries', async () => {
    const [, two] = await openXlsx(big);
    let count = 0;
    let last: TableRow | undefined;
    for await (const row of two!.rows) {
      count++;
      last = row;
    }
    expect(count).toBe(ROWS);
    // i = 29 999: 29 999 × 7919 = 237 562 081 = 2375 × 100 003 + 54 956; 29 999 × 31 = 929 969 = 951 × 977 + 842;
    // 29 999 × 1.37 = 41 098.63; 29 999 mod 900 = 299 → 2020-01-01 + 299 days = day 300 of leap 2020 = 2020-10-26
    expect(last).toEqual({ line: ROWS + 1, cells: ['ID-54956', 'M842', '41098.63', '2020-10-26'] });
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
