/**
 * Server parts of a service assessed by the engine itself, as inventory lines (issue 14). A cloud instance: provider, instance type, location, quantity, yearly hours and load, assessed
 * by the engine's F15 exactly as the NumEcoEval cloud virtual-equipment line with the same inputs (`assessInventory`
 * on that one line, with the engine's cloud model over the run's referential and profile). The service takes the
 * line's indicators × the share β of the instance that serves it. A dedicated or shared server: see `hostServerLink`.
 * No formula of F5–F8 or F15 is written here.
 */
import { assessInventory } from '../engine/assess.js';
import type { IndicatorRow } from '../engine/assess.js';
import type { RunContext } from '../engine/context.js';
import { cloudModel, DEFAULT_GENERIC_SERVER, engineHooks } from '../engine/hooks.js';
import type { EngineHooks } from '../engine/env.js';
import type { LifecycleStep } from '../referential/codes.js';
import { EmpreinteError } from '../issues/catalogue.js';
import type { PhysicalEquipment, VirtualEquipment } from '../inventory/model.js';
import type { Referential } from '../referential/model.js';
import { hostArchetypeName } from './reference-data.js';
import type { ServerHostData } from './reference-data.js';
import type { TraceVariable } from './result.js';
import { parseStep } from '../referential/codes.js';
import { GENERIC_MODEL, derived, input, refVar, relay } from './component.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import { HOURS_PER_YEAR } from './schema.js';
import type { HostServer, Instance, ServerComponents } from './schema.js';
import { fail, locate, pathString } from './source.js';
import type { DocPath } from './source.js';

export const ENGINE_F15 = 'engine F15 (Boavizta cloud instance model, src/engine/cloud-model.ts)';
const STEPS: readonly LifecycleStep[] = ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'];

/** The NumEcoEval cloud virtual-equipment line of an instance (what `assess` reads from a CSV line). */
export function instanceLine(name: string, i: Instance): VirtualEquipment {
  return {
    name,
    infrastructure: 'CLOUD_SERVICES',
    provider: i.provider,
    instanceType: i.instanceType,
    location: i.location,
    quantity: i.quantity,
    ...(i.hoursPerYear !== undefined ? { annualHours: i.hoursPerYear } : {}),
    ...(i.loadPercent !== undefined ? { avgLoad: i.loadPercent } : {}),
  };
}

export function instanceLink(
  ctx: GenericContext,
  i: Instance,
  label: string | undefined,
  path: DocPath,
): ComponentResult {
  const name = label ?? `cloud ${i.provider} ${i.instanceType}`;
  const { referential, profile } = ctx.engine;
  const out = assessInventory({ virtual: [instanceLine(name, i)] }, referential, runContext(ctx), {
    cloud: cloudModel(referential, profile, { genericServerItem: DEFAULT_GENERIC_SERVER }),
  });
  return fromEngine(ctx, out.indicators, {
    component: `server:${name}`,
    beta: i.share,
    path,
    model: ENGINE_F15,
    note: `cloud instance ${i.provider} ${i.instanceType}, F15 as an inventory line`,
  });
}

function runContext(ctx: GenericContext): RunContext {
  const { referential, profile } = ctx.engine;
  return {
    profile,
    // Service lines have no dates: the reference date only names the year assessed (whole period, share 1).
    referenceDate: '2025-01-01',
    lifetimeMethod: 'FIXE',
    criteria: [...referential.criteria.keys()],
    steps: STEPS,
  };
}

/**
 * The engine's rows of one line as the service's DATACENTER indicators, × β. A line the engine cannot assess at all
 * (unknown provider, instance, region, item…: every CLIMATE_CHANGE slot in error) stops the service, at its field. A
 * single missing factor (a step or criterion the referential lacks) is a gap of that criterion only, as in the
 * inventory: the engine's issue is reported as a warning of the service.
 */
