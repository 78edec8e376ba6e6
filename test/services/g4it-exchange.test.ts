/**
 * G4IT digital-service files ↔ Empreinte (issue 14): `service import` / `service export`.
 *
 * Expected values by hand from the fixture (test/fixtures/g4it-digital-service, G4IT's export layout) and the referential
 * rows of test/fixtures/cli/services/g4it-terminals (laptop-g4it 200 kg manufacturing, 30 kWh/yr, type lifespan 6;
 * smartphone-g4it 50 kg, 4 kWh/yr, type lifespan 3; fixed-line-network-1 30 + 1 + 2 kg and 25 kWh per line-year;
 * mobile-network-1 0.005 kg/GB and 0.15 kWh/GB; rack-server--8 1000 + 20 + 10 kg, 800 kWh/yr, G4IT Compute S: 32 vCPU,
 * 5 years), the default pack's FR mix 0.0519 kg/kWh and fixed-line capacity 2,640 GB/yr; profile numecoeval
 * (calendar hours: device-years = users × hours / 8760).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportG4itService, importG4itService } from '../../src/app/service-g4it.js';
import { EmpreinteError, formatIssue } from '../../src/issues/catalogue.js';
import type { Issue } from '../../src/issues/catalogue.js';
import { ZipWriter } from '../../src/formats/zip-write.js';
import { readReferential } from '../../src/referential/csv-read.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { assessService } from '../../src/services/assess.js';
import { parseServiceText } from '../../src/services/parse.js';
import type { ServiceAssessment } from '../../src/services/result.js';
import { runServiceExport, runServiceImport } from '../../src/cli/service-g4it.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const DS = join(FIXTURES, 'g4it-digital-service');
const REF = join(FIXTURES, 'cli/services/g4it-terminals');
const pack = (await loadDefaultPack()).layer;
const g4itLayer = (await readReferential([REF], { layerName: 'user:g4it' })).layer;
const referential = mergeLayers([pack, profileLayer('numecoeval'), g4itLayer]).referential;

const tmp = mkdtempSync(join(tmpdir(), 'empreinte-g4it-ds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const close = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

/** A zip of `files` (name → text), written with the project's ZIP writer. */
async function zipOf(files: Record<string, string | Buffer>, name = 'export.zip'): Promise<string> {
  const chunks: Buffer[] = [];
  const zip = new ZipWriter((c) => {
    chunks.push(Buffer.from(c));
  });
  for (const [n, text] of Object.entries(files)) {
    const e = zip.entry(n);
    await e.write(typeof text === 'string' ? text : new Uint8Array(text));
    await e.close();
  }
  await zip.finish();
  const path = join(tmp, name);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}
const fixtureFiles = (): Record<string, string> =>
  Object.fromEntries(
    ['datacenter.csv', 'physical_equipment.csv', 'virtual_equipment.csv', 'ind_physical_equipment.csv'].map((f) => [
      f,
      readFileSync(join(DS, f), 'utf8'),
    ]),
  );

async function failure(p: Promise<unknown>): Promise<Issue> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EmpreinteError) return e.issue;
    throw e;
  }
  throw new Error('expected a coded error');
}

const cc = (a: ServiceAssessment, component: string, step: string) =>
  a.indicators
    .filter((i) => i.component === component && i.step === step && i.criterion === 'CLIMATE_CHANGE')
    .reduce((s, i) => s + (i.perYear ?? 0), 0);

