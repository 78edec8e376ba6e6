/**
 * Telework boxes (methodology F14, RCP SI §4): N_box = N_emp × d_tw / 365 / p_household(country), with p = 2.16 for
 * France and 2.3 elsewhere (choice §9 #13). The boxes become physical equipment of type Box with τ = 1.
 */
import type { PhysicalEquipment } from '../inventory/model.js';
import type { TeleworkEntry } from './context.js';
import type { EngineEnv } from './env.js';
import type { Sourced } from './trace.js';

export function householdSize(countryKey: string, env: EngineEnv): Sourced {
  return countryKey === 'FR' ? env.hyp.personsPerHouseholdFR : env.hyp.personsPerHouseholdEU;
}

export function teleworkBoxCount(entry: TeleworkEntry, env: EngineEnv): number {
  return (entry.employees * (entry.daysPerYear / 365)) / householdSize(env.locationKey(entry.country), env).value;
}

export function teleworkBoxes(env: EngineEnv): PhysicalEquipment[] {
  return (env.ctx.telework ?? []).map((t, i) => ({
    name: `telework-boxes-${t.entity ?? 'all'}-${t.country}-${i + 1}`,
    type: 'Box',
    quantity: teleworkBoxCount(t, env),
    country: t.country,
    usageRate: 1,
    ...(t.entity !== undefined ? { entity: t.entity } : {}),
  }));
}
