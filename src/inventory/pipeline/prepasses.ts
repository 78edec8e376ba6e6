/**
 * Passes that read tables before the main pass and stream nothing: strict mode's key pass over every table, and the
 * index pre-pass over physical equipment, VMs and applications for the sink's `index*` callbacks (after datacenters,
 * before physical equipment). A file error met here is reported by the main pass.
 */
import { EmpreinteError } from '../../issues/catalogue.js';
import { DuplicateKeys } from './natural-key.js';
import { rowContext, rowParser, structuralIssue } from './parse.js';
import type { ReferenceIndex } from './references.js';
import type { RunState } from './run-state.js';
import { rawRowReader, type StrictKeys } from './strict-keys.js';
import type { OpenedTable } from './table.js';
import type { InventorySink, Maybe } from './types.js';

/** Strict key pass: counts the raw natural key of every line of every table before the main pass. */
export async function strictKeyPass(tables: readonly OpenedTable[], run: RunState, keys: StrictKeys): Promise<void> {
  for (const t of tables) {
    if (t.report.status === 'failed') continue;
    const cells = rawRowReader(t);
    try {
      for await (const batch of run.progress.batches(t)) {
        for (const row of batch) {
          if (structuralIssue(t, row)) continue;
          keys.count(t, cells(row), row.line);
        }
      }
    } catch (e) {
      if (!(e instanceof EmpreinteError)) throw e; // reported by the main pass
    }
  }
}

/** The tables the index pre-pass reads, for the sink's index callbacks present. */
export function indexPrepassTables(tables: readonly OpenedTable[], sink: InventorySink): OpenedTable[] {
  const of = (kind: OpenedTable['kind']) => tables.filter((t) => t.kind === kind);
  return [
    // Physical equipment is pre-passed only for F3 statistics: useless when a file has no upstream-life column.
    ...(sink.indexPhysical
      ? of('physical-equipment').filter(
          (t) => t.columns.via === 'mapping' || t.columns.resolution.columns.includes('dureeUsageAmont'),
        )
      : []),
    ...(sink.indexVirtual ? of('virtual-equipment') : []),
    ...(sink.indexApplication ? of('application') : []),
  ];
}

/**
 * Index pre-pass: every line that the main pass will accept as far as can be known before hosts arrive (it parses,
 * is not a duplicate and, for physical equipment, its datacenter exists) goes to the sink's index callback.
 */
export async function indexPrepass(
  tables: readonly OpenedTable[],
  run: RunState,
  references: ReferenceIndex,
): Promise<void> {
  const { sink, strict } = run;
  const duplicates = new DuplicateKeys(run.mode, run.positions); // per kind across files, as in the main pass
  for (const t of tables) {
    if (t.report.status === 'failed') continue;
    const parse = rowParser(t, rowContext(t, run.mode, run.options));
    const keys = duplicates.of(t.kind);
    const cells = strict ? rawRowReader(t) : undefined;
    try {
      for await (const batch of run.progress.batches(t)) {
        for (const row of batch) {
          if (structuralIssue(t, row)) continue;
          const res = parse(row);
          if (!res.ok) continue;
          const item = res.item;
          const dup =
            strict && cells ? strict.duplicate(t, cells(row), row.line) : duplicates.check(t, keys, item, row.line);
          if (dup) continue;
          let r: Maybe<void> | undefined;
          switch (item.kind) {
            case 'physical-equipment': {
              const dc = item.item.datacenter;
              if (dc !== undefined && !references.hasDatacenter(dc)) continue;
              r = sink.indexPhysical?.(item.item);
              break;
            }
            case 'virtual-equipment':
              r = sink.indexVirtual?.(item.item);
              break;
            case 'application':
              r = sink.indexApplication?.(item.item);
              break;
            default:
              break;
          }
          if (r) await r;
        }
      }
    } catch (e) {
      if (!(e instanceof EmpreinteError)) throw e; // reported by the main pass
    }
  }
}
