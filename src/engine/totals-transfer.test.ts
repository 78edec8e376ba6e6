/**
 * Item results packed for the totals (`TotalsPacker`), moved as a worker's message would be (structured clone), and
 * unpacked (`TotalsUnpacker`) must give an aggregator the same additions as the results themselves: the same totals to
 * the last digit (errors to fix and items out of the period listed with their names and lines), and, item by item,
 * every field the aggregator reads. The names are sent as one text: multi-byte names, empty names and batches with no
 * name at all are in the cases.
 */
import { describe, expect, it } from 'vitest';
import { testReferential } from '../../test/helpers/referential.js';
import type { Application, PhysicalEquipment, VirtualEquipment } from '../inventory/model.js';
import { Aggregator } from './aggregate.js';
import { Assessment, assessInventory, type InventoryInput } from './assess.js';
import type { RunContext } from './context.js';
import { OK, type ItemResult } from './result.js';
import { TotalsPacker, TotalsUnpacker, type PackedTotals } from './totals-transfer.js';

const ref = testReferential({
  items: {
    lap: {
      factors: {
        MANUFACTURING: { CLIMATE_CHANGE: 100, RESOURCE_USE: 0.001 },
        DISTRIBUTION: { CLIMATE_CHANGE: 10, RESOURCE_USE: 0.0001 },
        END_OF_LIFE: { CLIMATE_CHANGE: 3, RESOURCE_USE: 0.00002 },
      },
      kwh: 30,
    },
    // Only one factor: the other slots are errors (to fix, listed with the first items' names).
    odd: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 7 } } },
    srv: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 900, RESOURCE_USE: 0.01 } }, kwh: 1200 },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    Odd: { lifespan: 3, defaultItem: 'odd' },
    Server: { lifespan: 6, defaultItem: 'srv', isServer: true },
  },
  // No factor for Narnia: its electricity is in error (not covered).
  electricity: { France: { CLIMATE_CHANGE: 0.05, RESOURCE_USE: 1e-8 }, Germany: { CLIMATE_CHANGE: 0.4 } },
});
const ctx: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-06-30',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE', 'RESOURCE_USE'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
};

const NAMES = ['Écran €😀', '', 'PC', 'Ω-β', 'x'.repeat(300)];
const TYPES = ['Laptop', 'Odd', 'Server', 'Laptop', 'Mystery'];
const COUNTRIES = ['France', 'Germany', 'Narnia', undefined];

