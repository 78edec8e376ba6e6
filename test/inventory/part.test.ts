/**
 * A table read in two parts (src/inventory/pipeline/part.ts): the second part judged by `judgePart` (here in this
 * thread, as the worker runs it) and taken in order by the main pass must give the same reports, the same rejected
 * lines with the same positions and the same rejects files as the one-thread path, and every line exactly once.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processInventory, type InventoryResult, type RejectedLine } from '../../src/inventory/pipeline.js';
import {
  judgePart,
  maySplit,
  RAW_PIECE_CHARS,
  rawOf,
  SPLIT_MIN_BYTES,
  type PartBatch,
  type PartEnd,
  type SecondPart,
} from '../../src/inventory/pipeline/part.js';
import type { ProcessOptions } from '../../src/inventory/pipeline/types.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-part-'));
const HEADER =
  'nomEquipementPhysique;modele;quantite;type;statut;paysDUtilisation;dateAchat;nomCourtDatacenter;nomEntite;nomSourceDonnee';

/** A valid line (the item's name is its number). */
const ok = (i: number, extra = '') => `EQ-${i};Latitude 5520${extra};1;Laptop;In use;France;2021-03-04;;E${i % 3};SRC`;

/** The second part judged in this thread; its results are the lines of the accepted items (counted per part). */
function inThread(counts: { parts: number; judged: number }): ProcessOptions['secondPart'] {
  return (spec) => {
    counts.parts++;
    let lines: number[] = [];
    let end: PartEnd | undefined;
    const gen = judgePart(
      spec,
      {},
      (pe) => {
        counts.judged++;
        lines.push(pe.at?.line ?? -1);
      },
      () => {
        const out = lines;
        lines = [];
        return out;
      },
    );
    const second: SecondPart = {
      batches: {
        async *[Symbol.asyncIterator](): AsyncGenerator<PartBatch> {
          for (;;) {
            const r = await gen.next();
            if (r.done) {
              end = r.value;
              return;
            }
            yield r.value;
          }
        },
      },
      end: () => end!,
      close: async () => {
        await gen.return({ bytes: 0, blank: 0 });
      },
    };
    return second;
  };
}

/** A second part whose batches are also kept in `into`, as taken. */
function recording(second: SecondPart, into: PartBatch[]): SecondPart {
  return {
    batches: {
      async *[Symbol.asyncIterator](): AsyncGenerator<PartBatch> {
        for await (const b of second.batches) {
          into.push(b);
          yield b;
        }
      },
    },
    end: () => second.end(),
    close: () => second.close(),
  };
}

interface Run {
  result: InventoryResult;
  accepted: number[];
  rejected: RejectedLine[];
  rejectsFiles: Record<string, string>;
}

async function run(path: string, parts: 'one' | 'two', over: Partial<ProcessOptions> = {}, fraction = 0.5) {
  const rejectsDir = await mkdtemp(join(tmp, 'rejects-'));
  const counts = { parts: 0, judged: 0 };
  const accepted: number[] = [];
  const rejected: RejectedLine[] = [];
  const options: ProcessOptions = {
    referenceDate: '2025-06-30',
    rejectsDir,
    ...(parts === 'two' ? { secondPart: inThread(counts), split: { minBytes: 0, fraction } } : {}),
    ...over,
  };
  const result = await processInventory([path], options, {
    physical: (pe) => void accepted.push(pe.at?.line ?? -1),
    partResults: (results) => {
      const lines = results as number[];
      let i = 0;
      return {
        accept: () => void accepted.push(lines[i++]!),
        skip: () => void i++,
      };
    },
    rejected: (r) => void rejected.push(r),
  });
  // The rejects folder differs between the two runs: reports name the file by its base name here.
  const files = result.files.map((f) =>
    f.rejectsFile !== undefined ? { ...f, rejectsFile: f.rejectsFile.slice(rejectsDir.length) } : f,
  );
  const rejectsFiles: Record<string, string> = {};
  for (const f of await readdir(rejectsDir)) rejectsFiles[f] = await readFile(join(rejectsDir, f), 'latin1');
  return { run: { result: { ...result, files }, accepted, rejected, rejectsFiles } satisfies Run, counts };
}

