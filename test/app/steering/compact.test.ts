/**
 * The compact sides of a comparison (issue 13, src/app/steering/compact.ts): what they keep equals what the engine's
 * item results give (values, counted slots, equipment factors, item keys) on generated estates with hosts, VMs,
 * applications, cloud instances, non-IT items and messaging; the range of the change from them equals
 * `deltaUncertainty` on the results; and small hand-worked cases for the sums and the decomposition.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardDeps } from '../../../src/app/deps.js';
import { pathSources } from '../../../src/app/sources.js';
import { CompactBuilder, compactDeltaUncertainty, compactOf } from '../../../src/app/steering/compact.js';
import { decomposeCounted, inventoryDiff } from '../../../src/app/steering/compare.js';
import { runItems } from '../../../src/app/steering/run-items.js';
import { loadCampaign, type LoadedCampaign } from '../../../src/app/steering/scenario.js';
import { deltaUncertainty, sumsOf } from '../../../src/app/steering/uncertainty.js';
import { slotFactors } from '../../../src/engine/index.js';
import { Layout } from '../../../src/engine/layout.js';
import { OK, type EquipmentFactors, type ItemResult } from '../../../src/engine/result.js';
import { MODE_EMBODIED, MODE_USE } from '../../../src/engine/vectors.js';
import { deltaUncertaintyRange } from '../../../src/steering/uncertainty.js';
import { generateMixedEstate } from '../../../scripts/gen-inventory.js';

const deps = standardDeps(() => '2025-01-01');
const run = { profile: 'rcp', referenceDate: '2025-01-01', lifetimeMethod: 'REEL' } as const;

/** A generated mixed estate of `hosts` hosts, with cloud instances, non-IT items and messaging added. */
async function estate(hosts: number, cloudQuantity: number): Promise<LoadedCampaign> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-compact-'));
  await generateMixedEstate(dir, hosts);
  const c = await loadCampaign(deps, { sources: pathSources([dir]), run });
  const cloud = ['m5.large', 'm5.xlarge', 'c5.large'].map((instanceType, i) => ({
    name: `cloud-${i}`,
    infrastructure: 'CLOUD_SERVICES' as const,
    provider: 'aws',
    instanceType,
    quantity: cloudQuantity + i,
    location: 'France',
    quality: 'HIGH' as const,
  }));
  return {
    ...c,
    inventory: {
      ...c.inventory,
      virtual: [...c.inventory.virtual, ...cloud],
      nonIt: [
        { name: 'ups', type: 'UPS', quantity: (hosts % 3) + 1, location: 'France', lifeYears: 8, annualKWh: 500 },
        { name: 'clim', type: 'Air conditioning', quantity: 2, location: 'Germany', lifeYears: 10 },
      ],
      messaging: [
        { sentCount: 1000 * hosts, sentTimesRecipients: 3000 * hosts, totalVolume: 50, year: 2025, month: 3 },
      ],
    },
  };
}

const counted = (c: LoadedCampaign) => runItems(c.inventory, c.referential, c.ctx, { counted: true }).counted!;
const keyOf = (r: ItemResult) =>
  `${r.kind}\u0000${r.name}\u0000${r.physicalEquipment ?? ''}\u0000${r.virtualEquipment ?? ''}\u0000${r.dims.environment ?? ''}`;

