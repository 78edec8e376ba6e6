/**
 * Cell parsers (methodology §2.1): numbers, dates, booleans, enumerations and NumEcoEval's MoisAnnee.
 * Pure functions of the cell text (plus, for numbers, the file's delimiter and what the file showed so far);
 * they return a value or a reason, never throw.
 */
import type { EndOfLife, Infrastructure, Quality, UsageMode, VmType } from './model.js';

/** Empty cell or literal `NULL` = absent (§2.1). */
export function isAbsent(text: string | undefined): boolean {
  if (text === undefined || text.length === 0) return true;
  const c0 = text.charCodeAt(0);
  const cn = text.charCodeAt(text.length - 1);
  // Fast path: no surrounding blank and not NULL.
  if (c0 > 32 && cn > 32 && c0 !== 78 && c0 !== 110) return false;
  const t = text.trim();
  return t === '' || t === 'NULL' || t === 'null';
}

/** `overflow`: the text is a number whose magnitude exceeds the float range (`1e309`), not a malformed number. */
export type NumberResult =
  | { readonly ok: true; readonly value: number; readonly ambiguous?: string }
  | { readonly ok: false; readonly overflow?: true };

/** Per-file state: whether an unambiguous decimal comma was already seen (`12,5`), to settle `1,234` later. */
export interface NumberContext {
  readonly delimiter?: string;
  seenDecimalComma?: boolean;
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;
// 1 234,5 / 1 234 567 / 1 234.5 with space, no-break space (U+00A0) or narrow no-break space (U+202F) groups.
const SPACE_GROUPED = /^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d+)?$/;
// 1.234.567 (two groups or more, no decimals) or 1.234,5 (dot groups + decimal comma): French grouping.
const DOT_GROUPED_COMMA = /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/;
const DOT_GROUPED_MULTI = /^[+-]?\d{1,3}(?:\.\d{3}){2,}$/;
// 1,234.5 / 1,234,567: English grouping.
const COMMA_GROUPED_DOT = /^[+-]?\d{1,3}(?:,\d{3})+\.\d+$/;
const COMMA_GROUPED_MULTI = /^[+-]?\d{1,3}(?:,\d{3}){2,}$/;
// 1,234: decimal comma or English thousands — the truly ambiguous shape.
const AMBIGUOUS_COMMA = /^[+-]?[1-9]\d{0,2},\d{3}$/;

/**
 * The value of a number cell written plainly (`.` decimal, E-notation; the text already trimmed, no U+2212 minus), else
 * NaN: the first case of `parseNumber`, without its result object (the row parser's fast path). `-0` is read as 0; a
 * plain number beyond the float range gives ±Infinity (`parseNumber` reports it as an overflow).
 */
export function plainNumber(t: string): number {
  // A scan by character codes of the grammar of `PLAIN` (issue 11, per-row cost): `[+-]? (d+ .? d* | . d+)
  // ([eE] [+-]? d+)?`, the same strings accepted. Without an exponent and with at most 15 digits, the digits form an
  // exact integer M (< 2^53) and 10^f (f ≤ 15 decimals) is exact, so M / 10^f is the correctly rounded quotient: the
  // double `Number(t)` gives. Longer or E-notation texts are checked here and then read by `Number`.
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  const negative = c === 45; /* - */
  if (negative || c === 43 /* + */) c = t.charCodeAt(++i);
  let m = 0; // the digits as an integer (exact while `digits` ≤ 15)
  let digits = 0;
  let decimals = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    c = t.charCodeAt(++i);
  }
  if (c === 46 /* . */) {
    c = t.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      decimals++;
      c = t.charCodeAt(++i);
    }
  }
  if (digits === 0) return NaN; // '', '+', '.', '-.': no digit before nor after the dot
  if (i === n) {
    if (digits > 15) return zeroless(Number(t));
    const v = decimals === 0 ? m : m / POW10[decimals]!;
    return negative ? (v === 0 ? 0 : -v) : v;
  }
  if (c !== 101 && c !== 69 /* e E */) return NaN;
  c = t.charCodeAt(++i);
  if (c === 43 || c === 45) c = t.charCodeAt(++i);
  const expStart = i;
  while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
  if (i === expStart || i !== n) return NaN;
  return zeroless(Number(t));
}

/** Exact powers of ten 10^0 … 10^15 (`plainNumber`'s divisors). */
const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** `-0` read as 0. */
function zeroless(v: number): number {
  return v === 0 ? 0 : v;
}

/**
 * Parse a number cell (already known not absent). Accepted: `.` decimal and E-notation; `,` decimal in a `;` (or tab)
 * file; French grouping with space / U+00A0 / U+202F / dot thousands separators; English `1,234.5`.
 * `1,234` (one comma, exactly three decimals) is read as a decimal comma in a `;` file (§2.1) and as 1234 in a `,` file;
 * it is reported ambiguous unless the file already used an unambiguous decimal comma.
 */
