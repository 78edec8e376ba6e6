/**
 * `--format numecoeval|g4it --out <folder>` (issue 11): the indicator rows in the output tables of NumEcoEval
 * (`ind_indicateur_impact_equipement_physique.csv`, …) or G4IT (`ind_physical_equipment.csv`, …), their columns as
 * `src/outputs/indicator-formats.ts` gives them, so that downstream tools made for those products (Power BI templates,
 * scripts) read Empreinte's results. One CSV per table the run has rows for, each opened on its first row and
 * committed (or discarded) with the run; values exact (other tools sum them), in the run's CSV locale.
 */
import type { Layout } from '../../engine/layout.js';
import type { ItemResult } from '../../engine/result.js';
import { csvFormat, csvPreamble, csvRecord, type CsvFormat, type CsvLocale } from '../../formats/csv-write.js';
import {
  G4IT_INDICATOR_COLUMNS,
  NUMECOEVAL_INDICATOR_COLUMNS,
  g4itRowsOf,
  indicatorExportContext,
  numecoevalRowsOf,
  type IndicatorCell,
  type IndicatorExportContext,
} from '../../outputs/indicator-formats.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';

export type IndicatorTablesFormat = 'numecoeval' | 'g4it';

export interface IndicatorTablesOptions {
  readonly format: IndicatorTablesFormat;
  readonly locale?: CsvLocale;
  /** When the calculation ran (`date_calcul` / `calculationDate`): the caller reads the clock. */
  readonly calculationDate: Date | string;
  /** Opens the output of one table (`<table>.csv` in the output folder). */
  readonly open: (file: string) => Promise<TextOut>;
}

/** The file name of each table of a format. */
export function indicatorTableFiles(format: IndicatorTablesFormat): string[] {
  const tables = format === 'numecoeval' ? NUMECOEVAL_INDICATOR_COLUMNS : G4IT_INDICATOR_COLUMNS;
  return Object.keys(tables).map((t) => `${t}.csv`);
}

export function indicatorTablesSink(options: IndicatorTablesOptions): AssessSink {
  const locale = csvFormat(options.locale ?? 'en');
  const format: CsvFormat = { delimiter: locale.delimiter, decimalComma: locale.decimalComma, bom: locale.bom };
  const columns: Record<string, readonly string[]> =
    options.format === 'numecoeval' ? NUMECOEVAL_INDICATOR_COLUMNS : G4IT_INDICATOR_COLUMNS;
  const outs = new Map<string, TextOut>();
  let ctx: IndicatorExportContext | undefined;
  let layout: Layout | undefined;
  const rowsOf = (r: ItemResult): Iterable<{ table: string; cells: IndicatorCell[] }> =>
    options.format === 'numecoeval'
      ? numecoevalRowsOf(r, layout!, ctx!)
      : [...g4itRowsOf(r, layout!, ctx!)].map(({ file, cells }) => ({ table: file, cells }));
  const write = async (table: string, text: string): Promise<void> => {
    let out = outs.get(table);
    if (out === undefined) {
      out = await options.open(`${table}.csv`);
      outs.set(table, out);
      text = csvPreamble(columns[table] ?? [], format) + text;
    }
    await out.write(text);
  };
  return {
    rows: true,
    begin: (meta, l) => {
      if (l === undefined) throw new Error('the indicator tables need the run layout');
      layout = l;
      ctx = indicatorExportContext(meta, options.calculationDate);
    },
    item: async (r) => {
      // An item's rows grouped per table, one write each.
      const chunks = new Map<string, string>();
      for (const { table, cells } of rowsOf(r))
        chunks.set(table, (chunks.get(table) ?? '') + csvRecord(cells, format) + '\n');
      for (const [table, text] of chunks) await write(table, text);
    },
    totals: () => undefined,
    close: async () => {
      for (const out of outs.values()) await out.close();
    },
    abort: async () => {
      for (const out of outs.values()) await out.abort();
    },
  };
}
