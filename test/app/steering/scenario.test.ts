/**
 * The scenario use case on a small inventory assessed with a referential built by hand (test/helpers/referential.ts),
 * so that every expected value is computed here from the factors stated below.
 *
 * Factors (CLIMATE_CHANGE, kg CO2 eq): lap = manufacturing 100, distribution 10, end of life 5 per unit, 20 kWh/yr;
 * desk = 300, 30, 15 per unit, 100 kWh/yr; electricity France 0.05 kg/kWh. Types: Laptop (default item lap, 4 years),
 * Desktop (default item desk, 5 years). Fixed lifetimes (`FIXE`): embodied = q × F / L, use = q × kWh × 0.05.
 */
import { describe, expect, it } from 'vitest';
import type { AssessInput } from '../../../src/app/assess.js';
import { pathSources } from '../../../src/app/sources.js';
import { runScenario } from '../../../src/app/steering/scenario.js';
import { SteeringError } from '../../../src/steering/errors.js';
import { climateRun, depsWith, inventoryDir } from '../../helpers/app.js';
import { embodiedItem, testReferential } from '../../helpers/referential.js';

const ref = testReferential({
  items: {
    lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5] }, 20),
    desk: embodiedItem({ CLIMATE_CHANGE: [300, 30, 15] }, 100),
  },
  types: { Laptop: { lifespan: 4, defaultItem: 'lap' }, Desktop: { lifespan: 5, defaultItem: 'desk' } },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});

const dir = await inventoryDir('empreinte-scenario-', {
  'equipements_physiques.csv': [
    'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne;statut',
    'L1;;Laptop;10;France;4;En service',
    'D1;;Desktop;4;France;5;En service',
    'OLD;;Laptop;3;France;4;En stock',
  ],
});

const deps = depsWith(ref, '2025-06-30');
const input: AssessInput = { sources: pathSources([dir]), run: climateRun('FIXE') };
const step = (
  t: { byCriterion: readonly { criterion: string; byStep: Readonly<Record<string, number>> }[] },
  s: string,
) => t.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.byStep[s];

