/**
 * Virtual equipment (methodology F8) and applications (F9): allocations of their host's indicators.
 *   VM:  I(vm) = I(host) × α, α = cleRepartition › vCPU share › storage share › 1/n (sums over all VMs of the host)
 *        with its own consoElecAnnuelle: I(vm, USE, c) = E(vm) × s(host) × PUE(host) × M(c, ℓ(host))
 *   app: I(app) = I(vm) / n(apps on that VM)  (or I(host) / n(apps on that host) without VM, inferred)
 * VMs and applications follow their host's share s of the period (§2.2): allocated values already carry it; a host
 * out of the period puts its VMs and applications out of it too (CALC_OUT_OF_PERIOD).
 * Host totals come from an index filled in a pre-pass over the VMs, never from a rescan.
 */
import { issue, withDetails, type Issue } from '../issues/catalogue.js';
import type { Application, VirtualEquipment } from '../inventory/model.js';
import type { ElectricityFactor } from '../referential/model.js';
import type { EngineEnv } from './env.js';
import { assessCloud } from './cloud.js';
import { periodTrace } from './period.js';
import { NO_ERRORS } from './physical.js';
import { ERROR, OK, type ItemResult } from './result.js';
import {
  APP_ON_HOST,
  APP_ON_VM,
  coefficient,
  numbersOf,
  render,
  symbolic,
  VM_ALLOCATED,
  VM_OWN_USE,
} from './formula.js';
import { refOf, type AllocationTrace, type Sourced, type Trace, type TraceVariable } from './trace.js';
import type { VectorCache } from './vectors.js';
import type { HostView } from './host-view.js';

export { resultHostView, type HostView } from './host-view.js';

export const hostKey = (name: string, dataSource?: string): string => `${name}\u0000${dataSource ?? ''}`;
export const vmKey = (vm: string, host?: string): string => `${vm}\u0000${host ?? ''}`;

interface HostStats {
  n: number;
  sumVcpu: number;
  allVcpu: boolean;
  sumStorage: number;
  allStorage: boolean;
  sumAllocation: number;
}

/** What a VM needs of its host once the host is computed. */
export interface HostRecord {
  readonly result: HostView;
  readonly pue: Sourced;
  readonly locationKey?: string;
  readonly locationLabel?: string;
}

/**
 * What an application needs of its parent (F9): the VM's or the host's values, statuses and errors. A host's full
 * result is one; a VM is kept as a `StoredVm` (no trace closure, no error map) until its last application is assessed.
 */
export interface AllocationParent {
  readonly values: ArrayLike<number>;
  readonly status: ArrayLike<number>;
  readonly errors: { get(slot: number): Issue | undefined };
  readonly itKWh: number;
  readonly facilityKWh: number;
  readonly dims: { readonly country?: string };
  readonly periodShare?: number;
  readonly outOfPeriod?: Issue;
  readonly physicalEquipment?: string;
}

/**
 * Applications counted under one VM key by the pre-pass (`n`, the F9 divisor), and the VM stored under that key for
 * them: its parent view, dropped once `remaining` reaches 0 (every counted application assessed).
 */
interface VmEntry {
  n: number;
  remaining: number;
  stored: boolean;
  parent: AllocationParent | undefined;
}

/**
 * The issue of a VM's slot in error (F8), from what decided it: no host, or the host's slot in error
 * (`CALC_HOST_IN_ERROR`), or the VM's own consumption without electricity factor (`CALC_ELEC_FACTOR_MISSING`).
 * `assessVirtual` builds its error map with it, and a stored VM rebuilds an error on demand with it.
 */
function vmSlotIssue(
  layout: EngineEnv['layout'],
  slot: number,
  vmName: string,
  hostName: string,
  host: HostRecord | undefined,
  ownUse: boolean,
): Issue {
  const step = layout.stepOf(slot);
  if (host !== undefined && ownUse && step === 'USE')
    return issue('CALC_ELEC_FACTOR_MISSING', {
      location: host.locationLabel ?? '(none)',
      criterion: layout.criterionOf(slot),
    });
  return issue('CALC_HOST_IN_ERROR', { host: hostName, step, criterion: layout.criterionOf(slot), vm: vmName });
}

