/**
 * One assessment run, pure: the caller streams items in dependency order (datacenters and entities, then the index
 * pre-pass over VMs and applications, then physical equipment, VMs, applications, non-IT, messaging) and hands each
 * result to an Aggregator and, when it wants rows, to `indicatorRows`. Only what allocation needs is kept: the hosts
 * that have VMs or applications, and the VMs that have applications.
 */
import type { Issue } from '../issues/catalogue.js';
import type {
  Application,
  Datacenter,
  Entity,
  MessagingRow,
  NonItItem,
  PhysicalEquipment,
  VirtualEquipment,
} from '../inventory/model.js';
import type { Referential } from '../referential/model.js';
import { Aggregator, type Totals } from './aggregate.js';
import type { RunContext } from './context.js';
import { EngineEnv, type EngineHooks } from './env.js';
import { finiteResult } from './finite.js';
import { assessMessaging } from './messaging.js';
import { effectivePue, EquipmentCalculator, typeKeyOf, type RetainedLifetime } from './physical.js';
import type { ItemResult } from './result.js';
import { teleworkBoxes } from './telework.js';
import type { Trace } from './trace.js';
import { VectorCache } from './vectors.js';
import { AllocationIndex, assessApplication, assessVirtual } from './virtual.js';

export const ENGINE_VERSION = '0.1.0';

export interface RunMeta {
  readonly engine: { readonly name: 'empreinte'; readonly version: string };
  readonly profile: RunContext['profile'];
  readonly referenceDate: string;
  readonly lifetimeMethod: RunContext['lifetimeMethod'];
  /** Assessed period, both days included; `shares`: items count pro rata of their days in it (§2.2, rcp). */
  readonly period: { readonly start: string; readonly end: string; readonly shares: boolean };
  readonly referential: {
    readonly id: string;
    readonly version: string;
    readonly hash: string;
    readonly layers: readonly { name: string; version?: string; packHash?: string }[];
  };
  readonly criteria: readonly string[];
  readonly steps: readonly string[];
  readonly organisation?: string;
  readonly batch?: string;
}

export class Assessment {
  readonly env: EngineEnv;
  private readonly vectors: VectorCache;
  private readonly equipment: EquipmentCalculator;
  readonly allocation = new AllocationIndex();

  constructor(ref: Referential, ctx: RunContext, hooks: EngineHooks = {}) {
    this.env = new EngineEnv(ref, ctx, hooks);
    this.vectors = new VectorCache(this.env);
    this.equipment = new EquipmentCalculator(this.env, this.vectors);
  }

  get layout() {
    return this.env.layout;
  }

  meta(): RunMeta {
    const { ref, ctx } = this.env;
    return {
      engine: { name: 'empreinte', version: ENGINE_VERSION },
      profile: ctx.profile,
      referenceDate: ctx.referenceDate,
      lifetimeMethod: ctx.lifetimeMethod,
      period: { start: this.env.period.start, end: this.env.period.end, shares: this.env.opts.periodShare },
      referential: { id: ref.id, version: ref.version, hash: ref.hash, layers: ref.layers },
      criteria: this.layout.criteria,
      steps: this.layout.steps,
      ...(ctx.organisation !== undefined ? { organisation: ctx.organisation } : {}),
      ...(ctx.batch !== undefined ? { batch: ctx.batch } : {}),
    };
  }

  // ——— context and index pre-pass ———
  datacenter(dc: Datacenter): void {
    this.env.addDatacenter(dc);
  }
  /** F3 `category` rule: statistics over all physical equipment of the batch, before computing. */
  indexUpstream(pe: PhysicalEquipment): void {
    this.env.upstream.add(typeKeyOf(pe.type), pe);
  }
  indexVirtual(vm: VirtualEquipment): void {
    this.allocation.indexVirtual(vm);
  }
  indexApplication(app: Application): void {
    this.allocation.indexApplication(app);
  }

