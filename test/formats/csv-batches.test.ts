/**
 * The CSV reader hands records on in batches of about 32 K characters (issue 11, per-row cost): the record splitter
 * pauses within a chunk and resumes. The records, their lines, raw texts and problems must be those of splitting the
 * whole text at once, whatever the pushes, quotes, line ends, blank lines and over-long records; a file's rows come
 * in batches of bounded size, in order. `splitCells` must equal `String.split` on any text.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CsvRecordSplitter, MAX_RECORD_CHARS, openCsv, readCsvPart, splitCells } from '../../src/formats/csv.js';
import type { TableRow } from '../../src/formats/table.js';

/** Deterministic pseudo-random numbers (LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A CSV text with quoted fields (delimiters, doubled quotes, line ends inside), blank and all-empty lines. */
function text(rnd: () => number, lines: number, crlf: boolean): string {
  const nl = crlf ? '\r\n' : '\n';
  const out = ['a;b;c;d'];
  for (let i = 0; i < lines; i++) {
    const x = rnd();
    if (x < 0.03) out.push('');
    else if (x < 0.05) out.push(';;;');
    else if (x < 0.1) out.push(`${i};"quoted;${i} ""x""";"two${nl}lines";end`);
    else if (x < 0.11) out.push(`${i};"never closed;c;d`);
    else if (x < 0.112) out.push(`${i};${'y'.repeat(MAX_RECORD_CHARS + 10)};c;d`);
    else out.push(`${i};cell ${i};${'z'.repeat(Math.floor(rnd() * 200))};d`);
  }
  return out.join(nl) + nl;
}

type Rec = { line: number; cells: string[]; raw: string; problem?: string };

/** The text pushed in `pieces` (as a reader pushes its chunks), pausing every `pause` characters, resumed until drained. */
function split(pieces: readonly string[], pause: number): { recs: Rec[]; batches: number } {
  const s = new CsvRecordSplitter(';', '\n', undefined, pause);
  const recs: Rec[] = [];
  let batches = 0;
  const take = () => {
    if (s.out.length > 0) batches++;
    recs.push(...s.out.splice(0).map((r) => ({ ...r })));
  };
  for (const piece of pieces) {
    s.push(piece);
    take();
    while (s.isPaused()) {
      s.resume();
      take();
    }
  }
  s.end();
  take();
  return { recs, batches };
}

/** The text cut at random places (pieces of 1 to 300,000 characters). */
function cut(t: string, rnd: () => number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < t.length;) {
    const n = 1 + Math.floor(rnd() * 300_000);
    pieces.push(t.slice(i, i + n));
    i += n;
  }
  return pieces;
}

