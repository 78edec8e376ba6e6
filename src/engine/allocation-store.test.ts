/**
 * Issue 11, memory of a mixed estate: a VM is kept for its applications as a compact record (values, statuses, errors
 * rebuilt on demand) and dropped once the applications the pre-pass counted are assessed. The applications must get
 * exactly what they got from the VM's full result.
 */
import { describe, expect, it } from 'vitest';
import { CTX } from '../../test/helpers/engine.js';
import { testReferential } from '../../test/helpers/referential.js';
import type { Application, PhysicalEquipment, VirtualEquipment } from '../inventory/model.js';
import { Assessment } from './assess.js';

const ref = testReferential({
  items: {
    srv: {
      factors: { MANUFACTURING: { CLIMATE_CHANGE: 1000 }, END_OF_LIFE: { CLIMATE_CHANGE: 10 } },
      kwh: 1000,
    },
  },
  types: { Server: { lifespan: 4, defaultItem: 'srv', isServer: true } },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});

const host: PhysicalEquipment = { name: 'h1', type: 'Server', quantity: 1, country: 'France', internalLifeYears: 4 };
const vms: VirtualEquipment[] = [
  { name: 'v1', host: 'h1', vcpu: 1 },
  { name: 'v2', host: 'h1', vcpu: 3, annualKWh: 100 },
] as VirtualEquipment[];
const apps: Application[] = [
  { name: 'a1', environment: 'prod', vm: 'v1', host: 'h1' },
  { name: 'a2', environment: 'prod', vm: 'v1', host: 'h1' },
  { name: 'a3', environment: 'prod', vm: 'v2' },
  { name: 'a4', environment: 'prod', vm: 'v2', host: 'h1' },
] as Application[];

function runAll(hostPresent: boolean) {
  const a = new Assessment(ref, CTX);
  for (const vm of vms) a.indexVirtual(vm);
  for (const app of apps) a.indexApplication(app);
  if (hostPresent) a.physical(host);
  const vmResults = vms.map((vm) => a.virtual(vm));
  const appResults = apps.map((app) => a.application(app));
  return { a, vmResults, appResults };
}

describe('VMs kept for their applications (compact, freed)', () => {
  for (const hostPresent of [true, false]) {
    it(`applications get their VM's values, statuses and errors (host ${hostPresent ? 'computed' : 'missing'})`, () => {
      const { vmResults, appResults } = runAll(hostPresent);
      const n = vmResults[0]!.values.length;
      const parentOf = [vmResults[0]!, vmResults[0]!, vmResults[1]!, vmResults[1]!];
      const divisor = [2, 2, 1, 1];
      appResults.forEach((r, i) => {
        const p = parentOf[i]!;
        for (let s = 0; s < n; s++) {
          expect(r.status[s]).toBe(p.status[s]);
          if (p.status[s] === 1) expect(r.values[s]).toBe(p.values[s]! / divisor[i]!);
          if (p.status[s] === 2) expect(r.errors.get(s)).toEqual(p.errors.get(s));
        }
      });
      // No DISTRIBUTION factor: the host's slot is in error, so are its VMs' and applications' (errors compared).
      expect([...vmResults[0]!.errors.values()].map((e) => e.code)).toContain('CALC_HOST_IN_ERROR');
    });
  }

  it('an application beyond those the pre-pass counted is refused loudly, never given a dropped VM', () => {
    const { a } = runAll(true);
    expect(() => a.application(apps[0]!)).toThrow(/more applications than the pre-pass counted/);
  });
});

