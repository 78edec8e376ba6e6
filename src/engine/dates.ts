/** ISO dates (`yyyy-MM-dd`) as day numbers; years between dates = days / 365 (methodology §0, no leap-year correction). */

const MS_PER_DAY = 86_400_000;

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

/**
 * Day number since 1970-01-01 of an ISO `yyyy-MM-dd` date (time part ignored); NaN when malformed. Parsed by hand
 * (days-from-civil, proleptic Gregorian calendar) because it runs once or twice per inventory line.
 */
export function isoDay(iso: string): number {
  const y = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const m = digit(iso, 5) * 10 + digit(iso, 6);
  const d = digit(iso, 8) * 10 + digit(iso, 9);
  if (!(y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) || iso[4] !== '-' || iso[7] !== '-') return NaN;
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Same as `isoDay` through the platform's calendar (used by tests to check the hand-written one). */
export function isoDayViaDate(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

export function yearsBetween(fromIso: string, toIso: string): number {
  return (isoDay(toIso) - isoDay(fromIso)) / 365;
}