function physical(n: number): PhysicalEquipment[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${NAMES[i % NAMES.length]}${i}`,
    type: TYPES[i % TYPES.length]!,
    quantity: 1 + (i % 4),
    ...(COUNTRIES[i % 4] !== undefined ? { country: COUNTRIES[i % 4] } : {}),
    ...(i % 6 === 0 ? { datacenter: 'DC1' } : {}),
    ...(i % 5 !== 3 ? { entity: `Entité ${i % 7}` } : {}),
    ...(i % 9 === 0 ? { quality: 'HIGH' as const } : {}),
    // Every 13th retired before the period: out of it, listed apart with its name.
    purchaseDate: i % 13 === 5 ? '2015-01-01' : '2022-03-04',
    ...(i % 13 === 5 ? { retirementDate: '2019-02-03' } : {}),
    ...(i % 11 === 2 ? { annualKWh: 55.5 } : {}),
    at: { file: i % 2 ? 'b.csv' : 'a.csv', line: i + 2 },
  }));
}

const input: InventoryInput = {
  datacenters: [{ name: 'DC1', location: 'France', pue: 1.4 }],
  physical: physical(240),
  virtual: [
    { name: 'VM1', host: 'Écran €😀0', vcpu: 2 },
    { name: 'VM2', host: 'Ω-β8', vcpu: 4 },
  ] satisfies VirtualEquipment[],
  applications: [
    { name: 'App', environment: 'prod', vm: 'VM1', domain: 'Sales' },
    { name: 'Other', environment: 'test', vm: 'VM2' },
  ] satisfies Application[],
};

/** Packs `results` in batches of the given sizes (the rest in one last batch), each cloned as a message is. */
function packed(results: readonly ItemResult[], sizes: readonly number[]): PackedTotals[] {
  const packer = new TotalsPacker(new Assessment(ref, ctx).layout);
  const out: PackedTotals[] = [];
  let i = 0;
  for (const size of [...sizes, Infinity]) {
    for (const end = Math.min(results.length, i + size); i < end; i++) packer.add(results[i]!);
    out.push(structuredClone(packer.take()));
    if (i === results.length) break;
  }
  return out;
}

/** What the aggregator reads of an item (its name only where it reads it). */
function readByAggregator(r: ItemResult, named: boolean) {
  return {
    kind: r.kind,
    ...(named ? { name: r.name } : {}),
    entity: r.entity,
    quantity: r.quantity,
    values: Array.from(r.status, (st, s) => (st === OK ? r.values[s] : 0)),
    status: Array.from(r.status),
    errors: [...r.errors].map(([s, e]) => [s, e.code, e.details]),
    itKWh: r.itKWh,
    facilityKWh: r.facilityKWh,
    lifetimeYears: r.lifetimeYears,
    dims: { type: r.dims.type, country: r.dims.country, datacenter: r.dims.datacenter, tier: r.dims.tier },
    quality: r.dims.quality,
    application: r.dims.application,
    domain: r.dims.domain,
    environment: r.dims.environment,
    warnings: r.warnings.map((w) => w.code),
    inTotal: r.inTotal,
    outOfPeriod: r.outOfPeriod?.details,
    at: named && r.at ? { file: r.at.file, line: r.at.line } : undefined,
  };
}

describe('item results packed for the totals', () => {
  const direct = assessInventory(input, ref, ctx, {}, { indicators: false });
  const results = direct.results;

  it('has the cases it is meant to test', () => {
    // Computed from the input: items out of the period (i % 13 === 5), with errors (Odd, Mystery, Narnia), warnings,
    // allocations (the VMs and applications), multi-byte and empty names among the listed ones.
    expect(direct.totals.outOfPeriod.items).toBe(physical(240).filter((_, i) => i % 13 === 5).length);
    expect(results.filter((r) => r.errors.size > 0).length).toBeGreaterThan(50);
    expect(results.filter((r) => !r.inTotal).length).toBe(4);
    // Allocations without errors: named all the same (the aggregator may key an application by its name).
    expect(results.filter((r) => !r.inTotal && r.errors.size === 0).length).toBeGreaterThan(0);
    expect(JSON.stringify(direct.totals)).toContain('Écran €😀');
  });

  it.each([
    ['one batch', []],
    ['batches of 1, 2, 3, 64 items', [1, 2, 3, 64]],
    ['an empty batch first, then batches of 7', [0, 7, 7, 7, 7, 7, 7, 7, 7]],
  ])('gives the aggregator the same totals to the last digit (%s)', (_, sizes) => {
    const layout = new Assessment(ref, ctx).layout;
    const agg = new Aggregator(layout, ref);
    const unpacker = new TotalsUnpacker(layout);
    let i = 0;
    for (const p of packed(results, sizes)) {
      const batch = unpacker.batch(p);
      for (let k = 0; k < p.count; k++, i++) {
        const r = batch.next();
        const original = results[i]!;
        const named = original.errors.size > 0 || original.outOfPeriod !== undefined || !original.inTotal;
        expect(readByAggregator(r, named)).toEqual(readByAggregator(original, named));
        agg.add(r);
      }
    }
    expect(i).toBe(results.length);
    expect(JSON.stringify(agg.result())).toBe(JSON.stringify(direct.totals));
  });

  it.each([
    ['every item by id', 0],
    ['the first 100 items by string (a first part), the rest by id', 100],
  ])('adds items by their string ids (addNext) with the same totals to the last digit (%s)', (_, first) => {
    const layout = new Assessment(ref, ctx).layout;
    const agg = new Aggregator(layout, ref);
    for (const r of results.slice(0, first)) agg.add(r);
    const unpacker = new TotalsUnpacker(layout);
    let midway = '';
    for (const p of packed(results.slice(first), [1, 2, 3, 64, 5])) {
      const batch = unpacker.batch(p);
      for (let k = 0; k < p.count; k++) batch.addNext(agg);
      // Totals read midway (the counts kept per id are added then) and more items added after.
      if (midway === '') midway = JSON.stringify(agg.result());
    }
    expect(midway).not.toBe('');
    expect(JSON.stringify(agg.result())).toBe(JSON.stringify(direct.totals));
    // An unpacker's ids belong to the aggregator given first: another one refuses them.
    const [p] = packed(results, []);
    const b = new TotalsUnpacker(layout).batch(p!);
    b.addNext(new Aggregator(layout, ref));
    expect(() => b.addNext(new Aggregator(layout, ref))).toThrow(/another aggregator/);
  });

  it('sends each name once, as one text, and no name for items the aggregator does not list', () => {
    const [p] = packed(results, []);
    const listed = results.filter((r) => r.errors.size > 0 || r.outOfPeriod !== undefined || !r.inTotal);
    expect(p!.names).toBe(listed.map((r) => r.name).join(''));
    const names = listed.map((r) => r.name);
    expect(Array.from(p!.nameEnds)).toEqual(names.map((_, j) => names.slice(0, j + 1).join('').length));
    expect(p!.strings).not.toContain(results.find((r) => r.errors.size === 0 && r.inTotal)!.name);
  });
});
