/**
 * Issue 9, readers: every reader is bounded by the documented limits (src/formats/limits.ts — 1 048 576 rows,
 * 16 384 columns, 1 MiB per record) checked before allocation, stops with INP_TOO_LARGE naming file, line and column,
 * and runs in linear time. The ODS bombs run in a child process whose peak memory is measured.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, isProblemRow, openCsv } from '../../src/formats/csv.js';
import { MAX_RECORD_CHARS, columnLetters } from '../../src/formats/limits.js';
import { openOds } from '../../src/formats/ods.js';
import type { Table, TableRow } from '../../src/formats/table.js';
import { readSharedStrings } from '../../src/formats/xlsx-workbook.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { zipEntries } from '../../src/formats/zip-entry.js';
import { EQUIPMENT_HEADER, equipmentRow, ods, odsCell, odsRow, xlsx, xlsxRow } from '../fuzz/archives.js';
import { zip } from '../helpers/zip.js';
import { rejectedIssue } from '../helpers/issues.js';

const dir = await mkdtemp(join(tmpdir(), 'empreinte-limits-'));
let n = 0;
async function file(content: string | Buffer, ext: string): Promise<string> {
  const p = join(dir, `f${n++}.${ext}`);
  await writeFile(p, content);
  return p;
}

async function rowsOf(t: Table): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

/** All rows of every table of a spreadsheet (opening included), or the file error. */
async function readAll(open: Promise<Table[]>): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for (const t of await open) out.push(...(await rowsOf(t)));
  return out;
}

/** The CLI in a child process: exit code, stderr lines (without the memory line), peak RSS in MB, wall time. */
function cli(args: string[]): { code: number | null; lines: string[]; rssMB: number; seconds: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz/run-cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const mem = lines.find((l) => l.startsWith('EMPREINTE_MAXRSS_KB='));
  return {
    code: r.status,
    lines: lines.filter((l) => l !== mem),
    rssMB: Number(mem?.split('=')[1] ?? NaN) / 1024,
    seconds: (Date.now() - t0) / 1000,
  };
}

