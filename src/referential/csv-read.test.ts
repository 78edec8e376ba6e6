import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EmpreinteError, type Issue } from '../issues/catalogue.js';
import { readReferential } from './csv-read.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/referential');
const codes = (issues: Issue[]) => issues.map((i) => `${i.file}:${i.line ?? ''}:${i.column ?? ''}:${i.code}`);

describe('readReferential — NumEcoEval folder', async () => {
  const { layer, issues } = await readReferential([join(FIX, 'numecoeval')], { layerName: 'user:numecoeval' });

  it('reports row-level errors and warnings with file, line and column', () => {
    expect(codes(issues).sort()).toEqual(
      [
        'correspondances.csv:5::REF_FIELD_COUNT', // 4 fields for a 3-column header
        'facteurs.csv:12:localisation:REF_UNKNOWN_LOCATION', // "Nowhere land", suffix ZZ unknown too
        'facteurs.csv:13:critere:REF_UNKNOWN_CRITERION',
        'facteurs.csv:14:etapeacv:REF_UNKNOWN_STEP',
        'facteurs.csv:15:valeur:REF_BAD_NUMBER',
        'facteurs.csv:16:unite:REF_UNKNOWN_ITEM_UNIT',
        'facteurs.csv:17:valeur:REF_NEGATIVE_VALUE',
        'hypotheses.csv:4:valeur:REF_HYPOTHESIS_INVALID',
        'types.csv:5:serveur:REF_BAD_BOOLEAN',
      ].sort(),
    );
    const fc = issues.find((i) => i.code === 'REF_FIELD_COUNT')!;
    expect(fc.details).toMatchObject({ expected: 3, found: 4 });
    expect(issues.find((i) => i.code === 'REF_UNKNOWN_CRITERION')!.details).toMatchObject({
      value: 'Unknown indicator',
    });
    expect(issues.find((i) => i.code === 'REF_UNKNOWN_STEP')!.details).toMatchObject({ value: 'RECYCLAGE' });
    expect(issues.find((i) => i.code === 'REF_BAD_NUMBER')!.details).toMatchObject({ field: 'valeur', value: 'abc' });
    expect(issues.find((i) => i.code === 'REF_UNKNOWN_ITEM_UNIT')!.details).toMatchObject({
      unit: 'Pallet',
      item: 'tv-2',
    });
  });

  it('reads criteria through aliases and accepts a criterion declared only in the folder', () => {
    expect(layer.criteria.map((c) => c.code)).toEqual([
      'CLIMATE_CHANGE',
      'RESOURCE_USE',
      'ACIDIFICATION',
      'PARTICULATE_MATTER',
      'IONISING_RADIATION',
      'Water scarcity',
    ]);
    expect(layer.criteria[0]).toMatchObject({ unit: 'kg CO2 eq', description: 'Greenhouse gases' });
    const water = layer.factorRows.find((r) => r.criterion === 'Water scarcity');
    expect(water).toMatchObject({ item: 'laptop-1', step: 'MANUFACTURING', value: 12 });
  });

  it('maps NumEcoEval step codes to canonical codes', () => {
    expect(layer.steps.map((s) => [s.code, s.label])).toEqual([
      ['MANUFACTURING', 'Fabrication'],
      ['DISTRIBUTION', 'Distribution'],
      ['USE', 'Utilisation'],
      ['END_OF_LIFE', 'Fin de vie'],
    ]);
  });

  it('reads hypotheses: `cle` alias, comma decimal, text values; rejects out-of-range ones', () => {
    expect(layer.hypotheses.map((h) => [h.code, h.value])).toEqual([
      ['PUEParDefaut', 1.6], // "1,6" with the ; delimiter
      ['dureeVieParDefaut', 3],
      ['modeCalcul', 'texte libre'],
    ]);
    expect(layer.hypotheses[0]!.prov).toMatchObject({ source: 'Test fixture', file: 'hypotheses.csv', line: 2 });
  });

  it('reads item types with booleans and NULL lifespans', () => {
    expect(layer.itemTypes.map((t) => [t.type, t.isServer, t.defaultLifespanYears, t.defaultRefItem])).toEqual([
      ['Laptop', false, 5, 'laptop-1'],
      ['Server', true, 7, 'server-1'], // serveur = oui
      ['Tablet', false, undefined, 'ghost-item'], // serveur = 0, dureeVieDefaut = NULL
    ]);
  });

  it('reads factor rows with item attributes, tiers and units', () => {
    const laptop = layer.factorRows.filter((r) => r.item === 'laptop-1' && r.criterion === 'CLIMATE_CHANGE');
    expect(laptop.map((r) => [r.step, r.value])).toEqual([
      ['MANUFACTURING', 150.5],
      ['DISTRIBUTION', 10],
      ['END_OF_LIFE', 2.5], // "Changement climatique" alias
    ]);
    expect(laptop[0]).toMatchObject({ tier: 'TERMINAL', unit: 'Item', avgKWhPerYear: 30, level: '2-Equipement' });
    expect(layer.factorRows.find((r) => r.item === 'fixed-line-1')).toMatchObject({ unit: 'Line', tier: 'NETWORK' });
    expect(layer.factorRows.find((r) => r.item === 'server-1')).toMatchObject({ tier: 'DATACENTER' });
    expect(layer.factorRows.find((r) => r.item === 'tv-2')).toMatchObject({ unit: 'Item', value: 300 }); // unknown unit
    expect(layer.factorRows.find((r) => r.item === 'tv-3')).toBeUndefined(); // negative factor: row refused (§3.5)
    expect(layer.factorRows.find((r) => r.item === 'tv-1')).toBeUndefined(); // bad number: row skipped
    expect(layer.factorRows.some((r) => r.item.startsWith('Electricity'))).toBe(false);
  });

  it('sends electricity-mix rows to electricity, location normalised, step ignored', () => {
    expect(layer.electricity.map((e) => [e.location, e.criterion, e.valuePerKWh, e.dataset])).toEqual([
      ['FR', 'CLIMATE_CHANGE', 0.0813225, 'referential'],
      ['FR', 'ACIDIFICATION', 0.000209809, 'referential'],
      ['KR', 'CLIMATE_CHANGE', 0.5, 'referential'], // no category: level 0-… and name "Electricity Mix …"
      ['nowhere land', 'CLIMATE_CHANGE', 0.7, 'referential'], // unknown: kept under its folded name
    ]);
    expect(layer.electricity[2]!.locationLabel).toBe('Korea, Republic of');
    expect(layer.electricity[0]!.prov).toMatchObject({ licence: 'ADEME terms', vintage: 'Base IMPACTS 2.01', line: 9 });
  });

  it('reads matchings, owners and a short last row', () => {
    expect(layer.matchings.map((m) => [m.modelSource, m.refItemTarget, m.owner])).toEqual([
      ['Latitude 5420', 'laptop-1', undefined],
      ['PowerEdge R640', 'server-1', 'ACME'],
      ['PowerEdge R640', 'laptop-1', 'OTHER'],
      ['Old model', 'missing-item', undefined], // 2 of 3 fields: nomOrganisation absent
    ]);
    expect(layer.matchings[1]!.prov.owner).toBe('ACME');
  });

  it('reads messaging factors', () => {
    expect(layer.messaging).toHaveLength(1);
    expect(layer.messaging[0]).toMatchObject({ criterion: 'CLIMATE_CHANGE', A: 0.00003, b: 0.0004 });
  });

  it('has no replace flag unless asked', () => {
    expect(layer.replace).toBeUndefined();
  });
});

