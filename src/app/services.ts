/**
 * Use cases of digital services for the server (issue 14): check a description, assess it on the active referential,
 * and the footprint view — per functional unit, split between terminals, network and datacenter, per criterion. The
 * assessment itself is the services library's (`assessService`, which calls the engine).
 */
import { EmpreinteError } from '../issues/catalogue.js';
import type { Referential } from '../referential/model.js';
import { assessService, createAdemeEngine, validateServiceDefinition } from '../services/index.js';
import type { ServiceAssessment, ServiceDefinition } from '../services/index.js';
import { loadActiveReferential } from './load-referential.js';

/** The default pack with the profile's layer (a blocking referential issue stops, as on the CLI). */
export async function serviceReferential(profile: 'rcp' | 'numecoeval'): Promise<Referential> {
  const r = await loadActiveReferential({ profile });
  const blocking = r.issues.find((i) => i.severity === 'F');
  if (blocking) throw new EmpreinteError(blocking);
  return r.referential;
}

/** A description given as data (an API body): validated by the services schema; errors name the field path. */
export const checkServiceDefinition = (data: unknown, file = '<request>'): ServiceDefinition =>
  validateServiceDefinition(data, { file });

export async function assessDefinition(definition: ServiceDefinition): Promise<ServiceAssessment> {
  const referential = await serviceReferential(definition.profile ?? 'rcp');
  return assessService(definition, { referential, ademeEngine: createAdemeEngine() });
}

export interface TierSplit {
  readonly total: number;
  readonly terminals: number;
  readonly network: number;
  readonly datacenter: number;
}
export interface CriterionFootprint {
  readonly criterion: string;
  readonly unit: string;
  readonly perFunctionalUnit: TierSplit;
  readonly perYear: TierSplit;
}
export interface ServiceFootprint {
  readonly functionalUnit: { readonly label: string; readonly perYear: number };
  readonly model: string;
  readonly criteria: CriterionFootprint[];
  readonly warnings: { readonly code: string; readonly column?: string }[];
}

const split = (b: ServiceAssessment['criteria'][number]['perYear']): TierSplit => ({
  total: b.total,
  terminals: b.byTierTotal.TERMINAL,
  network: b.byTierTotal.NETWORK,
  datacenter: b.byTierTotal.DATACENTER,
});

/** The footprint view of an assessment (the same numbers as `empreinte service --format json`). */
export function footprintOf(a: ServiceAssessment): ServiceFootprint {
  return {
    functionalUnit: { label: a.functionalUnit.label, perYear: a.functionalUnit.perYear },
    model: a.model.name,
    criteria: a.criteria.map((c) => ({
      criterion: c.criterion,
      unit: c.unit,
      perFunctionalUnit: split(c.perFunctionalUnit),
      perYear: split(c.perYear),
    })),
    warnings: a.warnings.map((w) => ({ code: w.code, ...(w.column !== undefined ? { column: w.column } : {}) })),
  };
}