describe('compact side = the engine item results (generated estates)', async () => {
  const before = await estate(40, 2);
  const after = await estate(46, 5);
  const cb = counted(before);
  const ca = counted(after);

  it('the estates hold what the test is about: equipment, cloud instances, non-IT, messaging', () => {
    const kinds = new Set(cb.results.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['messaging', 'non-it', 'physical-equipment', 'virtual-equipment']);
    // cloud instances are counted with computed slots
    const cloud = cb.results.filter((r) => r.kind === 'virtual-equipment');
    expect(cloud.length).toBe(3);
    expect(cloud.some((r) => Array.from(r.status).some((s) => s === OK))).toBe(true);
  });

  it('values, counted slots, factors and keys equal the results; streamed = built from the held results', () => {
    const s = compactOf(cb);
    const builder = new CompactBuilder();
    const streamed = runItems(before.inventory, before.referential, before.ctx, {
      onCounted: (r, layout) => builder.add(r, layout),
    });
    const t = builder.done(streamed.layout);
    expect(s.n).toBe(cb.results.length);
    expect(t.n).toBe(cb.results.length);
    let factored = 0;
    const out = new Float64Array(6);
    cb.results.forEach((r, i) => {
      expect(s.key(i)).toBe(keyOf(r));
      expect(t.key(i)).toBe(keyOf(r));
      const x = r.equipmentFactors;
      const fx = s.factors(i);
      expect(fx === undefined).toBe(x === undefined);
      for (let slot = 0; slot < cb.layout.size; slot++) {
        // Only the counted slots' values are kept (NaN for the others).
        const value = r.status[slot] === OK ? r.values[slot] : Number.NaN;
        expect(s.value(i, slot)).toBe(value);
        expect(t.value(i, slot)).toBe(value);
        expect(s.counted(i, slot)).toBe(r.status[slot] === OK);
        expect(t.counted(i, slot)).toBe(r.status[slot] === OK);
        if (x !== undefined) {
          expect(slotFactors(fx!, slot)).toEqual(slotFactors(x, slot));
          if (slotFactors(x, slot) !== undefined) factored++;
        }
        // The typed-array entry of the decomposition reads the same factors, in its order, without an object.
        const sf = x === undefined ? undefined : slotFactors(x, slot);
        out.fill(-1);
        const kind = s.slotFactorsInto(i, slot, out);
        if (sf === undefined) expect(kind).toBe(0);
        else if (sf.kind === 'embodied') {
          expect(kind).toBe(1);
          expect([...out.subarray(0, 5)]).toEqual([sf.f.q, sf.f.F, sf.f.tau, sf.f.s, sf.f.L]);
        } else {
          expect(kind).toBe(2);
          expect([...out]).toEqual([sf.f.q, sf.f.E, sf.f.tau, sf.f.s, sf.f.PUE, sf.f.M]);
        }
      }
      for (let slot = 0; slot < cb.layout.size; slot++) {
        const rows = s.rows(keyOf(r), slot);
        const expected = cb.results.flatMap((o, j) => (keyOf(o) === keyOf(r) && o.status[slot] === OK ? [j] : []));
        expect([...rows]).toEqual(expected);
      }
    });
    expect(factored).toBeGreaterThan(0);
    expect([...t.sums.keys()]).toEqual([...s.sums.keys()]);
    // Sized at first for fewer or more results than given: the same keys.
    for (const capacity of [0, 1, 10 * cb.results.length]) {
      const u = new CompactBuilder(capacity);
      for (const r of cb.results) u.add(r, cb.layout);
      const side = u.done(cb.layout);
      expect(side.keyCount).toBe(s.keyCount);
      cb.results.forEach((r, i) => expect(side.keyIdOf(i)).toBe(s.keyIdOf(i)));
    }
  });

  it('the counted slots packed in slot order with their values; F21 factor sums equal sumsOf on the results', () => {
    for (const c of [cb, ca]) {
      const s = compactOf(c);
      c.results.forEach((r, i) => {
        const slots: number[] = [];
        const values: number[] = [];
        for (let j = s.countedFrom(i); j < s.countedEnd(i); j++) {
          slots.push(s.slotAt(j));
          values.push(s.valueAt(j));
        }
        const ok = Array.from({ length: r.status.length }, (_, slot) => slot).filter((slot) => r.status[slot] === OK);
        expect(slots).toEqual(ok);
        expect(values).toEqual(ok.map((slot) => r.values[slot]));
      });
      // Many items share a reference item's or a location's factors (the sums kept per factor cache and slot).
      const expected = sumsOf(c);
      expect([...s.sums.keys()]).toEqual([...expected.keys()]);
      for (const [criterion, x] of expected) {
        const got = [...s.sums.get(criterion)!.factors].map(([id, f]) => [id, f.sum, f.u]);
        expect(got).toEqual([...x.factors].map(([id, f]) => [id, f.sum, f.u]));
      }
    }
  });

  it('the range of the change equals deltaUncertainty on the item results', () => {
    const seed = '0123456789abcdef';
    expect(compactDeltaUncertainty(compactOf(cb), compactOf(ca), seed, 300)).toEqual(
      deltaUncertainty(cb, ca, seed, 300),
    );
    expect(compactDeltaUncertainty(compactOf(ca), compactOf(cb), seed, 300)).toEqual(
      deltaUncertainty(ca, cb, seed, 300),
    );
  });

  it('the decomposition is the same from the held results and from the compact sides', () => {
    const d = decomposeCounted(cb, ca);
    expect(decomposeCounted(compactOf(cb), compactOf(ca))).toEqual(d);
    expect(d.decomposition.length).toBe(cb.layout.criteria.length);
  });
});

