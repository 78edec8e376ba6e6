/**
 * Sources of a run (`InputSource`): each with its own mapping, its own default entity, a file or a stream.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../src/formats/table.js';
import { autoMapTable, mapTableWith } from '../../src/inventory/mapping/hooks.js';
import { presetMapping } from '../../src/inventory/mapping/loader.js';
import type { MessagingRow, PhysicalEquipment } from '../../src/inventory/model.js';
import { processInventory, type MapTable } from '../../src/inventory/pipeline.js';
import { SAMPLES } from './mapping/helpers.js';

const REF = '2025-06-30';
const NUMECOEVAL = 'test/fixtures/inventory/numecoeval';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-sources-'));
let seq = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const d = join(tmp, `case${seq++}`);
  await mkdir(d);
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  return d;
}

/** A mapping hook that records the files it is asked about, then defers to `inner` (none: native reading). */
function spy(inner?: MapTable): { mapTable: MapTable; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    mapTable: (t: TableInfo) => {
      seen.push(basename(t.file));
      return inner?.(t);
    },
  };
}

describe('each source uses its own mapping', () => {
  it('a GLPI export through its preset next to a NumEcoEval folder read natively, in one run', async () => {
    const glpi = spy(mapTableWith(presetMapping('glpi-printers')));
    const run = spy(); // the run's mapping: only for sources without their own
    const physical: PhysicalEquipment[] = [];
    const res = await processInventory(
      [{ path: SAMPLES + 'glpi-printers-fr.csv', mapTable: glpi.mapTable }, NUMECOEVAL],
      { referenceDate: REF, mapTable: run.mapTable },
      { physical: (pe) => void physical.push(pe) },
    );
    expect(glpi.seen).toEqual(['glpi-printers-fr.csv']);
    expect(run.seen).toEqual([
      'applications.csv',
      'datacenters.csv',
      'entites.csv',
      'equipements-physiques.csv',
      'equipements-virtuels.csv',
      'messagerie.csv',
      'operations-non-it.csv',
    ]);
    const styles = Object.fromEntries(res.files.map((f) => [basename(f.path), [f.headerStyle, f.kind]]));
    expect(styles['glpi-printers-fr.csv']).toEqual(['mapping:glpi-printers', 'physical-equipment']);
    expect(styles['equipements-physiques.csv']).toEqual(['numecoeval', 'physical-equipment']);
    expect(styles['entites.csv']).toEqual(['numecoeval', 'entity']);
    // 20 printers in the sample (README: 20 rows, none refused); the NumEcoEval physical file keeps 7 of its 11 lines
    // (PC-001 twice more: duplicates; SRV-02 and SRV-03 name missing/refused datacenters; see pipeline.test.ts).
    const glpiReport = res.files.find((f) => basename(f.path) === 'glpi-printers-fr.csv');
    expect([glpiReport?.read, glpiReport?.imported, glpiReport?.rejected]).toEqual([20, 20, 0]);
    const printers = physical.filter((pe) => pe.at?.file.endsWith('glpi-printers-fr.csv'));
    expect(printers).toHaveLength(20);
    expect(new Set(printers.map((pe) => pe.type))).toEqual(new Set(['Printer'])); // the preset's constant type
    expect(physical).toHaveLength(27);
    expect(printers[0]?.name).toBe('NPI5F2BE10'); // the sample's first "Nom"
  });

  it("a source's mapping failing its table fails that table only", async () => {
    const res = await processInventory(
      [
        { path: SAMPLES + 'intune-devices.csv', mapTable: mapTableWith(presetMapping('glpi-printers')) },
        SAMPLES + 'intune-devices.csv', // the run's reading: presets auto-detected
      ],
      { referenceDate: REF, mapTable: autoMapTable() },
    );
    expect(res.files.map((f) => [f.status, f.fileError?.code, f.headerStyle])).toEqual([
      ['failed', 'INP_HEADER_MISSING', undefined],
      ['ok', undefined, 'mapping:intune-devices'],
    ]);
    expect(res.files[1]?.imported).toBe(28); // README: 28 rows
  });
});

