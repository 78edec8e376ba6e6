/**
 * Boavizta bottom-up models as pure functions (methodology F16 server embodied, F15 cloud instances, F17 power).
 * Constants are those of `Boavizta/boaviztapi@15878f0 (v2.4.1): boaviztapi/data/factors.yml` (primary source UBA,
 * *Green Cloud Computing*, Texte 94/2021) and `boaviztapi/data/archetypes/*.csv`, as tabulated in methodology §4 F16
 * and §6; `test/referential/boavizta.test.ts` checks them against the data files.
 */

import { tokenSortRatio } from './fuzz.js';

/** Impacts of one criterion family: gwp → CLIMATE_CHANGE (kg CO2 eq), adp → RESOURCE_USE (kg Sb eq), pe → PRIMARY_ENERGY (MJ). */
export interface Impacts {
  readonly gwp: number;
  readonly adp: number;
  readonly pe: number;
}
export const CRITERION_OF: Readonly<Record<keyof Impacts, string>> = {
  gwp: 'CLIMATE_CHANGE',
  adp: 'RESOURCE_USE',
  pe: 'PRIMARY_ENERGY',
};

/** F16 table. `die` = per mm² (CPU) or per cm² of die (RAM, SSD); `base` = per unit. */
export const COMPONENT_FACTORS = {
  cpu: { die: { gwp: 0.0197, adp: 5.87e-9, pe: 0.265 }, base: { gwp: 9.14, adp: 0.0204, pe: 156 } },
  ram: { die: { gwp: 2.2, adp: 6.3e-5, pe: 27.3 }, base: { gwp: 5.22, adp: 0.00169, pe: 74.0 } },
  ssd: { die: { gwp: 2.2, adp: 6.3e-5, pe: 27.3 }, base: { gwp: 6.34, adp: 0.000563, pe: 73.98 } },
  hdd: { gwp: 31.11, adp: 0.00025, pe: 276 },
  motherboard: { gwp: 66.1, adp: 0.00369, pe: 836 },
  /** per kg of power supply */
  powerSupply: { gwp: 24.3, adp: 0.0083, pe: 352 },
  caseRack: { gwp: 150, adp: 0.0202, pe: 2200 },
  /** blade: enclosure of 16 slots shared by 16 blades, plus the blade itself */
  bladeEnclosure16: { gwp: 880, adp: 0.432, pe: 12700 },
  blade: { gwp: 30.9, adp: 0.000672, pe: 435 },
  assembly: { gwp: 6.68, adp: 1.41e-6, pe: 68.6 },
} as const;

/**
 * Defaults when a characteristic is missing (F16):
 * - RAM density = mean of `crowdsourcing/ram_manufacture.csv` `density` = 13.688 / 11 = 1.2443636… GB/cm²;
 * - SSD density = mean of `crowdsourcing/ssd_manufacture.csv` `density` = 1042.8 / 19 = 54.884210… GB/cm²;
 * - CPU die = mean of `crowdsourcing/cpu_specs.csv` `total_die_size` (1 519 filled rows) = 793 359.82 / 1519 = 522.29086… mm².
 */
export const DEFAULT_RAM_DENSITY = 13.688 / 11;
export const DEFAULT_SSD_DENSITY = 1042.8 / 19;
export const DEFAULT_CPU_DIE_MM2 = 793359.82 / 1519;

/** Archetype `platform_compute_medium` (`archetypes/server.csv`): defaults of F16 and F15. */
export const PLATFORM_COMPUTE_MEDIUM = {
  cpuUnits: 2,
  coresPerCpu: 24,
  ramUnits: 8,
  ramCapacityGB: 32,
  ssdUnits: 1,
  ssdCapacityGB: 1000,
  hddUnits: 0,
  powerSupplyUnits: 2,
  powerSupplyWeightKg: 2.99,
  caseType: 'rack' as const,
  hoursLifeTime: 35040,
  load: 50,
  otherConsumptionRatio: 0.33,
};

