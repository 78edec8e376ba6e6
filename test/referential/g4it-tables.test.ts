/**
 * G4IT's digital-service tables as referential tables (issue 14): `ref_network_type.csv` (network types, F11) and
 * `ref_server_host.csv` (server hosts, S/M/L archetypes) read from a G4IT/NumEcoEval referential folder in G4IT's own
 * column layout, carried by the default pack, merged by key (a user layer's row replaces the pack's), refused row by
 * row by the §3.5 rules with file, line and column.
 *
 * Expected values are G4IT's rows (`G4ITTeam/g4it@ece60a2: services/backend/src/main/resources/db/changelog/data/
 * ref_network_type.csv`, `ref_server_host.csv`) and those written in the fixture
 * (test/fixtures/cli/services/g4it-tables: fixed-line-network-1 at 1,600 GB per line-year, Server Compute S with 16
 * vCPU and 4 years).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/issues/catalogue.js';
import { readReferential } from '../../src/referential/csv-read.js';
import { foldKey } from '../../src/referential/codes.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import type { ReferentialLayer } from '../../src/referential/model.js';
import { loadDefaultPack, loadPack, serialisePack, writePack } from '../../src/referential/pack.js';
import { loadReferentialSource } from '../../src/referential/source.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/cli/services/g4it-tables');
const pack = (await loadDefaultPack()).layer;
const tmp = mkdtempSync(join(tmpdir(), 'empreinte-g4it-tables-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NETWORK_HEADER =
  'description;reference;external_referential_description;type;annual_quantity_of_go;country;source';
const HOST_HEADER = 'description;reference;external_referential_description;type;nb_of_vcpu;total_disk;lifespan';

/** A folder holding these files (name → text). */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

describe('the default pack carries G4IT’s network types and S/M/L hosts', () => {
  it('4 network types: fixed lines 2,640 GB/yr (FR) and 2,400 GB/yr (EU), mobile types per GB; Apache-2.0', () => {
    const rows = Object.fromEntries((pack.networkTypes ?? []).map((t) => [t.code, t]));
    expect(Object.keys(rows).sort()).toEqual([
      'fixed-line-network-1',
      'fixed-line-network-2',
      'mobile-network-1',
      'mobile-network-2',
    ]);
    expect(rows['fixed-line-network-1']).toMatchObject({ kind: 'FIXED', annualGBPerLine: 2640, country: 'France' });
    expect(rows['fixed-line-network-2']).toMatchObject({ kind: 'FIXED', annualGBPerLine: 2400, country: 'Europe' });
    expect(rows['mobile-network-1']?.kind).toBe('MOBILE');
    expect(rows['mobile-network-1']?.annualGBPerLine).toBeUndefined();
    for (const t of Object.values(rows)) {
      expect(t.prov.licence).toBe('Apache-2.0');
      expect(t.prov.source).toContain('ref_network_type.csv');
    }
    expect(rows['fixed-line-network-1']?.prov.source).toContain('Rapport ADEME ARCEP 2020, VOLET 2; p.70');
  });
  it('6 hosts: Compute S/M/L = rack-server--8/30/49 with 32/96/256 vCPU, Storage S/M/L = storage-bay--1/3/16 with 6,144/49,152/98,304 GB, 5 years', () => {
    const rows = Object.fromEntries((pack.serverHosts ?? []).map((h) => [h.description, h]));
    expect(rows['Server Compute S']).toMatchObject({ reference: 'rack-server--8', kind: 'COMPUTE', vcpu: 32 });
    expect(rows['Server Compute M']).toMatchObject({ reference: 'rack-server--30', vcpu: 96 });
    expect(rows['Server Compute L']).toMatchObject({ reference: 'rack-server--49', vcpu: 256 });
    expect(rows['Server Storage S']).toMatchObject({ reference: 'storage-bay--1', kind: 'STORAGE', totalDiskGB: 6144 });
    expect(rows['Server Storage M']).toMatchObject({ reference: 'storage-bay--3', totalDiskGB: 49152 });
    expect(rows['Server Storage L']).toMatchObject({ reference: 'storage-bay--16', totalDiskGB: 98304 });
    for (const h of Object.values(rows)) {
      expect(h.lifespanYears).toBe(5);
      expect(h.prov.licence).toBe('Apache-2.0');
    }
    expect(Object.keys(rows)).toHaveLength(6);
  });
  it('the line capacities are no longer hypotheses (one value in one place)', () => {
    expect(pack.hypotheses.map((h) => h.code)).not.toContain('capaciteLigneFixe_FR');
    expect(pack.hypotheses.map((h) => h.code)).not.toContain('capaciteLigneFixe_EU');
  });
});

