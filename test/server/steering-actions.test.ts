/**
 * The lever → effect table of the action plan (LEVER_EFFECTS, docs/steering.md): each lever, applied alone to the
 * example inventory by the scenario use case's `applyToCampaign`, is decomposed against the inventory as it is by the
 * compare use case (F22). The effects it moves must be among those the table names, and those effects must add up to
 * the whole change — so the saving an action measures with them is the lever's whole effect.
 *
 * Not covered here (and why): the electricity lever changes the run's referential (a dataset), which the compare of
 * one referential cannot see (it shows as the reference-data effect between stored campaigns); cloud regions need
 * cloud instances, which the example inventory has none of.
 */
import { describe, expect, it } from 'vitest';
import { standardDeps } from '../../src/app/deps.js';
import { compareLoaded } from '../../src/app/steering/compare.js';
import { applyToCampaign, loadCampaign } from '../../src/app/steering/scenario.js';
import { effectsFor, LEVER_EFFECTS } from '../../src/server/usecases/steering-actions.js';
import { EFFECTS } from '../../src/steering/lmdi.js';
import { parseScenario, type LeverName } from '../../src/steering/scenario-schema.js';

const deps = standardDeps(() => '2025-12-31');
const input = {
  sources: [{ path: 'examples/inventory' }],
  run: { profile: 'rcp', referenceDate: '2025-12-31', lifetimeMethod: 'REEL', refurbishedRule: 'category' },
} as const;
const campaign = await loadCampaign(deps, input);
const vocabulary = {
  types: [...new Set([...campaign.typeNames, ...campaign.inventory.physical.map((p) => p.type)])],
  statuses: [...new Set(campaign.inventory.physical.flatMap((p) => (p.status === undefined ? [] : [p.status])))],
  datacenters: campaign.inventory.datacenters.map((d) => d.name),
};

const LEVERS: readonly [LeverName, object][] = [
  ['lifetime', { lifetime: { type: 'Laptop', addYears: 1 } }],
  ['refurbished', { refurbished: { type: 'Laptop', share: 0.5, upstreamYears: 3 } }],
  ['replace', { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } }],
  ['devicesPerAgent', { devicesPerAgent: { type: 'Monitor', value: 1 } }],
  ['removeByStatus', { removeByStatus: { status: 'En service' } }],
  ['pue', { pue: { value: 1.2 } }],
];

describe('lever → effects of the decomposition', () => {
  it.each(LEVERS)('%s moves only the effects the table names, and they make the whole change', (name, lever) => {
    const scenario = parseScenario({ name, levers: [lever] }, vocabulary);
    const o = compareLoaded(campaign, {
      ...campaign,
      inventory: { ...campaign.inventory, ...applyToCampaign(campaign, scenario).inventory },
    });
    const cc = o.decomposition.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(Math.abs(cc.change)).toBeGreaterThan(1); // the lever does something on this inventory
    const moved = EFFECTS.filter((e) => Math.abs(cc.effects[e]) > 1e-9 * Math.abs(cc.change));
    expect(moved.filter((e) => !LEVER_EFFECTS[name].includes(e))).toEqual([]);
    const named = LEVER_EFFECTS[name].reduce((s, e) => s + cc.effects[e], 0);
    expect(Math.abs(named - cc.change)).toBeLessThanOrEqual(1e-9 * Math.abs(cc.change));
  });

  it('an action’s levers name their effects once, in the table’s order, and say how they matched', () => {
    expect(effectsFor([{ lifetime: {} }, { refurbished: {} }, { pue: {} }])).toEqual({
      effects: ['lifetime', 'pue'],
      match: 'lifetime → lifetime; refurbished → lifetime; pue → pue',
    });
    expect(effectsFor([{ cloudRegion: {} }])).toEqual({
      effects: ['electricityMix', 'pue'],
      match: 'cloudRegion → electricityMix + pue',
    });
    expect(effectsFor([])).toEqual({ effects: [], match: 'no lever matched an effect' });
  });
});
