/**
 * `empreinte assess` end to end (in process): outputs, exit codes, profiles. Expected values are computed by hand
 * from the example inventory and the embedded pack's factors (arithmetic in comments).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-assess-'));
const FIX = 'test/fixtures/cli';

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = await main(args);
    return { code, err };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

/** `assess … --format json --out <tmp file>`: the exit code, stderr and the parsed JSON (undefined when none). */
async function assessJson<T>(args: string[]): Promise<{ code: number; err: string; json: T }> {
  const out = join(await mkdtemp(join(tmp, 'json-')), 'out.json');
  const r = await run(['assess', ...args, '--format', 'json', '--out', out]);
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
  const r = await run(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'json', '--out', out]);
  const json = JSON.parse(await readFile(out, 'utf8')) as {
    meta: { profile: string; referenceDate: string; referential: { id: string; version: string; hash: string } };
    indicators: Row[];
    totals: { byCriterion: { criterion: string; value: number }[]; electricity: { itKWh: number } };
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
  it('--format csv writes ;-separated rows with a header; --summary leaves the rows out', async () => {
    const csv = join(tmp, 'rows.csv');
    expect(
      (await run(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'csv', '--out', csv])).code,
    ).toBe(0);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'kind;item;entity;lifecycleStep;criterion;value;unit;status;errorCode;errorMessage;tier;virtualEquipment;physicalEquipment;formula',
    );
    expect(lines.length).toBeGreaterThan(100);
    const summary = join(tmp, 'summary.json');
    await run([
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
    await run(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'csv', '--summary', '--out', csv]);
    await run(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'json', '--summary', '--out', json]);
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
    expect((await run(['assess', dir, '--format', 'csv', '--out', csv, '--date', '2025-01-01'])).code).toBe(0);
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
    const bad = await run(['assess', dir, '--telework', 'France:many:100']);
    expect(bad.code).toBe(2);
  });
});

describe('assess output feeding a digital service (issue 5, inventory link)', () => {
  it("service --inventory takes an application's yearly indicators from `assess --format json`", async () => {
    const inv = join(tmp, 'inventory.json');
    await run(['assess', 'examples/inventory', '--date', '2025-06-30', '--format', 'json', '--out', inv]);
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
      totals: { items: Record<string, number> };
    }>(['../shared/samples/glpi-computers-fr.csv', '--date', '2025-01-01', '--summary']);
    expect(code).toBe(0);
    // 43 data lines; the 3 virtual machines of the export are refused by the preset (see docs/mapping.md).
    expect(json.inventory).toEqual([
      expect.objectContaining({ kind: 'physical-equipment', read: 43, imported: 40, rejected: 3 }),
    ]);
    expect(json.totals.items['physical-equipment']).toBe(40);
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
    const r = await run(['assess', `${FIX}/bad/unknown.csv`, '--format', 'json', '--out', out]);
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
    const r = await run([
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
    const a = await run(['assess', 'examples/inventory', '--profile', 'nope']);
    expect(a.code).toBe(2);
    expect(a.err).toContain("'--profile' accepts rcp, numecoeval");
    const b = await run(['assess', 'no/such/dir']);
    expect(b.code).toBe(2);
    expect(b.err).not.toMatch(/at .*\.ts:\d+/);
    const c = await run(['assess', 'examples/inventory', '--date', '2025-02-30']);
    expect(c.code).toBe(2);
    expect(c.err).toContain('INP_BAD_DATE');
  });
});