/** A non-cloud VM kept for its applications: its values and statuses, its errors rebuilt on demand (same content). */
class StoredVm implements AllocationParent {
  readonly values: ArrayLike<number>;
  readonly status: ArrayLike<number>;
  readonly itKWh: number;
  readonly facilityKWh: number;
  readonly country?: string;
  readonly periodShare?: number;
  readonly outOfPeriod?: Issue;
  readonly physicalEquipment?: string;

  constructor(
    r: ItemResult,
    /** `r.status`, or an equal array already kept (VMs of a host mostly share their statuses). */
    status: ArrayLike<number>,
    private readonly layout: EngineEnv['layout'],
    private readonly vmName: string,
    private readonly hostName: string,
    private readonly host: HostRecord | undefined,
    private readonly ownUse: boolean,
  ) {
    this.values = r.values;
    this.status = status;
    this.itKWh = r.itKWh;
    this.facilityKWh = r.facilityKWh;
    if (r.dims.country !== undefined) this.country = r.dims.country;
    if (r.periodShare !== undefined) this.periodShare = r.periodShare;
    if (r.outOfPeriod !== undefined) this.outOfPeriod = r.outOfPeriod;
    if (r.physicalEquipment !== undefined) this.physicalEquipment = r.physicalEquipment;
  }

  get errors(): { get(slot: number): Issue | undefined } {
    return this;
  }

  get dims(): { readonly country?: string } {
    return this;
  }

  get(slot: number): Issue | undefined {
    if (this.status[slot] !== ERROR) return undefined;
    return vmSlotIssue(this.layout, slot, this.vmName, this.hostName, this.host, this.ownUse);
  }
}

export type { AllocationRule, AllocationTrace } from './trace.js';

// F8, F9 compiled from their one description (formula.ts); factors by position.
const ALLOCATED = coefficient(VM_ALLOCATED, ['I_host', 'alpha']);
const OWN_USE_NAMES = ['E_vm', 's', 'PUE_host', 'M'] as const;
const OWN_USE = coefficient(VM_OWN_USE, OWN_USE_NAMES);
const OWN_IT_KWH = coefficient(VM_OWN_USE, OWN_USE_NAMES, 'PUE_host', 'M');
const OWN_FACILITY_KWH = coefficient(VM_OWN_USE, OWN_USE_NAMES, 'M');
const ON_VM = coefficient(APP_ON_VM, ['I_vm', 'n']);
const ON_HOST = coefficient(APP_ON_HOST, ['I_host', 'n']);

export class AllocationIndex {
  private readonly hosts = new Map<string, HostStats>();
  private readonly appsPerVm = new Map<string, VmEntry>();
  private readonly appsPerHost = new Map<string, number>();
  private readonly hostRecords = new Map<string, HostRecord>();
  /** The status array of the last VM stored, shared by the next ones when equal. */
  private lastStatus: ArrayLike<number> | undefined;
  private readonly warned = new Set<string>();

  /** Pre-pass over virtual equipment. */
  indexVirtual(vm: VirtualEquipment): void {
    if (vm.infrastructure === 'CLOUD_SERVICES' || vm.host === undefined) return;
    const withSource = hostKey(vm.host, vm.hostDataSource);
    const nameOnly = hostKey(vm.host);
    // The host under both keys, once when they are the same (no data source).
    for (const key of withSource === nameOnly ? [withSource] : [withSource, nameOnly]) {
      let h = this.hosts.get(key);
      if (h === undefined) {
        h = { n: 0, sumVcpu: 0, allVcpu: true, sumStorage: 0, allStorage: true, sumAllocation: 0 };
        this.hosts.set(key, h);
      }
      h.n++;
      if (vm.vcpu !== undefined && vm.vcpu > 0) h.sumVcpu += vm.vcpu;
      else h.allVcpu = false;
      if (vm.storage !== undefined && vm.storage > 0) h.sumStorage += vm.storage;
      else h.allStorage = false;
      if (vm.allocationKey !== undefined) h.sumAllocation += vm.allocationKey;
    }
  }

