/**
 * A tabular source (CSV file, spreadsheet sheet) seen as a header plus rows with their 1-based physical line numbers.
 * Knows nothing of equipment: `src/inventory` and `src/referential` give the cells meaning.
 */
export interface TableRow {
  /** 1-based physical line of the row's first line (header = line 1). */
  readonly line: number;
  readonly cells: readonly string[];
  /** The raw text of the record as read (for rejects files), when the source is text. */
  readonly raw?: string;
}

export interface TableInfo {
  readonly file: string;
  readonly format: 'csv' | 'xlsx' | 'ods';
  /** Detected or forced encoding, for text sources. */
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly header: readonly string[];
  /** Sheet name for spreadsheets. */
  readonly sheet?: string;
}

export interface Table extends TableInfo {
  readonly rows: AsyncIterable<TableRow>;
}
