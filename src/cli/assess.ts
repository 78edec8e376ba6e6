/**
 * `empreinte assess <path…>`: the command-line caller of the assess use case (`src/app/assess.ts`). It parses the
 * options into typed input, checks the outputs before any work, opens the output (stdout or a file written
 * atomically), picks the sink of the format and the terminal report, and lets the use case run. The edge reads the
 * clock (default reference date = today) and sets the exit code: 0 when the assessment ran, even with indicators in
 * error or rejected lines; 2 with one line `file:line:column: CODE message` on unusable input.
 */
import type { Command } from 'commander';
import { assess, type AssessInput, type RunRequest } from '../app/assess.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOutputFile, checkOutputFolder, openFileOut, unwritable } from '../app/adapters/file-out.js';
import { standardDeps } from '../app/deps.js';
import type { AssessNotice, AssessSink } from '../app/sink.js';
import { csvRowsSink } from '../app/sinks/csv-rows.js';
import { csvSummarySink } from '../app/sinks/csv-summary.js';
import { csvWideSink } from '../app/sinks/csv-wide.js';
import { indicatorTablesSink } from '../app/sinks/indicator-tables.js';
import { jsonSink, type TraceDetail } from '../app/sinks/json.js';
import { tableSink } from '../app/sinks/table.js';
import { xlsxSink } from '../app/sinks/xlsx.js';
import { mappingRefs, sourcePaths } from '../app/sources.js';
import type { TextOut } from '../app/text-out.js';
import type { TeleworkEntry } from '../engine/index.js';
import { csvFormat, type CsvLocale } from '../formats/csv-write.js';
import { removeStaleTempsIn, type TempFiles } from '../formats/temp-files.js';
import { parseDate } from '../inventory/cells.js';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { LIFECYCLE_STEPS, parseCriterion, parseStep, type LifecycleStep } from '../referential/codes.js';
import type { Profile } from '../referential/hypotheses.js';
import type { CliContext, Lang } from './lang.js';
import { openSink } from './output.js';
import { collect, mappedSources, mappingFiles, parseDateOption } from './options.js';
import { readSourcesFile } from './sources-file.js';
import { refuseOutputOnInput } from './paths.js';
import { issueLine } from './terminal.js';
import { printIgnoredRows, progressBar } from './report.js';
import { parseEncoding } from './validate.js';
import { runAssessUncertainty } from './uncertainty.js';

export { criteriaWithFactors } from '../app/assess.js';

export interface AssessOptions {
  readonly referential?: string[];
  readonly profile?: string;
  readonly date?: string;
  readonly period?: string;
  readonly lifetime?: string;
  readonly criteria?: string;
  readonly steps?: string;
  readonly format?: string;
  readonly summary?: boolean;
  /** `--format csv --long`: one row per indicator instead of one row per item. */
  readonly long?: boolean;
  /** `--sources <file>`: a YAML list of sources with their mapping and entity (`sources-file.ts`). */
  readonly sources?: string;
  /** `--locale fr|en` of the CSV outputs (default en). */
  readonly locale?: string;
  readonly out?: string;
  /** `--mapping <mapping>` for every source, or `--mapping <path>=<mapping>` for one (repeatable). */
  readonly mapping?: string | readonly string[];
  readonly rejects?: string;
  readonly electricity?: string;
  readonly organisation?: string;
  readonly strict?: boolean;
  readonly encoding?: string;
  readonly messagingUnit?: string;
  readonly refurbishedRule?: string;
  readonly telework?: string[];
  readonly hideLicensed?: boolean;
  /** `--trace short|full` (JSON rows: formula only, the default, or the whole trace); `--no-trace` sets it to false. */
  readonly trace?: boolean | string;
  /** `--uncertainty`: the summary with the F21 range of each total (src/cli/uncertainty.ts). */
  readonly uncertainty?: boolean;
}

export interface AssessIo {
  readonly err: (s: string) => void;
  readonly tty: boolean;
  readonly today: () => string;
  /** Language of the issue lines written on `err` (default en); the JSON/CSV output stays English. */
  readonly lang?: Lang;
  /** The run's temporary files (`--out`, rejects files), removed by the CLI entry on SIGINT/SIGTERM. */
  readonly temps?: TempFiles;
}

export const defaultIo: AssessIo = {
  err: (s) => void process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  today: () => new Date().toISOString().slice(0, 10),
};

const bad = (field: string, allowed: string, value: string) =>
  new EmpreinteError(issue('INP_BAD_ENUM', { field, allowed, value }));

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  const v = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!v) throw bad(field, allowed.join(', '), value);
  return v;
}

