/**
 * The embedded default pack: it loads, every value carries source/licence/vintage, it rebuilds byte-identically from
 * shared/data, and the check cases C-01…C-05 (and C-06) reproduce from its data — by hand with F5/F6 and through the
 * engine. Expected values are the spec's (methodology §7).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDefaultPack } from '../../scripts/build-referential.js';
import { assessInventory } from '../../src/engine/index.js';
import { foldKey } from '../../src/referential/codes.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import type { ReferentialLayer } from '../../src/referential/model.js';
import {
  defaultPackDir,
  loadDefaultPack,
  loadPack,
  PACK_TABLES,
  schemaTables,
  serialisePack,
  type Pack,
} from '../../src/referential/pack.js';
import { DATA_DIR } from './data-dir.js';

let pack: Pack;
beforeAll(async () => {
  pack = await loadDefaultPack();
});

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const factor = (item: string, step: string, criterion = 'CLIMATE_CHANGE') => {
  const r = pack.layer.factorRows.find((x) => x.item === item && x.step === step && x.criterion === criterion);
  if (!r) throw new Error(`no factor ${item}/${step}/${criterion}`);
  return r;
};
const elec = (dataset: string, location: string) => {
  const e = pack.layer.electricity.find((x) => x.dataset === dataset && x.location === location);
  if (!e) throw new Error(`no electricity ${dataset}/${location}`);
  return e;
};

describe('default pack content', () => {
  it('has an identity, a version and a content hash', () => {
    expect(pack.manifest.id).toBe('empreinte-default');
    expect(pack.manifest.version).toBe('1.0.0');
    expect(pack.manifest.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(pack.layer.name).toBe('embedded:empreinte-default');
  });
  it('every value carries a source and a licence; electricity and ADEME factors a vintage', () => {
    const all = [
      ...pack.layer.factorRows,
      ...pack.layer.electricity,
      ...pack.layer.hypotheses,
      ...pack.layer.itemTypes,
      ...pack.layer.normalisation,
    ];
    for (const r of all) {
      expect(r.prov.source.length).toBeGreaterThan(0);
      expect(r.prov.licence?.length ?? 0).toBeGreaterThan(0);
    }
    for (const e of pack.layer.electricity) expect(e.prov.vintage).toMatch(/\d{4}/);
    for (const r of pack.layer.factorRows.filter((x) => x.item.startsWith('ademe-')))
      expect(r.prov.vintage).toBeTruthy();
  });
  it('ships no WATER_USE and no negative factor', () => {
    expect(pack.layer.factorRows.filter((r) => r.criterion === 'WATER_USE')).toEqual([]);
    expect(pack.layer.factorRows.filter((r) => r.value < 0)).toEqual([]);
  });
  it('holds the manufacturer footprints: Dell Wyse 3040 = 97 × (1 − 0.33) = 64.99 kg, 30.7 kWh/yr', () => {
    const r = factor('Dell Wyse 3040 Thin Client', 'EMBODIED');
    expect(r.value).toBeCloseTo(64.99, 10);
    expect(r.avgKWhPerYear).toBe(30.7);
    expect(r.prov.licence).toContain('ODbL');
    // 1 226 records − 75 without gwp_use_ratio − 4 duplicates = 1 147 products
    const footprints = new Set(
      pack.layer.factorRows.filter((x) => x.prov.file === 'items-boavizta-footprints.json').map((x) => x.item),
    );
    expect(footprints.size).toBe(1147 + 1); // + the empreinte-thin-client proxy
  });
  it('network per GB (C-16): FIXED_FR 9.26934695867389 g = 0.00926934695867389 kg, WHOLE_LIFE, unit GB', () => {
    const r = factor('FIXED_FR', 'WHOLE_LIFE');
    expect(r.value).toBeCloseTo(0.00926934695867389, 15);
    expect(r.unit).toBe('GB');
    expect(factor('MOBILE_EU', 'WHOLE_LIFE').value).toBeCloseTo(0.0960097311973246, 15);
  });
  it('multi-criteria EMBODIED from Boavizta (pro laptop 0.0086 kg Sb, server 19.7 mol H+)', () => {
    expect(factor('ademe-laptop', 'EMBODIED', 'RESOURCE_USE').value).toBe(0.0086);
    expect(factor('ademe-server', 'EMBODIED', 'ACIDIFICATION').value).toBe(19.7);
    expect(factor('ademe-server', 'MANUFACTURING').value).toBe(748);
    expect(factor('ademe-server', 'MANUFACTURING').avgKWhPerYear).toBeCloseTo(3214.92, 9); // 367 W × 8760 h / 1000
  });
  it('electricity datasets with vintage: ademe FR 0.0519 (2024), ember FR 0.04418 / DEU 0.34206 (2024), boavizta FR 0.098 (2019)', () => {
    expect(elec('ademe', 'FR').valuePerKWh).toBe(0.0519);
    expect(elec('ademe', 'FR').prov.vintage).toBe('2024');
    expect(elec('ember', 'FR').valuePerKWh).toBeCloseTo(0.04418, 12);
    expect(elec('ember', 'DE').valuePerKWh).toBeCloseTo(0.34206, 12);
    expect(elec('ember', 'EU').valuePerKWh).toBeCloseTo(0.21302, 12);
    expect(elec('boavizta', 'FR').valuePerKWh).toBe(0.098);
    expect(elec('boavizta', 'FR').prov.vintage).toBe('2019');
  });
  it('recognises French and English type names, case-insensitively', () => {
    const { referential } = mergeLayers([pack.layer]);
    for (const name of ['Ordinateur portable', 'PC PORTABLE', 'notebook', 'Laptop']) {
      expect(referential.itemTypes.get(foldKey(name))?.type).toBe('Laptop');
    }
    expect(referential.itemTypes.get(foldKey('Client léger'))?.defaultRefItem).toBe('empreinte-thin-client');
    expect(referential.itemTypes.get(foldKey('Borne Wi-Fi'))?.type).toBe('Wi-Fi access point');
    expect(referential.itemTypes.get(foldKey('Serveur lame'))?.isServer).toBe(true);
  });
  it('rebuilds byte-identically from shared/data', async () => {
    const { layer, meta } = await buildDefaultPack(DATA_DIR);
    const rebuilt = serialisePack(layer, meta);
    expect(rebuilt.manifest.contentHash).toBe(pack.manifest.contentHash);
    for (const [name, text] of rebuilt.files) expect(text).toBe(readFileSync(join(defaultPackDir(), name), 'utf8'));
  });
  it('the fast path of the embedded pack (hashes checked, no re-validation) gives the fully validated layer, nothing refused', async () => {
    const full = await loadPack(defaultPackDir(), { embedded: true });
    expect(full.issues).toEqual([]);
    expect(pack.issues).toEqual([]);
    expect(pack.layer).toEqual(full.layer);
    expect(pack.manifest).toEqual(full.manifest);
  });
  it("a layer row is the file row's fields in their order, then prov, then kwhProv when it names a consumption source", () => {
    const file = JSON.parse(readFileSync(join(defaultPackDir(), 'items-ademe.json'), 'utf8')) as {
      sources: Record<string, { source: string; licence?: string; vintage?: string }>;
      factorRows: Record<string, unknown>[];
    };
    const withKwh = file.factorRows.find((r) => r.kwhSrc !== undefined)!;
    expect(withKwh).toBeDefined();
    const row = pack.layer.factorRows.find(
      (r) => r.item === withKwh.item && r.step === withKwh.step && r.criterion === withKwh.criterion,
    )!;
    const own = Object.keys(withKwh).filter((k) => !['src', 'file', 'line', 'kwhSrc'].includes(k));
    expect(Object.keys(row)).toEqual([...own, 'prov', 'kwhProv']);
    const k = file.sources[withKwh.kwhSrc as string]!;
    expect(row.kwhProv).toEqual({
      source: k.source,
      licence: k.licence,
      vintage: k.vintage,
      layer: 'embedded:empreinte-default',
      file: 'items-ademe.json',
    });
    const without = pack.layer.factorRows.find((r) => r.kwhProv === undefined)!;
    expect(Object.keys(without).slice(-1)).toEqual(['prov']);
    expect(Object.keys(without)).not.toContain('kwhProv');
  });
  it('PACK_TABLES lists the tables of the data files, in the order of their schema (the order rows are read in)', () => {
    expect([...PACK_TABLES]).toEqual(schemaTables());
    expect(PACK_TABLES).toHaveLength(16);
  });
  it('rejects a pack file modified after build (sha256 mismatch)', async () => {
    await expect(loadPack(join(__dirname, '..', 'fixtures', 'pack', 'tampered'))).rejects.toThrow(
      /REF_PACK_INVALID.*sha256/,
    );
  });
});

/** C-01…C-05: I = Σ F_s / L + E × M (F5, F6 with q = τ = 1, PUE 1, FIXE lifetime) from the pack's values. */
const CASES = [
  { id: 'C-01', item: 'ademe-laptop', type: 'Laptop', life: 5, total: 38.52401, use: 1.50600825 },
  { id: 'C-02', item: 'ademe-desktop-pro', type: 'Desktop', life: 6, total: 43.1996, use: 7.95627 },
  { id: 'C-03', item: 'ademe-monitor', type: 'Monitor', life: 6, total: 15.4287, use: 3.7887 },
  { id: 'C-04', item: 'ademe-smartphone', type: 'Smartphone', life: 2.5, total: 32.06214, use: 0.25573725 },
  { id: 'C-05', item: 'ademe-box', type: 'Box', life: 5, total: 16.24515, use: 3.63715 },
];