describe('service import: a G4IT digital service (export layout)', async () => {
  const zip = await zipOf(fixtureFiles());
  const fromZip = await importG4itService({ path: zip, referential, service: 'Portal' });
  const fromFolder = await importG4itService({ path: DS, referential, service: 'Portal' });

  it('the zip and the folder give the same description', () => {
    expect({ ...fromZip.definition, description: '' }).toEqual({ ...fromFolder.definition, description: '' });
  });

  it('maps each row to its part of the description', () => {
    const d = fromZip.definition;
    expect(d).toMatchObject({ kind: 'business_application', model: 'generic', profile: 'numecoeval' });
    expect(d.usage?.terminals).toEqual([
      // 2020-01-01 → 2023-12-31 = 1,460 days = 4 × 365: lifespan 4 years
      {
        label: 'Agents laptops',
        deviceType: 'laptop-g4it',
        country: 'France',
        users: 100,
        hoursPerUserPerYear: 1600,
        lifespanYears: 4,
      },
      {
        label: 'Field smartphones',
        deviceType: 'smartphone-g4it',
        country: 'France',
        users: 20,
        hoursPerUserPerYear: 400,
      },
    ]);
    // 0.5 line × 2,640 GB = 1,320 GB fixed; 500 GB mobile: 1,820 GB split by GB
    expect(d.usage?.sessionsPerYear).toBe(1);
    close(d.usage?.dataPerSessionGB, 1820);
    close(d.usage?.network?.[0]?.share, 1320 / 1820);
    close(d.usage?.network?.[1]?.share, 500 / 1820);
    expect(d.usage?.network?.map((n) => n.type)).toEqual(['fixed-line-network-1', 'mobile-network-1']);
    const [api, db, front] = d.servers ?? [];
    // quantite 1 = servers × 4,380 / 8,760 → 2 servers; 2020-01-01 → 2024-12-30 = 1,825 days = 5 years
    expect(api).toMatchObject({
      label: 'API servers',
      server: { mode: 'dedicated', size: 'S', kind: 'compute', quantity: 2, hoursPerYear: 4380, lifespanYears: 5 },
    });
    expect(api?.server?.datacenter).toEqual({ location: 'France', pue: 1.5 });
    // 2 VMs × 4 vCPU on the Compute S host
    expect(db).toMatchObject({ label: 'DB', server: { mode: 'shared', size: 'S', kind: 'compute', vcpu: 8 } });
    expect(front).toEqual({
      label: 'Front',
      instance: {
        provider: 'aws',
        instanceType: 'm5.large',
        location: 'eu-west-3',
        quantity: 2,
        share: 1,
        hoursPerYear: 6000,
        loadPercent: 30,
      },
    });
  });

  it('assesses to the values computed by hand from the rows', () => {
    const a = assessService(fromZip.definition, { referential });
    // laptops: 100 × 1,600 h / 8,760 = 18.2648 device-years; lifespan 4 from the dates
    close(cc(a, 'terminals:Agents laptops', 'MANUFACTURING'), (160000 / 8760) * (200 / 4)); // 913.242
    close(cc(a, 'terminals:Agents laptops', 'USE'), (160000 / 8760) * 30 * 0.0519); // 28.438
    // smartphones: 20 × 400 / 8,760 = 0.91324; no dates: the type's lifespan 3
    close(cc(a, 'terminals:Field smartphones', 'MANUFACTURING'), (8000 / 8760) * (50 / 3)); // 15.221
    close(cc(a, 'terminals:Field smartphones', 'USE'), (8000 / 8760) * 4 * 0.0519); // 0.18959
    // network: fixed 1,320 GB / 2,640 = 0.5 line × 30 kg; mobile 500 GB × 0.005 kg
    const network = a.indicators.filter((i) => i.tier === 'NETWORK' && i.criterion === 'CLIMATE_CHANGE');
    close(
      network.filter((i) => i.step === 'MANUFACTURING').reduce((s, i) => s + (i.perYear ?? 0), 0),
      0.5 * 30 + 500 * 0.005,
    ); // 17.5
    close(
      network.filter((i) => i.step === 'USE').reduce((s, i) => s + (i.perYear ?? 0), 0),
      0.5 * 25 * 0.0519 + 500 * 0.15 * 0.0519,
    ); // 0.64875 + 3.8925
    // dedicated: 2 × 1,000 kg / 5; use 2 × 800 kWh × 4,380 / 8,760 × PUE 1.5 × 0.0519
    close(cc(a, 'server:API servers', 'MANUFACTURING'), (2 * 1000) / 5); // 400
    close(cc(a, 'server:API servers', 'USE'), 2 * 800 * 0.5 * 1.5 * 0.0519); // 62.28
    // shared: 8 of 32 vCPU of one Compute S host
    close(cc(a, 'server:DB', 'MANUFACTURING'), (8 / 32) * (1000 / 5)); // 50
    close(cc(a, 'server:DB', 'USE'), (8 / 32) * 800 * 1.5 * 0.0519); // 15.57
  });
});