describe('readReferential — G4IT snake_case folder', async () => {
  const { layer, issues } = await readReferential([join(FIX, 'g4it-snake')], { layerName: 'user:g4it' });

  it('ignores `id`, reads NULL as empty, loads the device-type table as item types', () => {
    expect(codes(issues)).toEqual([]);
    expect(
      layer.itemTypes.map((t) => [t.type, t.isServer, t.defaultLifespanYears, t.defaultRefItem, t.prov.source]),
    ).toEqual([
      ['laptop-3', false, 5, 'laptop-3', 'ADEME'], // the row's own `source` column
      ['Smartphone', false, 2, 'smartphone-2', 'ref_item_type.csv'],
      ['Server', true, 7, 'blade-server--28', 'ref_item_type.csv'],
    ]);
    expect(layer.factorRows[0]!.location).toBeUndefined();
    expect(layer.factorRows[0]!.prov.owner).toBeUndefined();
  });

  it('reads G4IT codes (TRANSPORTATION, USING) and subscriber as owner', () => {
    expect(layer.factorRows.map((r) => [r.item, r.step, r.value, r.prov.owner])).toEqual([
      ['smartphone-2', 'MANUFACTURING', 40, undefined],
      ['smartphone-2', 'DISTRIBUTION', 1.5, undefined],
      ['smartphone-2', 'USE', 0, undefined],
      ['blade-server--28', 'MANUFACTURING', 2226.1, undefined],
      ['blade-server--28', 'MANUFACTURING', 2000, 'ACME'],
    ]);
    expect(layer.steps.map((s) => s.code)).toEqual(['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE']);
    expect(layer.hypotheses.map((h) => [h.code, h.value, h.prov.owner])).toEqual([
      ['PUEParDefaut', 1.75, undefined],
      ['taux_utilisation_COPE', 0.8, undefined],
      ['PUEParDefaut', 1.4, 'ACME'],
    ]);
    expect(layer.criteria.map((c) => [c.code, c.unit])).toEqual([
      ['CLIMATE_CHANGE', 'kg CO2 eq'],
      ['ACIDIFICATION', 'mol H+ eq'],
    ]);
  });

  it('reads the G4IT electricity mix, matching items and the sustainable individual package', () => {
    expect(layer.electricity.map((e) => [e.location, e.valuePerKWh])).toEqual([['DE', 0.4]]);
    expect(layer.matchings.map((m) => [m.modelSource, m.refItemTarget])).toEqual([['Galaxy S21', 'smartphone-2']]);
    expect(layer.normalisation.map((n) => [n.criterion, n.perPersonPerYear])).toEqual([
      ['CLIMATE_CHANGE', 851.25],
      ['ACIDIFICATION', 125],
    ]);
  });
});