describe('ODS repeats (issue 9 point 1)', () => {
  const header = odsRow(EQUIPMENT_HEADER);

  it('stops the 1e9-row bomb within seconds and 300 MB above the baseline, with one coded line', async () => {
    const bomb = await file(ods(header + odsRow(equipmentRow(1), 1_000_000_000)), 'ods');
    expect(statSync(bomb).size).toBeLessThan(1000); // a sub-kilobyte file
    const small = await file(EQUIPMENT_HEADER.join(';') + '\n' + equipmentRow(1).join(';') + '\n', 'csv');
    const base = cli(['validate', small]);
    expect(base.code).toBe(0);
    const r = cli(['validate', bomb]);
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    // Row 2 repeated 1e9 times: the first row beyond the limit is 1 048 577, its first cell in column A.
    expect(r.lines[0]).toBe(
      `empreinte: ${bomb}:1048577:A: INP_TOO_LARGE ${bomb} goes beyond a reader limit: row 2 repeated ` +
        `1 000 000 000 times goes beyond the last row 1 048 576; reading stopped.`,
    );
    expect(r.seconds).toBeLessThan(20);
    expect(r.rssMB - base.rssMB).toBeLessThan(300);
  }, 60_000);

  it('stops the 1e9-column bomb at column XFE, in validate and in mapping suggest', async () => {
    const bomb = await file(ods(header + `<table:table-row>${odsCell('x', 1_000_000_000)}</table:table-row>`), 'ods');
    const i = await rejectedIssue(readAll(openOds(bomb)));
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 2, 'XFE']);
    expect(i.details.reason).toBe(
      'a cell repeated 1 000 000 000 times from column A goes beyond the last column XFD (16 384 columns)',
    );
    const r = cli(['mapping', 'suggest', bomb]);
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain(`${bomb}:2:XFE: INP_TOO_LARGE`);
  }, 60_000);

  it('lets trailing empty repeated rows and cells cost nothing, however many', async () => {
    const padding =
      `<table:table-row table:number-rows-repeated="1000000000">` +
      `<table:table-cell table:number-columns-repeated="1000000000"/></table:table-row>`;
    const body =
      header +
      `<table:table-row>${equipmentRow(1)
        .map((c) => odsCell(c))
        .join('')}${odsCell('', 999_999_999)}</table:table-row>` +
      padding;
    const t0 = Date.now();
    const rows = await readAll(openOds(await file(ods(body), 'ods')));
    expect(rows).toEqual([{ line: 2, cells: equipmentRow(1) }]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('expands a repeated row within the limit lazily (a consumer that stops early pays nothing)', async () => {
    const path = await file(ods(header + odsRow(equipmentRow(7), 1_000_000)), 'ods');
    const [t] = await openOds(path);
    const first: TableRow[] = [];
    for await (const r of t!.rows) {
      first.push(r);
      if (first.length === 3) break;
    }
    expect(first.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(first[2]!.cells).toEqual(equipmentRow(7));
    // …and the whole expansion is one row per line up to 1 000 001.
    let count = 0;
    let last = 0;
    for await (const r of t!.rows) {
      count++;
      last = r.line;
    }
    expect([count, last]).toEqual([1_000_000, 1_000_001]);
  }, 30_000);

  it('refuses a non-empty row beyond row 1 048 576 and a cell beyond column XFD', async () => {
    const far = header + `<table:table-row table:number-rows-repeated="1048575"/>` + odsRow(['x']);
    const i = await rejectedIssue(readAll(openOds(await file(ods(far), 'ods'))));
    // Rows 2 to 1 048 576 are empty: the non-empty row is row 1 048 577.
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 1_048_577, 'A']);
    const wide = header + `<table:table-row>${odsCell('', 16_384)}${odsCell('x')}</table:table-row>`;
    const j = await rejectedIssue(readAll(openOds(await file(ods(wide), 'ods'))));
    expect([j.code, j.line, j.column]).toEqual(['INP_TOO_LARGE', 2, 'XFE']);
    // The last column itself is within the limits: read when the header reaches it…
    const xfdHeader = `<table:table-row>${odsCell('h')}${odsCell('', 16_382)}${odsCell('last')}</table:table-row>`;
    const last = xfdHeader + `<table:table-row>${odsCell('a')}${odsCell('', 16_382)}${odsCell('x')}</table:table-row>`;
    const rows = await readAll(openOds(await file(ods(last), 'ods')));
    expect([rows[0]!.cells.length, rows[0]!.cells[0], rows[0]!.cells[16_383]]).toEqual([16_384, 'a', 'x']);
    // …and, beyond a narrower header, a problem row holding only the header's width (not 16 384 cells).
    const narrow = header + `<table:table-row>${odsCell('a')}${odsCell('', 16_382)}${odsCell('x')}</table:table-row>`;
    const [row] = await readAll(openOds(await file(ods(narrow), 'ods')));
    expect(row).toEqual({
      line: 2,
      cells: ['a', '', '', '', ''],
      problem: 'the row has a value in column XFD, beyond the 5 columns of the header',
    });
  });

  it('bounds the cells of a sheet: a wide header spelled by one repeated cell and a row repeated 1e6 times', async () => {
    // Header: 5 names, 16 000 empty cells in one element, then 'x' (16 006 columns); each data row is padded to it.
    const wideHeader = `<table:table-row>${EQUIPMENT_HEADER.map((h) => odsCell(h)).join('')}${odsCell('', 16_000)}${odsCell('x')}</table:table-row>`;
    const path = await file(ods(wideHeader + odsRow(equipmentRow(1), 1_000_000)), 'ods');
    const i = await rejectedIssue(readAll(openOds(path)));
    // 2^24 cells / 16 006 per row = 1 048 rows (lines 2–1 049); line 1 050 is the first beyond.
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 1050, 'A']);
    const small = await file(EQUIPMENT_HEADER.join(';') + '\n' + equipmentRow(1).join(';') + '\n', 'csv');
    const base = cli(['validate', small]);
    const r = cli(['validate', path]);
    expect([r.code, r.lines.length]).toEqual([2, 1]);
    expect(r.lines[0]).toContain(`${path}:1050:A: INP_TOO_LARGE`);
    expect(r.seconds).toBeLessThan(20);
    expect(r.rssMB - base.rssMB).toBeLessThan(300);
  }, 60_000);

  it('turns XLSX rows with a value far beyond the header into problem rows of the header width', async () => {
    let rows = xlsxRow(1, EQUIPMENT_HEADER);
    for (let k = 2; k <= 1001; k++)
      rows += `<row r="${k}"><c r="A${k}" t="inlineStr"><is><t>PC</t></is></c><c r="XFD${k}"><v>1</v></c></row>`;
    const read = await readAll(openXlsx(await file(xlsx(rows), 'xlsx')));
    expect(read).toHaveLength(1000);
    expect(read[999]).toEqual({
      line: 1001,
      cells: ['PC', '', '', '', ''],
      problem: 'the row has a value in column XFD, beyond the 5 columns of the header',
    });
  });

  it('refuses a row of more than 1 MiB of text (text:s spaces included) naming its row', async () => {
    const spaces =
      header +
      `<table:table-row><table:table-cell><text:p>a<text:s text:c="2000000"/></text:p></table:table-cell></table:table-row>`;
    const i = await rejectedIssue(readAll(openOds(await file(ods(spaces), 'ods'))));
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 2, 'A']);
    const repeated = header + `<table:table-row>${odsCell('y'.repeat(1000), 2000)}</table:table-row>`;
    const j = await rejectedIssue(readAll(openOds(await file(ods(repeated), 'ods'))));
    expect([j.code, j.line]).toEqual(['INP_TOO_LARGE', 2]);
    expect(j.details.reason).toBe('row 2 holds more than 1 048 576 characters of text');
  });

  it('refuses more than 8 MiB of XML without an element (a giant comment) instead of buffering it', async () => {
    const comment = header + `<!--${'c'.repeat(9 << 20)}-->` + odsRow(equipmentRow(1));
    const i = await rejectedIssue(readAll(openOds(await file(ods(comment), 'ods'))));
    expect(i.code).toBe('INP_TOO_LARGE');
    expect(i.details.reason).toMatch(/^more than 8 MiB of XML without a new element in content\.xml/);
  });
});