describe('a G4IT referential folder (G4IT’s column layout)', async () => {
  const read = await readReferential([FIXTURE], { layerName: 'user:g4it-tables' });
  it('reads every row, the host catalogue row beside the S archetype on the same reference item', () => {
    expect(read.issues.filter((i) => i.severity === 'R')).toEqual([]);
    expect(read.layer.networkTypes).toHaveLength(4);
    expect(read.layer.serverHosts).toHaveLength(7);
    const fixed = read.layer.networkTypes!.find((t) => t.code === 'fixed-line-network-1')!;
    expect(fixed).toMatchObject({
      description: 'Fixed FR',
      kind: 'FIXED',
      annualGBPerLine: 1600,
      country: 'France',
      referenceDescription: 'Fixed-line network/ at consumer/ xDSL, FFTx average mix / FR',
    });
    expect(fixed.prov).toMatchObject({ file: 'ref_network_type.csv', line: 2, layer: 'user:g4it-tables' });
    const s = read.layer.serverHosts!.find((h) => h.description === 'Server Compute S')!;
    expect(s).toMatchObject({ reference: 'rack-server--8', kind: 'COMPUTE', vcpu: 16, lifespanYears: 4 });
    const catalogue = read.layer.serverHosts!.filter((h) => h.reference === 'rack-server--8');
    expect(catalogue).toHaveLength(2);
    expect(catalogue[1]!.vcpu).toBeUndefined();
  });
  it('layered over the default pack: its rows replace the pack’s by code / description, the others stay', () => {
    const { referential } = mergeLayers([pack, profileLayer('numecoeval'), read.layer]);
    expect(referential.networkTypes?.get('fixed-line-network-1')?.annualGBPerLine).toBe(1600);
    expect(referential.networkTypes?.get('fixed-line-network-1')?.prov.layer).toBe('user:g4it-tables');
    expect(referential.serverHosts?.get(foldKey('Server Compute S'))).toMatchObject({ vcpu: 16, lifespanYears: 4 });
    // The pack's M host is replaced by the same values from the user layer; the catalogue row is one more host.
    expect(referential.serverHosts?.get(foldKey('Server Compute M'))?.prov.layer).toBe('user:g4it-tables');
    expect(referential.serverHosts?.size).toBe(7);
    const packOnly = mergeLayers([pack, profileLayer('numecoeval')]).referential;
    expect(packOnly.networkTypes?.get('fixed-line-network-1')?.annualGBPerLine).toBe(2640);
    expect(packOnly.networkTypes?.get('fixed-line-network-1')?.prov.layer).toBe('embedded:empreinte-default');
    // The tables are part of the referential's identity.
    expect(referential.hash).not.toBe(packOnly.hash);
  });
  it('an Empreinte pack keeps the tables: a pack written from the G4IT layer loads back the same rows', async () => {
    const layer: ReferentialLayer = read.layer;
    const dir = join(tmp, 'user-pack');
    await writePack(
      dir,
      serialisePack(layer, {
        id: 'g4it-tables',
        version: '1',
        title: 'G4IT tables',
        inputs: [],
        licences: [],
        skipped: [],
        keepRowLocation: true,
      }),
    );
    const loaded = await loadPack(dir, { embedded: false });
    expect(loaded.issues).toEqual([]);
    const rowKey = (r: object) => JSON.stringify(Object.entries(r).sort(([x], [y]) => x.localeCompare(y)));
    const strip = <T extends { prov: unknown }>(rows: readonly T[] | undefined) =>
      (rows ?? []).map(({ prov: _p, ...r }) => r).sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
    expect(strip(loaded.layer.networkTypes)).toEqual(strip(layer.networkTypes));
    expect(strip(loaded.layer.serverHosts)).toEqual(strip(layer.serverHosts));
    expect(loaded.layer.networkTypes!.find((t) => t.code === 'fixed-line-network-1')!.prov).toMatchObject({
      file: 'ref_network_type.csv',
      line: 2,
    });
  });
});