const PORTAL = `service: Portal
version: 2
kind: business_application
model: generic
profile: numecoeval
functionalUnit: service-year
usage:
  sessionsPerYear: 1000
  dataPerSessionGB: 2
  network:
    - { type: fixed-line-network-1, share: 0.5 }
    - { type: mobile-network-1, share: 0.25 }
    - { type: lan, share: 0.25 }
  terminals:
    - { label: agents, deviceType: laptop-g4it, country: France, users: 100, hoursPerUserPerYear: 1600 }
    - { label: field, deviceType: smartphone-g4it, country: France, users: 20, hoursPerUserPerYear: 400, lifespanYears: 2 }
servers:
  - label: api
    server: { mode: dedicated, size: S, quantity: 2, hoursPerYear: 4380, datacenter: { location: France, pue: 1.5 } }
  - label: files
    server: { mode: shared, size: S, kind: storage, storageGB: 1024, lifespanYears: 4, datacenter: { location: France, pue: 1.5 } }
  - label: db
    server: { mode: shared, item: rack-server--8, hostVcpu: 64, vcpu: 8, datacenter: { location: France } }
  - label: front
    instance: { provider: aws, instanceType: m5.large, location: eu-west-3, quantity: 2, hoursPerYear: 6000, loadPercent: 30 }
`;