describe('XLSX limits', () => {
  it('refuses a non-empty row beyond row 1 048 576, naming the row and column', async () => {
    const path = await file(xlsx(xlsxRow(1, EQUIPMENT_HEADER) + xlsxRow(1_048_577, ['', 'x'])), 'xlsx');
    const i = await rejectedIssue(readAll(openXlsx(path)));
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 1_048_577, 'B']);
  });

  it('refuses a cell of more than 1 MiB and a shared string of more than 1 MiB', async () => {
    const big = 'z'.repeat(MAX_RECORD_CHARS + 1);
    const cell = await file(xlsx(xlsxRow(1, EQUIPMENT_HEADER) + xlsxRow(2, ['a', big])), 'xlsx');
    const i = await rejectedIssue(readAll(openXlsx(cell)));
    expect([i.code, i.line, i.column]).toEqual(['INP_TOO_LARGE', 2, 'B']);
    const shared = await file(
      xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', { sharedStrings: `<si><t>${big}</t></si>` }),
      'xlsx',
    );
    const j = await rejectedIssue(readAll(openXlsx(shared)));
    expect(j.code).toBe('INP_TOO_LARGE');
    expect(j.details.reason).toBe('shared string 0 holds more than 1 048 576 characters');
  });

  it('refuses more than 65 536 cell formats in the styles part', async () => {
    const styles = (n: number) => `<styleSheet><cellXfs>${'<xf numFmtId="14"/>'.repeat(n)}</cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData>${xlsxRow(1, EQUIPMENT_HEADER)}</sheetData></worksheet>`;
    const book = (n: number) =>
      zip([
        { name: 'xl/worksheets/sheet1.xml', text: sheet },
        { name: 'xl/styles.xml', text: styles(n) },
        ...xlsxParts(),
      ]);
    expect((await openXlsx(await file(book(65_536), 'xlsx')))[0]!.header).toEqual(EQUIPMENT_HEADER);
    const i = await rejectedIssue(openXlsx(await file(book(65_537), 'xlsx')));
    expect([i.code, i.details.reason]).toEqual([
      'INP_TOO_LARGE',
      'the styles part defines more than 65 536 cell formats',
    ]);
  });

  it('refuses a decompression bomb from its declared sizes and a part that inflates past its declared size', async () => {
    // 100 MiB of spaces deflate to ~100 KB: a ratio of ~1000:1 on an entry over 64 MiB.
    const spaces = Buffer.alloc(100 << 20, 0x20);
    const sheet = Buffer.concat([Buffer.from('<?xml version="1.0"?><worksheet><sheetData>'), spaces]);
    const bomb = await file(zip([{ name: 'xl/worksheets/sheet1.xml', text: sheet }, ...xlsxParts()]), 'xlsx');
    const i = await rejectedIssue(readAll(openXlsx(bomb)));
    expect(i.code).toBe('INP_TOO_LARGE');
    expect(i.details.reason).toMatch(
      /ZIP entry xl\/worksheets\/sheet1\.xml would inflate .* to 104 857 6\d\d .*decompression bomb/,
    );
    // A header that lies (declares 100 bytes for a 2 000-byte part) is caught while inflating.
    const rows = xlsxRow(1, EQUIPMENT_HEADER) + xlsxRow(2, equipmentRow(1)).repeat(20);
    const liar = await file(
      zip([
        {
          name: 'xl/worksheets/sheet1.xml',
          text: `<worksheet><sheetData>${rows}</sheetData></worksheet>`,
          declaredSize: 100,
        },
        ...xlsxParts(),
      ]),
      'xlsx',
    );
    const j = await rejectedIssue(readAll(openXlsx(liar)));
    expect(j.code).toBe('INP_TOO_LARGE');
    expect(j.details.reason).toMatch(/inflates to more than its declared 100 bytes/);
  }, 30_000);
});