describe('hosts kept as compact views for their VMs and applications (issue 11)', () => {
  it('VMs and applications on a host get the values of its full result, and its formula in their traces', () => {
    const a = new Assessment(ref, CTX);
    for (const vm of vms) a.indexVirtual(vm);
    a.indexApplication({ name: 'on-host', environment: 'prod', host: 'h1' } as Application);
    const h = a.physical(host);
    const cc = (step: string) => a.layout.slot(step as 'USE', 'CLIMATE_CHANGE');
    // By hand: manufacturing 1000 / 4 years = 250 kg; use 1000 kWh × default PUE × 0.05 kg/kWh.
    expect(h.values[cc('MANUFACTURING')]).toBe(250);
    const v1 = a.virtual(vms[0]!);
    const app = a.application({ name: 'on-host', environment: 'prod', host: 'h1' } as Application);
    const n = h.values.length;
    for (let s = 0; s < n; s++) {
      if (h.status[s] !== 1) continue;
      // F8 vCPU share 1 / (1 + 3); F9 one application on the host.
      if (a.layout.stepOf(s) !== 'USE' || vms[0]!.annualKWh === undefined)
        expect(v1.values[s]).toBe(h.values[s]! * 0.25);
      expect(app.values[s]).toBe(h.values[s]! / 1);
      expect(v1.explain(s).resolution).toEqual({ host: 'h1', hostFormula: h.explain(s).formula });
    }
    expect(v1.values[cc('MANUFACTURING')]).toBe(62.5);
  });
});

describe('allocated values by hand, errors built on demand, VMs freed (issue 11, mixed estate)', () => {
  // By hand: the host's manufacturing 1000 kg / 4 years = 250 kg, its end of life 10 / 4 = 2.5 kg; α by vCPU
  // 1 / (1 + 3) for v1 and 3 / 4 for v2; a1 and a2 share v1 (n = 2), a3 (v2 by its name alone) and a4 (v2 with its
  // host) are each alone under their key (n = 1).
  const expected: Record<string, { MANUFACTURING: number; END_OF_LIFE: number }> = {
    v1: { MANUFACTURING: 62.5, END_OF_LIFE: 0.625 },
    v2: { MANUFACTURING: 187.5, END_OF_LIFE: 1.875 },
    a1: { MANUFACTURING: 31.25, END_OF_LIFE: 0.3125 },
    a2: { MANUFACTURING: 31.25, END_OF_LIFE: 0.3125 },
    a3: { MANUFACTURING: 187.5, END_OF_LIFE: 1.875 },
    a4: { MANUFACTURING: 187.5, END_OF_LIFE: 1.875 },
  };

  it("a VM gets its host's values × α and an application its VM's ÷ n, from the VM kept as its inputs", () => {
    const { a, vmResults, appResults } = runAll(true);
    const slot = (step: 'MANUFACTURING' | 'END_OF_LIFE') => a.layout.slot(step, 'CLIMATE_CHANGE');
    for (const r of [...vmResults, ...appResults]) {
      for (const step of ['MANUFACTURING', 'END_OF_LIFE'] as const) {
        expect(r.status[slot(step)], `${r.name} ${step}`).toBe(1);
        expect(r.values[slot(step)], `${r.name} ${step}`).toBe(expected[r.name]![step]);
      }
    }
  });

  it('errors: one per slot in error, built on first read, the same objects when read again, in slot order', () => {
    const { a, vmResults, appResults } = runAll(true);
    for (const r of [...vmResults, ...appResults]) {
      const inError = [...Array(a.layout.size).keys()].filter((s) => r.status[s] === 2);
      expect(inError.length).toBeGreaterThan(0); // DISTRIBUTION has no factor in this referential
      expect(r.errors.size).toBe(inError.length);
      expect([...r.errors.keys()]).toEqual(inError);
      for (const s of inError) {
        expect(r.errors.has(s)).toBe(true);
        expect(r.errors.get(s)).toBe(r.errors.get(s));
      }
      const ok = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
      expect(r.errors.has(ok)).toBe(false);
      expect(r.errors.get(ok)).toBeUndefined();
    }
    // The host's DISTRIBUTION slot is in error: v1's names its host and itself; a1's is its VM's (the same content).
    const dist = a.layout.slot('DISTRIBUTION', 'CLIMATE_CHANGE');
    expect(vmResults[0]!.errors.get(dist)).toMatchObject({
      code: 'CALC_HOST_IN_ERROR',
      details: { host: 'h1', step: 'DISTRIBUTION', criterion: 'CLIMATE_CHANGE', vm: 'v1' },
    });
    expect(appResults[0]!.errors.get(dist)).toEqual(vmResults[0]!.errors.get(dist));
    expect(new Map(appResults[0]!.errors)).toEqual(new Map(vmResults[0]!.errors));
  });

  it('without a computed host, a VM and its applications are in error on every slot but embodied and whole-life', () => {
    const { a, vmResults, appResults } = runAll(false);
    for (const r of [...vmResults, ...appResults]) {
      for (let s = 0; s < a.layout.size; s++) expect(r.status[s], `${r.name} ${s}`).toBe(2);
      expect(r.errors.size).toBe(a.layout.size); // the four steps of the run, none embodied or whole-life
    }
    // IT electricity: v2's own 100 kWh/yr (E × s, s = 1), shared by a3 and a4 (each alone under its key); v1 none.
    expect([...vmResults, ...appResults].map((r) => r.itKWh)).toEqual([0, 100, 0, 0, 100, 100]);
    const use = a.layout.slot('USE', 'CLIMATE_CHANGE');
    expect(vmResults[0]!.errors.get(use)?.code).toBe('CALC_HOST_IN_ERROR');
    expect(appResults[0]!.errors.get(use)?.details).toMatchObject({ host: 'h1', vm: 'v1' });
  });

  it('a VM is freed after its last application: one more application under its key is refused loudly', () => {
    const a = new Assessment(ref, CTX);
    for (const vm of vms) a.indexVirtual(vm);
    const on = (name: string, vm: string, host?: string) =>
      ({ name, environment: 'prod', vm, ...(host ? { host } : {}) }) as Application;
    a.indexApplication(on('x1', 'v1', 'h1'));
    a.indexApplication(on('x2', 'v1', 'h1'));
    a.indexApplication(on('y1', 'v2'));
    a.physical(host);
    for (const vm of vms) a.virtual(vm);
    // Two applications counted under (v1, h1): both get v1's values ÷ 2, the third is refused.
    const mfg = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
    expect(a.application(on('x1', 'v1', 'h1')).values[mfg]).toBe(31.25);
    expect(a.application(on('x2', 'v1', 'h1')).values[mfg]).toBe(31.25);
    expect(() => a.application(on('x3', 'v1', 'h1'))).toThrow(/VM v1 used by more applications than the pre-pass/);
    // v2 under its name alone: one application, then refused.
    expect(a.application(on('y1', 'v2')).values[mfg]).toBe(187.5);
    expect(() => a.application(on('y2', 'v2'))).toThrow(/VM v2 used by more applications than the pre-pass/);
  });

  it("a VM with its own consumption: its USE is E_vm × s × PUE_host × M, the host's PUE read from the host", () => {
    const { a, vmResults } = runAll(true);
    const use = a.layout.slot('USE', 'CLIMATE_CHANGE');
    // v2: 100 kWh/yr of its own, France 0.05 kg/kWh, the host's PUE: the host's own USE is 1000 kWh × PUE × 0.05.
    const h = a.physical(host);
    const pue = h.values[use]! / (1000 * 0.05);
    expect(vmResults[1]!.values[use]).toBeCloseTo(100 * pue * 0.05, 12);
    expect(vmResults[1]!.itKWh).toBe(100);
    // v1 has none: its USE is α × the host's.
    expect(vmResults[0]!.values[use]).toBe(h.values[use]! * 0.25);
  });
});

