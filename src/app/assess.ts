/**
 * Use case: assess a set of sources. Builds the active referential and the run context, streams the inventory through
 * the pipeline into the engine item by item, and hands meta, items (with their indicator rows), totals and per-file
 * reports to a sink. Never reads `process`, never parses command-line options: the CLI, a server or steering's
 * scenarios call it with typed input and their own sink.
 *
 * Errors: throws `EmpreinteError` on unusable input (a file that cannot be read, an unknown electricity dataset, a bad
 * mapping), after aborting the sink; lines rejected and indicators in error are results, not errors.
 */
import { Aggregator, Assessment, indicatorRows, type IndicatorRow, type RunContext } from '../engine/index.js';
import { engineHooks } from '../engine/hooks.js';
import { TotalsUnpacker } from '../engine/totals-transfer.js';
import type { ItemResult } from '../engine/result.js';
import type { TextEncoding } from '../formats/encoding.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import { processInventory, type FileReport, type InventoryResult, type InventorySink } from '../inventory/pipeline.js';
import { maySplit, type PartSpec, type SplitSettings } from '../inventory/pipeline/part.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { LIFECYCLE_STEPS, MANDATORY_CRITERIA, parseCriterion } from '../referential/codes.js';
import type { Referential } from '../referential/model.js';
import type { AppDeps } from './deps.js';
import { hideLicensedValues } from './hide-licensed.js';
import { referentialChecks } from './parallel/checks.js';
import type { PartResults } from './parallel/protocol.js';
import { startPartWorker, type PartWorker } from './parallel/second-part.js';
import type { ReferentialOptions } from './load-referential.js';
import { emptyInventory, failAllRejected } from './no-silent-zero.js';
import type { AssessSink, AssessSummary, InventoryFileSummary } from './sink.js';
import type { RowsSpec } from './sinks/part-rows.js';
import { openSources, type Source } from './sources.js';

/** The run context as asked by the caller: reference date and criteria have defaults that need the clock/referential. */
export type RunRequest = Omit<RunContext, 'referenceDate' | 'criteria' | 'steps'> & {
  /** Default: `deps.today()`. */
  readonly referenceDate?: string;
  /** Default: the criteria the active referential can compute (`criteriaWithFactors`). */
  readonly criteria?: readonly string[];
  /** Default: the four lifecycle steps. */
  readonly steps?: RunContext['steps'];
};

export interface AssessInput {
  readonly sources: readonly Source[];
  readonly run: RunRequest;
  /** Referential folders or pack ids layered over the embedded pack, in order. */
  readonly referentials?: readonly string[];
  /** Electricity dataset (`ademe`, `ember`, `boavizta`…); must be one the referential has. */
  readonly electricity?: string;
  /** The G4IT loader's rules (§2.11); default lenient. */
  readonly strict?: boolean;
  readonly encoding?: TextEncoding;
  /** Folder for `rejected_<file>.csv` files. */
  readonly rejectsDir?: string;
  /** Indicator rows with their trace (default true). */
  readonly trace?: boolean;
  /** Traces with factors under a non-open licence replaced by "hidden data" (§4.0). */
  readonly hideLicensed?: boolean;
  /**
   * Whether a large table may be read in two parts, the second in a worker thread (issue 11; where it applies:
   * `src/inventory/pipeline/part.ts`), when the sink wants totals only or can have the worker render its rows
   * (`AssessSink.partRows`). Default false (one thread). Tests give the split's settings (a small file split where
   * they choose).
   */
  readonly parallel?: boolean | SplitSettings;
}

export interface AssessOutcome extends AssessSummary {
  /** The pipeline's per-file reports, issues included. */
  readonly result: InventoryResult;
}

/**
 * Default criteria (§2.2): those the active referential can compute — the criteria that have at least one item or
 * electricity factor (with the embedded pack alone, the five RCP mandatory criteria), mandatory ones first.
 */
