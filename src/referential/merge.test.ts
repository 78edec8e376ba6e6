import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Issue } from '../issues/catalogue.js';
import { readReferential } from './csv-read.js';
import { hypothesisNumber, profileLayer } from './hypotheses.js';
import { mergeLayers } from './merge.js';
import { emptyLayer, factorKey, type ElectricityFactor, type FactorRow, type ReferentialLayer } from './model.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/referential');
const codes = (issues: Issue[]) => issues.map((i) => `${i.file}:${i.line ?? ''}:${i.code}`);

function layer(name: string, parts: Partial<ReferentialLayer> = {}): ReferentialLayer {
  return { ...emptyLayer(name), ...parts };
}
const prov = (l: string, line?: number, owner?: string) => ({
  source: 'test',
  layer: l,
  file: `${l}.csv`,
  ...(line !== undefined ? { line } : {}),
  ...(owner !== undefined ? { owner } : {}),
});
const factor = (l: string, item: string, value: number, extra: Partial<FactorRow> = {}, line?: number): FactorRow => ({
  item,
  step: 'MANUFACTURING',
  criterion: 'CLIMATE_CHANGE',
  value,
  prov: prov(l, line),
  ...extra,
});
const mix = (l: string, location: string, dataset: string, valuePerKWh: number): ElectricityFactor => ({
  location,
  locationLabel: location,
  criterion: 'CLIMATE_CHANGE',
  valuePerKWh,
  dataset,
  prov: prov(l),
});
const embedded = layer('embedded:test', {
  hypotheses: [{ code: 'PUEParDefaut', value: 1.9, prov: prov('embedded:test', 2) }],
});

describe('mergeLayers — precedence', async () => {
  const snake = (await readReferential([join(FIX, 'g4it-snake')], { layerName: 'user:g4it' })).layer;

  it('embedded < profile < user', () => {
    const a = mergeLayers([embedded]).referential;
    expect(hypothesisNumber(a, 'PUEParDefaut')?.value).toBe(1.9);
    const b = mergeLayers([embedded, profileLayer('rcp')]).referential;
    expect(hypothesisNumber(b, 'PUEParDefaut')).toMatchObject({ value: 1.75, prov: { layer: 'profile:rcp' } });
    expect(hypothesisNumber(b, 'taux_utilisation_COPE')?.value).toBe(0.85); // rcp profile
    const c = mergeLayers([embedded, profileLayer('rcp'), snake]).referential;
    expect(hypothesisNumber(c, 'taux_utilisation_COPE')).toMatchObject({
      value: 0.8,
      prov: { layer: 'user:g4it', file: 'ref_hypothesis.csv', line: 3 },
    });
  });

  it('owned rows win for the run organisation; rows of another owner are ignored with a warning', () => {
    const acme = mergeLayers([embedded, profileLayer('rcp'), snake], { organisation: 'ACME' });
    expect(hypothesisNumber(acme.referential, 'PUEParDefaut')).toMatchObject({
      value: 1.4,
      prov: { owner: 'ACME', line: 4 },
    });
    const blade = acme.referential.items.get('blade-server--28')!;
    expect(blade.factors.get(factorKey('MANUFACTURING', 'CLIMATE_CHANGE'))?.value).toBe(2000);
    expect(acme.issues.filter((i) => i.code === 'REF_OTHER_OWNER_IGNORED')).toEqual([]);

    const other = mergeLayers([embedded, profileLayer('rcp'), snake], { organisation: 'Globex' });
    expect(hypothesisNumber(other.referential, 'PUEParDefaut')).toMatchObject({ value: 1.75, prov: { line: 2 } });
    expect(other.referential.items.get('blade-server--28')!.factors.get('MANUFACTURING|CLIMATE_CHANGE')?.value).toBe(
      2226.1,
    );
    const ignored = other.issues.filter((i) => i.code === 'REF_OTHER_OWNER_IGNORED');
    expect(ignored.map((i) => [i.details.table, i.details.owner, i.details.count])).toEqual([
      ['hypotheses', 'ACME', 1],
      ['factorRows', 'ACME', 1],
    ]);
  });

  it('an owned row of a lower layer beats a platform row of a higher layer', () => {
    const low = layer('user:a', {
      hypotheses: [{ code: 'PUEParDefaut', value: 1.4, prov: prov('user:a', 2, 'ACME') }],
    });
    const high = layer('user:b', { hypotheses: [{ code: 'PUEParDefaut', value: 1.9, prov: prov('user:b', 2) }] });
    const r = mergeLayers([low, high], { organisation: 'acme' }).referential; // owner match is case-insensitive
    expect(hypothesisNumber(r, 'PUEParDefaut')?.value).toBe(1.4);
  });

  it('stores hypotheses under their registry code whatever the case in the file', () => {
    const user = layer('user:x', { hypotheses: [{ code: 'pueParDefaut', value: 1.3, prov: prov('user:x', 2) }] });
    const r = mergeLayers([profileLayer('rcp'), user]).referential;
    expect(r.hypotheses.get('PUEParDefaut')?.value).toBe(1.3);
    expect(r.hypotheses.has('pueParDefaut')).toBe(false);
  });
});

