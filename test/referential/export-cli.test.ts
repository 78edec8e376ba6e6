/**
 * Export to NumEcoEval/G4IT referential CSVs and re-import through the NumEcoEval/G4IT reader (round trip), user-pack
 * import with validation errors naming file, line and column, and pack diff.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importUserPack } from '../../src/cli/referential.js';
import { readReferential } from '../../src/referential/csv-read.js';
import { writeExport } from '../../src/referential/export.js';
import type { ReferentialLayer } from '../../src/referential/model.js';
import { diffLayers, listPacks, loadDefaultPack, resolvePack, type Pack } from '../../src/referential/pack.js';

let pack: Pack;
beforeAll(async () => {
  pack = await loadDefaultPack();
});

const factorMap = (l: ReferentialLayer) => new Map(l.factorRows.map((r) => [`${r.item}|${r.step}|${r.criterion}`, r]));

describe.each(['numecoeval', 'g4it'] as const)('export %s → re-import', (format) => {
  let back: ReferentialLayer;
  beforeAll(async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'empreinte-export-')), format);
    await writeExport(pack.layer, format, dir);
    const r = await readReferential([dir], { layerName: 'user:roundtrip' });
    expect(r.issues.filter((i) => i.severity !== 'W')).toEqual([]);
    back = r.layer;
  });
  it('every factor row comes back with the same value, unit, tier and average kWh', () => {
    const a = factorMap(pack.layer);
    const b = factorMap(back);
    expect(b.size).toBe(a.size);
    for (const [k, r] of a) {
      const x = b.get(k);
      expect(x, k).toBeDefined();
      expect(x!.value).toBe(r.value);
      expect(x!.unit ?? 'Item').toBe(r.unit ?? 'Item');
      expect(x!.tier).toBe(r.tier);
      expect(x!.avgKWhPerYear).toBe(r.avgKWhPerYear);
    }
  });
  it('G4IT network types and server hosts come back in the G4IT export (NumEcoEval has no such table)', () => {
    const rowKey = (r: object) => JSON.stringify(Object.entries(r).sort(([x], [y]) => x.localeCompare(y)));
    const strip = <T extends { prov: unknown }>(rows: readonly T[] | undefined) =>
      (rows ?? []).map(({ prov: _p, ...r }) => r).sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
    if (format === 'g4it') {
      expect(strip(back.networkTypes)).toEqual(strip(pack.layer.networkTypes));
      expect(strip(back.serverHosts)).toEqual(strip(pack.layer.serverHosts));
      expect(back.networkTypes?.find((t) => t.code === 'fixed-line-network-1')?.prov.source).toContain(
        'Rapport ADEME ARCEP 2020',
      );
    } else {
      expect(back.networkTypes).toBeUndefined();
      expect(back.serverHosts).toBeUndefined();
    }
  });
  it('hypotheses, item types (with synonyms as extra types) and electricity come back', () => {
    expect(new Map(back.hypotheses.map((h) => [h.code, h.value]))).toEqual(
      new Map(pack.layer.hypotheses.map((h) => [h.code, h.value])),
    );
    const types = new Map(back.itemTypes.map((t) => [t.type, t]));
    for (const t of pack.layer.itemTypes) {
      for (const name of [t.type, ...(t.synonyms ?? [])]) {
        const x = types.get(name);
        expect(x, name).toBeDefined();
        expect([x!.isServer, x!.defaultLifespanYears, x!.defaultRefItem]).toEqual([
          t.isServer,
          t.defaultLifespanYears,
          t.defaultRefItem,
        ]);
      }
    }
    // one factor per location: the pack order ademe → ember → boavizta
    const fr = back.electricity.find((e) => e.location === 'FR');
    expect(fr?.valuePerKWh).toBe(0.0519);
    const de = back.electricity.find((e) => e.location === 'DE');
    expect(de?.valuePerKWh).toBeCloseTo(0.34206, 12);
    const locations = new Set(pack.layer.electricity.map((e) => e.location));
    expect(new Set(back.electricity.map((e) => e.location))).toEqual(locations);
  });
});

describe('referential import / list / diff', () => {
  it('rejects a user pack with bad rows, naming file, line and column, and stores nothing', async () => {
    const env = { EMPREINTE_HOME: mkdtempSync(join(tmpdir(), 'empreinte-home-')) };
    const r = await importUserPack(join(__dirname, '..', 'fixtures', 'pack', 'user-bad'), { env });
    expect(r.stored).toBe(false);
    const rejected = r.issues.filter((i) => i.severity === 'R');
    expect(rejected.map((i) => [i.code, i.file, i.line, i.column])).toEqual([
      ['REF_BAD_NUMBER', 'facteursCaracterisation.csv', 3, 'valeur'],
      ['REF_UNKNOWN_CRITERION', 'facteursCaracterisation.csv', 4, 'critere'],
    ]);
    expect((await listPacks(env)).map((p) => p.id)).toEqual(['empreinte-default']);
  });
  it('stores a valid user pack, lists it, and diffs it against the default', async () => {
    const env = { EMPREINTE_HOME: mkdtempSync(join(tmpdir(), 'empreinte-home-')) };
    const r = await importUserPack(join(__dirname, '..', 'fixtures', 'pack', 'user-good'), { env, id: 'acme' });
    expect(r.stored).toBe(true);
    expect((await listPacks(env)).map((p) => [p.id, p.embedded])).toEqual([
      ['empreinte-default', true],
      ['acme', false],
    ]);
    const user = await resolvePack('acme', env);
    expect(user.layer.name).toBe('user:acme');
    const row = user.layer.factorRows.find((x) => x.item === 'ademe-laptop')!;
    expect(row.prov).toMatchObject({ file: 'facteursCaracterisation.csv', line: 2, layer: 'user:acme' });
    const d = diffLayers(pack.layer, user.layer);
    expect(d).toContainEqual({
      kind: 'changed',
      table: 'factorRows',
      key: 'ademe-laptop | MANUFACTURING | CLIMATE_CHANGE',
      before: '170',
      after: '150',
    });
    expect(d).toContainEqual({
      kind: 'added',
      table: 'factorRows',
      key: 'my-phone | MANUFACTURING | CLIMATE_CHANGE',
      after: '60',
    });
    expect(d).toContainEqual({
      kind: 'changed',
      table: 'hypotheses',
      key: 'PUEParDefaut',
      before: '1.75',
      after: '1.6',
    });
    expect(d.some((e) => e.kind === 'removed' && e.key === 'ademe-tv | MANUFACTURING | CLIMATE_CHANGE')).toBe(true);
  });
  it('an unknown pack id names the known ones', async () => {
    await expect(resolvePack('nope', { EMPREINTE_HOME: mkdtempSync(join(tmpdir(), 'e-')) })).rejects.toThrow(
      /REF_PACK_UNKNOWN.*empreinte-default/,
    );
  });
});