  /** Pre-pass over applications. */
  indexApplication(app: Application): void {
    if (app.vm !== undefined) {
      const k = vmKey(app.vm, app.host);
      const e = this.appsPerVm.get(k);
      if (e === undefined) this.appsPerVm.set(k, { n: 1, remaining: 0, stored: false, parent: undefined });
      else e.n++;
    } else if (app.host !== undefined) {
      const k = hostKey(app.host);
      this.appsPerHost.set(k, (this.appsPerHost.get(k) ?? 0) + 1);
    }
  }

  /** Whether any VM or application refers to a physical host (fast path for fleets without VMs). */
  get hasHosts(): boolean {
    return this.hosts.size > 0 || this.appsPerHost.size > 0;
  }

  /** Whether a computed physical item must be kept for its VMs or applications. */
  wantsHost(name: string, dataSource?: string): boolean {
    return (
      this.hosts.has(hostKey(name, dataSource)) || this.hosts.has(hostKey(name)) || this.appsPerHost.has(hostKey(name))
    );
  }

  storeHost(name: string, dataSource: string | undefined, record: HostRecord): void {
    this.hostRecords.set(hostKey(name, dataSource), record);
    if (!this.hostRecords.has(hostKey(name))) this.hostRecords.set(hostKey(name), record);
  }

  host(name: string, dataSource?: string): HostRecord | undefined {
    return this.hostRecords.get(hostKey(name, dataSource)) ?? this.hostRecords.get(hostKey(name));
  }

  wantsVm(vm: string, host: string): boolean {
    return this.appsPerVm.has(vmKey(vm, host)) || this.appsPerVm.has(vmKey(vm));
  }

  /**
   * Keep a computed VM for its applications: `exact` is the VM's result as `assessVirtual` returned it (then only a
   * `StoredVm` is kept); otherwise (a result rewritten by `finiteResult`) the result itself.
   */
  storeVm(vm: VirtualEquipment, result: ItemResult, layout: EngineEnv['layout'], exact: boolean): void {
    const host = vm.host!;
    let parent: AllocationParent = result;
    if (exact && vm.infrastructure !== 'CLOUD_SERVICES') {
      const last = this.lastStatus;
      const status = last !== undefined && sameNumbers(last, result.status) ? last : result.status;
      this.lastStatus = status;
      const record = this.host(host, vm.hostDataSource);
      parent = new StoredVm(result, status, layout, vm.name, host, record, vm.annualKWh !== undefined);
    }
    // Under its key with the host (always replaced) and under its name alone (the first VM of that name).
    const e = this.appsPerVm.get(vmKey(vm.name, host));
    if (e !== undefined) {
      e.parent = parent;
      e.remaining = e.n;
      e.stored = true;
    }
    const e0 = this.appsPerVm.get(vmKey(vm.name));
    if (e0 !== undefined && !e0.stored) {
      e0.parent = parent;
      e0.remaining = e0.n;
      e0.stored = true;
    }
  }

  /**
   * The VM of an application, counted as used: once every application the pre-pass counted under that key is
   * assessed, the VM is dropped (the entry stays, so that the key keeps designating the same VM).
   */
  takeVm(vm: string, host?: string): AllocationParent | undefined {
    const e = this.appsPerVm.get(vmKey(vm, host)); // without host, the key is the name's alone
    if (e === undefined || !e.stored) return undefined;
    const parent = e.parent;
    if (parent === undefined) throw new Error(`internal: VM ${vm} used by more applications than the pre-pass counted`);
    if (--e.remaining <= 0) e.parent = undefined;
    return parent;
  }

  appsOnVm(vm: string, host?: string): number {
    return this.appsPerVm.get(vmKey(vm, host))?.n ?? 1;
  }

