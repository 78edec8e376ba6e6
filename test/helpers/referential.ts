/**
 * Builds a small `Referential` by hand for engine tests, so that each test states the exact factors it uses
 * (independent of the CSV readers and the default pack).
 */
import { foldKey, type StepCode } from '../../src/referential/codes.js';
import { normaliseLocation } from '../../src/referential/countries.js';
import type {
  ElectricityFactor,
  Factor,
  ItemType,
  ReferenceItem,
  Referential,
  Tier,
} from '../../src/referential/model.js';

const prov = { source: 'test', layer: 'test' };

export interface TestItem {
  factors: Partial<Record<StepCode, Record<string, number>>>;
  kwh?: number;
  tier?: Tier;
  unit?: ReferenceItem['unit'];
}

export interface TestRef {
  items?: Record<string, TestItem>;
  types?: Record<
    string,
    { lifespan?: number; defaultItem?: string; isServer?: boolean; tier?: Tier; synonyms?: string[] }
  >;
  electricity?: Record<string, Record<string, number>>;
  hypotheses?: Record<string, number>;
  matchings?: Record<string, string>;
  messaging?: Record<string, { A: number; b: number }>;
  normalisation?: Record<string, number>;
  id?: string;
}

export function testReferential(t: TestRef): Referential {
  const items = new Map<string, ReferenceItem>();
  for (const [name, it] of Object.entries(t.items ?? {})) {
    const factors = new Map<string, Factor>();
    for (const [step, byCrit] of Object.entries(it.factors))
      for (const [c, v] of Object.entries(byCrit ?? {})) factors.set(`${step}|${c}`, { value: v, prov });
    const unit = it.unit ?? 'Item';
    items.set(name, {
      name,
      unit,
      amortised: unit === 'Item',
      factors,
      prov,
      ...(it.kwh !== undefined ? { avgKWhPerYear: it.kwh } : {}),
      ...(it.tier !== undefined ? { tier: it.tier } : {}),
    });
  }
  const itemTypes = new Map<string, ItemType>();
  for (const [type, d] of Object.entries(t.types ?? {})) {
    const it: ItemType = {
      type,
      isServer: d.isServer ?? false,
      prov,
      ...(d.lifespan !== undefined ? { defaultLifespanYears: d.lifespan } : {}),
      ...(d.defaultItem !== undefined ? { defaultRefItem: d.defaultItem } : {}),
      ...(d.tier !== undefined ? { tier: d.tier } : {}),
    };
    itemTypes.set(foldKey(type), it);
    for (const s of d.synonyms ?? []) itemTypes.set(foldKey(s), it);
  }
  const electricity = new Map<string, Map<string, ElectricityFactor>>();
  for (const [loc, byCrit] of Object.entries(t.electricity ?? {})) {
    const key = normaliseLocation(loc)?.key ?? foldKey(loc);
    const m = new Map<string, ElectricityFactor>();
    for (const [c, v] of Object.entries(byCrit))
      m.set(c, { location: key, locationLabel: loc, criterion: c, valuePerKWh: v, dataset: 'test', prov });
    electricity.set(key, m);
  }
  return {
    id: t.id ?? 'test',
    version: '1',
    layers: [{ name: 'test' }],
    hash: 'test-hash',
    criteria: new Map(),
    hypotheses: new Map(Object.entries(t.hypotheses ?? {}).map(([code, value]) => [code, { code, value, prov }])),
    itemTypes,
    items,
    electricity,
    matchings: new Map(
      Object.entries(t.matchings ?? {}).map(([m, target]) => [m, { modelSource: m, refItemTarget: target, prov }]),
    ),
    messaging: new Map(Object.entries(t.messaging ?? {}).map(([c, f]) => [c, { criterion: c, A: f.A, b: f.b, prov }])),
    normalisation: new Map(
      Object.entries(t.normalisation ?? {}).map(([c, v]) => [c, { criterion: c, perPersonPerYear: v, prov }]),
    ),
  };
}
