/**
 * CSV exports of the dashboard's tables: the project's one CSV writer (src/formats/csv-write.ts, pure, no Node API)
 * with the locale of the interface — French: `;`, decimal comma, UTF-8 BOM, numbers rounded to 4 significant digits
 * (French Excel opens it with numbers as numbers); English: `;`, decimal point, exact numbers. Text cells starting with
 * `=`, `+`, `-`, `@`, tab or CR are neutralised with a `'` (CSV injection).
 */
import { csvFormat, csvText, type CsvValue } from '../formats/csv-write.js';
import type { Lang } from './format.js';

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvValue[])[];
}

/** The file's text (BOM included for French). */
export function tableCsv(table: CsvTable, lang: Lang): string {
  return csvText(table.header, table.rows, csvFormat(lang));
}

/** A file name from a title: letters, digits and dashes only, with the date: `vue-d-ensemble-2024-12-31.csv`. */
export function csvFileName(title: string, date: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'export'}-${date}.csv`;
}
