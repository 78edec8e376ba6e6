import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  processInventory,
  type FileReport,
  type InventorySink,
  type ProcessOptions,
} from '../../src/inventory/pipeline.js';
import { issuePlaces, nomModeleMapping } from '../helpers/inventory.js';

const FIX = 'test/fixtures/inventory';
const REF = '2024-06-30';

/** A sink recording the order of callbacks and the items. */
function recorder() {
  const events: string[] = [];
  const items: Record<string, unknown[]> = {};
  const push =
    (k: string) =>
    (item: unknown): void => {
      events.push(k);
      (items[k] ??= []).push(item);
    };
  const sink: InventorySink = {
    entity: push('entity'),
    datacenter: push('datacenter'),
    indexVirtual: push('indexVirtual'),
    indexApplication: push('indexApplication'),
    physical: push('physical'),
    virtual: push('virtual'),
    application: push('application'),
    nonIt: push('nonIt'),
    messaging: push('messaging'),
  };
  return { sink, events, items };
}

const byName = (files: readonly FileReport[], name: string) => files.find((f) => basename(f.path) === name)!;
const counts = (f: FileReport) => [f.kind, f.read, f.imported, f.rejected, f.warnings];

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-pipeline-'));
let seq = 0;
/** Write files into a fresh folder; returns the folder. */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const d = join(tmp, `case${seq++}`);
  await (await import('node:fs/promises')).mkdir(d);
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  return d;
}
async function one(content: string | Buffer, options: ProcessOptions = {}, name = 'f.csv') {
  const d = await folder({ [name]: content });
  const res = await processInventory([join(d, name)], { referenceDate: REF, ...options });
  return res.files[0]!;
}

const PE_HEADER = 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation';

