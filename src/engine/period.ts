/**
 * The assessed period and each item's share of it (methodology §2.2), profile `rcp`:
 *   s = d / D, D = days in the period, d = days of [max(dateAchat, start), min(dateRetrait, end)]
 * Both ends are counted (closed interval, in calendar days): an item bought on 1 July and kept to 31 December
 * 2025 is in service 184 of the 365 days of 2025. An absent dateAchat reads as the period start, an absent dateRetrait
 * as the period end. s = 0 puts the item out of the totals (CALC_OUT_OF_PERIOD). Profile `numecoeval`: s = 1.
 */
import { isoDay } from './dates.js';
import type { PeriodTrace } from './trace.js';

export interface Period {
  /** First and last day of the period, ISO `yyyy-MM-dd`, both included. */
  readonly start: string;
  readonly end: string;
  readonly startDay: number;
  readonly endDay: number;
  /** D = end − start + 1 (365 or 366 for a calendar year). */
  readonly days: number;
}

/** The period of a run: the one given, else the calendar year of the reference date (§2.2). */
export function resolvePeriod(referenceDate: string, given?: { start: string; end: string }): Period {
  const start = given?.start ?? `${referenceDate.slice(0, 4)}-01-01`;
  const end = given?.end ?? `${referenceDate.slice(0, 4)}-12-31`;
  const startDay = isoDay(start);
  const endDay = isoDay(end);
  if (Number.isNaN(startDay) || Number.isNaN(endDay) || endDay < startDay)
    throw new Error(
      `invalid period '${start}..${end}' (expected two dates yyyy-MM-dd, the first not after the second)`,
    );
  return { start, end, startDay, endDay, days: endDay - startDay + 1 };
}

/**
 * Days in service within the period, d, for day numbers of purchase and withdrawal (NaN when absent: the comparisons
 * are then false and the period bound applies). 0 when the interval does not meet the period.
 */
export function daysInPeriod(purchaseDay: number, retirementDay: number, p: Period): number {
  const from = purchaseDay > p.startDay ? purchaseDay : p.startDay;
  const to = retirementDay < p.endDay ? retirementDay : p.endDay;
  return to >= from ? to - from + 1 : 0;
}

/** Share s = d / D of an item in service from `purchase` to `retirement` (ISO dates, either may be absent). */
export function periodShare(purchase: string | undefined, retirement: string | undefined, p: Period): number {
  // Fast path, no date parsing: ISO strings compare as dates (in service the whole period → 1).
  if ((purchase === undefined || purchase <= p.start) && (retirement === undefined || retirement >= p.end)) return 1;
  const d = daysInPeriod(
    purchase !== undefined ? isoDay(purchase) : NaN,
    retirement !== undefined ? isoDay(retirement) : NaN,
    p,
  );
  return d === p.days ? 1 : d / p.days;
}

/** A month's first and last day, ISO. */
export function monthBounds(year: number, month: number): { first: string; last: string } {
  const y = String(year).padStart(4, '0');
  const m = String(month).padStart(2, '0');
  const days =
    month === 2
      ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
        ? 29
        : 28
      : [4, 6, 9, 11].includes(month)
        ? 30
        : 31;
  return { first: `${y}-${m}-01`, last: `${y}-${m}-${days}` };
}

/**
 * Messaging rows are monthly amounts (F13: the year sums the months in the period): their share is the part of the
 * month inside the period, 1 for a month within it, 0 outside.
 */
export function monthShare(year: number, month: number, p: Period): number {
  const { first, last } = monthBounds(year, month);
  const a = isoDay(first);
  const b = isoDay(last);
  return daysInPeriod(a, b, p) / (b - a + 1);
}

/** The trace of a share (built only when an output asks for it). */
export type { PeriodTrace } from './trace.js';

export function periodTrace(share: number, p: Period, from?: string): PeriodTrace {
  return {
    start: p.start,
    end: p.end,
    days: p.days,
    daysInService: Math.round(share * p.days),
    share,
    ...(from !== undefined ? { from } : {}),
  };
}