describe('C-01…C-05 from the pack data, by hand', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.total} kg CO2 eq/yr`, () => {
      const m = factor(c.item, 'MANUFACTURING');
      const embodied = (m.value + factor(c.item, 'DISTRIBUTION').value + factor(c.item, 'END_OF_LIFE').value) / c.life;
      const use = m.avgKWhPerYear! * elec('ademe', 'FR').valuePerKWh;
      // e.g. C-01: (170 + 12.3 + 2.79) / 5 + 29.0175 × 0.0519 = 37.018 + 1.50600825 = 38.52400825
      expect(rel(use, c.use)).toBeLessThan(1e-6);
      expect(rel(embodied + use, c.total)).toBeLessThan(1e-6);
      expect(m.lifespanYears).toBe(c.life);
    });
  }
});

describe('C-01…C-06 through the engine with the default pack', () => {
  const ctx = {
    profile: 'rcp' as const,
    referenceDate: '2025-01-01',
    lifetimeMethod: 'FIXE' as const,
    criteria: ['CLIMATE_CHANGE'],
    steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'] as const,
  };
  const total = (
    layers: ReferentialLayer[],
    c: (typeof CASES)[number],
    opts: { electricityDataset?: string; model?: string } = {},
  ) => {
    const { referential } = mergeLayers(layers, { electricityDataset: opts.electricityDataset });
    const out = assessInventory(
      {
        physical: [
          {
            name: 'x',
            model: opts.model ?? c.item,
            type: c.type,
            quantity: 1,
            country: 'France',
            internalLifeYears: c.life,
          },
        ],
      },
      referential,
      { ...ctx, steps: [...ctx.steps] },
    );
    const use = out.indicators.find(
      (r) => r.item === 'x' && r.lifecycleStep === 'USE' && r.criterion === 'CLIMATE_CHANGE',
    );
    return { total: out.totals.byCriterion[0]!.value, use: use?.value ?? Number.NaN, out };
  };
  for (const c of CASES) {
    it(`${c.id} (kWh from the reference item, France → ademe 0.0519)`, () => {
      const r = total([pack.layer, profileLayer('rcp')], c);
      expect(rel(r.total, c.total)).toBeLessThan(1e-6);
      expect(rel(r.use, c.use)).toBeLessThan(1e-6);
    });
  }
  it('type default item: a Laptop without model gets ademe-laptop (C-01 total)', () => {
    const r = total([pack.layer, profileLayer('rcp')], CASES[0]!, { model: '' });
    expect(rel(r.total, 38.52401)).toBeLessThan(1e-6);
  });
  it('C-06: a user layer with Base IMPACTS France 0.0813225 over the pack → 153.3 × 0.0813225 = 12.46674', () => {
    const user: ReferentialLayer = {
      name: 'user:base-impacts',
      criteria: [],
      steps: [],
      hypotheses: [],
      itemTypes: [],
      factorRows: [],
      electricity: [
        {
          location: 'FR',
          locationLabel: 'France',
          criterion: 'CLIMATE_CHANGE',
          valuePerKWh: 0.0813225,
          dataset: 'referential',
          prov: { source: 'Base IMPACTS 2.01', layer: 'user:base-impacts', licence: 'ADEME terms' },
        },
      ],
      matchings: [],
      messaging: [],
      normalisation: [],
    };
    const r = total([pack.layer, profileLayer('numecoeval'), user], CASES[1]!);
    expect(rel(r.use, 12.46674)).toBeLessThan(1e-6);
  });
  it('--electricity ember switches France to 0.04418: 153.3 × 0.04418 = 6.772794', () => {
    const r = total([pack.layer, profileLayer('rcp')], CASES[1]!, { electricityDataset: 'ember' });
    expect(rel(r.use, 6.772794)).toBeLessThan(1e-9);
  });
  it('default electricity order: France ademe, Germany ember', () => {
    const { referential } = mergeLayers([pack.layer]);
    expect(referential.electricity.get('FR')!.get('CLIMATE_CHANGE')!.dataset).toBe('ademe');
    expect(referential.electricity.get('DE')!.get('CLIMATE_CHANGE')!.dataset).toBe('ember');
    expect(referential.electricity.get('DE')!.get('CLIMATE_CHANGE')!.valuePerKWh).toBeCloseTo(0.34206, 12);
  });
});