describe('scenario use case', () => {
  it('baseline: the inventory as it is', async () => {
    const o = await runScenario(deps, input, {
      name: 'nothing',
      levers: [{ lifetime: { type: 'Desktop', addYears: 0 } }],
    });
    // manufacturing: L1 10 × 100 / 4 = 250; D1 4 × 300 / 5 = 240; OLD 3 × 100 / 4 = 75 → 565
    expect(step(o.baseline.totals, 'MANUFACTURING')).toBeCloseTo(565, 9);
    // use: L1 10 × 20 × 0.05 = 10; D1 4 × 100 × 0.05 = 20; OLD 3 × 20 × 0.05 = 3 → 33
    expect(step(o.baseline.totals, 'USE')).toBeCloseTo(33, 9);
    expect(o.delta.byCriterion[0]!.delta).toBe(0);
  });

  it('a lifetime lever scales the embodied steps of fixed-lifetime laptops by L/(L+N) = 4/5', async () => {
    const o = await runScenario(deps, input, {
      name: 'longer',
      levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }],
    });
    // laptops L1 + OLD: 13 units; embodied per step before 13 × F / 4, after 13 × F / 5
    // manufacturing: 13 × 100 / 4 = 325 → 13 × 100 / 5 = 260 (= 325 × 4/5), desktops unchanged 240
    expect(step(o.baseline.totals, 'MANUFACTURING')).toBeCloseTo(325 + 240, 9);
    expect(step(o.result.totals, 'MANUFACTURING')).toBeCloseTo(260 + 240, 9);
    // distribution: 13 × 10 / 4 = 32.5 → 26; desktops 4 × 30 / 5 = 24
    expect(step(o.result.totals, 'DISTRIBUTION')).toBeCloseTo(26 + 24, 9);
    // end of life: 13 × 5 / 4 = 16.25 → 13; desktops 4 × 15 / 5 = 12
    expect(step(o.result.totals, 'END_OF_LIFE')).toBeCloseTo(13 + 12, 9);
    // use does not depend on the lifetime
    expect(o.delta.byCriterion[0]!.byStep['USE']).toBeCloseTo(0, 12);
    // delta = −(325 − 260) − (32.5 − 26) − (16.25 − 13) = −65 − 6.5 − 3.25 = −74.75
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-74.75, 9);
    expect(o.delta.by['type']?.['Laptop']?.['CLIMATE_CHANGE']).toBeCloseTo(-74.75, 9);
  });

  it('a replacement lever moves exactly the replaced share of the desktops to laptops', async () => {
    const o = await runScenario(deps, input, {
      name: 'half',
      levers: [{ replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } }],
    });
    // removed: half of D1 = 2 desktops: (2 × 300 + 2 × 30 + 2 × 15) / 5 + 2 × 100 × 0.05 = 138 + 10 = 148
    // added: 2 laptops at the Laptop default lifetime 4: (2 × 100 + 2 × 10 + 2 × 5) / 4 + 2 × 20 × 0.05 = 57.5 + 2
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-148 + 59.5, 9);
    expect(o.delta.by['type']?.['Desktop']?.['CLIMATE_CHANGE']).toBeCloseTo(-148, 9);
    expect(o.delta.by['type']?.['Laptop']?.['CLIMATE_CHANGE']).toBeCloseTo(59.5, 9);
  });

  it('removing by status drops those items', async () => {
    const o = await runScenario(deps, input, { name: 'stock', levers: [{ removeByStatus: { status: 'En stock' } }] });
    // OLD: 3 × (100 + 10 + 5) / 4 + 3 × 20 × 0.05 = 86.25 + 3 = 89.25
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-89.25, 9);
  });

  it('a PUE lever changes the use step of the equipment in that datacenter only', async () => {
    const dc = await inventoryDir('empreinte-scenario-dc-', {
      'datacenters.csv': ['nomCourtDatacenter;nomLongDatacenter;pue;localisation', 'DC1;Salle 1;2;France'],
      'equipements_physiques.csv': [
        'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne;nomCourtDatacenter;consoElecAnnuelle',
        'S1;;Desktop;1;France;5;DC1;1000',
      ],
    });
    const o = await runScenario(
      deps,
      { ...input, sources: pathSources([dc]) },
      { name: 'pue', levers: [{ pue: { datacenter: 'DC1', value: 1.5 } }] },
    );
    // use: 1 × 1000 kWh × PUE 2 × 0.05 = 100 → 1 × 1000 × 1.5 × 0.05 = 75
    expect(step(o.baseline.totals, 'USE')).toBeCloseTo(100, 9);
    expect(step(o.result.totals, 'USE')).toBeCloseTo(75, 9);
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-25, 9);
  });

  it.each([
    [{ lifetime: { type: 'Tablet', addYears: 1 } }, 'STR_UNKNOWN_TYPE', 'levers.0.lifetime.type'],
    [{ replace: { from: 'Desktop', to: 'Laptop', share: 1.2 } }, 'STR_SHARE_RANGE', 'levers.0.replace.share'],
    [{ lifetime: { type: 'Laptop', addYears: -1 } }, 'STR_LIFETIME_NEGATIVE', 'levers.0.lifetime.addYears'],
  ])('bad lever %j: %s at %s, nothing assessed', async (lever, code, path) => {
    const err = await runScenario(deps, input, { name: 'bad', levers: [lever] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SteeringError);
    expect(err).toMatchObject({ code, path });
  });
});

