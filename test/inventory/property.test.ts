import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter } from '../../src/formats/csv.js';
import { processInventory, type FileReport } from '../../src/inventory/pipeline.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-prop-'));
let seq = 0;

async function validate(content: string | Uint8Array): Promise<FileReport> {
  const p = join(tmp, `p${seq++}.csv`);
  await writeFile(p, content);
  const res = await processInventory([p], { referenceDate: '2024-06-30', maxRejectedLines: 1_000_000 });
  return res.files[0]!;
}

/** The accounting invariant, for ok and failed files alike. */
function invariant(f: FileReport): void {
  expect(f.read).toBe(f.imported + f.rejected);
  if (f.status === 'failed') expect(f.fileError).toBeDefined();
  else expect(f.fileError).toBeUndefined();
  const errors = Object.entries(f.issueCounts).reduce((a, [, n]) => a + n, 0);
  expect(errors).toBeGreaterThanOrEqual(f.rejected > 0 ? 1 : 0);
}

const HEADER =
  'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;dateAchat;consoElecAnnuelle;nomSourceDonnee\n';
const cellChars = fc.constantFrom('a', 'Z', '1', '0', '-', '.', ',', ' ', '/', 'é', '"', ';', '\n', '\r', '\t', 'N');

describe('property: random and mutated inputs never crash and keep read = imported + rejected', () => {
  it('random bodies under a physical-equipment header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cellChars, { maxLength: 300 }), async (chars) => {
        invariant(await validate(HEADER + chars.join('')));
      }),
      { numRuns: 150 },
    );
  });

  it('mutations of a valid NumEcoEval file (insert, delete, replace bytes)', async () => {
    const base = Buffer.from(await readFile('test/fixtures/inventory/numecoeval/equipements-physiques.csv'));
    const mutation = fc.record({
      op: fc.constantFrom('insert', 'delete', 'replace'),
      at: fc.nat(),
      byte: fc.constantFrom(0x22, 0x3b, 0x2c, 0x0a, 0x0d, 0xe9, 0xc3, 0x00, 0x41, 0x31, 0x2d),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 8 }), async (muts) => {
        const bytes = [...base];
        for (const m of muts) {
          const at = m.at % (bytes.length + 1);
          if (m.op === 'insert') bytes.splice(at, 0, m.byte);
          else if (m.op === 'delete') bytes.splice(at, 1);
          else bytes[Math.min(at, bytes.length - 1)] = m.byte;
        }
        invariant(await validate(Uint8Array.from(bytes)));
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary binary content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        invariant(await validate(bytes));
      }),
      { numRuns: 100 },
    );
  });
});

describe('property: quoted cells round-trip through the splitter', () => {
  it('any cells written with RFC 4180 quoting are read back exactly', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ';', '"', '\n', '\r\n', ' ', 'é'), maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        (records) => {
          const quote = (c: string) => (/[;"\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c);
          const text = ['h1;h2;h3', ...records.map((r) => r.map(quote).join(';'))].join('\n') + '\n';
          const s = new CsvRecordSplitter(';');
          s.push(text);
          s.end();
          // All-empty records are skipped as blank lines.
          const expected = records.filter((r) => r.some((c) => c.trim() !== ''));
          expect(s.out.slice(1).map((r) => r.cells)).toEqual(expected);
          expect(s.out.every((r) => r.problem === undefined)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
