/**
 * Column mapping model (docs/mapping.md): how the columns of any fleet export (GLPI, OCS Inventory, Intune, a
 * purchasing spreadsheet) become the canonical columns of one inventory kind (`src/inventory/columns.ts`).
 * Validated with zod; the same schema describes user mapping files (JSON or YAML) and built-in presets.
 */
import { z } from 'zod';
import { KIND_ORDER } from '../columns.js';
import type { InventoryKind } from '../model.js';

/** One header name, or alternative spellings (the first present in the header is used). */
export const columnRefSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type ColumnRef = z.infer<typeof columnRefSchema>;

/** A test on one source cell: regex `pattern` (case-insensitive), or one of `values` (folded), or `empty`. */
export const conditionSchema = z
  .strictObject({
    column: columnRefSchema,
    pattern: z.string().min(1).optional(),
    values: z.array(z.string()).min(1).optional(),
    empty: z.boolean().optional(),
    /** Negates the test. */
    not: z.boolean().optional(),
  })
  .refine((c) => [c.pattern, c.values, c.empty].filter((x) => x !== undefined).length === 1, {
    message: 'a condition needs exactly one of pattern, values, empty',
  });
export type Condition = z.infer<typeof conditionSchema>;

/** `value` when every condition holds. */
export const ruleSchema = z.strictObject({ if: z.array(conditionSchema).min(1), value: z.string() });
export type Rule = z.infer<typeof ruleSchema>;

export const UNITS = [
  'B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB',
  'Wh', 'kWh', 'MWh', 'W', 'kWh/year',
] as const; // prettier-ignore

/**
 * Unit conversion of a numeric cell. `from: auto` reads the unit written after the number (`16 Gio`, `238.47 GiB`,
 * `1024 Mio`, `2 To`). `W` → `kWh/year` needs `hoursPerYear`. `round` rounds the result to an integer (`up`: upwards).
 */
export const unitSchema = z.strictObject({
  from: z.union([z.enum(UNITS), z.literal('auto')]),
  to: z.enum(UNITS),
  hoursPerYear: z.number().positive().max(8784).optional(),
  /** Round the result to an integer: `true` to the nearest, `up` to the next (memory reported below its installed size). */
  round: z.union([z.boolean(), z.literal('up')]).optional(),
});
export type UnitConversion = z.infer<typeof unitSchema>;

export const DATE_FORMATS = [
  'yyyy-MM-dd',
  'dd-MM-yyyy',
  'MM-dd-yyyy',
  'dd/MM/yyyy',
  'MM/dd/yyyy',
  'yyyy/MM/dd',
  'dd.MM.yyyy',
  'yyyyMMdd',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const fieldRuleSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** Source column (or alternative spellings). */
    from: columnRefSchema.optional(),
    /** Columns whose value is used, in order, when the source cell is empty. */
    fallback: z.array(columnRefSchema).min(1).optional(),
    /** The source/fallback columns may be absent from the header (the field is then empty). */
    optional: z.boolean().optional(),
    /** Constant value (instead of a column). `${parameter}` is replaced by the mapping's parameter. */
    value: z.union([z.string(), z.number()]).optional(),
    /** Value used when the result is empty. */
    default: z.union([z.string(), z.number()]).optional(),
    /** Value map, keys compared case-, accent- and space-insensitively. */
    map: z.record(z.string(), z.string()).optional(),
    /** Inference rules tried in order when the value is not in `map`. */
    rules: z.array(ruleSchema).optional(),
    /** What a value found neither in `map` nor by `rules` becomes: kept as written (default) or empty. */
    otherwise: z.enum(['keep', 'empty']).optional(),
    unit: unitSchema.optional(),
    /** Date format(s) of the source, tried in order; the result is ISO `yyyy-MM-dd`. Time parts are ignored. */
    date: z.union([z.enum(DATE_FORMATS), z.array(z.enum(DATE_FORMATS)).min(1)]).optional(),
  }),
]);
export type FieldRule = z.infer<typeof fieldRuleSchema>;

export const excludeSchema = z.strictObject({ if: z.array(conditionSchema).min(1), reason: z.string().min(1) });
export type Exclusion = z.infer<typeof excludeSchema>;

export const mappingSchema = z.strictObject({
  /** Inventory kind the mapped rows belong to. */
  kind: z.enum(KIND_ORDER as unknown as [InventoryKind, ...InventoryKind[]]).optional(),
  /** Built-in preset this mapping starts from (its fields and exclusions; this file's entries override them). */
  extends: z.string().min(1).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  /** Named values usable as `${name}` in `value`, `default`, `map` and rule values (e.g. `defaultCountry`). */
  parameters: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Target column (native English or NumEcoEval name) → source rule. */
  fields: z.record(z.string(), fieldRuleSchema).optional(),
  /** Rows refused by the mapping (each reported as INP_MAPPING_EXCLUDED with its reason). */
  exclude: z.array(excludeSchema).optional(),
});
export type MappingFile = z.infer<typeof mappingSchema>;

/** A resolved mapping: kind known, fields keyed by canonical column, parameters merged. */
export interface Mapping {
  readonly name: string;
  readonly kind: InventoryKind;
  readonly description?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldRule>>;
  readonly exclude: readonly Exclusion[];
  /** Where it comes from (file path or `preset:<id>`), for messages. */
  readonly source: string;
}

/** Header signature of a preset: every group must have one of its names in the header; `absent` names must not. */
export interface PresetSignature {
  readonly groups: readonly (readonly string[])[];
  readonly absent?: readonly string[];
}

export interface Preset {
  readonly id: string;
  readonly title: string;
  /** Export this preset reads (product, version, screen) — for docs and `mapping suggest`. */
  readonly source: string;
  readonly signature: PresetSignature;
  readonly mapping: MappingFile & { readonly kind: InventoryKind; readonly fields: Record<string, FieldRule> };
}
