/**
 * Readable quantities for terminal tables (issue 11: "3.931e+6 kg" should read "3,931 t").
 *
 * - Masses (units starting with `g`, `kg`, `t`, `mg` then a space or the end: `kg CO2 eq`, `kg Sb eq`, `kg`): milligrams
 *   below 1 g, grams below 1 kg, kilograms below 1,000 kg, tonnes from 1,000 kg up, without an upper prefix (impact
 *   reports count in tonnes: 3,931,000 kg → `3,931 t`, 2.5e9 kg → `2,500,000 t`).
 * - Other units with an SI-prefixable base (`Wh`, `J`, `mol`, `Bq`, as in `kWh`, `MJ`, `mol H+ eq`, `kBq U-235 eq`): the
 *   prefix (m, none, k, M, G, T, P) that puts the value in [1, 1000).
 * - Any other unit (`disease incidence`, `CTUh`, `pt`, `m3 eq` — a prefix on m3 would not be linear): the value as is.
 * Values print with 4 significant digits (`DEFAULT_SIGNIFICANT_DIGITS`) and the locale's digit grouping; a value still
 * below 0.001 after scaling, or from 1e15, prints in exponent notation (`1.235e-9`); zero prints `0` in the unit given.
 *
 * `unitScale` chooses one scale for a set of values (a table column or row), so that figures side by side share a unit.
 */
import { DEFAULT_SIGNIFICANT_DIGITS } from '../formats/csv-write.js';

export type NumberLocale = 'en' | 'fr';

/** A unit and the factor that converts a value in the original unit into it (`kg` → `t`: 0.001). */
export interface UnitScale {
  readonly unit: string;
  readonly factor: number;
}

const PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ['m', 1e-3],
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
];
const PREFIX_FACTOR = new Map(PREFIXES);
const SI_BASES = ['Wh', 'J', 'mol', 'Bq'] as const;
/** Mass units with their size in grams, smallest first. */
const MASSES: ReadonlyArray<readonly [string, number]> = [
  ['mg', 1e-3],
  ['g', 1],
  ['kg', 1e3],
  ['t', 1e6],
];
const MASS_FACTOR = new Map(MASSES);

/** The first word of a unit and the rest (` CO2 eq`). */
function splitUnit(unit: string): [string, string] {
  const i = unit.indexOf(' ');
  return i < 0 ? [unit, ''] : [unit.slice(0, i), unit.slice(i)];
}

/**
 * The scale that makes `magnitude` (the largest absolute value to show, in `unit`) readable, per the rules above.
 * Zero, a non-finite magnitude or a unit without a scale keep the unit (factor 1).
 */
export function unitScale(magnitude: number, unit: string): UnitScale {
  const a = Math.abs(magnitude);
  const same = { unit, factor: 1 };
  if (a === 0 || !Number.isFinite(a)) return same;
  const [head, rest] = splitUnit(unit);
  const grams = MASS_FACTOR.get(head);
  if (grams !== undefined) {
    const g = a * grams;
    let chosen = MASSES[0]!;
    for (const m of MASSES) if (g >= m[1]) chosen = m;
    return { unit: chosen[0] + rest, factor: grams / chosen[1] };
  }
  for (const base of SI_BASES) {
    if (!head.endsWith(base)) continue;
    const own = PREFIX_FACTOR.get(head.slice(0, head.length - base.length));
    if (own === undefined) continue;
    const v = a * own;
    let chosen = PREFIXES[0]!;
    for (const p of PREFIXES) if (v >= p[1]) chosen = p;
    return { unit: chosen[0] + base + rest, factor: own / chosen[1] };
  }
  return same;
}

/** A number with `digits` significant digits and the locale's grouping; exponent notation below 0.001 and from 1e15. */
export function readableNumber(
  value: number,
  locale: NumberLocale = 'en',
  digits: number = DEFAULT_SIGNIFICANT_DIGITS,
): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  const tag = locale === 'fr' ? 'fr-FR' : 'en-US';
  if (a < 1e-3 || a >= 1e15) {
    const s = value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
    return locale === 'fr' ? s.replace('.', ',') : s;
  }
  return value.toLocaleString(tag, { maximumSignificantDigits: digits });
}

/** `value` in `scale` as text with its unit: `3,931 t CO2 eq`. */
export function formatScaled(value: number, scale: UnitScale, locale: NumberLocale = 'en'): string {
  const text = readableNumber(value * scale.factor, locale);
  return scale.unit === '' ? text : `${text} ${scale.unit}`;
}

/** One value with the unit that reads best for it: `formatQuantity(3.931e6, 'kg CO2 eq')` → `3,931 t CO2 eq`. */
export function formatQuantity(value: number, unit: string, locale: NumberLocale = 'en'): string {
  return formatScaled(value, unitScale(value, unit), locale);
}

/** One scale for several values in the same unit (a table column): the scale of the largest magnitude. */
export function commonScale(values: Iterable<number>, unit: string): UnitScale {
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return unitScale(max, unit);
}