function fromEngine(
  ctx: GenericContext,
  rows: readonly IndicatorRow[],
  o: {
    component: string;
    beta: number;
    path: DocPath;
    model: string;
    note: string;
    extraNotes?: readonly string[];
    /** Reference values the service gave the line (a host archetype's vCPU, lifespan), with their origin. */
    extraVariables?: Readonly<Record<string, TraceVariable>>;
  },
): ComponentResult {
  const climate = rows.filter((r) => r.criterion === 'CLIMATE_CHANGE');
  const err =
    climate.length === 0 || climate.every((r) => r.status === 'ERROR')
      ? (climate[0] ?? rows.find((r) => r.status === 'ERROR'))
      : undefined;
  if (err?.errorMessage) {
    const at = locate(ctx.source, o.path);
    throw new EmpreinteError({
      ...err.errorMessage,
      severity: 'F',
      details: { file: at.file ?? '<service>', ...err.errorMessage.details },
      ...at,
    });
  }
  for (const r of rows)
    if (r.status === 'ERROR' && r.errorMessage && r.criterion === 'CLIMATE_CHANGE') relay(ctx, o.path, r.errorMessage);
  const incomplete = new Set(rows.filter((r) => r.status === 'ERROR').map((r) => r.criterion));
  const indicators: YearIndicator[] = [];
  const covered = new Set<string>();
  for (const r of rows) {
    const step = parseStep(r.lifecycleStep);
    if (r.status !== 'OK' || step === undefined || r.trace === undefined) continue;
    if (!incomplete.has(r.criterion)) covered.add(r.criterion);
    const value = o.beta * r.value;
    indicators.push({
      tier: 'DATACENTER',
      step,
      criterion: r.criterion,
      unit: r.unit,
      component: o.component,
      perYear: value,
      trace:
        o.beta === 1
          ? {
              ...r.trace,
              ...(o.extraVariables ? { variables: { ...r.trace.variables, ...o.extraVariables } } : {}),
              model: o.model,
              notes: [o.note, ...(o.extraNotes ?? [])],
            }
          : {
              formula: `${o.beta} × ${r.value} = ${value}`,
              variables: { beta: input(o.beta, 'share'), I_line: derived(r.value, r.unit) },
              warnings: r.trace.warnings,
              model: GENERIC_MODEL,
              notes: [`share β of the line, whose value is the engine's`, `engine: ${r.trace.formula}`, o.note],
            },
    });
  }
  const coverage: Coverage[] = [{ label: o.component, criteria: covered }];
  return { indicators, coverage };
}

/**
 * A dedicated or shared non-cloud server (G4IT's server description) assessed by the engine: a physical line of type
 * Server whose model is matched to the host's reference item, in a datacenter with the given location and PUE
 * (F5–F7); when shared, a virtual machine on it with the service's vCPU (or storage GB) and a second one holding the
 * rest of the host's capacity, so that the engine's F8 VCPU (STORAGE) rule gives α = vCPU / host vCPU. Operating hours
 * below 8,760 scale the server's yearly consumption (E × h / 8760, choice: the server exists the whole year, so its
 * embodied part does not depend on them).
 */