export function criteriaWithFactors(ref: Referential): string[] {
  const found = new Set<string>();
  for (const item of ref.items.values()) for (const k of item.factors.keys()) found.add(k.slice(k.indexOf('|') + 1));
  for (const m of ref.electricity.values()) for (const c of m.keys()) found.add(c);
  const ordered = [
    ...MANDATORY_CRITERIA.filter((c) => found.has(c)),
    ...[...found].filter((c) => !MANDATORY_CRITERIA.includes(c)).sort(),
  ];
  return ordered.filter((c) => parseCriterion(c) !== undefined || ref.criteria.has(c));
}

/** The engine's run context from the request, the clock and the referential. */
export function buildRunContext(req: RunRequest, today: () => string, referential: Referential): RunContext {
  const { referenceDate, criteria, steps, ...rest } = req;
  const declared = criteriaWithFactors(referential);
  return {
    ...rest,
    referenceDate: referenceDate ?? today(),
    criteria: criteria ?? (declared.length > 0 ? declared : [...MANDATORY_CRITERIA]),
    steps: steps ?? [...LIFECYCLE_STEPS],
  };
}

/** The file reports as the outputs list them. */
export function inventorySummary(files: readonly FileReport[]): InventoryFileSummary[] {
  return files.map((f) => ({
    file: f.file,
    kind: f.kind,
    format: f.format,
    encoding: f.encoding,
    read: f.read,
    imported: f.imported,
    rejected: f.rejected,
    warnings: f.warnings,
    ...(f.rejectsFile ? { rejectsFile: f.rejectsFile } : {}),
  }));
}

/** The first file-level error of failed files; the others are told to the sink as notices. */
function failOnFiles(failed: readonly FileReport[], sink: AssessSink): void {
  const errors = failed.flatMap((f) => (f.fileError ? [f.fileError] : []));
  const first = errors[0];
  if (first === undefined) return;
  for (const e of errors.slice(1)) sink.notice?.({ type: 'file-error', issue: e });
  throw new EmpreinteError(first);
}

/** The electricity datasets of the embedded pack (`--electricity`). */
export const EMBEDDED_ELECTRICITY_DATASETS = ['ademe', 'boavizta', 'ember'] as const;

/** How much of each row's trace a run builds: none, the formula text alone when the sink writes nothing else of it, or whole. */
function traceOf(input: AssessInput, sink: AssessSink): boolean | 'formula' {
  return input.trace === false ? false : sink.traceDetail === 'formula' && !input.hideLicensed ? 'formula' : true;
}

/** Runs an assessment into `sink`; the sink is closed on success and aborted on failure. */
export async function assess(deps: AppDeps, input: AssessInput, sink: AssessSink): Promise<AssessOutcome> {
  const referentialOptions = {
    ...(input.referentials ? { referential: input.referentials } : {}),
    profile: input.run.profile,
    ...(input.run.organisation !== undefined ? { organisation: input.run.organisation } : {}),
    ...(input.electricity !== undefined ? { electricity: input.electricity } : {}),
  };
  const wantRows = sink.rows && sink.item !== undefined; // summaries: no row (nor generator) built per item
  const split = typeof input.parallel === 'object' ? input.parallel : undefined;
  // A sink that wants rows can still have a second part when the worker can render them for it (`partRows`).
  let rowsSpec: RowsSpec | undefined;
  try {
    rowsSpec = wantRows ? sink.partRows?.spec(traceOf(input, sink)) : undefined;
  } catch (e) {
    await sink.abort(); // the output's scratch file not made: its temporary file goes too
    throw e;
  }
  const splittable = !wantRows || rowsSpec !== undefined;
  // A large table's second part may go to a worker: started now when the input may be split, so that its modules and
  // referential load while this thread loads its own and opens the file (stopped at the end if no split came); the
  // pipeline decides the split (`splitPlan`) and starts one itself when none was started ahead.
  const worker =
    input.parallel &&
    splittable &&
    (await maySplit(
      input.sources.map((s) => ({
        path: 'path' in s ? s.path : '',
        mapped: !('path' in s) || (s.mapping !== undefined && s.mapping.type !== 'auto'),
      })),
      input.strict ? 'strict' : 'lenient',
      split,
    ))
      ? startPartWorker(referentialOptions)
      : undefined;
  try {
    return await assessWith(
      deps,
      input,
      sink,
      referentialOptions,
      wantRows,
      splittable ? { rowsSpec } : undefined,
      worker,
    );
  } finally {
    await worker?.close();
  }
}