export function parseNumber(text: string, ctx: NumberContext = {}): NumberResult {
  let t = text.trim();
  if (t.charCodeAt(0) === 0x2212) t = '-' + t.slice(1); // U+2212 MINUS SIGN
  if (PLAIN.test(t)) return finite(Number(t));
  const commaDecimalAllowed = ctx.delimiter !== ',';
  if (AMBIGUOUS_COMMA.test(t)) {
    if (commaDecimalAllowed) {
      const v = Number(t.replace(',', '.'));
      return ctx.seenDecimalComma ? finite(v) : withAmbiguity(v, String(v));
    }
    const v = Number(t.replace(',', ''));
    return withAmbiguity(v, String(v));
  }
  if (COMMA_DECIMAL.test(t)) {
    if (!commaDecimalAllowed) return { ok: false };
    ctx.seenDecimalComma = true;
    return finite(Number(t.replace(',', '.')));
  }
  if (SPACE_GROUPED.test(t)) return finite(Number(t.replace(/[ \u00a0\u202f]/g, '').replace(',', '.')));
  if (DOT_GROUPED_COMMA.test(t)) {
    ctx.seenDecimalComma = true;
    return finite(Number(t.replace(/\./g, '').replace(',', '.')));
  }
  if (DOT_GROUPED_MULTI.test(t)) return finite(Number(t.replace(/\./g, '')));
  if (COMMA_GROUPED_DOT.test(t) || COMMA_GROUPED_MULTI.test(t)) return finite(Number(t.replace(/,/g, '')));
  return { ok: false };
}

const OVERFLOW: NumberResult = Object.freeze({ ok: false, overflow: true });

/** A finite value (`-0` read as 0), or an overflow: every number of an inventory is finite (§2.1 "Hard limits"). */
function finite(v: number): NumberResult {
  if (!Number.isFinite(v)) return OVERFLOW;
  return { ok: true, value: v === 0 ? 0 : v };
}

function withAmbiguity(v: number, read: string): NumberResult {
  return Number.isFinite(v) ? { ok: true, value: v, ambiguous: read } : OVERFLOW;
}

/** Days in each month of a year (Gregorian). */
function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Time parts after the date are ignored (§2.1): `2023-01-15 10:20`, `2023-01-15T10:20:00Z`.
const TIME_SUFFIX = '(?:[T ][0-9:.,]*(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${TIME_SUFFIX}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const FRENCH = new RegExp(`^(\\d{2})/(\\d{2})/(\\d{4})${TIME_SUFFIX}$`);
const SLASHED = new RegExp(`^(\\d{4})/(\\d{2})/(\\d{2})${TIME_SUFFIX}$`);

/** Plausible calendar years for an inventory date (choice): outside, the text is not taken as a date. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

/**
 * Parse a date in one of the four G4IT patterns (`yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`, `yyyy/MM/dd`) into ISO
 * `yyyy-MM-dd`; impossible dates (2023-02-30, month 13) and years outside 1900–2999 give undefined.
 */
export function parseDate(text: string): string | undefined {
  return parseTrimmedDate(text.trim());
}

/** `parseDate` of a text without surrounding white space (the row parser's cells are trimmed already). */
export function parseTrimmedDate(t: string): string | undefined {
  const n = t.length;
  // Fast paths without regex nor substrings for the four patterns without a time part (the regexes below accept
  // exactly these shapes; `\d` is [0-9]).
  if (n === 10) {
    const c2 = t.charCodeAt(2);
    const c4 = t.charCodeAt(4);
    if (c4 === 45 /* - */ && t.charCodeAt(7) === 45) {
      // yyyy-MM-dd: any other character than a digit is not a date.
      const y = digitsValue(t, 0, 4);
      const m = digitsValue(t, 5, 7);
      const d = digitsValue(t, 8, 10);
      if ((y | m | d) < 0) return undefined;
      return validDate(y, m, d) ? t : undefined;
    }
    if (c4 === 47 /* / */ && t.charCodeAt(7) === 47) {
      // yyyy/MM/dd
      const y = digitsValue(t, 0, 4);
      const m = digitsValue(t, 5, 7);
      const d = digitsValue(t, 8, 10);
      if ((y | m | d) >= 0) {
        return validDate(y, m, d) ? `${t.slice(0, 4)}-${t.slice(5, 7)}-${t.slice(8, 10)}` : undefined;
      }
    }
    if (c2 === 47 && t.charCodeAt(5) === 47) {
      // dd/MM/yyyy
      const d = digitsValue(t, 0, 2);
      const m = digitsValue(t, 3, 5);
      const y = digitsValue(t, 6, 10);
      if ((y | m | d) >= 0) {
        return validDate(y, m, d) ? `${t.slice(6, 10)}-${t.slice(3, 5)}-${t.slice(0, 2)}` : undefined;
      }
    }
  } else if (n === 8) {
    // yyyyMMdd
    const y = digitsValue(t, 0, 4);
    const m = digitsValue(t, 4, 6);
    const d = digitsValue(t, 6, 8);
    if ((y | m | d) >= 0) {
      return validDate(y, m, d) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : undefined;
    }
  }
  let y: string, m: string, d: string;
  let r = ISO.exec(t) ?? COMPACT.exec(t) ?? SLASHED.exec(t);
  if (r) [, y, m, d] = r as unknown as [string, string, string, string];
  else {
    r = FRENCH.exec(t);
    if (!r) return undefined;
    [, d, m, y] = r as unknown as [string, string, string, string];
  }
  const yy = Number(y);
  const mm = Number(m);
  const dd = Number(d);
  if (!validDate(yy, mm, dd)) return undefined;
  return `${y}-${m}-${d}`;
}

