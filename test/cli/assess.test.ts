/**
 * `empreinte assess` end to end (in process): outputs, exit codes, profiles. Expected values are computed by hand
 * from the example inventory and the embedded pack's factors (arithmetic in comments).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Totals } from '../../src/engine/index.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-assess-'));
const FIX = 'test/fixtures/cli';

/** `assess … --format json --out <tmp file>`: the exit code, stderr and the parsed JSON (undefined when none). */
async function assessJson<T>(args: string[]): Promise<{ code: number; err: string; json: T }> {
  const out = join(await mkdtemp(join(tmp, 'json-')), 'out.json');
  const r = await runCli(['assess', ...args, '--format', 'json', '--out', out]);
  const json = (r.code === 0 ? JSON.parse(await readFile(out, 'utf8')) : undefined) as T;
  return { ...r, json };
}

afterEach(() => {
  process.exitCode = undefined;
});

interface Row {
  kind: string;
  item: string;
  lifecycleStep: string;
  criterion: string;
  value: number;
  status: string;
  errorCode?: string;
  virtualEquipment?: string;
  physicalEquipment?: string;
  trace: { formula: string; variables: Record<string, { value: number; origin: string }> };
}

describe('assess --format json on the example inventory', async () => {
  const out = join(tmp, 'example.json');
  // --trace full: the tests below read the traces' resolution (JSON rows carry the formula alone by default).
  const r = await runCli([
    'assess',
    'examples/inventory',
    '--date',
    '2025-06-30',
    '--format',
    'json',
    '--trace',
    'full',
    '--out',
    out,
  ]);
  const json = JSON.parse(await readFile(out, 'utf8')) as {
    meta: { profile: string; referenceDate: string; referential: { id: string; version: string; hash: string } };
    indicators: Row[];
    totals: {
      byCriterion: { criterion: string; value: number }[];
      electricity: { itKWh: number };
      items: Record<string, number>;
      coverage: Totals['coverage'];
      outOfPeriod: Totals['outOfPeriod'];
    };
    inventory: { file: string; read: number; imported: number; rejected: number }[];
  };
  const row = (item: string, step: string, criterion = 'CLIMATE_CHANGE') =>
    json.indicators.find((x) => x.item === item && x.lifecycleStep === step && x.criterion === criterion)!;

  it('exits 0 and records profile, date and referential identity', () => {
    expect(r.code).toBe(0);
    expect(json.meta).toMatchObject({ profile: 'rcp', referenceDate: '2025-06-30' });
    expect(json.meta.referential.id).toBe('empreinte-default');
    expect(json.meta.referential.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('computes a hosted switch with its own consumption: 4 × 876 kWh × PUE 1.9 × 0.0519 kg/kWh', () => {
    // SWITCH-COEUR: quantity 4, consoElecAnnuelle 876, in DC-MAIRIE (PUE 1.9, France); ADEME France mix 0.0519.
    expect(row('SWITCH-COEUR', 'USE').value).toBeCloseTo(4 * 876 * 1.9 * 0.0519, 9);
    expect(row('SWITCH-COEUR', 'USE').trace.formula).toContain('4 × 876 × 1 × 1.9 × 0.0519');
    // Embodied: ademe-switch 367 kg manufacturing over its 5-year type lifespan; bought 2018-01-01, i.e. 7.5 years
    // before the reference date (2737 days / 365), beyond the expected 5 years: the real age is used (rcp).
    expect(row('SWITCH-COEUR', 'MANUFACTURING').value).toBeCloseTo((4 * 367) / (2737 / 365), 9);
  });

  it('reports applications with their VM and host, and VM allocations by vCPU share', () => {
    // The host's model 'PowerEdge R740' matches the Boavizta product footprint 'Dell PowerEdge R740' (F1 MODEL, manufacturer optional): an EMBODIED value.
    const app = row('Etat civil', 'EMBODIED');
    expect(app).toMatchObject({
      kind: 'application',
      virtualEquipment: 'VM-ETAT-CIVIL',
      physicalEquipment: 'SRV-VIRT-01',
    });
    // SRV-VIRT-01 carries VM-ETAT-CIVIL (8 vCPU), VM-FINANCES (8) and VM-WEB-PORTAIL (16): α = 8/32; one application.
    const host = row('SRV-VIRT-01', 'EMBODIED').value;
    expect(row('VM-ETAT-CIVIL', 'EMBODIED').value).toBeCloseTo(host * 0.25, 9);
    expect(app.value).toBeCloseTo(host * 0.25, 9);
    // VM-FINANCES hosts two applications (Comptabilité, Paie): each gets half.
    expect(row('Paie', 'EMBODIED').value).toBeCloseTo(host * 0.25 * 0.5, 9);
    expect(row('SRV-VIRT-01', 'EMBODIED').trace).toMatchObject({
      resolution: { via: 'MODEL', refItem: 'Dell PowerEdge R740' },
    });
  });

  it('leaves the 30 laptops withdrawn on 2024-06-30 out of the 2025 totals and lists them (§2.2)', () => {
    // PC-PORT-ANCIEN (line 19): dateRetrait 2024-06-30 < 2025-01-01, the start of the period 2025 → share 0.
    expect(json.indicators.filter((x) => x.item === 'PC-PORT-ANCIEN')).toEqual([]);
    expect(json.totals.outOfPeriod).toEqual({
      code: 'CALC_OUT_OF_PERIOD',
      items: 1,
      quantity: 30,
      byKind: { 'physical-equipment': { items: 1, quantity: 30 } },
      first: [
        {
          kind: 'physical-equipment',
          item: 'PC-PORT-ANCIEN',
          file: 'examples/inventory/equipements_physiques.csv',
          line: 19,
          from: '2015-05-01',
          to: '2024-06-30',
        },
      ],
    });
    expect(json.totals.items['physical-equipment']).toBe(17);
  });

  it('splits the indicators in error into not covered by the open referential and to fix in the data (F20)', () => {
    // 17 physical items in the period × 5 criteria; the open pack has a French electricity factor for CLIMATE_CHANGE only.
    // Not covered:
    //  - USE of the 4 other criteria for the 17 items: 68 (67 CALC_ELEC_FACTOR_MISSING; TELEPHONES-IP has no
    //    consumption, but no factor either: its 4 CALC_ELECTRICITY_MISSING are not covered);
    //  - MANUFACTURING, DISTRIBUTION, END_OF_LIFE of the 4 other criteria for the 9 items whose reference item has
    //    climate factors only (Boavizta footprints Latitude 5420, 2 × PowerEdge R740, ProLiant DL380; the A3 MFP and
    //    storage-array items of equipment-extras; ADEME switch, firewall; the IP phone item): 9 × 3 × 4 = 108;
    //  - CLIMATE_CHANGE DISTRIBUTION of the IP phone, switch, firewall (3) and END_OF_LIFE of the last 2 (2) (the A3
    //    MFP and storage-array items give CLIMATE_CHANGE as one EMBODIED value: their split steps have no row).
    //  68 + 108 + 5 = 181. To fix: TELEPHONES-IP's CLIMATE_CHANGE USE (no consoElecAnnuelle, a French factor exists): 1.
    const c = json.totals.coverage;
    expect(c.notCovered.indicators).toBe(181);
    expect(c.notCovered.openReferentialOnly).toBe(true);
    expect(c.notCovered.byCriterion.CLIMATE_CHANGE).toEqual({ DISTRIBUTION: 3, END_OF_LIFE: 2 });
    expect(c.notCovered.byCriterion.ACIDIFICATION).toEqual({
      MANUFACTURING: 9,
      DISTRIBUTION: 9,
      USE: 17,
      END_OF_LIFE: 9,
    });
    expect(c.toFix).toEqual({
      indicators: 1,
      share: 1 / c.indicators,
      byCode: {
        CALC_ELECTRICITY_MISSING: {
          indicators: 1,
          items: 1,
          first: [
            {
              kind: 'physical-equipment',
              item: 'TELEPHONES-IP',
              file: 'examples/inventory/equipements_physiques.csv',
              line: 11,
            },
          ],
        },
      },
    });
    expect(c.computed + c.notCovered.indicators + c.toFix.indicators).toBe(c.indicators);
  });

  it('totals are the sum of physical equipment rows (allocations excluded) and every input line is accounted for', () => {
    const cc = json.indicators
      .filter((x) => x.kind === 'physical-equipment' && x.criterion === 'CLIMATE_CHANGE' && x.status === 'OK')
      .reduce((a, x) => a + x.value, 0);
    expect(json.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value).toBeCloseTo(cc, 6);
    for (const f of json.inventory) expect(f.read).toBe(f.imported + f.rejected);
    expect(json.inventory.reduce((a, f) => a + f.imported, 0)).toBe(2 + 4 + 18 + 6 + 7);
  });
});

describe('assess outputs and profiles', () => {
  it('the terminal summary shows the period, the coverage apart from errors and the exclusions', async () => {
    const out = join(tmp, 'summary.txt');
    await runCli(['assess', 'examples/inventory', '--date', '2025-06-30', '--out', out]);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('Period 2025-01-01 to 2025-12-31: each item counts for its share of days in service in it');
    expect(text).toContain('  not covered by the open referential: 181 (');
    expect(text).toContain('--referential <folder with your licensed factors>');
    expect(text).toContain(
      '    CALC_ELECTRICITY_MISSING: 1 indicator(s) on 1 item(s): TELEPHONES-IP (examples/inventory/equipements_physiques.csv:11)',
    );
    expect(text).toContain('Out of the period: 1 item(s) (30 units) left out of the totals (CALC_OUT_OF_PERIOD):');
    expect(text).toContain(
      '  PC-PORT-ANCIEN (examples/inventory/equipements_physiques.csv:19), in service 2015-05-01 to 2024-06-30',
    );
  });

  it('--profile numecoeval keeps the laptops withdrawn in 2024 for the whole year, as NumEcoEval does', async () => {
    const { json } = await assessJson<{ indicators: Row[]; totals: Totals; meta: { period: unknown } }>([
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--profile',
      'numecoeval',
    ]);
    expect(json.meta.period).toEqual({ start: '2025-01-01', end: '2025-12-31', shares: false });
    expect(json.totals.outOfPeriod.items).toBe(0);
    expect(json.totals.items['physical-equipment']).toBe(18);
    // numecoeval resolves through the matching table only: the type's default item; its rows are there, whole year.
    expect(json.indicators.some((x) => x.item === 'PC-PORT-ANCIEN' && x.status === 'OK')).toBe(true);
  });

  it('--period 2024 counts the same laptops for their 182 days of 2024 (a leap year: D = 366)', async () => {
    const { json } = await assessJson<{ indicators: Row[]; meta: { period: unknown } }>([
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--period',
      '2024',
    ]);
    expect(json.meta.period).toEqual({ start: '2024-01-01', end: '2024-12-31', shares: true });
    const old = json.indicators.find((x) => x.item === 'PC-PORT-ANCIEN' && x.lifecycleStep === 'EMBODIED')!;
    // Boavizta footprint 'Dell Latitude E7450': 201.586 kg CO2 eq EMBODIED; L = 2015-05-01 → 2024-06-30 = 3348 days
    // (9 × 365 + 3 leap days to 2024-05-01, then 30 + 30); s = 1 Jan … 30 Jun 2024 = 31+29+31+30+31+30 = 182 / 366.
    expect(old.value).toBeCloseTo((30 * 201.586 * (182 / 366)) / (3348 / 365), 9);
    const bad = await runCli(['assess', 'examples/inventory', '--period', '2024-12-31..2024-01-01']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("INP_BAD_DATE Field '--period'");
  });

  it('--format csv --long writes ;-separated indicator rows with a header; --summary leaves the rows out', async () => {
    const csv = join(tmp, 'rows.csv');
    expect(
      (
        await runCli([
          'assess',
          'examples/inventory',
          '--date',
          '2025-06-30',
          '--format',
          'csv',
          '--long',
          '--out',
          csv,
        ])
      ).code,
    ).toBe(0);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'kind;item;entity;lifecycleStep;criterion;value;unit;status;errorCode;errorMessage;tier;virtualEquipment;physicalEquipment;formula',
    );
    expect(lines.length).toBeGreaterThan(100);
    const summary = join(tmp, 'summary.json');
    await runCli([
      'assess',
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--format',
      'json',
      '--summary',
      '--out',
      summary,
    ]);
    const s = JSON.parse(await readFile(summary, 'utf8')) as Record<string, unknown>;
    expect(s.indicators).toBeUndefined();
    expect(s.totals).toBeDefined();
  });

  it('--format csv --summary writes the totals as rows, consistent with the JSON totals', async () => {
    const csv = join(tmp, 'totals.csv');
    const json = join(tmp, 'totals.json');
    await runCli([
      'assess',
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--format',
      'csv',
      '--summary',
      '--out',
      csv,
    ]);
    await runCli([
      'assess',
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--format',
      'json',
      '--summary',
      '--out',
      json,
    ]);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('dimension;key;criterion;lifecycleStep;value;unit');
    const totals = (
      JSON.parse(await readFile(json, 'utf8')) as { totals: { byCriterion: { criterion: string; value: number }[] } }
    ).totals;
    const cc = lines.find((l) => l.startsWith('total;;CLIMATE_CHANGE;ALL;'))!.split(';');
    expect(Number(cc[4])).toBe(totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value);
    expect(cc[5]).toBe('kg CO2 eq');
    expect(lines.some((l) => l.startsWith('type;Laptop;CLIMATE_CHANGE;ALL;'))).toBe(true);
    expect(lines.some((l) => l.startsWith('allocation:application;Paie;CLIMATE_CHANGE;ALL;'))).toBe(true);
    // F20 and §2.2 counts (derived in the example tests above): 17 USE indicators of ACIDIFICATION not covered,
    // 1 CALC_ELECTRICITY_MISSING to fix, 1 physical line out of the period.
    expect(lines).toContain('notCovered;;ACIDIFICATION;USE;17;indicators');
    expect(lines).toContain('toFix;CALC_ELECTRICITY_MISSING;;ALL;1;indicators');
    expect(lines).toContain('outOfPeriod;physical-equipment;;ALL;1;items');
  });

  it('--no-trace leaves the traces out of the rows', async () => {
    const { json } = await assessJson<{ indicators: Partial<Row>[] }>([
      'examples/inventory',
      '--date',
      '2025-06-30',
      '--no-trace',
    ]);
    expect(json.indicators.length).toBeGreaterThan(100);
    expect(json.indicators.every((x) => x.trace === undefined)).toBe(true);
  });

  it('neutralises spreadsheet formulas in CSV cells', async () => {
    const dir = await mkdtemp(join(tmp, 'inj-'));
    await writeFile(
      join(dir, 'pe.csv'),
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;dureeUsageInterne\n=HYPERLINK("x");m;1;Laptop;France;5\n',
    );
    const csv = join(await mkdtemp(join(tmp, 'inj-out-')), 'out.csv'); // outside the input folder (refused inside)
    expect((await runCli(['assess', dir, '--format', 'csv', '--out', csv, '--date', '2025-01-01'])).code).toBe(0);
    const text = await readFile(csv, 'utf8');
    expect(text).toContain(`;"'=HYPERLINK(""x"")";`);
    expect(text).not.toMatch(/\n[^;]*;=HYPERLINK/);
  });

  it('--profile numecoeval with a NumEcoEval referential reproduces C-06: 153.3 kWh × 0.0813225 = 12.46674 kg', async () => {
    const nee = ['--referential', `${FIX}/nee-referential`, '--date', '2025-01-01', '--lifetime', 'fixed'];
    const { code, json } = await assessJson<{ indicators: Row[]; meta: { profile: string } }>([
      `${FIX}/c06`,
      '--profile',
      'numecoeval',
      ...nee,
    ]);
    expect(code).toBe(0);
    const use = json.indicators.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
    expect(Math.abs(use.value - 12.46674) / 12.46674).toBeLessThan(1e-6);
    expect(json.meta.profile).toBe('numecoeval');
    // Under rcp the same file uses the ADEME French factor 0.0519: 153.3 × 0.0519 = 7.95627 (C-02).
    const { json: rcp } = await assessJson<{ indicators: Row[] }>([
      `${FIX}/c06`,
      '--date',
      '2025-01-01',
      '--lifetime',
      'fixed',
    ]);
    const rcpUse = rcp.indicators.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
    expect(Math.abs(rcpUse.value - 7.95627) / 7.95627).toBeLessThan(1e-6);
  });
});

describe('assess --telework (F14, C-10)', () => {
  it('adds 250 × 100/365 / 2.16 = 31.70979 boxes in France, with the default box item', async () => {
    const dir = await mkdtemp(join(tmp, 'tw-'));
    await writeFile(join(dir, 'dc.csv'), 'nomCourtDatacenter;localisation\nDC;France\n');
    const { code, json } = await assessJson<{ indicators: Row[]; totals: { by: { tier: Record<string, unknown> } } }>([
      dir,
      '--telework',
      'France:250:100',
      '--date',
      '2025-01-01',
    ]);
    expect(code).toBe(0);
    const use = json.indicators.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
    // ademe-box: 70.08 kWh/yr, τ = 1, France 0.0519 kg/kWh
    expect(use.value).toBeCloseTo(((250 * (100 / 365)) / 2.16) * 70.08 * 0.0519, 9);
    expect(Object.keys(json.totals.by.tier)).toEqual(['NETWORK']);
    const bad = await runCli(['assess', dir, '--telework', 'France:many:100']);
    expect(bad.code).toBe(2);
  });
});

describe('assess output feeding a digital service (issue 5, inventory link)', () => {
  it("service --inventory takes an application's yearly indicators from `assess --format json`", async () => {
    const inv = join(tmp, 'inventory.json');
    await runCli(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'json', '--out', inv]);
    const rows = (JSON.parse(await readFile(inv, 'utf8')) as { indicators: Row[] }).indicators;
    const payroll = rows
      .filter((x) => x.item === 'Paie' && x.criterion === 'CLIMATE_CHANGE' && x.status === 'OK')
      .reduce((a, x) => a + x.value, 0);
    expect(payroll).toBeGreaterThan(0);
    const { runServiceCommand } = await import('../../src/cli/service.js');
    let out = '';
    const code = await runServiceCommand(
      [`${FIX}/services/payroll.yaml`],
      { format: 'json', inventory: [inv] },
      { out: (s) => void (out += s), err: () => undefined },
    );
    expect(code).toBe(0);
    const svc = JSON.parse(out) as {
      services: { criteria: { criterion: string; perYear: { byTierTotal: Record<string, number> } }[] }[];
    };
    const cc = svc.services[0]!.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    // share 1 of the application: the datacenter tier is exactly the application's yearly total from assess.
    expect(cc.perYear.byTierTotal.DATACENTER).toBeCloseTo(payroll, 9);
  });
});

describe('assess on a fleet export', () => {
  it('reads a GLPI export through its built-in preset, without --mapping, and accounts for every line', async () => {
    const { code, json } = await assessJson<{
      inventory: { kind: string; read: number; imported: number; rejected: number }[];
      totals: {
        items: Record<string, number>;
        outOfPeriod: { items: number; first: { item: string; line: number; to: string }[] };
      };
    }>(['../shared/samples/glpi-computers-fr.csv', '--date', '2025-01-01', '--summary']);
    expect(code).toBe(0);
    // 43 data lines; the 3 virtual machines of the export are refused by the preset (see docs/mapping.md).
    expect(json.inventory).toEqual([
      expect.objectContaining({ kind: 'physical-equipment', read: 43, imported: 40, rejected: 3 }),
    ]);
    // Period 2025 (§2.2): lines 8, 9 (laptops withdrawn 2024-06-30), 22 (desktop withdrawn 2023-01-31) and 39 (server
    // withdrawn 2024-11-29) are out of it: 40 − 4 = 36 items in the totals, the 4 listed apart.
    expect(json.totals.items['physical-equipment']).toBe(36);
    expect(json.totals.outOfPeriod.items).toBe(4);
    expect(json.totals.outOfPeriod.first.map((x) => [x.item, x.line, x.to])).toEqual([
      ['PC-DDT-0012', 8, '2024-06-30'],
      ['PC-DDT-0013', 9, '2024-06-30'],
      ['UC-PREF-0007', 22, '2023-01-31'],
      ['SRV-OLD-01', 39, '2024-11-29'],
    ]);
  });
});

describe('NumEcoEval compatibility: the G4IT uc4 worked example (methodology F2, F5, F6)', () => {
  it('reproduces 12 449.2 (manufacturing) and 25 004.7 (use) kg under --profile numecoeval', async () => {
    const { code, json } = await assessJson<{ indicators: Row[] }>([
      `${FIX}/g4it-uc4/inventory`,
      '--profile',
      'numecoeval',
      '--referential',
      `${FIX}/g4it-uc4/referential`,
      '--date',
      '2025-01-01',
    ]);
    expect(code).toBe(0);
    const rows = json.indicators;
    const at = (step: string) => rows.find((x) => x.lifecycleStep === step && x.criterion === 'CLIMATE_CHANGE')!;
    // 2015-01-01 → 2021-01-01 = 2192 days; 10 × 7476.3392 × 1.0 / (2192 / 365)
    expect(at('MANUFACTURING').value).toBeCloseTo((10 * 7476.3392) / (2192 / 365), 9);
    expect(Math.round(at('MANUFACTURING').value * 10) / 10).toBe(12449.2);
    // 10 × 17082 × (0.0813225 × 1.8) × 1.0 (server: PUE applies under numecoeval; datacenter PUE 1.8)
    expect(at('USE').value).toBeCloseTo(10 * 17082 * 0.0813225 * 1.8, 9);
    expect(Math.round(at('USE').value * 10) / 10).toBe(25004.7);
    expect(at('MANUFACTURING').trace.formula).toContain('(10 × 7476.3392 × 1) / 6.005479452054795');
  });
});

describe('assess --hide-licensed (methodology §4.0 hideLicensedValues)', () => {
  it('hides a Base IMPACTS factor loaded by the user in the trace and its formula, and keeps open factors', async () => {
    const { code, json } = await assessJson<{ indicators: Row[] }>([
      `${FIX}/c06`,
      '--profile',
      'numecoeval',
      '--referential',
      `${FIX}/nee-referential`,
      '--date',
      '2025-01-01',
      '--lifetime',
      'fixed',
      '--hide-licensed',
      '--trace',
      'full',
    ]);
    expect(code).toBe(0);
    const rows = json.indicators;
    const use = rows.find((x) => x.lifecycleStep === 'USE' && x.criterion === 'CLIMATE_CHANGE')!;
    expect(use.trace.variables.M!.value).toBe('hidden data');
    expect(use.trace.formula).toContain('× hidden data =');
    expect(use.trace.formula).not.toContain('0.0813225');
    expect(Math.abs(use.value - 12.46674) / 12.46674).toBeLessThan(1e-6); // the result itself is kept
    // The embedded ADEME factor (MIT) of the manufacturing step stays visible.
    const man = rows.find((x) => x.lifecycleStep === 'MANUFACTURING' && x.criterion === 'CLIMATE_CHANGE')!;
    expect(man.trace.variables.F!.value).toBe(203);
  });
});

describe('assess on bad input', () => {
  it('exits 2 with one line naming the file for an unrecognised file, and leaves no partial output', async () => {
    const out = join(tmp, 'never.json');
    const r = await runCli(['assess', `${FIX}/bad/unknown.csv`, '--format', 'json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown\.csv.*INP_FILE_KIND_UNKNOWN/);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('rejects a line whose type the referential does not know, naming the known types, in a re-importable file', async () => {
    const dir = await mkdtemp(join(tmp, 'type-'));
    await writeFile(
      join(dir, 'pe.csv'),
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\npc;X1;1;PC portable;France\nship;Z;1;Vaisseau spatial;France\n',
    );
    const rejects = join(dir, 'rejects');
    const r = await runCli([
      'assess',
      join(dir, 'pe.csv'),
      '--date',
      '2025-01-01',
      '--rejects',
      rejects,
      '--out',
      join(dir, 'o.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('1 line(s) rejected');
    const rej = await readFile(join(rejects, 'rejected_pe.csv'), 'utf8');
    // "PC portable" is a French synonym of Laptop; the unknown type is refused with the list of known types.
    expect(rej).toContain('ship;Z;1;Vaisseau spatial;France');
    expect(rej).toContain('INP_UNKNOWN_TYPE');
    expect(rej).toMatch(/known types: [^;]*Laptop/);
  });

  it('exits 2 on a bad option value or a missing file, without a stack trace', async () => {
    const a = await runCli(['assess', 'examples/inventory', '--profile', 'nope']);
    expect(a.code).toBe(2);
    expect(a.err).toContain("'--profile' accepts rcp, numecoeval");
    const b = await runCli(['assess', 'no/such/dir']);
    expect(b.code).toBe(2);
    expect(b.err).not.toMatch(/at .*\.ts:\d+/);
    const c = await runCli(['assess', 'examples/inventory', '--date', '2025-02-30']);
    expect(c.code).toBe(2);
    expect(c.err).toContain('INP_BAD_DATE');
  });
});