describe('mergeLayers — keys, replace, items', () => {
  it('a duplicate key inside one layer replaces the earlier row with REF_DUPLICATE_KEY', () => {
    const l = layer('user:d', {
      factorRows: [factor('user:d', 'x', 1, {}, 2), factor('user:d', 'x', 5, {}, 7)],
    });
    const { referential, issues } = mergeLayers([l]);
    expect(codes(issues)).toEqual(['user:d.csv:7:REF_DUPLICATE_KEY']);
    expect(issues[0]!.details.key).toBe('(x, MANUFACTURING, CLIMATE_CHANGE)');
    expect(referential.items.get('x')!.factors.get('MANUFACTURING|CLIMATE_CHANGE')?.value).toBe(5);
  });

  it('the same key in two layers is an override, not a duplicate', () => {
    const { referential, issues } = mergeLayers([
      layer('a', { factorRows: [factor('a', 'x', 1)] }),
      layer('b', { factorRows: [factor('b', 'x', 2)] }),
    ]);
    expect(issues).toEqual([]);
    expect(referential.items.get('x')!.factors.get('MANUFACTURING|CLIMATE_CHANGE')).toMatchObject({
      value: 2,
      prov: { layer: 'b' },
    });
  });

  it('a replace layer removes lower rows of the replaced tables only', () => {
    const low = layer('a', {
      factorRows: [factor('a', 'old', 1)],
      matchings: [{ modelSource: 'M', refItemTarget: 'old', prov: prov('a') }],
    });
    const high = layer('b', { replace: ['factorRows'], factorRows: [factor('b', 'new', 2)] });
    const { referential, issues } = mergeLayers([low, high]);
    expect([...referential.items.keys()]).toEqual(['new']);
    expect(referential.matchings.get('M')?.refItemTarget).toBe('old'); // matchings not replaced
    expect(codes(issues)).toEqual(['a.csv::REF_DANGLING_MATCHING']);
  });

  it('groups reference items, keeps the first average kWh and warns when they differ', async () => {
    const { layer: nee } = await readReferential([join(FIX, 'numecoeval')], { layerName: 'user:nee' });
    const { referential, issues } = mergeLayers([nee]);
    const laptop = referential.items.get('laptop-1')!;
    expect(laptop).toMatchObject({ unit: 'Item', amortised: true, avgKWhPerYear: 30, tier: 'TERMINAL' });
    expect([...laptop.factors.keys()]).toEqual([
      'MANUFACTURING|CLIMATE_CHANGE',
      'DISTRIBUTION|CLIMATE_CHANGE',
      'END_OF_LIFE|CLIMATE_CHANGE',
      'MANUFACTURING|Water scarcity',
    ]);
    expect(referential.items.get('fixed-line-1')).toMatchObject({ unit: 'Line', amortised: false });
    // server-1: rows say 1200 (line 6) then 1300 (line 7): the first row wins.
    expect(referential.items.get('server-1')!.avgKWhPerYear).toBe(1200);
    const kwh = issues.filter((i) => i.code === 'REF_INCONSISTENT_KWH');
    expect(kwh.map((i) => [i.details.item, i.details.value])).toEqual([['server-1', 1200]]);
    // Dangling references: Tablet → ghost-item (types.csv line 4), Old model → missing-item (line 6).
    expect(codes(issues.filter((i) => i.code.startsWith('REF_DANGLING')))).toEqual([
      'types.csv:4:REF_DANGLING_DEFAULT_ITEM',
      'correspondances.csv:6:REF_DANGLING_MATCHING',
    ]);
    // PowerEdge R640: the ACME row is ignored without an organisation, so is OTHER's.
    expect(referential.matchings.has('PowerEdge R640')).toBe(false);
    expect(
      mergeLayers([nee], { organisation: 'ACME' }).referential.matchings.get('PowerEdge R640')?.refItemTarget,
    ).toBe('server-1');
  });

  it('a higher layer overriding one row of an item gives that layer its item attributes', () => {
    const { referential, issues } = mergeLayers([
      layer('a', {
        factorRows: [
          factor('a', 'x', 1, { avgKWhPerYear: 10 }),
          factor('a', 'x', 1, { step: 'USE', avgKWhPerYear: 10 }),
        ],
      }),
      layer('b', { factorRows: [factor('b', 'x', 2, { avgKWhPerYear: 12 }, 3)] }),
    ]);
    expect(referential.items.get('x')!.avgKWhPerYear).toBe(12);
    expect(codes(issues)).toEqual(['b.csv:3:REF_INCONSISTENT_KWH']);
  });

  it('indexes item types by folded type and synonyms', () => {
    const { referential } = mergeLayers([
      layer('a', {
        itemTypes: [
          { type: 'Laptop', isServer: false, synonyms: ['Ordinateur portable', 'PC portable'], prov: prov('a') },
          { type: 'Monitor', isServer: false, synonyms: ['Laptop'], prov: prov('a') },
        ],
      }),
    ]);
    expect(referential.itemTypes.get('laptop')?.type).toBe('Laptop'); // own name beats Monitor's synonym
    expect(referential.itemTypes.get('ordinateur portable')?.type).toBe('Laptop');
    expect(referential.itemTypes.get('pc portable')?.type).toBe('Laptop');
    expect(referential.itemTypes.get('monitor')?.type).toBe('Monitor');
  });
});

