/**
 * Main pass over one table (run in dependency order): each row checked (structure, parse, duplicates, references),
 * then accepted — indexed for dependants, counted and streamed to the sink — or rejected — counted, written to the
 * rejects file and given to the sink. Too many rejected lines fail the table.
 */
import { join } from 'node:path';
import { EmpreinteError, issue, type Issue } from '../../issues/catalogue.js';
import type { CsvTable } from '../../formats/csv.js';
import type { TextEncoding } from '../../formats/encoding.js';
import type { TableRow } from '../../formats/table.js';
import type { InventoryItem } from '../model.js';
import { RejectsWriter, rejectsFileName } from '../rejects.js';
import type { KeyIndex } from '../key-index.js';
import type { DuplicateKeys } from './natural-key.js';
import { rowContext, rowParser, structuralIssue, type ParseRow } from './parse.js';
import type { ReferenceIndex } from './references.js';
import type { RunState } from './run-state.js';
import {
  cellsOf,
  partRecords,
  rawOf,
  ROW_REFERENCE,
  ROW_REJECTED,
  rowChecks,
  type SecondPart,
  type SplitPlan,
} from './part.js';
import { rawRowReader } from './strict-keys.js';
import { batchedTable, type OpenedTable } from './table.js';
import type { InventorySink, Maybe } from './types.js';

class TooManyRejects extends Error {}

/** The rejected lines of one table: counted, written to its rejects file (opened at the first), given to the sink. */
class TableRejects {
  private writer: RejectsWriter | undefined;

  constructor(
    private readonly t: OpenedTable,
    private readonly run: RunState,
  ) {}

  async reject(row: TableRow, errors: readonly Issue[]): Promise<void> {
    const { t, run } = this;
    const rep = t.report;
    rep.rejected++;
    for (const e of errors) run.log.record(rep, e);
    const dir = run.options.rejectsDir;
    if (dir) {
      this.writer ??= this.openWriter(dir);
      await this.writer.write(row.line, row.raw, row.cells, errors);
    }
    const r = run.sink.rejected?.({ file: rep.file, kind: t.kind, line: row.line, raw: row.raw, errors });
    if (r) await r;
    if (rep.rejected > run.maxRejected) throw new TooManyRejects();
  }

  private openWriter(dir: string): RejectsWriter {
    const { t, run } = this;
    const table = t.info;
    const tempFiles = run.options.tempFiles;
    return new RejectsWriter(
      {
        dir,
        inputPath: t.path,
        sheet: table.sheet,
        delimiter: table.delimiter ?? ';',
        encoding: table.encoding as TextEncoding | undefined,
        rawHeader: (table as Partial<CsvTable>).rawHeader,
        header: table.header,
        ...(tempFiles ? { temps: tempFiles } : {}),
      },
      join(dir, rejectsFileName(t.path, table.sheet, run.rejectsNames)),
    );
  }

  /** Moves the rejects file into place; its path, or undefined when none was written. */
  finish(): Promise<string | undefined> {
    return this.writer?.finish() ?? Promise.resolve(undefined);
  }

  async discard(): Promise<void> {
    await this.writer?.discard();
  }
}

/** Streams an accepted item to the sink's callback of its kind. */
function emit(sink: InventorySink, item: InventoryItem, warnings: readonly Issue[]): Maybe<void> | undefined {
  switch (item.kind) {
    case 'entity':
      return sink.entity?.(item.item, warnings);
    case 'datacenter':
      return sink.datacenter?.(item.item, warnings);
    case 'physical-equipment':
      return sink.physical?.(item.item, warnings);
    case 'virtual-equipment':
      return sink.virtual?.(item.item, warnings);
    case 'application':
      return sink.application?.(item.item, warnings);
    case 'non-it':
      return sink.nonIt?.(item.item, warnings);
    case 'messaging':
      return sink.messaging?.(item.item, warnings);
  }
}

/**
 * Main pass over table `t`: `keys` holds the natural keys of its kind met so far (lenient duplicates), `references`
 * the accepted lines of the kinds before it. The table's report is complete when this returns.
 */
