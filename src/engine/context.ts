/**
 * Run context: everything the engine needs besides the inventory and the referential. The engine reads no clock:
 * the reference date is an input (methodology §1.1, §2.2).
 */
import type { LifecycleStep, StepCode } from '../referential/codes.js';

import type { Profile } from '../referential/hypotheses.js';

export type { Profile };
export type LifetimeMethod = 'REEL' | 'FIXE';
export type MessagingVolumeUnit = 'B' | 'kB' | 'MB' | 'GB';

export interface TeleworkEntry {
  readonly entity?: string;
  readonly country: string;
  readonly employees: number;
  readonly daysPerYear: number;
}

export interface RunContext {
  readonly profile: Profile;
  /** ISO date used for ages of equipment in service (§1.1). */
  readonly referenceDate: string;
  readonly lifetimeMethod: LifetimeMethod;
  /** Criteria to compute (canonical codes). */
  readonly criteria: readonly string[];
  /** Lifecycle steps to compute (canonical codes); aggregate steps appear when the referential uses them. */
  readonly steps: readonly LifecycleStep[];
  /** Organisation of the batch (owned referential rows are selected by the merge, §3.5). */
  readonly organisation?: string;
  readonly batch?: string;
  /** F3 upstream rule: `category` (default) or `line`. */
  readonly refurbishedRule?: 'category' | 'line';
  /** F13: unit of `volumeTotalMailEmis`; without it messaging indicators are in error. */
  readonly messagingVolumeUnit?: MessagingVolumeUnit;
  /** F14 telework boxes (default none). */
  readonly telework?: readonly TeleworkEntry[];
  /** Assessed period, both days included (§2.2); default the calendar year of the reference date. */
  readonly period?: { readonly start: string; readonly end: string };
}

/** Options that the two profiles switch (§9). */
export interface ProfileOptions {
  /** F1 rule 2 (`MODEL`, direct name match) and rule 3 (`MODEL_FUZZY`). */
  readonly directModelMatch: boolean;
  /** F2: lifetime of equipment in service = max(age, expected) (`rcp`) or age (`numecoeval`). */
  readonly inServiceLifetime: 'max-age-expected' | 'age';
  /** F7: PUE scope. */
  readonly pueScope: 'hosted-or-server' | 'server-only';
  /** §2.2: yearly indicators × the item's share of the period (`rcp`), or every line for the whole year. */
  readonly periodShare: boolean;
}

export function profileOptions(profile: Profile): ProfileOptions {
  return profile === 'rcp'
    ? { directModelMatch: true, inServiceLifetime: 'max-age-expected', pueScope: 'hosted-or-server', periodShare: true }
    : { directModelMatch: false, inServiceLifetime: 'age', pueScope: 'server-only', periodShare: false };
}

export const EMBODIED_STEPS: readonly StepCode[] = ['MANUFACTURING', 'DISTRIBUTION', 'END_OF_LIFE'];
