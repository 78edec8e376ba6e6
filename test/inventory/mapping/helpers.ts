import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { openCsv } from '../../../src/formats/csv.js';
import type { Issue } from '../../../src/issues/catalogue.js';
import { applyMapping, detectPreset, presetMapping } from '../../../src/inventory/mapping/index.js';
import { firstRows } from '../../../src/inventory/mapping/hooks.js';
import { parseRecord, type RowContext } from '../../../src/inventory/parse-row.js';

/** The shared real-format samples, beside the repository (`../shared/samples/`), whatever the working folder. */
export const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/samples') + '/';

export interface SampleRow {
  readonly line: number;
  readonly ok: boolean;
  readonly item?: Record<string, unknown>;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export const FIXTURES = 'test/fixtures/mapping/';

/**
 * Read a sample file as it is, detect its preset from its header and first rows (as `autoMapTable` does), map and
 * parse every row (reference date 2025-12-31). `dir`: the shared samples by default.
 */
export async function readSample(
  file: string,
  parameters: Record<string, string> = {},
  dir = SAMPLES,
): Promise<{ preset: string | undefined; rows: Map<number, SampleRow>; encoding?: string }> {
  const table = await openCsv(dir + file);
  const preset = detectPreset(table.header, await firstRows(table));
  const rows = new Map<number, SampleRow>();
  if (!preset) return { preset: undefined, rows };
  const applied = applyMapping(presetMapping(preset.id, parameters), table.header, {
    file,
    delimiter: table.delimiter,
  });
  const ctx: RowContext = {
    mode: 'lenient',
    file,
    referenceDate: '2025-12-31',
    numbers: { delimiter: table.delimiter },
  };
  for await (const row of table.rows) {
    const { record, issues } = applied.map(row.cells, row.line);
    const res = parseRecord(applied.kind, record, row.line, ctx, applied.display);
    const mappingErrors = issues.filter((i) => i.severity !== 'W');
    if (res.ok && mappingErrors.length === 0) {
      rows.set(row.line, {
        line: row.line,
        ok: true,
        item: (res.item as unknown as { item: Record<string, unknown> }).item,
        errors: [],
        warnings: res.warnings,
      });
    } else {
      rows.set(row.line, {
        line: row.line,
        ok: false,
        errors: [...mappingErrors, ...(res.ok ? [] : res.errors)],
        warnings: res.warnings,
      });
    }
  }
  return { preset: preset.id, rows, encoding: table.encoding };
}

/** The item read from line `line` of a sample, which must be there without an error. */
export function ok(rows: Map<number, SampleRow>, line: number): Record<string, unknown> {
  const r = rows.get(line);
  expect(r, `line ${line}`).toBeDefined();
  expect(
    r!.errors.map((e) => e.code),
    `line ${line}`,
  ).toEqual([]);
  return r!.item!;
}

/** The errors of line `line` of a sample, which must be rejected, as `code:column`. */
export function rejected(rows: Map<number, SampleRow>, line: number): string[] {
  const r = rows.get(line);
  expect(r?.ok, `line ${line}`).toBe(false);
  return r!.errors.map((e) => `${e.code}:${e.column ?? ''}`);
}