export interface ServerConfig {
  readonly cpuUnits: number;
  /** Die size of one CPU, mm² (default `DEFAULT_CPU_DIE_MM2`). */
  readonly cpuDieMm2?: number;
  readonly ramUnits: number;
  /** Capacity of one strip, GB. */
  readonly ramCapacityGB: number;
  readonly ramDensity?: number;
  readonly ssdUnits: number;
  readonly ssdCapacityGB: number;
  readonly ssdDensity?: number;
  readonly hddUnits: number;
  readonly powerSupplyUnits: number;
  readonly powerSupplyWeightKg: number;
  readonly caseType: 'rack' | 'blade';
}

export interface ComponentBreakdown {
  readonly cpu: Impacts;
  readonly ram: Impacts;
  readonly ssd: Impacts;
  readonly hdd: Impacts;
  readonly motherboard: Impacts;
  readonly powerSupply: Impacts;
  readonly case: Impacts;
  readonly assembly: Impacts;
}

const KEYS: readonly (keyof Impacts)[] = ['gwp', 'adp', 'pe'];
const map = (f: (k: keyof Impacts) => number): Impacts => ({ gwp: f('gwp'), adp: f('adp'), pe: f('pe') });
export const sumImpacts = (xs: readonly Impacts[]): Impacts => map((k) => xs.reduce((s, x) => s + x[k], 0));
export const scaleImpacts = (x: Impacts, r: number): Impacts => map((k) => x[k] * r);

/** F16 per component (already multiplied by the unit counts). */
export function serverComponents(c: ServerConfig): ComponentBreakdown {
  const F = COMPONENT_FACTORS;
  const die = c.cpuDieMm2 ?? DEFAULT_CPU_DIE_MM2;
  const ramCm2 = c.ramCapacityGB / (c.ramDensity ?? DEFAULT_RAM_DENSITY);
  const ssdCm2 = c.ssdCapacityGB / (c.ssdDensity ?? DEFAULT_SSD_DENSITY);
  return {
    cpu: map((k) => c.cpuUnits * (die * F.cpu.die[k] + F.cpu.base[k])),
    ram: map((k) => c.ramUnits * (ramCm2 * F.ram.die[k] + F.ram.base[k])),
    ssd: map((k) => c.ssdUnits * (ssdCm2 * F.ssd.die[k] + F.ssd.base[k])),
    hdd: map((k) => c.hddUnits * F.hdd[k]),
    motherboard: map((k) => F.motherboard[k]),
    powerSupply: map((k) => c.powerSupplyUnits * c.powerSupplyWeightKg * F.powerSupply[k]),
    case: map((k) => (c.caseType === 'rack' ? F.caseRack[k] : F.bladeEnclosure16[k] / 16 + F.blade[k])),
    assembly: map((k) => F.assembly[k]),
  };
}

/** F16 total embodied (MANUFACTURING only: component data exclude end of life). */
export function serverEmbodied(c: ServerConfig): Impacts {
  return sumImpacts(Object.values(serverComponents(c)));
}

/**
 * F16 inventory mapping onto the medium archetype (choice): `nbCoeur`, `tailleMemoire`; disks from `nbSsd`, `tailleSsd`,
 * `nbHdd` when any of them is given (SSD count = `nbSsd`, else 1 when `tailleSsd` is given, else 0; SSD size =
 * `tailleSsd`, else `tailleDuDisque` / SSD count when there is no HDD, else the archetype's 1000 GB; HDD count =
 * `nbHdd`, else 0), else `tailleDuDisque` as one SSD, else the archetype's 1 × 1000 GB SSD.
 */