describe('XML and ZIP attacks keep holding', () => {
  const BILLION_LAUGHS =
    '<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';

  it('refuses internal entities (billion laughs) and external ones (XXE) without expanding them', async () => {
    for (const [prolog, entity] of [
      [BILLION_LAUGHS, '&lol3;'],
      ['<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'],
    ] as const) {
      const x = await file(
        xlsx(xlsxRow(1, EQUIPMENT_HEADER) + `<row r="2"><c t="inlineStr"><is><t>${entity}</t></is></c></row>`, {
          prolog,
        }),
        'xlsx',
      );
      const i = await rejectedIssue(readAll(openXlsx(x)));
      expect(i.code).toBe('INP_FILE_UNREADABLE');
      expect(i.details.reason).toMatch(/undefined entity/);
      const o = await file(
        ods(
          odsRow(EQUIPMENT_HEADER) +
            `<table:table-row>${odsCell('a')}<table:table-cell office:value-type="string"><text:p>${entity}</text:p></table:table-cell></table:table-row>`,
          prolog,
        ),
        'ods',
      );
      const j = await rejectedIssue(readAll(openOds(o)));
      expect(j.code).toBe('INP_FILE_UNREADABLE');
      expect(j.details.reason).toMatch(/undefined entity/);
    }
  });

  it('refuses ZIP64 archives (the 10 GB bomb needs them) and caps the shared string table', async () => {
    const archive = xlsx(xlsxRow(1, EQUIPMENT_HEADER));
    archive.writeUInt32LE(0xffffffff, archive.length - 22 + 16); // central directory offset: "see the ZIP64 record"
    const i = await rejectedIssue(openXlsx(await file(archive, 'xlsx')));
    expect([i.code, i.details.reason]).toEqual([
      'INP_FILE_UNREADABLE',
      'not a readable XLSX workbook (ZIP64 archives are not supported)',
    ]);
    const path = await file(xlsx('', { sharedStrings: '<si><t>a</t></si>'.repeat(4) }), 'xlsx');
    const entry = (await zipEntries(path)).find((e) => e.name === 'xl/sharedStrings.xml');
    expect(await readSharedStrings(path, entry, 4)).toEqual(['a', 'a', 'a', 'a']);
    await expect(readSharedStrings(path, entry, 3)).rejects.toThrow(
      'the shared string table holds more than 3 strings',
    );
  });
});

