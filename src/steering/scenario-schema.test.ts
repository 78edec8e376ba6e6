import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteeringError } from './errors.js';
import {
  type CloudRow,
  type DatacenterRow,
  type EquipmentRow,
  type ScenarioInventory,
  applyScenario,
  parseScenario,
} from './scenario-schema.js';

const vocabulary = {
  types: ['Laptop', 'Desktop', 'Monitor', 'Thin client'],
  statuses: ['In use', 'En stock'],
  datacenters: ['DC-Paris'],
};

interface Row extends EquipmentRow {
  readonly entity?: string;
}

function freeze<T>(x: T): T {
  return Object.freeze(x);
}

const inventory: ScenarioInventory<Row, CloudRow, DatacenterRow> = freeze({
  equipment: freeze([
    freeze({ name: 'laptops', type: 'Laptop', quantity: 100, internalLifeYears: 4, entity: 'HQ', status: 'In use' }),
    freeze({
      name: 'desktops',
      type: 'Desktop',
      quantity: 40,
      model: 'OptiPlex 7090',
      annualKWh: 120,
      internalLifeYears: 5,
      entity: 'HQ',
      country: 'France',
      status: 'In use',
    }),
    freeze({ name: 'spare screens', type: 'Monitor', quantity: 30, status: 'En stock' }),
    freeze({ name: 'screens', type: 'Monitor', quantity: 150, status: 'In use' }),
  ]),
  cloud: freeze([freeze({ name: 'vm-1', location: 'eu-west-3' }), freeze({ name: 'vm-2', location: 'us-east-1' })]),
  datacenters: freeze([freeze({ name: 'DC-Paris', pue: 1.6 }), freeze({ name: 'DC-Lyon', pue: 1.4 })]),
});

function steeringError(f: () => unknown): SteeringError {
  try {
    f();
  } catch (e) {
    if (e instanceof SteeringError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('parseScenario', () => {
  it('accepts the example of the issue', () => {
    const s = parseScenario(
      {
        name: 'Laptops kept one more year, half the desktops replaced by laptops',
        levers: [
          { lifetime: { type: 'Laptop', addYears: 1 } },
          { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
        ],
      },
      vocabulary,
    );
    expect(s.levers).toHaveLength(2);
    expect(s.levers[1]).toEqual({ replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } });
  });

  it('rejects a share outside 0–1 with the field path and the allowed range', () => {
    const e = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ replace: { from: 'Desktop', to: 'Laptop', share: 1.5 } }] }, vocabulary),
    );
    expect(e.code).toBe('STR_SHARE_RANGE');
    expect(e.path).toBe('levers.0.replace.share');
    expect(e.allowed).toEqual(['0 ≤ share ≤ 1']);
  });

  it('rejects a negative lifetime extension', () => {
    const e = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ lifetime: { type: 'Laptop', addYears: -1 } }] }, vocabulary),
    );
    expect([e.code, e.path]).toEqual(['STR_LIFETIME_NEGATIVE', 'levers.0.lifetime.addYears']);
  });

  it('rejects an unknown type, listing the known types', () => {
    const e = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ replace: { from: 'Desktop', to: 'Tablet', share: 0.5 } }] }, vocabulary),
    );
    expect(e.code).toBe('STR_UNKNOWN_TYPE');
    expect(e.path).toBe('levers.0.replace.to');
    expect(e.allowed).toEqual(vocabulary.types);
    expect(e.message).toContain('Laptop, Desktop, Monitor, Thin client');
  });

  it('rejects an unknown lever, a lever with two keys, unknown status and datacenter, a PUE below 1', () => {
    const unknown = steeringError(() => parseScenario({ name: 'x', levers: [{ teleport: {} }] }, vocabulary));
    expect([unknown.code, unknown.path]).toEqual(['STR_UNKNOWN_LEVER', 'levers.0']);
    expect(unknown.allowed).toContain('cloudRegion');
    const two = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ pue: { value: 1.2 }, electricity: { country: 'France' } }] }, vocabulary),
    );
    expect(two.code).toBe('STR_UNKNOWN_LEVER');
    const status = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ removeByStatus: { status: 'Lost' } }] }, vocabulary),
    );
    expect([status.code, status.path, status.allowed]).toEqual([
      'STR_UNKNOWN_STATUS',
      'levers.0.removeByStatus.status',
      ['In use', 'En stock'],
    ]);
    const dc = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ pue: { datacenter: 'DC-Nowhere', value: 1.2 } }] }, vocabulary),
    );
    expect([dc.code, dc.path]).toEqual(['STR_UNKNOWN_DATACENTER', 'levers.0.pue.datacenter']);
    const pue = steeringError(() => parseScenario({ name: 'x', levers: [{ pue: { value: 0.9 } }] }, vocabulary));
    expect([pue.code, pue.path]).toEqual(['STR_PUE_RANGE', 'levers.0.pue.value']);
  });

  it('rejects an electricity lever with both or neither dataset and country, and an unknown field in a lever', () => {
    const both = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ electricity: { dataset: 'a', country: 'France' } }] }, vocabulary),
    );
    expect([both.code, both.path]).toEqual(['STR_LEVER_SHAPE', 'levers.0.electricity']);
    const extra = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ lifetime: { type: 'Laptop', addYears: 1, years: 2 } }] }, vocabulary),
    );
    expect([extra.code, extra.path]).toEqual(['STR_LEVER_SHAPE', 'levers.0.lifetime']);
    expect(extra.allowed).toEqual(['type', 'addYears']);
    const same = steeringError(() =>
      parseScenario({ name: 'x', levers: [{ replace: { from: 'Laptop', to: 'Laptop', share: 0.5 } }] }, vocabulary),
    );
    expect([same.code, same.path, same.allowed]).toEqual([
      'STR_LEVER_SHAPE',
      'levers.0.replace.to',
      ['a type other than Laptop'],
    ]);
  });

  it('collects every problem, and returns nothing from a half-valid scenario', () => {
    const e = steeringError(() =>
      parseScenario(
        {
          name: '',
          levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }, { refurbished: { type: 'Laptop', share: -0.1 } }],
        },
        vocabulary,
      ),
    );
    expect(e.issues.map((i) => [i.code, i.path])).toEqual([
      ['STR_SCENARIO_FIELD', 'name'],
      ['STR_SHARE_RANGE', 'levers.1.refurbished.share'],
    ]);
    expect(steeringError(() => parseScenario({ name: 'x', levers: [] }, vocabulary)).path).toBe('levers');
  });
});

