/**
 * What a service assessment takes from the inventory engine rather than computing on its own (issue 10: services are
 * not a second engine): the run's hypotheses as the engine resolves them (F7 default PUE, F2 lifetime floor and
 * default), and the engine's lifetime calculation (F2/F3 with its floor and CALC_LIFESPAN_FLOORED). Built once per
 * service assessment from the same referential and profile; no module-level state.
 */
import { issue } from '../issues/catalogue.js';
import { profileOptions, type Profile } from '../engine/context.js';
import { isoDay } from '../engine/dates.js';
import { resolveHypotheses, type EngineHypotheses } from '../engine/hypotheses.js';
import type { LifetimeEnv } from '../engine/lifetime.js';
import type { Referential } from '../referential/model.js';

export interface ServiceEngine {
  /** The run's referential and profile, for the parts assessed by the engine itself (cloud instances, F15). */
  readonly referential: Referential;
  readonly profile: Profile;
  readonly hypotheses: EngineHypotheses;
  /** F2 with method FIXE, for `computeLifetime`: a device's life is a fixed duration of the referential, never dates. */
  readonly lifetimeEnv: LifetimeEnv;
}

export function serviceEngine(referential: Referential, profile: Profile): ServiceEngine {
  const hypotheses = resolveHypotheses(referential, profile);
  return {
    referential,
    profile,
    hypotheses,
    lifetimeEnv: {
      method: 'FIXE',
      profile: profileOptions(profile),
      // Lives of service devices and instances are fixed durations (FIXE, no purchase date): the engine reads no
      // reference date for them, and a service has none.
      referenceDate: '',
      referenceDay: Number.NaN,
      hypotheses,
      refurbishedRule: 'line',
      day: isoDay,
      undeterminedLifetime: issue('CALC_LIFESPAN_UNDETERMINED'),
    },
  };
}