/** `country:employees:days[:entity]` → a telework entry (F14). */
export function parseTelework(spec: string): TeleworkEntry {
  const [country, employees, days, entity] = spec.split(':').map((x) => x.trim());
  const n = Number(employees);
  const d = Number(days);
  if (!country || !(n >= 0 && Number.isFinite(n)) || !(d >= 0 && d <= 366))
    throw bad('--telework', 'country:employees:daysPerYear[:entity], e.g. France:250:100', spec);
  return { country, employees: n, daysPerYear: d, ...(entity ? { entity } : {}) };
}

/** `--period yyyy` or `--period <date>..<date>` (both days included, §2.2; dates in any format of §2.1). */
export function parsePeriod(spec: string): { start: string; end: string } {
  const m = /^(\d{4})$/.exec(spec.trim());
  // Each end in any documented date format (§2.1), normalised to yyyy-MM-dd.
  const [start, end] = m
    ? [`${m[1]}-01-01`, `${m[1]}-12-31`]
    : spec.split('..').map((x) => parseDate(x.trim()) ?? undefined);
  if (start === undefined || end === undefined || end < start)
    throw new EmpreinteError(issue('INP_BAD_DATE', { field: '--period', value: spec }));
  return { start, end };
}

/** The run request from the options (profile, dates, criteria, steps…); the use case fills the defaults. */
export function runRequest(o: AssessOptions): RunRequest {
  const profile = oneOf<Profile>('--profile', o.profile, ['rcp', 'numecoeval'], 'rcp');
  const lifetime = oneOf('--lifetime', o.lifetime, ['real', 'fixed'], 'real');
  const referenceDate = parseDateOption('--date', o.date);
  const criteria = o.criteria?.split(',').map((c) => {
    const d = parseCriterion(c.trim());
    if (!d) throw bad('--criteria', 'criterion codes such as CLIMATE_CHANGE, RESOURCE_USE', c.trim());
    return d.code;
  });
  const steps = o.steps?.split(',').map((s): LifecycleStep => {
    const st = parseStep(s.trim());
    const step = LIFECYCLE_STEPS.find((x) => x === st);
    if (step === undefined) throw bad('--steps', LIFECYCLE_STEPS.join(', '), s.trim());
    return step;
  });
  const messagingVolumeUnit =
    o.messagingUnit !== undefined
      ? oneOf('--messaging-unit', o.messagingUnit, ['B', 'kB', 'MB', 'GB'], 'MB')
      : undefined;
  const telework = (o.telework ?? []).map(parseTelework);
  return {
    profile,
    ...(referenceDate !== undefined ? { referenceDate } : {}),
    ...(o.period !== undefined ? { period: parsePeriod(o.period) } : {}),
    ...(telework.length ? { telework } : {}),
    lifetimeMethod: lifetime === 'fixed' ? 'FIXE' : 'REEL',
    ...(criteria !== undefined ? { criteria } : {}),
    ...(steps !== undefined ? { steps } : {}),
    ...(o.organisation !== undefined ? { organisation: o.organisation } : {}),
    refurbishedRule: oneOf<'category' | 'line'>(
      '--refurbished-rule',
      o.refurbishedRule,
      ['category', 'line'],
      'category',
    ),
    ...(messagingVolumeUnit !== undefined ? { messagingVolumeUnit } : {}),
  };
}

/** How the rows of a format are laid out and written: `--summary`, `--long`, `--locale`. */
export interface FormatOptions {
  readonly summary?: boolean;
  readonly long?: boolean;
  readonly locale?: CsvLocale;
  /** How much of each trace JSON rows carry (default short). */
  readonly trace?: TraceDetail;
}

/**
 * The sink of an output format: a summary (JSON, CSV totals, table), indicator rows (JSON, CSV `--long`) or one row
 * per item (CSV, the default layout).
 */
export function formatSink(format: 'json' | 'csv' | 'table', options: FormatOptions, out: TextOut): AssessSink {
  if (format === 'table') return tableSink(out);
  if (format === 'json') return jsonSink(out, { rows: !options.summary, trace: options.trace ?? 'short' });
  const csv = csvFormat(options.locale ?? 'en');
  if (options.summary) return csvSummarySink(out, csv);
  return options.long ? csvRowsSink(out, csv) : csvWideSink(out, csv);
}

