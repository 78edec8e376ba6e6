import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { CsvRecordSplitter, MAX_RECORD_CHARS, isProblemRow, openCsv } from '../../src/formats/csv.js';
import type { TableRow } from '../../src/formats/table.js';
import { rejectedIssue } from '../helpers/issues.js';

const dir = await mkdtemp(join(tmpdir(), 'empreinte-csv-'));
let n = 0;
async function file(content: string | Buffer): Promise<string> {
  const p = join(dir, `f${n++}.csv`);
  await writeFile(p, content);
  return p;
}
async function rows(path: string, opts = {}): Promise<TableRow[]> {
  const t = await openCsv(path, opts);
  const out: TableRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

function split(text: string, d = ';') {
  const s = new CsvRecordSplitter(d);
  s.push(text);
  s.end();
  return s.out;
}

describe('CsvRecordSplitter', () => {
  it('splits quoted fields, doubled quotes and multi-line cells with the first line of each record', () => {
    const out = split('a;b;c\n1;"x;y";"say ""hi"""\n2;"two\nlines";z\n3;4;5\n');
    expect(out.map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', 'x;y', 'say "hi"']],
      [3, ['2', 'two\nlines', 'z']],
      [5, ['3', '4', '5']], // line 4 is the second line of record 3
    ]);
  });
  it('turns a stray quote into ONE problem row at its line and keeps the following rows in order', () => {
    const out = split('a;b;c\n1;2;3\n4;"oops;6\n7;8;9\n10;11;12\n');
    expect(out.map((r) => [r.line, r.problem !== undefined, r.raw])).toEqual([
      [1, false, 'a;b;c'],
      [2, false, '1;2;3'],
      [3, true, '4;"oops;6'],
      [4, false, '7;8;9'],
      [5, false, '10;11;12'],
    ]);
  });
  it('rejects a multi-line record that does not have the header width (stray quote closed later)', () => {
    // Lines 2–3 form ['1', 'x\n2;y']: 2 fields = the header width, a legitimate multi-line cell.
    const out = split('a;b\n1;"x\n2;y"\n3;4\n');
    expect(out.map((r) => r.line)).toEqual([1, 2, 4]);
    // Lines 2–3 form ['1', 'x\n2;3;4', '5']: 3 fields ≠ 2, so line 2 is broken and line 3 is read alone.
    const bad = split('a;b\n1;"x\n2;3;4";5\n6;7\n');
    expect(bad.map((r) => [r.line, r.problem !== undefined])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, false],
    ]);
  });
  it('keeps unescaped inner quotes of OCS exports as literal text', () => {
    expect(split('a;b\n"1";"Ecran 27" Dell"\n')[1]!.cells).toEqual(['1', 'Ecran 27" Dell']);
    expect(split('a;b\n1;Dell 24" wide\n')[1]!.cells).toEqual(['1', 'Dell 24" wide']);
  });
  it('handles CRLF, trailing delimiters, blank and all-empty lines', () => {
    const s = new CsvRecordSplitter(';');
    s.push('"a";"b";\r\n"1";"2";\r\n\r\n;;\r\n"3";"4";');
    s.end();
    expect(s.out.map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b', '']],
      [2, ['1', '2', '']],
      [5, ['3', '4', '']],
    ]);
    expect(s.blank).toBe(2);
  });
  it('throws on a quoted field left open on the last line', () => {
    expect(() => split('a;b\n1;2\n3;"open')).toThrow(/line 3/);
  });
  it('gives up on a record longer than 1 MiB and resumes on the next line', () => {
    const s = new CsvRecordSplitter(';');
    s.push('a;b\n1;"unbalanced\n');
    const filler = 'x;y\n'.repeat(MAX_RECORD_CHARS / 4 + 10);
    s.push(filler);
    s.end();
    expect(s.out[1]!.problem).toMatch(/1 MiB/);
    expect(s.out[1]!.line).toBe(2);
    expect(s.out[2]!.cells).toEqual(['x', 'y']);
    expect(s.out[2]!.line).toBe(3);
    expect(s.out.length).toBe(2 + MAX_RECORD_CHARS / 4 + 10);
  });
  it('gives the same records whatever the chunking', () => {
    const text = 'a;b;c\n1;"x\r\ny";3\r\n"4";"5""";6\n7;8;9';
    const whole = split(text);
    for (let cut = 1; cut < text.length; cut++) {
      const s = new CsvRecordSplitter(';');
      s.push(text.slice(0, cut));
      s.push(text.slice(cut));
      s.end();
      expect(s.out, `cut at ${cut}`).toEqual(whole);
    }
  });
});

