/**
 * F21 ranges from the engine's indicators, on inventories assessed with a referential built by hand: the factor sums
 * and the closed-form variance worked out here from the spec (σ = ln(1 + u), Var(M) = (e^{σ²} − 1)·e^{σ²}, activity
 * u_q² · Σ v²), the nominal value equal to `assess`'s total, and a change of zero width between identical campaigns.
 *
 * Referential: lap manufacturing 100 kg/unit, 20 kWh/yr; Laptop 4 years; France 0.05 kg/kWh. FIXE lifetimes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../../src/app/assess.js';
import { standardDeps } from '../../../src/app/deps.js';
import { memorySink } from '../../../src/app/sinks/memory.js';
import { pathSources } from '../../../src/app/sources.js';
import { assessWithUncertainty } from '../../../src/app/steering/assess-uncertainty.js';
import { compareCampaigns } from '../../../src/app/steering/compare.js';
import { runScenario } from '../../../src/app/steering/scenario.js';
import { isCounted } from '../../../src/app/steering/run-items.js';
import { rangesOf, seedOf, sumsOf, UncertaintyAccumulator } from '../../../src/app/steering/uncertainty.js';
import { countedIndicators } from '../../../src/app/steering/counted.js';
import { loadCampaign } from '../../../src/app/steering/scenario.js';
import type { AssessSink } from '../../../src/app/sink.js';
import type { Layout } from '../../../src/engine/layout.js';
import { climateRun, depsWith, inventoryDir } from '../../helpers/app.js';
import { testReferential } from '../../helpers/referential.js';

const ref = testReferential({
  items: { lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 } }, kwh: 20 } },
  types: { Laptop: { lifespan: 4, defaultItem: 'lap' } },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});
const deps = depsWith(ref, '2025-06-30');
const dir = await inventoryDir('empreinte-unc-', {
  'equipements_physiques.csv': [
    'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne;qualite',
    'A;;Laptop;10;France;4;HAUTE',
    'B;;Laptop;4;France;4;BASSE',
  ],
});
const input: AssessInput = { sources: pathSources([dir]), run: climateRun('FIXE') };
const varM = (u: number) => {
  const s2 = Math.log(1 + u) ** 2;
  return (Math.exp(s2) - 1) * Math.exp(s2);
};

describe('uncertainty ranges (F21)', () => {
  it('factor sums, closed-form variance and the dominant factors, by hand', async () => {
    const r = await assessWithUncertainty(deps, input);
    const c = r.uncertainty.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    // manufacturing factor of lap: A 10 × 100 / 4 = 250, B 4 × 100 / 4 = 100 → S = 350 (u 0.3)
    // French mix: A 10 × 20 × 0.05 = 10, B 4 × 20 × 0.05 = 4 → S = 14 (u 0.1)
    expect(c.range.nominal).toBeCloseTo(364, 9);
    // activity: A (HAUTE, 0.05) value 260, B (BASSE, 0.5) value 104
    const activity = 0.05 ** 2 * 260 ** 2 + 0.5 ** 2 * 104 ** 2;
    expect(c.range.activityVariance).toBeCloseTo(activity, 6);
    expect(c.range.variance).toBeCloseTo(350 ** 2 * varM(0.3) + 14 ** 2 * varM(0.1) + activity, 6);
    expect(c.range.topFactors.map((f) => [f.id, f.sum])).toEqual([
      ['item:lap|MANUFACTURING|CLIMATE_CHANGE', 350],
      ['elec:France|CLIMATE_CHANGE', 14],
    ]);
    expect(c.range.p5).toBeLessThan(364);
    expect(c.range.p95).toBeGreaterThan(364);
    // reproducible: the same run gives the same range
    const again = await assessWithUncertainty(deps, input);
    expect(again.uncertainty).toEqual(r.uncertainty);
  });

  it('the nominal value is the total of assess', async () => {
    const full = await assess(deps, input, memorySink({ rows: false }));
    const r = await assessWithUncertainty(deps, input);
    expect(r.totals).toEqual(full.totals);
    expect(r.uncertainty[0]!.range.nominal).toBeCloseTo(full.totals.byCriterion[0]!.value, 9);
  });

  it('compare: identical campaigns give a change of zero width; scenario deltas carry their range on request', async () => {
    const same = await compareCampaigns(deps, input, input);
    const c = same.uncertainty!.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    expect([c.range.nominal, c.range.p5, c.range.p95]).toEqual([0, 0, 0]);
    const o = await runScenario(
      deps,
      input,
      { name: 'l', levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] },
      {
        uncertainty: true,
      },
    );
    // Only the manufacturing factor's sum moves: 350 → 280 (L 4 → 5); no activity data changed but the values of
    // A and B (−50 and −20): the delta's range is the factor term (−70)² Var(M) + the activity term of the change.
    const d = o.uncertainty!.find((x) => x.criterion === 'CLIMATE_CHANGE')!;
    expect(d.range.nominal).toBeCloseTo(-70, 9);
    const activity = 0.05 ** 2 * 50 ** 2 + 0.5 ** 2 * 20 ** 2;
    expect(d.range.variance).toBeCloseTo(70 ** 2 * varM(0.3) + activity, 6);
    expect(d.range.p5).toBeLessThan(-70);
    expect(d.range.p95).toBeGreaterThan(-70);
    const none = await runScenario(deps, input, { name: 'l', levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }] });
    expect(none.uncertainty).toBeUndefined();
  });

  it('two items of the same name from two data sources are two items of the activity term', async () => {
    // Lenient mode keys physical equipment by name and data source: A/x and A/y are two items (two lines, two
    // results), each with its own activity error. A/x: 10 × 100 / 4 + 10 × 20 × 0.05 = 260; A/y: 4 × 25 + 4 = 104.
    // A/x's model matches no reference item: it is on its type's default item (lap), A/y names no model.
    const two = await inventoryDir('empreinte-unc-', {
      'equipements_physiques.csv': [
        'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dureeUsageInterne;qualite;nomSourceDonnee',
        'A;Z-9;Laptop;10;France;4;BASSE;x',
        'A;;Laptop;4;France;4;BASSE;y',
      ],
    });
    const loaded = await loadCampaign(deps, { ...input, sources: pathSources([two]) });
    const c = sumsOf(countedIndicators(loaded)).get('CLIMATE_CHANGE')!;
    expect([...c.classes]).toEqual([['LOW', { sumOfSquares: 260 ** 2 + 104 ** 2, items: 2, value: 364 }]]);
    expect(c.factors.get('item:lap|MANUFACTURING|CLIMATE_CHANGE')).toEqual({
      sum: 350,
      u: 0.3,
      items: 2,
      onDefaultItem: 1,
    });
    expect(c.factors.get('elec:France|CLIMATE_CHANGE')).toEqual({ sum: 14, u: 0.1, items: 2, onDefaultItem: 1 });
  });

  it('the accumulator fed by the streaming assess gives the ranges of assess --uncertainty, to the bit', async () => {
    // What the server's assessment job does: every counted result of its engine pass into the accumulator, then the
    // draws. The example inventory has hosts, virtual machines and applications (allocations, not counted), entities.
    const example: AssessInput = {
      sources: pathSources([join(import.meta.dirname, '../../../examples/inventory')]),
      run: { profile: 'rcp', referenceDate: '2025-06-30', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
    };
    const std = standardDeps(() => '2025-06-30');
    let acc: UncertaintyAccumulator | undefined;
    const sink: AssessSink = {
      rows: true,
      begin: (_meta, layout?: Layout) => {
        acc = new UncertaintyAccumulator(layout!);
      },
      item: (r) => {
        if (isCounted(r)) acc!.add(r);
      },
      totals: () => undefined,
      close: async () => undefined,
      abort: async () => undefined,
    };
    const { meta } = await assess(std, { ...example, trace: false }, sink);
    const cli = await assessWithUncertainty(std, example);
    expect(cli.uncertainty.length).toBeGreaterThan(4);
    expect(rangesOf(acc!.sums(), seedOf(meta))).toEqual(cli.uncertainty);
  });
});
