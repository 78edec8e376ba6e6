/**
 * Empreinte's generic service model (methodology §5.2): n = U × S sessions, H = n × d device-hours, terminals by F12,
 * network by F11 on n × v GB, datacenter by links. Presets of the model:
 * - business application (and any kind evaluated with `model: generic`): the users' sessions on their devices,
 *   default mix 100 % laptop, network = `remoteShare` (default 1) × fixed + the rest on the LAN (0);
 * - online administrative procedure: citizens' front office (n = procedures × sessions per procedure, default mix =
 *   the ACV-NUM web-search mix / 1.01, network fixed incl. box with a configurable `mobileShare`) and the agents'
 *   back office (one session per procedure, default 100 % laptop on the LAN).
 * No default exists for U, S, d, v: missing → CALC_SERVICE_PARAMETER_MISSING.
 */
import type { ComponentResult, GenericContext } from './component.js';
import { BUSINESS_APPLICATION_MIX, DEFAULT_MIX_SOURCES, ONLINE_PROCEDURE_MIX } from './defaults.js';
import { networkIndicators } from './network.js';
import type { NetworkSegment } from './network.js';
import type { ItemType } from '../referential/model.js';
import type {
  DeviceEntry,
  NetworkEntry,
  ServiceDefinition,
  TerminalAllocation,
  TerminalLine,
  Usage,
} from './schema.js';
import { serverIndicators } from './servers.js';
import { fail } from './source.js';
import type { DocPath } from './source.js';
import { terminalIndicators } from './terminals.js';
import type { TerminalSegment } from './terminals.js';

export interface GenericVolumes {
  /** Front-office sessions per year (n). */
  readonly sessionsPerYear: number;
  /** The natural count of `unit` functional units: sessions (business application) or procedures. */
  readonly naturalUnits: number;
  readonly users?: number;
}

interface Segment extends TerminalSegment, NetworkSegment {}

/** What reporting a missing parameter needs: the service's name and source (a whole context is one). */
type Located = Pick<GenericContext, 'source' | 'service'>;

const missing = (ctx: Located, path: DocPath): never =>
  fail(ctx.source, path, 'CALC_SERVICE_PARAMETER_MISSING', { service: ctx.service, parameter: path.join('.') });

function hours(ctx: Located, u: Usage, path: DocPath): number {
  if (u.sessionHours !== undefined) return u.sessionHours;
  if (u.sessionMinutes !== undefined) return u.sessionMinutes / 60;
  return missing(ctx, [...path, 'sessionHours']);
}

/** GB per session: `dataPerSessionGB`, `dataPerSessionMB` / 1000, or pages × page size (MB) / 1000. */
export function gbPerSession(ctx: Located, u: Usage, path: DocPath): number {
  if (u.dataPerSessionGB !== undefined) return u.dataPerSessionGB;
  if (u.dataPerSessionMB !== undefined) return u.dataPerSessionMB / 1000;
  if (u.pagesPerSession !== undefined && u.pageSizeMB !== undefined) return (u.pagesPerSession * u.pageSizeMB) / 1000;
  return missing(ctx, [...path, 'dataPerSessionGB']);
}

const mix = (m: readonly { share: number; items: readonly { item: string; quantity: number }[] }[]): DeviceEntry[] =>
  m.map((e) => ({ share: e.share, items: e.items.map((i) => ({ ...i })) }));

export function defaultAllocation(def: ServiceDefinition): TerminalAllocation {
  return def.profile === 'numecoeval' ? 'calendarHours' : 'activeHours';
}

/** Sessions and natural units of a generic service, checking that U, S, d and v are given. */
export function genericVolumes(ctx: Located, def: ServiceDefinition): GenericVolumes {
  const u = def.usage ?? missing(ctx, ['usage']);
  if (def.kind === 'online_procedure') {
    const P = u.proceduresPerYear ?? missing(ctx, ['usage', 'proceduresPerYear']);
    const k = u.sessionsPerProcedure ?? missing(ctx, ['usage', 'sessionsPerProcedure']);
    return { sessionsPerYear: P * k, naturalUnits: P, ...(u.users !== undefined ? { users: u.users } : {}) };
  }
  let n: number;
  if (u.sessionsPerYear !== undefined) n = u.sessionsPerYear;
  else {
    const U = u.users ?? missing(ctx, ['usage', 'users']);
    const S = u.sessionsPerUserPerYear ?? missing(ctx, ['usage', 'sessionsPerUserPerYear']);
    n = U * S;
  }
  return { sessionsPerYear: n, naturalUnits: n, ...(u.users !== undefined ? { users: u.users } : {}) };
}

