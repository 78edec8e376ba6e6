/** Option values shared by the commands, parsed into typed values or a coded error naming the option. */
import { parseDate } from '../inventory/cells.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/**
 * A calendar date in any documented format (methodology §2.1: `yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`, `yyyy/MM/dd`),
 * returned as `yyyy-MM-dd` (undefined when absent); throws `INP_BAD_DATE` naming the option otherwise.
 */
export function parseDateOption(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = parseDate(value);
  if (date === undefined) throw new EmpreinteError(issue('INP_BAD_DATE', { field, value }));
  return date;
}
