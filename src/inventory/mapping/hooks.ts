/**
 * Glue between mappings and the inventory pipeline (`src/inventory/pipeline.ts`, `MapTable` / `TableMapping`):
 * `--mapping <file|preset>` applies one mapping to every table; without it, `autoMapTable` recognises the headers of
 * the built-in presets (GLPI, OCS Inventory, Intune) that the native detection does not know.
 */
import type { TableInfo } from '../../formats/table.js';
import { detectKind } from '../detect.js';
import type { MapTable, TableMapping } from '../pipeline.js';
import { applyMapping, type AppliedMapping } from './apply.js';
import { presetMapping, readMapping } from './loader.js';
import type { Mapping } from './model.js';
import { detectPreset } from './presets/index.js';

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
  return (table: TableInfo) => toTableMapping(applyMapping(mapping, table.header, { file: table.file }));
}

/**
 * Preset auto-detection: a table whose header matches a preset signature, and is not entirely made of native
 * column names, is read through that preset (with its default parameters, e.g. `defaultCountry`). Other tables:
 * undefined (native path).
 */
export function autoMapTable(parameters: Readonly<Record<string, string>> = {}): MapTable {
  return (table: TableInfo) => {
    const preset = detectPreset(table.header);
    if (!preset) return undefined;
    // A header every column of which a native kind knows stays native; otherwise the preset wins (GLPI's English
    // `Name` and `Location` alone would make a datacenter header).
    const native = detectKind(table.header, { file: table.file });
    if (native.ok && native.unknown.length === 0) return undefined;
    return toTableMapping(applyMapping(presetMapping(preset.id, parameters), table.header, { file: table.file }));
  };
}

/** `--mapping <file|preset>` → the pipeline hook (the form `src/cli/validate.ts` loads). */
export async function loadMapping(arg: string, parameters: Readonly<Record<string, string>> = {}): Promise<MapTable> {
  return mapTableWith(await readMapping(arg, parameters));
}
