/**
 * Map and validate steps: a row's structure (problem rows, width), then its cells mapped to canonical columns (for a
 * foreign export) and parsed into an item with its warnings, or its errors. The source's default entity is given to
 * items that name none.
 */
import { issue, type Issue } from '../../issues/catalogue.js';
import { fits, isProblemRow } from '../../formats/csv.js';
import type { TableRow } from '../../formats/table.js';
import type { ValidationMode } from '../columns.js';
import type { HeaderResolution } from '../detect.js';
import type { InventoryItem } from '../model.js';
import { compileRowParser, recordParser, type RowContext, type RowResult } from '../parse-row.js';
import type { OpenedTable } from './table.js';
import type { ProcessOptions, TableMapping } from './types.js';

export type ParseRow = (row: TableRow) => RowResult;

const NO_WARNINGS: readonly Issue[] = Object.freeze([]);

/** The context rows of a table are parsed in (a new one per pass: it carries the file's number-reading state). */
export function rowContext(t: OpenedTable, mode: ValidationMode, options: ProcessOptions): RowContext {
  return {
    mode,
    file: t.report.file,
    referenceDate: options.referenceDate,
    periodStart: options.periodStart,
    profile: options.profile,
    numbers: { delimiter: t.info.delimiter },
    isKnownType: options.isKnownType,
    knownTypeNames: options.knownTypeNames,
    isKnownLocation: options.isKnownLocation,
  };
}

/** Structural problem of a row (a record the CSV layer could not split, a wrong number of cells), if any. */
export function structuralIssue(t: OpenedTable, row: TableRow): Issue | undefined {
  const file = t.report.file;
  if (isProblemRow(row)) return issue('INP_BAD_RECORD', { reason: row.problem }, { file, line: row.line });
  const width = t.info.header.length;
  if (row.cells.length !== width && !fits(row.cells, width)) {
    return issue('INP_FIELD_COUNT', { expected: width, found: row.cells.length }, { file, line: row.line });
  }
  return undefined;
}

/** The row parser of a table: its compiled header parser, or its mapping followed by the record parser. */
export function rowParser(t: OpenedTable, ctx: RowContext): ParseRow {
  const parse =
    t.columns.via === 'mapping' ? mappedParser(t, t.columns.mapping, ctx) : headerParser(t, t.columns.resolution, ctx);
  return t.entity === undefined ? parse : withEntity(parse, t.entity);
}

function headerParser(t: OpenedTable, resolution: HeaderResolution, ctx: RowContext): ParseRow {
  const { columns, display } = resolution;
  const parse = compileRowParser(t.kind, columns, ctx, display);
  return (row) => parse(row.cells, row.line);
}

function mappedParser(t: OpenedTable, m: TableMapping, ctx: RowContext): ParseRow {
  const sourceColumn = m.sourceColumn?.bind(m);
  const parseRecord = recordParser(t.kind, ctx, sourceColumn);
  return (row) => {
    const mapped = m.map(row.cells, row.line);
    const mappingIssues = (mapped.issues ?? []).map((i) => ({
      ...i,
      file: i.file ?? ctx.file,
      line: i.line ?? row.line,
    }));
    const errors = mappingIssues.filter((i) => i.severity !== 'W');
    const res = parseRecord(mapped.record, row.line);
    const warnings = [...mappingIssues.filter((i) => i.severity === 'W'), ...res.warnings];
    if (!res.ok || errors.length > 0) {
      return { ok: false, errors: [...errors, ...(res.ok ? [] : res.errors)], warnings };
    }
    return { ok: true, item: res.item, warnings: warnings.length ? warnings : NO_WARNINGS };
  };
}

/** Gives `entity` to the parsed items that name none (entities themselves excepted). */
function withEntity(parse: ParseRow, entity: string): ParseRow {
  return (row) => {
    const res = parse(row);
    return res.ok ? { ...res, item: defaultEntity(res.item, entity) } : res;
  };
}

/** The item with `entity` when it names none (entities themselves unchanged). */
export function defaultEntity(item: InventoryItem, entity: string): InventoryItem {
  if (item.kind === 'entity' || item.item.entity !== undefined) return item;
  switch (item.kind) {
    case 'datacenter':
      return { kind: item.kind, item: { ...item.item, entity } };
    case 'physical-equipment':
      return { kind: item.kind, item: { ...item.item, entity } };
    case 'virtual-equipment':
      return { kind: item.kind, item: { ...item.item, entity } };
    case 'application':
      return { kind: item.kind, item: { ...item.item, entity } };
    case 'non-it':
      return { kind: item.kind, item: { ...item.item, entity } };
    case 'messaging':
      return { kind: item.kind, item: { ...item.item, entity } };
  }
}
