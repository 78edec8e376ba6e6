/**
 * Reference data of the generic service model (§5.2), read from the run's `Referential` only (the embedded default
 * pack plus the profile and user layers): devices, per-GB network factors, electricity factors, people-equivalent
 * divisors, hypotheses (PUEs) and cloud platform lives. Each value comes back with its reference (layer, key,
 * source) for the trace. The services library keeps no copy of these figures.
 */
import { criterionDef, foldKey, parseStep } from '../referential/codes.js';
import type { StepCode } from '../referential/codes.js';
import { locationKey, normaliseLocation } from '../referential/countries.js';
import { hypothesisDef, hypothesisNumber } from '../referential/hypotheses.js';
import type { Profile } from '../referential/hypotheses.js';
import { networkTypeKey } from '../referential/model.js';
import type { ItemType, Referential, ServerHost } from '../referential/model.js';
import { refOf } from '../engine/trace.js';
import type { TraceRef } from './result.js';

export interface SourcedFactor {
  readonly step: StepCode;
  readonly criterion: string;
  readonly value: number;
  readonly ref: TraceRef;
}

export interface DeviceData {
  readonly name: string;
  readonly activePowerW?: number;
  readonly dailyHours?: number;
  readonly lifespanYears?: number;
  readonly avgKWhPerYear?: number;
  /** Per unit of device, in the criterion's unit (not amortised). */
  readonly factors: readonly SourcedFactor[];
  readonly ref: TraceRef;
}

export interface NetworkData {
  readonly code: string;
  /** Per GB, in the criterion's unit (kg for CLIMATE_CHANGE). */
  readonly factors: readonly SourcedFactor[];
  readonly ref: TraceRef;
}

export interface SourcedValue {
  readonly value: number;
  readonly ref: TraceRef;
}

/** A G4IT network type of the referential (F11), with the origin (layer, file, line) of its row. */
export interface NetworkTypeData {
  /** The code as the referential writes it (`fixed-line-network-1`), also its reference item. */
  readonly code: string;
  readonly kind: 'FIXED' | 'MOBILE';
  /** Yearly GB of one line (FIXED types). */
  readonly annualGBPerLine?: SourcedValue;
  readonly ref: TraceRef;
}

export type HostKind = 'compute' | 'storage';
export type HostSize = 'S' | 'M' | 'L';

/** A G4IT server host archetype (S/M/L) of the referential, with the origin of its row. */
export interface ServerHostData {
  /** `Server Compute S`… */
  readonly description: string;
  /** The host's reference item. */
  readonly item: string;
  readonly kind: HostKind;
  readonly size: HostSize;
  /** vCPU (compute) or total disk in GB (storage) of the host. */
  readonly capacity?: SourcedValue;
  readonly lifespanYears?: SourcedValue;
  readonly ref: TraceRef;
}

const HOST_SIZES: readonly HostSize[] = ['S', 'M', 'L'];

/**
 * The description G4IT gives its S/M/L archetypes in `ref_server_host.csv` (`Server Compute S`, `Server Storage L`):
 * the services find an archetype by it (case-insensitively), G4IT's `reference` not being unique in that file.
 */
export const hostArchetypeName = (kind: HostKind, size: HostSize): string =>
  `Server ${kind === 'compute' ? 'Compute' : 'Storage'} ${size}`;

function hostData(h: ServerHost, kind: HostKind, size: HostSize): ServerHostData {
  const at = (column: string, value: number | undefined): SourcedValue | undefined =>
    value === undefined ? undefined : { value, ref: refOf(h.prov, `serverHost|${h.description}|${column}`) };
  const capacity = kind === 'compute' ? at('nb_of_vcpu', h.vcpu) : at('total_disk', h.totalDiskGB);
  const lifespanYears = at('lifespan', h.lifespanYears);
  return {
    description: h.description,
    item: h.reference,
    kind,
    size,
    ...(capacity ? { capacity } : {}),
    ...(lifespanYears ? { lifespanYears } : {}),
    ref: refOf(h.prov, `serverHost|${h.description}`),
  };
}