const PE = 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;nomEntite\n';
const MAIL = 'nombreMailEmis;nombreMailEmisXDestinataires;volumeTotalMailEmis;MoisAnnee;nomEntite\n';

describe('a source’s default entity', () => {
  it('is given to the items of that source that name none, and to no other source', async () => {
    const a = await folder({
      'entites.csv': 'nomEntite\nDSI\nRH\n',
      'physique.csv': PE + 'PC-1;Latitude 5520;1;Laptop;France;DSI\nPC-2;Latitude 5520;1;Laptop;France;\n',
    });
    const b = await folder({ 'autres.csv': PE + 'PC-3;Latitude 5520;1;Laptop;France;\n' });
    const physical: PhysicalEquipment[] = [];
    const res = await processInventory(
      [{ path: a, entity: 'RH' }, b],
      { referenceDate: REF },
      { physical: (pe) => void physical.push(pe) },
    );
    expect(physical.map((pe) => [pe.name, pe.entity])).toEqual([
      ['PC-1', 'DSI'], // names its own
      ['PC-2', 'RH'], // the source's default
      ['PC-3', undefined], // another source
    ]);
    expect(res.totals).toEqual({ read: 5, imported: 5, rejected: 0, warnings: 0 });
  });

  it('is checked against the entity files like a written one', async () => {
    const d = await folder({
      'entites.csv': 'nomEntite\nDSI\n',
      'physique.csv': PE + 'PC-1;Latitude 5520;1;Laptop;France;\n',
    });
    const res = await processInventory([{ path: d, entity: 'Achats' }], { referenceDate: REF });
    const pe = res.files.find((f) => basename(f.path) === 'physique.csv');
    expect(pe?.issues.map((i) => [i.code, i.line, i.details.value])).toEqual([['INP_UNKNOWN_ENTITY', 2, 'Achats']]);
  });

  it('joins the natural key of messaging rows, in both modes', async () => {
    // Same month, one row naming RH, one naming none: with RH as the default they are the same (entity, month).
    const d = await folder({ 'messagerie.csv': MAIL + '100;200;10;032024;RH\n50;60;5;032024;\n' });
    const lenient = await processInventory([{ path: d, entity: 'RH' }], { referenceDate: REF });
    expect(lenient.files[0]?.issues.map((i) => [i.code, i.line])).toEqual([['INP_DUPLICATE_KEY', 3]]);
    const strict = await processInventory([{ path: d, entity: 'RH' }], { referenceDate: REF, mode: 'strict' });
    expect(strict.files[0]?.issues.map((i) => [i.code, i.line])).toEqual([
      ['INP_DUPLICATE_STRICT', 2],
      ['INP_DUPLICATE_STRICT', 3],
    ]);
    // Without the default they are two entities' rows.
    const messages: MessagingRow[] = [];
    const none = await processInventory([d], { referenceDate: REF }, { messaging: (m) => void messages.push(m) });
    expect([none.totals.imported, messages.map((m) => m.entity)]).toEqual([2, ['RH', undefined]]);
  });
});

describe('runs share no state', () => {
  it('two runs at once give what each gives alone', async () => {
    const g4it = 'test/fixtures/inventory/g4it';
    const options = { referenceDate: REF, mapTable: autoMapTable() };
    const alone = [
      await processInventory([NUMECOEVAL, SAMPLES], options),
      await processInventory([g4it], { ...options, mode: 'strict' }),
    ];
    const together = await Promise.all([
      processInventory([NUMECOEVAL, SAMPLES], options),
      processInventory([g4it], { ...options, mode: 'strict' }),
    ]);
    expect(together).toEqual(alone);
    expect(alone[0]?.totals.read).toBeGreaterThan(0);
    expect(alone[1]?.totals.rejected).toBeGreaterThan(0);
  });
});