// Hand-worked cases on a layout of two steps × two criteria: slots 0 MANUFACTURING/CC, 1 MANUFACTURING/AC,
// 2 USE/CC, 3 USE/AC.
const layout = new Layout(['MANUFACTURING', 'USE'], ['CLIMATE_CHANGE', 'ACIDIFICATION']);

/** An item result with values only (no equipment factors: its factor is `other:<kind>:<step>:<criterion>`). */
function plain(name: string, values: number[], quality?: 'HIGH' | 'LOW'): ItemResult {
  return {
    kind: 'non-it',
    name,
    quantity: 1,
    values,
    status: values.map((v) => (Number.isNaN(v) ? 0 : OK)),
    errors: new Map(),
    itKWh: 0,
    facilityKWh: 0,
    dims: { tier: 'END_USER', ...(quality ? { quality } : {}) },
    warnings: [],
    inTotal: true,
    explain: () => ({ formula: '', variables: {} }) as unknown as ReturnType<ItemResult['explain']>,
  } as unknown as ItemResult;
}

/** An equipment: embodied V = q·F/L (τ = s = 1) on the MANUFACTURING slots, use V = q·E·M (PUE 1) on USE. */
function equipment(name: string, q: number, L: number, E: number, F: [number, number], M: [number, number]) {
  const x: EquipmentFactors = {
    item: [q, 1, 1, E, 1, L],
    mode: [MODE_EMBODIED, MODE_EMBODIED, MODE_USE, MODE_USE],
    coef: [F[0], F[1], M[0], M[1]],
  };
  const values = [(q * F[0]) / L, (q * F[1]) / L, q * E * M[0], q * E * M[1]];
  return { ...plain(name, values), kind: 'physical-equipment', equipmentFactors: x } as unknown as ItemResult;
}

const side = (rs: ItemResult[]) => {
  const b = new CompactBuilder();
  for (const r of rs) b.add(r, layout);
  return b.done(layout);
};

