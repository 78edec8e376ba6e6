/**
 * `Assessment.retainedLifetime`: a physical item's lifetime as `physical` retains it, without its indicators (what a
 * scenario's `lifetime` lever extends). Hand-computed cases (F2, F3, an unamortised item), then the same number as the
 * full computation's `lifetimeYears` on random batches.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Assessment, type RunContext } from './index.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import { testReferential, type TestRef } from '../../test/helpers/referential.js';
import { CTX } from '../../test/helpers/engine.js';

const refInput: TestRef = {
  items: {
    lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 } }, kwh: 20 },
    // Not amortised (a per-GB unit): no L divides its embodied steps, so no lifetime is retained.
    storage: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 1 } }, unit: 'GB' },
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    Storage: { lifespan: 4, defaultItem: 'storage' },
    Gadget: {},
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
};
const ref = testReferential(refInput);

/** The retained lifetimes of a batch, through the seam (upstream statistics indexed first, as `physical` needs). */
function retained(items: readonly PhysicalEquipment[], ctx: Partial<RunContext> = {}, referential = ref) {
  const a = new Assessment(referential, { ...CTX, ...ctx });
  for (const pe of items) a.indexUpstream(pe);
  return items.map((pe) => a.retainedLifetime(pe)?.years);
}

const pe = (x: Partial<PhysicalEquipment> & { name: string }): PhysicalEquipment => ({
  type: 'Laptop',
  quantity: 1,
  country: 'France',
  ...x,
});

describe('Assessment.retainedLifetime', () => {
  it('F2: dates, in service (rcp: max(age, expected)), FIXE internal duration, type default, none', () => {
    expect(
      retained([
        pe({ name: 'dates', purchaseDate: '2019-01-01', retirementDate: '2025-01-01' }), // 2192 days
        pe({ name: 'young', purchaseDate: '2024-10-03' }), // age 0.25 < 5
        pe({ name: 'old', purchaseDate: '2018-01-01' }), // age 2557 days > 5 years
        pe({ name: 'plain' }),
        pe({ name: 'gadget', type: 'Gadget' }), // no type default: the global one (2 years when the pack sets none)
      ]),
    ).toEqual([2192 / 365, 5, 2557 / 365, 5, 2]);
    // No global default either: no lifetime (the item's embodied steps are then CALC_LIFESPAN_UNDETERMINED).
    const noDefault = testReferential({ ...refInput, hypotheses: { dureeVieParDefaut: 0 } });
    expect(retained([pe({ name: 'gadget', type: 'Gadget' })], { lifetimeMethod: 'FIXE' }, noDefault)).toEqual([
      undefined,
    ]);
    expect(
      retained([pe({ name: 'internal', internalLifeYears: 3, purchaseDate: '2010-01-01' })], {
        lifetimeMethod: 'FIXE',
      }),
    ).toEqual([3]);
  });

  it('F3 rule category: the type mean upstream life times the refurbished share, for every line of the type', () => {
    // 200 new + 50 refurbished after 3 years: 5 + 3 × 50/250 = 5.6 for both lines (RCP SI §4, check case C-09).
    const got = retained(
      [
        pe({ name: 'new', quantity: 200, internalLifeYears: 5 }),
        pe({ name: 'refurb', quantity: 50, internalLifeYears: 5, upstreamLifeYears: 3 }),
      ],
      { lifetimeMethod: 'FIXE' },
    );
    expect(got[0]).toBeCloseTo(5.6, 12);
    expect(got[1]).toBeCloseTo(5.6, 12);
  });

  it('the F3 parts: the upstream and downstream lives added to the own duration (rule line)', () => {
    const a = new Assessment(ref, { ...CTX, lifetimeMethod: 'FIXE', refurbishedRule: 'line' });
    const item = pe({ name: 'i', internalLifeYears: 4, upstreamLifeYears: 2, downstreamLifeYears: 2, reuseRate: 0.5 });
    a.indexUpstream(item);
    // L = 4 + 2 (upstream) + 0.5 × 2 (reuse) = 7
    expect(a.retainedLifetime(item)).toEqual({ years: 7, upstream: 2, downstream: 1 });
  });

  it('an item whose reference item is not amortised retains none', () => {
    expect(retained([pe({ name: 's', type: 'Storage', internalLifeYears: 4 })])).toEqual([undefined]);
  });

  it('equals the full computation’s lifetimeYears on random batches', () => {
    const day = fc
      .integer({ min: 0, max: 20 * 365 })
      .map((d) => new Date(Date.UTC(2010, 0, 1 + d)).toISOString().slice(0, 10));
    const item = fc.record(
      {
        type: fc.constantFrom('Laptop', 'Storage', 'Gadget', 'Unknown'),
        quantity: fc.integer({ min: 1, max: 50 }),
        purchaseDate: day,
        retirementDate: day,
        internalLifeYears: fc.double({ min: 0, max: 12, noNaN: true }),
        upstreamLifeYears: fc.double({ min: 0, max: 5, noNaN: true }),
      },
      { requiredKeys: ['type', 'quantity'] },
    );
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        fc.constantFrom<RunContext['lifetimeMethod']>('REEL', 'FIXE'),
        fc.constantFrom<RunContext['profile']>('rcp', 'numecoeval'),
        (rows, lifetimeMethod, profile) => {
          const items = rows.map((r, i) => pe({ ...r, name: `i${i}` }));
          const full = new Assessment(ref, { ...CTX, lifetimeMethod, profile });
          for (const x of items) full.indexUpstream(x);
          const expected = items.map((x) => full.physical(x).lifetimeYears);
          expect(retained(items, { lifetimeMethod, profile })).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