export interface ServiceReferenceData {
  device(name: string): DeviceData | undefined;
  deviceNames(): readonly string[];
  /** An item type (`Laptop`, a G4IT device type code such as `laptop-3`), matched case-insensitively. */
  deviceType(name: string): ItemType | undefined;
  deviceTypeNames(): readonly string[];
  /** The item type whose default reference item is this item (its default lifespan backs the item's own, F2). */
  typeOfItem(item: string): ItemType | undefined;
  network(code: string): NetworkData | undefined;
  networkCodes(): readonly string[];
  /** A G4IT network type of the referential (`fixed-line-network-1`…), matched case-insensitively. */
  networkType(code: string): NetworkTypeData | undefined;
  /** Codes of the referential's network types. */
  networkTypeCodes(): readonly string[];
  /** The S/M/L server host archetype of that kind (`Server Compute S`…) in the referential, if any. */
  serverHost(kind: HostKind, size: HostSize): ServerHostData | undefined;
  /** The archetypes of the referential (every kind and size present). */
  serverHostArchetypes(): readonly ServerHostData[];
  /** Criterion units per kWh at a location (`FR`, `France`…). */
  electricity(location: string, criterion: string): SourcedValue | undefined;
  electricityCriteria(location: string): readonly string[];
  peopleEquivalent(criterion: string): SourcedValue | undefined;
  criterionUnit(criterion: string): string;
  /**
   * Numeric hypothesis (`PUEParDefaut`, `PUE_cloud_AWS`…): the referential's value (origin HYPOTHESIS), else the
   * registry default of methodology §3.6 for the profile (origin DEFAULT, layer `registry`), as the engine does.
   */
  hypothesis(code: string): SourcedHypothesis | undefined;
  /** Provider code (`aws`, `azure`, `gcp`…) of a cloud provider name, description or synonym of the referential. */
  cloudProvider(name: string): string | undefined;
  /** `hours_life_time` of a cloud platform archetype of the referential (F15), in hours. */
  cloudPlatformLifeHours(platform: string): SourcedValue | undefined;
  /** Identity of the data: `referential <id> <version> (<hash>)`. */
  readonly identity: string;
}

export interface SourcedHypothesis extends SourcedValue {
  readonly origin: 'HYPOTHESIS' | 'DEFAULT';
}

function deviceOf(referential: Referential, name: string): DeviceData | undefined {
  const item = referential.items.get(name);
  if (!item) return undefined;
  const factors: SourcedFactor[] = [];
  for (const [key, f] of item.factors) {
    const [stepText, criterion] = key.split('|');
    const step = stepText !== undefined ? parseStep(stepText) : undefined;
    if (step === undefined || criterion === undefined) continue;
    factors.push({
      step,
      criterion,
      value: f.value,
      ref: { layer: f.prov.layer, key: `${name}|${key}`, source: f.prov.source },
    });
  }
  return {
    name,
    ...(item.activePowerW !== undefined ? { activePowerW: item.activePowerW } : {}),
    ...(item.dailyHours !== undefined ? { dailyHours: item.dailyHours } : {}),
    ...(item.lifespanYears !== undefined ? { lifespanYears: item.lifespanYears } : {}),
    ...(item.avgKWhPerYear !== undefined ? { avgKWhPerYear: item.avgKWhPerYear } : {}),
    factors,
    ref: { layer: item.prov.layer, key: name, source: item.prov.source },
  };
}

/** The archetype row of that kind and size, when the referential has it with the matching kind. */
function serverHostOf(referential: Referential, kind: HostKind, size: HostSize): ServerHostData | undefined {
  const h = referential.serverHosts?.get(foldKey(hostArchetypeName(kind, size)));
  if (!h || h.kind !== (kind === 'compute' ? 'COMPUTE' : 'STORAGE')) return undefined;
  return hostData(h, kind, size);
}

/**
 * Reference data of one run. `profile` only selects the registry default of a hypothesis that no layer gives (the
 * profile layer normally gives them all).
 */
