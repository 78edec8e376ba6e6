/**
 * Glue between mappings and the inventory pipeline (`src/inventory/pipeline.ts`, `MapTable` / `TableMapping`):
 * `--mapping <file|preset>` applies one mapping to every table; without it, `autoMapTable` recognises the headers of
 * the built-in presets (GLPI, OCS Inventory, Intune, Snipe-IT, Lansweeper) that the native detection does not know,
 * reading the first rows of a table when its header alone cannot tell two presets apart (GLPI monitors/phones).
 */
import type { Table, TableInfo } from '../../formats/table.js';
import { EmpreinteError } from '../../issues/catalogue.js';
import { detectKind } from '../detect.js';
import type { MapTable, TableMapping } from '../pipeline.js';
import { applyMapping, type AppliedMapping } from './apply.js';
import { presetMapping, readMapping } from './loader.js';
import type { Mapping } from './model.js';
import { detectPreset, presetNeedsRows } from './presets/index.js';
import { SAMPLE_ROWS } from './presets/values.js';

/** An applied mapping in the pipeline's `TableMapping` shape. */
export function toTableMapping(applied: AppliedMapping): TableMapping {
  return {
    kind: applied.kind,
    name: applied.mapping.name,
    map: (cells, line) => applied.map(cells, line),
    sourceColumn: (canonical) => applied.display(canonical),
  };
}

/** One mapping for every table (throws `INP_HEADER_MISSING` for a table whose header lacks a mapped column). */
export function mapTableWith(mapping: Mapping): MapTable {
  return (table: TableInfo) =>
    toTableMapping(applyMapping(mapping, table.header, { file: table.file, delimiter: table.delimiter }));
}

/**
 * Preset auto-detection: a table whose header matches a preset signature, and is not entirely made of native
 * column names, is read through that preset (with its default parameters, e.g. `defaultCountry`). Other tables:
 * undefined (native path).
 */
export function autoMapTable(parameters: Readonly<Record<string, string>> = {}): MapTable {
  return async (table: TableInfo) => {
    let preset = detectPreset(table.header);
    if (presetNeedsRows(preset, table.header)) preset = detectPreset(table.header, await firstRows(table));
    if (!preset) return undefined;
    // A header every column of which a native kind knows stays native; otherwise the preset wins (GLPI's English
    // `Name` and `Location` alone would make a datacenter header).
    const native = detectKind(table.header, { file: table.file });
    if (native.ok && native.unknown.length === 0) return undefined;
    return toTableMapping(
      applyMapping(presetMapping(preset.id, parameters), table.header, {
        file: table.file,
        delimiter: table.delimiter,
      }),
    );
  };
}

/**
 * The cells of the first `SAMPLE_ROWS` rows of a table, when the table can be read (the readers' `rows` are
 * re-iterable: the pipeline reads the table again from its start). A table that cannot be read yet gives the rows
 * read so far; its problem is reported when the pipeline reads it.
 */
export async function firstRows(table: TableInfo, n = SAMPLE_ROWS): Promise<string[][]> {
  const rows = (table as Partial<Table>).rows;
  const out: string[][] = [];
  if (!rows) return out;
  try {
    for await (const r of rows) {
      out.push([...r.cells]);
      if (out.length >= n) break;
    }
  } catch (e) {
    if (!(e instanceof EmpreinteError)) throw e;
  }
  return out;
}

/** `--mapping <file|preset>` → the pipeline hook (the form `src/cli/validate.ts` loads). */
export async function loadMapping(arg: string, parameters: Readonly<Record<string, string>> = {}): Promise<MapTable> {
  return mapTableWith(await readMapping(arg, parameters));
}