  // ——— computation ———
  physical(pe: PhysicalEquipment): ItemResult {
    // Finite already (the calculator checks its values as it makes them, §2.1).
    const r = this.equipment.assess({ kind: 'physical-equipment', item: pe });
    if (this.allocation.hasHosts && this.allocation.wantsHost(pe.name, pe.dataSource)) {
      const hosted = pe.datacenter !== undefined ? this.env.datacenters.get(pe.datacenter) : undefined;
      const pue = effectivePue(hosted, this.env.itemType(pe.type), this.env).pue;
      const label = hosted?.location ?? pe.country;
      // Kept for the VMs and applications as a compact view (values, statuses, the formula's numbers), not as the
      // whole result with its parsed line and trace context; a result rewritten by `finiteResult` is kept as it is.
      const locationKey = label !== undefined ? this.env.locationKey(label) : undefined;
      this.allocation.storeHost(pe.name, pe.dataSource, {
        result: this.equipment.hostView(r),
        pue,
        name: pe.name,
        ...(label !== undefined ? { locationLabel: label, locationKey, mixes: this.vectors.mix(locationKey!) } : {}),
      });
    }
    return r;
  }

  /**
   * A physical item's lifetime as `physical` retains it (its result's `lifetimeYears`) and its F3 parts, without its
   * indicators. The batch's items must be given to `indexUpstream` first (F3).
   */
  retainedLifetime(pe: PhysicalEquipment): RetainedLifetime | undefined {
    return this.equipment.retainedLifetime(pe);
  }

  virtual(vm: VirtualEquipment): ItemResult {
    const raw = assessVirtual(vm, this.allocation, this.env, this.vectors);
    const r = finiteResult(raw, this.layout);
    if (vm.host !== undefined) this.allocation.storeVm(vm, r, r === raw); // kept when applications name it
    this.allocation.vmDone(vm); // its host's record released after its last VM (held by the VMs kept)
    return r;
  }

  application(app: Application): ItemResult {
    return finiteResult(assessApplication(app, this.allocation, this.env), this.layout);
  }

  nonIt(item: NonItItem): ItemResult {
    const pe: PhysicalEquipment = {
      name: item.name,
      type: item.type,
      quantity: item.quantity,
      country: item.location,
      ...(item.datacenter !== undefined ? { datacenter: item.datacenter } : {}),
      ...(item.lifeYears !== undefined ? { internalLifeYears: item.lifeYears } : {}),
      ...(item.annualKWh !== undefined ? { annualKWh: item.annualKWh } : {}),
      ...(item.entity !== undefined ? { entity: item.entity } : {}),
      ...(item.quality !== undefined ? { quality: item.quality } : {}),
      ...(item.at !== undefined ? { at: item.at } : {}),
    };
    return this.equipment.assess({ kind: 'non-it', item: pe, nonIt: true });
  }

  messaging(row: MessagingRow): ItemResult {
    return finiteResult(assessMessaging(row, this.env), this.layout);
  }

  /** F14: telework boxes of the run context, as physical equipment. */
  telework(): ItemResult[] {
    return teleworkBoxes(this.env).map((b) =>
      this.equipment.assess({ kind: 'physical-equipment', item: b.item, quantityTrace: b.quantity }),
    );
  }
}

/** One output row (the `indicators` of `assess --format json`). */
export interface IndicatorRow {
  readonly kind: ItemResult['kind'];
  readonly item: string;
  readonly entity?: string;
  readonly lifecycleStep: string;
  readonly criterion: string;
  readonly value: number;
  readonly unit: string;
  readonly status: 'OK' | 'ERROR';
  readonly errorCode?: string;
  readonly errorMessage?: Issue;
  readonly tier: string;
  readonly virtualEquipment?: string;
  readonly physicalEquipment?: string;
  readonly trace?: Trace;
  /** The trace's formula text alone, when rows were asked with `withTrace = 'formula'` (no other part of the trace). */
  readonly formula?: string;
}

/**
 * Rows for the computed slots of one item; traces built only when asked (`'formula'`: the trace's formula text alone,
 * in `formula`, for outputs that write nothing else of it). An item out of the period has none: it is listed in the
 * totals' `outOfPeriod` (§2.2).
 */