describe('NumEcoEval set (all seven kinds, mixed date formats)', async () => {
  const { sink, events, items } = recorder();
  const res = await processInventory([join(FIX, 'numecoeval')], { referenceDate: REF }, sink);
  const f = (n: string) => byName(res.files, n);

  it('recognises each file by its header and counts exactly', () => {
    // Expected per line in the fixture files (see each expectation below).
    expect(counts(f('entites.csv'))).toEqual(['entity', 2, 2, 0, 0]);
    expect(counts(f('datacenters.csv'))).toEqual(['datacenter', 4, 3, 1, 1]);
    expect(counts(f('equipements-physiques.csv'))).toEqual(['physical-equipment', 11, 7, 4, 1]);
    expect(counts(f('equipements-virtuels.csv'))).toEqual(['virtual-equipment', 6, 3, 3, 1]);
    expect(counts(f('applications.csv'))).toEqual(['application', 5, 3, 2, 0]);
    expect(counts(f('operations-non-it.csv'))).toEqual(['non-it', 2, 1, 1, 0]);
    expect(counts(f('messagerie.csv'))).toEqual(['messaging', 5, 3, 2, 1]);
    // 2+4+11+6+5+2+5 = 35 read = 22 imported + 13 rejected
    expect(res.totals).toEqual({ read: 35, imported: 22, rejected: 13, warnings: 4 });
    expect(res.ok).toBe(true);
    for (const file of res.files) {
      expect([file.format, file.encoding, file.delimiter, file.headerStyle]).toEqual([
        'csv',
        'utf-8',
        ';',
        'numecoeval',
      ]);
    }
  });

  it('names code, line and column of every issue', () => {
    expect(issuePlaces(f('datacenters.csv').issues)).toEqual([
      ['INP_PUE_RANGE', 4, 'pue'], // 0.9 ≤ 1: lenient warning, PUE dropped
      ['INP_DUPLICATE_KEY', 5, 'nomCourtDatacenter'], // DC-PAR again
    ]);
    expect(f('datacenters.csv').issues[1]!.details.firstLine).toBe('2');
    expect(issuePlaces(f('equipements-physiques.csv').issues)).toEqual([
      ['INP_UNKNOWN_DATACENTER', 7, 'nomCourtDatacenter'], // DC-XXX
      ['INP_BAD_DATE', 8, 'dateAchat'], // 2023-02-30
      ['INP_NOT_POSITIVE', 9, 'quantite'], // -1
      ['INP_DUPLICATE_KEY', 10, 'nomEquipementPhysique'], // PC-001 / CMDB of line 2
      ['INP_UNKNOWN_ENTITY', 12, 'nomEntite'], // MKT, warning
    ]);
    expect(issuePlaces(f('equipements-virtuels.csv').issues)).toEqual([
      ['INP_UNKNOWN_HOST', 4, 'nomEquipementPhysique'], // SRV-03 was rejected (unknown datacenter)
      ['INP_HOST_REQUIRED', 5, 'nomEquipementPhysique'],
      ['INP_VCPU_MISSING', 6, 'vCPU'], // warning in lenient mode
      ['INP_ALLOCATION_RANGE', 7, 'cleRepartition'], // 1.5
    ]);
    expect(issuePlaces(f('applications.csv').issues)).toEqual([
      ['INP_UNKNOWN_VM', 4, 'nomEquipementVirtuel'], // VM-03 was rejected (unknown host)
      ['INP_DUPLICATE_KEY', 6, 'nomApplication'],
    ]);
    expect(issuePlaces(f('operations-non-it.csv').issues)).toEqual([['INP_NOT_POSITIVE', 3, 'dureeDeVie']]);
    expect(issuePlaces(f('messagerie.csv').issues)).toEqual([
      ['INP_BAD_MONTH', 4, 'MoisAnnee'], // month 13
      ['INP_FUTURE_DATE', 5, 'MoisAnnee'], // 12/2024 after 06/2024
      ['INP_DUPLICATE_KEY', 6, 'MoisAnnee'], // 12024 = 01/2024 of line 2
    ]);
  });

  it('streams items in dependency order with the index pre-pass before physical equipment', () => {
    const order = [...new Set(events)];
    expect(order).toEqual([
      'entity',
      'datacenter',
      'indexVirtual',
      'indexApplication',
      'physical',
      'virtual',
      'application',
      'nonIt',
      'messaging',
    ]);
    // Pre-pass: lines that parse and are not duplicates, before references are known:
    // VMs 01, 02, 03, 05 (04 lacks its host, 06 has cleRepartition 1.5); applications lines 2–5 (6 duplicates 2).
    expect((items.indexVirtual as { name: string }[]).map((v) => v.name)).toEqual(['VM-01', 'VM-02', 'VM-03', 'VM-05']);
    expect(items.indexApplication!.length).toBe(4);
  });

  it('types the values: dates to ISO, French numbers, enums', () => {
    const pe = Object.fromEntries(
      (items.physical as { name: string; dataSource: string }[]).map((p) => [`${p.name}/${p.dataSource}`, p]),
    );
    expect(pe['PC-001/CMDB']).toMatchObject({ purchaseDate: '2021-03-15', quality: 'HIGH', quantity: 1 });
    expect(pe['PC-002/CMDB']).toMatchObject({ purchaseDate: '2020-07-01', annualKWh: 120.5, quantity: 2 }); // 20200701, 120,5
    expect(pe['PC-003/CMDB']).toMatchObject({ purchaseDate: '2022-01-15', retirementDate: '2026-12-31' }); // dd/MM/yyyy
    expect(pe['SRV-01/CMDB']).toMatchObject({
      purchaseDate: '2019-06-01',
      annualKWh: 2500,
      cores: 32,
      datacenter: 'DC-PAR',
    });
    expect(pe['SRV-01/CMDB']!).toMatchObject({
      at: { file: join(FIX, 'numecoeval', 'equipements-physiques.csv'), line: 5 },
    });
    expect(Object.keys(pe).sort()).toEqual([
      'MON-01/CMDB',
      'PC-001/CMDB',
      'PC-001/OTHER',
      'PC-002/CMDB',
      'PC-003/CMDB',
      'SRV-01/CMDB',
      'SRV-02/CMDB',
    ]);
    expect(items.datacenter).toEqual([
      expect.objectContaining({ name: 'DC-PAR', pue: 1.45, quality: 'HIGH' }), // 1,45
      expect.objectContaining({ name: 'DC-LYO', pue: 1.6, quality: 'MEDIUM' }),
      expect.not.objectContaining({ pue: expect.anything() }),
    ]);
    expect(items.nonIt).toEqual([
      expect.objectContaining({ name: 'Clim-1', quantity: 2, annualKWh: 3500.5, quality: 'LOW' }),
    ]);
    expect((items.messaging as { month: number; year: number }[]).map((m) => [m.month, m.year])).toEqual([
      [1, 2024],
      [2, 2024],
      [12, 2024],
    ]);
    expect(items.entity).toEqual([
      expect.objectContaining({
        name: 'DSI',
        collaborators: 120,
        manager: 'Alice Martin',
        sustainabilityLead: 'Bruno Petit',
      }),
      expect.objectContaining({ name: 'RH', collaborators: 35 }),
    ]);
    expect(items.virtual).toEqual([
      expect.objectContaining({ name: 'VM-01', host: 'SRV-01', hostDataSource: 'CMDB', vcpu: 8, vmType: 'compute' }),
      expect.objectContaining({ name: 'VM-02', host: 'SRV-01' }),
      expect.objectContaining({ name: 'VM-05', host: 'SRV-02' }),
    ]);
    expect(
      (items.application as { name: string; environment: string }[]).map((a) => `${a.name}/${a.environment}`),
    ).toEqual([
      'Paie/Production',
      'Paie/Test',
      'Intranet/Production', // directly on SRV-02
    ]);
  });
});

