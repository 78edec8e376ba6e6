/** ISO dates (`yyyy-MM-dd`) as day numbers; years between dates = days / 365 (methodology §0, no leap-year correction). */
import { isoDay } from '../inventory/model.js';

// The day number of a model date is defined with the inventory model (the row parser's plausibility check uses it too).
export { isoDay };

const MS_PER_DAY = 86_400_000;

/** Same as `isoDay` through the platform's calendar (used by tests to check the hand-written one). */
export function isoDayViaDate(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

export function yearsBetween(fromIso: string, toIso: string): number {
  return (isoDay(toIso) - isoDay(fromIso)) / 365;
}