  appsOnHost(host: string): number {
    return this.appsPerHost.get(hostKey(host)) ?? 1;
  }

  /** F8 share α of a VM, with the rule used. */
  alpha(vm: VirtualEquipment): Exclude<AllocationTrace, { rule: 'OWN_CONSUMPTION' | `PER_APPLICATION_${string}` }> {
    const h = this.hosts.get(hostKey(vm.host!, vm.hostDataSource)) ?? this.hosts.get(hostKey(vm.host!));
    const n = h?.n ?? 1;
    if (vm.allocationKey !== undefined)
      return { rule: 'ALLOCATION_KEY', vmValue: vm.allocationKey, nVm: n, alpha: vm.allocationKey };
    // typeEqv absent is read as `calcul`: NumEcoEval files have no typeEqv and allocate by vCPU (choice, docs/engine.md).
    const type = vm.vmType ?? 'compute';
    if (type === 'compute' && h?.allVcpu && vm.vcpu !== undefined)
      return { rule: 'VCPU', vmValue: vm.vcpu, hostTotal: h.sumVcpu, nVm: n, alpha: vm.vcpu / h.sumVcpu };
    if (type === 'storage' && h?.allStorage && vm.storage !== undefined)
      return {
        rule: 'STORAGE',
        vmValue: vm.storage,
        hostTotal: h.sumStorage,
        nVm: n,
        alpha: vm.storage / h.sumStorage,
      };
    return { rule: 'EQUAL', nVm: n, alpha: 1 / n };
  }

  /** CALC_ALLOCATION_OVER_100 once per host whose allocation keys sum above 1. */
  overAllocation(vm: VirtualEquipment): Issue | undefined {
    const k = hostKey(vm.host!, vm.hostDataSource);
    const h = this.hosts.get(k) ?? this.hosts.get(hostKey(vm.host!));
    if (!h || h.sumAllocation <= 1 + 1e-12 || this.warned.has(k)) return undefined;
    this.warned.add(k);
    return issue('CALC_ALLOCATION_OVER_100', { host: vm.host!, sum: h.sumAllocation });
  }
}