describe('physical pre-pass (indexPhysical)', () => {
  it('is skipped for a physical file without an upstream-life column (F3 statistics would be empty)', async () => {
    const { sink } = recorder();
    let indexed = 0;
    sink.indexPhysical = () => void indexed++;
    await processInventory([join(FIX, 'numecoeval')], { referenceDate: REF }, sink);
    expect(indexed).toBe(0);
  });

  it('announces exactly the physical equipment the main pass will accept, before any is streamed', async () => {
    const dir = await mkdtemp(join(tmp, 'upstream-'));
    // The fixture's physical file plus a dureeUsageAmont column (empty on every line but the first).
    const src = (await readFile(join(FIX, 'numecoeval', 'equipements-physiques.csv'), 'utf8')).split('\n');
    const withColumn = src.map((l, i) => (l === '' ? l : `${l};${i === 0 ? 'dureeUsageAmont' : i === 1 ? '3' : ''}`));
    await writeFile(join(dir, 'equipements-physiques.csv'), withColumn.join('\n'));
    for (const f of ['datacenters.csv', 'entites.csv'])
      await writeFile(join(dir, f), await readFile(join(FIX, 'numecoeval', f), 'utf8'));
    const { sink, events, items } = recorder();
    const indexed: string[] = [];
    sink.indexPhysical = (pe) => {
      events.push('indexPhysical');
      indexed.push(`${pe.name}/${pe.dataSource}`);
    };
    await processInventory([dir], { referenceDate: REF }, sink);
    const accepted = (items.physical as { name: string; dataSource: string }[]).map((p) => `${p.name}/${p.dataSource}`);
    expect(accepted.length).toBeGreaterThan(0);
    expect(indexed).toEqual(accepted);
    expect(events.lastIndexOf('indexPhysical')).toBeLessThan(events.indexOf('physical'));
    expect(events.indexOf('indexPhysical')).toBeGreaterThan(events.lastIndexOf('datacenter'));
  });
});