export function serverConfigFromInventory(input: {
  readonly cores?: number;
  readonly coresPerCpu?: number;
  readonly cpuDieMm2?: number;
  readonly memoryGB?: number;
  readonly diskGB?: number;
  readonly ssdCount?: number;
  readonly ssdSizeGb?: number;
  readonly hddCount?: number;
  readonly caseType?: 'rack' | 'blade';
}): ServerConfig {
  const A = PLATFORM_COMPUTE_MEDIUM;
  const cpuUnits =
    input.cores !== undefined
      ? Math.max(1, Math.round(input.cores / (input.coresPerCpu ?? A.coresPerCpu)))
      : A.cpuUnits;
  const ramUnits = input.memoryGB !== undefined ? Math.max(1, Math.round(input.memoryGB / 32)) : A.ramUnits;
  const ramCapacityGB = input.memoryGB !== undefined ? input.memoryGB / ramUnits : A.ramCapacityGB;
  return {
    cpuUnits,
    cpuDieMm2: input.cpuDieMm2,
    ramUnits,
    ramCapacityGB,
    ...serverDisks(input),
    powerSupplyUnits: A.powerSupplyUnits,
    powerSupplyWeightKg: A.powerSupplyWeightKg,
    caseType: input.caseType ?? A.caseType,
  };
}

/** F16: disk counts and sizes of a bottom-up server (see `serverConfigFromInventory`). */
export function serverDisks(input: {
  readonly diskGB?: number;
  readonly ssdCount?: number;
  readonly ssdSizeGb?: number;
  readonly hddCount?: number;
}): { readonly ssdUnits: number; readonly ssdCapacityGB: number; readonly hddUnits: number } {
  const A = PLATFORM_COMPUTE_MEDIUM;
  if (input.ssdCount !== undefined || input.ssdSizeGb !== undefined || input.hddCount !== undefined) {
    const ssdUnits = input.ssdCount ?? (input.ssdSizeGb !== undefined ? 1 : 0);
    const hddUnits = input.hddCount ?? 0;
    // SSD size: tailleSsd; else, when every disk is an SSD, tailleDuDisque shared among them; else the archetype's.
    const ssdCapacityGB =
      input.ssdSizeGb ??
      (input.diskGB !== undefined && hddUnits === 0 && ssdUnits > 0 ? input.diskGB / ssdUnits : A.ssdCapacityGB);
    return { ssdUnits, ssdCapacityGB, hddUnits };
  }
  if (input.diskGB !== undefined) return { ssdUnits: 1, ssdCapacityGB: input.diskGB, hddUnits: 0 };
  return { ssdUnits: A.ssdUnits, ssdCapacityGB: A.ssdCapacityGB, hddUnits: A.hddUnits };
}

// ------------------------------------------------------------------------------------------------------------------
// F17 power models
// ------------------------------------------------------------------------------------------------------------------

export interface CpuProfile {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}
/** Default CPU profile (Xeon Platinum), `archetypes/components/cpu.csv`. */
export const DEFAULT_CPU_PROFILE: CpuProfile = { a: 171.2, b: 0.0354, c: 36.89, d: -10.13 };
/** Per-range profiles, `consumption_profile/cpu/cpu_profile.csv`. */
export const CPU_PROFILES: Readonly<Record<string, CpuProfile>> = {
  'Xeon Platinum': { a: 171.1813, b: 0.0354, c: 36.8953, d: -10.1336 },
  'Xeon Gold': { a: 35.5688, b: 0.2438, c: 9.6694, d: -0.6087 },
  'Xeon Silver': { a: 20.7794, b: 0.3043, c: 8.4241, d: 0.8613 },
  'Xeon E5': { a: 48.9167, b: 0.1349, c: 15.7262, d: -4.654 },
  'Xeon E3': { a: 342.3624, b: 0.0347, c: 36.8952, d: -16.4022 },
  'Xeon E': { a: 55.6501, b: 0.0467, c: 20.4146, d: 4.24362 },
};
export const RAM_WATTS_PER_GB = 0.284;

/** Power of one CPU at `load` % (0–100): a·ln(b·(load + c)) + d, floored at 1 W. */
export function cpuPower(load: number, p: CpuProfile = DEFAULT_CPU_PROFILE): number {
  return Math.max(1, p.a * Math.log(p.b * (load + p.c)) + p.d);
}