describe('CSV records in batches', () => {
  it('a paused splitter gives the records of the same pushes without a pause: LF and CRLF, quotes, broken and over-long records', () => {
    for (const crlf of [false, true]) {
      const rnd = lcg(crlf ? 3 : 4);
      const t = text(rnd, 3000, crlf);
      for (const pieces of [[t], cut(t, rnd), cut(t, rnd)]) {
        const { recs: ref, batches: unpaused } = split(pieces, Infinity);
        expect(ref.some((r) => r.problem !== undefined)).toBe(true);
        expect(unpaused).toBeLessThanOrEqual(pieces.length + 1);
        for (const pause of [1, 100, 32 * 1024]) {
          const { recs, batches } = split(pieces, pause);
          expect(recs).toEqual(ref);
          if (pause === 1) expect(batches).toBeGreaterThan(ref.length / 2);
        }
      }
    }
  });

  it('a file is read in batches of about 32 K characters, every row once and in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-batches-'));
    const path = join(dir, 'f.csv');
    const lines = ['name;type;quantity'];
    for (let i = 0; i < 20_000; i++) lines.push(`EQ-${i};Laptop;${1 + (i % 7)}`);
    await writeFile(path, lines.join('\n') + '\n');
    const t = await openCsv(path);
    const sizes: number[] = [];
    let expectLine = 2;
    for await (const batch of t.batches) {
      let chars = 0;
      for (const r of batch) {
        expect(r.line).toBe(expectLine++);
        expect(r.cells).toEqual(lines[r.line - 1]!.split(';'));
        chars += r.raw!.length + 1;
      }
      sizes.push(chars);
    }
    expect(expectLine).toBe(20_002);
    expect(sizes.length).toBeGreaterThan(10); // about 450 KB: more than the two 256 KiB chunks
    // A batch ends at the first record boundary after 32 K characters (a record here is at most 22 characters).
    for (const n of sizes) expect(n).toBeLessThanOrEqual(32 * 1024 + 22);
  });

  it('text decoded up to the last line end of each chunk: multi-byte characters across chunk ends, LF, CRLF and CR files, a line longer than a chunk, no final line end, windows-1252', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-lines-'));
    const rnd = lcg(11);
    const lines = ['name;label;n'];
    for (let i = 0; i < 9000; i++) {
      const k = Math.floor(rnd() * 40);
      lines.push(
        i === 4000
          ? `L-${i};${'é€𝄞'.repeat(60_000)};1`
          : `L-${i};${[...'aé€𝄞']
              .slice(0, 1 + (i % 4))
              .join('')
              .repeat(k)};${i}`,
      );
    }
    const cases: { nl: string; end: string; latin1?: boolean }[] = [
      { nl: '\n', end: '\n' },
      { nl: '\r\n', end: '' },
      { nl: '\r', end: '\r' },
      { nl: '\n', end: '', latin1: true },
    ];
    for (const [n, c] of cases.entries()) {
      const src = c.latin1 ? lines.map((l) => l.replace(/[€𝄞]/gu, 'ü')) : lines;
      const path = join(dir, `f${n}.csv`);
      const body = src.join(c.nl) + c.end;
      await writeFile(path, c.latin1 ? Buffer.from(body, 'latin1') : Buffer.from(body, 'utf8'));
      const t = await openCsv(path);
      expect(t.encoding).toBe(c.latin1 ? 'windows-1252' : 'utf-8');
      let expectLine = 2;
      for await (const batch of t.batches) {
        for (const r of batch) {
          expect(r.line).toBe(expectLine);
          expect(r.raw).toBe(src[expectLine - 1]);
          expect(r.cells).toEqual(src[expectLine - 1]!.split(';'));
          expectLine++;
        }
      }
      expect(expectLine).toBe(src.length + 1);
    }
  });

  it('decodes a chunk in pieces of at most 60 KiB cut at line ends (a longer line whole): the same records, lines and raw texts', async () => {
    // Lines whose ends fall just before, on and after 60 KiB from a chunk's start, lines of 60 KiB − 1 to 60 KiB + 1
    // bytes, two-byte and four-byte UTF-8 characters, quoted fields over two physical lines: read from the file, every
    // record is the text's own (split here by hand: no quote holds a delimiter).
    const piece = 60 * 1024;
    const lines = ['name;label;n'];
    const rnd = lcg(21);
    let i = 0;
    for (const len of [piece - 1, piece, piece + 1, 2 * piece + 7, 40, piece - 2]) {
      // A label that makes the line (with its line end) `len` bytes long.
      const head = `B-${i};`;
      const tail = `;${i}`;
      lines.push(head + 'x'.repeat(len - 1 - head.length - tail.length) + tail);
      i++;
    }
    for (; i < 9000; i++) {
      const x = rnd();
      const label = [...'aé€𝄞']
        .slice(0, 1 + (i % 4))
        .join('')
        .repeat(Math.floor(rnd() * 40));
      lines.push(x < 0.05 ? `Q-${i};"${label}\n${label}";${i}` : `L-${i};${label};${i}`);
    }
    const text = lines.join('\n') + '\n';
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-pieces-'));
    const path = join(dir, 'p.csv');
    await writeFile(path, text);
    const pushed: string[] = [];
    const push = CsvRecordSplitter.prototype.push;
    const spy = vi.spyOn(CsvRecordSplitter.prototype, 'push').mockImplementation(function (this: CsvRecordSplitter, t) {
      pushed.push(t);
      return push.call(this, t);
    });
    const got: TableRow[] = [];
    try {
      const t = await openCsv(path);
      for await (const batch of t.batches) for (const r of batch) got.push(r);
    } finally {
      spy.mockRestore();
    }
    // The records: physical lines joined back where a quoted field holds a line end.
    const records: { line: number; raw: string }[] = [];
    const physical = text.slice(0, -1).split('\n');
    for (let k = 1; k < physical.length; k++) {
      const quoted = physical[k]!.startsWith('Q-');
      records.push({ line: k + 1, raw: quoted ? `${physical[k]}\n${physical[k + 1]}` : physical[k]! });
      if (quoted) k++;
    }
    expect(got.map((r) => ({ line: r.line, raw: r.raw }))).toEqual(records);
    for (const r of got) {
      const cells = r.raw!.split(';');
      expect(r.cells).toEqual(r.raw!.startsWith('Q-') ? [cells[0], cells[1]!.slice(1, -1), cells[2]] : cells);
    }
    // Every string given to the splitter is at most 60 KiB of the file, or one line longer than that.
    expect(pushed.join('')).toBe(text);
    expect(pushed.length).toBeGreaterThan(text.length / (256 * 1024));
    for (const t of pushed) {
      const bytes = Buffer.byteLength(t);
      if (bytes > piece) expect(t.slice(0, -1).includes('\n')).toBe(false);
    }
  });

  it('a file split at a line end near the chunk ends reads as a whole: the first part held, the second part resumed, forced UTF-8 with a BOM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-parts-'));
    const rnd = lcg(5);
    const lines = ['name;label;n'];
    for (let i = 0; i < 12_000; i++)
      lines.push(
        `P-${i};${[...'aé€𝄞']
          .slice(0, 1 + (i % 4))
          .join('')
          .repeat(Math.floor(rnd() * 30))};${i}`,
      );
    const body = Buffer.from('\ufeff' + lines.join('\n') + '\n', 'utf8');
    const path = join(dir, 'p.csv');
    await writeFile(path, body);
    // The byte just after each line end, to pick split points around the 256 KiB chunk ends (the reader's grid).
    const ends: number[] = [];
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) ends.push(i + 1);
    const chunk = 256 * 1024;
    const near = (x: number) => ends.findIndex((e) => e >= x);
    const picks = [1, 2, near(chunk - 40), near(chunk), near(chunk + 1), near(2 * chunk - 3), ends.length - 2];
    for (const encoding of [undefined, 'utf-8'] as const) {
      const t = await openCsv(path, encoding ? { encoding } : {});
      for (const k of picks) {
        const stopAt = ends[k]!;
        const first = t.firstPart(stopAt);
        const got: TableRow[] = [];
        for await (const batch of first.batches) for (const r of batch) got.push(r);
        expect(first.held()).toBe(true);
        expect(first.bytesRead()).toBe(stopAt);
        const line = k + 2; // the line after the k-th line end (line 1 is the header)
        const counters = { bytes: 0, problems: 0, blank: 0, held: false };
        const spec = {
          path,
          file: 'p.csv',
          encoding: t.encoding,
          delimiter: t.delimiter,
          newline: t.newline,
          checkUtf8: encoding !== undefined,
          start: stopAt,
          resume: { line, width: 3 },
        };
        for await (const batch of readCsvPart(spec, counters)) for (const r of batch) got.push(r);
        expect(counters.bytes).toBe(body.length - stopAt);
        expect(got.map((r) => r.line)).toEqual(lines.slice(1).map((_, i) => i + 2));
        for (const r of got) {
          expect(r.raw).toBe(lines[r.line - 1]);
          expect(r.cells).toEqual(lines[r.line - 1]!.split(';'));
        }
      }
    }
  });

  it('splitCells equals String.split for a one-character delimiter', () => {
    const rnd = lcg(9);
    const alphabet = ['a', 'é', ';', ',', '\t', ' ', '"', 'x'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 20);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      for (const d of [';', ',', '\t']) {
        expect(splitCells(s, d)).toEqual(s.split(d));
        // Sized from a header width smaller than, equal to or larger than the record's cell count: the same cells.
        for (const width of [1, 3, 5, 40]) expect(splitCells(s, d, width)).toEqual(s.split(d));
      }
    }
  });
});