describe('G4IT set (comma delimiter, G4IT columns and aliases)', async () => {
  const { sink, items } = recorder();
  const res = await processInventory([join(FIX, 'g4it')], { referenceDate: REF }, sink);
  const f = (n: string) => byName(res.files, n);
  it('reads the G4IT headers with the , delimiter', () => {
    expect(counts(f('datacenter.csv'))).toEqual(['datacenter', 1, 1, 0, 0]);
    expect(counts(f('equipementPhysique.csv'))).toEqual(['physical-equipment', 2, 2, 0, 2]);
    expect(counts(f('equipementVirtuel.csv'))).toEqual(['virtual-equipment', 3, 2, 1, 0]);
    expect(counts(f('application.csv'))).toEqual(['application', 1, 1, 0, 0]);
    expect(res.files.every((x) => x.delimiter === ',')).toBe(true);
    expect(f('equipementPhysique.csv').headerStyle).toBe('g4it');
    expect(f('equipementVirtuel.csv').headerStyle).toBe('g4it');
  });
  it('reads English grouping, flags 1,500 and the absurd laptop consumption', () => {
    expect(issuePlaces(f('equipementPhysique.csv').issues)).toEqual([
      ['INP_AMBIGUOUS_NUMBER', 3, 'consoElecAnnuelle'], // "1,500" in a , file → 1500
      ['INP_ABSURD_VALUE', 3, 'consoElecAnnuelle'], // 1500 kWh > 100 W × 8760 h = 876 kWh
    ]);
    const [host, lap] = items.physical as {
      annualKWh: number;
      memoryGB: number;
      diskGB: number;
      manufacturer: string;
    }[];
    expect(host).toMatchObject({
      annualKWh: 1200.5,
      memoryGB: 256,
      diskGB: 960,
      manufacturer: 'Dell',
      cpuType: 'Xeon Gold',
    });
    expect(lap!.annualKWh).toBe(1500);
  });
  it('reads consoElecAn and the cloud columns; a cloud line needs its instance', () => {
    expect(items.virtual).toEqual([
      expect.objectContaining({ name: 'VM1', annualKWh: 120, allocationKey: 0.5, infrastructure: 'NON_CLOUD_SERVERS' }),
      expect.objectContaining({
        name: 'CLOUD1',
        infrastructure: 'CLOUD_SERVICES',
        quantity: 2,
        provider: 'aws',
        instanceType: 'm5.xlarge',
        location: 'eu-west-3',
        avgLoad: 40,
        annualHours: 4380,
      }),
    ]);
    expect(issuePlaces(f('equipementVirtuel.csv').issues)).toEqual([
      ['INP_HOURS_RANGE', 4, 'dureeUtilisationAnnuelle'],
    ]);
    expect(items.application).toEqual([expect.objectContaining({ name: 'CRM', vm: 'VM1', vmDataSource: 'SRC' })]);
  });
});

describe('native English format, tab-delimited', () => {
  it('reads native column names and flags absurd and future values', async () => {
    const { sink, items } = recorder();
    const res = await processInventory([join(FIX, 'native', 'equipment.tsv')], { referenceDate: REF }, sink);
    const f = res.files[0]!;
    expect([f.kind, f.delimiter, f.headerStyle, f.read, f.imported, f.rejected, f.warnings]).toEqual([
      'physical-equipment',
      '\t',
      'native',
      3,
      3,
      0,
      3,
    ]);
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_ABSURD_VALUE', 3, 'internalLifeYears'], // a 50-year laptop (> 15)
      ['INP_ABSURD_VALUE', 3, 'annualKWh'], // 8 760 000 kWh = 1 MW all year
      ['INP_PURCHASE_AFTER_REFERENCE', 4, 'purchaseDate'], // 2025-01-10 > 2024-06-30
    ]);
    expect(f.issues[0]!.details.field).toBe('internalLifeYears');
    expect(items.physical![0]).toMatchObject({
      name: 'LT-1',
      model: 'Latitude 5520',
      annualKWh: 25.5,
      country: 'France',
    });
  });
});

describe('Windows-1252 file with accents', () => {
  it('detects the encoding and decodes the accents', async () => {
    const { sink, items } = recorder();
    const res = await processInventory([join(FIX, 'encoding', 'physique-cp1252.csv')], { referenceDate: REF }, sink);
    expect([res.files[0]!.encoding, res.files[0]!.read, res.files[0]!.imported]).toEqual(['windows-1252', 2, 2]);
    expect(items.physical).toEqual([
      expect.objectContaining({
        name: 'ÉCRAN-01',
        model: 'Écran 27" Dell',
        user: 'Hélène Lefèvre',
        status: 'En service',
      }),
      expect.objectContaining({ name: 'PC-Zoé', user: 'Zoé Noël', status: 'Réformé' }),
    ]);
  });
});