describe('mergeLayers — electricity', () => {
  const embeddedMix = layer('embedded', {
    electricity: [
      mix('embedded', 'FR', 'ademe', 0.0519),
      mix('embedded', 'FR', 'ember', 0.04418),
      mix('embedded', 'DE', 'ember', 0.34206),
    ],
  });
  const userMix = layer('user', { electricity: [mix('user', 'FR', 'referential', 0.0813225)] });

  it('takes the highest layer when no dataset is requested', () => {
    const r = mergeLayers([embeddedMix, userMix]).referential;
    expect(r.electricity.get('FR')?.get('CLIMATE_CHANGE')?.valuePerKWh).toBe(0.0813225);
    expect(r.electricity.get('DE')?.get('CLIMATE_CHANGE')?.valuePerKWh).toBe(0.34206);
    // Within one layer and no preference, the first row listed wins.
    expect(mergeLayers([embeddedMix]).referential.electricity.get('FR')?.get('CLIMATE_CHANGE')?.dataset).toBe('ademe');
  });

  it('prefers the requested dataset where it exists for the location', () => {
    const ember = mergeLayers([embeddedMix, userMix], { electricityDataset: 'ember' }).referential;
    expect(ember.electricity.get('FR')?.get('CLIMATE_CHANGE')?.valuePerKWh).toBe(0.04418);
    const ademe = mergeLayers([embeddedMix, userMix], { electricityDataset: 'ademe' }).referential;
    expect(ademe.electricity.get('FR')?.get('CLIMATE_CHANGE')?.valuePerKWh).toBe(0.0519);
    expect(ademe.electricity.get('DE')?.get('CLIMATE_CHANGE')?.valuePerKWh).toBe(0.34206); // no ademe row for DE
  });
});

describe('mergeLayers — identity', () => {
  const base = layer('a', { factorRows: [factor('a', 'x', 1)] });

  it('gives identical content the same hash and different content a different one', () => {
    const h1 = mergeLayers([base]).referential.hash;
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(mergeLayers([layer('renamed', { factorRows: [factor('renamed', 'x', 1)] })]).referential.hash).toBe(h1);
    expect(mergeLayers([layer('a', { factorRows: [factor('a', 'x', 1.0001)] })]).referential.hash).not.toBe(h1);
    expect(mergeLayers([base, profileLayer('rcp')]).referential.hash).not.toBe(
      mergeLayers([base, profileLayer('numecoeval')]).referential.hash,
    );
  });

  it('records id, version and layers', () => {
    const r = mergeLayers([base, profileLayer('rcp')], { id: 'pack', version: '1.0.0' }).referential;
    expect(r).toMatchObject({ id: 'pack', version: '1.0.0', layers: [{ name: 'a' }, { name: 'profile:rcp' }] });
    const d = mergeLayers([base]).referential;
    expect(d.id).toBe('a');
    expect(d.version).toBe(`sha256:${d.hash.slice(0, 12)}`);
  });
});