async function assessWith(
  deps: AppDeps,
  input: AssessInput,
  sink: AssessSink,
  referentialOptions: ReferentialOptions,
  wantRows: boolean,
  /** Present when a large table may be split; `rowsSpec`: how the worker renders the sink's rows (none: totals only). */
  splittable: { readonly rowsSpec: RowsSpec | undefined } | undefined,
  worker: PartWorker | undefined,
): Promise<AssessOutcome> {
  // The sink may hold an open output (a temporary file): every failure from here aborts it.
  try {
    const { referential, issues: refIssues } = await deps.loadReferential(referentialOptions);
    const ignored = refIssues.filter((i) => i.severity === 'R');
    if (ignored.length > 0) sink.notice?.({ type: 'referential-rows-ignored', issues: ignored });
    if (input.electricity !== undefined) {
      // The merged referential keeps one factor per location, so a dataset that never wins (boavizta, under ademe and
      // ember) would be missing from the list: the embedded pack's datasets are always named.
      const datasets = new Set<string>(EMBEDDED_ELECTRICITY_DATASETS);
      for (const m of referential.electricity.values()) for (const f of m.values()) datasets.add(f.dataset);
      if (!datasets.has(input.electricity))
        throw new EmpreinteError(
          issue('INP_BAD_ENUM', {
            field: '--electricity',
            allowed: [...datasets].sort().join(', '),
            value: input.electricity,
          }),
        );
    }
    const ctx = buildRunContext(input.run, deps.today, referential);
    const a = new Assessment(referential, ctx, engineHooks(referential, { profile: ctx.profile }));
    const agg = new Aggregator(a.layout, referential);
    const withTrace = traceOf(input, sink);
    const rowsOf: (r: ItemResult) => Iterable<IndicatorRow> = input.hideLicensed
      ? function* (r) {
          for (const row of indicatorRows(r, a.layout, withTrace))
            yield row.trace ? { ...row, trace: hideLicensedValues(row.trace) } : row;
        }
      : (r) => indicatorRows(r, a.layout, withTrace);
    let items = 0;
    const emit = (r: ItemResult): void | Promise<void> => {
      items++;
      agg.add(r);
      if (wantRows) return sink.item?.(r, rowsOf(r));
    };

    // A large table's second part, assessed in a worker: its results are added here, in input order.
    // The worker started ahead, else one started now (a split that `maySplit` could not foresee: a folder's one file).
    // When the sink wants rows, the worker renders them (`partRows`) and their bytes are written here in their place.
    const unpacker = input.parallel && splittable ? new TotalsUnpacker(a.layout) : undefined;
    const rowsSpec = splittable?.rowsSpec;
    const partRows = rowsSpec !== undefined ? sink.partRows : undefined;
    let ahead = worker;
    const secondPart = unpacker
      ? (spec: PartSpec) => {
          const w = ahead ?? startPartWorker(referentialOptions);
          ahead = undefined;
          return w.start(spec, {
            referentialHash: referential.hash,
            ctx,
            ...(rowsSpec !== undefined ? { rows: rowsSpec } : {}),
          });
        }
      : undefined;

    const meta = a.meta();
    await sink.begin(meta, a.layout);
    const opened = await openSources(input.sources, deps);
    const failed: FileReport[] = [];
    const pipelineSink: InventorySink = {
      datacenter: (dc) => a.datacenter(dc),
      entity: (e) => {
        if (e.collaborators) agg.addCollaborators(e.collaborators);
      },
      ...(ctx.refurbishedRule === 'category' ? { indexPhysical: (pe: PhysicalEquipment) => a.indexUpstream(pe) } : {}),
      indexVirtual: (vm) => a.indexVirtual(vm),
      indexApplication: (app) => a.indexApplication(app),
      physical: (pe) => emit(a.physical(pe)),
      virtual: (vm) => emit(a.virtual(vm)),
      application: (app) => emit(a.application(app)),
      nonIt: (n) => emit(a.nonIt(n)),
      messaging: (m) => emit(a.messaging(m)),
      ...(unpacker
        ? {
            partResults: (results: unknown) => {
              const { totals, rows } = results as PartResults;
              const batch = unpacker.batch(totals);
              if (partRows === undefined || rows === undefined) {
                // `emit` without its rows (none are wanted), the strings by id.
                return {
                  accept: () => {
                    items++;
                    batch.addNext(agg);
                  },
                  skip: () => void batch.next(),
                };
              }
              // `emit` with the item's rows as the worker rendered them: bytes `ends[k - 1]..ends[k]` of item k, in the
              // batch's bytes or from offset `at` of the scratch file.
              const { ends } = rows;
              const write: (start: number, end: number) => unknown =
                'bytes' in rows
                  ? (start, end) => partRows.write(rows.bytes, start, end)
                  : (start, end) => partRows.spilled!(rows.at + start, rows.at + end);
              let k = 0;
              return {
                accept: () => {
                  items++;
                  batch.addNext(agg);
                  const start = k === 0 ? 0 : ends[k - 1]!;
                  return write(start, ends[k++]!) as void | Promise<void>;
                },
                skip: () => {
                  batch.next();
                  k++;
                },
              };
            },
          }
        : {}),
      // Every file is opened before any item is streamed: a broken one stops the run with nothing written.
      opened: (reports) =>
        failOnFiles(
          reports.filter((r) => r.status === 'failed'),
          sink,
        ),
      fileDone: (rep) => {
        if (rep.status === 'failed') failed.push(rep);
      },
    };
    const progress = sink.progress;
    const result = await processInventory(
      opened,
      {
        readers: deps.readers,
        ...(deps.spoolDir !== undefined ? { spoolDir: deps.spoolDir } : {}),
        mode: input.strict ? 'strict' : 'lenient',
        referenceDate: ctx.referenceDate,
        periodStart: meta.period.start,
        profile: ctx.profile,
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(input.rejectsDir !== undefined ? { rejectsDir: input.rejectsDir } : {}),
        ...(deps.temps ? { tempFiles: deps.temps } : {}),
        ...(progress ? { onProgress: (done: number, total: number) => progress(done, total) } : {}),
        ...referentialChecks(a, referential),
        knownTypeNames: a.env.knownTypeNames(100).join(', '),
        ...(secondPart ? { secondPart } : {}),
        ...(typeof input.parallel === 'object' ? { split: input.parallel } : {}),
      },
      pipelineSink,
    );
    sink.progressEnd?.();
    failOnFiles(failed, sink);
    // No silent zero: a file without a line imported, or a run without any item, is an error, not a total of 0.
    failOnFiles(
      failAllRejected(result).files.filter((f) => f.status === 'failed'),
      sink,
    );
    for (const b of a.telework()) await emit(b);
    if (items === 0) throw emptyInventory(result.files);
    const summary: AssessSummary = { meta, totals: agg.result(), inventory: inventorySummary(result.files) };
    for (const f of result.files)
      for (const i of f.issues) if (i.code === 'INP_ENTRY_SKIPPED') sink.notice?.({ type: 'entry-skipped', issue: i });
    await sink.totals(summary);
    if (result.totals.rejected > 0)
      sink.notice?.({
        type: 'lines-rejected',
        rejected: result.totals.rejected,
        ...(input.rejectsDir !== undefined ? { rejectsDir: input.rejectsDir } : {}),
        samples: result.files.flatMap((f) => f.issues.filter((x) => x.severity === 'R').slice(0, 5)),
      });
    await sink.close();
    return { ...summary, result };
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