describe('readReferential — G4IT camelCase, quoted', async () => {
  const { layer, issues } = await readReferential([join(FIX, 'g4it-camel')], { layerName: 'user:camel' });
  it('reads camelCase headers and quoted cells', () => {
    expect(issues).toEqual([]);
    expect(layer.itemTypes.map((t) => [t.type, t.isServer, t.defaultLifespanYears, t.defaultRefItem])).toEqual([
      ['Monitor', false, 6, 'monitor-1'], // isServer "no"
      ['Switch', true, 5, undefined], // isServer "YES"
    ]);
    expect(layer.factorRows.map((r) => [r.step, r.criterion, r.value, r.avgKWhPerYear])).toEqual([
      ['MANUFACTURING', 'CLIMATE_CHANGE', 64.6, 73],
      ['MANUFACTURING', 'RESOURCE_USE', 0.0108, 73], // 1.08E-2
      ['END_OF_LIFE', 'CLIMATE_CHANGE', 3.95, 73],
    ]);
    expect(layer.matchings.map((m) => [m.modelSource, m.refItemTarget])).toEqual([['Dell P2422H', 'monitor-1']]);
  });
});

describe('readReferential — legacy NumEcoEval tables', async () => {
  const { layer, issues } = await readReferential([join(FIX, 'legacy')], { layerName: 'user:legacy' });
  it('reads legacy equipment types, impacts, mixes and network impacts', () => {
    expect(issues).toEqual([]);
    expect(layer.itemTypes.map((t) => [t.type, t.isServer, t.defaultLifespanYears, t.defaultRefItem])).toEqual([
      ['Desktop', false, 6, 'desktop-1'],
    ]);
    expect(layer.factorRows.map((r) => [r.item, r.step, r.criterion, r.value, r.unit, r.tier])).toEqual([
      ['desktop-1', 'MANUFACTURING', 'CLIMATE_CHANGE', 203, undefined, undefined],
      ['desktop-1', 'END_OF_LIFE', 'CLIMATE_CHANGE', 6.61, undefined, undefined],
      ['impactReseauMobileMoyen', 'USE', 'CLIMATE_CHANGE', 0.0246, 'GB', 'NETWORK'],
    ]);
    expect(layer.factorRows[0]!.avgKWhPerYear).toBe(153.3);
    // Espagne → ES by name; Zembla is unknown, its raccourcisAnglais DE is used.
    expect(layer.electricity.map((e) => [e.location, e.locationLabel, e.valuePerKWh])).toEqual([
      ['ES', 'Espagne', 0.15],
      ['DE', 'Zembla', 0.35],
    ]);
  });

  it('marks the tables read as replacing lower layers when asked', async () => {
    const r = await readReferential([join(FIX, 'legacy')], { layerName: 'user:legacy', replace: true });
    expect([...(r.layer.replace ?? [])].sort()).toEqual(['electricity', 'factorRows', 'itemTypes']);
  });
});