/**
 * F17 TDP points (`Boavizta/boaviztapi: boaviztapi/model/consumption_profile/consumption_profile.py`
 * `_TDP_RATIOS_WORKLOAD`, `_TDP_RATIOS`): power at 0, 10, 50 and 100 % load as a share of the TDP.
 */
export const TDP_FIT_POINTS: readonly (readonly [load: number, shareOfTdp: number])[] = [
  [0, 0.12],
  [10, 0.32],
  [50, 0.75],
  [100, 1.02],
];

/** Linear least squares of y = a·ln(x + c) + k for a fixed c: returns a, k and the residual sum of squares. */
function fitForC(c: number, pts: readonly (readonly [number, number])[]): { a: number; k: number; rss: number } {
  const n = pts.length;
  let mu = 0;
  let my = 0;
  for (const [x, y] of pts) {
    mu += Math.log(x + c);
    my += y;
  }
  mu /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    const u = Math.log(x + c) - mu;
    sxy += u * (y - my);
    sxx += u * u;
  }
  const a = sxy / sxx;
  const k = my - a * mu;
  let rss = 0;
  for (const [x, y] of pts) rss += (a * Math.log(x + c) + k - y) ** 2;
  return { a, k, rss };
}

/**
 * F17: least-squares fit of P(load) = a·ln(b·(load + c)) + d through the four TDP points.
 *
 * The model has three identifiable parameters: a·ln(b·(x + c)) + d = a·ln(x + c) + (a·ln b + d), so b and d are not
 * separately determined by any data. The fit minimises the residual sum of squares over (a, c, k = a·ln b + d):
 * for each c, a and k come from ordinary linear least squares on ln(x + c); c is found by a log-spaced scan of
 * [1e-3, 1e4] followed by a golden-section search on ln c. d is then kept at the `base` profile's d (the CPU range
 * profile, else the default Xeon Platinum profile: Boavizta starts its `curve_fit` from that profile) and
 * b = exp((k − d)/a); any (b, d) with a·ln b + d = k gives the same curve. The points scale with the TDP, so c does
 * not depend on it and a, k are ∝ TDP (a ≈ 0.5085·TDP, c ≈ 20.45). Boavizta bounds each parameter to
 * [p − 0.5|p|, p + 1.5|p|] around the base profile; for the Xeon Platinum base and TDP 240 W the optimum
 * (a ≈ 122.0, c ≈ 20.45, b ≈ 0.067, d = −10.1336) lies inside those bounds, so the bounded fit finds the same curve.
 */
export function fitCpuProfile(tdpW: number, base: CpuProfile = DEFAULT_CPU_PROFILE): CpuProfile {
  if (!(tdpW > 0)) throw new RangeError(`fitCpuProfile: TDP must be > 0 (got ${tdpW})`);
  const pts = TDP_FIT_POINTS;
  const rssAt = (lnC: number) => fitForC(Math.exp(lnC), pts).rss;
  const lo = Math.log(1e-3);
  const hi = Math.log(1e4);
  const N = 400;
  let best = 0;
  let bestRss = Infinity;
  for (let i = 0; i <= N; i++) {
    const r = rssAt(lo + ((hi - lo) * i) / N);
    if (r < bestRss) {
      bestRss = r;
      best = i;
    }
  }
  let l = lo + ((hi - lo) * Math.max(0, best - 1)) / N;
  let h = lo + ((hi - lo) * Math.min(N, best + 1)) / N;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = h - g * (h - l);
  let x2 = l + g * (h - l);
  let f1 = rssAt(x1);
  let f2 = rssAt(x2);
  for (let it = 0; it < 200 && h - l > 1e-13; it++) {
    if (f1 <= f2) {
      h = x2;
      x2 = x1;
      f2 = f1;
      x1 = h - g * (h - l);
      f1 = rssAt(x1);
    } else {
      l = x1;
      x1 = x2;
      f1 = f2;
      x2 = l + g * (h - l);
      f2 = rssAt(x2);
    }
  }
  const c = Math.exp((l + h) / 2);
  const { a, k } = fitForC(c, pts);
  const d = base.d;
  return { a: a * tdpW, b: Math.exp((k * tdpW - d) / (a * tdpW)), c, d };
}

