/**
 * `empreinte validate <path…> [--mapping <mapping>|<path>=<mapping>…] [--sources <file>] [--rejects <dir>]
 * [--format json|table] [--strict]
 * [--encoding <enc>] [--date yyyy-MM-dd] [--referential <dir…>]`: reads and validates inventory files (issue 4) and
 * prints, per file, the detected kind, format, encoding, lines read, imported, rejected and warnings. Item types and
 * locations are checked against the active referential (`INP_UNKNOWN_TYPE`, `INP_UNKNOWN_LOCATION`): the embedded
 * default pack, with the `--referential` layers over it, built as `assess` builds it (load-referential.ts).
 *
 * Exit status: 0 when the validation ran (even with rejected lines); on a file-level error the report is printed, the
 * other file errors go to stderr and the first one is thrown as `EmpreinteError`, which the CLI entry point prints as
 * one line `file:line:column: CODE message` with exit 2.
 */
import type { Command } from 'commander';
import { checkOutputFolder } from '../app/adapters/file-out.js';
import { standardDeps } from '../app/deps.js';
import { mappingRefs, sourcePaths, type Source } from '../app/sources.js';
import type { RunObserver } from '../app/sink.js';
import { fileErrors, validate, validationReport, type ValidateInput } from '../app/validate.js';
import type { TextEncoding } from '../formats/encoding.js';
import { removeStaleTempsIn, type TempFiles } from '../formats/temp-files.js';
import { loadMapping as loadMappingHook } from '../inventory/mapping/hooks.js';
import type { FileReport, InventoryResult, MapTable } from '../inventory/pipeline.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import type { CliContext, Lang } from './lang.js';
import { collect, mappedSources, mappingFiles, parseDateOption } from './options.js';
import { readSourcesFile } from './sources-file.js';
import { refuseOutputOnInput } from './paths.js';
import { printIgnoredRows, progressBar } from './report.js';
import { issueLine, printable } from './terminal.js';

export { referentialChecks } from '../app/validate.js';
export { progressBar } from './report.js';

export interface ValidateOptions {
  /** `--mapping <mapping>` for every source, or `--mapping <path>=<mapping>` for one (repeatable), as `assess`. */
  readonly mapping?: string | readonly string[];
  /** `--sources <file>`: a YAML list of sources with their mapping and entity, as `assess`. */
  readonly sources?: string;
  readonly rejects?: string;
  readonly format?: string;
  readonly strict?: boolean;
  readonly encoding?: string;
  readonly date?: string;
  /** Referential folders or pack ids layered over the default pack (as `assess --referential`). */
  readonly referential?: readonly string[];
}

const ENCODINGS: Readonly<Record<string, TextEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8-bom',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
};

/** `--encoding` value → encoding (undefined when absent); throws `INP_BAD_ENUM` on an unknown name. */
export function parseEncoding(value: string | undefined): TextEncoding | undefined {
  if (value === undefined) return undefined;
  const encoding = ENCODINGS[value.toLowerCase()];
  if (!encoding) {
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--encoding', allowed: 'utf-8, utf-8-bom, windows-1252, iso-8859-1', value }),
    );
  }
  return encoding;
}

/** Output streams (injectable for tests). */
export interface ValidateIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Whether stderr is a terminal (draws a progress bar). */
  readonly tty: boolean;
  /** Today as `yyyy-MM-dd` (the edge reads the clock, §0). */
  readonly today: () => string;
  /** Language of the issue lines of the table report and of `err` (default en); the JSON report stays English. */
  readonly lang?: Lang;
  /** The run's temporary files (rejects files being written), removed by the CLI entry on SIGINT/SIGTERM. */
  readonly temps?: TempFiles;
}

const defaultIo: ValidateIo = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  today: () => new Date().toISOString().slice(0, 10),
};

/** A mapping by preset id or file (JSON/YAML) → the pipeline's hook (`src/inventory/mapping/hooks.ts`). */
export function loadMapping(file: string): Promise<MapTable> {
  return loadMappingHook(file);
}

/** The use case's input from the command line. */
export function validateInput(
  paths: readonly string[],
  o: ValidateOptions,
  listed: readonly Source[] = [],
): ValidateInput {
  const encoding = parseEncoding(o.encoding);
  const referenceDate = parseDateOption('--date', o.date);
  if (paths.length === 0 && listed.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<path…>',
        allowed: 'one or more inventory files or folders, or --sources <file>',
        value: '',
      }),
    );
  return {
    // Without --mapping, headers of the built-in presets (GLPI, OCS, Intune…) are recognised (docs/mapping.md);
    // `--mapping <path>=<mapping>` applies to that source only, as in `assess`.
    sources: [...mappedSources(paths, o.mapping), ...listed],
    ...(referenceDate !== undefined ? { referenceDate } : {}),
    strict: Boolean(o.strict),
    ...(encoding ? { encoding } : {}),
    ...(o.rejects !== undefined ? { rejectsDir: o.rejects } : {}),
    ...(o.referential ? { referentials: o.referential } : {}),
  };
}

