/**
 * `empreinte service … --referential <G4IT folder>` (issue 14): the network types and server hosts come from the run's
 * referential, so G4IT's `ref_network_type.csv` / `ref_server_host.csv` in the folder change the result.
 *
 * The service (test/fixtures/cli/services/g4it-tables.yaml, profile numecoeval): 1,000 sessions × 2 GB = 2,000 GB a
 * year over `fixed-line-network-1` in France; its application on 8 vCPU of a shared Compute S host, France, PUE 1.5.
 * Reference rows (by hand):
 * - item impacts (both fixture folders): fixed-line-network-1 30 (MANUFACTURING) + 1 (TRANSPORTATION) + 2
 *   (END_OF_LIFE) kg and 25 kWh per line-year; rack-server--8 1000 + 20 + 10 kg, 800 kWh/yr; FR 0.0519 kg/kWh (pack);
 * - G4IT's own tables (the default pack, folder g4it-terminals has none): 2,640 GB per line-year; Compute S 32 vCPU,
 *   5 years;
 * - the modified tables of folder g4it-tables: 1,600 GB per line-year; Compute S 16 vCPU, 4 years.
 * F11 fixed line: lines = GB / C; step = lines × F; USE = lines × E × M. F5–F8 shared host: step = F / L × α,
 * USE = E × PUE × M × α, α = vCPU / host vCPU.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importG4itService } from '../../src/app/service-g4it.js';
import { runServiceCommand } from '../../src/cli/service.js';
import { EmpreinteError, type Issue } from '../../src/issues/catalogue.js';
import { readReferential } from '../../src/referential/csv-read.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { assessService } from '../../src/services/assess.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/cli/services');
const SERVICE = join(FIXTURES, 'g4it-tables.yaml');
const MODIFIED = join(FIXTURES, 'g4it-tables');
const G4IT_DEFAULTS = join(FIXTURES, 'g4it-terminals');
const tmp = mkdtempSync(join(tmpdir(), 'empreinte-g4it-tables-svc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Indicator {
  tier: string;
  step: string;
  criterion: string;
  perYear: number;
  trace: { variables: Record<string, { value: number | string; origin: string; ref?: Record<string, unknown> }> };
}

async function run(files: string[], referential?: string) {
  let out = '';
  let err = '';
  const code = await runServiceCommand(
    files,
    { format: 'json', ...(referential !== undefined ? { referential } : {}) },
    { out: (s) => (out += s), err: (s) => (err += s) },
  );
  return { code, out, err };
}

async function indicators(referential: string, file = SERVICE) {
  const r = await run([file], referential);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.out) as { services: { indicators: Indicator[] }[] };
  const all = doc.services[0]!.indicators.filter((i) => i.criterion === 'CLIMATE_CHANGE');
  const at = (tier: string, step: string) => all.find((i) => i.tier === tier && i.step === step)!;
  return { all, at };
}

const close = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe('G4IT’s own tables (the default pack’s rows)', async () => {
  const { at } = await indicators(G4IT_DEFAULTS);
  const lines = 2000 / 2640; // 0.7575… line-years
  it('fixed line: 2,000 GB / 2,640 GB per line-year', () => {
    close(at('NETWORK', 'MANUFACTURING').perYear, lines * 30); // 22.727…
    close(at('NETWORK', 'DISTRIBUTION').perYear, lines * 1); // 0.7575…
    close(at('NETWORK', 'END_OF_LIFE').perYear, lines * 2); // 1.5151…
    close(at('NETWORK', 'USE').perYear, lines * 25 * 0.0519); // 0.98295…
    expect(at('NETWORK', 'MANUFACTURING').trace.variables['C']).toMatchObject({
      value: 2640,
      origin: 'REFERENCE',
      ref: { layer: 'embedded:empreinte-default', file: 'g4it-digital-service.json' },
    });
  });
  it('shared Compute S: α = 8 / 32, 5 years', () => {
    close(at('DATACENTER', 'MANUFACTURING').perYear, (1000 / 5) * 0.25); // 50
    close(at('DATACENTER', 'DISTRIBUTION').perYear, (20 / 5) * 0.25); // 1
    close(at('DATACENTER', 'END_OF_LIFE').perYear, (10 / 5) * 0.25); // 0.5
    close(at('DATACENTER', 'USE').perYear, 800 * 1.5 * 0.0519 * 0.25); // 15.57
  });
});

describe('a G4IT folder whose ref_network_type / ref_server_host rows differ', async () => {
  const { at } = await indicators(MODIFIED);
  const lines = 2000 / 1600; // 1.25 line-years
  it('fixed line: 2,000 GB / 1,600 GB per line-year = 1.25 lines', () => {
    close(at('NETWORK', 'MANUFACTURING').perYear, lines * 30); // 37.5
    close(at('NETWORK', 'DISTRIBUTION').perYear, lines * 1); // 1.25
    close(at('NETWORK', 'END_OF_LIFE').perYear, lines * 2); // 2.5
    close(at('NETWORK', 'USE').perYear, lines * 25 * 0.0519); // 1.621875
  });
  it('the capacity’s origin is the user layer’s file and line', () => {
    expect(at('NETWORK', 'USE').trace.variables['C']).toMatchObject({
      value: 1600,
      origin: 'REFERENCE',
      ref: { layer: 'user:g4it-tables', file: 'ref_network_type.csv', line: 2 },
    });
  });
  it('shared Compute S of 16 vCPU over 4 years: α = 8 / 16 = 0.5', () => {
    close(at('DATACENTER', 'MANUFACTURING').perYear, (1000 / 4) * 0.5); // 125
    close(at('DATACENTER', 'DISTRIBUTION').perYear, (20 / 4) * 0.5); // 2.5
    close(at('DATACENTER', 'END_OF_LIFE').perYear, (10 / 4) * 0.5); // 1.25
    close(at('DATACENTER', 'USE').perYear, 800 * 1.5 * 0.0519 * 0.5); // 31.14
    const v = at('DATACENTER', 'MANUFACTURING').trace.variables;
    expect(v['hostVcpu']).toMatchObject({ value: 16, ref: { file: 'ref_server_host.csv', line: 2 } });
    expect(v['L_host']).toMatchObject({ value: 4, ref: { layer: 'user:g4it-tables' } });
  });
});

describe('bad and unknown rows through `empreinte service`', () => {
  it('a malformed row of --referential: its file:line:column and code on stderr; the pack’s row stands in', async () => {
    const dir = join(tmp, 'bad');
    cpSync(MODIFIED, dir, { recursive: true });
    writeFileSync(
      join(dir, 'ref_network_type.csv'),
      [
        'description;reference;external_referential_description;type;annual_quantity_of_go;country;source',
        'Fixed FR;fixed-line-network-1;Fixed-line network FR;Fixed;1 600;France;typo in the capacity',
      ].join('\n'),
    );
    const r = await run([SERVICE], dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "ref_network_type.csv:2:annual_quantity_of_go: REF_BAD_NUMBER Row 2: field 'annual_quantity_of_go' must be a number (got '1 600').\n",
    );
    const doc = JSON.parse(r.out) as { services: { indicators: Indicator[] }[] };
    const m = doc.services[0]!.indicators.find(
      (i) => i.tier === 'NETWORK' && i.step === 'MANUFACTURING' && i.criterion === 'CLIMATE_CHANGE',
    )!;
    close(m.perYear, (2000 / 2640) * 30); // G4IT's 2,640 from the default pack
  });
  it('a network type added by the folder is accepted; an unknown one lists the referential’s codes', async () => {
    const dir = join(tmp, 'added');
    cpSync(MODIFIED, dir, { recursive: true });
    writeFileSync(
      join(dir, 'ref_network_type.csv'),
      [
        'description;reference;external_referential_description;type;annual_quantity_of_go;country;source',
        'Fibre FR;fibre-line-1;Fibre line FR;Fixed;4000;France;test',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'ref_item_impact.csv'),
      [
        'criterion;lifecycle_step;name;category;avg_electricity_consumption;description;location;level;source;tier;unit;value',
        'CLIMATE_CHANGE;MANUFACTURING;fibre-line-1;Network;10;Fibre line;NULL;2-Equipement;test;Network;Line;20',
        'CLIMATE_CHANGE;MANUFACTURING;rack-server--8;IT equipment;800;Rack server;NULL;2-Equipement;test;Datacenter;Item;1000',
      ].join('\n'),
    );
    const yaml = (type: string) => {
      const f = join(tmp, `${type}.yaml`);
      writeFileSync(
        f,
        [
          'service: Fibre',
          'version: v1',
          'kind: business_application',
          'profile: numecoeval',
          'functionalUnit: { kind: service-year }',
          'usage:',
          '  sessionsPerYear: 1000',
          '  sessionHours: 0',
          '  dataPerSessionGB: 2',
          '  country: FR',
          '  remoteShare: 0',
          '  network:',
          `    - { type: ${type}, share: 1 }`,
        ].join('\n'),
      );
      return f;
    };
    const { at } = await indicators(dir, yaml('fibre-line-1'));
    close(at('NETWORK', 'MANUFACTURING').perYear, (2000 / 4000) * 20); // 10
    close(at('NETWORK', 'USE').perYear, (2000 / 4000) * 10 * 0.0519); // 0.2595
    const r = await run([yaml('fibre-line-9')], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SVC_UNKNOWN_NETWORK .*'fibre-line-9'/);
    for (const code of ['fibre-line-1', 'fixed-line-network-1', 'mobile-network-2', 'FIXED_FR'])
      expect(r.err).toContain(code);
  });
  it('a host archetype whose reference item has no impact row: SVC_UNKNOWN_DEVICE at the size field', async () => {
    const dir = join(tmp, 'hosts');
    cpSync(MODIFIED, dir, { recursive: true });
    const f = join(tmp, 'storage-m.yaml');
    writeFileSync(
      f,
      [
        'service: Archive',
        'version: v1',
        'kind: business_application',
        'profile: numecoeval',
        'functionalUnit: { kind: service-year }',
        'usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 }',
        'servers:',
        '  - { label: app, server: { mode: dedicated, size: M, kind: storage, datacenter: { location: FR } } }',
      ].join('\n'),
    );
    // The default pack has Storage M (storage-bay--3), but no item impact row for it: the device is unknown.
    const r = await run([f], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/servers\[0\]\.server\.size.*SVC_UNKNOWN_DEVICE .*storage-bay--3/);
  });
  it('a referential without the archetype row: SVC_FIELD_INVALID at the size field, with the sizes it has', async () => {
    const g4it = (await readReferential([MODIFIED], { layerName: 'user:g4it-tables' })).layer;
    const withoutStorageM = <T extends { serverHosts?: { description: string }[] }>(l: T): T => ({
      ...l,
      serverHosts: l.serverHosts?.filter((h) => h.description !== 'Server Storage M'),
    });
    // The pack and the folder without their Storage M row (a layer cannot delete a lower layer's row).
    const pack = (await loadDefaultPack()).layer;
    const { referential } = mergeLayers([withoutStorageM(pack), profileLayer('numecoeval'), withoutStorageM(g4it)]);
    const server = {
      mode: 'dedicated',
      size: 'M',
      kind: 'storage',
      quantity: 1,
      datacenter: { location: 'FR' },
    } as const;
    let issue: Issue | undefined;
    try {
      assessService(
        {
          service: 'Archive',
          version: 'v1',
          kind: 'business_application',
          profile: 'numecoeval',
          functionalUnit: { kind: 'service-year' },
          usage: { sessionsPerYear: 0, sessionHours: 0, dataPerSessionGB: 0, remoteShare: 0 },
          servers: [{ label: 'app', server }],
        },
        { referential },
      );
    } catch (e) {
      if (e instanceof EmpreinteError) issue = e.issue;
      else throw e;
    }
    expect(issue?.code).toBe('SVC_FIELD_INVALID');
    expect(issue?.details).toMatchObject({
      field: 'servers[0].server.size',
      reason: "the referential has no server host 'Server Storage M' (accepted: S, L)",
    });
  });
});

describe('G4IT digital-service import on the referential’s tables', async () => {
  // Terminal items from g4it-terminals, network types and hosts from g4it-tables (1,600 GB per line; Compute S 16 vCPU).
  const pack = (await loadDefaultPack()).layer;
  const terminals = (await readReferential([G4IT_DEFAULTS], { layerName: 'user:g4it' })).layer;
  const tables = (await readReferential([MODIFIED], { layerName: 'user:g4it-tables' })).layer;
  const referential = mergeLayers([pack, profileLayer('numecoeval'), terminals, tables]).referential;
  const DS = join(import.meta.dirname, '../fixtures/g4it-digital-service');
  const { definition: d } = await importG4itService({ path: DS, referential, service: 'Portal' });
  it('a fixed line’s GB = its quantity × the type’s yearly GB: 0.5 line × 1,600 = 800 GB, beside 500 GB mobile', () => {
    close(d.usage?.dataPerSessionGB, 800 + 500);
    close(d.usage?.network?.[0]?.share, 800 / 1300);
    close(d.usage?.network?.[1]?.share, 500 / 1300);
  });
  it('a shared host written with 32 cores is no longer the Compute S archetype (16 vCPU): its item and 32 vCPU', () => {
    const db = d.servers?.find((x) => x.label === 'DB');
    expect(db?.server).toMatchObject({ mode: 'shared', item: 'rack-server--8', hostVcpu: 32, vcpu: 8 });
    expect(db?.server?.size).toBeUndefined();
  });
});