describe('stream sources', () => {
  /** A stream giving `text` in chunks of `size` bytes (so that records and characters straddle chunks). */
  const chunked = (data: string | Buffer, size = 7) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    return Readable.from(chunks);
  };
  const temps = () => {
    const added: string[] = [];
    const live = new Set<string>();
    return {
      added,
      live,
      add: (p: string) => void (added.push(p), live.add(p)),
      delete: (p: string) => void live.delete(p),
    };
  };

  it('reads a CSV stream like a file, named by its path, in strict mode too (several passes)', async () => {
    // Lines 2-4; line 3 repeats PC-1 (duplicate in both modes; strict rejects both copies), line 4 has no type.
    const text =
      PE + 'PC-1;Latitude 5520;1;Laptop;France;DSI\nPC-1;Latitude 5520;1;Laptop;France;DSI\nPC-2;X;1;;France;\n';
    const tmpFiles = temps();
    const lenient = await processInventory([{ path: 'uploads/parc.csv', stream: chunked(text) }], {
      referenceDate: REF,
      tempFiles: tmpFiles,
    });
    const f = lenient.files[0];
    expect([f?.path, f?.file, f?.kind, f?.format, f?.read, f?.imported, f?.rejected]).toEqual([
      'uploads/parc.csv',
      'uploads/parc.csv',
      'physical-equipment',
      'csv',
      3,
      1,
      2,
    ]);
    expect(f?.issues.map((i) => [i.file, i.line, i.code])).toEqual([
      ['uploads/parc.csv', 3, 'INP_DUPLICATE_KEY'],
      ['uploads/parc.csv', 4, 'INP_REQUIRED'],
    ]);
    const strict = await processInventory([{ path: 'parc.csv', stream: chunked(text) }], {
      referenceDate: REF,
      mode: 'strict',
    });
    expect(strict.files[0]?.issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'INP_DUPLICATE_STRICT'],
      [3, 'INP_DUPLICATE_STRICT'],
      [4, 'INP_REQUIRED'],
    ]);
    // The copy lived in a temporary folder registered for signals, removed at the end of the run.
    expect(tmpFiles.added).toHaveLength(1);
    expect(tmpFiles.live.size).toBe(0);
    expect(existsSync(tmpFiles.added[0] ?? '')).toBe(false);
  });

  it('detects a Windows-1252 stream and writes rejects named after the source', async () => {
    const text = PE + 'PC-é;Latitude 5520;1;Laptop;France;Comptabilité\nPC-2;X;abc;Laptop;France;\n';
    const out = await folder({});
    const res = await processInventory([{ path: 'export.csv', stream: chunked(iconv.encode(text, 'windows-1252')) }], {
      referenceDate: REF,
      rejectsDir: out,
    });
    const f = res.files[0];
    expect([f?.encoding, f?.imported, f?.rejected]).toEqual(['windows-1252', 1, 1]);
    expect(f?.rejectsFile).toBe(join(out, 'rejected_export.csv'));
    const rejects = iconv.decode(await readFile(join(out, 'rejected_export.csv')), 'windows-1252');
    expect(rejects.split('\n')[1]).toMatch(/^PC-2;X;abc;Laptop;France;;3;INP_NOT_NUMBER;/);
  });

  it('a stream that fails is a file error for that source alone', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    const d = await folder({ 'physique.csv': PE + 'PC-1;Latitude 5520;1;Laptop;France;\n' });
    const res = await processInventory([{ path: 'upload.csv', stream: broken }, d], { referenceDate: REF });
    expect(res.files.map((f) => [f.file, f.status, f.fileError?.code, f.fileError?.details.reason])).toEqual([
      ['upload.csv', 'failed', 'INP_FILE_UNREADABLE', 'connection reset'],
      [join(d, 'physique.csv'), 'ok', undefined, undefined],
    ]);
  });
});
