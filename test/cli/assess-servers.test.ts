/**
 * `empreinte assess` on bottom-up servers described with the optional disk columns (methodology F16: `nbSsd`,
 * `tailleSsd`, `nbHdd`) and with `--criteria PRIMARY_ENERGY` (§1.4). Expected values by hand from Boavizta's
 * component factors (factors.yml) and BoaviztAPI 2.4.1's own result for the same server
 * (`../shared/data/boavizta/boaviztapi-reference-results.json`, first case).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface Row {
  item: string;
  lifecycleStep: string;
  criterion: string;
  unit: string;
  value: number;
  status: string;
  trace: {
    resolution?: { via: string; refItem: string };
    warnings?: { code: string; details: Record<string, unknown> }[];
  };
}

async function assess(csv: string, extra: string[]): Promise<{ code: number; rows: Row[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-servers-'));
  await writeFile(join(dir, 'servers.csv'), csv);
  const out = `${dir}-out.json`; // outside the input folder (an output inside an input is refused)
  const { code } = await runCli([
    'assess',
    dir,
    '--date',
    '2025-01-01',
    '--format',
    'json',
    '--trace', // the tests read the traces' resolution and warnings
    'full',
    '--out',
    out,
    ...extra,
  ]);
  const rows = code === 0 ? (JSON.parse(await readFile(out, 'utf8')) as { indicators: Row[] }).indicators : [];
  return { code, rows };
}

const HEADER =
  'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;nbCoeur;tailleMemoire;typeDeProcesseur;nbSsd;tailleSsd;nbHdd;dureeUsageInterne\n';

describe('bottom-up servers with disk columns, PRIMARY_ENERGY requested', () => {
  it('2 × AMD EPYC 7502, 256 GB, 1 × 1920 GB SSD, 4-year life: BoaviztAPI’s yearly embedded; 4 HDD add 4 × 31.11 / 4', async () => {
    const { code, rows } = await assess(
      HEADER +
        'srv-ssd;custom-build;1;Server;France;64;256;AMD EPYC 7502;1;1920;;4\n' +
        'srv-hdd;custom-build;1;Server;France;64;256;AMD EPYC 7502;1;1920;4;4\n',
      ['--criteria', 'CLIMATE_CHANGE,PRIMARY_ENERGY', '--steps', 'MANUFACTURING'],
    );
    expect(code).toBe(0);
    const row = (item: string, criterion: string) =>
      rows.find((r) => r.item === item && r.criterion === criterion && r.lifecycleStep === 'MANUFACTURING')!;
    // BoaviztAPI 2.4.1, same server, one year of a 35 040 h (4-year) life: gwp.embedded 250.9380108878515,
    // pe.embedded 3323.2933669265212 (reference file); Empreinte: the F16 total / 4 years
    expect(row('srv-ssd', 'CLIMATE_CHANGE').value).toBeCloseTo(250.9380108878515, 6);
    expect(row('srv-ssd', 'PRIMARY_ENERGY')).toMatchObject({ unit: 'MJ', status: 'OK' });
    expect(row('srv-ssd', 'PRIMARY_ENERGY').value).toBeCloseTo(3323.2933669265212, 5);
    expect(row('srv-ssd', 'CLIMATE_CHANGE').trace.resolution?.via).toBe('BOTTOM_UP');
    // HDD: 31.11 kg CO2 eq and 276 MJ per disk (factors.yml hdd) → + 4 × 31.11 / 4 = 31.11 kg, + 4 × 276 / 4 = 276 MJ
    expect(row('srv-hdd', 'CLIMATE_CHANGE').value - row('srv-ssd', 'CLIMATE_CHANGE').value).toBeCloseTo(31.11, 9);
    expect(row('srv-hdd', 'PRIMARY_ENERGY').value - row('srv-ssd', 'PRIMARY_ENERGY').value).toBeCloseTo(276, 8);
    expect(row('srv-hdd', 'CLIMATE_CHANGE').trace.resolution?.refItem).toMatch(/4 HDD/);
    // BoaviztAPI 2.4.1 run on the same server with disk [{units 1, ssd, 1920}, {units 4, hdd, 4000}] (mapper_server,
    // compute_single_impact, duration 8760): gwp.embedded 282.0480108878515, pe.embedded 3599.2933669265212
    expect(row('srv-hdd', 'CLIMATE_CHANGE').value).toBeCloseTo(282.0480108878515, 6);
    expect(row('srv-hdd', 'PRIMARY_ENERGY').value).toBeCloseTo(3599.2933669265212, 5);
  });

  it('tailleDuDisque alone is one SSD with CALC_DISK_KIND_UNKNOWN; with the disk columns, no such warning', async () => {
    const { code, rows } = await assess(
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;nbCoeur;tailleMemoire;typeDeProcesseur;tailleDuDisque;nbSsd;dureeUsageInterne\n' +
        'srv-disk;custom-build;1;Server;France;64;256;AMD EPYC 7502;1920;;4\n' +
        'srv-ssd;custom-build;1;Server;France;64;256;AMD EPYC 7502;1920;1;4\n',
      ['--criteria', 'CLIMATE_CHANGE', '--steps', 'MANUFACTURING'],
    );
    expect(code).toBe(0);
    const row = (item: string) => rows.find((r) => r.item === item)!;
    expect(row('srv-disk').trace.warnings?.find((w) => w.code === 'CALC_DISK_KIND_UNKNOWN')?.details).toEqual({
      value: 1920,
    });
    expect(row('srv-ssd').trace.warnings?.some((w) => w.code === 'CALC_DISK_KIND_UNKNOWN') ?? false).toBe(false);
    // nbSsd 1, no tailleSsd, no HDD: the SSD is tailleDuDisque / 1 = 1920 GB, the same server as srv-disk
    expect(row('srv-ssd').value).toBeCloseTo(row('srv-disk').value, 9);
    expect(row('srv-ssd').value).toBeCloseTo(250.9380108878515, 6); // BoaviztAPI reference, first case
  });

  it('--criteria accepts the aliases TPE and pe of PRIMARY_ENERGY', async () => {
    for (const alias of ['TPE', 'pe']) {
      const { code, rows } = await assess(
        HEADER + 'srv;custom-build;1;Server;France;64;256;AMD EPYC 7502;1;1920;;4\n',
        ['--criteria', alias, '--steps', 'MANUFACTURING'],
      );
      expect(code).toBe(0);
      expect(rows.map((r) => r.criterion)).toEqual(['PRIMARY_ENERGY']);
    }
  });
});