/**
 * The consumption profile BoaviztAPI's `lookup_consumption_profile` finds for a CPU in `cpu_profile.csv`: the rows
 * whose manufacturer, then whose model range, score ≥ 90 in `token_sort_ratio` (lower-cased) with the CPU's, each
 * filter kept only when it leaves a row; one row left → its profile; several → the one whose range equals the CPU's
 * (case-insensitive), else none. E.g. range "Xeon E7" → "Xeon E" (92.3), "Xeon E5-2600" → none.
 */
export function lookupCpuProfile(
  manufacturer?: string,
  modelRange?: string,
): { readonly range: string; readonly profile: CpuProfile } | undefined {
  let sub = Object.entries(CPU_PROFILES).map(([range, profile]) => ({ manufacturer: 'Intel', range, profile }));
  const keep = (pred: (r: (typeof sub)[number]) => boolean) => {
    const tmp = sub.filter(pred);
    if (tmp.length > 0) sub = tmp;
  };
  if (manufacturer !== undefined)
    keep((r) => tokenSortRatio(r.manufacturer.toLowerCase(), manufacturer.toLowerCase()) >= 90);
  if (modelRange !== undefined) keep((r) => tokenSortRatio(r.range.toLowerCase(), modelRange.toLowerCase()) >= 90);
  if (sub.length === 1) return sub[0]!;
  if (modelRange !== undefined) return sub.find((r) => r.range.toLowerCase() === modelRange.toLowerCase());
  return undefined;
}

/**
 * CPU profile of a catalogue CPU (F17), as BoaviztAPI's `compute_consumption_profile_model`: with a TDP, the fit
 * through the TDP points from the looked-up profile (else the default); else, with a model range, the looked-up
 * profile; else the default.
 */
export function cpuProfileFor(cpu?: {
  readonly tdpW?: number;
  readonly modelRange?: string;
  readonly manufacturer?: string;
}): {
  readonly profile: CpuProfile;
  readonly rule: string;
} {
  const range = lookupCpuProfile(cpu?.manufacturer?.trim(), cpu?.modelRange?.trim());
  if (cpu?.tdpW !== undefined && cpu.tdpW > 0)
    return {
      profile: fitCpuProfile(cpu.tdpW, range?.profile ?? DEFAULT_CPU_PROFILE),
      rule: `F17 least-squares fit through the TDP points, TDP ${cpu.tdpW} W`,
    };
  if (range && cpu?.modelRange !== undefined)
    return {
      profile: range.profile,
      rule: `F17 profile of range ${range.range} (cpu_profile.csv; CPU range '${cpu.modelRange.trim()}')`,
    };
  return { profile: DEFAULT_CPU_PROFILE, rule: 'F17 default profile (Xeon Platinum, archetypes/components/cpu.csv)' };
}

/**
 * Power of `units` CPUs at `load` %, W: each CPU's F17 power rounded to 5 significant figures, as BoaviztAPI's
 * `ComponentCPU.model_power_consumption` does (`round_to_sigfig(avg_power, 5) × units`).
 */
export function cpusPower(units: number, load: number, p: CpuProfile = DEFAULT_CPU_PROFILE): number {
  return units * Number(cpuPower(load, p).toPrecision(5));
}

/** Server power, W: (Σ P_CPU + Σ P_RAM) × (1 + r_other). */
export function serverPower(s: {
  readonly cpuUnits: number;
  readonly ramGB: number;
  readonly load?: number;
  readonly profile?: CpuProfile;
  readonly otherConsumptionRatio?: number;
}): number {
  const load = s.load ?? PLATFORM_COMPUTE_MEDIUM.load;
  const cpu = cpusPower(s.cpuUnits, load, s.profile);
  const ram = s.ramGB * RAM_WATTS_PER_GB;
  return (cpu + ram) * (1 + (s.otherConsumptionRatio ?? PLATFORM_COMPUTE_MEDIUM.otherConsumptionRatio));
}