export function* indicatorRows(
  r: ItemResult,
  layout: Assessment['layout'],
  withTrace: boolean | 'formula' = true,
): Generator<IndicatorRow> {
  if (r.outOfPeriod !== undefined) return;
  for (let s = 0; s < layout.size; s++) {
    const st = r.status[s];
    if (st === 0) continue;
    const err = st === 2 ? r.errors.get(s) : undefined;
    // Properties added one by one in the order (and with the presence) the row always had: objects of one shape,
    // without the copy of a spread per optional part (issue 11: 14 million rows for the long CSV of 1M lines).
    const row: { -readonly [K in keyof IndicatorRow]?: IndicatorRow[K] } = { kind: r.kind, item: r.name };
    if (r.entity !== undefined) row.entity = r.entity;
    row.lifecycleStep = layout.stepOf(s);
    row.criterion = layout.criterionOf(s);
    row.value = r.values[s]!;
    row.unit = layout.unitOf(s);
    row.status = st === 1 ? 'OK' : 'ERROR';
    if (err) {
      row.errorCode = err.code;
      row.errorMessage = err;
    }
    row.tier = r.dims.tier;
    if (r.kind === 'application') {
      row.virtualEquipment = r.virtualEquipment ?? '';
      row.physicalEquipment = r.physicalEquipment ?? '';
    }
    if (r.kind === 'virtual-equipment') row.physicalEquipment = r.physicalEquipment ?? '';
    if (withTrace === 'formula') row.formula = r.formula ? r.formula(s) : r.explain(s).formula;
    else if (withTrace) row.trace = r.explain(s);
    yield row as IndicatorRow;
  }
}

export interface InventoryInput {
  readonly datacenters?: readonly Datacenter[];
  readonly entities?: readonly Entity[];
  readonly physical?: readonly PhysicalEquipment[];
  readonly virtual?: readonly VirtualEquipment[];
  readonly applications?: readonly Application[];
  readonly nonIt?: readonly NonItItem[];
  readonly messaging?: readonly MessagingRow[];
}

export interface InventoryAssessment {
  readonly meta: RunMeta;
  readonly results: readonly ItemResult[];
  readonly indicators: readonly IndicatorRow[];
  readonly totals: Totals;
}

/**
 * Convenience for in-memory inventories (tests, services, server): the same order as the streaming pipeline.
 * `indicators: false` leaves the indicator rows out (empty): a caller that needs only the results and totals (a
 * scenario's baseline and variant) skips building a trace per indicator, which costs far more than the computation.
 */
export function assessInventory(
  input: InventoryInput,
  ref: Referential,
  ctx: RunContext,
  hooks: EngineHooks = {},
  options: { readonly indicators?: boolean } = {},
): InventoryAssessment {
  const a = new Assessment(ref, ctx, hooks);
  const agg = new Aggregator(a.layout, ref);
  for (const dc of input.datacenters ?? []) a.datacenter(dc);
  for (const e of input.entities ?? []) if (e.collaborators) agg.addCollaborators(e.collaborators);
  for (const pe of input.physical ?? []) a.indexUpstream(pe);
  for (const vm of input.virtual ?? []) a.indexVirtual(vm);
  for (const app of input.applications ?? []) a.indexApplication(app);
  const results: ItemResult[] = [];
  const push = (r: ItemResult) => {
    results.push(r);
    agg.add(r);
  };
  for (const pe of input.physical ?? []) push(a.physical(pe));
  for (const b of a.telework()) push(b);
  for (const vm of input.virtual ?? []) push(a.virtual(vm));
  for (const app of input.applications ?? []) push(a.application(app));
  for (const n of input.nonIt ?? []) push(a.nonIt(n));
  for (const m of input.messaging ?? []) push(a.messaging(m));
  const indicators = options.indicators === false ? [] : results.flatMap((r) => [...indicatorRows(r, a.layout)]);
  return { meta: a.meta(), results, indicators, totals: agg.result() };
}