export function hostServerLink(
  ctx: GenericContext,
  h: HostServer,
  label: string | undefined,
  path: DocPath,
): ComponentResult {
  const archetype = archetypeOf(ctx, h, path);
  const name = label ?? `${h.mode} ${h.kind} server ${h.size ?? h.item ?? 'bottom-up'}`;
  const host =
    h.components !== undefined ? bottomUpHost(ctx, h.components, name, path) : itemHost(ctx, h, archetype, path);
  const { item, E } = host;
  const notes: string[] = [...host.notes];
  const extraVariables: Record<string, TraceVariable> = {};
  if (archetype) {
    const r = archetype.ref;
    notes.push(
      `host ${h.kind} ${h.size} = ${item}: server host '${archetype.description}' (${r.layer}${r.file ? `, ${r.file}${r.line !== undefined ? `:${r.line}` : ''}` : ''}; ${r.source})`,
    );
  }
  const hours = h.hoursPerYear;
  let annualKWh: number | undefined;
  if (hours !== undefined && hours !== HOURS_PER_YEAR) {
    if (E === undefined) fail(ctx.source, [...path, 'hoursPerYear'], 'CALC_ELECTRICITY_MISSING', { name, item });
    annualKWh = (E * hours) / HOURS_PER_YEAR;
    notes.push(`operating ${hours} h/yr: E = ${E} kWh × ${hours} / 8760 = ${annualKWh} kWh (choice)`);
  }
  const lifespan = h.lifespanYears ?? archetype?.lifespanYears?.value;
  if (h.lifespanYears === undefined && archetype?.lifespanYears)
    extraVariables['L_host'] = refVar(archetype.lifespanYears.value, 'yr', archetype.lifespanYears);
  const hostLine: PhysicalEquipment = {
    name,
    type: 'Server',
    ...host.line,
    quantity: h.mode === 'dedicated' ? h.quantity : 1,
    datacenter: 'service-datacenter',
    ...(lifespan !== undefined ? { internalLifeYears: lifespan } : {}),
    ...(annualKWh !== undefined ? { annualKWh } : {}),
  };
  const virtual: VirtualEquipment[] = [];
  if (h.mode === 'shared') {
    const storage = h.kind === 'storage';
    const given = storage ? h.hostStorageGB : h.hostVcpu;
    const capacity = given ?? archetype?.capacity?.value;
    if (given === undefined && archetype?.capacity)
      extraVariables[storage ? 'hostStorageGB' : 'hostVcpu'] = refVar(
        archetype.capacity.value,
        storage ? 'GB' : 'vCPU',
        archetype.capacity,
      );
    const used = storage ? h.storageGB : h.vcpu;
    const field = storage ? 'storageGB' : 'vcpu';
    if (capacity === undefined || used === undefined)
      fail(ctx.source, [...path, field], 'CALC_SERVICE_PARAMETER_MISSING', { service: ctx.service, parameter: field });
    if (used > capacity)
      fail(ctx.source, [...path, field], 'SVC_FIELD_INVALID', {
        field: `${field}`,
        reason: `${used} is more than the host's ${capacity} (accepted: 0 < ${field} ≤ ${capacity})`,
      });
    const vm = (n: string, x: number): VirtualEquipment => ({
      name: n,
      host: name,
      infrastructure: 'NON_CLOUD_SERVERS',
      vmType: storage ? 'storage' : 'compute',
      ...(storage ? { storage: x } : { vcpu: x }),
    });
    virtual.push(vm(`${name} (service)`, used));
    if (used < capacity) virtual.push(vm(`${name} (rest of the host)`, capacity - used));
    notes.push(`shared: α = ${used} / ${capacity} ${storage ? 'GB' : 'vCPU'} of the host (engine F8)`);
  }
  const out = assessInventory(
    {
      datacenters: [
        {
          name: 'service-datacenter',
          location: h.datacenter.location,
          ...(h.datacenter.pue !== undefined ? { pue: h.datacenter.pue } : {}),
        },
      ],
      physical: [hostLine],
      virtual,
    },
    host.referential,
    runContext(ctx),
    host.hooks,
  );
  const wanted = h.mode === 'shared' ? `${name} (service)` : name;
  const kind = h.mode === 'shared' ? 'virtual-equipment' : 'physical-equipment';
  return fromEngine(
    ctx,
    out.indicators.filter((r) => r.kind === kind && r.item === wanted),
    {
      component: `server:${name}`,
      beta: 1,
      path,
      model: ENGINE_SERVER,
      note: `${h.mode} server, ${item}`,
      extraNotes: notes,
      extraVariables,
    },
  );
}

export const ENGINE_SERVER = 'engine F5–F8 (physical server line, VM allocation when shared)';

interface ResolvedHost {
  /** The reference item, or the bottom-up item's name. */
  readonly item: string;
  /** Its yearly consumption (kWh), for operating hours below 8,760. */
  readonly E: number | undefined;
  /** What the server line says of its model: `modele`, or the components of F16. */
  readonly line: Partial<PhysicalEquipment>;
  readonly referential: Referential;
  readonly hooks: EngineHooks;
  readonly notes: readonly string[];
}

/**
 * The S/M/L archetype of a host given by `size`: the referential's server host `Server Compute S`… (G4IT
 * `ref_server_host.csv`, in the default pack, overridable by a user layer); a size the referential has no row for
 * stops the service at the field, listing the archetypes it has.
 */
