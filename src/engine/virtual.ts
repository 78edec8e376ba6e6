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
import type { Application, SourceRef, VirtualEquipment } from '../inventory/model.js';
import type { ElectricityFactor } from '../referential/model.js';
import type { EngineEnv } from './env.js';
import { assessCloud } from './cloud.js';
import { periodTrace } from './period.js';
import { ERROR, OK, type ItemDims, type ItemResult } from './result.js';
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
import { KeyTable } from './key-table.js';

export { resultHostView, type HostView } from './host-view.js';

type Mixes = readonly (ElectricityFactor | undefined)[] | undefined;

/** What a VM needs of its host once the host is computed. */
export interface HostRecord {
  readonly result: HostView;
  readonly pue: Sourced;
  readonly locationKey?: string;
  readonly locationLabel?: string;
  /** The electricity factors of its location, per criterion (F8: a VM's own consumption). */
  readonly mixes?: Mixes;
  /** The host's name, kept once for its VMs (their `physicalEquipment`, their errors). */
  readonly name?: string;
}

/**
 * What an application needs of its parent (F9): the VM's or the host's values, statuses and errors. A host's compact
 * view is one; a VM is kept as its inputs (not its values) until its last application is assessed, and computed again
 * as a `StoredVm` for its applications.
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
 * The issue of a VM's slot in error (F8), from what decided it: no host, or the host's slot in error
 * (`CALC_HOST_IN_ERROR`), or the VM's own consumption without electricity factor (`CALC_ELEC_FACTOR_MISSING`).
 * A VM's errors (its result's and its stored record's) are built on demand with it.
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

/** Builds the issue of one slot in error of an item (see `SlotErrors`). */
interface SlotIssues {
  slotIssue(slot: number): Issue;
}

/**
 * The errors of a VM or an application (`ItemResult.errors`): one issue per slot whose status is ERROR, built the
 * first time they are read (a summary reads none: 75 % of the slots of an estate on the open referential are errors)
 * and then kept, so that repeated reads give the same objects, in slot order as the map they replace.
 */
export class SlotErrors implements ReadonlyMap<number, Issue> {
  private built: Map<number, Issue> | undefined;
  private count = -1;

  constructor(
    private readonly status: ArrayLike<number>,
    private readonly source: SlotIssues,
  ) {}

  /** The number of slots in error (counted on first read: the statuses may be another item's, shared). */
  get size(): number {
    if (this.count < 0) {
      let n = 0;
      for (let s = 0; s < this.status.length; s++) if (this.status[s] === ERROR) n++;
      this.count = n;
    }
    return this.count;
  }

  private map(): Map<number, Issue> {
    let m = this.built;
    if (m === undefined) {
      m = new Map();
      for (let s = 0; s < this.status.length; s++) if (this.status[s] === ERROR) m.set(s, this.source.slotIssue(s));
      this.built = m;
    }
    return m;
  }

  get(slot: number): Issue | undefined {
    return this.status[slot] === ERROR ? this.map().get(slot) : undefined;
  }

  has(slot: number): boolean {
    return this.status[slot] === ERROR;
  }

  forEach(fn: (value: Issue, key: number, map: ReadonlyMap<number, Issue>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.map()) fn.call(thisArg, v, k, this);
  }

  entries(): MapIterator<[number, Issue]> {
    return this.map().entries();
  }

  keys(): MapIterator<number> {
    return this.map().keys();
  }

  values(): MapIterator<Issue> {
    return this.map().values();
  }