/** What the terminal is told during a validation: referential warnings, a progress bar on a terminal. */
function terminalReport(io: ValidateIo, lang: Lang): RunObserver {
  return {
    notice: (n) => {
      if (n.type === 'referential-rows-ignored') printIgnoredRows(io.err, n.issues, lang);
    },
    ...(io.tty ? { progress: progressBar(io.err), progressEnd: () => io.err('\r' + ' '.repeat(40) + '\r') } : {}),
  };
}

/** Run a validation and print its report; returns the result (throws `EmpreinteError` on a file-level error). */
export async function runValidate(
  paths: readonly string[],
  o: ValidateOptions,
  io: ValidateIo = defaultIo,
): Promise<InventoryResult> {
  const format = o.format ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: format }));
  }
  const listed = o.sources !== undefined ? await readSourcesFile(o.sources) : [];
  const input = validateInput(paths, o, listed);
  // The rejects folder is checked before any work: never an input or inside one, and usable as a folder.
  await refuseOutputOnInput('--rejects', o.rejects, [
    ...sourcePaths(input.sources),
    ...mappingFiles(o.mapping),
    ...mappingRefs(listed),
    ...(o.sources !== undefined ? [o.sources] : []),
  ]);
  if (o.rejects !== undefined) {
    await checkOutputFolder(o.rejects);
    await removeStaleTempsIn(o.rejects, 'rejected_'); // left by a killed run, even if this one rejects nothing
  }
  const lang = io.lang ?? 'en';
  const result = await validate(standardDeps(io.today, io.temps), input, terminalReport(io, lang));
  io.out(format === 'json' ? JSON.stringify(toJson(result), null, 2) + '\n' : formatTable(result, lang));
  const [first, ...others] = fileErrors(result);
  if (first !== undefined) {
    for (const e of others) io.err(issueLine(e, lang) + '\n');
    throw new EmpreinteError(first);
  }
  return result;
}

/** JSON report: the pipeline result with each issue's English message. */
export const toJson = validationReport;

const SHOWN_ISSUES = 20;

/** Readable report: one row per file, then the first issues of each file (their messages in `lang`); terminal-safe. */
export function formatTable(result: InventoryResult, lang: Lang = 'en'): string {
  const head = ['file', 'kind', 'format', 'encoding', 'read', 'imported', 'rejected', 'warnings', 'status'];
  const rows = result.files.map((f: FileReport) => [
    f.sheet ? `${f.file} [${f.sheet}]` : f.file,
    f.kind ?? '?',
    [f.format, f.headerStyle].filter(Boolean).join('/') +
      (f.delimiter ? ` '${f.delimiter === '\t' ? '\\t' : f.delimiter}'` : ''),
    f.encoding ?? '',
    String(f.read),
    String(f.imported),
    String(f.rejected),
    String(f.warnings),
    f.status,
  ]);
  const t = result.totals;
  rows.push(['total', '', '', '', String(t.read), String(t.imported), String(t.rejected), String(t.warnings), '']);
  for (const r of rows) r.forEach((c, i) => (r[i] = printable(c, true)));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([4, 5, 6, 7]);
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const f of result.files) {
    if (f.issues.length === 0) continue;
    out.push(
      '',
      printable(
        `${f.file}: ${Object.entries(f.issueCounts)
          .map(([c, n]) => `${c} × ${n}`)
          .join(', ')}`,
        true,
      ),
    );
    for (const i of f.issues.slice(0, SHOWN_ISSUES)) out.push('  ' + issueLine(i, lang));
    const total = Object.values(f.issueCounts).reduce((a, b) => a + b, 0);
    if (total > SHOWN_ISSUES) out.push(`  … ${total - SHOWN_ISSUES} more (use --format json or --rejects <dir>)`);
    if (f.rejectsFile) out.push(printable(`  rejected lines written to ${f.rejectsFile}`, true));
  }
  return out.join('\n') + '\n';
}

export function registerValidate(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('validate [path...]')
    .description('Read and validate inventory files or folders; report per file what was imported and rejected')
    .option(
      '--mapping <mapping>',
      'column mapping (JSON/YAML file or preset id) for foreign exports; <path>=<mapping> for one source only (repeatable)',
      collect,
    )
    .option(
      '--sources <file>',
      'YAML list of sources, each with its mapping and entity (sources: [{path, mapping?, entity?}])',
    )
    .option('--rejects <dir>', 'write rejected_<file>.csv files with the refused lines into this folder')
    .option('--format <format>', 'json or table', 'table')
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--encoding <enc>', 'force the encoding: utf-8, utf-8-bom, windows-1252, iso-8859-1')
    .option('--date <date>', 'reference date yyyy-MM-dd for date checks (default: today)')
    .action(async (paths: string[], o: ValidateOptions) => {
      await runValidate(paths, o, { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) });
    });
}