describe('compact side, by hand', () => {
  it('no result, and a result with no counted slot: nothing packed, no sums', () => {
    const empty = side([]);
    expect(empty.n).toBe(0);
    expect([...empty.sums.keys()]).toEqual([]);
    const none = side([plain('X', [NaN, NaN, NaN, NaN]), plain('Y', [NaN, 2, NaN, NaN])]);
    expect(none.countedFrom(0)).toBe(0);
    expect(none.countedEnd(0)).toBe(0);
    expect([none.countedFrom(1), none.countedEnd(1), none.slotAt(0), none.valueAt(0)]).toEqual([0, 1, 1, 2]);
    expect([0, 1, 2, 3].map((slot) => none.counted(0, slot))).toEqual([false, false, false, false]);
    expect(none.value(0, 1)).toBeNaN();
    expect(none.value(1, 1)).toBe(2);
  });

  it('sums per criterion: factors and items (a name met twice is one item, its values added)', () => {
    // X: CC 10 (MAN) + 4 (USE), AC 1 (MAN); X again: CC 6 (MAN); Y: CC 3 (USE), AC 2 (USE), quality HIGH.
    const s = side([plain('X', [10, 1, 4, NaN]), plain('X', [6, NaN, NaN, NaN]), plain('Y', [NaN, NaN, 3, 2], 'HIGH')]);
    expect([...s.sums.keys()]).toEqual(['CLIMATE_CHANGE', 'ACIDIFICATION']);
    const cc = s.sums.get('CLIMATE_CHANGE')!;
    expect([...cc.factors]).toEqual([
      ['other:non-it:MANUFACTURING:CLIMATE_CHANGE', { sum: 16, u: 0.3 }],
      ['other:non-it:USE:CLIMATE_CHANGE', { sum: 7, u: 0.3 }],
    ]);
    const x = s.keyId(s.key(0))!;
    const y = s.keyId(s.key(2))!;
    expect(s.key(1)).toBe(s.key(0));
    expect(s.isDuplicate(0)).toBe(true);
    expect(s.isDuplicate(2)).toBe(false);
    expect(cc.value.data[x]).toBe(20);
    expect(cc.value.data[y]).toBe(3);
    expect(s.quality(cc.quality.data[x]!)).toBe('MEDIUM');
    expect(s.quality(cc.quality.data[y]!)).toBe('HIGH');
    expect(s.rows(s.key(0), 0)).toEqual([0, 1]);
    expect(s.rows(s.key(0), 1)).toEqual([0]);
    expect(s.rows(s.key(0), 3)).toEqual([]);
  });

  it('range of the change: same factors, activity = changes of matched items and values of the others', () => {
    // before X: CC 10 (MAN), Y: CC 4 (MAN) HIGH; after X: CC 13 (MAN), Z: CC 5 (USE) LOW.
    const b = side([plain('X', [10, NaN, NaN, NaN]), plain('Y', [4, NaN, NaN, NaN], 'HIGH')]);
    const a = side([plain('X', [13, NaN, NaN, NaN]), plain('Z', [NaN, NaN, 5, NaN], 'LOW')]);
    const seed = 'abcdef0123456789';
    const expected = deltaUncertaintyRange({
      factors: [
        {
          id: 'other:non-it:MANUFACTURING:CLIMATE_CHANGE',
          before: 14,
          after: 13,
          uncertainty: { kind: 'lognormal', u: 0.3 },
        },
        { id: 'other:non-it:USE:CLIMATE_CHANGE', before: 0, after: 5, uncertainty: { kind: 'lognormal', u: 0.3 } },
      ],
      // X changed by 3 (MEDIUM, 0.2), Y removed: 4 (HIGH, 0.05), Z added: 5 (LOW, 0.5)
      activity: [
        { quality: 'MEDIUM', sumOfSquares: 9, u: 0.2 },
        { quality: 'HIGH', sumOfSquares: 16, u: 0.05 },
        { quality: 'LOW', sumOfSquares: 25, u: 0.5 },
      ],
      seed,
      draws: 200,
    });
    expect(compactDeltaUncertainty(b, a, seed, 200)).toEqual([
      { criterion: 'CLIMATE_CHANGE', unit: layout.unitOf(0), range: expected },
    ]);
  });

  it('decomposition: fleet and electricity mix of a matched equipment, scope of the others', () => {
    // E1 before: q 2, L 4, E 10, F (100, 1), M (0.5, 0.01): MAN 50, 0.5; USE 10, 0.2.
    // E1 after:  q 3, same L, E, F; M (0.25, 0.01):          MAN 75, 0.75; USE 7.5, 0.3.
    // N (no factors) in both: CC MAN 7 → 9 (scope, unfactored 2); OLD before only: CC USE 1.
    const b = side([
      equipment('E1', 2, 4, 10, [100, 1], [0.5, 0.01]),
      plain('N', [7, NaN, NaN, NaN]),
      plain('OLD', [NaN, NaN, 1, NaN]),
    ]);
    const a = side([equipment('E1', 3, 4, 10, [100, 1], [0.25, 0.01]), plain('N', [9, NaN, NaN, NaN])]);
    const { decomposition, unfactored } = decomposeCounted(b, a);
    expect(unfactored).toBe(2);
    const cc = decomposition.find((d) => d.criterion === 'CLIMATE_CHANGE')!;
    const ac = decomposition.find((d) => d.criterion === 'ACIDIFICATION')!;
    // CC: before 50 + 10 + 7 + 1 = 68, after 75 + 7.5 + 9 = 91.5
    expect(cc.before).toBeCloseTo(68, 12);
    expect(cc.after).toBeCloseTo(91.5, 12);
    // MAN CC: only q moves, fleet = 25. USE CC 10 → 7.5: q × 1.5, M × 0.5; w = L(7.5, 10) = 2.5 / ln(4/3), each
    // effect w × ln(x¹/x⁰), together w × ln(0.75) = −2.5
    const w = 2.5 / Math.log(4 / 3);
    expect(cc.effects.fleet).toBeCloseTo(25 + w * Math.log(1.5), 12);
    expect(cc.effects.electricityMix).toBeCloseTo(w * Math.log(0.5), 12);
    expect(cc.effects.fleet + cc.effects.electricityMix).toBeCloseTo(22.5, 12);
    // scope: N 7 → 9 (+2), OLD −1
    expect(cc.effects.scope).toBeCloseTo(1, 12);
    // AC: only q moves (0.5 → 0.75, 0.2 → 0.3): all fleet
    expect(ac.effects.fleet).toBeCloseTo(0.35, 12);
    expect(ac.effects.electricityMix).toBe(0);
    expect(ac.effects.scope).toBe(0);
  });
});

