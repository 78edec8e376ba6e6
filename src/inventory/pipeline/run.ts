/**
 * `processInventory`: the pipeline's steps in order, each given the state it needs (see `src/inventory/pipeline.ts`
 * for what the steps guarantee).
 *
 * 1. read: open every table and choose how its columns are read (`open.ts`); the sink's `opened` sees the reports;
 * 2. strict mode only: the key pass over every table (`prepasses.ts`, `strict-keys.ts`);
 * 3. per kind in dependency order (`KIND_ORDER`), with the index pre-pass before physical equipment: each table
 *    mapped, validated, checked against the keys and references indexed so far, and streamed (`stream.ts`);
 * 4. accounting: `fileDone` for every table and for every file that failed before its rows were read; totals.
 *
 * Stream sources are copied to temporary files first (`spool.ts`), removed when the run ends, whatever the outcome.
 */
import { KIND_ORDER } from '../columns.js';
import { tableReaders } from '../readers.js';
import { DuplicateKeys, LinePositions } from './natural-key.js';
import { openInventory } from './open.js';
import { indexPrepass, indexPrepassTables, strictKeyPass } from './prepasses.js';
import { splitPlan } from './part.js';
import { ReadProgress } from './progress.js';
import { ReferenceIndex, referencedKinds } from './references.js';
import { IssueLog, summarise } from './report.js';
import type { RunState } from './run-state.js';
import { StreamSpool } from './spool.js';
import { StrictKeys } from './strict-keys.js';
import { streamTable } from './stream.js';
import type { OpenedTable } from './table.js';
import type { InputSource, InventoryResult, InventorySink, ProcessOptions } from './types.js';

const DEFAULT_MAX_REJECTED = 50_000;
const DEFAULT_MAX_ISSUES = 1000;
/** Initial capacity of the main pass's natural-key index of each kind. */
const KEYS_CAPACITY = 1 << 12;

/** Bytes all the passes will read: every table once (twice in strict mode), plus the index pre-pass's tables. */
function bytesToRead(tables: readonly OpenedTable[], prepass: readonly OpenedTable[], strict: boolean): number {
  const size = (ts: readonly OpenedTable[]) => ts.reduce((s, t) => s + t.size, 0);
  return size(tables) * (strict ? 2 : 1) + size(prepass);
}

/**
 * Read, validate and stream an inventory. Never throws for bad input: file-level problems are reported per file
 * (`status: 'failed'`, `fileError`); only programming errors and sink exceptions propagate.
 */
export async function processInventory(
  inputs: readonly (string | InputSource)[],
  options: ProcessOptions = {},
  sink: InventorySink = {},
): Promise<InventoryResult> {
  const spool = new StreamSpool(options.tempFiles, options.spoolDir);
  try {
    return await run(inputs, options, sink, spool);
  } finally {
    await spool.remove();
  }
}

async function run(
  inputs: readonly (string | InputSource)[],
  options: ProcessOptions,
  sink: InventorySink,
  spool: StreamSpool,
): Promise<InventoryResult> {
  const mode = options.mode ?? 'lenient';
  const log = new IssueLog(options.maxIssuesPerFile ?? DEFAULT_MAX_ISSUES);

  // 1. Read: open every table and detect its kind from the header (or map it).
  const settings = { readers: options.readers ?? tableReaders(), mode, encoding: options.encoding, spool };
  const { reports, tables, paths } = await openInventory(
    inputs,
    options.mapTable ? { ...settings, mapTable: options.mapTable } : settings,
    log,
  );
  const opened = sink.opened?.(reports);
  if (opened) await opened;

  const prepass = indexPrepassTables(tables, sink);
  const positions = new LinePositions(paths);
  const strict = mode === 'strict' ? new StrictKeys(positions) : undefined;
  const state: RunState = {
    mode,
    options,
    sink,
    log,
    progress: new ReadProgress(bytesToRead(tables, prepass, strict !== undefined), options.onProgress),
    positions,
    strict,
    maxRejected: options.maxRejectedLines ?? DEFAULT_MAX_REJECTED,
    rejectsNames: new Set<string>(),
  };
  const references = new ReferenceIndex(referencedKinds(tables), strict);
  const duplicates = new DuplicateKeys(mode, positions, KEYS_CAPACITY);

  // 2. Strict mode: the key pass over every table, before anything is streamed.
  if (strict) await strictKeyPass(tables, state, strict);

  // 3. Main pass in dependency order, with the index pre-pass before physical equipment.
  for (const kind of KIND_ORDER) {
    if (kind === 'physical-equipment') await indexPrepass(prepass, state, references);
    for (const t of tables) {
      if (t.kind !== kind) continue;
      const plan = await splitPlan(t, tables.length, prepass.includes(t), options, mode);
      await streamTable(t, state, duplicates, references, plan);
      const r = sink.fileDone?.(t.report);
      if (r) await r;
    }
  }

  // 4. Accounting: the files that failed before their rows were read are done too.
  const read = new Set(tables.map((t) => t.report));
  for (const rep of reports) {
    if (rep.status === 'failed' && !read.has(rep)) {
      const r = sink.fileDone?.(rep);
      if (r) await r;
    }
  }
  return summarise(reports);
}
