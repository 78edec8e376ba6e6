/**
 * Numbers as the report prints them: the readable units and digits of `src/outputs/units.ts` (kg → t, 4 significant
 * digits, the language's decimal comma and grouping), so that the report, the terminal and the dashboard agree.
 */
import { commonScale, formatQuantity, formatScaled, readableNumber, type UnitScale } from '../../outputs/units.js';
import type { ReportLang } from './i18n.js';

export type { UnitScale };

/** `29515.8, 'kg CO2 eq'` → `29,52 t CO2 eq` (fr) or `29.52 t CO2 eq` (en). */
export const quantity = (value: number, unit: string, lang: ReportLang): string => formatQuantity(value, unit, lang);

/** A value in a scale shared by a column. */
export const scaled = (value: number, scale: UnitScale, lang: ReportLang): string => formatScaled(value, scale, lang);

/** The scale of a column of values in one unit. */
export const scaleOf = (values: readonly number[], unit: string): UnitScale => commonScale(values, unit);

/** A plain number, 4 significant digits. */
export const number = (value: number, lang: ReportLang): string => readableNumber(value, lang);

/** A whole count with the language's grouping. */
export const count = (value: number, lang: ReportLang): string =>
  value.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 0 });

/** A share (0.123 → `12,3 %`). */
export const percent = (share: number, lang: ReportLang): string =>
  share.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 });

/** A date `yyyy-MM-dd` in the language's order (`31/12/2025`, `31 Dec 2025`). */
export function date(iso: string, lang: ReportLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}