/** The count of rejected lines and where to find them, in the terminal's language. */
export function rejectedLine(rejected: number, rejectsDir: string | undefined, lang: Lang): string {
  if (lang === 'fr')
    return `${rejected} ligne(s) rejetée(s)${rejectsDir !== undefined ? ` ; voir les fichiers rejected_*.csv dans ${rejectsDir}` : ' (--rejects <dossier> pour les obtenir)'}\n`;
  return `${rejected} line(s) rejected${rejectsDir !== undefined ? `; see the rejected_*.csv files in ${rejectsDir}` : ' (use --rejects <dir> to get them)'}\n`;
}

/** What the terminal is told during an assessment: notices on stderr, a progress bar when it is a terminal. */
export function terminalReport(io: AssessIo): Pick<AssessSink, 'notice' | 'progress' | 'progressEnd'> {
  const lang = io.lang ?? 'en';
  const notice = (n: AssessNotice): void => {
    switch (n.type) {
      case 'referential-rows-ignored':
        return printIgnoredRows(io.err, n.issues, lang);
      case 'file-error':
        return io.err(issueLine(n.issue, lang) + '\n');
      case 'entry-skipped':
        return io.err(`${lang === 'fr' ? 'avertissement' : 'warning'}: ${issueLine(n.issue, lang)}\n`);
      case 'lines-rejected':
        io.err(rejectedLine(n.rejected, n.rejectsDir, lang));
        for (const i of n.samples) io.err(`  ${issueLine(i, lang)}\n`);
    }
  };
  if (!io.tty) return { notice };
  return { notice, progress: progressBar(io.err), progressEnd: () => io.err('\r' + ' '.repeat(50) + '\r') };
}

/** The use case's input from the command line: sources with the run's mapping, run request, reading options. */
export function assessInput(paths: readonly string[], o: AssessOptions): AssessInput {
  const encoding = parseEncoding(o.encoding);
  return {
    // A foreign export is read through --mapping, or through the built-in preset its header matches.
    // `--mapping <path>=<mapping>` applies to that source only (consolidation of several exports in one run).
    sources: mappedSources(paths, o.mapping),
    run: runRequest(o),
    ...(o.referential ? { referentials: o.referential } : {}),
    ...(o.electricity !== undefined ? { electricity: o.electricity } : {}),
    strict: Boolean(o.strict),
    ...(encoding ? { encoding } : {}),
    ...(o.rejects !== undefined ? { rejectsDir: o.rejects } : {}),
    trace: o.trace !== false,
    hideLicensed: Boolean(o.hideLicensed),
  };
}

/** `--format numecoeval|g4it --out <folder>`: the folder is created if needed, each table written atomically. */
async function indicatorTablesFolder(
  format: 'numecoeval' | 'g4it',
  dir: string,
  locale: CsvLocale,
  temps: TempFiles | undefined,
): Promise<AssessSink> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw unwritable(dir, e);
  }
  return indicatorTablesSink({
    format,
    locale,
    calculationDate: new Date(),
    open: (file) => openFileOut(join(dir, file), temps),
  });
}

/** Runs an assessment; throws EmpreinteError on unusable input (the caller prints it and exits 2). */
export async function runAssess(paths: readonly string[], o: AssessOptions, io: AssessIo = defaultIo): Promise<void> {
  if (o.uncertainty) return runAssessUncertainty(paths, o, io);
  const format = oneOf('--format', o.format, ['json', 'csv', 'xlsx', 'numecoeval', 'g4it', 'table'], 'table');
  const tables = format === 'numecoeval' || format === 'g4it';
  if ((format === 'xlsx' || tables) && o.out === undefined)
    throw new EmpreinteError(
      issue('OUT_FILE_REQUIRED', { format, what: tables ? 'the output folder' : 'the output file' }),
    );
  const locale = oneOf<CsvLocale>('--locale', o.locale, ['en', 'fr'], 'en');
  const trace =
    typeof o.trace === 'string' ? oneOf<TraceDetail>('--trace', o.trace, ['short', 'full'], 'short') : 'short';
  const listed = o.sources !== undefined ? await readSourcesFile(o.sources) : [];
  if (paths.length === 0 && listed.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<path…>',
        allowed: 'one or more inventory files or folders, or --sources <file>',
        value: '',
      }),
    );
  const base = assessInput(paths, o);
  // A large table's second part in a worker thread when only totals are written, or when the worker can render the
  // rows (the wide CSV to a file; issue 11: the second core); the other commands built on `assessInput` (compare,
  // explain, kpis, campaign reports) keep one thread.
  const input: AssessInput = { ...base, sources: [...base.sources, ...listed], parallel: true };
  // Outputs are checked before any work: never on or inside an input, and writable.
  const inputs = [
    ...sourcePaths(input.sources),
    ...mappingFiles(o.mapping),
    ...mappingRefs(listed),
    ...(o.sources !== undefined ? [o.sources] : []),
    ...(o.referential ?? []),
  ];
  await refuseOutputOnInput('--out', o.out, inputs);
  await refuseOutputOnInput('--rejects', o.rejects, inputs);
  if (o.out !== undefined) await (tables ? checkOutputFolder(o.out) : checkOutputFile(o.out));
  if (o.rejects !== undefined) {
    await checkOutputFolder(o.rejects);
    await removeStaleTempsIn(o.rejects, 'rejected_'); // left by a killed run, even if this one rejects nothing
  }
  const data =
    format === 'xlsx'
      ? xlsxSink(await openFileOut(o.out!, io.temps))
      : tables
        ? await indicatorTablesFolder(format, o.out!, locale, io.temps)
        : formatSink(
            format,
            { summary: Boolean(o.summary), long: Boolean(o.long), locale, trace },
            await openSink(o.out, io.temps),
          );
  const sink: AssessSink = { ...data, ...terminalReport(io) };
  await assess(standardDeps(io.today, io.temps), input, sink);
}