describe("a host's record released after its last VM (issue 11)", () => {
  it('VMs kept for their applications still allocate from it; one VM more than counted is refused loudly', () => {
    const a = new Assessment(ref, CTX);
    for (const vm of vms) a.indexVirtual(vm);
    a.indexApplication({ name: 'a1', environment: 'prod', vm: 'v1', host: 'h1' } as Application);
    a.physical(host);
    for (const vm of vms) a.virtual(vm);
    // Both VMs counted under h1 are assessed: the index no longer holds h1, the VM kept for a1 does (250 × 1/4 ÷ 1).
    const mfg = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
    expect(a.application({ name: 'a1', environment: 'prod', vm: 'v1', host: 'h1' } as Application).values[mfg]).toBe(
      62.5,
    );
    expect(() => a.virtual(vms[0]!)).toThrow(/host h1 used by more VMs than the pre-pass counted/);
  });

  it('a host that applications name without VM is kept for them after its VMs', () => {
    const a = new Assessment(ref, CTX);
    for (const vm of vms) a.indexVirtual(vm);
    a.indexApplication({ name: 'on-host', environment: 'prod', host: 'h1' } as Application);
    a.physical(host);
    for (const vm of vms) a.virtual(vm);
    // F9 on the host: 250 kg ÷ 1 application.
    const mfg = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
    expect(a.application({ name: 'on-host', environment: 'prod', host: 'h1' } as Application).values[mfg]).toBe(250);
  });
});

