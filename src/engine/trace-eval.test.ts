/**
 * Issue 10: every trace's formula, evaluated with its own variables, gives its indicator's value (relative 1e-9), and
 * every trace is a valid `TraceSchema` record — over an inventory of every kind the engine assesses (physical with and
 * without a lifetime, with a PUE, a period share ≠ 1, refurbished and reused lives F3, a usage share τ, whole-life and
 * unamortised factors; VMs by key, vCPU, storage, equal share and own consumption; applications on a VM and on a host;
 * cloud instances; non-IT; messaging; telework) and over generated inventories (fast-check). The check cases of §7 are
 * checked the same way in check-cases.test.ts.
 * Digital services (src/services) are not on the engine's trace model yet: once they are, their traces join here
 * (`checkAllTraces` takes any list of results with `explain`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVERY_KIND_CTX, stubCloud } from '../../test/helpers/engine.js';
import { everyKindRef, testReferential } from '../../test/helpers/referential.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import { assessInventory, type InventoryInput } from './assess.js';
import { ERROR, OK, type ItemResult } from './result.js';
import { checkResultTraces, evaluateFormula, traceDisagreement } from './trace-eval.js';

// The every-kind referential (lap, srv, phone, ups on two criteria) and three items of other shapes.
const shared = everyKindRef();
const ref = testReferential({
  ...shared,
  items: {
    ...shared.items,
    // A whole-life per-GB value (not amortised, §1.2).
    net: { factors: { WHOLE_LIFE: { CLIMATE_CHANGE: 0.0071 } }, unit: 'GB' },
    // An amortised item with one whole-life value: that slot is not divided by L.
    mixed: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 10 }, WHOLE_LIFE: { ACIDIFICATION: 0.2 } }, kwh: 5 },
    box: {
      factors: { MANUFACTURING: { CLIMATE_CHANGE: 60.8 }, DISTRIBUTION: { CLIMATE_CHANGE: 0.61 } },
      kwh: 70.08,
    },
  },
  types: {
    ...shared.types,
    Network: { lifespan: 1, defaultItem: 'net' },
    Box: { lifespan: 5, defaultItem: 'box' },
    Mixed: { lifespan: 3, defaultItem: 'mixed' },
  },
});

/** Checks every slot of every result; returns how many computed traces were evaluated per kind. */
function checkAllTraces(results: readonly ItemResult[]): Map<string, number> {
  const { problems, evaluated } = checkResultTraces(results);
  expect(problems).toEqual([]);
  // Issue 11: the formula text alone (long CSV, short JSON traces) is the trace's formula, slot by slot.
  for (const r of results)
    if (r.formula) for (let s = 0; s < r.values.length; s++) expect(r.formula(s)).toBe(r.explain(s).formula);
  // Telework boxes are physical equipment (F14): counted apart to show they were evaluated.
  const telework = results
    .filter((r) => r.name.startsWith('telework'))
    .reduce((n, r) => n + Array.from(r.status).filter((st) => st === OK).length, 0);
  evaluated.set('telework', telework);
  return evaluated;
}