describe('openCsv', () => {
  it('detects the tab delimiter', async () => {
    const p = await file('nomEquipementPhysique\tmodele\tquantite\n1\t2\t3\n');
    const t = await openCsv(p, { scoreHeader: (h) => h.filter((x) => x.startsWith('nom') || x === 'modele').length });
    expect(t.delimiter).toBe('\t');
    expect(t.header).toEqual(['nomEquipementPhysique', 'modele', 'quantite']);
  });
  it('detects UTF-8 with BOM, UTF-8, and Windows-1252 (invalid UTF-8 anywhere in the file)', async () => {
    expect((await openCsv(await file('\ufeffa;b\n1;é\n'))).encoding).toBe('utf-8-bom');
    expect((await openCsv(await file('a;b\n1;é\n'))).encoding).toBe('utf-8');
    // An invalid byte beyond the 64 KiB sample still switches the whole file to Windows-1252.
    const big = Buffer.concat([Buffer.from('a;b\n' + 'x;y\n'.repeat(40_000)), iconv.encode('z;Hélène\n', 'win1252')]);
    const p = await file(big);
    const t = await openCsv(p);
    expect(t.encoding).toBe('windows-1252');
    const all = await rows(p);
    expect(all.at(-1)!.cells).toEqual(['z', 'Hélène']);
    expect(all.at(-1)!.line).toBe(40_002);
  });
  it('can force ISO-8859-1 (bytes 0x80–0x9F are C1 controls, not Windows-1252 letters)', async () => {
    const p = await file(Buffer.from([0x61, 0x3b, 0x62, 0x0a, 0x31, 0x3b, 0x80, 0xe9, 0x0a]));
    expect((await rows(p, { encoding: 'iso-8859-1' }))[0]!.cells).toEqual(['1', '\u0080é']);
    expect((await rows(p, { encoding: 'windows-1252' }))[0]!.cells).toEqual(['1', '€é']);
  });
  it('reports a wrong forced encoding as INP_ENCODING with the line', async () => {
    const p = await file(Buffer.concat([Buffer.from('a;b\n1;ok\n2;'), Buffer.from([0xe9]), Buffer.from('t\n')]));
    const i = await rejectedIssue(rows(p, { encoding: 'utf-8' }));
    expect([i.code, i.line]).toEqual(['INP_ENCODING', 3]);
  });
  it('refuses empty, binary and UTF-16 files; a header-only file has no rows', async () => {
    expect((await rejectedIssue(openCsv(await file('')))).code).toBe('INP_FILE_EMPTY');
    expect((await rejectedIssue(openCsv(await file('\n\n')))).code).toBe('INP_FILE_EMPTY');
    expect((await rejectedIssue(openCsv(await file(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 8]))))).code).toBe(
      'INP_FILE_UNREADABLE',
    );
    expect((await rejectedIssue(openCsv(await file(Buffer.from([0xff, 0xfe, 0x61, 0]))))).code).toBe('INP_ENCODING');
    expect(await rows(await file('a;b\n'))).toEqual([]);
    expect(await rows(await file('a;b'))).toEqual([]);
  });
  it('reports an unterminated quote at the end as INP_BAD_CSV with its line', async () => {
    const i = await rejectedIssue(rows(await file('a;b\n1;2\n3;"never closed\n')));
    expect([i.code, i.line]).toEqual(['INP_BAD_CSV', 3]);
  });
  it('yields problem rows in file order with raw text', async () => {
    const r = await rows(await file('a;b\n1;2\n3;"x\n5;6\n'));
    expect(r.map((x) => [x.line, isProblemRow(x)])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(r[1]!.raw).toBe('3;"x');
  });
  it('is re-iterable (a second pass reads the same rows)', async () => {
    const t = await openCsv(await file('a;b\n1;2\n3;4\n'));
    const first: TableRow[] = [];
    for await (const r of t.rows) first.push(r);
    const second: TableRow[] = [];
    for await (const b of t.batches) second.push(...b);
    expect(second).toEqual(first);
    expect(t.bytesRead()).toBe(t.size);
  });
});