/** Yearly kWh of a server: P · 8760 · u / 1000. */
export const serverYearlyKWh = (powerW: number, useTimeRatio = 1): number => (powerW * 8760 * useTimeRatio) / 1000;

/** Yearly kWh of a device (ACV-NUM rule): P_active · h/day · 365 / 1000. */
export const deviceYearlyKWh = (activePowerW: number, hoursPerDay: number): number =>
  (activePowerW * hoursPerDay * 365) / 1000;

// ------------------------------------------------------------------------------------------------------------------
// F15 cloud instances
// ------------------------------------------------------------------------------------------------------------------

export interface CloudInstance {
  readonly vcpu: number;
  readonly memoryGB: number;
  readonly ssdGB: number;
  readonly hddGB: number;
}

export interface CloudPlatform {
  readonly config: ServerConfig;
  /** CPU threads × CPU units. */
  readonly vcpu: number;
  /** Total memory, SSD and HDD of the platform (GB). */
  readonly memoryGB: number;
  readonly ssdGB: number;
  readonly hddGB: number;
  /** `hours_life_time` (35 040 h for generic platforms). */
  readonly hoursLifeTime: number;
  readonly profile?: CpuProfile;
  readonly otherConsumptionRatio?: number;
}

export interface CloudResult {
  /** MANUFACTURING share for the year, per instance × quantity. */
  readonly embodied: Impacts;
  /** kWh per year × quantity (before PUE). */
  readonly kWh: number;
  /** USE CLIMATE_CHANGE, kg CO2 eq: kWh × PUE × mix. */
  readonly useGwp: number;
}

/**
 * F15: embodied = Σ components × their ratio (RAM by memory, SSD/HDD by storage, the rest by vCPU) × min(1, h/H_life);
 * use = P_inst · h / 1000 kWh with P_inst = (P_CPU · vCPU ratio + P_RAM · memory ratio)(1 + r_other); every result × quantity.
 */
export function cloudInstanceImpact(
  inst: CloudInstance,
  platform: CloudPlatform,
  opts: {
    readonly hours?: number;
    readonly load?: number;
    readonly quantity?: number;
    readonly pue: number;
    readonly mixKgPerKWh: number;
    readonly hoursLifeTime?: number;
  },
): CloudResult {
  const hours = opts.hours ?? 8760;
  const q = opts.quantity ?? 1;
  const comp = serverComponents(platform.config);
  const rV = inst.vcpu / platform.vcpu;
  const rM = platform.memoryGB > 0 ? inst.memoryGB / platform.memoryGB : 0;
  const rS = platform.ssdGB > 0 ? inst.ssdGB / platform.ssdGB : 0;
  const rH = platform.hddGB > 0 ? inst.hddGB / platform.hddGB : 0;
  const share = Math.min(1, hours / (opts.hoursLifeTime ?? platform.hoursLifeTime));
  const embodied = scaleImpacts(
    sumImpacts([
      scaleImpacts(comp.ram, rM),
      scaleImpacts(comp.ssd, rS),
      scaleImpacts(comp.hdd, rH),
      scaleImpacts(sumImpacts([comp.cpu, comp.motherboard, comp.powerSupply, comp.case, comp.assembly]), rV),
    ]),
    share * q,
  );
  const load = opts.load ?? PLATFORM_COMPUTE_MEDIUM.load;
  const pCpu = cpusPower(platform.config.cpuUnits, load, platform.profile);
  const pRam = platform.memoryGB * RAM_WATTS_PER_GB;
  const pInst =
    (pCpu * rV + pRam * rM) * (1 + (platform.otherConsumptionRatio ?? PLATFORM_COMPUTE_MEDIUM.otherConsumptionRatio));
  const kWh = ((pInst * hours) / 1000) * q;
  return { embodied, kWh, useGwp: kWh * opts.pue * opts.mixKgPerKWh };
}

export { KEYS as IMPACT_KEYS };
