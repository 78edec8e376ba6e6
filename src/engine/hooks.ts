/**
 * Engine hooks backed by the active referential: fuzzy model matching (F1 rule 3), the Boavizta bottom-up server
 * model (F1 rule 4, F16 embodied, F17 power for the average consumption) and the Boavizta cloud instance model (F15).
 * Pure functions over referential data.
 */
import type { CloudModel } from './cloud.js';
import type { BottomUpModel, EngineHooks } from './env.js';
import { cloudModel, DEFAULT_GENERIC_SERVER } from './cloud-model.js';
import type { Profile } from './context.js';
import {
  CRITERION_OF,
  cpuProfileFor,
  serverConfigFromInventory,
  serverEmbodied,
  serverPower,
  serverYearlyKWh,
} from '../referential/boavizta/components.js';
import { cpuLookup, dieSizeFallback } from '../referential/boavizta/cpu-lookup.js';
import { createModelMatcher } from '../referential/matching/matcher.js';
import { factorKey, type CpuSpec, type Factor, type ReferenceItem, type Referential } from '../referential/model.js';

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
  // The cloud model indexes every instance of the archetypes: made on the first cloud instance assessed, so that a
  // run without any reads neither the cloud tables nor the CPU catalogue (issue 11, start-up time: the default
  // merge's snapshot deserialises them on first read, merge-snapshot.ts).
  let model: CloudModel | undefined;
  const cloud: CloudModel = (vm) => (model ??= cloudModel(ref, profile, { genericServerItem: generic }))(vm);
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
  // The catalogue in an array for the die-size completion, listed on its first use (as `cpuLookup` lists its index):
  // a run whose servers all have a catalogue CPU or no component description does not read it.
  let cpuSpecs: CpuSpec[] | undefined;
  return (input) => {
    const key = `${input.cores ?? ''}|${input.memoryGB ?? ''}|${input.diskGB ?? ''}|${input.cpuType ?? ''}|${input.ssdCount ?? ''}|${input.ssdSizeGb ?? ''}|${input.hddCount ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit;
    // F16: cores per CPU and die size from the catalogue CPU named by typeDeProcesseur (exact, then case-insensitive).
    const cpu = input.cpuType !== undefined ? cpuOf(input.cpuType) : undefined;
    const base = serverConfigFromInventory({
      ...(input.cores !== undefined ? { cores: input.cores } : {}),
      ...(input.memoryGB !== undefined ? { memoryGB: input.memoryGB } : {}),
      ...(input.diskGB !== undefined ? { diskGB: input.diskGB } : {}),
      ...(input.ssdCount !== undefined ? { ssdCount: input.ssdCount } : {}),
      ...(input.ssdSizeGb !== undefined ? { ssdSizeGb: input.ssdSizeGb } : {}),
      ...(input.hddCount !== undefined ? { hddCount: input.hddCount } : {}),
      ...(cpu?.cores !== undefined ? { coresPerCpu: cpu.cores } : {}),
    });
    // F16 die size: the catalogue's total_die_size (integer part, as BoaviztAPI reads it), else BoaviztAPI's
    // completion from the catalogue by family and core count (cores per CPU: the catalogue's, else nbCoeur / CPUs).
    const coresPerCpu = cpu?.cores ?? (input.cores !== undefined ? input.cores / base.cpuUnits : undefined);
    const die =
      cpu?.totalDieSizeMm2 !== undefined
        ? { value: Math.trunc(cpu.totalDieSizeMm2), rule: `total_die_size ${cpu.totalDieSizeMm2} mm², integer part` }
        : dieSizeFallback((cpuSpecs ??= [...(ref.cpuSpecs?.values() ?? [])]), {
            ...(cpu?.family !== undefined ? { family: cpu.family } : {}),
            ...(coresPerCpu !== undefined ? { cores: coresPerCpu } : {}),
          });
    const cfg = { ...base, cpuDieMm2: die.value };
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
      ? `CPU '${cpu.name}' (${cpu.cores ?? '?'} cores; die ${die.value} mm²: ${die.rule}; ${power.rule})`
      : input.cpuType !== undefined
        ? `CPU '${input.cpuType}' not in the catalogue: 24 cores per CPU, die ${die.value} mm² (${die.rule}), default profile`
        : `no CPU type: 24 cores per CPU, die ${die.value} mm² (${die.rule}), default profile`;
    const disks = input.ssdCount !== undefined || input.ssdSizeGb !== undefined || input.hddCount !== undefined;
    const diskText = disks
      ? `disks from nbSsd ${input.ssdCount ?? '-'}, tailleSsd ${input.ssdSizeGb ?? '-'} GB, nbHdd ${input.hddCount ?? '-'}`
      : input.diskGB !== undefined
        ? `${input.diskGB} GB disk (tailleDuDisque) taken as one SSD: disk kind unknown`
        : 'disks of the medium archetype (1 × 1000 GB SSD)';
    const item: ReferenceItem = {
      name: `bottom-up server (${cfg.cpuUnits} CPU, ${ramGB} GB RAM, ${cfg.ssdUnits} × ${cfg.ssdCapacityGB} GB SSD${cfg.hddUnits ? `, ${cfg.hddUnits} HDD` : ''}${cpu ? `, ${cpu.name}` : ''})`,
      description: `Boavizta bottom-up model from ${input.cores ?? '?'} cores, ${input.memoryGB ?? '?'} GB memory, ${diskText}; ${cpuText}`,
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
