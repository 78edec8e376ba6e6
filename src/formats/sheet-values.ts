/**
 * Spreadsheet cell values as text (XLSX and ODS readers): the string a CSV export of the same cell would hold, without
 * locale artefacts, so that the inventory cell parsers (`src/inventory/cells.ts`) read spreadsheet and CSV alike.
 *
 * - numbers: shortest text of the value rounded to 15 significant digits (the precision spreadsheets display), so a
 *   binary artefact such as 3.3000000000000003 is written 3.3; never a thousands separator, always `.` decimals;
 * - dates: ISO `yyyy-MM-dd`; a date-time whose time is not midnight keeps it as `yyyy-MM-dd HH:mm:ss` (the inventory
 *   date parser ignores time parts, methodology §2.1);
 * - booleans: `true` / `false`.
 */
import { LimitExceeded, MIN_SHEET_CELLS, SHEET_CELLS_PER_BYTE, grouped } from './limits.js';

/** Number → text without locale or binary artefacts (15 significant digits). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(Number(n.toPrecision(15)));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** UTC calendar fields of a date → ISO text (date only at midnight). */
export function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  // Round to the second: spreadsheet serials carry floating-point noise (…T09:59:59.999).
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const h = t.getUTCHours();
  const m = t.getUTCMinutes();
  const s = t.getUTCSeconds();
  return h === 0 && m === 0 && s === 0 ? date : `${date} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Excel serial date (1900 system, or 1904 when `date1904`) → Date in UTC. */
export function serialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Trailing empty cells removed: width of the significant part of a row. */
export function trimTrailingEmpty(cells: string[]): string[] {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  cells.length = n;
  return cells;
}

/** Whether every cell is empty or blank. */
export function allBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/** A spreadsheet row padded with empty cells to the header's width (a sheet has no ragged rows: cells are empty). */
export function padTo(cells: string[], width: number): string[] {
  while (cells.length < width) cells.push('');
  return cells;
}

/**
 * The cell budget of one sheet read (`MIN_SHEET_CELLS`, or `SHEET_CELLS_PER_BYTE` per byte of the file; padding to
 * the header's width included): call the returned function with each row before padding it; it throws
 * `LimitExceeded` naming the first row beyond the budget.
 */
export function sheetCellBudget(width: number, fileBytes: number): (line: number, cells: number) => void {
  const max = Math.max(MIN_SHEET_CELLS, SHEET_CELLS_PER_BYTE * fileBytes);
  let budget = max;
  return (line, cells) => {
    budget -= Math.max(width, cells);
    if (budget < 0) {
      throw new LimitExceeded(
        `the sheet holds more than ${grouped(max)} cells (rows × the header's ${grouped(width)} columns; at most ` +
          `${grouped(MIN_SHEET_CELLS)}, or ${SHEET_CELLS_PER_BYTE} per byte of the file)`,
        line,
        'A',
      );
    }
  };
}