describe('applyScenario', () => {
  const parse = (levers: unknown[]) => parseScenario({ name: 'test', levers }, vocabulary);

  it('lifetime lever: a fixed-lifetime laptop row goes from 4 to 5 years, so its embodied steps scale by 4/5', () => {
    const out = applyScenario(inventory, parse([{ lifetime: { type: 'Laptop', addYears: 1 } }]));
    const laptops = out.equipment[0];
    expect(laptops?.internalLifeYears).toBe(5);
    // F5: embodied = q·F·τ/L; with F = 300 kg: before 100·300/4 = 7500, after 100·300/5 = 6000 = 7500 × L/(L + N) = 7500 × 4/5.
    const embodied = (r: EquipmentRow | undefined): number =>
      r === undefined ? NaN : (r.quantity * 300) / (r.internalLifeYears ?? NaN);
    expect(embodied(laptops)).toBe(6000);
    expect(embodied(laptops) / embodied(inventory.equipment[0])).toBeCloseTo(4 / 5, 15);
    // Other rows untouched, input not modified (frozen), extra fields kept.
    expect(out.equipment[1]).toBe(inventory.equipment[1]);
    expect(inventory.equipment[0]?.internalLifeYears).toBe(4);
    expect(laptops?.entity).toBe('HQ');
  });

  it('lifetime lever on a row without a fixed lifetime uses the engine’s current lifetime and clears the dates', () => {
    const inv = {
      ...inventory,
      equipment: [
        { name: 'pc', type: 'Laptop', quantity: 2, purchaseDate: '2021-01-01' },
        { name: 'old', type: 'Laptop', quantity: 1, purchaseDate: '2015-01-01', retirementDate: '2024-06-30' },
      ],
    };
    const out = applyScenario(inv, parse([{ lifetime: { type: 'Laptop', addYears: 2 } }]), {
      currentLifetime: () => 4.5,
    });
    expect(out.equipment[0]).toMatchObject({ internalLifeYears: 6.5, purchaseDate: undefined });
    // a retired item keeps its retirement date (it stays out of a later period): 4.5 + 2 = 6.5
    expect(out.equipment[1]).toMatchObject({
      internalLifeYears: 6.5,
      purchaseDate: undefined,
      retirementDate: '2024-06-30',
    });
    const e = steeringError(() => applyScenario(inv, parse([{ lifetime: { type: 'Laptop', addYears: 2 } }])));
    expect([e.code, e.path]).toEqual(['STR_LIFETIME_UNKNOWN', 'levers.0.lifetime.type']);
  });

  it('replace lever moves exactly the replaced share of the quantity', () => {
    // 40 desktops, share 0.25 → 40 × 0.75 = 30 desktops stay, 40 × 0.25 = 10 laptops appear; total still 40.
    const out = applyScenario(inventory, parse([{ replace: { from: 'Desktop', to: 'Laptop', share: 0.25 } }]));
    expect(out.equipment.map((r) => [r.name, r.type, r.quantity])).toEqual([
      ['laptops', 'Laptop', 100],
      ['desktops', 'Desktop', 30],
      ['desktops → Laptop', 'Laptop', 10],
      ['spare screens', 'Monitor', 30],
      ['screens', 'Monitor', 150],
    ]);
    const moved = out.equipment[2];
    // Organisational fields kept, equipment-specific ones cleared (the engine uses the Laptop defaults).
    expect(moved).toMatchObject({ entity: 'HQ', country: 'France', status: 'In use' });
    expect(moved?.model).toBeUndefined();
    expect(moved?.annualKWh).toBeUndefined();
    expect(moved?.internalLifeYears).toBeUndefined();
    // share 1: the row is replaced whole.
    const all = applyScenario(inventory, parse([{ replace: { from: 'Desktop', to: 'Thin client', share: 1 } }]));
    expect(all.equipment.filter((r) => r.name.startsWith('desktops')).map((r) => [r.type, r.quantity])).toEqual([
      ['Thin client', 40],
    ]);
  });

  it('refurbished lever sets the rate and the upstream duration (F3)', () => {
    const out = applyScenario(inventory, parse([{ refurbished: { type: 'Laptop', share: 0.2, upstreamYears: 3 } }]));
    // F3: L += 3 × 0.2 = 0.6 year for these laptops once assessed.
    expect(out.equipment[0]).toMatchObject({ refurbishedRate: 0.2, upstreamLifeYears: 3, internalLifeYears: 4 });
    const e = steeringError(() => applyScenario(inventory, parse([{ refurbished: { type: 'Laptop', share: 0.2 } }])));
    expect([e.code, e.path]).toEqual(['STR_LIFETIME_UNKNOWN', 'levers.0.refurbished.upstreamYears']);
  });

  it('devicesPerAgent scales the type to value × agents', () => {
    // Monitors 30 + 150 = 180 for 90 agents (2 per agent); 1 per agent → 90: factor 0.5 → 15 and 75.
    const out = applyScenario(inventory, parse([{ devicesPerAgent: { type: 'Monitor', value: 1 } }]), { agents: 90 });
    expect(out.equipment.filter((r) => r.type === 'Monitor').map((r) => r.quantity)).toEqual([15, 75]);
    const e = steeringError(() =>
      applyScenario(inventory, parse([{ devicesPerAgent: { type: 'Monitor', value: 1 } }])),
    );
    expect(e.code).toBe('STR_AGENTS_UNKNOWN');
    const none = steeringError(() =>
      applyScenario(inventory, parse([{ devicesPerAgent: { type: 'Thin client', value: 1 } }]), { agents: 90 }),
    );
    expect(none.code).toBe('STR_DEVICES_PER_AGENT_NO_ROWS');
  });

  it('removeByStatus, pue, electricity and cloudRegion', () => {
    const out = applyScenario(
      inventory,
      parse([
        { removeByStatus: { status: 'En stock' } },
        { pue: { datacenter: 'DC-Paris', value: 1.3 } },
        { electricity: { country: 'Sweden', value: 0.02 } },
        { cloudRegion: { from: 'us-east-1', to: 'eu-north-1' } },
      ]),
    );
    expect(out.equipment.map((r) => r.name)).toEqual(['laptops', 'desktops', 'screens']);
    expect(out.datacenters).toEqual([
      { name: 'DC-Paris', pue: 1.3 },
      { name: 'DC-Lyon', pue: 1.4 },
    ]);
    expect(out.electricity).toEqual({ countries: [{ country: 'Sweden', value: 0.02, criterion: 'CLIMATE_CHANGE' }] });
    expect(out.cloud).toEqual([
      { name: 'vm-1', location: 'eu-west-3' },
      { name: 'vm-2', location: 'eu-north-1' },
    ]);
    // Without a datacenter name the PUE applies to every datacenter.
    const all = applyScenario(inventory, parse([{ pue: { value: 1.2 } }]));
    expect(all.datacenters.map((d) => d.pue)).toEqual([1.2, 1.2]);
  });

  it('applies the levers in order', () => {
    // Replace half the 40 desktops by laptops (20 new laptops, no fixed lifetime), then extend laptops by 1 year:
    // the original laptop row 4 → 5; the new row gets currentLifetime 3 + 1 = 4.
    const out = applyScenario(
      inventory,
      parse([
        { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
        { lifetime: { type: 'Laptop', addYears: 1 } },
      ]),
      { currentLifetime: () => 3 },
    );
    expect(out.equipment.filter((r) => r.type === 'Laptop').map((r) => [r.quantity, r.internalLifeYears])).toEqual([
      [100, 5],
      [20, 4],
    ]);
  });
});

describe('applyScenario — the caller’s copy', () => {
  const parse = (levers: unknown[]) => parseScenario({ name: 'test', levers }, vocabulary);
  it('makes every row a lever changes, with the same fields as the default copy; rows left alone are the same objects', () => {
    const made = new Set<object>();
    const copy = (row: Row, changes: Partial<Row>): Row => {
      const r = { ...row, ...changes };
      made.add(r);
      return r;
    };
    const levers = parse([
      { refurbished: { type: 'Desktop', share: 0.2, upstreamYears: 2 } },
      { lifetime: { type: 'Laptop', addYears: 1 } },
      { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
      { devicesPerAgent: { type: 'Monitor', value: 1 } },
    ]);
    const withCopy = applyScenario(inventory, levers, { agents: 90, copy });
    const plain = applyScenario(inventory, levers, { agents: 90 });
    expect(withCopy.equipment).toEqual(plain.equipment);
    // laptops (lifetime), desktops kept half and moved half (replace), both monitor rows (devicesPerAgent)
    expect(withCopy.equipment.map((r) => made.has(r))).toEqual(withCopy.equipment.map(() => true));
    const none = applyScenario(inventory, parse([{ removeByStatus: { status: 'En stock' } }]), { copy });
    expect(none.equipment.every((r) => inventory.equipment.includes(r))).toBe(true);
  });
});

describe('applyScenario — properties', () => {
  const rows = fc.array(
    fc.record({
      type: fc.constantFrom('Laptop', 'Desktop', 'Monitor'),
      quantity: fc.integer({ min: 1, max: 1000 }),
      internalLifeYears: fc.double({ min: 1, max: 10, noNaN: true }),
    }),
    { maxLength: 20 },
  );

  it('replace moves share × quantity of the type and keeps the total quantity', () => {
    fc.assert(
      fc.property(rows, fc.double({ min: 0, max: 1, noNaN: true }), (list, share) => {
        const inv = { equipment: list.map((r, i) => ({ ...r, name: `r${i}` })), cloud: [], datacenters: [] };
        const out = applyScenario(
          inv,
          parseScenario({ name: 'p', levers: [{ replace: { from: 'Desktop', to: 'Laptop', share } }] }, vocabulary),
        );
        const total = (xs: readonly EquipmentRow[], type?: string): number =>
          xs.filter((r) => type === undefined || r.type === type).reduce((s, r) => s + r.quantity, 0);
        const desktops = total(inv.equipment, 'Desktop');
        expect(total(out.equipment)).toBeCloseTo(total(inv.equipment), 9);
        expect(total(out.equipment, 'Desktop')).toBeCloseTo(desktops * (1 - share), 9);
        expect(total(out.equipment, 'Laptop')).toBeCloseTo(total(inv.equipment, 'Laptop') + desktops * share, 9);
      }),
      { seed: 41, numRuns: 200 },
    );
  });

  it('lifetime adds exactly N years to every fixed-lifetime row of the type and to no other', () => {
    fc.assert(
      fc.property(rows, fc.double({ min: 0, max: 5, noNaN: true }), (list, n) => {
        const inv = { equipment: list.map((r, i) => ({ ...r, name: `r${i}` })), cloud: [], datacenters: [] };
        const out = applyScenario(
          inv,
          parseScenario({ name: 'p', levers: [{ lifetime: { type: 'Monitor', addYears: n } }] }, vocabulary),
        );
        out.equipment.forEach((r, i) => {
          const before = inv.equipment[i];
          expect(r.internalLifeYears).toBe((before?.internalLifeYears ?? 0) + (r.type === 'Monitor' ? n : 0));
        });
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
