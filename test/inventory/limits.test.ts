/**
 * Hard limits of numeric inputs (methodology §2.1 "Hard limits", issue 9 point 2): every number is finite and within
 * its limit, else the line is rejected with INP_OUT_OF_RANGE in lenient and strict mode alike; implausible values
 * inside the limits stay INP_ABSURD_VALUE warnings. Limits and values below are the spec's, written by hand.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/issues/catalogue.js';
import { parseNumber } from '../../src/inventory/cells.js';
import { processInventory, type ProcessOptions } from '../../src/inventory/pipeline.js';
import { runCli } from '../helpers/cli.js';
import { issuePlaces } from '../helpers/inventory.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-limits-'));
let seq = 0;
async function run(files: Record<string, string>, options: ProcessOptions = {}) {
  const d = join(tmp, `case${seq++}`);
  await mkdir(d);
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  const res = await processInventory([d], { referenceDate: '2024-06-30', ...options });
  return res;
}

const PE = 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation';

describe('physical equipment: each limit accepted at its value, rejected just above (§2.1)', () => {
  const cases: [column: string, atLimit: string, above: string][] = [
    ['consoElecAnnuelle', '10000000', '10000001'],
    ['dureeUsageInterne', '50', '50.5'],
    ['dureeUsageAmont', '50', '51'],
    ['dureeUsageAval', '50', '51'],
    ['nbCoeur', '10000', '10001'],
    ['tailleMemoire', '1000000', '1000001'],
    ['tailleDuDisque', '10000000', '10000001'],
  ];
  for (const mode of ['lenient', 'strict'] as const) {
    for (const [column, ok, bad] of cases) {
      it(`${column} ${ok} kept, ${bad} → INP_OUT_OF_RANGE (${mode})`, async () => {
        const res = await run(
          { 'pe.csv': `${PE};${column}\nA;M;1;Server;France;${ok}\nB;M;1;Server;France;${bad}\n` },
          { mode },
        );
        const f = res.files[0]!;
        const errors = f.issues.filter((i) => i.severity === 'R');
        expect(issuePlaces(errors)).toEqual([['INP_OUT_OF_RANGE', 3, column]]);
        expect([f.read, f.imported, f.rejected]).toEqual([2, 1, 1]);
      });
    }
  }
  it('quantite: 1e6 kept, 1000001, 1e12, 1e308 and 1e309 rejected, with file, line, column and limit', async () => {
    const res = await run({
      'pe.csv': `${PE}\nA;M;1e6;Laptop;France\nB;M;1000001;Laptop;France\nC;M;1e12;Laptop;France\nD;M;1e308;Laptop;France\nE;M;1e309;Laptop;France\n`,
    });
    const f = res.files[0]!;
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_OUT_OF_RANGE', 3, 'quantite'],
      ['INP_OUT_OF_RANGE', 4, 'quantite'],
      ['INP_OUT_OF_RANGE', 5, 'quantite'],
      ['INP_OUT_OF_RANGE', 6, 'quantite'],
    ]);
    expect([f.read, f.imported, f.rejected]).toEqual([5, 1, 4]);
    const line = formatIssue(f.issues[2]!);
    expect(line).toMatch(/pe\.csv:5:quantite: INP_OUT_OF_RANGE .*between 0 and 1000000 \(got 1e\+308\)/);
    expect(formatIssue(f.issues[3]!)).toContain('(got 1e309)');
  });
  it('a number beyond the float range rejects an optional column even in lenient mode (not downgraded)', async () => {
    const res = await run({
      'pe.csv': `${PE};consoElecAnnuelle\nA;M;1;Laptop;France;1e309\nB;M;1;Laptop;France;-1e400\n`,
    });
    const f = res.files[0]!;
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_OUT_OF_RANGE', 2, 'consoElecAnnuelle'],
      ['INP_OUT_OF_RANGE', 3, 'consoElecAnnuelle'],
    ]);
    expect(f.rejected).toBe(2);
  });
  it('inside the limits an implausible value stays a warning: a 40-year laptop, 5000 kWh for a laptop', async () => {
    // laptop thresholds: 15 years, 100 W × 8760 h / 1000 = 876 kWh/yr (plausibility.ts)
    const res = await run({
      'pe.csv': `${PE};dureeUsageInterne;consoElecAnnuelle\nA;M;1;Laptop;France;40;5000\n`,
    });
    const f = res.files[0]!;
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_ABSURD_VALUE', 2, 'dureeUsageInterne'],
      ['INP_ABSURD_VALUE', 2, 'consoElecAnnuelle'],
    ]);
    expect([f.imported, f.rejected, f.warnings]).toEqual([1, 0, 2]);
  });
});

describe('other kinds', () => {
  it('datacenter: PUE 10 kept (absurd, above 3), PUE 10.5 rejected', async () => {
    const res = await run({ 'dc.csv': 'nomCourtDatacenter;pue;localisation\nDC1;10;France\nDC2;10.5;France\n' });
    expect(issuePlaces(res.files[0]!.issues)).toEqual([
      ['INP_ABSURD_VALUE', 2, 'pue'],
      ['INP_OUT_OF_RANGE', 3, 'pue'],
    ]);
  });
  it('virtual equipment: quantite, vCPU, capaciteStockage, consoElecAnnuelle, chargeMoy, cleRepartition, hours', async () => {
    const vm =
      'nomEquipementVirtuel;nomEquipementPhysique;vCPU;capaciteStockage;consoElecAnnuelle;cleRepartition;typeEqv\n' +
      'V1;H;10000;10000000;10000000;1;calcul\n' + // at the limits: kept
      'V2;H;10001;;;;calcul\n' +
      'V3;H;;10000001;;;stockage\n' +
      'V4;H;1;;1e8;;calcul\n' +
      'V5;H;1;;;1.5;calcul\n';
    const cloud =
      'nomEquipementVirtuel;typeInfrastructure;provider;typeInstance;location;quantite;chargeMoy;dureeUtilisationAnnuelle\n' +
      'C1;CLOUD_SERVICES;aws;a1.medium;eu-west-3;1000000;100;8760\n' + // kept
      'C2;CLOUD_SERVICES;aws;a1.medium;eu-west-3;1000001;50;8760\n' +
      'C3;CLOUD_SERVICES;aws;a1.medium;eu-west-3;1;100.5;8760\n' +
      'C4;CLOUD_SERVICES;aws;a1.medium;eu-west-3;1;50;9000\n';
    const res = await run({ 'pe.csv': `${PE}\nH;M;1;Server;France\n`, 'vm.csv': vm, 'cloud.csv': cloud });
    const byFile = (n: string) => res.files.find((f) => f.path.endsWith(n))!;
    expect(issuePlaces(byFile('vm.csv').issues.filter((i) => i.severity === 'R'))).toEqual([
      ['INP_OUT_OF_RANGE', 3, 'vCPU'],
      ['INP_OUT_OF_RANGE', 4, 'capaciteStockage'],
      ['INP_OUT_OF_RANGE', 5, 'consoElecAnnuelle'],
      ['INP_ALLOCATION_RANGE', 6, 'cleRepartition'],
    ]);
    expect(issuePlaces(byFile('cloud.csv').issues.filter((i) => i.severity === 'R'))).toEqual([
      ['INP_OUT_OF_RANGE', 3, 'quantite'],
      ['INP_OUT_OF_RANGE', 4, 'chargeMoy'],
      ['INP_HOURS_RANGE', 5, 'dureeUtilisationAnnuelle'],
    ]);
    expect(byFile('vm.csv').imported).toBe(1);
    expect(byFile('cloud.csv').imported).toBe(1);
  });
  it('non-IT: quantite, dureeDeVie and consoElecAnnuelle', async () => {
    const res = await run({
      'nonit.csv':
        'nomItemNonIT;quantite;type;dureeDeVie;localisation;consoElecAnnuelle\n' +
        'N1;1000000;UPS;50;France;10000000\n' +
        'N2;2e6;UPS;5;France;\n' +
        'N3;1;UPS;60;France;\n' +
        'N4;1;UPS;5;France;2e7\n',
    });
    expect(issuePlaces(res.files[0]!.issues)).toEqual([
      ['INP_OUT_OF_RANGE', 3, 'quantite'],
      ['INP_OUT_OF_RANGE', 4, 'dureeDeVie'],
      ['INP_OUT_OF_RANGE', 5, 'consoElecAnnuelle'],
    ]);
    expect(res.files[0]!.imported).toBe(1);
  });
  it('messaging and entities: a count beyond the float range is rejected, never Infinity', async () => {
    const res = await run({
      'mail.csv':
        'nombreMailEmis;nombreMailEmisXDestinataires;volumeTotalMailEmis;MoisAnnee;nomEntite\n' +
        '1e309;1;1;012024;DSI\n10;20;1e999;022024;DSI\n',
      'ent.csv': 'nomEntite;nbCollaborateurs\nDSI;1e309\n',
    });
    const mail = res.files.find((f) => f.path.endsWith('mail.csv'))!;
    const ent = res.files.find((f) => f.path.endsWith('ent.csv'))!;
    expect(issuePlaces(mail.issues)).toEqual([
      ['INP_OUT_OF_RANGE', 2, 'nombreMailEmis'],
      ['INP_OUT_OF_RANGE', 3, 'volumeTotalMailEmis'],
    ]);
    expect(issuePlaces(ent.issues)).toEqual([['INP_OUT_OF_RANGE', 2, 'nbCollaborateurs']]);
  });
});

describe('parseNumber at the float limits', () => {
  it('1e308 is a number, 1e309 and -1e309 overflow, -0 reads as 0, subnormals are kept', () => {
    expect(parseNumber('1e308')).toEqual({ ok: true, value: 1e308 });
    expect(parseNumber('1e309')).toEqual({ ok: false, overflow: true });
    expect(parseNumber('-1e309')).toEqual({ ok: false, overflow: true });
    expect(parseNumber('1,5e999', { delimiter: ';' })).toEqual({ ok: false, overflow: true });
    const z = parseNumber('-0');
    expect(z.ok && Object.is(z.value, 0)).toBe(true);
    expect(parseNumber('5e-324')).toEqual({ ok: true, value: 5e-324 });
    expect(parseNumber('NaN')).toEqual({ ok: false });
    expect(parseNumber('Infinity')).toEqual({ ok: false });
  });
});

describe('assess (CLI) with a quantity of 1e308: the line is rejected, the totals stay finite, exit 0', () => {
  const cli = (args: string[]) => runCli(args);
  // One kept line: 1 Laptop (ademe-laptop of the embedded pack, CLIMATE_CHANGE MANUFACTURING 170 kg over the
  // type's 5 years, methodology §7 C-01) = 170 / 5 = 34 kg/yr with --lifetime fixed.
  const content = `${PE}\nOK;M;1;Laptop;France\nHUGE;M;1e308;Laptop;France\nINF;M;1e309;Laptop;France\n`;
  const args = [
    '--date',
    '2025-06-30',
    '--lifetime',
    'fixed',
    '--criteria',
    'CLIMATE_CHANGE',
    '--steps',
    'MANUFACTURING',
  ];
  it('JSON: totals are numbers (no null), the rejected lines are named with their code', async () => {
    const d = join(tmp, `cli${seq++}`);
    await mkdir(d);
    await writeFile(join(d, 'pe.csv'), content);
    const out = `${d}-out.json`; // outside the input folder (an output inside an input is refused)
    const r = await cli(['assess', d, ...args, '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      totals: { byCriterion: { value: number; byStep: Record<string, number> }[] };
      inventory: { read: number; imported: number; rejected: number }[];
    };
    expect(json.totals.byCriterion[0]!.byStep).toEqual({ MANUFACTURING: 34 });
    expect(json.inventory[0]).toMatchObject({ read: 3, imported: 1, rejected: 2 });
    expect(r.err).toMatch(/pe\.csv:3:quantite: INP_OUT_OF_RANGE .*\(got 1e\+308\)/);
    expect(r.err).toMatch(/pe\.csv:4:quantite: INP_OUT_OF_RANGE .*\(got 1e309\)/);
  });
  it('table: no Infinity or NaN', async () => {
    const d = join(tmp, `cli${seq++}`);
    await mkdir(d);
    await writeFile(join(d, 'pe.csv'), content);
    const r = await cli(['assess', d, ...args, '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/34/);
    expect(r.out).not.toMatch(/Infinity|NaN|null/);
  });
});

describe('numbers given on the command line', () => {
  it('--telework with 1e309 employees is a one-line usage error (exit 2), not an infinite fleet', async () => {
    const d = join(tmp, `cli${seq++}`);
    await mkdir(d);
    await writeFile(join(d, 'pe.csv'), `${PE}\nA;M;1;Laptop;France\n`);
    const { code, err } = await runCli(['assess', d, '--date', '2025-06-30', '--telework', 'France:1e309:100']);
    expect(code).toBe(2);
    expect(err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^empreinte: INP_BAD_ENUM .*--telework.*'France:1e309:100'/) as string,
    ]);
  });
});