describe('scenario levers: period share, synonyms, a country mix', () => {
  const synRef = testReferential({
    items: {
      lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5] }, 20),
    },
    types: { Laptop: { lifespan: 4, defaultItem: 'lap', synonyms: ['Ordinateur portable'] } },
    electricity: { France: { CLIMATE_CHANGE: 0.05 }, Germany: { CLIMATE_CHANGE: 0.4 } },
  });
  const synDeps = depsWith(synRef, '2025-06-30');
  const write = async (lines: string[]) =>
    pathSources([await inventoryDir('empreinte-scenario-lev-', { 'equipements_physiques.csv': lines })]);
  const real: AssessInput['run'] = { ...climateRun('REEL'), referenceDate: '2025-12-31' };
  const manuf = (t: Parameters<typeof step>[0]) => step(t, 'MANUFACTURING');

  it('an item bought during the period keeps its share of the period when its lifetime is extended', async () => {
    const sources = await write([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat',
      'NEW;;Laptop;10;France;2025-07-01',
    ]);
    const o = await runScenario(
      synDeps,
      { sources, run: real },
      { name: 'l', levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] },
    );
    // Period 2025 (365 days); bought 1 July: 1 July–31 December = 184 days, s = 184/365. Age at 31 December 183/365
    // years < 4 (type default) → L = 4, then 5 with the lever (max(age, 4 + 1)).
    const s = 184 / 365;
    expect(manuf(o.baseline.totals)).toBeCloseTo((10 * 100 * s) / 4, 9); // 126.0274
    expect(manuf(o.result.totals)).toBeCloseTo((10 * 100 * s) / 5, 9); // 100.8219, not 10 × 100 / 5 = 200
    // use does not depend on the lifetime: 10 × 20 kWh × s × 0.05 both sides
    expect(step(o.result.totals, 'USE')).toBeCloseTo(10 * 20 * s * 0.05, 9);
    expect(o.notes).toBeUndefined();
  });

  it('a retired item bought before the period keeps its share; one dated inside the period is left and noted', async () => {
    const sources = await write([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat;dateRetrait',
      'OLD;;Laptop;2;France;2020-01-01;2025-03-31',
      'SHORT;;Laptop;1;France;2025-02-01;2025-10-31',
    ]);
    const o = await runScenario(
      synDeps,
      { sources, run: real },
      { name: 'l', levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] },
    );
    // OLD: L = days 2020-01-01 → 2025-03-31 = 366 + 365 + 365 + 365 + 366 + 89 = 1916 days / 365; s = 90/365
    // (1 January–31 March). SHORT: 272 days / 365 = 0.745 years, floored to the 1-year minimum (F2
    // dureeVieMinimale); s = 273/365 (1 February–31 October, both counted).
    const lOld = 1916 / 365;
    const lShort = 1;
    const oldBefore = (2 * 100 * (90 / 365)) / lOld;
    const shortPart = (1 * 100 * (273 / 365)) / lShort;
    expect(manuf(o.baseline.totals)).toBeCloseTo(oldBefore + shortPart, 9);
    expect(manuf(o.result.totals)).toBeCloseTo((2 * 100 * (90 / 365)) / (lOld + 1) + shortPart, 9);
    expect(o.notes).toEqual([expect.objectContaining({ lever: 'levers.0.lifetime', row: 'SHORT' })]);
  });

  it('a lever names a type by a synonym of the inventory type, and the other way round', async () => {
    const sources = await write([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne',
      'P1;;Ordinateur portable;8;France;4',
    ]);
    const fixe = { sources, run: { ...real, lifetimeMethod: 'FIXE' as const } };
    const a = await runScenario(synDeps, fixe, { name: 'en', levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] });
    const b = await runScenario(synDeps, fixe, {
      name: 'fr',
      levers: [{ lifetime: { type: 'ordinateur PORTABLE', addYears: 1 } }],
    });
    // 8 × 100 / 4 = 200 → 8 × 100 / 5 = 160
    expect(manuf(a.baseline.totals)).toBeCloseTo(200, 9);
    expect(manuf(a.result.totals)).toBeCloseTo(160, 9);
    expect(manuf(b.result.totals)).toBeCloseTo(160, 9);
  });

  it("an electricity lever sets one country's mix (a green contract) and leaves the others", async () => {
    const sources = await write([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne',
      'FR1;;Laptop;10;France;4',
      'DE1;;Laptop;5;Germany;4',
    ]);
    const o = await runScenario(
      synDeps,
      { sources, run: { ...real, lifetimeMethod: 'FIXE' } },
      { name: 'green', levers: [{ electricity: { country: 'FR', value: 0.01 } }] },
    );
    // use: France 10 × 20 × 0.05 = 10 → 10 × 20 × 0.01 = 2; Germany 5 × 20 × 0.4 = 40 both sides
    expect(step(o.baseline.totals, 'USE')).toBeCloseTo(50, 9);
    expect(step(o.result.totals, 'USE')).toBeCloseTo(42, 9);
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-8, 9);
    expect(manuf(o.result.totals)).toBeCloseTo(manuf(o.baseline.totals)!, 12);
  });

  it.each([
    [{ electricity: { country: 'Atlantis', value: 0.01 } }, 'STR_UNKNOWN_COUNTRY', 'levers.0.electricity.country'],
    [{ electricity: { country: 'France' } }, 'STR_LEVER_SHAPE', 'levers.0.electricity.value'],
    [{ electricity: { dataset: 'ember', value: 0.1 } }, 'STR_LEVER_SHAPE', 'levers.0.electricity.value'],
  ])('bad electricity lever %j: %s at %s', async (lever, code, path) => {
    const sources = await write(['nomEquipementPhysique;modele;type;quantite;paysDUtilisation', 'A;;Laptop;1;France']);
    const err = await runScenario(synDeps, { sources, run: real }, { name: 'bad', levers: [lever] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SteeringError);
    expect(err).toMatchObject({ code, path });
  });
});