/** The value of the ASCII digits `t[from..to)` (at most 4 here), −1 when one is not a digit: one pass for both. */
function digitsValue(t: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

function validDate(yy: number, mm: number, dd: number): boolean {
  return yy >= MIN_YEAR && yy <= MAX_YEAR && mm >= 1 && mm <= 12 && dd >= 1 && dd <= daysInMonth(yy, mm);
}

const TRUE = new Set(['true', '1', 'oui', 'yes']);
const FALSE = new Set(['false', '0', 'non', 'no']);

/** `true/false`, `1/0`, `oui/non`, `yes/no`, case-insensitive (§2.1). */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return undefined;
}

function fold(text: string): string {
  return text
    .trim()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}

const QUALITY: Readonly<Record<string, Quality>> = {
  HAUTE: 'HIGH',
  MOYENNE: 'MEDIUM',
  BASSE: 'LOW',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
};
/** `qualite` HAUTE/MOYENNE/BASSE (also English) → HIGH/MEDIUM/LOW (§1.6). */
export function parseQuality(text: string): Quality | undefined {
  return QUALITY[fold(text)];
}
export const QUALITY_ALLOWED = 'HAUTE, MOYENNE, BASSE (or HIGH, MEDIUM, LOW)';

/** `modeUtilisation` COPE, BYOD, extension PRO (§1.6). */
export function parseUsageMode(text: string): UsageMode | undefined {
  const t = fold(text);
  return t === 'COPE' || t === 'BYOD' || t === 'PRO' ? t : undefined;
}
export const USAGE_MODE_ALLOWED = 'COPE, BYOD, PRO';

const END_OF_LIFE: Readonly<Record<string, EndOfLife>> = {
  REEMPLOI: 'reuse',
  REUSE: 'reuse',
  DON: 'donation',
  DONATION: 'donation',
  RECYCLAGE: 'recycling',
  RECYCLING: 'recycling',
  INCONNU: 'unknown',
  UNKNOWN: 'unknown',
};
/** `finDeVie` réemploi/don/recyclage/inconnu (also English) → reuse/donation/recycling/unknown (State KPIs). */
export function parseEndOfLife(text: string): EndOfLife | undefined {
  return END_OF_LIFE[fold(text)];
}
export const END_OF_LIFE_ALLOWED = 'réemploi, don, recyclage, inconnu (or reuse, donation, recycling, unknown)';

const VM_TYPE: Readonly<Record<string, VmType>> = {
  CALCUL: 'compute',
  COMPUTE: 'compute',
  STOCKAGE: 'storage',
  STORAGE: 'storage',
};
/** `typeEqv` calcul/stockage, aliases compute/storage (§1.6). */
export function parseVmType(text: string): VmType | undefined {
  return VM_TYPE[fold(text)];
}
export const VM_TYPE_ALLOWED = 'calcul, stockage (or compute, storage)';

/** `typeInfrastructure` NON_CLOUD_SERVERS, CLOUD_SERVICES (§1.6), case-insensitive. */
export function parseInfrastructure(text: string): Infrastructure | undefined {
  const t = fold(text);
  return t === 'NON_CLOUD_SERVERS' || t === 'CLOUD_SERVICES' ? t : undefined;
}
export const INFRASTRUCTURE_ALLOWED = 'NON_CLOUD_SERVERS, CLOUD_SERVICES';

/**
 * `MoisAnnee` (§2.8): "MMAAAA" written as an integer, so the leading zero may be lost: the last 4 digits are the year,
 * the 1–2 leading digits the month 1–12. The native form `yyyy-MM` is also accepted.
 */
export function parseMonthYear(text: string): { year: number; month: number } | undefined {
  const t = text.trim();
  let r = /^(\d{1,2})(\d{4})$/.exec(t);
  let month: number, year: number;
  if (r) {
    month = Number(r[1]);
    year = Number(r[2]);
  } else {
    r = /^(\d{4})-(\d{1,2})$/.exec(t);
    if (!r) return undefined;
    year = Number(r[1]);
    month = Number(r[2]);
  }
  if (month < 1 || month > 12 || year < MIN_YEAR || year > MAX_YEAR) return undefined;
  return { year, month };
}