describe('service export --to g4it, then import: the same service', async () => {
  const original = parseServiceText(PORTAL, 'portal.yaml');
  const zip = await exportG4itService(original.definition, referential, original.source);
  const path = join(tmp, 'portal.zip');
  writeFileSync(path, zip);
  const back = await importG4itService({ path, referential, service: 'Portal' });

  it('writes G4IT’s three tables, with its headers and its quantity conventions', async () => {
    const { zipEntries } = await import('../../src/formats/zip-entry.js');
    expect((await zipEntries(path)).map((e) => e.name)).toEqual([
      'datacenter.csv',
      'physical_equipment.csv',
      'virtual_equipment.csv',
    ]);
    const dir = join(tmp, 'unzipped');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const { zipEntryChunks } = await import('../../src/formats/xlsx-zip.js');
    const text: Record<string, string> = {};
    for (const e of await zipEntries(path)) {
      const parts: Buffer[] = [];
      for await (const c of zipEntryChunks(path, e)) parts.push(c);
      text[e.name] = Buffer.concat(parts).toString('utf8');
    }
    const lines = text['physical_equipment.csv']!.trim().split('\n');
    expect(lines[0]).toBe(readFileSync(join(DS, 'physical_equipment.csv'), 'utf8').split('\n')[0]);
    // agents: quantite = 100 × 1,600 / 8,760; field: 2 years = 730 days after 2020-01-01
    expect(lines[1]).toBe(`agents;;;laptop-g4it;${(100 * 1600) / 8760};Terminal;;France;;2020-01-01;;;;;;;;;1600;100`);
    expect(lines[2]).toContain(';smartphone-g4it;');
    expect(lines[2]).toContain(';2020-01-01;2021-12-31;');
    // network: 0.5 × 2,000 GB fixed = 1,000 GB ÷ 2,640 GB per line; 500 GB mobile; the LAN is not written
    expect(lines[3]).toContain(`;fixed-line-network-1;${1000 / 2640};Network;;France;`);
    expect(lines[4]).toContain(';mobile-network-1;500;Network;;France;');
    // dedicated: 2 servers × 4,380 h / 8,760 = quantite 1
    expect(lines[5]).toBe('api;;;rack-server--8;1;Dedicated Server;;France;;2020-01-01;;;DC1;;;;;;4380;');
    expect(text['virtual_equipment.csv']).toContain('front;CLOUD_SERVICES;2;aws;m5.large;eu-west-3;30;6000;');
    expect(text['datacenter.csv']).toBe(
      'nomCourtDatacenter;nomLongDatacenter;pue;localisation;nomEntite;nomSourceDonnee\nDC1;;1.5;France;;\nDC2;;;France;;\n',
    );
  });

  it('terminals, servers and cloud instances come back field by field', () => {
    expect(back.definition.usage?.terminals).toEqual(original.definition.usage?.terminals);
    expect(back.definition.servers?.map((s) => s.label)).toEqual(['api', 'files', 'db', 'front']);
    expect(back.definition.servers?.[0]?.server).toEqual(original.definition.servers?.[0]?.server);
    expect(back.definition.servers?.[1]?.server).toEqual(original.definition.servers?.[1]?.server);
    expect(back.definition.servers?.[2]?.server).toEqual({
      ...original.definition.servers?.[2]?.server,
      kind: 'compute',
    });
    expect(back.definition.servers?.[3]?.instance).toEqual(original.definition.servers?.[3]?.instance);
  });

  it('assesses to the same figures per tier, step and criterion', () => {
    const a = assessService(original.definition, { referential });
    const b = assessService(back.definition, { referential });
    expect(b.criteria.map((c) => c.criterion)).toEqual(a.criteria.map((c) => c.criterion));
    for (const [i, c] of a.criteria.entries()) {
      const d = b.criteria[i]!;
      close(d.perYear.total, c.perYear.total);
      for (const tier of ['TERMINAL', 'NETWORK', 'DATACENTER'] as const) {
        // The LAN share is not written (it counts 0, §5.2): its zero row is absent after the round trip.
        const x: Record<string, number | undefined> = c.perYear.byTier[tier];
        const y: Record<string, number | undefined> = d.perYear.byTier[tier];
        for (const step of new Set([...Object.keys(x), ...Object.keys(y)])) close(y[step] ?? 0, x[step] ?? 0);
      }
    }
    // and the network part is the hand-computed one: 0.5 × 2,000 GB fixed = 1,000 GB = 0.3788 line; 500 GB mobile
    close(
      b.indicators
        .filter((i) => i.tier === 'NETWORK' && i.step === 'MANUFACTURING' && i.criterion === 'CLIMATE_CHANGE')
        .reduce((s, i) => s + (i.perYear ?? 0), 0),
      (1000 / 2640) * 30 + 500 * 0.005,
    );
  });

  it('what G4IT cannot describe stops the export, naming the field', async () => {
    const ademe = parseServiceText(
      'service: Visio\nversion: 1\nkind: videoconference\nfunctionalUnit: unit\nvolume: 10\n',
      'visio.yaml',
    );
    const i1 = await failure(exportG4itService(ademe.definition, referential, ademe.source));
    expect(i1.code).toBe('SVC_G4IT_UNSUPPORTED');
    expect(i1.column).toBe('kind');
    const perGb = parseServiceText(PORTAL.replace('fixed-line-network-1', 'fixed'), 'p.yaml');
    const i2 = await failure(exportG4itService(perGb.definition, referential, perGb.source));
    expect(i2).toMatchObject({
      code: 'SVC_G4IT_UNSUPPORTED',
      file: 'p.yaml',
      line: 11,
      column: 'usage.network[0].type',
    });
    const energy = parseServiceText(
      PORTAL + '  - label: other\n    energy: { kWhPerYear: 10, location: FR }\n',
      'p.yaml',
    );
    const i3 = await failure(exportG4itService(energy.definition, referential, energy.source));
    expect(i3).toMatchObject({ code: 'SVC_G4IT_UNSUPPORTED', column: 'servers[4]' });
  });
});