/** Both paths on a file: equal, and the two-part one did split (unless `split` is false). */
async function same(name: string, content: string | Buffer, fraction = 0.5, over: Partial<ProcessOptions> = {}) {
  const path = join(tmp, name);
  await writeFile(path, content);
  const one = await run(path, 'one', over);
  const two = await run(path, 'two', over, fraction);
  expect(two.run.result).toEqual(one.run.result);
  expect(two.run.rejected).toEqual(one.run.rejected);
  expect(two.run.rejectsFiles).toEqual(one.run.rejectsFiles);
  expect(two.run.accepted).toEqual(one.run.accepted);
  return { one: one.run, two: two.run, counts: two.counts };
}

describe('a table read in two parts', () => {
  it('takes every line exactly once, in order, whatever the split point', async () => {
    const n = 400;
    const text = [HEADER, ...Array.from({ length: n }, (_, i) => ok(i + 1))].join('\n') + '\n';
    for (const fraction of [0.01, 0.3, 0.5, 0.77, 0.99]) {
      const { two, counts } = await same(`all-${fraction}.csv`, text, fraction);
      expect(counts.parts).toBe(1);
      // Lines 2..n+1, each once: a split that lost or doubled a line would break this.
      expect(two.accepted).toEqual(Array.from({ length: n }, (_, i) => i + 2));
      expect(counts.judged).toBeGreaterThan(0);
      expect(counts.judged).toBeLessThan(n);
      expect(two.result.files[0]).toMatchObject({ read: n, imported: n, rejected: 0 });
    }
  });

  it('takes batches of more rows than a batch first holds (short lines: a 256 KiB chunk of ~9,000 rows)', async () => {
    // 29-byte lines; every 1000th a duplicate of the line before it, every 1500th a bad quantity.
    const n = 20_000;
    const short = (i: number) =>
      `${String(i % 1000 === 0 ? i - 1 : i).padStart(6, '0')};M;${i % 1500 === 0 ? 'x' : '1'};Laptop;;France;;;;S`;
    const text =
      [
        'nomEquipementPhysique;modele;quantite;type;statut;paysDUtilisation;dateAchat;nomCourtDatacenter;nomEntite;nomSourceDonnee',
        ...Array.from({ length: n }, (_, i) => short(i + 1)),
      ].join('\n') + '\n';
    const { two, counts } = await same('short.csv', text, 0.1);
    expect(counts.parts).toBe(1);
    const rejected = Array.from({ length: n }, (_, i) => i + 1).filter((i) => i % 1000 === 0 || i % 1500 === 0);
    expect(two.rejected.map((r) => r.line)).toEqual(rejected.map((i) => i + 1));
    expect(two.result.files[0]).toMatchObject({ read: n, imported: n - rejected.length });
  });

  it('gives the rejected lines of the second part with their own positions, duplicates across the parts included', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 300; i++) {
      if (i % 37 === 0)
        lines.push(`EQ-${i};X;abc;Laptop;In use;France;2021-13-45;;E;SRC`); // quantity and date
      else if (i % 41 === 0) lines.push(`EQ-${i - 200};Latitude 5520;1;Laptop;In use;France;2021-03-04;;E;SRC`);
      else if (i % 43 === 0) lines.push(`EQ-${i};too;few`);
      else if (i % 47 === 0)
        lines.push(ok(i).replace(';;E', ';DC-NOWHERE;E')); // unknown datacenter
      else if (i % 53 === 0)
        lines.push(ok(i).replace('Latitude 5520', '')); // empty model: a warning
      else lines.push(ok(i));
    }
    // The second part repeats names of the first (duplicates across the split) and of itself.
    lines.push(ok(5), ok(290), ok(290));
    const { two, counts } = await same('errors.csv', lines.join('\n') + '\n', 0.5);
    expect(counts.parts).toBe(1);
    const dups = two.rejected.filter((r) => r.errors.some((e) => e.code === 'INP_DUPLICATE_KEY'));
    // EQ-(i − 200) on lines i + 1 for i = 205, 246, 287 (EQ-5, EQ-46, EQ-87 of lines 6, 47, 88), then the three
    // lines appended: EQ-5 (line 302), EQ-290 twice (lines 303 and 304, after line 291).
    expect(dups.map((r) => r.line).sort((a, b) => a - b)).toEqual([206, 247, 288, 302, 303, 304]);
    expect(dups.find((r) => r.line === 304)?.errors[0]?.details).toMatchObject({ firstLine: '291' });
    expect(two.rejected.some((r) => r.errors.some((e) => e.code === 'INP_UNKNOWN_DATACENTER'))).toBe(true);
    expect(two.result.files[0]?.issueCounts['INP_MODEL_EMPTY']).toBeGreaterThan(0);
    expect(Object.keys(two.rejectsFiles)).toHaveLength(1);
  });

  it('gives a duplicate of the second part the first line of its key: in the first part, else in the second', async () => {
    // 100 lines in each part (split at half). Line numbers: EQ-i is on line i + 1.
    const lines = [HEADER];
    for (let i = 1; i <= 200; i++) lines.push(ok(i));
    const bad = (name: string) => `${name};X;abc;Laptop;In use;France;2021-03-04;;E;SRC`; // rejected: quantity
    const noDc = (name: string) => ok(1).replace('EQ-1;', `${name};`).replace(';;E', ';DC-NOWHERE;E');
    lines.push(
      ok(150), // line 202: EQ-150 twice in the second part → line 151
      ok(150), // line 203: → line 151 again (the first line, not 202)
      ok(20), // line 204: EQ-20 of the first part → line 21
      ok(20), // line 205: → line 21 (the first part's line, not 204)
      bad('EQ-X'), // line 206: rejected, so its key is not registered…
      ok(0).replace('EQ-0;', 'EQ-X;'), // line 207: …and this one is accepted
      noDc('EQ-Y'), // line 208: rejected for its datacenter, after its key is registered…
      ok(0).replace('EQ-0;', 'EQ-Y;'), // line 209: …so this one is its duplicate
      ok(0).replace('EQ-0;', 'EQ-X;'), // line 210: a duplicate of line 207
    );
    const { two, counts } = await same('dups-in-part.csv', lines.join('\n') + '\n', 0.5);
    expect(counts.parts).toBe(1);
    const firstLines = two.rejected
      .filter((r) => r.errors[0]?.code === 'INP_DUPLICATE_KEY')
      .map((r) => [r.line, r.errors[0]?.details.firstLine]);
    expect(firstLines).toEqual([
      [202, '151'],
      [203, '151'],
      [204, '21'],
      [205, '21'],
      [209, '208'],
      [210, '207'],
    ]);
    expect(two.rejected.map((r) => r.line)).toEqual([202, 203, 204, 205, 206, 208, 209, 210]);
    expect(two.accepted).toContain(207);
  });

  it('reads every row of a batch back from its pieces of raw text, rejected and duplicated rows the same', async () => {
    // Lines of 60 to ~900 characters (some two-byte), one of 3 × RAW_PIECE_CHARS (quoted, over several physical
    // lines), one empty model; every 13th rejected (quantity), every 17th a duplicate: rows at the edges of pieces
    // and batches read back through `rawOf` in both threads' paths.
    const lines = [HEADER];
    const n = 6000;
    const longLines = Math.ceil((3 * RAW_PIECE_CHARS) / 5); // 'long' and its line end: 5 characters each
    for (let i = 1; i <= n; i++) {
      const pad = i % 5 === 0 ? 'é€'.repeat(i % 400) : 'x'.repeat((i * 7) % 300);
      if (i === 4500) lines.push(`EQ-${i};"${'long\n'.repeat(longLines)}";1;Laptop;In use;France;;;E;SRC`);
      else if (i % 13 === 0) lines.push(`EQ-${i};M ${pad};abc;Laptop;In use;France;2021-03-04;;E;SRC`);
      else if (i % 17 === 0) lines.push(ok(i - 16, ` ${pad}`));
      else lines.push(ok(i, ` ${pad}`));
    }
    const text = lines.join('\n') + '\n';
    const path = join(tmp, 'pieces.csv');
    await writeFile(path, text);
    // The physical lines of the file (a row's raw text is its record: lines joined by its own line ends).
    const physical = text.split('\n');
    const batches: PartBatch[] = [];
    const counts = { parts: 0, judged: 0 };
    const start = inThread(counts)!;
    await processInventory(
      [path],
      { secondPart: (spec) => recording(start(spec), batches), split: { minBytes: 0, fraction: 0.1 } },
      {},
    );
    expect(batches.length).toBeGreaterThan(2);
    let rows = 0;
    let multiPiece = 0;
    for (const b of batches) {
      expect(b.raws.length).toBe(b.rawPieceEnds.length);
      if (b.raws.length > 1) multiPiece++;
      for (const piece of b.raws)
        if (!piece.includes('long')) expect(piece.length).toBeLessThan(RAW_PIECE_CHARS + 4000);
      for (let i = 0; i < b.lines.length; i++) {
        const line = b.lines[i]!;
        const raw = rawOf(b, i);
        const record = raw.split('\n').length;
        expect(raw).toBe(physical.slice(line - 1, line - 1 + record).join('\n'));
        rows++;
      }
    }
    expect(multiPiece).toBeGreaterThan(2);
    expect(counts.parts).toBe(1);
    // The last row read back is the file's last line: the batches hold every row of the second part, the long one too.
    expect(batches[batches.length - 1]!.lines.at(-1)).toBe(n + 1 + longLines);
    expect(batches.some((b) => b.raws.some((piece) => piece.length > 3 * RAW_PIECE_CHARS))).toBe(true);
    expect(rows).toBeGreaterThan(5000);
    await same('pieces-same.csv', text, 0.1);
  });

  it('keeps quoted fields with line ends right, and reads on when a quoted field runs over the split point', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 200; i++) {
      if (i % 10 === 0) lines.push(`EQ-${i};"Latitude\n5520; ""quoted""\n";1;Laptop;In use;France;2021-03-04;;E;SRC`);
      else lines.push(ok(i));
    }
    const text = lines.join('\n') + '\n';
    // Every split point from just before to just after a multi-line record (a fraction per byte around it).
    const at = text.indexOf('EQ-100;');
    let splits = 0;
    for (let b = at - 3; b < at + 40; b += 3) {
      const { counts, two } = await same(`quoted-${b}.csv`, text, b / text.length);
      splits += counts.judged > 0 ? 1 : 0;
      expect(two.accepted).toHaveLength(200);
    }
    expect(splits).toBeGreaterThan(0);
  });

  it('reads CRLF, BOM and Windows-1252 files the same', async () => {
    const body = Array.from({ length: 200 }, (_, i) => ok(i + 1, i % 7 === 0 ? ' é' : ''));
    await same('crlf.csv', [HEADER, ...body].join('\r\n') + '\r\n', 0.4);
    await same('bom.csv', '\ufeff' + [HEADER, ...body].join('\n') + '\n', 0.6);
    await same('cp1252.csv', Buffer.from([HEADER, ...body, ok(999, ' œ€')].join('\n') + '\n', 'latin1'), 0.5);
    const blank = [HEADER, ...body.slice(0, 100), '', ';;;;;;;;;', ...body.slice(100), ''].join('\n') + '\n';
    const { two } = await same('blank.csv', blank, 0.5);
    expect(two.result.files[0]?.blankLines).toBe(3);
  });

  it('stops at the same line on a file error in the second part (encoding, quote never closed)', async () => {
    const body = Array.from({ length: 300 }, (_, i) => ok(i + 1));
    const bad = Buffer.concat([
      Buffer.from([HEADER, ...body.slice(0, 250)].join('\n') + '\n'),
      Buffer.from([0x45, 0x51, 0xff, 0x3b, 0x0a]),
      Buffer.from(body.slice(250).join('\n') + '\n'),
    ]);
    const { two } = await same('encoding.csv', bad, 0.3, { encoding: 'utf-8' });
    expect(two.result.files[0]?.fileError).toMatchObject({ code: 'INP_ENCODING', line: 252 });
    const open = [HEADER, ...body, 'EQ-X;"never closed;1;Laptop;In use;France;2021-03-04;;E;SRC'].join('\n') + '\n';
    const { two: two2 } = await same('open-quote.csv', open, 0.5);
    expect(two2.result.files[0]?.fileError).toMatchObject({ code: 'INP_BAD_CSV', line: 302 });
  });

  it('applies the limit of rejected lines across the two parts', async () => {
    const body = Array.from({ length: 300 }, (_, i) => (i > 100 && i % 2 ? `EQ-${i};X;abc;Laptop;;;;;;` : ok(i + 1)));
    const { two } = await same('limit.csv', [HEADER, ...body].join('\n') + '\n', 0.4, { maxRejectedLines: 60 });
    expect(two.result.files[0]?.fileError?.code).toBe('INP_TOO_MANY_REJECTS');
    expect(two.result.files[0]?.rejected).toBe(61);
  });

  it('reads the second part again in this thread when the first met a decimal comma', async () => {
    const body = Array.from({ length: 200 }, (_, i) => ok(i + 1));
    body[10] = body[10]!.replace(';1;Laptop', ';2,5;Laptop'); // a decimal comma in the first part
    body[150] = body[150]!.replace(';1;Laptop', ';1,250;Laptop'); // ambiguous unless a decimal comma was seen
    const { two, one } = await same('comma.csv', [HEADER, ...body].join('\n') + '\n', 0.5);
    expect(one.result.files[0]?.issueCounts['INP_AMBIGUOUS_NUMBER']).toBeUndefined();
    expect(two.accepted).toHaveLength(200);
  });

  it('keeps the one-thread path below the size threshold and for other kinds', async () => {
    const path = join(tmp, 'small.csv');
    await writeFile(path, [HEADER, ok(1), ok(2)].join('\n') + '\n');
    const counts = { parts: 0, judged: 0 };
    await processInventory([path], { secondPart: inThread(counts), split: { minBytes: 1 << 20 } }, {});
    await processInventory([path], { secondPart: inThread(counts), mode: 'strict', split: { minBytes: 0 } }, {});
    expect(counts.parts).toBe(0);
  });

  it('may split (worker started ahead) only one lenient file input, not mapped nor a workbook, of the split size', async () => {
    const big = join(tmp, 'big.csv');
    await writeFile(big, Buffer.alloc(SPLIT_MIN_BYTES, 0x41));
    const small = join(tmp, 'small.csv');
    await writeFile(small, Buffer.alloc(SPLIT_MIN_BYTES - 1, 0x41));
    const xlsx = join(tmp, 'big.XLSX');
    await writeFile(xlsx, Buffer.alloc(SPLIT_MIN_BYTES, 0x41));
    const one = (path: string, mapped = false) => [{ path, mapped }];
    expect(await maySplit(one(big), 'lenient')).toBe(true);
    expect(await maySplit(one(big), 'strict')).toBe(false);
    expect(await maySplit(one(big, true), 'lenient')).toBe(false);
    expect(await maySplit([...one(big), ...one(small)], 'lenient')).toBe(false);
    expect(await maySplit(one(small), 'lenient')).toBe(false);
    expect(await maySplit(one(small), 'lenient', { minBytes: 10 })).toBe(true);
    expect(await maySplit(one(xlsx), 'lenient')).toBe(false);
    expect(await maySplit(one(tmp), 'lenient', { minBytes: 0 })).toBe(false); // a folder
    expect(await maySplit(one(join(tmp, 'missing.csv')), 'lenient', { minBytes: 0 })).toBe(false);
    expect(await maySplit([], 'lenient')).toBe(false);
  });
});
