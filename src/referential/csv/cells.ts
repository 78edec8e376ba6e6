/**
 * Cell rules for referential CSVs (methodology §2.1 "Cells", applied to referentials by §3.1): empty or `NULL` =
 * absent; numbers with `.` decimal and E-notation, `,` decimal accepted with the `;` delimiter; booleans
 * true/false, 1/0, oui/non, yes/no.
 */

/** Trimmed cell, or undefined when empty or the literal `NULL` (any case). */
export function cellText(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (t === '' || t.toUpperCase() === 'NULL') return undefined;
  return t;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^-?\d+,\d+$/;

/** Parse a number cell; `NaN` when the text is not a number. */
export function parseNumberCell(text: string, delimiter: string | undefined): number {
  if (NUMBER.test(text)) return Number(text);
  if (delimiter === ';' && COMMA_DECIMAL.test(text)) return Number(text.replace(',', '.'));
  return Number.NaN;
}

const TRUE = new Set(['true', '1', 'oui', 'yes', 'vrai']);
const FALSE = new Set(['false', '0', 'non', 'no', 'faux']);

/** Parse a boolean cell; undefined when not a boolean. */
export function parseBooleanCell(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return undefined;
}