const every: InventoryInput = {
  datacenters: [
    { name: 'DC1', pue: 1.42, location: 'Germany' },
    { name: 'DC2', location: 'France' }, // default PUE 1.7
  ],
  physical: [
    // Dates: bought mid-period → s = 184/365, REEL age vs expected; τ from usageRate.
    {
      name: 'lap-new',
      type: 'Laptop',
      quantity: 3,
      country: 'France',
      purchaseDate: '2025-07-01',
      usageRate: 0.57,
    },
    // COPE τ hypothesis, refurbished (F3 category: 0.5 × 2 = +1 year over the Laptop fleet) and reused (r × aval).
    {
      name: 'lap-refurb',
      type: 'Laptop',
      quantity: 2,
      country: 'Germany',
      internalLifeYears: 4,
      upstreamLifeYears: 2,
      downstreamLifeYears: 3,
      reuseRate: 0.4,
      usageMode: 'COPE',
      annualKWh: 31.5,
    },
    // Retired within the period: s < 1 and a lifetime from the dates, floored (0.25 year → 1).
    {
      name: 'lap-short',
      type: 'Laptop',
      quantity: 1,
      country: 'France',
      purchaseDate: '2025-01-01',
      retirementDate: '2025-04-01',
    },
    // Servers: measured PUE of DC1; default PUE of DC2; reuse without a rate (r = 1).
    { name: 'srv-1', type: 'Server', quantity: 1, datacenter: 'DC1', purchaseDate: '2021-03-15' },
    { name: 'srv-2', type: 'Server', quantity: 2, datacenter: 'DC2', internalLifeYears: 5, downstreamLifeYears: 2 },
    { name: 'srv-3', type: 'Server', quantity: 1, country: 'France', purchaseDate: '2023-02-01' },
    // No lifetime: only the use step is computed, with its PUE (the surviving mutation "PUE dropped" of issue 10).
    { name: 'appliance', type: 'Appliance', quantity: 4, datacenter: 'DC1', annualKWh: 500 },
    // EMBODIED only, and a whole-life factor not amortised.
    { name: 'phone', type: 'Smartphone', quantity: 10, country: 'France', usageMode: 'BYOD' },
    { name: 'traffic', type: 'Network', quantity: 1200, country: 'France', purchaseDate: '2024-10-01' },
    { name: 'mixed', type: 'Mixed', quantity: 7, country: 'Germany', internalLifeYears: 4 },
    // Out of the period (s = 0: values 0, still a reproducible trace).
    {
      name: 'gone',
      type: 'Laptop',
      quantity: 1,
      country: 'France',
      purchaseDate: '2019-01-01',
      retirementDate: '2024-06-30',
    },
  ],
  virtual: [
    { name: 'vm-key', host: 'srv-1', allocationKey: 0.25 },
    { name: 'vm-cpu-a', host: 'srv-2', vcpu: 4 },
    { name: 'vm-cpu-b', host: 'srv-2', vcpu: 12, annualKWh: 80 },
    { name: 'vm-sto-a', host: 'srv-3', vmType: 'storage', storage: 500 },
    { name: 'vm-sto-b', host: 'srv-3', vmType: 'storage', storage: 1500 },
    { name: 'vm-eq', host: 'srv-1', vmType: 'storage' },
    { name: 'vm-short', host: 'lap-short', annualKWh: 12 },
    {
      name: 'cloud-1',
      infrastructure: 'CLOUD_SERVICES',
      provider: 'aws',
      instanceType: 'm5.large',
      quantity: 3,
      location: 'Germany',
    },
    { name: 'cloud-2', infrastructure: 'CLOUD_SERVICES', provider: 'aws', instanceType: 'unknown' },
  ],
  applications: [
    { name: 'app-a', vm: 'vm-cpu-a', environment: 'Production' },
    { name: 'app-b', vm: 'vm-cpu-a', environment: 'Production' },
    { name: 'app-c', vm: 'vm-cpu-b', environment: 'Test' },
    { name: 'app-host', host: 'srv-1', environment: 'Production' },
  ],
  nonIt: [
    { name: 'ups-1', type: 'UPS', quantity: 2, location: 'France', lifeYears: 8 },
    { name: 'ups-2', type: 'UPS', quantity: 1, location: 'Germany', datacenter: 'DC1', annualKWh: 1000 },
  ],
  messaging: [
    { year: 2025, month: 3, sentCount: 12000, totalVolume: 4800, sentTimesRecipients: 30000, entity: 'HQ' },
    { year: 2024, month: 12, sentCount: 500, totalVolume: 90, sentTimesRecipients: 700 },
  ],
};

describe('the trace evaluator', () => {
  it('follows precedence, parentheses, ×, ÷, −, exponents and reads symbols as their variables', () => {
    expect(evaluateFormula('(2 × 3 + 4) / 5 − 1')).toBe(1);
    expect(evaluateFormula('2 + 3 × 4')).toBe(14);
    expect(evaluateFormula('12 ÷ 4 ÷ 3')).toBe(1);
    expect(evaluateFormula('-2 × 1e-3')).toBe(-0.002);
    expect(evaluateFormula('(q × F × τ) / L', { q: v(2), F: v(10), tau: v(0.5), L: v(4) })).toBe(2.5);
    expect(evaluateFormula('I_host × α', { I_host: v(8), alpha: v(0.25) })).toBe(2);
  });
  it('refuses what it cannot read: unknown or text variables, stray input', () => {
    expect(() => evaluateFormula('q × E', { q: v(1) })).toThrow(/unknown variable 'E'/);
    expect(() => evaluateFormula('q × location', { q: v(1), location: { value: 'France' } })).toThrow(/not a number/);
    expect(() => evaluateFormula('2 × (3')).toThrow(/missing/);
    expect(() => evaluateFormula('process.exit(1)')).toThrow();
  });
  it('finds a trace whose formula does not give its value', () => {
    const trace = {
      formula: '(q × F × τ) / L = (1 × 100 × 1) / 4 = 25',
      variables: { q: v(1), F: v(100), tau: v(1), L: v(5) },
      warnings: [],
    };
    expect(traceDisagreement(trace, 25)).toMatch(/gives 20/);
    expect(traceDisagreement({ ...trace, variables: { ...trace.variables, L: v(4) } }, 25)).toBeUndefined();
    expect(traceDisagreement({ ...trace, variables: { ...trace.variables, L: v(4) } }, 26)).toMatch(/gives 25/);
  });
});