export async function streamTable(
  t: OpenedTable,
  run: RunState,
  duplicates: DuplicateKeys,
  references: ReferenceIndex,
  plan?: SplitPlan,
): Promise<void> {
  const { sink, log, strict } = run;
  const rep = t.report;
  const file = rep.file;
  const ctx = rowContext(t, run.mode, run.options);
  const parse = rowParser(t, ctx);
  const keys: KeyIndex = duplicates.of(t.kind);
  const cells = strict ? rawRowReader(t) : undefined;
  const rejects = new TableRejects(t, run);
  const second = plan ? run.options.secondPart?.(plan.spec) : undefined;
  let sized = strict !== undefined; // strict mode checks duplicates in its own pass, not with `keys`
  const take = async (batch: readonly TableRow[]): Promise<void> => {
    if (!sized && batch.length > 0) {
      sized = true;
      const rows = expectedRows(t, batch);
      if (rows !== undefined) keys.reserve(keys.size + rows);
    }
    for (const row of batch) {
      rep.read++;
      const structural = structuralIssue(t, row);
      if (structural) {
        await rejects.reject(row, [structural]);
        continue;
      }
      const res = parse(row);
      if (strict && cells) {
        // Strict: every copy of a duplicated key is rejected, next to the line's own errors (G4IT).
        const dup = strict.duplicate(t, cells(row), row.line);
        if (!res.ok || dup) {
          await rejects.reject(row, [...(res.ok ? [] : res.errors), ...(dup ? [dup] : [])]);
          continue;
        }
      } else {
        if (!res.ok) {
          await rejects.reject(row, res.errors);
          continue;
        }
        const dup = duplicates.check(t, keys, res.item, row.line);
        if (dup) {
          await rejects.reject(row, [dup]);
          continue;
        }
      }
      const item = res.item;
      // References (§2.11), and the warnings of an accepted line.
      const { warnings, error } = rowChecks(t, references, item, res.warnings, row.line);
      if (error) {
        await rejects.reject(row, [error]);
        continue;
      }
      // Accepted: index it for dependants, count, stream.
      rep.imported++;
      for (const w of warnings) log.record(rep, w);
      references.accept(item);
      const r = emit(sink, item, warnings);
      if (r) await r;
    }
  };
  try {
    if (plan === undefined || second === undefined) {
      for await (const batch of run.progress.batches(t)) await take(batch);
    } else {
      for await (const batch of run.progress.firstPart(t, plan.first)) await take(batch);
      if (plan.first.held()) {
        if (ctx.numbers?.seenDecimalComma) {
          // The worker parsed `1,234` without knowing of the first part's decimal comma: read again here.
          await second.close();
          const { rows, counters } = await partRecords(plan.spec);
          let last = 0;
          for await (const batch of rows) {
            await take(batch);
            run.progress.advance(counters.bytes - last);
            last = counters.bytes;
          }
          rep.blankLines += counters.blank;
        } else {
          await takePart(t, run, second, { keys, rejects, parse }, duplicates);
        }
      }
    }
  } catch (e) {
    if (e instanceof TooManyRejects) {
      log.fail(rep, issue('INP_TOO_MANY_REJECTS', { max: run.maxRejected }, { file }));
    } else if (e instanceof EmpreinteError) {
      log.fail(rep, e.issue);
    } else {
      await rejects.discard();
      throw e;
    }
  } finally {
    await second?.close();
  }
  if (rep.read !== rep.imported + rep.rejected) {
    throw new Error(
      `invariant violated for ${file}: read ${rep.read} ≠ imported ${rep.imported} + rejected ${rep.rejected}`,
    );
  }
  const out = await rejects.finish();
  if (out) rep.rejectsFile = out;
}

/**
 * About how many lines table `t` has, from its size and the characters per line of its first batch (a CSV table read
 * as text; undefined otherwise): to size the natural-key index once instead of doubling it on the way.
 */
function expectedRows(t: OpenedTable, batch: readonly TableRow[]): number | undefined {
  if (batchedTable(t.info) === undefined) return undefined;
  let chars = 0;
  for (const row of batch) {
    if (row.raw === undefined) return undefined;
    chars += row.raw.length + 1;
  }
  return Math.ceil((t.size * batch.length) / chars);
}

/**
 * The second part's rows, in order, as `take` above treats the rows it reads: the worker parsed and checked them; the
 * duplicate check (against every key met so far), the rejects, the counts and the sink happen here.
 */
async function takePart(
  t: OpenedTable,
  run: RunState,
  second: SecondPart,
  first: { keys: KeyIndex; rejects: TableRejects; parse: ParseRow },
  duplicates: DuplicateKeys,
): Promise<void> {
  const { sink, log } = run;
  const rep = t.report;
  const { keys, rejects, parse } = first;
  const delimiter = t.info.delimiter ?? ';';
  let last = 0;
  for await (const b of second.batches) {
    const items = sink.partResults?.(b.results);
    const { lines, verdicts, keys: fps, issues } = b;
    keys.warm(fps, lines.length); // the probes below then find their slots cached (a rejected row's key is 0: slot 0)
    for (let i = 0; i < lines.length; i++) {
      rep.read++;
      const line = lines[i]!;
      const verdict = verdicts[i]!;
      if (verdict === ROW_REJECTED) {
        await rejects.reject({ line, raw: rawOf(b, i), cells: b.cells.get(i) ?? [] }, issues.get(i) ?? []);
        continue;
      }
      const firstLine = keys.addFingerprintIfAbsent(fps[2 * i]!, fps[2 * i + 1]!, run.positions.of(t, line));
      if (firstLine !== undefined) {
        items?.skip();
        // A duplicate: the row parsed again here for the key's label (as rare as duplicates are).
        const raw = rawOf(b, i);
        const row = { line, raw, cells: b.cells.get(i) ?? cellsOf(raw, delimiter) };
        const res = parse(row);
        if (!res.ok) throw new Error(`line ${line} of ${rep.file} parsed in the worker but not here`);
        await rejects.reject(row, [duplicates.issue(t, res.item, line, firstLine)]);
        continue;
      }
      if (verdict === ROW_REFERENCE) {
        await rejects.reject({ line, raw: rawOf(b, i), cells: b.cells.get(i) ?? [] }, issues.get(i) ?? []);
        continue;
      }
      rep.imported++;
      const warnings = issues.size > 0 ? issues.get(i) : undefined;
      if (warnings) for (const w of warnings) log.record(rep, w);
      const r = items?.accept();
      if (r) await r;
    }
    run.progress.advance(b.bytes - last);
    last = b.bytes;
  }
  const end = second.end();
  run.progress.advance(end.bytes - last);
  rep.blankLines += end.blank;
}