describe('readReferential — single files', () => {
  const one = (name: string) => readReferential([join(FIX, 'single', name)], { layerName: 'user:single' });

  it('refuses a file of unknown kind (file level)', async () => {
    const err = await one('unknown-kind.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmpreinteError);
    expect((err as EmpreinteError).issue).toMatchObject({
      code: 'REF_FILE_KIND_UNKNOWN',
      file: 'unknown-kind.csv',
      line: 1,
    });
  });

  it('refuses a factor file without its value column (file level)', async () => {
    const err = await one('missing-value.csv').catch((e: unknown) => e);
    expect((err as EmpreinteError).issue).toMatchObject({
      code: 'REF_HEADER_MISSING',
      file: 'missing-value.csv',
      details: { kind: 'characterisation factors', columns: 'valeur or value' },
    });
  });

  it('decodes Windows-1252', async () => {
    const { layer } = await one('cp1252-types.csv');
    // Bytes e0, e9, a0 in Windows-1252 are à, é and a no-break space.
    expect(layer.itemTypes[0]).toMatchObject({
      type: 'Ordinateur portable',
      comment: 'Ordinateur à écran 14\u00a0pouces',
    });
    expect(layer.itemTypes[0]!.prov.source).toBe('Données démo');
  });

  it('skips a UTF-8 BOM', async () => {
    const { layer } = await one('bom-criteria.csv');
    expect(layer.criteria.map((c) => [c.code, c.description])).toEqual([['CLIMATE_CHANGE', 'avec BOM']]);
  });

  it('accepts the comma delimiter; comma decimals are refused there', async () => {
    const { layer, issues } = await one('comma.csv');
    expect(layer.factorRows.map((r) => [r.step, r.value])).toEqual([['MANUFACTURING', 150.5]]);
    expect(codes(issues)).toEqual(['comma.csv:3:valeur:REF_BAD_NUMBER']);
  });

  it('refuses a criterion declared in no criteria file of the folder', async () => {
    const { layer, issues } = await one('undeclared-criterion.csv');
    expect(codes(issues)).toEqual(['undeclared-criterion.csv:2:critere:REF_UNKNOWN_CRITERION']);
    expect(layer.factorRows.map((r) => [r.criterion, r.value])).toEqual([['CLIMATE_CHANGE', 150]]); // gwp alias
  });
});
