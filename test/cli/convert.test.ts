/**
 * `empreinte convert` (issue 11): the sources written as NumEcoEval or G4IT inventory files. The check is a round trip
 * through the program's other path: assessing the converted files gives the same totals as assessing the sources
 * (a NumEcoEval folder read as it is; a GLPI export through its preset), and re-reading them gives the same items.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-convert-'));
const DATE = ['--date', '2025-06-30'];

interface Summary {
  totals: { byCriterion: { criterion: string; value: number; byStep: Record<string, number> }[]; items: unknown };
}

async function totals(paths: string[], extra: string[] = []): Promise<Summary['totals']> {
  const out = join(await mkdtemp(join(tmp, 'sum-')), 'out.json');
  const r = await runCli(['assess', ...paths, ...DATE, ...extra, '--summary', '--format', 'json', '--out', out]);
  expect(r.code, r.err).toBe(0);
  // Items named in the totals (first items to fix, out of the period) carry their file and line, which differ between
  // a source and its converted file (rejected lines are not written): compared without them.
  return (
    JSON.parse(await readFile(out, 'utf8'), (k, v: unknown) =>
      k === 'file' || k === 'line' ? undefined : v,
    ) as Summary
  ).totals;
}

describe('empreinte convert', () => {
  it('a NumEcoEval folder written back as NumEcoEval files assesses to the same totals', async () => {
    const src = 'examples/inventory';
    const out = join(tmp, 'nee');
    const r = await runCli(['convert', src, '--to', 'numecoeval', '--out', out, ...DATE]);
    expect(r.code, r.err).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'csvApplication.csv',
      'csvDataCenter.csv',
      'csvEntite.csv',
      'csvEquipementPhysique.csv',
      'csvEquipementVirtuel.csv',
    ]);
    expect(await totals([out])).toEqual(await totals([src]));
  });

  it('a GLPI export read through its preset becomes a NumEcoEval file that assesses the same', async () => {
    const src = '../shared/samples/glpi-computers-fr.csv';
    const out = join(tmp, 'glpi');
    const r = await runCli(['convert', src, '--to', 'numecoeval', '--out', out, ...DATE]);
    expect(r.code, r.err).toBe(0);
    // The sample's 3 virtual machines (lines 40–42) are refused by the preset, as assess refuses them.
    expect(r.err).toContain('3 line(s) rejected');
    expect(await readdir(out)).toEqual(['csvEquipementPhysique.csv']);
    expect(await totals([out])).toEqual(await totals([src]));
  });

  it('G4IT has no file for entities, non-IT items and messaging: they are counted, not written', async () => {
    const out = join(tmp, 'g4it');
    const r = await runCli(['convert', 'test/fixtures/inventory/numecoeval', '--to', 'g4it', '--out', out, ...DATE]);
    // The fixture's two non-IT lines are refused (type Climatisation unknown to the pack; dureeDeVie 0), as assess
    // refuses them; its entities (2) and messaging rows (5 lines, 2 refused: month '132024', a duplicate of line 2)
    // have no G4IT file.
    expect(r.code, r.err).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'application.csv',
      'datacenter.csv',
      'equipementPhysique.csv',
      'equipementVirtuel.csv',
    ]);
    expect(r.err).toContain('not converted: 2 entity item(s)');
    expect(r.err).toContain('not converted: 3 messaging item(s)');
    expect(r.err).not.toContain('non-it');
  });

  it('a formula-leading name is written guarded and reads back as it was', async () => {
    const src = await mkdtemp(join(tmp, 'f-'));
    await writeFile(
      join(src, 'pe.csv'),
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\n=1+1;Latitude 5420;2;Laptop;France\n',
    );
    const out = join(tmp, 'guarded');
    expect((await runCli(['convert', src, '--to', 'numecoeval', '--out', out, ...DATE])).code).toBe(0);
    const text = await readFile(join(out, 'csvEquipementPhysique.csv'), 'utf8');
    expect(text.split('\n')[1]!.startsWith("'=1+1;")).toBe(true);
    // Read back, the name is `=1+1` again (the reader strips the guard), so converting it again writes the same file.
    const again = join(tmp, 'guarded-again');
    expect((await runCli(['convert', out, '--to', 'numecoeval', '--out', again, ...DATE])).code).toBe(0);
    expect(await readFile(join(again, 'csvEquipementPhysique.csv'), 'utf8')).toBe(text);
  });

  it('bad options are one coded line, exit 2, nothing written', async () => {
    const out = join(tmp, 'bad');
    const r = await runCli(['convert', 'test/fixtures/inventory/numecoeval', '--to', 'csv', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^empreinte: .*INP_BAD_ENUM .*--to.*numecoeval, g4it/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    await expect(readdir(out)).rejects.toThrow();
  });
});
