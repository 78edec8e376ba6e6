/**
 * No silent zero (issue 11): an inventory that yields nothing must not be reported as a footprint of 0 kg.
 * - A file of which every line was rejected (a Snipe-IT export detected as datacenters, a wrong mapping) is `failed`
 *   with `INP_ALL_LINES_REJECTED`, naming the kind it was read as.
 * - A run that assesses no item at all stops with `INP_INVENTORY_EMPTY`, naming the files read and their kinds.
 * Used by the assess and validate use cases after the pipeline has read every file.
 */
import type { FileReport, InventoryResult } from '../inventory/pipeline/types.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** Whether a file was read without a single line imported. */
export const allLinesRejected = (f: FileReport): boolean => f.status === 'ok' && f.read > 0 && f.imported === 0;

/** The pipeline's result with every all-rejected file marked `failed` (`INP_ALL_LINES_REJECTED`). */
export function failAllRejected(result: InventoryResult): InventoryResult {
  if (!result.files.some(allLinesRejected)) return result;
  const files = result.files.map((f): FileReport =>
    allLinesRejected(f)
      ? {
          ...f,
          status: 'failed',
          fileError: issue(
            'INP_ALL_LINES_REJECTED',
            { rejected: f.rejected, kind: f.kind ?? 'unknown' },
            { file: f.file },
          ),
        }
      : f,
  );
  return { ...result, files, ok: false };
}

/** `INP_INVENTORY_EMPTY` for a run without any item, naming the files read and the kind each was read as. */
export function emptyInventory(files: readonly FileReport[]): EmpreinteError {
  const inputs = files.length
    ? files.map((f) => `${f.file} (${f.kind ?? 'unknown'}, ${f.imported}/${f.read})`).join('; ')
    : '—';
  return new EmpreinteError(issue('INP_INVENTORY_EMPTY', { inputs }));
}
