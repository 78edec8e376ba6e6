/**
 * Coverage apart from errors (methodology F20): an indicator in error is either *not covered* by the active
 * referential (it has no factor for that criterion × step: loading one computes it) or *to fix* in the user's data
 * (inputs, run options). The classification is per issue code (docs/engine.md, "Coverage apart from errors").
 */
import type { IssueCode } from '../issues/catalogue.js';

/** Codes meaning "the referential has no factor for this criterion × step"; every other code is to fix. */
const NOT_COVERED: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'CALC_FACTOR_MISSING',
  'CALC_ELEC_FACTOR_MISSING',
  'CALC_MESSAGING_FACTOR_MISSING',
  'CALC_CLOUD_PLATFORM_UNKNOWN',
]);

/**
 * CALC_ELECTRICITY_MISSING is to fix only where a consumption would make the indicator computable, i.e. where the
 * referential has an electricity factor for the item's location and the criterion; elsewhere it is not covered.
 */
export const ELECTRICITY_MISSING: IssueCode = 'CALC_ELECTRICITY_MISSING';

export function isNotCovered(code: IssueCode): boolean {
  return NOT_COVERED.has(code);
}

/** How to compute what the referential does not cover (printed with the count, and in the JSON totals). */
export const HOW_TO_LOAD =
  'load a referential that has these factors over the open pack: --referential <folder with your licensed factors> ' +
  '(e.g. your NumEcoEval/G4IT referential export; see docs/referential.md)';
