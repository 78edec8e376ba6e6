/**
 * No silent zero (issue 11): a file of which every line is rejected is failed, and a run without any item exits 2
 * naming the files read and their kinds — in `assess` and `validate` — instead of reporting 0 kg.
 */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-zero-'));
const DATE = ['--date', '2025-01-01'];

const run = (args: string[]) => runCli(args);

afterEach(() => {
  process.exitCode = undefined;
});

describe('no silent zero', () => {
  it('assess: a file whose every line is rejected stops the run (exit 2), no output written', async () => {
    const d = await mkdtemp(join(tmp, 'rej-'));
    const pe = join(d, 'pe.csv');
    await writeFile(
      pe,
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\na;M;x;Laptop;France\nb;M;y;Laptop;France\n',
    );
    const outDir = await mkdtemp(join(tmp, 'out-'));
    const r = await run(['assess', pe, '--format', 'json', '--out', join(outDir, 'r.json'), ...DATE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${pe}:1:1: INP_ALL_LINES_REJECTED Every line of ${pe} was rejected (2 line(s), read as physical-equipment)`,
    );
    expect(await readdir(outDir)).toEqual([]);
  });

  it('validate: the same file is failed in the report, exit 2', async () => {
    const d = await mkdtemp(join(tmp, 'val-'));
    const pe = join(d, 'pe.csv');
    await writeFile(pe, 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\na;M;x;Laptop;France\n');
    const r = await run(['validate', pe, '--format', 'json', ...DATE]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as { ok: boolean; files: { status: string; fileError?: { code: string } }[] };
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.status, f.fileError?.code])).toEqual([['failed', 'INP_ALL_LINES_REJECTED']]);
  });

  it('assess: an inventory without any item (a datacenter file alone) exits 2 naming what was read', async () => {
    const d = await mkdtemp(join(tmp, 'dc-'));
    await writeFile(join(d, 'dc.csv'), 'nomCourtDatacenter;localisation\nDC;France\n');
    const r = await run(['assess', d, ...DATE]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `empreinte: INP_INVENTORY_EMPTY The inventory holds no item to assess (files read, with the kind detected and the lines imported/read: ${join(d, 'dc.csv')} (datacenter, 1/1)); a result would be zero. Check the kind detected for each file (empreinte validate) and, for a foreign export, its mapping (--mapping).\n`,
    );
    expect(r.out).toBe('');
  });
});