/** The workbook parts of `xlsx()` without its worksheet. */
function xlsxParts(): { name: string; text: string }[] {
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  return [
    {
      name: 'xl/_rels/workbook.xml.rels',
      text: `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      text: `<workbook xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: '_rels/.rels',
      text: `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
  ];
}

describe('CSV long lines in linear time (issue 9 point 7)', () => {
  it('splits a 64 MiB line pushed in 64 KiB chunks in one pass: one problem row, the rest of the line dropped', () => {
    // Before: every chunk re-scanned (and re-copied) the whole pending line, 1 024 × 32 MiB on average.
    const s = new CsvRecordSplitter(';');
    s.push('a;b\n1;');
    const chunk = 'x'.repeat(64 << 10);
    const t0 = Date.now();
    for (let k = 0; k < 1024; k++) s.push(chunk);
    s.push(';2\n3;4\n');
    s.end();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(s.out.map((r) => [r.line, r.problem !== undefined, r.cells])).toEqual([
      [1, false, ['a', 'b']],
      [2, true, []],
      [3, false, ['3', '4']],
    ]);
    expect(s.out[1]!.problem).toBe('the line is longer than 1 048 576 characters (1 MiB); it was skipped');
    expect(s.out[1]!.raw).toBe('1;' + 'x'.repeat(4094)); // the first 4 KiB, for the rejects file
  });

  it('does the same for a long quoted cell and for a long last line without a line end', () => {
    const s = new CsvRecordSplitter(';');
    s.push('a;b\n"');
    const chunk = 'q'.repeat(64 << 10);
    for (let k = 0; k < 64; k++) s.push(chunk);
    s.push('";1\n5;6\nlast;');
    for (let k = 0; k < 64; k++) s.push(chunk);
    s.end();
    expect(s.out.map((r) => [r.line, r.problem !== undefined, r.cells])).toEqual([
      [1, false, ['a', 'b']],
      [2, true, []],
      [3, false, ['5', '6']],
      [4, true, []],
    ]);
  });

  it('draws the limit at exactly 1 MiB, whether the line end comes in the same chunk or later', () => {
    for (const cut of [false, true]) {
      const s = new CsvRecordSplitter(';');
      const ok = 'a'.repeat(MAX_RECORD_CHARS);
      const text = `a;b\n${ok}\n${ok}b\n3;4\n`;
      if (cut) {
        for (let i = 0; i < text.length; i += 256 << 10) s.push(text.slice(i, i + (256 << 10)));
      } else s.push(text);
      s.end();
      expect(s.out.map((r) => [r.line, r.problem !== undefined, r.cells.length])).toEqual([
        [1, false, 2],
        [2, false, 1], // 1 048 576 characters: at the limit, read
        [3, true, 0], // 1 048 577 characters: beyond it
        [4, false, 2],
      ]);
    }
  });

  it('reads a file with a 20 MB line: line 2 rejected as a problem row, line 3 read', async () => {
    const head = EQUIPMENT_HEADER.join(';');
    const path = await file(
      `${head}\nPC-1;${'m'.repeat(20_000_000)};1;Laptop;France\n${equipmentRow(3).join(';')}\n`,
      'csv',
    );
    const rows = await rowsOf(await openCsv(path));
    expect(rows.map((r) => [r.line, isProblemRow(r)])).toEqual([
      [2, true],
      [3, false],
    ]);
  });
});

describe('CSV diagnostics (issue 9 point 9)', () => {
  it('reads a 20 000-column header whole (no false duplicate from a header cut at 64 KiB)', async () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `column${i}`);
    const path = await file(names.join(';') + '\n' + names.map((_, i) => String(i)).join(';') + '\n', 'csv');
    const t = await openCsv(path);
    expect(t.header).toHaveLength(20_000);
    expect(t.header[19_999]).toBe('column19999');
    expect((await rowsOf(t))[0]!.cells[19_999]).toBe('19999');
  });

  it('reports an invalid byte in the header of a BOM file as INP_ENCODING on line 1, not as unknown columns', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xff]), Buffer.from('nom;modele\n1;2\n')]);
    const i = await rejectedIssue(openCsv(await file(bytes, 'csv')));
    expect([i.code, i.line]).toEqual(['INP_ENCODING', 1]);
  });

  it('refuses a header line longer than 1 MiB naming line 1', async () => {
    const i = await rejectedIssue(openCsv(await file('h'.repeat(MAX_RECORD_CHARS + 1) + '\n1\n', 'csv')));
    expect([i.code, i.line]).toEqual(['INP_TOO_LARGE', 1]);
  });

  it('reads CR-only line ends as lines, blank lines counted', async () => {
    const path = await file('a;b\r1;2\r\r3;"x\ry"\r4;5\r', 'csv');
    const t = await openCsv(path);
    const rows = await rowsOf(t);
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [2, ['1', '2']],
      [4, ['3', 'x\ry']],
      [6, ['4', '5']],
    ]);
    expect(t.blankLines()).toBe(1);
  });

  it('counts blank lines met in the first chunk of the file', async () => {
    const t = await openCsv(await file('a;b\n\n1;2\n;\n\n3;4\n', 'csv'));
    expect((await rowsOf(t)).map((r) => r.line)).toEqual([3, 6]);
    expect(t.blankLines()).toBe(3); // lines 2, 4 (all cells empty) and 5
  });

  // Linux (CI and the project's machines): mkfifo from coreutils, /dev/zero.
  it('refuses a named pipe (even with a writer) and a device by what they are, never "empty"', async () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('/usr/bin/mkfifo', [fifo]);
    const writer = await open(fifo, 'r+'); // a FIFO opened read-write does not block on Linux
    try {
      await writer.write('a;b\n1;2\n');
      const i = await rejectedIssue(openCsv(fifo));
      expect([i.code, i.details.reason]).toEqual([
        'INP_FILE_UNREADABLE',
        'it is a named pipe (FIFO), not a regular file; save its content to a file first',
      ]);
    } finally {
      await writer.close();
    }
    const z = await rejectedIssue(openCsv('/dev/zero'));
    expect([z.code, z.details.reason]).toEqual([
      'INP_FILE_UNREADABLE',
      'it is a character device, not a regular file; save its content to a file first',
    ]);
    expect((await rejectedIssue(openOds('/dev/zero'))).code).toBe('INP_FILE_UNREADABLE');
    expect((await rejectedIssue(openXlsx(fifo))).code).toBe('INP_FILE_UNREADABLE');
  });
});

describe('columnLetters', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 701, 702, 16_383, 16_384].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'ZZ',
      'AAA',
      'XFD',
      'XFE',
    ]);
  });
});
