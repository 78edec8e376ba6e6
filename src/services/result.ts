/**
 * Results of a digital-service assessment (methodology §5, issue 5): indicators per tier × lifecycle step ×
 * criterion, per year and per functional unit, each with its trace (§4.0 shape), and the summaries built from them.
 */
import type { Issue } from '../issues/catalogue.js';
import type { Origin, Trace } from '../engine/trace.js';
import type { StepCode } from '../referential/codes.js';
import type { ServiceTier } from './ademe-presets.js';
import type { FunctionalUnitKind, ServiceDefinition } from './schema.js';

export type { ServiceTier } from './ademe-presets.js';
export const SERVICE_TIERS: readonly ServiceTier[] = ['TERMINAL', 'NETWORK', 'DATACENTER'];
/** Column order of the tier × step tables: split steps first, then the aggregate (not split) columns (§1.2). */
export const STEP_COLUMNS: readonly StepCode[] = [
  'MANUFACTURING',
  'DISTRIBUTION',
  'END_OF_LIFE',
  'USE',
  'EMBODIED',
  'WHOLE_LIFE',
];

/** The trace vocabulary is the engine's (§4.0): one `Origin`, `TraceRef`, `TraceVariable` for every result. */
export type { Origin, TraceRef, TraceVariable } from '../engine/trace.js';

/**
 * The trace of a service indicator: the engine's trace (formula with its numbers substituted, variables with their
 * origin, and the typed `resolution`/`lifetime`/`allocation`/`period` records when a service indicator has them),
 * plus what only services have. `warnings` is optional here: a service's warnings are reported once, on the
 * assessment, not repeated on every indicator.
 */
export interface ServiceTrace extends Omit<Trace, 'warnings'> {
  readonly warnings?: Trace['warnings'];
  /** `ademe-acv-numerique@2.1.0` or `empreinte-generic` (§5.2). */
  readonly model: string;
  /** ADEME rules evaluated (full rule names), for preset indicators. */
  readonly rules?: readonly string[];
  readonly stage?: number;
  readonly notes?: readonly string[];
}

export interface ServiceIndicator {
  readonly tier: ServiceTier;
  readonly step: StepCode;
  readonly criterion: string;
  /** Criterion unit (kg CO2 eq for CLIMATE_CHANGE). */
  readonly unit: string;
  /** What produced it: `terminals:<profile>`, `network:<profile>`, `server:<label>`, `ademe:<namespace>`. */
  readonly component: string;
  readonly perYear: number;
  readonly perFunctionalUnit: number;
  readonly trace: ServiceTrace;
}

export type StepTable = Readonly<Partial<Record<StepCode, number>>>;

export interface Breakdown {
  readonly total: number;
  /** tier → step → value (only non-empty cells). */
  readonly byTier: Readonly<Record<ServiceTier, StepTable>>;
  readonly byTierTotal: Readonly<Record<ServiceTier, number>>;
  readonly byStep: StepTable;
}

export interface PeopleEquivalent {
  readonly perYear: number;
  readonly perFunctionalUnit: number;
  /** SIP_c, criterion units per person per year (F18). */
  readonly divisor: number;
  readonly source: string;
}

export interface CriterionResult {
  readonly criterion: string;
  readonly unit: string;
  readonly perYear: Breakdown;
  readonly perFunctionalUnit: Breakdown;
  readonly peopleEquivalent?: PeopleEquivalent;
  /** Components that have no factor for this criterion: the total is incomplete for them. */
  readonly gaps: readonly string[];
}

/** SCI per functional unit (F19), kg CO2 eq. */
export interface SciResult {
  readonly operational: number;
  readonly embodied: number;
  /** `WHOLE_LIFE` values (network per GB, provider factors): added to the score, disclosed separately. */
  readonly notSplit: number;
  readonly score: number;
  readonly unit: string;
  readonly functionalUnit: string;
}

export interface FunctionalUnitInfo {
  readonly kind: FunctionalUnitKind;
  readonly label: string;
  /** Number of functional units per year (the divisor of per-year results). */
  readonly perYear: number;
  readonly origin: Origin;
}

export interface ServiceAssessment {
  readonly service: ServiceDefinition;
  readonly model: { readonly id: string; readonly version: string; readonly name: string };
  readonly functionalUnit: FunctionalUnitInfo;
  readonly indicators: readonly ServiceIndicator[];
  readonly criteria: readonly CriterionResult[];
  readonly sci?: SciResult;
  readonly warnings: readonly Issue[];
  /** Data quality grades of declared provider factors. */
  readonly dataQuality: readonly { readonly component: string; readonly quality: string }[];
  /** Sources of the reference data used (layers and citations). */
  readonly sources: readonly string[];
}

function emptyTiers<T>(make: () => T): Record<ServiceTier, T> {
  return { TERMINAL: make(), NETWORK: make(), DATACENTER: make() };
}

export function breakdown(indicators: readonly ServiceIndicator[], pick: (i: ServiceIndicator) => number): Breakdown {
  const byTier = emptyTiers<Partial<Record<StepCode, number>>>(() => ({}));
  const byTierTotal = emptyTiers(() => 0);
  const byStep: Partial<Record<StepCode, number>> = {};
  let total = 0;
  for (const i of indicators) {
    const v = pick(i);
    const row = byTier[i.tier];
    row[i.step] = (row[i.step] ?? 0) + v;
    byTierTotal[i.tier] += v;
    byStep[i.step] = (byStep[i.step] ?? 0) + v;
    total += v;
  }
  return { total, byTier, byTierTotal, byStep };
}

const EMBODIED_STEPS: readonly StepCode[] = ['MANUFACTURING', 'DISTRIBUTION', 'END_OF_LIFE', 'EMBODIED'];

/**
 * SCI = (O + M) / R (F19): O = USE indicators of CLIMATE_CHANGE, M = embodied-step indicators, per functional unit;
 * `WHOLE_LIFE` values are added to the score and disclosed separately as not split.
 */
export function sciFromIndicators(indicators: readonly ServiceIndicator[], functionalUnit: string): SciResult {
  let operational = 0;
  let embodied = 0;
  let notSplit = 0;
  for (const i of indicators) {
    if (i.criterion !== 'CLIMATE_CHANGE') continue;
    if (i.step === 'USE') operational += i.perFunctionalUnit;
    else if (EMBODIED_STEPS.includes(i.step)) embodied += i.perFunctionalUnit;
    else notSplit += i.perFunctionalUnit;
  }
  return {
    operational,
    embodied,
    notSplit,
    score: operational + embodied + notSplit,
    unit: 'kg CO2 eq',
    functionalUnit,
  };
}

/**
 * SCI embodied share (ISO/IEC 21031, `Green-Software-Foundation/sci: SPEC.md`): M = TE × (TiR / EL) × (RR / ToR),
 * EL in hours = expected life in years × 8760 (check case C-07: 1000 kg, 4 yr, 1 h → 28.53881 g).
 */
export function sciEmbodied(p: {
  totalEmbodiedKg: number;
  expectedLifeYears: number;
  timeReservedHours: number;
  resourceShare: number;
}): number {
  return p.totalEmbodiedKg * (p.timeReservedHours / (p.expectedLifeYears * 8760)) * p.resourceShare;
}

/** SCI = (E × I + M) / R with E in kWh including PUE, I location-based kg CO2 eq/kWh, M in kg. */
export function sciScore(p: {
  energyKWh: number;
  intensityKgPerKWh: number;
  embodiedKg: number;
  units: number;
}): number {
  return (p.energyKWh * p.intensityKgPerKWh + p.embodiedKg) / p.units;
}
