/** ISO dates (`yyyy-MM-dd`) as day numbers; years between dates = days / 365 (methodology §0, no leap-year correction). */

const MS_PER_DAY = 86_400_000;

/** Day number since 1970-01-01 of an ISO `yyyy-MM-dd` date (time part ignored). NaN when malformed. */
export function isoDay(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (!(y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return NaN;
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function yearsBetween(fromIso: string, toIso: string): number {
  return (isoDay(toIso) - isoDay(fromIso)) / 365;
}
