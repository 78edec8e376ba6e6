/**
 * The `lifetime` lever on rows whose lifetime the engine works out (no fixed dureeUsageInterne): it extends the
 * lifetime L the engine retains for the row as it stands when the lever applies, so that L grows by addYears exactly
 * (the embodied steps scale by L/(L+N)), also when F3 adds a downstream life to it, for a row a replacement lever
 * created before it, and for two rows of the same name from two data sources. Referential built by hand
 * (test/helpers/referential.ts): lap = manufacturing 100 kg per unit, Laptop default lifetime 4 years; desk = 300 kg,
 * Desktop 5 years; no consumption (use 0), so each expected value is q × F × s / L. Then the scenario's rows: copies
 * with every field of the model, one key order for all (`uniformPhysical`).
 */
import { describe, expect, it } from 'vitest';
import type { AssessInput } from '../../../src/app/assess.js';
import { standardDeps } from '../../../src/app/deps.js';
import { pathSources } from '../../../src/app/sources.js';
import { copyPhysical, runScenario } from '../../../src/app/steering/scenario.js';
import { KIND_SPECS } from '../../../src/inventory/columns.js';
import type { PhysicalEquipment } from '../../../src/inventory/model.js';
import { climateRun, depsWith, inventoryDir } from '../../helpers/app.js';
import { testReferential } from '../../helpers/referential.js';

const ref = testReferential({
  items: {
    lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 } } },
    desk: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 300 } } },
  },
  types: { Laptop: { lifespan: 4, defaultItem: 'lap' }, Desktop: { lifespan: 5, defaultItem: 'desk' } },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});
const deps = depsWith(ref, '2025-06-30');

/** A campaign folder with these physical equipment lines (header first). */
const campaign = (lines: string[]) =>
  inventoryDir('empreinte-scenario-lifetime-', { 'equipements_physiques.csv': lines });
// F3 rule `line`: a row's own upstream and downstream lives.
const input = (dir: string, lifetimeMethod: 'FIXE' | 'REEL'): AssessInput => ({
  sources: pathSources([dir]),
  run: { ...climateRun(lifetimeMethod), refurbishedRule: 'line' },
});
const manufacturing = (t: { byCriterion: readonly { byStep: Readonly<Record<string, number>> }[] }) =>
  t.byCriterion[0]!.byStep['MANUFACTURING']!;

describe('the lifetime lever extends the lifetime the engine retains', () => {
  it('a downstream life (F3) is not counted twice: L = 4 + 0.5 × 2 = 5 becomes 6, not 7', async () => {
    const dir = await campaign([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageAval;tauxReemploi',
      'R1;;Laptop;2;France;2;0.5',
    ]);
    const o = await runScenario(deps, input(dir, 'FIXE'), {
      name: 'one more year',
      levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }],
    });
    // Baseline: 2 × 100 / (4 + 0.5 × 2) = 40; the lever makes the own duration 4 + 1 = 5, F3 adds 1 again: L = 6.
    expect(manufacturing(o.baseline.totals)).toBeCloseTo(40, 9);
    expect(manufacturing(o.result.totals)).toBeCloseTo(200 / 6, 9);
  });

  it('a row made by a replacement lever before it is extended from its new type’s lifetime', async () => {
    const dir = await campaign([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne',
      'L1;;Laptop;10;France;4',
      'D1;;Desktop;4;France;5',
    ]);
    const o = await runScenario(deps, input(dir, 'FIXE'), {
      name: 'half the desktops replaced, laptops kept one more year',
      levers: [
        { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
        { lifetime: { type: 'Laptop', addYears: 1 } },
      ],
    });
    // L1: 10 × 100 / (4 + 1) = 200; D1 kept half: 2 × 300 / 5 = 120; "D1 → Laptop": 2 laptops, default 4 + 1 years:
    // 2 × 100 / 5 = 40.
    expect(manufacturing(o.result.totals)).toBeCloseTo(200 + 120 + 40, 9);
    expect(o.result.totals.by['type']?.['Laptop']?.['CLIMATE_CHANGE']).toBeCloseTo(240, 9);
  });

  it('two rows of the same name from two data sources are each extended from their own lifetime', async () => {
    // In service at the reference date 2025-06-30, REEL, rcp: L = max(age, 4). A: bought 2015-06-30, age 3653 days;
    // B: bought 2024-06-30, age 1 year → 4. With the lever: A max(age, age + 1), B max(1, 5).
    const dir = await campaign([
      'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat;nomSourceDonnee;nomEntite',
      'X;;Laptop;1;France;2015-06-30;A;EA',
      'X;;Laptop;1;France;2024-06-30;B;EB',
    ]);
    const o = await runScenario(deps, input(dir, 'REEL'), {
      name: 'one more year',
      levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }],
    });
    const entity = (t: typeof o.result.totals, e: string) => t.by['entity']![e]!['CLIMATE_CHANGE']!;
    const ageA = 3653 / 365;
    // Each row's embodied value scales by L/(L+1), the period share s unchanged (bought before the period).
    expect(entity(o.result.totals, 'EA') / entity(o.baseline.totals, 'EA')).toBeCloseTo(ageA / (ageA + 1), 12);
    expect(entity(o.result.totals, 'EB') / entity(o.baseline.totals, 'EB')).toBeCloseTo(4 / 5, 12);
  });
});

describe('the scenario’s rows', () => {
  it('keep every field the engine reads: a lever that changes nothing gives the baseline to the bit', async () => {
    // examples/inventory fills most columns (dates, consumption, cores, usage, entity, datacenter…), the embedded
    // referential; a lifetime lever of 0 years copies every row of its type (`copyPhysical`) and changes no number.
    const types = ['Laptop', 'Desktop', 'Serveur', 'Écran', 'Smartphone', 'Tablette', 'Switch', 'Pare-feu'];
    const o = await runScenario(
      standardDeps(() => '2025-06-30'),
      { sources: pathSources(['examples/inventory']), run: { profile: 'rcp', lifetimeMethod: 'REEL' } },
      {
        name: 'nothing',
        levers: types.map((type) => ({ lifetime: { type, addYears: 0 } })),
      },
    );
    // The numbers (the out-of-period report names the purchase date, which the lever clears on a retired row).
    const numbers = (t: typeof o.result.totals) => JSON.stringify([t.byCriterion, t.by]);
    expect(numbers(o.result.totals)).toBe(numbers(o.baseline.totals));
    expect(o.baseline.totals.byCriterion[0]!.value).toBeGreaterThan(0);
  });

  it('a lever’s copies have every field of the row with the changes, absent fields undefined, keys in one order', () => {
    // Every field the reader can fill (the column catalogue's), plus the line's position, each a distinct value.
    const fields = [
      ...new Set(KIND_SPECS['physical-equipment'].columns.flatMap((c) => (c.field !== undefined ? [c.field] : []))),
      'at',
    ];
    const full = Object.fromEntries(fields.map((f, i) => [f, `v${i}`])) as unknown as PhysicalEquipment;
    const copy = copyPhysical(full, {});
    for (const f of fields) expect((copy as unknown as Record<string, unknown>)[f]).toBe(`v${fields.indexOf(f)}`);
    const sparse = copyPhysical(
      { name: 'a', type: 'Laptop', quantity: 1, model: 'M' },
      { quantity: 2, model: undefined },
    );
    expect(Object.keys(sparse)).toEqual(Object.keys(copy));
    expect(Object.entries(sparse).filter(([, v]) => v !== undefined)).toEqual([
      ['name', 'a'],
      ['type', 'Laptop'],
      ['quantity', 2],
    ]);
  });
});