describe('compact side and decomposition: one result per key, several, none', () => {
  it('soleRowOf: the one result of a key, -2 for a key of several results, -1 for no key', () => {
    const s = side([plain('X', [1, NaN, NaN, NaN]), plain('Y', [2, NaN, NaN, NaN]), plain('X', [3, NaN, NaN, NaN])]);
    const x = s.keyIdOf(0);
    const y = s.keyIdOf(1);
    expect(s.soleRowOf(y)).toBe(1);
    expect(s.soleRowOf(x)).toBe(-2);
    expect(s.soleRowOf(-1)).toBe(-1);
    // `entry`: where a result's counted slot is packed, -1 when not counted.
    const t = side([plain('A', [NaN, 5, NaN, 7])]);
    expect([0, 1, 2, 3].map((slot) => t.entry(0, slot))).toEqual([-1, 0, -1, 1]);
    expect(t.valueAt(t.entry(0, 3))).toBe(7);
  });

  it('decomposition: a slot counted on one side only, keys of several results, items of one side', () => {
    // E (equipment, one result each side): MAN CC 2·100/4 = 50 → 3·100/4 = 75 (fleet 25); USE CC counted before only
    // (2·10·0.5 = 10: scope −10), USE AC counted after only (3·10·0.01 = 0.3: scope +0.3).
    // D (no factors) twice before: CC MAN 1 and 2; once after: CC MAN 4: unfactored 3 (2 + 1), scope 4 − 3 = +1.
    // B before only: CC MAN 8 (scope −8); A after only: CC USE 6 (scope +6).
    const eb = equipment('E', 2, 4, 10, [100, 1], [0.5, 0.01]);
    const ea = equipment('E', 3, 4, 10, [100, 1], [0.25, 0.01]);
    const only = (r: ItemResult, counted: number[]) =>
      ({ ...r, status: r.values.length ? [0, 1, 2, 3].map((s) => (counted.includes(s) ? OK : 0)) : [] }) as ItemResult;
    const b = side([
      only(eb, [0, 2]),
      plain('D', [1, NaN, NaN, NaN]),
      plain('B', [8, NaN, NaN, NaN]),
      plain('D', [2, NaN, NaN, NaN]),
    ]);
    const a = side([plain('A', [NaN, NaN, 6, NaN]), plain('D', [4, NaN, NaN, NaN]), only(ea, [0, 3])]);
    const { decomposition, unfactored } = decomposeCounted(b, a);
    expect(unfactored).toBe(3);
    const cc = decomposition.find((d) => d.criterion === 'CLIMATE_CHANGE')!;
    const ac = decomposition.find((d) => d.criterion === 'ACIDIFICATION')!;
    // CC before 50 + 10 + 1 + 2 + 8 = 71, after 75 + 4 + 6 = 85
    expect(cc.before).toBeCloseTo(71, 12);
    expect(cc.after).toBeCloseTo(85, 12);
    expect(cc.effects.fleet).toBeCloseTo(25, 12);
    expect(cc.effects.scope).toBeCloseTo(-10 + 1 - 8 + 6, 12);
    expect(ac.before).toBe(0);
    expect(ac.after).toBeCloseTo(0.3, 12);
    expect(ac.effects.scope).toBeCloseTo(0.3, 12);
    // The same from the held results (the other path of `decomposeCounted`'s inputs) and the reverse comparison.
    const held = (rs: ItemResult[]) => ({ layout, results: rs });
    expect(
      decomposeCounted(
        held([
          only(eb, [0, 2]),
          plain('D', [1, NaN, NaN, NaN]),
          plain('B', [8, NaN, NaN, NaN]),
          plain('D', [2, NaN, NaN, NaN]),
        ]),
        held([plain('A', [NaN, NaN, 6, NaN]), plain('D', [4, NaN, NaN, NaN]), only(ea, [0, 3])]),
      ),
    ).toEqual({ decomposition, unfactored });
    const back = decomposeCounted(a, b);
    expect(back.unfactored).toBe(3);
    const ccBack = back.decomposition.find((d) => d.criterion === 'CLIMATE_CHANGE')!;
    expect(ccBack.before).toBeCloseTo(85, 12);
    expect(ccBack.after).toBeCloseTo(71, 12);
    expect(ccBack.effects.fleet).toBeCloseTo(-25, 12);
    expect(ccBack.effects.scope).toBeCloseTo(10 - 1 + 8 - 6, 12);
  });
});

