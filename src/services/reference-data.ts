/**
 * Reference data of the generic service model (§5.2): devices, per-GB network factors, electricity factors and
 * people-equivalent divisors, taken from a `Referential` when one is given and from `defaults.ts` otherwise. Each
 * value comes back with its reference (layer, key, source) for the trace.
 */
import { criterionDef, foldKey, parseStep } from '../referential/codes.js';
import type { StepCode } from '../referential/codes.js';
import type { Referential } from '../referential/model.js';
import {
  DEFAULTS_LAYER,
  DEFAULT_DEVICES,
  DEFAULT_ELECTRICITY,
  DEFAULT_NETWORKS,
  DEFAULT_PEOPLE_EQUIVALENT,
  PEOPLE_EQUIVALENT_SOURCE,
} from './defaults.js';
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

export interface ServiceReferenceData {
  device(name: string): DeviceData | undefined;
  deviceNames(): readonly string[];
  network(code: string): NetworkData | undefined;
  networkCodes(): readonly string[];
  /** Criterion units per kWh at a location (`FR`, `France`…). */
  electricity(location: string, criterion: string): SourcedValue | undefined;
  electricityCriteria(location: string): readonly string[];
  peopleEquivalent(criterion: string): SourcedValue | undefined;
  criterionUnit(criterion: string): string;
  /** Identity of the data: `referential <id> <version> (<hash>)` and/or the built-in defaults. */
  readonly identity: string;
}

/** `France`, `fr`, `FRA` → `FR`; `Europe`, `EU` → `EU`; other 2-letter codes upper-cased; else trimmed as given. */
export function locationKey(location: string): string {
  const k = foldKey(location);
  if (k === 'fr' || k === 'fra' || k === 'france') return 'FR';
  if (k === 'eu' || k === 'ue' || k === 'europe' || k === 'european union') return 'EU';
  if (/^[a-z]{2}$/.test(k)) return k.toUpperCase();
  return location.trim();
}

const builtinRef = (source: string, key: string): TraceRef => ({ layer: DEFAULTS_LAYER, key, source });

function defaultDevice(name: string): DeviceData | undefined {
  const d = DEFAULT_DEVICES.find((x) => x.name === name);
  if (!d) return undefined;
  return {
    name: d.name,
    activePowerW: d.activePowerW,
    dailyHours: d.dailyHours,
    lifespanYears: d.lifespanYears,
    avgKWhPerYear: d.avgKWhPerYear,
    factors: d.factors.map((f) => ({
      step: f.step,
      criterion: f.criterion,
      value: f.value,
      ref: builtinRef(f.source, `${d.name}|${f.step}|${f.criterion}`),
    })),
    ref: builtinRef(d.source, d.name),
  };
}

function defaultNetwork(code: string): NetworkData | undefined {
  const n = DEFAULT_NETWORKS.find((x) => x.code === code);
  if (!n) return undefined;
  const ref = builtinRef(n.source, n.code);
  // ACV-NUM gives gCO2e/GB; stored in the criterion's unit (kg), §0 "Units".
  return { code, factors: [{ step: 'WHOLE_LIFE', criterion: 'CLIMATE_CHANGE', value: n.gPerGB / 1000, ref }], ref };
}

export function createReferenceData(referential?: Referential): ServiceReferenceData {
  const fromReferential = (name: string): DeviceData | undefined => {
    const item = referential?.items.get(name);
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
  };

  return {
    identity: referential
      ? `referential ${referential.id} ${referential.version} (${referential.hash}); fallback ${DEFAULTS_LAYER}`
      : DEFAULTS_LAYER,
    device: (name) => fromReferential(name) ?? defaultDevice(name),
    deviceNames: () => [
      ...new Set([
        ...DEFAULT_DEVICES.map((d) => d.name),
        ...[...(referential?.items.values() ?? [])].filter((i) => i.tier === 'TERMINAL').map((i) => i.name),
      ]),
    ],
    network: (code) => {
      const item = referential?.items.get(code);
      if (item && item.unit === 'GB') {
        const n = fromReferential(code);
        if (n && n.factors.length > 0) return { code, factors: n.factors, ref: n.ref };
      }
      return defaultNetwork(code);
    },
    networkCodes: () => DEFAULT_NETWORKS.map((n) => n.code),
    electricity: (location, criterion) => {
      const key = locationKey(location);
      const byCriterion = referential?.electricity.get(key) ?? referential?.electricity.get(location);
      const e = byCriterion?.get(criterion);
      if (e)
        return {
          value: e.valuePerKWh,
          ref: { layer: e.prov.layer, key: `${key}|${criterion}`, source: e.prov.source },
        };
      const d = DEFAULT_ELECTRICITY.find((x) => x.location === key && x.criterion === criterion);
      return d ? { value: d.valuePerKWh, ref: builtinRef(d.source, `${key}|${criterion}`) } : undefined;
    },
    electricityCriteria: (location) => {
      const key = locationKey(location);
      const byCriterion = referential?.electricity.get(key) ?? referential?.electricity.get(location);
      return [
        ...new Set([
          ...(byCriterion ? [...byCriterion.keys()] : []),
          ...DEFAULT_ELECTRICITY.filter((x) => x.location === key).map((x) => x.criterion),
        ]),
      ];
    },
    peopleEquivalent: (criterion) => {
      const n = referential?.normalisation.get(criterion);
      if (n) return { value: n.perPersonPerYear, ref: { layer: n.prov.layer, key: criterion, source: n.prov.source } };
      const d = DEFAULT_PEOPLE_EQUIVALENT[criterion];
      return d !== undefined ? { value: d, ref: builtinRef(PEOPLE_EQUIVALENT_SOURCE, criterion) } : undefined;
    },
    criterionUnit: (criterion) => referential?.criteria.get(criterion)?.unit ?? criterionDef(criterion)?.unit ?? 'unit',
  };
}

/**
 * Network type of a mix entry → pack code (§6, choice): `lan` → LAN (0, counted in the inventory); `fixed`, `wifi`
 * (a fixed line with its box) → FIXED_FR or FIXED_EU; `fixed-no-box` → …_NO_BOX; `mobile` → MOBILE_FR or MOBILE_EU.
 * France uses the FR factors, every other country the EU ones (the only two regions of ACV-NUM). Pack codes
 * (`FIXED_FR`…) are accepted as such.
 */
export function networkCode(type: string, country: string): { code: string; note?: string } | undefined {
  const k = foldKey(type);
  const region = locationKey(country) === 'FR' ? 'FR' : 'EU';
  const note = region === 'EU' && locationKey(country) !== 'EU' ? `EU factor used for ${country}` : undefined;
  const withNote = (code: string) => (note ? { code, note } : { code });
  if (k === 'lan' || k === 'internal' || k === 'intranet') return { code: 'LAN' };
  if (k === 'fixed' || k === 'fixe' || k === 'wifi' || k === 'wi fi' || k === 'fixed line')
    return withNote(`FIXED_${region}`);
  if (k === 'fixed no box' || k === 'fixed without box') return withNote(`FIXED_${region}_NO_BOX`);
  if (k === 'mobile' || k === '4g' || k === '5g' || k === 'cellular') return withNote(`MOBILE_${region}`);
  const code = DEFAULT_NETWORKS.find((n) => foldKey(n.code) === k)?.code;
  return code ? { code } : undefined;
}
