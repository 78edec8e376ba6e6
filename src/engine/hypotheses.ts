/**
 * Hypotheses the engine reads, resolved once per run from the referential (where the embedded pack, the profile
 * layer and user layers are already merged, §3.5). A hypothesis absent from every layer falls back to the registry
 * default of methodology §3.6 (`src/referential/hypotheses.ts`), recorded with origin DEFAULT so the trace says so.
 */
import { hypothesisDef } from '../referential/hypotheses.js';
import type { Referential } from '../referential/model.js';
import type { Profile } from './context.js';
import { refOf, type Sourced } from './trace.js';

export interface EngineHypotheses {
  readonly defaultPue: Sourced;
  readonly defaultLifetime: Sourced;
  readonly minLifetime: Sourced;
  readonly usageCope: Sourced;
  readonly usageByod: Sourced;
  readonly usagePro: Sourced;
  readonly personsPerHouseholdFR: Sourced;
  readonly personsPerHouseholdEU: Sourced;
}

export function hypothesis(ref: Referential, profile: Profile, code: string): Sourced {
  const h = ref.hypotheses.get(code);
  if (h !== undefined) {
    const v = typeof h.value === 'number' ? h.value : Number(String(h.value).replace(',', '.'));
    if (Number.isFinite(v)) return { value: v, origin: 'HYPOTHESIS', ref: refOf(h.prov, code) };
  }
  const def = hypothesisDef(code);
  if (def === undefined) throw new Error(`hypothesis ${code} is not in the registry (methodology §3.6)`);
  return {
    value: def.defaults[profile],
    origin: 'DEFAULT',
    ref: { key: code, source: def.source, licence: def.licence, layer: 'registry' },
  };
}

export function resolveHypotheses(ref: Referential, profile: Profile): EngineHypotheses {
  const h = (c: string) => hypothesis(ref, profile, c);
  return {
    defaultPue: h('PUEParDefaut'),
    defaultLifetime: h('dureeVieParDefaut'),
    minLifetime: h('dureeVieMinimale'),
    usageCope: h('taux_utilisation_COPE'),
    usageByod: h('taux_utilisation_BYOD'),
    usagePro: h('taux_utilisation_PRO'),
    personsPerHouseholdFR: h('personnesParFoyer_FR'),
    personsPerHouseholdEU: h('personnesParFoyer_EU'),
  };
}