function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** F8 for a non-cloud VM whose host has been computed. */
export function assessVirtual(
  vm: VirtualEquipment,
  index: AllocationIndex,
  env: EngineEnv,
  vectors: VectorCache,
): ItemResult {
  const { layout } = env;
  const values: number[] = new Array<number>(layout.size).fill(0);
  const status: number[] = new Array<number>(layout.size).fill(0);
  let errors: Map<number, Issue> | undefined;
  const warnings: Issue[] = [];
  const base = {
    kind: 'virtual-equipment' as const,
    name: vm.name,
    ...(vm.entity !== undefined ? { entity: vm.entity } : {}),
    quantity: vm.quantity ?? 1,
    inTotal: false,
    physicalEquipment: vm.host ?? '',
  };

  if (vm.infrastructure === 'CLOUD_SERVICES' || vm.host === undefined) return assessCloud(vm, env, vectors);
  const hostName = vm.host;

  const host = index.host(vm.host, vm.hostDataSource);
  const allocation = index.alpha(vm);
  const over = index.overAllocation(vm);
  if (over) warnings.push(over);
  const alpha = allocation.alpha;
  const nc = layout.criteria.length;
  const mixes = host?.locationKey !== undefined ? vectors.mix(host.locationKey) : undefined;
  // §2.2: the host's share of the period (already in its values) also scales the VM's own consumption.
  const share = host?.result.periodShare ?? 1;
  const ownE = vm.annualKWh;
  // The factors of F8 by position: [I_host, α] and [E_vm, s, PUE_host, M], the slot's own factor set per slot.
  const alloc = [0, alpha];
  const own = [ownE ?? NaN, share, host?.pue.value ?? 1, NaN];
  for (let s = 0; s < layout.size; s++) {
    const step = layout.stepOf(s);
    if (host === undefined) {
      if (step === 'EMBODIED' || step === 'WHOLE_LIFE') continue;
      status[s] = ERROR;
      (errors ??= new Map()).set(s, vmSlotIssue(layout, s, vm.name, hostName, host, ownE !== undefined));
      continue;
    }
    if (step === 'USE' && ownE !== undefined) {
      const m = mixes?.[s % nc];
      if (m === undefined) {
        status[s] = ERROR;
        (errors ??= new Map()).set(s, vmSlotIssue(layout, s, vm.name, hostName, host, true));
        continue;
      }
      own[3] = m.valuePerKWh;
      values[s] = OWN_USE(own);
      status[s] = OK;
      continue;
    }
    const hs = host.result.status[s]!;
    if (hs === OK) {
      alloc[0] = host.result.values[s]!;
      values[s] = ALLOCATED(alloc);
      status[s] = OK;
    } else if (hs === ERROR) {
      status[s] = ERROR;
      (errors ??= new Map()).set(s, vmSlotIssue(layout, s, vm.name, hostName, host, ownE !== undefined));
    }
  }
  const itKWh = ownE !== undefined ? OWN_IT_KWH(own) : host ? ALLOCATED([host.result.itKWh, alpha]) : 0;
  const facilityKWh =
    ownE !== undefined ? OWN_FACILITY_KWH(own) : host ? ALLOCATED([host.result.facilityKWh, alpha]) : 0;
  const period =
    env.opts.periodShare && host ? { period: periodTrace(share, env.period, `host ${vm.host}`) } : undefined;
  const explain = (slot: number): Trace => {
    const hostFormula = host?.result.formula(slot);
    if (layout.stepOf(slot) === 'USE' && ownE !== undefined && host) {
      const m: ElectricityFactor | undefined = mixes?.[slot % nc];
      const vars: Record<string, TraceVariable> = {
        E_vm: { value: own[0]!, unit: 'kWh/yr', origin: 'INPUT' },
        PUE_host: {
          value: own[2]!,
          unit: '',
          origin: host.pue.origin,
          ...(host.pue.ref ? { ref: host.pue.ref } : {}),
        },
        ...(m
          ? { M: { value: m.valuePerKWh, unit: `${layout.unitOf(slot)}/kWh`, origin: 'REFERENCE', ref: refOf(m.prov) } }
          : {}),
        ...(share !== 1 ? { s: { value: share, unit: 'share', origin: 'DERIVED' } } : {}),
      };
      return {
        formula: !m
          ? `${symbolic(VM_OWN_USE)} (not computed: see error)`
          : render(VM_OWN_USE, numbersOf(vars), values[slot]!),
        variables: vars,
        allocation: { rule: 'OWN_CONSUMPTION', host: hostName },
        ...period,
        inferred: true,
        warnings,
      };
    }
    const variables: Record<string, TraceVariable> = {
      I_host: {
        value: host?.result.values[slot] ?? NaN,
        unit: layout.unitOf(slot),
        origin: 'DERIVED',
        ref: { key: `host ${vm.host}` },
      },
      alpha: { value: alpha, unit: 'share', origin: allocation.rule === 'ALLOCATION_KEY' ? 'INPUT' : 'DERIVED' },
    };
    return {
      formula: host
        ? render(VM_ALLOCATED, numbersOf(variables), values[slot]!)
        : `${symbolic(VM_ALLOCATED)} (host not computed)`,
      variables,
      allocation,
      ...(hostFormula !== undefined ? { resolution: { host: hostName, hostFormula } } : {}),
      ...period,
      warnings,
    };
  };
  return {
    ...base,
    values,
    status,
    errors: errors ?? NO_ERRORS,
    itKWh,
    facilityKWh,
    dims: {
      tier: 'DATACENTER',
      ...(host?.result.dims.country !== undefined ? { country: host.result.dims.country } : {}),
      ...(host?.result.dims.datacenter !== undefined ? { datacenter: host.result.dims.datacenter } : {}),
    },
    warnings,
    ...(vm.at ? { at: vm.at } : {}),
    ...(share !== 1 ? { periodShare: share } : {}),
    ...followOut(host?.result.outOfPeriod, vm.name),
    explain,
  };
}