describe('bad input (issue 4): clear error or warning naming file, line and column', () => {
  it('empty file → INP_FILE_EMPTY', async () => {
    const f = await one('');
    expect([f.status, f.fileError?.code, f.fileError?.line]).toEqual(['failed', 'INP_FILE_EMPTY', 1]);
  });
  it('header-only file → 0 lines read, fine', async () => {
    const f = await one(PE_HEADER + '\n');
    expect([f.status, f.kind, f.read, f.imported, f.rejected]).toEqual(['ok', 'physical-equipment', 0, 0, 0]);
  });
  it('unknown header → INP_FILE_KIND_UNKNOWN naming the file', async () => {
    const f = await one('foo;bar;baz\n1;2;3\n');
    expect([f.fileError?.code, f.fileError?.file, f.fileError?.line]).toEqual(['INP_FILE_KIND_UNKNOWN', f.path, 1]);
  });
  it('duplicated column (also through an alias) → INP_HEADER_DUPLICATE', async () => {
    const f = await one(PE_HEADER + ';consoElecAnnuelle;consoElecAn\n');
    expect([f.fileError?.code, f.fileError?.column]).toEqual(['INP_HEADER_DUPLICATE', 'consoElecAn']);
  });
  it('missing mandatory column → INP_HEADER_MISSING listing it', async () => {
    const f = await one('nomEquipementPhysique;modele;quantite;type;statut\n');
    expect([f.fileError?.code, f.fileError?.details.columns]).toEqual(['INP_HEADER_MISSING', 'paysDUtilisation']);
  });
  it('unknown columns → INP_HEADER_UNKNOWN warning (lenient), file error (strict)', async () => {
    const lenient = await one(PE_HEADER + ';couleur\nA;M;1;Laptop;France;bleu\n');
    expect([lenient.status, lenient.imported, lenient.issues[0]?.code, lenient.issues[0]?.details.columns]).toEqual([
      'ok',
      1,
      'INP_HEADER_UNKNOWN',
      'couleur',
    ]);
    const strict = await one(PE_HEADER + ';couleur\nA;M;1;Laptop;France;bleu\n', { mode: 'strict' });
    // Its own code: the lenient message says the columns are ignored, which is false when the file is refused.
    expect([strict.status, strict.fileError?.code, strict.fileError?.severity]).toEqual([
      'failed',
      'INP_HEADER_UNKNOWN_STRICT',
      'F',
    ]);
  });
  it('ragged rows → INP_FIELD_COUNT (a trailing empty cell is tolerated)', async () => {
    const f = await one(`${PE_HEADER}\nA;M;1;Laptop\nB;M;1;Laptop;France;\nC;M;1;Laptop;France;x\n`);
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_FIELD_COUNT', 2, undefined],
      ['INP_FIELD_COUNT', 4, undefined],
    ]);
    expect(f.issues[0]!.details).toEqual({ expected: 5, found: 4 });
    expect([f.read, f.imported, f.rejected]).toEqual([3, 1, 2]);
  });
  it('unterminated quote at the end → file error with its line; a stray quote inside → one rejected line', async () => {
    const end = await one(`${PE_HEADER}\nA;M;1;Laptop;France\nB;"M;1;Laptop;France\n`);
    expect([end.status, end.fileError?.code, end.fileError?.line, end.read, end.imported]).toEqual([
      'failed',
      'INP_BAD_CSV',
      3,
      1,
      1,
    ]);
    const mid = await one(`${PE_HEADER}\nA;M;1;Laptop;France\nB;"M;1;Laptop;France\nC;M;1;Laptop;France\n`);
    expect([mid.status, mid.read, mid.imported, mid.rejected]).toEqual(['ok', 3, 2, 1]);
    expect(issuePlaces(mid.issues)).toEqual([['INP_BAD_RECORD', 3, undefined]]);
  });
  it('binary file → INP_FILE_UNREADABLE', async () => {
    const f = await one(Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 0, 0, 8, 0]), {}, 'inventory.csv');
    expect(f.fileError?.code).toBe('INP_FILE_UNREADABLE');
  });
  it('wrong encoding forced → INP_ENCODING with the line', async () => {
    const bytes = iconv.encode(`${PE_HEADER}\nA;M;1;Laptop;France\nÉ;M;1;Laptop;France\n`, 'win1252');
    const f = await one(bytes, { encoding: 'utf-8' });
    expect([f.fileError?.code, f.fileError?.line]).toEqual(['INP_ENCODING', 3]);
  });
  it('non-numeric, negative, zero and fractional quantities', async () => {
    const f = await one(
      `${PE_HEADER}\nA;M;abc;Laptop;France\nB;M;-2;Laptop;France\nC;M;0;Laptop;France\nD;M;0,5;Laptop;France\n`,
    );
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_NOT_NUMBER', 2, 'quantite'],
      ['INP_NOT_POSITIVE', 3, 'quantite'],
      ['INP_NOT_POSITIVE', 4, 'quantite'],
    ]);
    expect(f.imported).toBe(1); // 0,5 is legal (§2.4)
    const nee = await one(`${PE_HEADER}\nD;M;0,5;Laptop;France\n`, { profile: 'numecoeval' });
    expect(issuePlaces(nee.issues)).toEqual([['INP_NOT_INTEGER', 2, 'quantite']]); // warning, §9 #25
    expect(nee.imported).toBe(1);
  });
  it('impossible and inverted dates are rejected; dates in the future are flagged', async () => {
    const f = await one(
      `${PE_HEADER};dateAchat;dateRetrait\nA;M;1;Laptop;France;31/02/2022;\nB;M;1;Laptop;France;2023-05-01;2022-01-01\nC;M;1;Laptop;France;2030-01-01;\nD;M;1;Laptop;France;2020-01-01;2023-06-30\n`,
    );
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_BAD_DATE', 2, 'dateAchat'],
      ['INP_DATES_INVERTED', 3, 'dateAchat'],
      ['INP_PURCHASE_AFTER_REFERENCE', 4, 'dateAchat'],
      ['INP_RETIRED_BEFORE_PERIOD', 5, 'dateRetrait'], // 2023-06-30 < 2024-01-01
    ]);
    expect([f.imported, f.rejected, f.warnings]).toEqual([2, 2, 2]);
  });
  it('absurd values: a laptop in service for 38 years, a PUE of 5', async () => {
    const pe = await one(`${PE_HEADER};dateAchat\nA;M;1;Ordinateur portable;France;1986-06-30\n`);
    // 1986-06-30 → 2024-06-30: 13 880 days / 365 = 38.03 years > 15
    expect(issuePlaces(pe.issues)).toEqual([['INP_ABSURD_VALUE', 2, 'dateAchat']]);
    const dc = await one('nomCourtDatacenter;pue;localisation\nDC;5;France\n');
    expect(issuePlaces(dc.issues)).toEqual([['INP_ABSURD_VALUE', 2, 'pue']]);
  });
  it('invalid optional values: warning in lenient mode, rejection in strict mode', async () => {
    const text = `${PE_HEADER};nbCoeur;qualite;tauxUtilisation\nA;M;1;Laptop;France;huit;EXCELLENTE;0.5\nB;M;1;Laptop;France;8;HAUTE;1.5\n`;
    const lenient = await one(text);
    expect(issuePlaces(lenient.issues)).toEqual([
      ['INP_NOT_INTEGER', 2, 'nbCoeur'],
      ['INP_BAD_ENUM', 2, 'qualite'],
      ['INP_OUT_OF_RANGE', 3, 'tauxUtilisation'], // ranges always reject
    ]);
    expect([lenient.imported, lenient.rejected, lenient.warnings]).toEqual([1, 1, 2]);
    const strict = await one(text, { mode: 'strict' });
    expect([strict.imported, strict.rejected]).toEqual([0, 2]);
  });
  it('string longer than 255 characters → INP_TOO_LONG', async () => {
    const f = await one(`${PE_HEADER}\nA;${'m'.repeat(256)};1;Laptop;France\nB;${'m'.repeat(255)};1;Laptop;France\n`);
    expect(issuePlaces(f.issues)).toEqual([['INP_TOO_LONG', 2, 'modele']]);
  });
  it('usage share conflict and downstream without rate are warnings', async () => {
    const f = await one(
      `${PE_HEADER};tauxUtilisation;modeUtilisation;dureeUsageAval\nA;M;1;Laptop;France;0.5;BYOD;2\n`,
    );
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_USAGE_SHARE_CONFLICT', 2, 'tauxUtilisation'],
      ['INP_DOWNSTREAM_WITHOUT_RATE', 2, 'dureeUsageAval'],
    ]);
    expect(f.imported).toBe(1);
  });
  it('missing mandatory values → INP_REQUIRED naming the column; an empty modele is legal (§2.4)', async () => {
    const f = await one(`${PE_HEADER}\nA;;1;Laptop;France\n;M;1;NULL;France\n`);
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_MODEL_EMPTY', 2, 'modele'],
      ['INP_REQUIRED', 3, 'nomEquipementPhysique'],
      ['INP_REQUIRED', 3, 'type'],
    ]);
    expect([f.imported, f.rejected, f.issues[0]!.severity]).toEqual([1, 1, 'W']);
  });
  it('dangling references: a line referencing a rejected line fails too', async () => {
    const d = await folder({
      'dc.csv': 'nomCourtDatacenter;pue;localisation\nDC1;1.5;France\nDC2;abc;France\n',
      'pe.csv': `${PE_HEADER};nomCourtDatacenter\nH1;M;1;Server;France;DC1\nH2;M;1;Server;France;DC2\nH3;M;1;Server;France;DC9\n`,
      'vm.csv': 'nomEquipementVirtuel;nomEquipementPhysique;vCPU\nV1;H1;2\nV2;H2;2\nV3;H9;2\n',
      'app.csv':
        'nomApplication;typeEnvironnement;nomEquipementVirtuel;nomEquipementPhysique\nA1;Prod;V1;\nA2;Prod;V3;\nA3;Prod;;H9\n',
    });
    const res = await processInventory([d], { referenceDate: REF });
    // DC2's PUE 'abc' is an invalid optional value: lenient warning, DC2 kept.
    expect(issuePlaces(byName(res.files, 'dc.csv').issues)).toEqual([['INP_NOT_NUMBER', 3, 'pue']]);
    expect(issuePlaces(byName(res.files, 'pe.csv').issues)).toEqual([
      ['INP_UNKNOWN_DATACENTER', 4, 'nomCourtDatacenter'],
    ]);
    expect(issuePlaces(byName(res.files, 'vm.csv').issues)).toEqual([['INP_UNKNOWN_HOST', 4, 'nomEquipementPhysique']]);
    expect(issuePlaces(byName(res.files, 'app.csv').issues)).toEqual([
      ['INP_UNKNOWN_VM', 3, 'nomEquipementVirtuel'],
      ['INP_UNKNOWN_APP_HOST', 4, 'nomEquipementPhysique'],
    ]);
  });
  it('duplicate keys across two files name the first file and line', async () => {
    const d = await folder({
      'a.csv': `${PE_HEADER}\nPC1;M;1;Laptop;France\n`,
      'b.csv': `${PE_HEADER}\nPC2;M;1;Laptop;France\nPC1;M;1;Laptop;France\n`,
    });
    const res = await processInventory([d], { referenceDate: REF });
    const dup = byName(res.files, 'b.csv').issues[0]!;
    expect([dup.code, dup.line, dup.details.firstLine]).toEqual(['INP_DUPLICATE_KEY', 3, `${join(d, 'a.csv')}:2`]);
  });
  it('strict mode keys physical equipment by name alone (G4IT uc3)', async () => {
    const text = `${PE_HEADER};nomSourceDonnee\nPC1;M;1;Laptop;France;A\nPC1;M;1;Laptop;France;B\n`;
    expect((await one(text)).rejected).toBe(0);
    // Strict: every copy is rejected (G4IT uc3 "all the duplicated … records are rejected").
    expect(issuePlaces((await one(text, { mode: 'strict' })).issues)).toEqual([
      ['INP_DUPLICATE_STRICT', 2, 'nomEquipementPhysique'],
      ['INP_DUPLICATE_STRICT', 3, 'nomEquipementPhysique'],
    ]);
  });
  it('unknown type and location through the referential hooks', async () => {
    const f = await one(`${PE_HEADER}\nA;M;1;Toaster;France\nB;M;1;Laptop;Atlantis\n`, {
      isKnownType: (t) => t === 'Laptop',
      isKnownLocation: (l) => l === 'France',
    });
    expect(issuePlaces(f.issues)).toEqual([
      ['INP_UNKNOWN_TYPE', 2, 'type'],
      ['INP_UNKNOWN_LOCATION', 3, 'paysDUtilisation'],
    ]);
  });
  it('too many rejected lines reject the whole file (INP_TOO_MANY_REJECTS)', async () => {
    const bad = Array.from({ length: 5 }, (_, i) => `X${i};M;abc;Laptop;France`).join('\n');
    const f = await one(`${PE_HEADER}\nOK;M;1;Laptop;France\n${bad}\n`, { maxRejectedLines: 3 });
    // stops at the 4th rejected line (> 3): read 5 = imported 1 + rejected 4
    expect([f.status, f.fileError?.code, f.read, f.imported, f.rejected]).toEqual([
      'failed',
      'INP_TOO_MANY_REJECTS',
      5,
      1,
      4,
    ]);
  });
  it('keeps counts exact when issues are capped', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => `X${i};M;abc;Laptop;France`).join('\n');
    const f = await one(`${PE_HEADER}\n${bad}\n`, { maxIssuesPerFile: 10 });
    expect([f.issues.length, f.issuesTruncated, f.issueCounts.INP_NOT_NUMBER, f.rejected]).toEqual([10, true, 30, 30]);
  });
  it('a missing path is reported, not thrown', async () => {
    const res = await processInventory([join(tmp, 'does-not-exist.csv')]);
    expect([res.ok, res.files[0]!.fileError?.code]).toEqual([false, 'INP_FILE_UNREADABLE']);
  });
});

