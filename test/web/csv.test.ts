import { describe, expect, it } from 'vitest';
import { csvFileName, tableCsv } from '../../src/web/csv.js';

describe('CSV exports of the dashboard tables', () => {
  const table = {
    header: ['Type', 'Valeur'],
    rows: [
      ['Laptop', 8706.958318852776],
      ['=HYPERLINK("x")', -5],
      ['a;b', 0.5],
    ],
  };

  it('is French-Excel friendly in French: BOM, `;`, decimal comma, 4 significant digits, formulas neutralised', () => {
    expect(tableCsv(table, 'fr')).toBe('\uFEFFType;Valeur\nLaptop;8707\n"\'=HYPERLINK(""x"")";-5\n"a;b";0,5\n');
  });

  it('is plain in English: no BOM, decimal point, exact numbers', () => {
    expect(tableCsv(table, 'en')).toBe('Type;Valeur\nLaptop;8706.958318852776\n"\'=HYPERLINK(""x"")";-5\n"a;b";0.5\n');
  });

  it('names the file from the title without accents', () => {
    expect(csvFileName("Vue d'ensemble — Répartition", '2024-12-31')).toBe('vue-d-ensemble-repartition-2024-12-31.csv');
    expect(csvFileName('***', '2025-01-01')).toBe('export-2025-01-01.csv');
  });
});
