/**
 * Engine hooks backed by the active referential: fuzzy model matching (F1 rule 3) and the Boavizta bottom-up server
 * model (F1 rule 4, F16 embodied, F17 power for the average consumption). Pure functions over referential data.
 */
import type { BottomUpModel, EngineHooks } from './env.js';
import {
  CRITERION_OF,
  serverConfigFromInventory,
  serverEmbodied,
  serverPower,
  serverYearlyKWh,
} from '../referential/boavizta/components.js';
import { createModelMatcher } from '../referential/matching/matcher.js';
import { factorKey, type Factor, type ReferenceItem, type Referential } from '../referential/model.js';

const F16_SOURCE =
  'Boavizta/boaviztapi v2.4.1: boaviztapi/data/factors.yml (UBA Texte 94/2021 component factors), methodology F16; average consumption by F17 at 50 % load';

export interface HookOptions {
  /** Fuzzy threshold (default 0.85, §F1). */
  readonly threshold?: number;
  /** Generic server item whose non-component criteria complete the bottom-up item (Boavizta does the same). */
  readonly genericServerItem?: string;
}

export function engineHooks(ref: Referential, opts: HookOptions = {}): EngineHooks {
  const matcher = createModelMatcher(ref.items.values(), {
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
  });
  return { matcher, bottomUp: bottomUpModel(ref, opts.genericServerItem ?? 'ademe-server') };
}

/** F16: a synthetic reference item for a server described by cores, memory and disk (cached per configuration). */
export function bottomUpModel(ref: Referential, genericServerItem: string): BottomUpModel {
  const cache = new Map<string, ReferenceItem>();
  const generic = ref.items.get(genericServerItem);
  return (input) => {
    const key = `${input.cores ?? ''}|${input.memoryGB ?? ''}|${input.diskGB ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const cfg = serverConfigFromInventory({
      ...(input.cores !== undefined ? { cores: input.cores } : {}),
      ...(input.memoryGB !== undefined ? { memoryGB: input.memoryGB } : {}),
      ...(input.diskGB !== undefined ? { diskGB: input.diskGB } : {}),
    });
    const impacts = serverEmbodied(cfg);
    const prov = { source: F16_SOURCE, licence: 'AGPL-3.0', layer: 'computed:bottom-up' };
    const factors = new Map<string, Factor>();
    const own = new Set<string>();
    for (const [k, criterion] of Object.entries(CRITERION_OF)) {
      own.add(criterion);
      factors.set(factorKey('MANUFACTURING', criterion), { value: impacts[k as keyof typeof impacts], prov });
    }
    // Criteria the component data do not cover: the generic server's factors (all steps), as Boavizta does.
    if (generic) for (const [k, f] of generic.factors) if (!own.has(k.slice(k.indexOf('|') + 1))) factors.set(k, f);
    const ramGB = cfg.ramUnits * cfg.ramCapacityGB;
    const item: ReferenceItem = {
      name: `bottom-up server (${cfg.cpuUnits} CPU, ${ramGB} GB RAM, ${cfg.ssdUnits} × ${cfg.ssdCapacityGB} GB SSD)`,
      description: `Boavizta bottom-up model from ${input.cores ?? '?'} cores, ${input.memoryGB ?? '?'} GB memory, ${input.diskGB ?? '?'} GB disk`,
      tier: 'DATACENTER',
      unit: 'Item',
      amortised: true,
      avgKWhPerYear: serverYearlyKWh(serverPower({ cpuUnits: cfg.cpuUnits, ramGB })),
      factors,
      prov,
    };
    cache.set(key, item);
    return item;
  };
}
