/**
 * Telework boxes (methodology F14, RCP SI §4): N_box = N_emp × d_tw / 365 / p_household(country), with p = 2.16 for
 * France and 2.3 elsewhere (choice §9 #13). The boxes become physical equipment of type Box with τ = 1.
 */
import type { PhysicalEquipment } from '../inventory/model.js';
import type { TeleworkEntry } from './context.js';
import type { EngineEnv } from './env.js';
import { coefficient, numbersOf, render, TELEWORK_BOXES } from './formula.js';
import type { Sourced, TraceVariable } from './trace.js';

const BOXES = coefficient(TELEWORK_BOXES, ['N_emp', 'd', 'D', 'p']); // F14, from its one description

export function householdSize(countryKey: string, env: EngineEnv): Sourced {
  return countryKey === 'FR' ? env.hyp.personsPerHouseholdFR : env.hyp.personsPerHouseholdEU;
}

export function teleworkBoxCount(entry: TeleworkEntry, env: EngineEnv): number {
  return BOXES([entry.employees, entry.daysPerYear, 365, householdSize(env.locationKey(entry.country), env).value]);
}

/** A telework box line and its quantity's trace variable (q derived by F14, its formula in `note`). */
export interface TeleworkBoxes {
  readonly item: PhysicalEquipment;
  readonly quantity: TraceVariable;
}

export function teleworkBoxes(env: EngineEnv): TeleworkBoxes[] {
  return (env.ctx.telework ?? []).map((t, i) => {
    const p = householdSize(env.locationKey(t.country), env);
    const quantity = teleworkBoxCount(t, env);
    const vars: Record<string, TraceVariable> = {
      N_emp: { value: t.employees, unit: 'employees', origin: 'INPUT' },
      d: { value: t.daysPerYear, unit: 'days/yr', origin: 'INPUT' },
      D: { value: 365, unit: 'days/yr', origin: 'DEFAULT' },
      p: { value: p.value, unit: 'persons/household', origin: p.origin, ...(p.ref ? { ref: p.ref } : {}) },
    };
    return {
      item: {
        name: `telework-boxes-${t.entity ?? 'all'}-${t.country}-${i + 1}`,
        type: 'Box',
        quantity,
        country: t.country,
        usageRate: 1,
        ...(t.entity !== undefined ? { entity: t.entity } : {}),
      },
      quantity: {
        value: quantity,
        unit: 'item',
        origin: 'DERIVED',
        note: `F14 telework boxes: ${render(TELEWORK_BOXES, numbersOf(vars), quantity)}`,
      },
    };
  });
}