function archetypeOf(ctx: GenericContext, h: HostServer, path: DocPath): ServerHostData | undefined {
  if (h.size === undefined) return undefined;
  const a = ctx.data.serverHost(h.kind, h.size);
  if (!a)
    fail(ctx.source, [...path, 'size'], 'SVC_FIELD_INVALID', {
      field: pathString([...path, 'size']),
      reason: `the referential has no server host '${hostArchetypeName(h.kind, h.size)}' (accepted: ${
        ctx.data
          .serverHostArchetypes()
          .filter((x) => x.kind === h.kind)
          .map((x) => x.size)
          .join(', ') || `none of kind ${h.kind}`
      })`,
    });
  return a;
}

/** A host given by an archetype or a reference item: the line names the item, matched to itself (F1 rule 1). */
function itemHost(
  ctx: GenericContext,
  h: HostServer,
  archetype: ServerHostData | undefined,
  path: DocPath,
): ResolvedHost {
  const item = archetype?.item ?? h.item ?? '';
  const dev = ctx.data.device(item);
  if (!dev)
    fail(ctx.source, [...path, h.size !== undefined ? 'size' : 'item'], 'SVC_UNKNOWN_DEVICE', {
      item: archetype ? `${item} (G4IT ${h.kind} host ${h.size}; load G4IT's item impacts with --referential)` : item,
      allowed:
        ctx.data
          .serverHostArchetypes()
          .filter((a) => a.kind === h.kind)
          .map((a) => a.item)
          .filter((i) => ctx.data.device(i) !== undefined)
          .join(', ') || '(no G4IT host item in the referential)',
    });
  return {
    item,
    E: dev.avgKWhPerYear,
    line: { model: item },
    referential: withMatching(ctx.engine.referential, item),
    hooks: {},
    notes: [],
  };
}

/**
 * A host described by its components: the engine's F16 bottom-up model (the same hook as an inventory server line with
 * `nbCoeur`, `typeDeProcesseur`, `tailleMemoire`, `nbSsd`, `tailleSsd`, `nbHdd`; called, not copied). F16 is an `rcp`
 * rule: under `numecoeval` the engine has no bottom-up model, so the service stops at the field.
 */
function bottomUpHost(ctx: GenericContext, c: ServerComponents, name: string, path: DocPath): ResolvedHost {
  const at = [...path, 'components'];
  if (ctx.engine.profile !== 'rcp')
    fail(ctx.source, at, 'SVC_FIELD_INVALID', {
      field: pathString(at),
      reason: "a server described by its components is assessed by F16 (bottom-up), a rule of the 'rcp' profile only",
    });
  const line: Partial<PhysicalEquipment> = {
    ...(c.cores !== undefined ? { cores: c.cores } : {}),
    ...(c.cpuType !== undefined ? { cpuType: c.cpuType } : {}),
    ...(c.memoryGB !== undefined ? { memoryGB: c.memoryGB } : {}),
    ...(c.ssdCount !== undefined ? { ssdCount: c.ssdCount } : {}),
    ...(c.ssdSizeGB !== undefined ? { ssdSizeGb: c.ssdSizeGB } : {}),
    ...(c.hddCount !== undefined ? { hddCount: c.hddCount } : {}),
  };
  const hooks = engineHooks(ctx.engine.referential, { profile: 'rcp' });
  const synthetic = hooks.bottomUp?.({ name, ...line });
  if (synthetic === undefined)
    fail(ctx.source, at, 'SVC_FIELD_INVALID', {
      field: pathString(at),
      reason: 'the bottom-up server model of the referential cannot describe these components',
    });
  return {
    item: synthetic.name,
    E: synthetic.avgKWhPerYear,
    line,
    referential: ctx.engine.referential,
    hooks,
    notes: [`host by its components: ${synthetic.name} (engine F16)`],
  };
}

/** The run's referential with the host's model matched to its reference item (F1 rule 1), whatever the profile. */
function withMatching(ref: Referential, item: string): Referential {
  if (ref.matchings.get(item)?.refItemTarget === item) return ref;
  const matchings = new Map(ref.matchings);
  matchings.set(item, {
    modelSource: item,
    refItemTarget: item,
    prov: { source: 'service server link', layer: 'service' },
  });
  return { ...ref, matchings };
}
