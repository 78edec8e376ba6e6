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

/** An item with each criterion's MANUFACTURING, DISTRIBUTION and END_OF_LIFE factors, in that order, and its kWh/yr. */
export function embodiedItem(byCriterion: Record<string, readonly [number, number, number]>, kwh?: number): TestItem {
  const factors: Record<'MANUFACTURING' | 'DISTRIBUTION' | 'END_OF_LIFE', Record<string, number>> = {
    MANUFACTURING: {},
    DISTRIBUTION: {},
    END_OF_LIFE: {},
  };
  for (const [c, [m, d, e]] of Object.entries(byCriterion)) {
    factors.MANUFACTURING[c] = m;
    factors.DISTRIBUTION[c] = d;
    factors.END_OF_LIFE[c] = e;
  }
  return kwh === undefined ? { factors } : { factors, kwh };
}

/**
 * The referential of the every-kind inventories (trace and CSV-sink tests): two criteria, factors of real magnitude,
 * no global default lifetime (a type without its own has no lifetime), PUE 1.7 by default, messaging factors.
 */
export function everyKindRef(): TestRef {
  return {
    items: {
      lap: embodiedItem({ CLIMATE_CHANGE: [170, 12.3, 2.79], ACIDIFICATION: [1.3, 0.07, 0.011] }, 29.0175),
      srv: {
        factors: {
          MANUFACTURING: { CLIMATE_CHANGE: 1300, ACIDIFICATION: 9.1 },
          DISTRIBUTION: { CLIMATE_CHANGE: 23 },
          END_OF_LIFE: { CLIMATE_CHANGE: 7.5, ACIDIFICATION: 0.3 },
        },
        kwh: 1314,
      },
      // Only the aggregate EMBODIED value (Boavizta-like).
      phone: { factors: { EMBODIED: { CLIMATE_CHANGE: 55.5, ACIDIFICATION: 0.41 } }, kwh: 3.3 },
      ups: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 430 } }, kwh: 876 },
    },
    types: {
      Laptop: { lifespan: 5, defaultItem: 'lap' },
      Server: { lifespan: 6, defaultItem: 'srv', isServer: true },
      // No lifespan of its own and no global default: no lifetime (CALC_LIFESPAN_UNDETERMINED), embodied slots in error.
      Appliance: { defaultItem: 'srv', isServer: true },
      Smartphone: { lifespan: 2.5, defaultItem: 'phone' },
      UPS: { lifespan: 10, defaultItem: 'ups' },
    },
    electricity: {
      France: { CLIMATE_CHANGE: 0.0519, ACIDIFICATION: 0.000187 },
      Germany: { CLIMATE_CHANGE: 0.38, ACIDIFICATION: 0.00061 },
    },
    hypotheses: { dureeVieParDefaut: 0, PUEParDefaut: 1.7 },
    messaging: { CLIMATE_CHANGE: { A: 0.000012, b: 0.0003 }, ACIDIFICATION: { A: 0.00000005, b: 0.0000011 } },
  };
}
