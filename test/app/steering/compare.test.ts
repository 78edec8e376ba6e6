/**
 * The compare use case: a hand-worked comparison on a referential built by hand, and a property test — on random
 * inventory pairs, the F22 effects sum to the change of the totals to 1e-9.
 *
 * Factors (CLIMATE_CHANGE, kg CO2 eq): lap = manufacturing 100, distribution 10, end of life 5 per unit, 20 kWh/yr;
 * desk = 300, 30, 15, 100 kWh/yr; electricity France 0.05, Germany 0.4 kg/kWh. Fixed lifetimes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssessInput } from '../../../src/app/assess.js';
import { standardDeps, type AppDeps } from '../../../src/app/deps.js';
import { pathSources } from '../../../src/app/sources.js';
import { compareCampaigns, compareLoaded } from '../../../src/app/steering/compare.js';
import type { LoadedCampaign } from '../../../src/app/steering/scenario.js';
import type { RunContext } from '../../../src/engine/index.js';
import type { PhysicalEquipment } from '../../../src/inventory/model.js';
import { EFFECTS } from '../../../src/steering/lmdi.js';
import { climateRun, depsWith, inventoryDir } from '../../helpers/app.js';
import { embodiedItem, testReferential } from '../../helpers/referential.js';

const ref = testReferential({
  items: {
    lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5], ACIDIFICATION: [0.5, 0.05, 0.01] }, 20),
    desk: embodiedItem({ CLIMATE_CHANGE: [300, 30, 15], ACIDIFICATION: [1.5, 0.1, 0.02] }, 100),
  },
  types: { Laptop: { lifespan: 4, defaultItem: 'lap' }, Desktop: { lifespan: 5, defaultItem: 'desk' } },
  electricity: {
    France: { CLIMATE_CHANGE: 0.05, ACIDIFICATION: 0.0002 },
    Germany: { CLIMATE_CHANGE: 0.4, ACIDIFICATION: 0.001 },
  },
});

const deps = depsWith(ref, '2025-06-30');
const run = climateRun('FIXE');

async function inventory(lines: string[]): Promise<AssessInput> {
  const dir = await inventoryDir('empreinte-compare-', {
    'equipements_physiques.csv': [
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne',
      ...lines,
    ],
  });
  return { sources: pathSources([dir]), run };
}

describe('compare use case, worked by hand', async () => {
  // 2024: 10 laptops kept 4 years, 4 desktops, 3 old laptops. 2025: 12 laptops kept 5 years, the same desktops now in
  // Germany, the old laptops gone, 2 new desktops.
  const before = await inventory(['L1;;Laptop;10;France;4', 'D1;;Desktop;4;France;5', 'OLD;;Laptop;3;France;4']);
  const after = await inventory(['L1;;Laptop;12;France;5', 'D1;;Desktop;4;Germany;5', 'NEW;;Desktop;2;France;5']);
  const o = await compareCampaigns(deps, before, after);
  const c = o.decomposition.find((x) => x.criterion === 'CLIMATE_CHANGE')!;

  it('totals and delta', () => {
    // before: L1 (1000 + 100 + 50) / 4 + 10 × 20 × 0.05 = 287.5 + 10 = 297.5
    //         D1 (1200 + 120 + 60) / 5 + 4 × 100 × 0.05 = 276 + 20 = 296
    //         OLD (300 + 30 + 15) / 4 + 3 × 20 × 0.05 = 86.25 + 3 = 89.25       → 682.75
    // after:  L1 (1200 + 120 + 60) / 5 + 12 × 20 × 0.05 = 276 + 12 = 288
    //         D1 276 + 4 × 100 × 0.4 = 276 + 160 = 436
    //         NEW (600 + 60 + 30) / 5 + 2 × 100 × 0.05 = 138 + 10 = 148          → 872
    expect(o.delta.byCriterion[0]).toMatchObject({ criterion: 'CLIMATE_CHANGE' });
    expect(o.delta.byCriterion[0]!.before).toBeCloseTo(682.75, 9);
    expect(o.delta.byCriterion[0]!.after).toBeCloseTo(872, 9);
    expect(c.change).toBeCloseTo(872 - 682.75, 9);
  });

  it('the inventory diff matches items by natural key', () => {
    expect(o.inventory.added).toEqual([{ kind: 'physical-equipment', label: 'NEW', quantity: 2 }]);
    expect(o.inventory.removed).toEqual([{ kind: 'physical-equipment', label: 'OLD', quantity: 3 }]);
    expect(o.inventory.changed).toEqual([
      {
        kind: 'physical-equipment',
        label: 'L1',
        quantityBefore: 10,
        quantityAfter: 12,
        fields: ['internalLifeYears', 'quantity'],
      },
      { kind: 'physical-equipment', label: 'D1', quantityBefore: 4, quantityAfter: 4, fields: ['country'] },
    ]);
  });

  it('the F22 effects, by hand', () => {
    // scope: +148 (NEW) − 89.25 (OLD) = 58.75
    expect(c.effects.scope).toBeCloseTo(58.75, 9);
    // L1 embodied, per step V0 = 10 F / 4, V1 = 12 F / 5: fleet = Lm × ln(12/10), lifetime = −Lm × ln(5/4); summed
    // over the three steps (F = 100, 10, 5: V0 = 250, 25, 12.5; V1 = 240, 24, 12) with Lm(a, b) = (a − b)/ln(a/b).
    const lm = (a: number, b: number) => (a - b) / Math.log(a / b);
    const emb = [
      [240, 250],
      [24, 25],
      [12, 12.5],
    ] as const;
    const fleetEmb = emb.reduce((s, [a, b]) => s + lm(a, b) * Math.log(12 / 10), 0);
    const lifetime = emb.reduce((s, [a, b]) => s - lm(a, b) * Math.log(5 / 4), 0);
    // L1 use: 10 → 12 (q only): the fleet effect is the whole change 12 − 10 = 2
    expect(c.effects.fleet).toBeCloseTo(fleetEmb + 2, 9);
    expect(c.effects.lifetime).toBeCloseTo(lifetime, 9);
    // D1 use: M 0.05 → 0.4, 20 → 160: electricity mix = the whole change 140
    expect(c.effects.electricityMix).toBeCloseTo(140, 9);
    // fleetEmb + lifetime = (240 + 24 + 12) − (250 + 25 + 12.5) = −11.5; total = 58.75 − 11.5 + 2 + 140 = 189.25
    expect(c.referenceData).toBe(0);
    expect(EFFECTS.reduce((s, e) => s + c.effects[e], 0)).toBeCloseTo(189.25, 9);
    expect(o.unfactored).toBe(0);
  });
});

describe('compare: the effects sum to the change (property)', () => {
  const ctx: RunContext = {
    profile: 'rcp',
    referenceDate: '2025-06-30',
    lifetimeMethod: 'FIXE',
    criteria: ['CLIMATE_CHANGE', 'ACIDIFICATION'],
    steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
  };
  const campaign = (physical: PhysicalEquipment[]): LoadedCampaign => ({
    referential: ref,
    ctx,
    inventory: { datacenters: [], entities: [], physical, virtual: [], applications: [], nonIt: [], messaging: [] },
    files: [],
    typeNames: ['Desktop', 'Laptop'],
  });
  const item = fc.record({
    type: fc.constantFrom('Laptop', 'Desktop'),
    quantity: fc.double({ min: 0.5, max: 500, noNaN: true }),
    country: fc.constantFrom('France', 'Germany'),
    internalLifeYears: fc.double({ min: 1, max: 12, noNaN: true }),
    annualKWh: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 2000, noNaN: true })),
  });
  const side = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), item);

  it('|referenceData + Σ effects − (after − before)| ≤ 1e-9 × max(before, after), every criterion', () => {
    fc.assert(
      fc.property(side, side, (b, a) => {
        const toItems = (d: Record<string, Omit<PhysicalEquipment, 'name'>>) =>
          Object.entries(d).map(([name, x]) => ({ name, ...x }));
        const o = compareLoaded(campaign(toItems(b)), campaign(toItems(a)));
        // every indicator of an item in both campaigns is split into factors (none left to the scope effect)
        expect(o.unfactored).toBe(0);
        for (const d of o.delta.byCriterion) {
          const c = o.decomposition.find((x) => x.criterion === d.criterion);
          const explained = c === undefined ? 0 : c.referenceData + EFFECTS.reduce((s, e) => s + c.effects[e], 0);
          const tol = 1e-9 * Math.max(Math.abs(d.before), Math.abs(d.after), 1);
          expect(Math.abs(explained - d.delta)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});

describe('compare across referential versions: the reference-data effect apart (F22)', () => {
  // v1: lap manufacturing 100 kg; v2: 80 kg. Both: Laptop 4 years (FIXE), 20 kWh/yr, France 0.05 kg/kWh.
  const version = (manufacturing: number, id: string) =>
    testReferential({
      id,
      items: { lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: manufacturing } }, kwh: 20 } },
      types: { Laptop: { lifespan: 4, defaultItem: 'lap' } },
      electricity: { France: { CLIMATE_CHANGE: 0.05 } },
    });
  const v1 = { ...version(100, 'v1'), hash: 'aaaaaaaa11111111' };
  const v2 = { ...version(80, 'v2'), hash: 'bbbbbbbb22222222' };
  const versions: AppDeps = {
    ...standardDeps(() => '2025-06-30'),
    loadReferential: async (o) => ({ referential: o.referential?.[0] === 'v1' ? v1 : v2, issues: [] }),
  };
  const campaign = async (quantity: number) => {
    const d = await inventoryDir('empreinte-compare-ref-', {
      'equipements_physiques.csv': [
        'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne',
        `L1;;Laptop;${quantity};France;4`,
      ],
    });
    return pathSources([d]);
  };

  it('same inventory, new factor: the whole change is reference data', async () => {
    const s = await campaign(10);
    const o = await compareCampaigns(
      versions,
      { sources: s, run, referentials: ['v1'] },
      { sources: s, run, referentials: ['v2'] },
    );
    const c = o.decomposition.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    // manufacturing 10 × 100 / 4 = 250 → 10 × 80 / 4 = 200; use 10 × 20 × 0.05 = 10 both
    expect(c.before).toBeCloseTo(260, 9);
    expect(c.recomputedBefore).toBeCloseTo(210, 9);
    expect(c.referenceData).toBeCloseTo(-50, 9);
    for (const e of EFFECTS) expect(c.effects[e]).toBeCloseTo(0, 9);
    expect(o.recomputedBefore?.totals.byCriterion[0]!.value).toBeCloseTo(210, 9);
  });

  it('new factor and more laptops: reference data −50, fleet +42, summing to the change −8', async () => {
    const o = await compareCampaigns(
      versions,
      { sources: await campaign(10), run, referentials: ['v1'] },
      { sources: await campaign(12), run, referentials: ['v2'] },
    );
    const c = o.decomposition.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    // before (v1) 250 + 10 = 260; 0′ (v2) 200 + 10 = 210; after (v2) 12 × 80 / 4 = 240 + 12 × 20 × 0.05 = 12 → 252
    expect(c.change).toBeCloseTo(-8, 9);
    expect(c.referenceData).toBeCloseTo(-50, 9);
    expect(c.effects.fleet).toBeCloseTo(42, 9);
    expect(c.referenceData + EFFECTS.reduce((x, e) => x + c.effects[e], 0)).toBeCloseTo(-8, 9);
    expect(o.delta.byCriterion[0]!.delta).toBeCloseTo(-8, 9);
  });

  it('one referential: no recomputation, reference data 0', async () => {
    const o = await compareCampaigns(
      versions,
      { sources: await campaign(10), run, referentials: ['v2'] },
      { sources: await campaign(12), run, referentials: ['v2'] },
    );
    expect(o.recomputedBefore).toBeUndefined();
    expect(o.decomposition[0]!.referenceData).toBe(0);
  });
});
