import { openCsv } from '../../../src/formats/csv.js';
import type { Issue } from '../../../src/issues/catalogue.js';
import { applyMapping, detectPreset, presetMapping } from '../../../src/inventory/mapping/index.js';
import { parseRecord, type RowContext } from '../../../src/inventory/parse-row.js';

export const SAMPLES = '/work/shared/samples/';

export interface SampleRow {
  readonly line: number;
  readonly ok: boolean;
  readonly item?: Record<string, unknown>;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

/** Read a sample file as it is, detect its preset, map and parse every row (reference date 2025-12-31). */
export async function readSample(
  file: string,
  parameters: Record<string, string> = {},
): Promise<{ preset: string | undefined; rows: Map<number, SampleRow> }> {
  const table = await openCsv(SAMPLES + file);
  const preset = detectPreset(table.header);
  const rows = new Map<number, SampleRow>();
  if (!preset) return { preset: undefined, rows };
  const applied = applyMapping(presetMapping(preset.id, parameters), table.header, { file });
  const ctx: RowContext = { mode: 'lenient', file, referenceDate: '2025-12-31' };
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
  return { preset: preset.id, rows };
}