describe('rejects file', () => {
  it('repeats refused lines in the input format with line, errorCode, errorMessage, re-importable', async () => {
    const bytes = iconv.encode(
      `"nomEquipementPhysique";"modele";"quantite";"type";"paysDUtilisation"\r\n"É1";"M";"1";"Laptop";"France"\r\n"É2";"M";"x";"Laptop";"France"\r\n"É3";"Modèle; long";"-1";"Laptop";"France"\r\n`,
      'win1252',
    );
    const d = await folder({ 'parc.csv': bytes });
    const out = join(d, 'rejects');
    const res = await processInventory([d], { rejectsDir: out, referenceDate: REF });
    const f = res.files[0]!;
    expect(f.rejectsFile).toBe(join(out, 'rejected_parc.csv'));
    expect(await readdir(out)).toEqual(['rejected_parc.csv']); // no temporary file left
    const text = iconv.decode(await readFile(f.rejectsFile!), 'win1252');
    expect(text.split('\n')).toEqual([
      '"nomEquipementPhysique";"modele";"quantite";"type";"paysDUtilisation";line;errorCode;errorMessage',
      `"É2";"M";"x";"Laptop";"France";3;INP_NOT_NUMBER;Line 3: field 'quantite' must be a number (got 'x').`,
      // A cell starting with '-' gets the formula guard `'` (§2.1), inside its quotes; the reader strips it again.
      `"É3";"Modèle; long";"'-1";"Laptop";"France";4;INP_NOT_POSITIVE;Line 4: field 'quantite' must be greater than 0 (got -1).`,
      '',
    ]);
    // Re-import the rejects file as is: same header kind, line/errorCode/errorMessage ignored without warning.
    const again = await processInventory([f.rejectsFile!], { mode: 'strict', referenceDate: REF });
    expect([again.files[0]!.kind, again.files[0]!.status, again.files[0]!.rejected]).toEqual([
      'physical-equipment',
      'ok',
      2,
    ]);
  });
  it('writes nothing when no line is rejected', async () => {
    const d = await folder({ 'ok.csv': `${PE_HEADER}\nA;M;1;Laptop;France\n` });
    const res = await processInventory([d], { rejectsDir: join(d, 'rej') });
    expect(res.files[0]!.rejectsFile).toBeUndefined();
  });
});

describe('mapping hook and progress', () => {
  it('reads a foreign header through mapTable, naming source columns in issues', async () => {
    const d = await folder({ 'glpi.csv': 'Nom;Modèle;Type\nPC1;Latitude;Portable\n;Latitude;Portable\n' });
    const res = await processInventory([d], {
      referenceDate: REF,
      mapTable: nomModeleMapping,
    });
    const f = res.files[0]!;
    expect([f.kind, f.headerStyle, f.imported, f.rejected]).toEqual(['physical-equipment', 'mapping:test', 1, 1]);
    expect(issuePlaces(f.issues)).toEqual([['INP_REQUIRED', 3, 'Nom']]);
  });
  it('reports progress up to the total size', async () => {
    const d = await folder({
      'p.csv': `${PE_HEADER}\n` + 'A;M;1;Laptop;France\n'.repeat(1000).replace(/A/g, () => `A${seq++}`),
    });
    const calls: [number, number][] = [];
    await processInventory([d], { onProgress: (a, b) => calls.push([a, b]) });
    const last = calls.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(last[1]).toBeGreaterThan(20_000);
  });
});