describe('bad G4IT files: one coded error naming the file, line and column', () => {
  const files = fixtureFiles();
  const physical = files['physical_equipment.csv']!;
  const withPhysical = (text: string) => zipOf({ ...files, 'physical_equipment.csv': text }, 'bad.zip');

  it('an unknown equipment type', async () => {
    const i = await failure(
      importG4itService({ path: await withPhysical(physical.replace(';Network;', ';Router;')), referential }),
    );
    expect(i).toMatchObject({
      code: 'SVC_G4IT_INVALID',
      file: `${join(tmp, 'bad.zip')}:physical_equipment.csv`,
      line: 4,
      column: 'type',
    });
    expect(formatIssue(i)).toContain('accepted: Terminal, Network, Dedicated Server, Shared Server');
  });
  it('an unknown device type, network type, hours above 8,760, a number with a comma', async () => {
    const cases: [string, number, string][] = [
      [physical.replace('laptop-g4it', 'typewriter'), 2, 'modele'],
      [physical.replace('mobile-network-1', 'satellite-9'), 5, 'modele'],
      [physical.replace(';1600;100', ';9000;100'), 2, 'dureeUtilisation'],
      [physical.replace(';500;Network', ';5,5;Network'), 5, 'quantite'],
    ];
    for (const [text, line, column] of cases) {
      const i = await failure(importG4itService({ path: await withPhysical(text), referential }));
      expect(i).toMatchObject({ code: 'SVC_G4IT_INVALID', line, column });
    }
  });
  it('a virtual machine on a server that is not a Shared Server; a datacenter not in datacenter.csv', async () => {
    const vm = files['virtual_equipment.csv']!.replace(';DB host;', ';Nowhere;');
    const i = await failure(
      importG4itService({ path: await zipOf({ ...files, 'virtual_equipment.csv': vm }, 'bad.zip'), referential }),
    );
    expect(i).toMatchObject({ code: 'SVC_G4IT_INVALID', line: 2, column: 'nomEquipementPhysique' });
    const dc = await failure(
      importG4itService({
        path: await withPhysical(physical.replace(';DC-Paris;;;;;;4380', ';DC-Lyon;;;;;;4380')),
        referential,
      }),
    );
    expect(dc).toMatchObject({ code: 'SVC_G4IT_INVALID', line: 6, column: 'nomCourtDatacenter' });
  });
  it('not a zip, no G4IT table, AI parameters', async () => {
    const notZip = join(tmp, 'not.zip');
    writeFileSync(notZip, 'hello');
    expect((await failure(importG4itService({ path: notZip, referential }))).code).toBe('SVC_G4IT_INVALID');
    const empty = await zipOf({ 'readme.txt': 'x' }, 'empty.zip');
    expect(formatIssue(await failure(importG4itService({ path: empty, referential })))).toContain(
      'neither physical_equipment.csv nor virtual_equipment.csv',
    );
    const ai = await zipOf({ ...files, 'ai_parameters.csv': 'modelName;nbParameters\nllama;8\n' }, 'ai.zip');
    expect(formatIssue(await failure(importG4itService({ path: ai, referential })))).toContain('AI (EcoMind)');
  });
  it('an oversized table is refused before it is inflated (bounded reading)', async () => {
    const big = await zipOf({ ...files, 'physical_equipment.csv': Buffer.alloc(17 << 20, 10) }, 'big.zip');
    const i = await failure(importG4itService({ path: big, referential }));
    expect(i).toMatchObject({ code: 'INP_TOO_LARGE', file: `${big}:physical_equipment.csv` });
    // a folder: the file's size is checked before it is read
    const dir = mkdtempSync(join(tmp, 'big-'));
    writeFileSync(join(dir, 'physical_equipment.csv'), Buffer.alloc(17 << 20, 10));
    const j = await failure(importG4itService({ path: dir, referential }));
    expect(j).toMatchObject({ code: 'INP_TOO_LARGE', file: join(dir, 'physical_equipment.csv') });
  });
});

describe('empreinte service import / export (CLI)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        out: (s: string) => void out.push(s),
        err: (s: string) => void err.push(s),
        loadReferential: () => Promise.resolve(referential),
        readText: (f: string) => Promise.resolve(readFileSync(f, 'utf8')),
      },
    };
  };
  it('import prints YAML that `service` reads back; export writes the zip; bad options are coded', async () => {
    const a = io();
    expect(await runServiceImport(DS, { name: 'Portal' }, a.io)).toBe(0);
    const yaml = a.out.join('');
    const parsed = parseServiceText(yaml, 'portal.yaml');
    expect(parsed.definition.usage?.terminals?.length).toBe(2);
    const yamlPath = join(tmp, 'portal.yaml');
    writeFileSync(yamlPath, yaml);
    const b = io();
    const zip = join(tmp, 'cli.zip');
    expect(await runServiceExport(yamlPath, { to: 'g4it', out: zip }, b.io)).toBe(0);
    const again = await importG4itService({ path: zip, referential, service: 'Portal' });
    expect({ ...again.definition, description: '' }).toEqual({ ...parsed.definition, description: '' });
    const c = io();
    expect(await runServiceExport(yamlPath, { to: 'numecoeval', out: zip }, c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/INP_BAD_ENUM/);
    const d = io();
    expect(await runServiceExport(yamlPath, { to: 'g4it' }, d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/OUT_FILE_REQUIRED/);
  });
});
