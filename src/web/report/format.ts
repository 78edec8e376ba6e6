/**
 * The report's numbers through the dashboard's format helpers (src/web/format.ts: French or English digits, t / kg and
 * MWh / kWh chosen for readability), so that the printed report and the dashboard write every figure the same way.
 */
import { formatDate, formatNumber, formatPercent, formatQuantity, quantityFormatter } from '../format.js';
import type { ReportLang } from './i18n.js';

/** `29515.8, 'kg CO2 eq'` → `29,5 t CO2 eq` (fr) or `29.5 t CO2 eq` (en). */
export const quantity = (value: number, unit: string, lang: ReportLang): string => formatQuantity(value, unit, lang);

/** One formatter for a column or a chart of values in one unit (one display unit for all). */
export const column = (values: readonly number[], unit: string, lang: ReportLang) =>
  quantityFormatter(unit, values, lang);

/** A plain number rounded for reading. */
export const number = (value: number, lang: ReportLang): string => formatNumber(value, lang);

/** A whole count with the language's grouping. */
export const count = (value: number, lang: ReportLang): string => formatNumber(Math.round(value), lang);

/** A share (0.123 → `12 %`). */
export const percent = (share: number, lang: ReportLang): string => formatPercent(share, lang);

/** A date `yyyy-MM-dd` as the language writes it. */
export const date = (iso: string, lang: ReportLang): string => formatDate(iso, lang);