describe('item keys: the fingerprint of a key whatever the kind before it', () => {
  it('keys of alternating kinds and of one name are told apart and found by their text', () => {
    // The builder keeps the fingerprint's state after the last kind: alternating kinds must not reuse it.
    const r = (kind: string, name: string) => ({ ...plain(name, [1, NaN, NaN, NaN]), kind }) as unknown as ItemResult;
    const rs = [
      r('non-it', 'X'),
      r('physical-equipment', 'X'),
      r('non-it', 'X'),
      r('non-it', 'Y'),
      r('messaging', 'X'),
    ];
    const s = side(rs);
    expect([0, 1, 2, 3, 4].map((i) => s.keyIdOf(i))).toEqual([0, 1, 0, 2, 3]);
    for (let i = 0; i < rs.length; i++) expect(s.keyId(keyOf(rs[i]!))).toBe(s.keyIdOf(i));
    // The same keys given in another order: found across the two sides by fingerprint and parts.
    const t = side([...rs].reverse());
    for (let k = 0; k < 4; k++) expect(t.keyIdIn(s, k)).toBe(t.keyId(s.keyOf(k)));
  });
});

describe('inventory diff, by hand', () => {
  const pe = (name: string, quantity: number) => ({
    kind: 'physical-equipment' as const,
    item: { name, quantity, type: 'Laptop' },
  });
  it('a key met twice keeps its first place and its last item; added in the later order, removed in the earlier', () => {
    // before: A (1), B (2), A again (3): A is compared as A (3). after: C (1), A (3), C again (5), D (1).
    const d = inventoryDiff([pe('A', 1), pe('B', 2), pe('A', 3)], [pe('C', 1), pe('A', 3), pe('C', 5), pe('D', 1)]);
    expect(d.added).toEqual([
      { kind: 'physical-equipment', label: 'C', quantity: 5 },
      { kind: 'physical-equipment', label: 'D', quantity: 1 },
    ]);
    expect(d.removed).toEqual([{ kind: 'physical-equipment', label: 'B', quantity: 2 }]);
    expect(d.changed).toEqual([]);
    expect(d.unchanged).toBe(1);
    const e = inventoryDiff([pe('A', 1), pe('B', 2)], [pe('B', 2), pe('A', 4)]);
    expect(e.changed).toEqual([
      { kind: 'physical-equipment', label: 'A', quantityBefore: 1, quantityAfter: 4, fields: ['quantity'] },
    ]);
    expect(e.unchanged).toBe(1);
    expect(e.added).toEqual([]);
    expect(e.removed).toEqual([]);
  });
});
