/**
 * `empreinte kpis` in process on the example inventory: the JSON's counts checked against the CSV files read here
 * (units = Σ quantite of the lines in the period, headcount = Σ nbCollaborateurs) and against `assess --summary` of the
 * same run (footprint per collaborator); the table in French and English; a bad --format is one coded line.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-cli-kpis-'));
const RUN = ['examples/inventory', '--date', '2025-06-30'];

const run = (args: string[]) => runCli(args);

/** The CSV as records (`;`, no quoted separators in the examples). */
async function csv(file: string): Promise<Record<string, string>[]> {
  const [head, ...rows] = (await readFile(file, 'utf8')).trim().split('\n');
  const cols = head!.split(';');
  return rows.map((r) => Object.fromEntries(r.split(';').map((v, i) => [cols[i]!, v])));
}

describe('empreinte kpis', () => {
  it('JSON: units, headcount and per-collaborator values agree with the files and with assess', async () => {
    const physical = await csv('examples/inventory/equipements_physiques.csv');
    // Period 2025: a line withdrawn before 2025-01-01 is out of it (§2.2).
    const inPeriod = physical.filter((r) => !(r['dateRetrait'] && r['dateRetrait'] < '2025-01-01'));
    const units = inPeriod.reduce((s, r) => s + Number(r['quantite']), 0);
    const adm = inPeriod
      .filter((r) => r['nomEntite'] === 'Administration')
      .reduce((s, r) => s + Number(r['quantite']), 0);
    const headcount = (await csv('examples/inventory/entites.csv')).reduce(
      (s, r) => s + Number(r['nbCollaborateurs']),
      0,
    );

    const r = await run(['kpis', ...RUN, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const k = JSON.parse(r.out) as {
      campaign: {
        units: number;
        headcount: number;
        equipmentPerCollaborator: number;
        footprint: { criterion: string; perCollaborator: number }[];
      };
      byEntity: {
        entity: string;
        units: number;
        headcount: number;
        equipmentPerCollaborator: number;
        footprint: { criterion: string; perCollaborator: number }[];
      }[];
    };
    expect(k.campaign.units).toBe(units);
    expect(k.campaign.headcount).toBe(headcount);
    expect(k.campaign.equipmentPerCollaborator).toBeCloseTo(units / headcount, 12);
    const a = k.byEntity.find((e) => e.entity === 'Administration')!;
    expect(a.units).toBe(adm);
    expect(a.equipmentPerCollaborator).toBeCloseTo(adm / 420, 12);

    const out = join(tmp, 'assess.json');
    expect((await run(['assess', ...RUN, '--summary', '--format', 'json', '--out', out])).code).toBe(0);
    const t = (
      JSON.parse(await readFile(out, 'utf8')) as {
        totals: {
          byCriterion: { criterion: string; value: number; perCollaborator: number }[];
          by: Record<string, Record<string, Record<string, number>>>;
        };
      }
    ).totals;
    const cc = t.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    const kc = k.campaign.footprint.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(kc.perCollaborator).toBeCloseTo(cc.value / headcount, 9);
    expect(kc.perCollaborator).toBeCloseTo(cc.perCollaborator, 9);
    expect(a.footprint.find((c) => c.criterion === 'CLIMATE_CHANGE')!.perCollaborator).toBeCloseTo(
      t.by['entity']!['Administration']!['CLIMATE_CHANGE']! / 420,
      9,
    );
  });

  it('table in French (decimal comma) and in English', async () => {
    const fr = await run(['--lang', 'fr', 'kpis', ...RUN]);
    expect(fr.code, fr.err).toBe(0);
    expect(fr.out).toContain('Indicateurs de pilotage (État)');
    expect(fr.out).toContain('Entité Administration');
    expect(fr.out).toMatch(/équipements par collaborateur: \d+,\d+/);
    const en = await run(['--lang', 'en', 'kpis', ...RUN]);
    expect(en.out).toContain('State reporting KPIs');
    expect(en.out).toMatch(/equipment per collaborator: \d+\.\d+/);
  });

  it('a bad --format: one coded line, exit 2', async () => {
    const r = await run(['kpis', ...RUN, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/INP_BAD_ENUM/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
