/**
 * Number and unit formatting for the dashboard and the CLI report: French or English digits (Intl), a unit chosen for
 * readability (t / kg / g for masses in kg, MWh / kWh for energy), people-equivalent. Pure: no browser globals, so the
 * same functions run in the browser, under Node (server rendering, tests) and in the printed report.
 *
 * Rounding for display (the exact value stays in `data-value` attributes and CSV exports): at least 100 → no decimal,
 * at least 10 → one, at least 0.1 → two, below that three significant digits.
 */

export type Lang = 'fr' | 'en';

export const LANGS: readonly Lang[] = ['fr', 'en'];

/** The Intl locale of a language (France and United Kingdom: day/month order and thousands grouping). */
export const LOCALE: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** Intl options for a value of that magnitude (see the module comment). */
function digitsFor(value: number): Intl.NumberFormatOptions {
  const a = Math.abs(value);
  if (a === 0 || a >= 100) return { maximumFractionDigits: 0 };
  if (a >= 10) return { maximumFractionDigits: 1 };
  if (a >= 0.1) return { maximumFractionDigits: 2 };
  return { maximumSignificantDigits: 3 };
}

/** A number rounded for reading: `formatNumber(31300.79, 'fr')` → "31 301" (narrow no-break space), en → "31,301". */
export function formatNumber(value: number, lang: Lang): string {
  if (!Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(LOCALE[lang], digitsFor(value)).format(value === 0 ? 0 : value);
}

/** A share 0–1 as a percentage: 0.7021 → "70 %" (fr) / "70%" (en); below 10 % one decimal. */
export function formatPercent(share: number, lang: Lang): string {
  if (!Number.isFinite(share)) return '—';
  const digits = Math.abs(share) < 0.1 ? 1 : 0;
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** A signed number (+ or − always shown): the deltas of the waterfall and the scenarios. */
export function formatSigned(value: number, lang: Lang, unit?: string): string {
  const body = formatNumber(Math.abs(value), lang);
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${body}${unit ? ` ${unit}` : ''}`;
}

export interface DisplayUnit {
  /** The unit written after the number: "t CO2 eq", "kg CO2 eq", "MWh"… */
  readonly unit: string;
  /** Value in the display unit = value in the source unit × factor. */
  readonly factor: number;
}

/**
 * The display unit for values in `unit` of about `magnitude` (the largest absolute value shown together, so that a
 * column or a chart keeps one unit):
 * - a unit starting with "kg" (kg CO2 eq, kg Sb eq): ≥ 1,000 kg → t, < 1 kg → g (but 0 stays kg), else kg;
 * - kWh: ≥ 1,000,000 → GWh, ≥ 1,000 → MWh, else kWh;
 * - any other unit is kept as it is (mol H+ eq, kBq U235 eq, disease incidence…).
 */
export function chooseUnit(unit: string, magnitude: number): DisplayUnit {
  const a = Math.abs(magnitude);
  const kg = /^kg(\b|$)/.exec(unit);
  if (kg) {
    const rest = unit.slice(2);
    if (a >= 1000) return { unit: `t${rest}`, factor: 1e-3 };
    if (a > 0 && a < 1) return { unit: `g${rest}`, factor: 1e3 };
    return { unit, factor: 1 };
  }
  if (unit === 'kWh') {
    if (a >= 1e6) return { unit: 'GWh', factor: 1e-6 };
    if (a >= 1e3) return { unit: 'MWh', factor: 1e-3 };
  }
  return { unit, factor: 1 };
}

/** The largest absolute finite value of a list (0 when empty): the magnitude for `chooseUnit`. */
export function magnitudeOf(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** A value in `unit` written in its readable unit: `formatQuantity(31300.79, 'kg CO2 eq', 'fr')` → "31,3 t CO2 eq". */
export function formatQuantity(value: number, unit: string, lang: Lang, display = chooseUnit(unit, value)): string {
  if (!Number.isFinite(value)) return '—';
  return `${formatNumber(value * display.factor, lang)}\u00a0${display.unit}`;
}

/** A formatter for many values shown together (one unit for all, chosen by the largest). */
export function quantityFormatter(
  unit: string,
  values: Iterable<number>,
  lang: Lang,
): { readonly display: DisplayUnit; format(value: number): string; formatNumber(value: number): string } {
  const display = chooseUnit(unit, magnitudeOf(values));
  return {
    display,
    format: (v) => formatQuantity(v, unit, lang, display),
    formatNumber: (v) => formatNumber(v * display.factor, lang),
  };
}

/**
 * People-equivalent (methodology F18): the value divided by one person's sustainable yearly share of the planetary
 * boundary, SIP (§6, JRC 2019 via G4IT). The server's totals give `peopleEquivalent` per criterion; this is for values it
 * does not cover (a scenario's delta, a breakdown row). Null for a criterion without an SIP.
 */
export const SIP_PER_PERSON: Readonly<Record<string, number>> = {
  CLIMATE_CHANGE: 851.25,
  PARTICULATE_MATTER: 6.45e-5,
  IONISING_RADIATION: 65875,
  ACIDIFICATION: 125,
  RESOURCE_USE: 0.027375,
};

export function peopleEquivalent(value: number, criterion: string): number | null {
  const sip = SIP_PER_PERSON[criterion];
  return sip === undefined ? null : value / sip;
}

/** A date (ISO `yyyy-mm-dd` or a full ISO timestamp) as the language writes it: 31/12/2024 (fr), 31/12/2024 (en-GB). */
export function formatDate(iso: string, lang: Lang): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: iso.length === 10 ? 'UTC' : undefined,
  }).format(d);
}
