/**
 * The streaming ZIP writer (src/formats/zip-write.ts) and XLSX writer (src/formats/xlsx-write.ts), read back with the
 * project's own readers (zip-entry.ts, xlsx.ts `openXlsx`), with exceljs (Excel-compatible structure) and, for the
 * container, with Info-ZIP's `unzip -t` when the machine has it.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table, TableRow } from '../../src/formats/table.js';
import { columnLetters, XlsxWriter, xmlSafeText, type XlsxCell } from '../../src/formats/xlsx-write.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { zipEntries } from '../../src/formats/zip-entry.js';
import { zipEntryChunks } from '../../src/formats/xlsx-zip.js';
import { crc32Table, ZipWriter, type ByteSink } from '../../src/formats/zip-write.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'empreinte-xlsx-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A byte sink on a file, with backpressure; `done()` ends the file. */
function fileSink(path: string): { sink: ByteSink; done: () => Promise<void> } {
  const ws = createWriteStream(path);
  return {
    sink: (chunk) => (ws.write(chunk) ? undefined : new Promise<void>((resolve) => ws.once('drain', () => resolve()))),
    done: () => new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve()))),
  };
}

async function rowsOf(t: Table): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

async function entryText(path: string, name: string): Promise<string> {
  const entry = (await zipEntries(path)).find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}`);
  const chunks: Buffer[] = [];
  for await (const c of zipEntryChunks(path, entry)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function limitError(f: () => unknown): Promise<{ code: string; what: unknown; limit: unknown }> {
  return Promise.resolve()
    .then(f)
    .then(
      () => {
        throw new Error('expected OUT_FORMAT_LIMIT');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(EmpreinteError);
        const i = (e as EmpreinteError).issue;
        return { code: i.code, what: i.details.what, limit: i.details.limit };
      },
    );
}

describe('crc32', () => {
  it('matches the check value of CRC-32/ISO-HDLC and zlib, also when continued', () => {
    const check = Buffer.from('123456789', 'ascii');
    expect(crc32Table(check)).toBe(0xcbf43926);
    const data = Buffer.from('Empreinte — un inventaire, deux tableurs', 'utf8');
    expect(crc32Table(data)).toBe(zlibCrc32(data));
    expect(crc32Table(data.subarray(10), crc32Table(data.subarray(0, 10)))).toBe(zlibCrc32(data));
  });
});

describe('ZipWriter', () => {
  it('writes stored and deflated entries with data descriptors that the project reader and unzip read back', async () => {
    const path = join(dir, 'a.zip');
    const f = fileSink(path);
    const zip = new ZipWriter(f.sink);
    await zip.add('stored.txt', 'hello stored', { store: true });
    const e = zip.entry('dir/deflated.txt');
    const parts: string[] = [];
    for (let i = 0; i < 5000; i++) parts.push(`line ${i} é\n`);
    for (const p of parts) await e.write(p);
    await e.close();
    await zip.add('empty.txt', '');
    await zip.finish();
    await f.done();

    const entries = await zipEntries(path);
    expect(entries.map((x) => [x.name, x.method, x.flags & 0x0808])).toEqual([
      ['stored.txt', 0, 0x0808],
      ['dir/deflated.txt', 8, 0x0808],
      ['empty.txt', 8, 0x0808],
    ]);
    const expected = parts.join('');
    expect(entries[1]!.size).toBe(Buffer.byteLength(expected, 'utf8'));
    expect(entries[1]!.compressedSize).toBeLessThan(entries[1]!.size / 3);
    expect(await entryText(path, 'stored.txt')).toBe('hello stored');
    expect(await entryText(path, 'dir/deflated.txt')).toBe(expected);
    expect(await entryText(path, 'empty.txt')).toBe('');
    // The central directory's CRC is the CRC of the content (computed here by zlib).
    expect(entries[1]!.size).toBeGreaterThan(0);
    const bytes = await readFile(path);
    const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(bytes.readUInt32LE(cd + 16)).toBe(zlibCrc32(Buffer.from('hello stored')));
    if (existsSync('/usr/bin/unzip')) {
      const out = execFileSync('unzip', ['-t', path], { encoding: 'utf8' });
      expect(out).toContain('No errors detected');
    }
  });

  it('deflates to the same bytes as zlib, with a fixed date (same content, same file)', async () => {
    const chunks: Buffer[] = [];
    const zip = new ZipWriter((c) => void chunks.push(Buffer.from(c)));
    await zip.add('x.xml', '<a>1</a>');
    await zip.finish();
    const file = Buffer.concat(chunks);
    const deflated = deflateRawSync(Buffer.from('<a>1</a>'));
    // Local header (30 + 5-byte name), then the deflated data.
    expect(file.subarray(35, 35 + deflated.length).equals(deflated)).toBe(true);
    expect(file.readUInt16LE(10)).toBe(0); // time 00:00
    expect(file.readUInt16LE(12)).toBe(33); // 1980-01-01
    const again: Buffer[] = [];
    const zip2 = new ZipWriter((c) => void again.push(Buffer.from(c)));
    await zip2.add('x.xml', '<a>1</a>');
    await zip2.finish();
    expect(Buffer.concat(again).equals(file)).toBe(true);
  });

  it('refuses to open an entry while another is open, and to finish with one open', async () => {
    const zip = new ZipWriter(() => undefined);
    zip.entry('a');
    expect(() => zip.entry('b')).toThrow(/not closed/);
    await expect(zip.finish()).rejects.toThrow(/not closed/);
  });

  it('reports a failing sink at the next write or close, without an unhandled rejection', async () => {
    const broken = new Error('disk full');
    let calls = 0;
    const zip = new ZipWriter(async () => {
      calls++;
      throw broken;
    });
    const e = zip.entry('a.xml');
    await new Promise((resolve) => setTimeout(resolve, 10)); // the header's write fails meanwhile
    await expect(e.write('<a/>')).rejects.toBe(broken);
    await expect(e.close()).rejects.toBe(broken);
    expect(calls).toBe(1);

    const x = new XlsxWriter(async () => {
      throw broken;
    });
    const s = await x.addSheet('items', { header: ['a'] });
    await s.appendRow([1]);
    await expect(s.close()).rejects.toBe(broken);
  });

  it('refuses a 65,535th entry (no ZIP64) and still finishes the 65,534 first', async () => {
    let bytes = 0;
    let last = Buffer.alloc(0);
    const zip = new ZipWriter((c) => {
      bytes += c.length;
      last = Buffer.from(c);
    });
    for (let i = 0; i < 65_534; i++) await zip.add(`e${i}`, '', { store: true });
    const e = await limitError(() => zip.entry('one-too-many'));
    expect(e).toMatchObject({ code: 'OUT_FORMAT_LIMIT', limit: '65,534 entries' });
    await zip.finish();
    expect(bytes).toBe(zip.bytesWritten);
    // End record: signature, then the entry counts (this disk, total) at offsets 8 and 10.
    const end = last.subarray(last.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect([end.readUInt16LE(8), end.readUInt16LE(10)]).toEqual([65_534, 65_534]);
  });

  it('refuses an entry name longer than the format holds', async () => {
    const zip = new ZipWriter(() => undefined);
    const e = await limitError(() => zip.entry('n'.repeat(70_000)));
    expect(e.code).toBe('OUT_FORMAT_LIMIT');
  });
});

describe('columnLetters / xmlSafeText', () => {
  it('names columns as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
      'XFD',
    ]);
  });

  it('removes what XML 1.0 cannot carry and keeps tabs, line ends and surrogate pairs', () => {
    expect(xmlSafeText('a\u0000b\u0007c\u001Fd\tE\nF\rG\uFFFEH\uFFFF')).toBe('abcd\tE\nF\rGH');
    expect(xmlSafeText('x\uD83D\uDE00y')).toBe('x\uD83D\uDE00y');
    expect(xmlSafeText('lone \uD83D and \uDE00 end')).toBe('lone  and  end');
  });
});

describe('XlsxWriter', () => {
  const header = ['kind', 'name', 'CLIMATE_CHANGE', 'ok', 'note'];
  const items: XlsxCell[][] = [
    ['physical-equipment', 'PC-001', 2.46, true, 'plain'],
    ['physical-equipment', '=HYPERLINK("http://x")', -5, false, '@SUM(A1:A2)'],
    ['application', 'a & b <c> "d"', 1e-7, undefined, 'bell\u0007 tab\tline\nend'],
    ['application', '  spaced  ', 123456789.125, null, 'emoji \uD83D\uDE00'],
    ['virtual-equipment', 'gap', undefined, true, ''],
  ];

  async function writeWorkbook(path: string): Promise<void> {
    const f = fileSink(path);
    const x = new XlsxWriter(f.sink);
    const s = await x.addSheet('items', { header });
    for (const r of items) await s.appendRow(r);
    expect(s.rows).toBe(items.length + 1);
    await s.close();
    const t = await x.addSheet('totals', { header: ['criterion', 'value'] });
    await t.appendRow(['CLIMATE_CHANGE', 3931000]);
    await t.close();
    const b = await x.addSheet('breakdowns');
    await b.appendRow(['type', 'Laptop', 12.5]);
    await b.close();
    await x.close();
    await f.done();
  }

  it('reads back with the project reader: sheets, header, text and numbers', async () => {
    const path = join(dir, 'book.xlsx');
    await writeWorkbook(path);
    const tables = await openXlsx(path);
    expect(tables.map((t) => t.sheet)).toEqual(['items', 'totals', 'breakdowns']);
    expect(tables[0]!.header).toEqual(header);
    const rows = await rowsOf(tables[0]!);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(rows.map((r) => r.cells)).toEqual([
      ['physical-equipment', 'PC-001', '2.46', 'true', 'plain'],
      ['physical-equipment', '=HYPERLINK("http://x")', '-5', 'false', '@SUM(A1:A2)'],
      // The reader gives a number cell's shortest text (sheet-values.ts numberText).
      ['application', 'a & b <c> "d"', '1e-7', '', 'bell tab\tline\nend'],
      ['application', '  spaced  ', '123456789.125', '', 'emoji \uD83D\uDE00'],
      ['virtual-equipment', 'gap', '', 'true', ''],
    ]);
    expect(tables[1]!.header).toEqual(['criterion', 'value']);
    expect((await rowsOf(tables[1]!)).map((r) => r.cells)).toEqual([['CLIMATE_CHANGE', '3931000']]);
    // A sheet without a header: its first row is the header for the reader.
    expect(tables[2]!.header).toEqual(['type', 'Laptop', '12.5']);
  });

  it('reads back with exceljs: number cells are numbers, text is text and never a formula, header bold and frozen', async () => {
    const path = join(dir, 'book2.xlsx');
    await writeWorkbook(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['items', 'totals', 'breakdowns']);
    const ws = wb.getWorksheet('items')!;
    expect(ws.getCell('A1').value).toBe('kind');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').font?.bold).toBeFalsy();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell('C2').value).toBe(2.46);
    expect(ws.getCell('C3').value).toBe(-5);
    expect(ws.getCell('C4').value).toBe(1e-7);
    expect(ws.getCell('C5').value).toBe(123456789.125);
    expect(ws.getCell('D2').value).toBe(true);
    expect(ws.getCell('D3').value).toBe(false);
    for (const ref of ['B3', 'E3']) {
      expect(ws.getCell(ref).type, ref).toBe(ExcelJS.ValueType.String);
      expect(ws.getCell(ref).formula, ref).toBeUndefined();
    }
    expect(ws.getCell('B3').value).toBe('=HYPERLINK("http://x")');
    expect(ws.getCell('B4').value).toBe('a & b <c> "d"');
    expect(ws.getCell('B5').value).toBe('  spaced  ');
    expect(ws.getCell('C6').value).toBeNull();
    expect(ws.rowCount).toBe(6);
    expect(wb.getWorksheet('totals')!.getCell('B2').value).toBe(3931000);
    // No formula anywhere in the sheet parts.
    const xml = await entryText(path, 'xl/worksheets/sheet1.xml');
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('streams: rows reach the sink while the sheet is still open, the sheet part is never held whole', async () => {
    let bytes = 0;
    const x = new XlsxWriter((c) => void (bytes += c.length));
    const s = await x.addSheet('items', { header: ['i', 'name', 'value'] });
    const seen: number[] = [];
    for (let i = 0; i < 60_000; i++) {
      await s.appendRow([i, `item number ${i} with a long enough name ${i * 7919}`, i * 0.37]);
      if (i % 20_000 === 19_999) seen.push(bytes);
    }
    // Compressed output already flowed out, and kept flowing, before the sheet was closed.
    expect(seen[0]).toBeGreaterThan(10_000);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    expect(seen[2]).toBeGreaterThan(seen[1]!);
    await s.close();
    await x.close();
    expect(bytes).toBe(x.bytesWritten);
  });

  it('takes a zlib level: level 1 and level 9 give different sizes and the same cells', async () => {
    const sizes: number[] = [];
    for (const level of [1, 9]) {
      const path = join(dir, `level${level}.xlsx`);
      const f = fileSink(path);
      const x = new XlsxWriter(f.sink, { level });
      const s = await x.addSheet('items', { header: ['i', 'text'] });
      for (let i = 0; i < 5000; i++) await s.appendRow([i, `row ${i % 97} of a repetitive sheet`]);
      await s.close();
      await x.close();
      await f.done();
      sizes.push(x.bytesWritten);
      const [t] = await openXlsx(path);
      const rows = await rowsOf(t!);
      expect(rows).toHaveLength(5000);
      expect(rows[4999]!.cells).toEqual(['4999', `row ${4999 % 97} of a repetitive sheet`]);
    }
    expect(sizes[0]).toBeGreaterThan(sizes[1]!);
  });

  it('enforces 16,384 columns and 32,767 characters per cell with OUT_FORMAT_LIMIT', async () => {
    const x = new XlsxWriter(() => undefined);
    const s = await x.addSheet('wide');
    const wide = Array.from({ length: 16_384 }, (_, i) => i);
    await s.appendRow(wide);
    const cols = await limitError(() => s.appendRow([...wide, 1]));
    expect(cols).toMatchObject({ code: 'OUT_FORMAT_LIMIT', limit: '16,384 columns' });
    await s.appendRow(['x'.repeat(32_767)]);
    // Characters XML cannot carry are removed before counting.
    await s.appendRow(['x'.repeat(32_767) + '\u0000\u0001']);
    const long = await limitError(() => s.appendRow(['ok', 'x'.repeat(32_768)]));
    expect(long).toMatchObject({ code: 'OUT_FORMAT_LIMIT', limit: '32,767 characters per cell' });
    expect(String(long.what)).toContain('cell B4');
    expect(s.rows).toBe(3);
  });

  it('enforces sheet-name rules', async () => {
    const x = new XlsxWriter(() => undefined);
    for (const bad of ['', 'a'.repeat(32), 'a/b', 'x[1]', "'quoted'", 'q?'])
      expect((await limitError(() => x.addSheet(bad))).code, bad).toBe('OUT_FORMAT_LIMIT');
    const s = await x.addSheet('Items');
    await s.close();
    expect((await limitError(() => x.addSheet('ITEMS'))).code).toBe('OUT_FORMAT_LIMIT');
    expect(await limitError(() => new XlsxWriter(() => undefined).close())).toMatchObject({ code: 'OUT_FORMAT_LIMIT' });
  });

  it('enforces 1,048,576 rows per sheet; a full sheet is a readable workbook', async () => {
    const path = join(dir, 'full.xlsx');
    const f = fileSink(path);
    const x = new XlsxWriter(f.sink);
    const s = await x.addSheet('items', { header: ['n'] });
    for (let i = 1; i < 1_048_576; i++) await s.appendRow([i]);
    expect(s.rows).toBe(1_048_576);
    const e = await limitError(() => s.appendRow([0]));
    expect(e).toMatchObject({ code: 'OUT_FORMAT_LIMIT', limit: '1,048,576 rows' });
    await s.close();
    await x.close();
    await f.done();
    const [t] = await openXlsx(path);
    const first: TableRow[] = [];
    for await (const r of t!.rows) if (first.push(r) === 3) break;
    expect(first.map((r) => [r.line, r.cells])).toEqual([
      [2, ['1']],
      [3, ['2']],
      [4, ['3']],
    ]);
    // The last row is the 1,048,576th (read from the part's end, not by parsing the whole sheet).
    const entry = (await zipEntries(path)).find((x) => x.name === 'xl/worksheets/sheet1.xml')!;
    let tail = '';
    for await (const c of zipEntryChunks(path, entry)) tail = (tail + (c as Buffer).toString('utf8')).slice(-200);
    expect(tail).toMatch(/<row r="1048576"><c r="A1048576"><v>1048575<\/v><\/c><\/row><\/sheetData><\/worksheet>$/);
  });
});