describe('bad rows (§3.5): refused one by one with file, line and column', () => {
  it('network types: unknown type, capacity not a number, not above 0, missing on a fixed line', async () => {
    const dir = folder('bad-network', {
      'ref_network_type.csv': [
        NETWORK_HEADER,
        'Fixed FR;fixed-line-network-1;x;Fixed;1600;France;ok',
        'Sat;satellite-1;x;Satellite;100;France;',
        'Fixed X;fixed-x;x;Fixed;abc;France;',
        'Fixed Y;fixed-y;x;Fixed;-5;France;',
        'Fixed Z;fixed-z;x;Fixed;;France;',
        'Mobile M;mobile-m;x;mobile;;France;',
      ].join('\n'),
    });
    const src = await loadReferentialSource(dir, { layerName: 'user:bad' });
    const refused = src.issues.filter((i) => i.severity === 'R').map((i) => formatIssue(i));
    expect(refused).toEqual([
      "ref_network_type.csv:3:type: REF_BAD_VALUE Row 3: field 'type' accepts Fixed, Mobile; got 'Satellite'.",
      "ref_network_type.csv:4:annual_quantity_of_go: REF_BAD_NUMBER Row 4: field 'annual_quantity_of_go' must be a number (got 'abc').",
      "ref_network_type.csv:5:annual_quantity_of_go: REF_BAD_VALUE Row 5: field 'annual_quantity_of_go' accepts > 0; got '-5'.",
      "ref_network_type.csv:6:annual_quantity_of_go: REF_REQUIRED Row 6: field 'annual_quantity_of_go' is mandatory.",
    ]);
    expect(src.layer.networkTypes?.map((t) => t.code)).toEqual(['fixed-line-network-1', 'mobile-m']);
    expect(src.layer.refused?.map((r) => `${r.file}:${r.line}:${r.column}:${r.code}`)).toEqual([
      'ref_network_type.csv:3:type:REF_BAD_VALUE',
      'ref_network_type.csv:4:annual_quantity_of_go:REF_BAD_NUMBER',
      'ref_network_type.csv:5:annual_quantity_of_go:REF_BAD_VALUE',
      'ref_network_type.csv:6:annual_quantity_of_go:REF_REQUIRED',
    ]);
  });
  it('server hosts: unknown type, vCPU 0, lifespan above 50 years, no reference', async () => {
    const dir = folder('bad-host', {
      'ref_server_host.csv': [
        HOST_HEADER,
        'Server Compute S;rack-server--8;x;Compute;16;;4',
        'Server GPU S;gpu-1;x;GPU;8;;4',
        'Server Compute M;rack-server--30;x;Compute;0;;5',
        'Server Compute L;rack-server--49;x;Compute;256;;80',
        'Server Storage S;;x;Storage;;6144;5',
      ].join('\n'),
    });
    const src = await loadReferentialSource(dir, { layerName: 'user:bad' });
    const refused = src.issues.filter((i) => i.severity === 'R').map((i) => formatIssue(i));
    expect(refused).toEqual([
      "ref_server_host.csv:3:type: REF_BAD_VALUE Row 3: field 'type' accepts Compute, Storage; got 'GPU'.",
      "ref_server_host.csv:4:nb_of_vcpu: REF_BAD_VALUE Row 4: field 'nb_of_vcpu' accepts > 0; got '0'.",
      "ref_server_host.csv:5:lifespan: REF_LIFETIME_RANGE Row 5: lifetime 80 of type 'Server Compute L' must be greater than 0 and at most 50 years.",
      "ref_server_host.csv:6:reference: REF_REQUIRED Row 6: field 'reference' is mandatory.",
    ]);
    expect(src.layer.serverHosts?.map((h) => h.description)).toEqual(['Server Compute S']);
  });
  it('a pack row breaking a rule is refused by the same rules (lifespan 0 → REF_LIFETIME_RANGE)', async () => {
    const base = (await readReferential([FIXTURE], { layerName: 'user:x' })).layer;
    const layer: ReferentialLayer = {
      ...base,
      serverHosts: base.serverHosts!.map((h) =>
        h.description === 'Server Compute S' ? { ...h, lifespanYears: 0 } : h,
      ),
    };
    const dir = join(tmp, 'bad-pack');
    await writePack(
      dir,
      serialisePack(layer, { id: 'bad-pack', version: '1', title: 'x', inputs: [], licences: [], skipped: [] }),
    );
    const loaded = await loadPack(dir, { embedded: false });
    expect(loaded.issues?.map((i) => [i.code, i.column])).toEqual([['REF_LIFETIME_RANGE', 'lifespanYears']]);
    expect(loaded.layer.serverHosts?.some((h) => h.description === 'Server Compute S')).toBe(false);
  });
});