export function genericIndicators(
  ctx: GenericContext,
  def: ServiceDefinition,
  volumes: GenericVolumes,
  functionalUnitsPerYear: number,
): ComponentResult {
  const u = def.usage ?? missing(ctx, ['usage']);
  const country = u.country ?? 'FR';
  const allocation = u.terminalAllocation ?? defaultAllocation(def);
  const procedure = def.kind === 'online_procedure';
  // Terminal lines (G4IT style) carry their own hours: the session hours are then needed by nothing.
  const d = u.terminals ? (u.sessionHours ?? 0) : hours(ctx, u, ['usage']);
  const v = gbPerSession(ctx, u, ['usage']);

  let network: NetworkEntry[];
  if (u.network) network = u.network;
  else if (procedure) {
    const m = u.mobileShare ?? 0;
    network = [
      { type: 'fixed', share: 1 - m },
      { type: 'mobile', share: m },
    ].filter((x) => x.share > 0);
  } else {
    const r = u.remoteShare ?? 1;
    network = [
      { type: 'fixed', share: r },
      { type: 'lan', share: 1 - r },
    ].filter((x) => x.share > 0);
  }

  const segments: Segment[] = [
    {
      name: procedure ? 'citizens' : 'users',
      sessionsPerYear: volumes.sessionsPerYear,
      hoursPerSession: d,
      gbPerSession: v,
      devices: u.devices ?? mix(procedure ? ONLINE_PROCEDURE_MIX : BUSINESS_APPLICATION_MIX),
      devicesPath: ['usage', 'devices'],
      devicesOrigin: u.devices ? 'INPUT' : 'DEFAULT',
      ...(u.devices
        ? {}
        : { devicesSource: procedure ? DEFAULT_MIX_SOURCES.onlineProcedure : DEFAULT_MIX_SOURCES.businessApplication }),
      country,
      countryPath: ['usage', 'country'],
      allocation,
      network,
      networkPath: ['usage', 'network'],
      networkOrigin: u.network ? 'INPUT' : 'DEFAULT',
    },
  ];
  if (procedure && def.backOffice) {
    const b = def.backOffice;
    const h =
      b.hoursPerProcedure ??
      (b.minutesPerProcedure !== undefined
        ? b.minutesPerProcedure / 60
        : missing(ctx, ['backOffice', 'hoursPerProcedure']));
    segments.push({
      name: 'back-office',
      sessionsPerYear: volumes.naturalUnits,
      hoursPerSession: h,
      gbPerSession: b.dataPerProcedureGB ?? 0,
      devices: b.devices ?? mix(BUSINESS_APPLICATION_MIX),
      devicesPath: ['backOffice', 'devices'],
      devicesOrigin: b.devices ? 'INPUT' : 'DEFAULT',
      ...(b.devices ? {} : { devicesSource: DEFAULT_MIX_SOURCES.businessApplication }),
      country: b.country ?? country,
      countryPath: b.country ? ['backOffice', 'country'] : ['usage', 'country'],
      allocation: b.terminalAllocation ?? allocation,
      network: b.network ?? [{ type: 'lan', share: 1 }],
      networkPath: ['backOffice', 'network'],
      networkOrigin: b.network ? 'INPUT' : 'DEFAULT',
    });
  }

  const out: ComponentResult = { indicators: [], coverage: [] };
  const lines = u.terminals ? terminalLineSegments(ctx, u.terminals, allocation) : [];
  for (const seg of lines) {
    const r = terminalIndicators(ctx, seg);
    out.indicators.push(...r.indicators);
    out.coverage.push(...r.coverage);
  }
  for (const seg of segments) {
    const skipTerminals = u.terminals !== undefined && seg.devicesPath[0] === 'usage';
    for (const r of skipTerminals
      ? [networkIndicators(ctx, seg)]
      : [terminalIndicators(ctx, seg), networkIndicators(ctx, seg)]) {
      out.indicators.push(...r.indicators);
      out.coverage.push(...r.coverage);
    }
  }
  const servers = serverIndicators(ctx, def.servers ?? [], {
    sessionsPerYear: volumes.sessionsPerYear,
    functionalUnitsPerYear,
    country,
    path: ['servers'],
  });
  out.indicators.push(...servers.indicators);
  out.coverage.push(...servers.coverage);
  return out;
}

/**
 * Terminal lines (G4IT's terminal description): each line is one segment of `users` × `hoursPerUserPerYear`
 * device-hours on one device in one country. A `deviceType` resolves to its item type and the type's default reference
 * item (G4IT `ref_device_type`: the code is the item); an `item` is a reference item. Unknown names stop the service.
 */
function terminalLineSegments(
  ctx: GenericContext,
  lines: readonly TerminalLine[],
  allocation: TerminalAllocation,
): TerminalSegment[] {
  return lines.map((line, i) => {
    const path: DocPath = ['usage', 'terminals', i];
    let item: string;
    let deviceType: ItemType | undefined;
    if (line.deviceType !== undefined) {
      deviceType = ctx.data.deviceType(line.deviceType);
      const target = deviceType?.defaultRefItem;
      if (!deviceType || target === undefined || !ctx.data.device(target))
        fail(ctx.source, [...path, 'deviceType'], 'SVC_UNKNOWN_DEVICE', {
          item: line.deviceType,
          allowed: listed(
            ctx.data.deviceTypeNames().filter((t) => {
              const target = ctx.data.deviceType(t)?.defaultRefItem;
              return target !== undefined && ctx.data.device(target) !== undefined;
            }),
          ),
        });
      item = target;
    } else {
      item = line.item ?? missing(ctx, [...path, 'item']);
      if (!ctx.data.device(item))
        fail(ctx.source, [...path, 'item'], 'SVC_UNKNOWN_DEVICE', { item, allowed: listed(ctx.data.deviceNames()) });
    }
    return {
      name: line.label ?? `line ${i + 1} (${line.deviceType ?? item}, ${line.country})`,
      sessionsPerYear: line.users,
      hoursPerSession: line.hoursPerUserPerYear,
      hoursLabel: ['users', 'h per user per year'] as const,
      devices: [{ share: 1, items: [{ item, quantity: 1 }] }],
      devicesPath: path,
      itemPath: [...path, line.deviceType !== undefined ? 'deviceType' : 'item'],
      devicesOrigin: 'INPUT' as const,
      country: line.country,
      countryPath: [...path, 'country'],
      allocation,
      ...(line.lifespanYears !== undefined ? { lifespanYears: line.lifespanYears } : {}),
      ...(deviceType ? { deviceType } : {}),
    };
  });
}

/** Accepted names for SVC_UNKNOWN_DEVICE: all of them up to 60 (the default pack has 27 terminal types). */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 60).join(', ');
  return names.length > 60 ? `${shown} … (${names.length} in all)` : shown || '(none in the referential)';
}
