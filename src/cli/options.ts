/** Option values shared by the commands, parsed into typed values or a coded error naming the option. */
import { parseDate } from '../inventory/cells.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** A `yyyy-MM-dd` calendar date (undefined when absent); throws `INP_BAD_DATE` naming the option otherwise. */
export function parseDateOption(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || parseDate(value) === undefined)
    throw new EmpreinteError(issue('INP_BAD_DATE', { field, value }));
  return value;
}
