/**
 * The KPI block of an entity subtree made from its entities' blocks (src/server/usecases/kpis.ts, `subtreeBlock`):
 * worked out by hand on two entities, and checked equal to the steering core's own block of the same items
 * (`stateKpis` over the subtree's items alone, src/steering/kpis.ts).
 */
import { describe, expect, it } from 'vitest';
import { subtreeBlock } from '../../src/server/usecases/kpis.js';
import { stateKpis, type KpiItem } from '../../src/steering/kpis.js';

const ITEMS: KpiItem[] = [
  // Nord: 4 laptops kept 6 years (expected 5), given away; 2 desktops kept 7 years (expected 6), refurbished half.
  { entity: 'Nord', type: 'Laptop', quantity: 4, lifetimeYears: 6, expectedYears: 5, endOfLife: 'donation' },
  { entity: 'Nord', type: 'Desktop', quantity: 2, lifetimeYears: 7, expectedYears: 6, refurbishedRate: 0.5 },
  // Atelier: 1 laptop kept 3 years (expected 4), reused (dureeUsageAval), recycled.
  {
    entity: 'Atelier',
    type: 'Laptop',
    quantity: 1,
    lifetimeYears: 3,
    expectedYears: 4,
    downstreamLifeYears: 2,
    endOfLife: 'recycling',
  },
  // Sud: outside the subtree.
  { entity: 'Sud', type: 'Laptop', quantity: 9, lifetimeYears: 5, expectedYears: 5, endOfLife: 'reuse' },
];
const HEADCOUNTS = { Nord: 10, Atelier: 2, Sud: 40 };
const FOOTPRINT = [
  { criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', value: 1000, byEntity: { Nord: 300, Atelier: 60, Sud: 640 } },
];

describe('subtreeBlock', () => {
  const all = stateKpis(ITEMS, HEADCOUNTS, FOOTPRINT);
  const blocks = all.byEntity.filter((e) => e.entity === 'Nord' || e.entity === 'Atelier');
  const b = subtreeBlock(blocks);

  it('worked by hand', () => {
    expect(b.units).toBe(7); // 4 + 2 + 1
    expect(b.headcount).toBe(12); // 10 + 2
    expect(b.equipmentPerCollaborator).toBeCloseTo(7 / 12, 12);
    expect(b.footprint).toEqual([
      { criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', value: 360, perCollaborator: 30 }, // 300 + 60, ÷ 12
    ]);
    expect(b.refurbished.units).toBe(1); // 2 × 0.5
    expect(b.refurbished.share).toBeCloseTo(1 / 7, 12);
    expect(b.reused.units).toBe(1);
    expect(b.endOfLife.units).toEqual({ reuse: 0, donation: 4, recycling: 1, unknown: 0 });
    expect(b.endOfLife.reuseOrDonationShare).toBeCloseTo(4 / 5, 12);
    // Desktop: 2 units, 7 vs 6 years. Laptop: (4 × 6 + 1 × 3) / 5 = 5.4 retained, (4 × 5 + 1 × 4) / 5 = 4.8 expected.
    expect(b.lifetimeByType.map((t) => t.type)).toEqual(['Desktop', 'Laptop']);
    expect(b.lifetimeByType[0]).toEqual({
      type: 'Desktop',
      quantity: 2,
      retainedYears: 7,
      expectedYears: 6,
      gapYears: 1,
    });
    const laptop = b.lifetimeByType[1]!;
    expect(laptop.quantity).toBe(5);
    expect(laptop.retainedYears).toBeCloseTo(5.4, 12);
    expect(laptop.expectedYears).toBeCloseTo(4.8, 12);
    expect(laptop.gapYears).toBeCloseTo(0.6, 12);
  });

  it("equals the core's block of the subtree's items alone", () => {
    const mine = ITEMS.filter((i) => i.entity === 'Nord' || i.entity === 'Atelier');
    const direct = stateKpis(
      mine,
      { Nord: 10, Atelier: 2 },
      FOOTPRINT.map((f) => ({ ...f, value: f.byEntity.Nord + f.byEntity.Atelier })),
    ).campaign;
    expect(b.units).toBe(direct.units);
    expect(b.headcount).toBe(direct.headcount);
    expect(b.footprint).toEqual(direct.footprint);
    expect(b.refurbished).toEqual(direct.refurbished);
    expect(b.reused).toEqual(direct.reused);
    expect(b.endOfLife).toEqual(direct.endOfLife);
    expect(b.lifetimeByType.length).toBe(direct.lifetimeByType.length);
    b.lifetimeByType.forEach((t, i) => {
      const d = direct.lifetimeByType[i]!;
      expect(t.type).toBe(d.type);
      expect(t.quantity).toBe(d.quantity);
      expect(t.retainedYears).toBeCloseTo(d.retainedYears, 12);
      expect(t.expectedYears!).toBeCloseTo(d.expectedYears!, 12);
    });
  });

  it('no headcount in the subtree: null ratios', () => {
    const none = subtreeBlock(stateKpis(ITEMS, {}, FOOTPRINT).byEntity.filter((e) => e.entity === 'Nord'));
    expect(none.headcount).toBeNull();
    expect(none.equipmentPerCollaborator).toBeNull();
    expect(none.footprint[0]!.perCollaborator).toBeNull();
  });
});
