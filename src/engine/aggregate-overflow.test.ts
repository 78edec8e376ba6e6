/**
 * Sums that would overflow (issue 9; checked without a branch per value since issue 11): an item whose slot or
 * criterion sum would overflow the totals has that criterion's indicators counted as errors CALC_NOT_FINITE, and a
 * dimension value whose sum would overflow keeps its finite value. The same through `add` and through the packed
 * path (`TotalsUnpacker.addNext`, `Aggregator.addIndexed`). Expected values by hand.
 */
import { describe, expect, it } from 'vitest';
import { testReferential } from '../../test/helpers/referential.js';
import { Aggregator } from './aggregate.js';
import { Layout } from './layout.js';
import { ABSENT, OK, type ItemResult } from './result.js';
import { TotalsPacker, TotalsUnpacker } from './totals-transfer.js';

const layout = new Layout(['MANUFACTURING', 'DISTRIBUTION'], ['CLIMATE_CHANGE', 'ACIDIFICATION']);
const ref = testReferential({});

/** An item of type `type` with values per slot (MANUFACTURING: slots 0, 1; DISTRIBUTION: 2, 3); undefined: absent. */
function item(i: number, type: string, values: readonly (number | undefined)[]): ItemResult {
  return {
    kind: 'physical-equipment',
    name: `EQ-${i}`,
    quantity: 1,
    values: values.map((v) => v ?? 0),
    status: Uint8Array.from(values, (v) => (v === undefined ? ABSENT : OK)),
    errors: new Map(),
    itKWh: 0,
    facilityKWh: 0,
    dims: { tier: 'TERMINAL', type },
    warnings: [],
    inTotal: true,
    explain: () => {
      throw new Error('not used');
    },
  };
}

const U = undefined;
const list: ItemResult[] = [
  item(0, 'X', [1e308, 1, U, U]), // CLIMATE_CHANGE 1e308 (X), ACIDIFICATION 1
  item(1, 'Y', [-1e308, 2, U, U]), // CLIMATE_CHANGE back to 0 (Y: -1e308)
  item(2, 'X', [1e308, 4, U, U]), // CLIMATE_CHANGE 1e308; X would be 2e308: X keeps 1e308
  item(3, 'Y', [U, 8, 1e308, U]), // slot DISTRIBUTION/CLIMATE_CHANGE 1e308, but the criterion would be 2e308: errors
  item(4, 'Y', [1e308, 16, U, U]), // the slot MANUFACTURING/CLIMATE_CHANGE would be 2e308: errors
  item(5, 'Z', [1, 32, 2, U]), // all fine
];

function viaAdd(): Aggregator {
  const agg = new Aggregator(layout, ref);
  for (const r of list) agg.add(r);
  return agg;
}

function viaPacked(): Aggregator {
  const agg = new Aggregator(layout, ref);
  const packer = new TotalsPacker(layout);
  for (const r of list) packer.add(r);
  const p = structuredClone(packer.take());
  const batch = new TotalsUnpacker(layout).batch(p);
  for (let k = 0; k < p.count; k++) batch.addNext(agg);
  return agg;
}

describe('sums that would overflow', () => {
  it.each([
    ['add', viaAdd],
    ['the packed path', viaPacked],
  ])('count as errors CALC_NOT_FINITE and leave the totals finite (%s)', (_, run) => {
    const t = run().result();
    const [cc, ac] = t.byCriterion;
    // CLIMATE_CHANGE: 1e308 - 1e308 + 1e308 (items 3, 4 left out) + 1 + 2.
    expect(cc!.value).toBe(1e308 + 1 + 2);
    expect(cc!.byStep).toEqual({ MANUFACTURING: 1e308 + 1, DISTRIBUTION: 2 });
    expect([cc!.indicators, cc!.errors]).toEqual([7, 2]);
    expect(t.dataConsistency.errorCodes).toEqual({ CALC_NOT_FINITE: 2 });
    // ACIDIFICATION: every item's value (its own sums are finite).
    expect(ac!.value).toBe(63);
    expect([ac!.indicators, ac!.errors]).toEqual([6, 0]);
    // Per type: X keeps 1e308 (item 2 would overflow it), Y has -1e308 + 0 + 0, Z its own.
    expect(t.by.type).toEqual({
      X: { CLIMATE_CHANGE: 1e308, ACIDIFICATION: 5 },
      Y: { CLIMATE_CHANGE: -1e308, ACIDIFICATION: 26 },
      Z: { CLIMATE_CHANGE: 3, ACIDIFICATION: 32 },
    });
  });
});
