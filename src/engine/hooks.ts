/**
 * Engine hooks backed by the active referential: fuzzy model matching (F1 rule 3), the Boavizta bottom-up server
 * model (F1 rule 4, F16 embodied, F17 power for the average consumption) and the Boavizta cloud instance model (F15).
 * Pure functions over referential data.
 */
import type { BottomUpModel, EngineHooks } from './env.js';
import { cloudModel, DEFAULT_GENERIC_SERVER } from './cloud-model.js';
import type { Profile } from './context.js';
import {
  CRITERION_OF,
  DEFAULT_CPU_DIE_MM2,
  cpuProfileFor,
  serverConfigFromInventory,
  serverEmbodied,
  serverPower,
  serverYearlyKWh,
} from '../referential/boavizta/components.js';
import { cpuLookup } from '../referential/boavizta/cpu-lookup.js';
import { createModelMatcher } from '../referential/matching/matcher.js';
import { factorKey, type Factor, type ReferenceItem, type Referential } from '../referential/model.js';

export { cloudModel, DEFAULT_GENERIC_SERVER };
export { cpuLookup };

const F16_SOURCE =
  'Boavizta/boaviztapi v2.4.1: boaviztapi/data/factors.yml (UBA Texte 94/2021 component factors), methodology F16; average consumption by F17 at 50 % load';

export interface HookOptions {
  /** Fuzzy threshold (default 0.85, §F1). */
  readonly threshold?: number;
  /** Generic server item whose non-component criteria complete the bottom-up item and cloud instances (Boavizta does the same). */
  readonly genericServerItem?: string;
  /**
   * Profile of the run (default `rcp`). `numecoeval` gets the cloud model only (with its 43 800 h and PUE 1):
   * fuzzy matching and bottom-up servers are `rcp` rules.
   */
  readonly profile?: Profile;
}

export function engineHooks(ref: Referential, opts: HookOptions = {}): EngineHooks {
  const generic = opts.genericServerItem ?? DEFAULT_GENERIC_SERVER;
  const profile = opts.profile ?? 'rcp';
  const cloud = cloudModel(ref, profile, { genericServerItem: generic });
  if (profile !== 'rcp') return { cloud };
  const matcher = createModelMatcher(ref.items.values(), {
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
  });
  return { matcher, bottomUp: bottomUpModel(ref, generic), cloud };
}

/** F16: a synthetic reference item for a server described by cores, memory, disk and CPU name (cached per configuration). */
export function bottomUpModel(ref: Referential, genericServerItem: string): BottomUpModel {
  const cache = new Map<string, ReferenceItem>();
  const generic = ref.items.get(genericServerItem);
  const cpuOf = cpuLookup(ref);
  return (input) => {
    const key = `${input.cores ?? ''}|${input.memoryGB ?? ''}|${input.diskGB ?? ''}|${input.cpuType ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit;
    // F16: cores per CPU and die size from the catalogue CPU named by typeDeProcesseur (exact, then case-insensitive).
    const cpu = input.cpuType !== undefined ? cpuOf(input.cpuType) : undefined;
    const cfg = serverConfigFromInventory({
      ...(input.cores !== undefined ? { cores: input.cores } : {}),
      ...(input.memoryGB !== undefined ? { memoryGB: input.memoryGB } : {}),
      ...(input.diskGB !== undefined ? { diskGB: input.diskGB } : {}),
      ...(cpu?.cores !== undefined ? { coresPerCpu: cpu.cores } : {}),
      ...(cpu?.totalDieSizeMm2 !== undefined ? { cpuDieMm2: cpu.totalDieSizeMm2 } : {}),
    });
    const impacts = serverEmbodied(cfg);
    const cpuSource = cpu ? `; CPU '${cpu.name}' (${cpu.prov.source})` : '';
    const prov = { source: F16_SOURCE + cpuSource, licence: 'AGPL-3.0', layer: 'computed:bottom-up' };
    const factors = new Map<string, Factor>();
    const own = new Set<string>();
    for (const [k, criterion] of Object.entries(CRITERION_OF)) {
      own.add(criterion);
      factors.set(factorKey('MANUFACTURING', criterion), { value: impacts[k as keyof typeof impacts], prov });
    }
    // Criteria the component data do not cover: the generic server's factors (all steps), as Boavizta does.
    if (generic) for (const [k, f] of generic.factors) if (!own.has(k.slice(k.indexOf('|') + 1))) factors.set(k, f);
    const ramGB = cfg.ramUnits * cfg.ramCapacityGB;
    const power = cpuProfileFor(cpu);
    const cpuText = cpu
      ? `CPU '${cpu.name}' (${cpu.cores ?? '?'} cores, die ${cpu.totalDieSizeMm2 ?? `default ${DEFAULT_CPU_DIE_MM2.toFixed(2)}`} mm²; ${power.rule})`
      : input.cpuType !== undefined
        ? `CPU '${input.cpuType}' not in the catalogue: 24 cores per CPU, mean die size, default profile`
        : 'no CPU type: 24 cores per CPU, mean die size, default profile';
    const item: ReferenceItem = {
      name: `bottom-up server (${cfg.cpuUnits} CPU, ${ramGB} GB RAM, ${cfg.ssdUnits} × ${cfg.ssdCapacityGB} GB SSD${cpu ? `, ${cpu.name}` : ''})`,
      description: `Boavizta bottom-up model from ${input.cores ?? '?'} cores, ${input.memoryGB ?? '?'} GB memory, ${input.diskGB ?? '?'} GB disk; ${cpuText}`,
      tier: 'DATACENTER',
      unit: 'Item',
      amortised: true,
      avgKWhPerYear: serverYearlyKWh(serverPower({ cpuUnits: cfg.cpuUnits, ramGB, profile: power.profile })),
      factors,
      prov,
    };
    cache.set(key, item);
    return item;
  };
}

// ------------------------------------------------------------------------------------------------------------------
// F15 cloud instances
// ------------------------------------------------------------------------------------------------------------------