/** A VM or an application whose host is out of the period is out of it too, with the host's dates (§2.2). */
function followOut(hostOut: Issue | undefined, name: string): { outOfPeriod?: Issue } {
  return hostOut ? { outOfPeriod: withDetails(hostOut, { name }) } : {};
}

/** F9: an application's share of its VM (or, without VM, of its physical host: inferred). */
export function assessApplication(app: Application, index: AllocationIndex, env: EngineEnv): ItemResult {
  const { layout } = env;
  const viaVm = app.vm !== undefined;
  const parent: AllocationParent | undefined = viaVm
    ? index.takeVm(app.vm!, app.host)
    : app.host !== undefined
      ? index.host(app.host)?.result
      : undefined;
  const n = viaVm ? index.appsOnVm(app.vm!, app.host) : index.appsOnHost(app.host ?? '');
  const values: number[] = new Array<number>(layout.size).fill(0);
  const status: number[] = new Array<number>(layout.size).fill(0);
  let errors: Map<number, Issue> | undefined;
  const share = viaVm ? ON_VM : ON_HOST; // F9 compiled from its description
  const factors = [0, n]; // [I_parent, n]
  for (let s = 0; s < layout.size; s++) {
    const ps = parent?.status[s] ?? ERROR;
    if (parent && ps === OK) {
      factors[0] = parent.values[s]!;
      values[s] = share(factors);
      status[s] = OK;
    } else if (!parent || ps === ERROR) {
      const step = layout.stepOf(s);
      if (!parent && (step === 'EMBODIED' || step === 'WHOLE_LIFE')) continue;
      status[s] = ERROR;
      (errors ??= new Map()).set(
        s,
        parent?.errors.get(s) ??
          issue('CALC_HOST_IN_ERROR', {
            host: app.vm ?? app.host ?? '',
            step,
            criterion: layout.criterionOf(s),
            vm: app.name,
          }),
      );
    }
  }
  const physicalEquipment = viaVm ? (parent?.physicalEquipment ?? app.host ?? '') : (app.host ?? '');
  return {
    kind: 'application',
    name: app.name,
    ...(app.entity !== undefined ? { entity: app.entity } : {}),
    quantity: 1,
    values,
    status,
    errors: errors ?? NO_ERRORS,
    itKWh: parent ? share([parent.itKWh, n]) : 0,
    facilityKWh: parent ? share([parent.facilityKWh, n]) : 0,
    dims: {
      tier: 'DATACENTER',
      application: app.name,
      domain: app.domain ?? 'Unknown',
      environment: app.environment,
      ...(parent?.dims.country !== undefined ? { country: parent.dims.country } : {}),
    },
    warnings: [],
    inTotal: false,
    ...(viaVm ? { virtualEquipment: app.vm! } : {}),
    physicalEquipment,
    ...(app.at ? { at: app.at } : {}),
    ...(parent?.periodShare !== undefined && parent.periodShare !== 1 ? { periodShare: parent.periodShare } : {}),
    ...followOut(parent?.outOfPeriod, app.name),
    explain: (slot) => {
      const variables: Record<string, TraceVariable> = {
        [viaVm ? 'I_vm' : 'I_host']: {
          value: parent?.values[slot] ?? NaN,
          unit: layout.unitOf(slot),
          origin: 'DERIVED',
        },
        n: { value: n, unit: 'applications', origin: 'DERIVED' },
      };
      const formula = viaVm ? APP_ON_VM : APP_ON_HOST;
      return {
        formula: parent
          ? render(formula, numbersOf(variables), values[slot]!)
          : `${symbolic(formula)} (parent not computed)`,
        variables,
        allocation: { rule: viaVm ? 'PER_APPLICATION_ON_VM' : 'PER_APPLICATION_ON_HOST', n },
        ...(viaVm ? {} : { inferred: true }),
        warnings: [],
      };
    },
  };
}
