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