  [Symbol.iterator](): MapIterator<[number, Issue]> {
    return this.map()[Symbol.iterator]();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

/** The warnings of an item without any (shared, never written). */
const NO_WARNINGS: readonly Issue[] = Object.freeze([]) as readonly Issue[];

// F8, F9 compiled from their one description (formula.ts); factors by position.
const ALLOCATED = coefficient(VM_ALLOCATED, ['I_host', 'alpha']);
const OWN_USE_NAMES = ['E_vm', 's', 'PUE_host', 'M'] as const;
const OWN_USE = coefficient(VM_OWN_USE, OWN_USE_NAMES);
const OWN_IT_KWH = coefficient(VM_OWN_USE, OWN_USE_NAMES, 'PUE_host', 'M');
const OWN_FACILITY_KWH = coefficient(VM_OWN_USE, OWN_USE_NAMES, 'M');
const ON_VM = coefficient(APP_ON_VM, ['I_vm', 'n']);
const ON_HOST = coefficient(APP_ON_HOST, ['I_host', 'n']);

/**
 * F8 for every slot of a non-cloud VM, its values into `values` (zeros): the one computation of a VM's slots, for its
 * result and again for the record kept for its applications (same inputs, same numbers). Returns the statuses: the
 * host's own array when the VM has no consumption of its own (each slot then has its host slot's status: allocated
 * when the host's is computed, in error when the host's is), else a new array.
 */
function vmSlots(
  layout: EngineEnv['layout'],
  host: HostRecord | undefined,
  alpha: number,
  ownE: number | undefined,
  mixes: Mixes,
  values: number[],
): ArrayLike<number> {
  // The factors of F8 by position: [I_host, α] and [E_vm, s, PUE_host, M], the slot's own factor set per slot.
  const alloc = [0, alpha];
  if (host !== undefined && ownE === undefined) {
    const hs = host.result.status;
    const hv = host.result.values;
    for (let s = 0; s < layout.size; s++) {
      if (hs[s] !== OK) continue;
      alloc[0] = hv[s]!;
      values[s] = ALLOCATED(alloc);
    }
    return hs;
  }
  const status: number[] = new Array<number>(layout.size).fill(0);
  const nc = layout.criteria.length;
  // §2.2: the host's share of the period (already in its values) also scales the VM's own consumption.
  const share = host?.result.periodShare ?? 1;
  const own = [ownE ?? NaN, share, host?.pue.value ?? 1, NaN];
  for (let s = 0; s < layout.size; s++) {
    const step = layout.stepOf(s);
    if (host === undefined) {
      if (step === 'EMBODIED' || step === 'WHOLE_LIFE') continue;
      status[s] = ERROR;
      continue;
    }
    if (step === 'USE') {
      const m = mixes?.[s % nc];
      if (m === undefined) {
        status[s] = ERROR;
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
    } else if (hs === ERROR) status[s] = ERROR;
  }
  return status;
}

/** A VM's electricity (F8): its own consumption's, or its share α of its host's. */
function vmKWh(host: HostRecord | undefined, alpha: number, ownE: number | undefined): [it: number, facility: number] {
  if (ownE !== undefined) {
    const own = [ownE, host?.result.periodShare ?? 1, host?.pue.value ?? 1, NaN];
    return [OWN_IT_KWH(own), OWN_FACILITY_KWH(own)];
  }
  if (host === undefined) return [0, 0];
  return [ALLOCATED([host.result.itKWh, alpha]), ALLOCATED([host.result.facilityKWh, alpha])];
}

/**
 * Fresh values arrays (zeros, a layout's size) for the results of VMs and applications and the VMs handed to their
 * applications, each a copy of one template whose elements are already doubles (issue 11, mixed estate).
 * `new Array(n).fill(0)` made an array of small integers whose elements were replaced by doubles at the first value
 * written (two allocations per array), and gave V8 an allocation site to decide on: in about one run in two, a full
 * collection that ran as the application pass started had V8 allocate that site's arrays (one per VM handed to its
 * applications, dead after them) directly in the old generation, where they piled up until the next full collection
 * (docs/benchmarks.md, "Issue 11, the mixed estate's bimodal peak"). A copy (`slice`) is one allocation, without
 * allocation site.
 */
export class ZeroedValues {
  private template: readonly number[] = [];

  /** A new array of `size` zeros. */
  make(size: number): number[] {
    if (this.template.length !== size) {
      // Filled with a fraction first: the template's elements, and so its copies', are doubles from the start.
      this.template = new Array<number>(size).fill(0.5).fill(0);
    }
    return this.template.slice();
  }
}

/**
 * A non-cloud VM kept for its applications: what its slots are computed from (its host's record, α, its own
 * consumption), not its values — `parent()` computes them again with `vmSlots`, exactly as its result had them. Built
 * by `AllocationIndex.takeVm` from the numbers the index keeps per VM key (one object per VM in use, not per VM kept).
 */
class StoredVm implements SlotIssues {
  constructor(
    private readonly layout: EngineEnv['layout'],
    private readonly vmName: string,
    private readonly hostName: string,
    private readonly host: HostRecord | undefined,
    private readonly alpha: number,
    private readonly ownE: number | undefined,
    private readonly zeros: ZeroedValues,
  ) {}

  slotIssue(slot: number): Issue {
    return vmSlotIssue(this.layout, slot, this.vmName, this.hostName, this.host, this.ownE !== undefined);
  }

  /** The VM as its applications read it: the values, statuses, errors and electricity of its result. */
  parent(): AllocationParent {
    const { layout, host } = this;
    const values = this.zeros.make(layout.size);
    const status = vmSlots(layout, host, this.alpha, this.ownE, host?.mixes, values);
    const [itKWh, facilityKWh] = vmKWh(host, this.alpha, this.ownE);
    return new VmParent(
      values,
      status,
      new SlotErrors(status, this),
      itKWh,
      facilityKWh,
      host,
      this.vmName,
      this.hostName,
    );
  }
}

/** A stored VM as its applications read it (`StoredVm.parent`): what its result had, the host's dims shared. */
class VmParent implements AllocationParent {
  readonly dims: { readonly country?: string };
  declare readonly periodShare?: number;
  declare readonly outOfPeriod?: Issue;

  constructor(
    readonly values: number[],
    readonly status: ArrayLike<number>,
    readonly errors: SlotErrors,
    readonly itKWh: number,
    readonly facilityKWh: number,
    host: HostRecord | undefined,
    vmName: string,
    readonly physicalEquipment: string,
  ) {
    this.dims = host?.result.dims ?? NO_DIMS;
    const share = host?.result.periodShare ?? 1;
    if (share !== 1) (this as { periodShare?: number }).periodShare = share;
    const out = host?.result.outOfPeriod;
    if (out !== undefined) (this as { outOfPeriod?: Issue }).outOfPeriod = withDetails(out, { name: vmName });
  }
}

const NO_DIMS: { readonly country?: string } = Object.freeze({});

/** `a` itself when it holds index `i`, else a copy of it at least twice as long (amortised growth, zeros after). */
function room<T extends Int32Array | Float64Array | Uint8Array>(a: T, i: number): T {
  if (i < a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(1024, a.length * 2, i + 1));
  b.set(a);
  return b;
}

/** What a VM key holds (`AllocationIndex.vmState`). */
const VM_NONE = 0; // no VM stored under that key yet
const VM_INPUTS = 1; // a VM kept as its inputs (host record, α, names), without consumption of its own
const VM_INPUTS_OWN = 2; // the same with its own consumption
const VM_PARENT = 3; // a VM kept as its (rewritten) result
const VM_DROPPED = 4; // every application the pre-pass counted has had it

/**
 * The allocation index (F8, F9), keyed by 64-bit fingerprints of the host and VM keys (`KeyIndex`, as the pipeline's
 * natural keys; same accepted collision risk) instead of strings, with its per-key data in arrays by id:
 * - host keys (a host's name with its data source, and its name alone): the pre-pass's statistics of the
 *   VMs naming that key (F8: n, vCPU and storage sums, allocation keys), the applications on that host without VM,
 *   the host's record once computed;
 * - VM keys (a VM's name with its host, or alone): the applications the pre-pass counted (the F9 divisor),
 *   and the VM stored for them, dropped once every counted application is assessed (the key keeps its id, so that it
 *   keeps designating the same VM).
 */
export class AllocationIndex {
  /** The values arrays of the VMs' and applications' results and of the VMs handed to their applications. */
  readonly zeros = new ZeroedValues();
  private readonly hostIds = new KeyTable(1 << 12);
  /**
   * Per host id (typed arrays, grown by `room`: issue 11, memory of 200k host keys): VMs naming it (0: none), their
   * vCPU, storage and allocation-key sums, whether one of them lacked a vCPU (resp. storage) count.
   */
  private nVm = new Int32Array(0);
  private sumVcpu = new Float64Array(0);
  private someNoVcpu = new Uint8Array(0);
  private sumStorage = new Float64Array(0);
  private someNoStorage = new Uint8Array(0);
  private sumAllocation = new Float64Array(0);
  /** Per host id: applications naming it without VM (0: none). */
  private appsOnHostId = new Int32Array(0);
  /**
   * Per host id: the host's record, `null` once released (every VM counted under that key assessed, no application on
   * it without VM: its VMs kept for their applications hold the record itself), undefined before it is stored.
   */
  private readonly records: (HostRecord | null | undefined)[] = [];
  /** Per host id: VMs counted under that key not assessed yet; whether its over-allocation was reported. */
  private vmsLeft = new Int32Array(0);
  private warned = new Uint8Array(0);
  private anyHost = false;

  private readonly vmIds = new KeyTable(1 << 12);
  /** Per VM id: applications counted by the pre-pass, those still to assess. */
  private appsOnVmId = new Int32Array(0);
  private remaining = new Int32Array(0);
  /**
   * Per VM id, the VM stored for its applications (issue 11: 300k VMs kept between the VM and application passes, as
   * numbers in typed arrays rather than one object each): what the key holds (`VM_*`), the number of the `storeVm`
   * call that stored it (one VM stored under two keys has one number), α and its own consumption (`VM_INPUTS*`); its
   * host's record (`VM_INPUTS*`) or its result (`VM_PARENT`); its name and its host's name (`VM_INPUTS*`).
   */
  private vmState = new Uint8Array(0);
  private vmSerial = new Int32Array(0);
  private vmAlpha = new Float64Array(0);
  private vmOwnE = new Float64Array(0);
  private readonly vmRefs: (HostRecord | AllocationParent | undefined)[] = [];
  private readonly vmNames: (string | undefined)[] = [];
  private readonly vmHostNames: (string | undefined)[] = [];
  private serials = 0;
  /** The layout of the VMs stored as inputs (the run's). */
  private layout: EngineEnv['layout'] | undefined;
  /** The last stored VM handed to an application (its `storeVm` number) and its computed view. */
  private lastSerial = -1;
  private lastParent: AllocationParent | undefined;
  /** The last key found (see `hostKeyId`, `vmKeyId`); ids never change once given. */
  private lastHostName: string | undefined;
  private lastHostScope = '';
  private lastHostId = -1;
  private lastVmName: string | undefined;
  private lastVmHost = '';
  private lastVmId = -1;

  /** The id of a host key (name, data source or ''), created with empty statistics when absent. */
  private hostId(name: string, dataSource?: string): number {
    const next = this.records.length;
    const id = this.hostIds.add(name, dataSource ?? '');
    if (id < next) return id;
    this.nVm = room(this.nVm, next);
    this.sumVcpu = room(this.sumVcpu, next);
    this.someNoVcpu = room(this.someNoVcpu, next);
    this.sumStorage = room(this.sumStorage, next);
    this.someNoStorage = room(this.someNoStorage, next);
    this.sumAllocation = room(this.sumAllocation, next);
    this.appsOnHostId = room(this.appsOnHostId, next);
    this.vmsLeft = room(this.vmsLeft, next);
    this.warned = room(this.warned, next);
    this.records.push(undefined);
    return next;
  }

  /** The id of a VM key (name, host or ''), created when absent. */
  private vmId(vm: string, host?: string): number {
    const next = this.vmRefs.length;
    const id = this.vmIds.add(vm, host ?? '');
    if (id < next) return id;
    this.appsOnVmId = room(this.appsOnVmId, next);
    this.remaining = room(this.remaining, next);
    this.vmState = room(this.vmState, next);
    this.vmSerial = room(this.vmSerial, next);
    this.vmAlpha = room(this.vmAlpha, next);
    this.vmOwnE = room(this.vmOwnE, next);
    this.vmRefs.push(undefined);
    this.vmNames.push(undefined);
    this.vmHostNames.push(undefined);
    return next;
  }

  /** The id of a host key that VMs name (pre-pass), or -1. */
  private vmHost(name: string, dataSource?: string): number {
    const id = this.hostKeyId(name, dataSource ?? '');
    return id >= 0 && this.nVm[id]! > 0 ? id : -1;
  }

  /**
   * The id of a host key, or -1; the last key looked up is remembered (a VM's host is looked up for its record, then
   * for its statistics, with the same strings).
   */
  private hostKeyId(name: string, scope: string): number {
    if (name === this.lastHostName && scope === this.lastHostScope) return this.lastHostId;
    const id = this.hostIds.get(name, scope);
    if (id >= 0) {
      this.lastHostName = name;
      this.lastHostScope = scope;
      this.lastHostId = id;
    }
    return id;
  }

  /** The id of a VM key, or -1; the last key looked up is remembered (an application's VM: taken, then counted). */
  private vmKeyId(vm: string, host: string): number {
    if (vm === this.lastVmName && host === this.lastVmHost) return this.lastVmId;
    const id = this.vmIds.get(vm, host);
    if (id >= 0) {
      this.lastVmName = vm;
      this.lastVmHost = host;
      this.lastVmId = id;
    }
    return id;
  }

  /** Pre-pass over virtual equipment. */
  indexVirtual(vm: VirtualEquipment): void {
    if (vm.infrastructure === 'CLOUD_SERVICES' || vm.host === undefined) return;
    // The host under both keys, once when they are the same (no data source).
    this.countVm(this.hostId(vm.host, vm.hostDataSource), vm);
    if ((vm.hostDataSource ?? '') !== '') this.countVm(this.hostId(vm.host), vm);
    this.anyHost = true;
  }

  private countVm(h: number, vm: VirtualEquipment): void {
    this.nVm[h]!++;
    this.vmsLeft[h]!++;
    if (vm.vcpu !== undefined && vm.vcpu > 0) this.sumVcpu[h]! += vm.vcpu;
    else this.someNoVcpu[h] = 1;
    if (vm.storage !== undefined && vm.storage > 0) this.sumStorage[h]! += vm.storage;
    else this.someNoStorage[h] = 1;
    if (vm.allocationKey !== undefined) this.sumAllocation[h]! += vm.allocationKey;
  }

  /** Pre-pass over applications. */
  indexApplication(app: Application): void {
    if (app.vm !== undefined) {
      const id = this.vmId(app.vm, app.host); // first: it may grow the arrays
      this.appsOnVmId[id]!++;
    } else if (app.host !== undefined) {
      const id = this.hostId(app.host);
      this.appsOnHostId[id]!++;
      this.anyHost = true;
    }
  }

  /** Whether any VM or application refers to a physical host (fast path for fleets without VMs). */
  get hasHosts(): boolean {
    return this.anyHost;
  }

  /** Whether a computed physical item must be kept for its VMs or applications. */
  wantsHost(name: string, dataSource?: string): boolean {
    if (dataSource !== undefined && this.vmHost(name, dataSource) >= 0) return true;
    const id = this.hostIds.get(name, '');
    return id >= 0 && (this.nVm[id]! > 0 || this.appsOnHostId[id]! > 0);
  }

  storeHost(name: string, dataSource: string | undefined, record: HostRecord): void {
    this.records[this.hostId(name, dataSource)] = record;
    const alone = this.hostId(name);
    if (this.records[alone] === undefined) this.records[alone] = record;
  }

  host(name: string, dataSource?: string): HostRecord | undefined {
    const id = this.hostKeyId(name, dataSource ?? '');
    const r = id >= 0 ? this.records[id] : undefined;
    if (r !== undefined || dataSource === undefined) return released(r, name);
    const alone = this.hostIds.get(name, '');
    return alone >= 0 ? released(this.records[alone], name) : undefined;
  }

  /**
   * A VM is assessed: one VM less to come under its host's keys (both, as the pre-pass counted it); a key whose VMs
   * are all assessed and that no application names without VM releases its host's record.
   */
  vmDone(vm: VirtualEquipment): void {
    if (vm.infrastructure === 'CLOUD_SERVICES' || vm.host === undefined) return;
    this.leave(this.hostKeyId(vm.host, vm.hostDataSource ?? ''));
    if ((vm.hostDataSource ?? '') !== '') this.leave(this.hostIds.get(vm.host, ''));
  }

  private leave(h: number): void {
    if (h < 0 || this.vmsLeft[h]! <= 0) return; // a VM the pre-pass did not count: nothing was promised to it
    if (--this.vmsLeft[h]! === 0 && this.appsOnHostId[h] === 0 && this.records[h] !== undefined) this.records[h] = null;
  }

  /** The ids of the VM keys with the host and alone that applications name (-1 for each that none names). */
  private appVmIds(vm: string, host: string): [withHost: number, alone: number] {
    return [this.vmIds.get(vm, host), this.vmIds.get(vm, '')];
  }

  wantsVm(vm: string, host: string): boolean {
    const [a, b] = this.appVmIds(vm, host);
    return a >= 0 || b >= 0;
  }

  /**
   * Keep a computed VM for its applications: `exact` when `result` is the VM's result as `assessVirtual` returned it
   * (then only its inputs are kept, in the index's arrays); otherwise (a result rewritten by `finiteResult`) the result.
   */
  storeVm(vm: VirtualEquipment, result: ItemResult, exact: boolean): void {
    const host = vm.host!;
    const [a, b] = this.appVmIds(vm.name, host);
    if (a < 0 && b < 0) return; // no application names it
    const serial = this.serials++;
    const inputs = exact && vm.infrastructure !== 'CLOUD_SERVICES' && result instanceof VmResult;
    const keep = (id: number): void => {
      this.remaining[id] = this.appsOnVmId[id]!;
      this.vmSerial[id] = serial;
      if (inputs) {
        this.layout = result.layout;
        this.vmState[id] = vm.annualKWh !== undefined ? VM_INPUTS_OWN : VM_INPUTS;
        this.vmRefs[id] = result.host;
        this.vmAlpha[id] = result.alpha;
        this.vmOwnE[id] = vm.annualKWh ?? 0;
        this.vmNames[id] = vm.name;
        this.vmHostNames[id] = result.host?.name ?? host;
      } else {
        this.vmState[id] = VM_PARENT;
        this.vmRefs[id] = result;
        this.vmNames[id] = this.vmHostNames[id] = undefined;
      }
    };
    // Under its key with the host (always replaced) and under its name alone (the first VM of that name).
    if (a >= 0) keep(a);
    if (b >= 0 && this.vmState[b] === VM_NONE) keep(b);
  }

  /**
   * The VM of an application, counted as used: once every application the pre-pass counted under that key is
   * assessed, the VM is dropped (the key keeps its id, so that it keeps designating the same VM). A VM kept as its
   * inputs is computed again (`StoredVm.parent`), once for consecutive applications of the same stored VM.
   */
  takeVm(vm: string, host?: string): AllocationParent | undefined {
    const id = this.vmKeyId(vm, host ?? ''); // without host, the key is the name's alone
    const state = id >= 0 ? this.vmState[id]! : VM_NONE;
    if (state === VM_NONE) return undefined;
    if (state === VM_DROPPED) throw new Error(`internal: VM ${vm} used by more applications than the pre-pass counted`);
    let parent: AllocationParent;
    if (state === VM_PARENT) parent = this.vmRefs[id] as AllocationParent;
    else if (this.vmSerial[id] === this.lastSerial) parent = this.lastParent!;
    else {
      const ownE = state === VM_INPUTS_OWN ? this.vmOwnE[id]! : undefined;
      const record = this.vmRefs[id] as HostRecord | undefined;
      const stored = new StoredVm(
        this.layout!,
        this.vmNames[id]!,
        this.vmHostNames[id]!,
        record,
        this.vmAlpha[id]!,
        ownE,
        this.zeros,
      );
      parent = stored.parent();
      this.lastSerial = this.vmSerial[id]!;
      this.lastParent = parent;
    }
    if (--this.remaining[id]! <= 0) {
      this.vmState[id] = VM_DROPPED;
      this.vmRefs[id] = this.vmNames[id] = this.vmHostNames[id] = undefined;
    }
    return parent;
  }

  appsOnVm(vm: string, host?: string): number {
    const id = this.vmKeyId(vm, host ?? '');
    return id >= 0 ? this.appsOnVmId[id]! || 1 : 1;
  }

  appsOnHost(host: string): number {
    const id = this.hostIds.get(host, '');
    return id >= 0 ? this.appsOnHostId[id]! || 1 : 1;
  }

  /** The host id whose statistics a VM's α uses: its host with data source, else its name alone (-1: none). */
  statsOf(vm: VirtualEquipment): number {
    const h = this.vmHost(vm.host!, vm.hostDataSource);
    return h >= 0 || vm.hostDataSource === undefined ? h : this.vmHost(vm.host!);
  }

  /** F8 share α of a VM, with the rule used. */
  alpha(
    vm: VirtualEquipment,
    h = this.statsOf(vm),
  ): Exclude<AllocationTrace, { rule: 'OWN_CONSUMPTION' | `PER_APPLICATION_${string}` }> {
    const n = h >= 0 ? this.nVm[h]! : 1;
    if (vm.allocationKey !== undefined)
      return { rule: 'ALLOCATION_KEY', vmValue: vm.allocationKey, nVm: n, alpha: vm.allocationKey };
    // typeEqv absent is read as `calcul`: NumEcoEval files have no typeEqv and allocate by vCPU (choice, docs/engine.md).
    const type = vm.vmType ?? 'compute';
    if (type === 'compute' && h >= 0 && this.someNoVcpu[h] === 0 && vm.vcpu !== undefined)
      return { rule: 'VCPU', vmValue: vm.vcpu, hostTotal: this.sumVcpu[h]!, nVm: n, alpha: vm.vcpu / this.sumVcpu[h]! };
    if (type === 'storage' && h >= 0 && this.someNoStorage[h] === 0 && vm.storage !== undefined)
      return {
        rule: 'STORAGE',
        vmValue: vm.storage,
        hostTotal: this.sumStorage[h]!,
        nVm: n,
        alpha: vm.storage / this.sumStorage[h]!,
      };
    return { rule: 'EQUAL', nVm: n, alpha: 1 / n };
  }

  /** CALC_ALLOCATION_OVER_100 once per host whose allocation keys sum above 1. */
  overAllocation(vm: VirtualEquipment, h = this.statsOf(vm)): Issue | undefined {
    if (h < 0 || this.sumAllocation[h]! <= 1 + 1e-12) return undefined;
    // Once per key the VM names (with its data source), as before: the flag is that key's.
    const k = this.hostId(vm.host!, vm.hostDataSource);
    if (this.warned[k] === 1) return undefined;
    this.warned[k] = 1;
    return issue('CALC_ALLOCATION_OVER_100', { host: vm.host!, sum: this.sumAllocation[h]! });
  }
}

export type { AllocationRule, AllocationTrace } from './trace.js';

/**
 * The result of a non-cloud VM (F8): its values and statuses computed once by `vmSlots`, its errors built on demand
 * (`SlotErrors`), its trace by `explain` from the same numbers (no closure per VM).
 */
class VmResult implements ItemResult, SlotIssues {
  readonly kind = 'virtual-equipment' as const;
  readonly name: string;
  declare readonly entity?: string;
  readonly quantity: number;
  readonly inTotal = false;
  readonly physicalEquipment: string;
  readonly values: number[];
  readonly status: ArrayLike<number>;
  readonly errors: ReadonlyMap<number, Issue>;
  readonly itKWh: number;
  readonly facilityKWh: number;
  readonly warnings: readonly Issue[];
  declare readonly at?: SourceRef;
  declare readonly periodShare?: number;
  declare readonly outOfPeriod?: Issue;

  constructor(
    private readonly vm: VirtualEquipment,
    readonly layout: EngineEnv['layout'],
    private readonly env: EngineEnv,
    readonly host: HostRecord | undefined,
    private readonly allocation: ReturnType<AllocationIndex['alpha']>,
    readonly mixes: Mixes,
    warnings: readonly Issue[],
    zeros: ZeroedValues,
  ) {
    this.name = vm.name;
    if (vm.entity !== undefined) (this as { entity?: string }).entity = vm.entity;
    this.quantity = vm.quantity ?? 1;
    this.physicalEquipment = vm.host ?? '';
    this.warnings = warnings;
    const values = zeros.make(layout.size);
    const status = vmSlots(layout, host, allocation.alpha, vm.annualKWh, mixes, values);
    this.values = values;
    this.status = status;
    this.errors = new SlotErrors(status, this);
    [this.itKWh, this.facilityKWh] = vmKWh(host, allocation.alpha, vm.annualKWh);
    if (vm.at) (this as { at?: SourceRef }).at = vm.at;
    const share = host?.result.periodShare ?? 1;
    if (share !== 1) (this as { periodShare?: number }).periodShare = share;
    const out = host?.result.outOfPeriod;
    if (out) (this as { outOfPeriod?: Issue }).outOfPeriod = withDetails(out, { name: vm.name });
  }

  get alpha(): number {
    return this.allocation.alpha;
  }

  get dims(): ItemDims {
    const h = this.host?.result.dims;
    return {
      tier: 'DATACENTER',
      ...(h?.country !== undefined ? { country: h.country } : {}),
      ...(h?.datacenter !== undefined ? { datacenter: h.datacenter } : {}),
    };
  }

  slotIssue(slot: number): Issue {
    return vmSlotIssue(
      this.layout,
      slot,
      this.vm.name,
      this.physicalEquipment,
      this.host,
      this.vm.annualKWh !== undefined,
    );
  }

  explain(slot: number): Trace {
    const { layout, host, vm, allocation, warnings } = this;
    const hostName = this.physicalEquipment;
    const alpha = allocation.alpha;
    const share = host?.result.periodShare ?? 1;
    const ownE = vm.annualKWh;
    const period =
      this.env.opts.periodShare && host
        ? { period: periodTrace(share, this.env.period, `host ${vm.host}`) }
        : undefined;
    const hostFormula = host?.result.formula(slot);
    if (layout.stepOf(slot) === 'USE' && ownE !== undefined && host) {
      const m: ElectricityFactor | undefined = this.mixes?.[slot % layout.criteria.length];
      const vars: Record<string, TraceVariable> = {
        E_vm: { value: ownE, unit: 'kWh/yr', origin: 'INPUT' },
        PUE_host: {
          value: host.pue.value ?? 1,
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
          : render(VM_OWN_USE, numbersOf(vars), this.values[slot]!),
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
        ? render(VM_ALLOCATED, numbersOf(variables), this.values[slot]!)
        : `${symbolic(VM_ALLOCATED)} (host not computed)`,
      variables,
      allocation,
      ...(hostFormula !== undefined ? { resolution: { host: hostName, hostFormula } } : {}),
      ...period,
      warnings,
    };
  }
}

/** F8 for a non-cloud VM whose host has been computed. */
/** A host record, refused loudly once released (a VM beyond those the pre-pass counted under its host). */
function released(r: HostRecord | null | undefined, name: string): HostRecord | undefined {
  if (r === null) throw new Error(`internal: host ${name} used by more VMs than the pre-pass counted`);
  return r;
}

export function assessVirtual(
  vm: VirtualEquipment,
  index: AllocationIndex,
  env: EngineEnv,
  vectors: VectorCache,
): ItemResult {
  if (vm.infrastructure === 'CLOUD_SERVICES' || vm.host === undefined) return assessCloud(vm, env, vectors);
  const host = index.host(vm.host, vm.hostDataSource);
  const stats = index.statsOf(vm);
  const allocation = index.alpha(vm, stats);
  const over = index.overAllocation(vm, stats);
  return new VmResult(vm, env.layout, env, host, allocation, host?.mixes, over ? [over] : NO_WARNINGS, index.zeros);
}

/**
 * F9: an application's result, its values its parent's ÷ n, its errors its parent's (else `CALC_HOST_IN_ERROR`) built
 * on demand, its trace by `explain` (no closure per application).
 */
class AppResult implements ItemResult, SlotIssues {
  readonly kind = 'application' as const;
  readonly name: string;
  declare readonly entity?: string;
  readonly quantity = 1;
  readonly values: number[];
  readonly status: ArrayLike<number>;
  readonly errors: ReadonlyMap<number, Issue>;
  readonly itKWh: number;
  readonly facilityKWh: number;
  readonly dims: ItemDims;
  readonly warnings = NO_WARNINGS;
  readonly inTotal = false;
  declare readonly virtualEquipment?: string;
  readonly physicalEquipment: string;
  declare readonly at?: SourceRef;
  declare readonly periodShare?: number;
  declare readonly outOfPeriod?: Issue;

  constructor(
    private readonly app: Application,
    private readonly layout: EngineEnv['layout'],
    private readonly parent: AllocationParent | undefined,
    private readonly n: number,
    zeros: ZeroedValues,
  ) {
    const viaVm = app.vm !== undefined;
    this.name = app.name;
    if (app.entity !== undefined) (this as { entity?: string }).entity = app.entity;
    const values = zeros.make(layout.size);
    const share = viaVm ? ON_VM : ON_HOST; // F9 compiled from its description
    if (parent !== undefined) {
      // Each slot has its parent slot's status (computed, in error or absent): the parent's statuses, shared.
      const factors = [0, n]; // [I_parent, n]
      const pv = parent.values;
      const ps = parent.status;
      for (let s = 0; s < layout.size; s++) {
        if (ps[s] !== OK) continue;
        factors[0] = pv[s]!;
        values[s] = share(factors);
      }
      this.status = ps;
    } else {
      // No parent: every slot but the embodied and whole-life ones in error.
      const status: number[] = new Array<number>(layout.size).fill(0);
      for (let s = 0; s < layout.size; s++) {
        const step = layout.stepOf(s);
        if (step !== 'EMBODIED' && step !== 'WHOLE_LIFE') status[s] = ERROR;
      }
      this.status = status;
    }
    this.values = values;
    this.errors = new SlotErrors(this.status, this);
    this.itKWh = parent ? share([parent.itKWh, n]) : 0;
    this.facilityKWh = parent ? share([parent.facilityKWh, n]) : 0;
    const country = parent?.dims.country;
    this.dims = {
      tier: 'DATACENTER',
      application: app.name,
      domain: app.domain ?? 'Unknown',
      environment: app.environment,
      ...(country !== undefined ? { country } : {}),
    };
    if (viaVm) (this as { virtualEquipment?: string }).virtualEquipment = app.vm!;
    this.physicalEquipment = viaVm ? (parent?.physicalEquipment ?? app.host ?? '') : (app.host ?? '');
    if (app.at) (this as { at?: SourceRef }).at = app.at;
    if (parent?.periodShare !== undefined && parent.periodShare !== 1)
      (this as { periodShare?: number }).periodShare = parent.periodShare;
    if (parent?.outOfPeriod)
      (this as { outOfPeriod?: Issue }).outOfPeriod = withDetails(parent.outOfPeriod, { name: app.name });
  }

  slotIssue(slot: number): Issue {
    const { app, layout } = this;
    return (
      this.parent?.errors.get(slot) ??
      issue('CALC_HOST_IN_ERROR', {
        host: app.vm ?? app.host ?? '',
        step: layout.stepOf(slot),
        criterion: layout.criterionOf(slot),
        vm: app.name,
      })
    );
  }

  explain(slot: number): Trace {
    const { app, parent, n, layout } = this;
    const viaVm = app.vm !== undefined;
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
        ? render(formula, numbersOf(variables), this.values[slot]!)
        : `${symbolic(formula)} (parent not computed)`,
      variables,
      allocation: { rule: viaVm ? 'PER_APPLICATION_ON_VM' : 'PER_APPLICATION_ON_HOST', n },
      ...(viaVm ? {} : { inferred: true }),
      warnings: [],
    };
  }
}

/** F9: an application's share of its VM (or, without VM, of its physical host: inferred). */
export function assessApplication(app: Application, index: AllocationIndex, env: EngineEnv): ItemResult {
  const viaVm = app.vm !== undefined;
  const parent: AllocationParent | undefined = viaVm
    ? index.takeVm(app.vm!, app.host)
    : app.host !== undefined
      ? index.host(app.host)?.result
      : undefined;
  const n = viaVm ? index.appsOnVm(app.vm!, app.host) : index.appsOnHost(app.host ?? '');
  return new AppResult(app, env.layout, parent, n, index.zeros);
}