export function registerAssess(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('assess')
    .description(
      'compute the yearly footprint of an inventory (files or folders), per item, lifecycle step and criterion',
    )
    .argument('[path...]', 'inventory files or folders (CSV, XLSX, ODS; NumEcoEval, G4IT, native or mapped exports)')
    .option(
      '--sources <file>',
      'YAML list of sources, each with its mapping and entity (sources: [{path, mapping?, entity?}])',
    )
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--profile <profile>', 'rcp (ADEME RCP, default) or numecoeval (reproduces NumEcoEval/G4IT)', 'rcp')
    .option(
      '--date <date>',
      'calculation and reference date: yyyy-MM-dd, yyyyMMdd, dd/MM/yyyy or yyyy/MM/dd (default: today)',
    )
    .option(
      '--period <period>',
      'assessed period, yyyy or yyyy-MM-dd..yyyy-MM-dd, both days included (default: the calendar year of --date)',
    )
    .option('--lifetime <method>', 'real (dates, default) or fixed (dureeUsageInterne first)', 'real')
    .option('--criteria <list>', 'criteria to compute, comma-separated (default: those of the referential)')
    .option('--steps <list>', 'lifecycle steps, comma-separated (default: all four)')
    .option(
      '--format <format>',
      'json, csv (one row per item; --long: per indicator), xlsx (items, totals and breakdowns sheets; needs --out), numecoeval or g4it (their indicator tables, one CSV each in the --out folder) or table (summary)',
      'table',
    )
    .option('--summary', 'aggregates only, no per-item rows')
    .option(
      '--uncertainty',
      'with the summary (json or table): P5/P50/P95 of each total and its dominant factors (F21)',
    )
    .option('--long', 'with --format csv: one row per indicator (item × step × criterion) instead of one per item')
    .option('--locale <locale>', 'CSV locale: en (default: ";", "." decimals) or fr (";", decimal comma, UTF-8 BOM)')
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .option(
      '--mapping <mapping>',
      'column mapping (JSON/YAML file or preset id) for foreign exports; <path>=<mapping> for one source only (repeatable)',
      collect,
    )
    .option('--rejects <dir>', 'write rejected_<file>.csv files with the refused lines into this folder')
    .option(
      '--electricity <dataset>',
      'electricity factors: ademe, ember, boavizta (default: ademe for France, ember elsewhere)',
    )
    .option('--organisation <name>', "organisation of the batch (selects the organisation's referential rows)")
    .option('--messaging-unit <unit>', 'unit of volumeTotalMailEmis in messaging files: B, kB, MB, GB')
    .option('--refurbished-rule <rule>', 'upstream life rule: category (default) or line')
    .option('--telework <spec...>', 'telework boxes (RCP SI §4): country:employees:daysPerYear[:entity], repeatable')
    .option('--trace <detail>', 'traces of the JSON rows: short (the formula, default) or full (variables, origins)')
    .option('--no-trace', 'indicator rows without their trace (for very large JSON/CSV exports)')
    .option('--hide-licensed', 'replace factors under a non-open licence by "hidden data" in the traces written')
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .option('--encoding <enc>', 'force the input encoding: utf-8, utf-8-bom, windows-1252, iso-8859-1')
    .action(async (paths: string[], o: AssessOptions) => {
      await runAssess(paths, o, { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) });
    });
}

export type { Issue };