describe('the allocation index past its first 1,024 keys, and one VM stored under two keys (issue 11)', () => {
  it('1,500 hosts, 3,000 VMs and 4,500 applications: statistics, counts and stored VMs survive the arrays growing', () => {
    const a = new Assessment(ref, CTX);
    const n = 1500; // host keys and VM keys beyond the 1,024 first slots of every per-key array, then doubled
    const hosts = [...Array(n).keys()].map((i) => ({ ...host, name: `h${i}` }));
    const vmsOf = (i: number) =>
      [
        { name: `v${i}-1`, host: `h${i}`, vcpu: 1 },
        { name: `v${i}-2`, host: `h${i}`, vcpu: 3 },
      ] as VirtualEquipment[];
    const appsOf = (i: number) =>
      [
        { name: `a${i}-1`, environment: 'prod', vm: `v${i}-1`, host: `h${i}` },
        { name: `a${i}-2`, environment: 'prod', vm: `v${i}-1`, host: `h${i}` },
        { name: `a${i}-3`, environment: 'prod', vm: `v${i}-2` }, // by the VM's name alone
      ] as Application[];
    // The pre-pass sees every VM, then every application, as the pipeline does.
    for (let i = 0; i < n; i++) for (const vm of vmsOf(i)) a.indexVirtual(vm);
    for (let i = 0; i < n; i++) for (const app of appsOf(i)) a.indexApplication(app);
    for (const h of hosts) a.physical(h);
    const mfg = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
    // By hand, for every host: 1000 kg / 4 years = 250 kg; α = 1/4 and 3/4 (vCPU); a…-1 and a…-2 share v…-1 (÷ 2).
    for (let i = 0; i < n; i++) {
      expect(vmsOf(i).map((vm) => a.virtual(vm).values[mfg])).toEqual([62.5, 187.5]);
    }
    for (let i = 0; i < n; i++) {
      expect(appsOf(i).map((app) => a.application(app).values[mfg])).toEqual([31.25, 31.25, 187.5]);
    }
    // Every counted application has had its VM: one more under any of those keys is refused.
    expect(() => a.application(appsOf(0)[0]!)).toThrow(/VM v0-1 used by more applications than the pre-pass/);
    expect(() => a.application(appsOf(n - 1)[2]!)).toThrow(/VM v1499-2 used by more applications than the pre-pass/);
  });

  it('a VM stored under its key with the host and its name alone is computed once for its consecutive applications', () => {
    const a = new Assessment(ref, CTX);
    for (const vm of vms) a.indexVirtual(vm);
    const on = (name: string, host?: string) =>
      ({ name, environment: 'prod', vm: 'v2', ...(host ? { host } : {}) }) as Application;
    a.indexApplication(on('with-host', 'h1'));
    a.indexApplication(on('alone'));
    a.physical(host);
    for (const vm of vms) a.virtual(vm);
    const withHost = a.application(on('with-host', 'h1'));
    const alone = a.application(on('alone'));
    // One VM under both keys (one application each, n = 1): 250 kg × 3/4 = 187.5 kg for both, and the same computed
    // VM behind them — the same error objects (DISTRIBUTION has no factor: in error), not two equal copies.
    const mfg = a.layout.slot('MANUFACTURING', 'CLIMATE_CHANGE');
    const dist = a.layout.slot('DISTRIBUTION', 'CLIMATE_CHANGE');
    expect([withHost.values[mfg], alone.values[mfg]]).toEqual([187.5, 187.5]);
    expect(withHost.errors.get(dist)).toMatchObject({ code: 'CALC_HOST_IN_ERROR', details: { host: 'h1', vm: 'v2' } });
    expect(alone.errors.get(dist)).toBe(withHost.errors.get(dist));
    expect(() => a.application(on('again'))).toThrow(/VM v2 used by more applications than the pre-pass/);
  });
});
