/**
 * An opened table of the run (a CSV file, a sheet): its kind, how its columns are read (its own header or a mapping),
 * its report, and the means to read its rows again for a later pass.
 */
import type { CsvTable } from '../../formats/csv.js';
import type { Table } from '../../formats/table.js';
import type { HeaderResolution } from '../detect.js';
import type { InventoryKind } from '../model.js';
import type { TableReader, TableReaderOptions } from '../readers.js';
import type { Report } from './report.js';
import type { TableMapping } from './types.js';

/** How a table's cells become canonical columns: its header as detected, or a mapping of a foreign export. */
export type TableColumns =
  | { readonly via: 'header'; readonly resolution: HeaderResolution }
  | { readonly via: 'mapping'; readonly mapping: TableMapping };

/** Where a table comes from: the reader that opened it, to open it again when it cannot be iterated twice. */
export interface TableOrigin {
  /** Path as given or found in a folder (for a stream source, its name). */
  readonly path: string;
  /** The file actually read (differs from `path` for a stream source, copied to a temporary file). */
  readonly readPath: string;
  /** Index of the file in the run (positions `file:line` in duplicate messages). */
  readonly fileIdx: number;
  readonly reader: TableReader;
  readonly readerOptions: TableReaderOptions;
  /** Index of the table among those the reader returned (sheets). */
  readonly tableIdx: number;
}

/** A CSV table read in batches (the fast path), as opposed to a table read row by row. */
export function batchedTable(t: Table): CsvTable | undefined {
  return (t as Partial<CsvTable>).batches !== undefined ? (t as CsvTable) : undefined;
}

export class OpenedTable {
  private consumed = false;

  constructor(
    readonly origin: TableOrigin,
    private readonly first: Table,
    readonly kind: InventoryKind,
    readonly columns: TableColumns,
    /** Bytes of the table (a share of the file for a sheet), for progress. */
    readonly size: number,
    readonly report: Report,
    /** Entity given to this table's items that name none (`InputSource.entity`). */
    readonly entity: string | undefined,
  ) {}

  get path(): string {
    return this.origin.path;
  }

  get fileIdx(): number {
    return this.origin.fileIdx;
  }

  /** The table as first opened (header, format, delimiter, encoding). */
  get info(): Table {
    return this.first;
  }

  /** The header name of a canonical column (as the user wrote it, or the mapping's source column), for issues. */
  columnName(canonical: string): string {
    if (this.columns.via === 'mapping') return this.columns.mapping.sourceColumn?.(canonical) ?? canonical;
    const { columns, display } = this.columns.resolution;
    const i = columns.indexOf(canonical);
    return i >= 0 ? (display[i] ?? canonical) : canonical;
  }

  /** The table for one more pass: the first one, or re-opened when it was consumed and cannot be iterated again. */
  async forPass(): Promise<Table> {
    let table = this.first;
    if (this.consumed && !batchedTable(table)) {
      const { reader, readPath, readerOptions, tableIdx } = this.origin;
      const t = await reader(readPath, readerOptions);
      table = (Array.isArray(t) ? (t as readonly Table[])[tableIdx] : (t as Table)) ?? table;
    }
    this.consumed = true;
    return table;
  }
}