export function createReferenceData(referential: Referential, profile: Profile = 'rcp'): ServiceReferenceData {
  // Electricity is stored under the normalised location key (`FR`, `EU`, `WORLD`), or the folded name of a location
  // the country table does not know (countries.ts `locationKey`, as the referential readers do).
  const electricityOf = (location: string) => referential.electricity.get(locationKey(location));
  const perGB = () => [...referential.items.values()].filter((i) => i.unit === 'GB').map((i) => i.name);

  return {
    identity: `referential ${referential.id} ${referential.version} (${referential.hash})`,
    device: (name) => deviceOf(referential, name),
    deviceNames: () => [...referential.items.values()].filter((i) => i.tier === 'TERMINAL').map((i) => i.name),
    deviceType: (name) => referential.itemTypes.get(foldKey(name)),
    deviceTypeNames: () => [
      ...new Set([...referential.itemTypes.values()].filter((t) => !t.isServer).map((t) => t.type)),
    ],
    typeOfItem: (item) => {
      for (const t of referential.itemTypes.values()) if (t.defaultRefItem === item) return t;
      return undefined;
    },
    network: (code) => {
      const item = referential.items.get(code);
      if (!item || item.unit !== 'GB') return undefined;
      const n = deviceOf(referential, code);
      return n && n.factors.length > 0 ? { code, factors: n.factors, ref: n.ref } : undefined;
    },
    networkCodes: perGB,
    networkType: (code) => {
      const t = referential.networkTypes?.get(networkTypeKey(code));
      if (!t) return undefined;
      return {
        code: t.code,
        kind: t.kind,
        ...(t.annualGBPerLine !== undefined
          ? {
              annualGBPerLine: {
                value: t.annualGBPerLine,
                ref: refOf(t.prov, `networkType|${t.code}|annual_quantity_of_go`),
              },
            }
          : {}),
        ref: refOf(t.prov, `networkType|${t.code}`),
      };
    },
    networkTypeCodes: () => [...(referential.networkTypes?.values() ?? [])].map((t) => t.code),
    serverHost: (kind, size) => serverHostOf(referential, kind, size),
    serverHostArchetypes: () =>
      (['compute', 'storage'] as const).flatMap((kind) =>
        HOST_SIZES.map((size) => serverHostOf(referential, kind, size)).filter((h) => h !== undefined),
      ),
    electricity: (location, criterion) => {
      const e = electricityOf(location)?.get(criterion);
      return e
        ? {
            value: e.valuePerKWh,
            ref: { layer: e.prov.layer, key: `${e.location}|${criterion}`, source: e.prov.source },
          }
        : undefined;
    },
    electricityCriteria: (location) => [...(electricityOf(location)?.keys() ?? [])],
    peopleEquivalent: (criterion) => {
      const n = referential.normalisation.get(criterion);
      return n
        ? { value: n.perPersonPerYear, ref: { layer: n.prov.layer, key: criterion, source: n.prov.source } }
        : undefined;
    },
    criterionUnit: (criterion) => referential.criteria.get(criterion)?.unit ?? criterionDef(criterion)?.unit ?? 'unit',
    hypothesis: (code) => {
      const h = hypothesisNumber(referential, code);
      if (h)
        return { value: h.value, origin: 'HYPOTHESIS', ref: { layer: h.prov.layer, key: code, source: h.prov.source } };
      const def = hypothesisDef(code);
      return def
        ? {
            value: def.defaults[profile],
            origin: 'DEFAULT',
            ref: { layer: 'registry', key: def.code, source: def.source },
          }
        : undefined;
    },
    cloudProvider: (name) => {
      const k = foldKey(name);
      for (const p of referential.cloud?.providers.values() ?? [])
        if ([p.provider, p.description, ...(p.synonyms ?? [])].some((n) => n !== undefined && foldKey(n) === k))
          return p.provider.trim().toLowerCase();
      return undefined;
    },
    cloudPlatformLifeHours: (platform) => {
      const p = referential.cloud?.platforms.get(platform);
      return p
        ? {
            value: p.hoursLifeTime,
            ref: { layer: p.prov.layer, key: `${platform}|hours_life_time`, source: p.prov.source },
          }
        : undefined;
    },
  };
}

/**
 * Network type of a mix entry → pack code (§6, choice): `lan` → LAN (0, counted in the inventory); `fixed`, `wifi`
 * (a fixed line with its box) → FIXED_FR or FIXED_EU; `fixed-no-box` → …_NO_BOX; `mobile` → MOBILE_FR or MOBILE_EU.
 * France uses the FR factors, every other country the EU ones (the only two regions of ACV-NUM). The referential's
 * per-GB codes (`codes`: `FIXED_FR`…) are accepted as such.
 */
export function networkCode(
  type: string,
  country: string,
  codes: readonly string[],
): { code: string; note?: string } | undefined {
  const k = foldKey(type);
  const where = normaliseLocation(country)?.key;
  const region = where === 'FR' ? 'FR' : 'EU';
  const note = region === 'EU' && where !== 'EU' ? `EU factor used for ${country}` : undefined;
  const withNote = (code: string) => (note ? { code, note } : { code });
  if (k === 'lan' || k === 'internal' || k === 'intranet') return { code: 'LAN' };
  if (k === 'fixed' || k === 'fixe' || k === 'wifi' || k === 'wi fi' || k === 'fixed line')
    return withNote(`FIXED_${region}`);
  if (k === 'fixed no box' || k === 'fixed without box') return withNote(`FIXED_${region}_NO_BOX`);
  if (k === 'mobile' || k === '4g' || k === '5g' || k === 'cellular') return withNote(`MOBILE_${region}`);
  const code = codes.find((c) => foldKey(c) === k);
  return code ? { code } : undefined;
}