function v(value: number): { value: number; unit: string; origin: 'INPUT' } {
  return { value, unit: '', origin: 'INPUT' };
}

describe('every trace reproduces its value (issue 10)', () => {
  it('an inventory of every kind: physical, VM, application, cloud, non-IT, messaging, telework', () => {
    const out = assessInventory(
      every,
      ref,
      { ...EVERY_KIND_CTX, telework: [{ country: 'France', employees: 120, daysPerYear: 90 }] },
      { cloud: stubCloud },
    );
    const size = out.results[0]!.values.length;
    const evaluated = checkAllTraces(out.results);
    for (const kind of ['physical-equipment', 'virtual-equipment', 'application', 'non-it', 'messaging', 'telework'])
      expect(evaluated.get(kind) ?? 0, kind).toBeGreaterThan(0);
    // The branches the inventory is there for were taken.
    const byName = new Map(out.results.map((r) => [r.name, r]));
    const appliance = byName.get('appliance')!;
    expect(Array.from(appliance.status)).toContain(ERROR); // no lifetime
    expect(Array.from(appliance.status)).toContain(OK); // its use step
    expect(byName.get('lap-new')!.periodShare).toBeCloseTo(184 / 365, 15);
    expect(byName.get('gone')!.outOfPeriod?.code).toBe('CALC_OUT_OF_PERIOD');
    // F14: the boxes' quantity is derived, its formula in the trace: (120 × 90/365) / 2.16 = 13.698630…
    const box = out.results.find((r) => r.name.startsWith('telework'))!;
    expect(box.quantity).toBeCloseTo((120 * 90) / 365 / 2.16, 12);
    const q = box.explain(0).variables['q']!;
    expect(q).toMatchObject({ value: box.quantity, origin: 'DERIVED' });
    const [, f14] = /^F14 telework boxes: (.*)$/.exec(q.note ?? '')!;
    expect(f14!.startsWith('(N_emp × d/D) / p = (120 × 90/365) / 2.16 = ')).toBe(true);
    expect(evaluateFormula(f14!.split(' = ')[1]!)).toBeCloseTo(box.quantity, 12);
    // An amortised item's whole-life slot: 7 × 0.2 (not divided by its 4 years), L = 1 by default in its trace.
    const mixed = out.indicators.find((i) => i.item === 'mixed' && i.lifecycleStep === 'WHOLE_LIFE')!;
    expect(mixed.value).toBeCloseTo(1.4, 12);
    expect(mixed.trace!.variables['L']).toEqual({ value: 1, unit: 'yr', origin: 'DEFAULT' });
    expect(Array.from(byName.get('cloud-1')!.status)).toContain(OK);
    expect(Array.from(byName.get('cloud-2')!.status)).toContain(ERROR);
    const rules = new Set(
      out.results.flatMap((r) =>
        r.kind === 'virtual-equipment' || r.kind === 'application'
          ? Array.from({ length: size }, (_, s) => r.explain(s).allocation?.rule).filter((x) => x !== undefined)
          : [],
      ),
    );
    expect([...rules].sort()).toEqual([
      'ALLOCATION_KEY',
      'EQUAL',
      'OWN_CONSUMPTION',
      'PER_APPLICATION_ON_HOST',
      'PER_APPLICATION_ON_VM',
      'STORAGE',
      'VCPU',
    ]);
  });

  it('the same inventory under the numecoeval profile (s = 1, no period trace) and lifetime method FIXE', () => {
    for (const ctx of [{ profile: 'numecoeval' as const }, { lifetimeMethod: 'FIXE' as const }]) {
      const out = assessInventory(every, ref, { ...EVERY_KIND_CTX, ...ctx }, { cloud: stubCloud });
      checkAllTraces(out.results);
    }
  });

  it('generated inventories (fast-check): quantities, shares, dates, PUEs, lifetimes, allocations', () => {
    const day = fc
      .integer({ min: 0, max: 4000 })
      .map((d) => new Date(Date.UTC(2015, 0, 1) + d * 864e5).toISOString().slice(0, 10));
    const positive = fc.double({ min: 0.01, max: 5000, noNaN: true });
    const physical = fc.record(
      {
        type: fc.constantFrom('Laptop', 'Server', 'Appliance', 'Smartphone', 'Network', 'Box', 'Mixed'),
        quantity: fc.double({ min: 0.5, max: 1000, noNaN: true }),
        country: fc.constantFrom('France', 'Germany'),
        datacenter: fc.constantFrom('DC1', 'DC2'),
        purchaseDate: day,
        retirementDate: day,
        internalLifeYears: fc.double({ min: 0.1, max: 12, noNaN: true }),
        upstreamLifeYears: fc.double({ min: 0.1, max: 5, noNaN: true }),
        downstreamLifeYears: fc.double({ min: 0.1, max: 5, noNaN: true }),
        reuseRate: fc.double({ min: 0, max: 1, noNaN: true }),
        refurbishedRate: fc.double({ min: 0, max: 1, noNaN: true }),
        usageRate: fc.double({ min: 0.01, max: 1, noNaN: true }),
        usageMode: fc.constantFrom('BYOD', 'COPE', 'PRO'),
        annualKWh: positive,
      },
      { requiredKeys: ['type', 'quantity'] },
    );
    const inventory = fc.record({
      physical: fc.array(physical, { minLength: 1, maxLength: 8 }),
      vms: fc.array(
        fc.record(
          {
            host: fc.nat({ max: 7 }),
            allocationKey: fc.double({ min: 0.01, max: 1, noNaN: true }),
            vcpu: fc.integer({ min: 1, max: 64 }),
            storage: fc.integer({ min: 1, max: 4000 }),
            vmType: fc.constantFrom('compute' as const, 'storage' as const),
            annualKWh: positive,
            apps: fc.nat({ max: 3 }),
          },
          { requiredKeys: ['host', 'apps'] },
        ),
        { maxLength: 6 },
      ),
      hostApps: fc.nat({ max: 2 }),
      pue: fc.double({ min: 1, max: 3, noNaN: true }),
      messaging: fc.array(
        fc.record({
          month: fc.integer({ min: 1, max: 12 }),
          year: fc.constantFrom(2024, 2025),
          sentCount: fc.integer({ min: 1, max: 1e6 }),
          totalVolume: positive,
          sentTimesRecipients: fc.integer({ min: 1, max: 1e7 }),
        }),
        { maxLength: 3 },
      ),
      employees: fc.integer({ min: 1, max: 5000 }),
      profile: fc.constantFrom('rcp' as const, 'numecoeval' as const),
    });
    fc.assert(
      fc.property(inventory, (g) => {
        const physicalItems: PhysicalEquipment[] = g.physical.map((p, i) => {
          const dates =
            p.purchaseDate !== undefined && p.retirementDate !== undefined && p.retirementDate < p.purchaseDate
              ? { purchaseDate: p.retirementDate, retirementDate: p.purchaseDate }
              : {
                  ...(p.purchaseDate !== undefined ? { purchaseDate: p.purchaseDate } : {}),
                  ...(p.retirementDate !== undefined ? { retirementDate: p.retirementDate } : {}),
                };
          return { ...p, ...dates, name: `p${i}`, country: p.country ?? 'France' };
        });
        const vms = g.vms.map((vm, i) => {
          const { host, apps: _apps, ...rest } = vm;
          return { ...rest, name: `vm${i}`, host: `p${host % physicalItems.length}` };
        });
        const out = assessInventory(
          {
            datacenters: [
              { name: 'DC1', pue: g.pue, location: 'Germany' },
              { name: 'DC2', location: 'France' },
            ],
            physical: physicalItems,
            virtual: vms,
            applications: [
              ...g.vms.flatMap((vm, i) =>
                Array.from({ length: vm.apps }, (_, k) => ({ name: `a${i}-${k}`, vm: `vm${i}`, environment: 'P' })),
              ),
              ...Array.from({ length: g.hostApps }, (_, k) => ({ name: `h${k}`, host: 'p0', environment: 'P' })),
            ],
            nonIt: [{ name: 'ups', type: 'UPS', quantity: 1, location: 'France', annualKWh: 300 }],
            messaging: g.messaging,
          },
          ref,
          {
            ...EVERY_KIND_CTX,
            profile: g.profile,
            telework: [{ country: 'Germany', employees: g.employees, daysPerYear: 100 }],
          },
          { cloud: stubCloud },
        );
        checkAllTraces(out.results);
      }),
      { numRuns: 60 },
    );
  });
});
