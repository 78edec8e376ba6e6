/**
 * `empreinte assess <path…>`: reads an inventory (files or folders, NumEcoEval/G4IT/native or mapped exports), runs the
 * pure engine item by item as the pipeline streams them, and writes indicators (JSON/CSV) or a summary (table).
 * The edge reads the clock once (default reference date = today) and sets the exit code: 0 when the assessment ran,
 * even with indicators in error or rejected lines; 2 with one line `file:line:column: CODE message` on unusable input.
 */
import type { Command } from 'commander';
import { Aggregator, Assessment, indicatorRows, type RunContext, type TeleworkEntry } from '../engine/index.js';
import type { ItemResult } from '../engine/result.js';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { removeStaleTempsIn, type TempFiles } from '../formats/temp-files.js';
import { parseDate } from '../inventory/cells.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import { processInventory, type FileReport, type InventorySink } from '../inventory/pipeline.js';
import {
  LIFECYCLE_STEPS,
  MANDATORY_CRITERIA,
  parseCriterion,
  parseStep,
  type LifecycleStep,
} from '../referential/codes.js';
import { engineHooks } from '../engine/hooks.js';
import type { Profile } from '../referential/hypotheses.js';
import type { Referential } from '../referential/model.js';
import { hideLicensedValues } from './hide-licensed.js';
import type { CliContext, Lang } from './lang.js';
import { loadActiveReferential } from './load-referential.js';
import {
  checkOutputFile,
  checkOutputFolder,
  csvHeader,
  csvRow,
  jsonRow,
  openSink,
  renderTable,
  totalsCsv,
} from './output.js';
import { refuseOutputOnInput } from './paths.js';
import { issueLine } from './terminal.js';
import { autoMapTable } from '../inventory/mapping/hooks.js';
import { loadMapping, parseEncoding, progressBar } from './validate.js';

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
  readonly out?: string;
  readonly mapping?: string;
  readonly rejects?: string;
  readonly electricity?: string;
  readonly organisation?: string;
  readonly strict?: boolean;
  readonly encoding?: string;
  readonly messagingUnit?: string;
  readonly refurbishedRule?: string;
  readonly telework?: string[];
  readonly hideLicensed?: boolean;
  /** `--no-trace` sets it to false: indicator rows without their trace (large exports). */
  readonly trace?: boolean;
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

const defaultIo: AssessIo = {
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

/** `--period yyyy` or `--period yyyy-MM-dd..yyyy-MM-dd` (both days included, §2.2). */
export function parsePeriod(spec: string): { start: string; end: string } {
  const m = /^(\d{4})$/.exec(spec.trim());
  const [start, end] = m ? [`${m[1]}-01-01`, `${m[1]}-12-31`] : spec.split('..').map((x) => x.trim());
  const valid = (d: string | undefined) =>
    d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) && parseDate(d) !== undefined;
  if (!valid(start) || !valid(end) || end! < start!)
    throw new EmpreinteError(issue('INP_BAD_DATE', { field: '--period', value: spec }));
  return { start: start!, end: end! };
}

/** Build the run context from the options (the only place that reads the clock). */
export function runContext(o: AssessOptions, io: AssessIo, declaredCriteria: readonly string[]): RunContext {
  const profile = oneOf<Profile>('--profile', o.profile, ['rcp', 'numecoeval'], 'rcp');
  const lifetime = oneOf('--lifetime', o.lifetime, ['real', 'fixed'], 'real');
  let referenceDate = io.today();
  if (o.date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date) || parseDate(o.date) === undefined)
      throw new EmpreinteError(issue('INP_BAD_DATE', { field: '--date', value: o.date }));
    referenceDate = o.date;
  }
  const criteria =
    o.criteria !== undefined
      ? o.criteria.split(',').map((c) => {
          const d = parseCriterion(c.trim());
          if (!d) throw bad('--criteria', 'criterion codes such as CLIMATE_CHANGE, RESOURCE_USE', c.trim());
          return d.code;
        })
      : declaredCriteria.length > 0
        ? [...declaredCriteria]
        : [...MANDATORY_CRITERIA];
  const steps: LifecycleStep[] =
    o.steps !== undefined
      ? o.steps.split(',').map((s) => {
          const st = parseStep(s.trim());
          if (!st || !(LIFECYCLE_STEPS as readonly string[]).includes(st))
            throw bad('--steps', LIFECYCLE_STEPS.join(', '), s.trim());
          return st as LifecycleStep;
        })
      : [...LIFECYCLE_STEPS];
  const messagingVolumeUnit =
    o.messagingUnit !== undefined
      ? oneOf('--messaging-unit', o.messagingUnit, ['B', 'kB', 'MB', 'GB'], 'MB')
      : undefined;
  const telework = (o.telework ?? []).map(parseTelework);
  return {
    profile,
    referenceDate,
    ...(o.period !== undefined ? { period: parsePeriod(o.period) } : {}),
    ...(telework.length ? { telework } : {}),
    lifetimeMethod: lifetime === 'fixed' ? 'FIXE' : 'REEL',
    criteria,
    steps,
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

/** Runs an assessment; throws EmpreinteError on unusable input (the caller prints it and exits 2). */
export async function runAssess(paths: readonly string[], o: AssessOptions, io: AssessIo = defaultIo): Promise<void> {
  const format = oneOf('--format', o.format, ['json', 'csv', 'table'], 'table');
  const encoding = parseEncoding(o.encoding);
  const profile = oneOf<Profile>('--profile', o.profile, ['rcp', 'numecoeval'], 'rcp');
  // Outputs are checked before any work: never on or inside an input, and writable.
  const inputs = [...paths, o.mapping, ...(o.referential ?? [])];
  await refuseOutputOnInput('--out', o.out, inputs);
  await refuseOutputOnInput('--rejects', o.rejects, inputs);
  if (o.out !== undefined) await checkOutputFile(o.out);
  if (o.rejects !== undefined) {
    await checkOutputFolder(o.rejects);
    await removeStaleTempsIn(o.rejects, 'rejected_'); // left by a killed run, even if this one rejects nothing
  }
  const { referential, issues: refIssues } = await loadActiveReferential({
    ...(o.referential ? { referential: o.referential } : {}),
    profile,
    ...(o.organisation !== undefined ? { organisation: o.organisation } : {}),
    ...(o.electricity !== undefined ? { electricity: o.electricity } : {}),
  });
  const lang = io.lang ?? 'en';
  const refErrors = refIssues.filter((i) => i.severity === 'R');
  for (const i of refErrors.slice(0, 20)) io.err(`warning: ${issueLine(i, lang)} (row ignored)\n`);
  if (refErrors.length > 20) io.err(`warning: ${refErrors.length - 20} more referential rows ignored\n`);
  if (o.electricity !== undefined) {
    const datasets = new Set<string>();
    for (const m of referential.electricity.values()) for (const f of m.values()) datasets.add(f.dataset);
    if (!datasets.has(o.electricity)) throw bad('--electricity', [...datasets].sort().join(', '), o.electricity);
  }
  const ctx = runContext(o, io, criteriaWithFactors(referential));
  const hooks = engineHooks(referential, { profile: ctx.profile });
  const a = new Assessment(referential, ctx, hooks);
  const agg = new Aggregator(a.layout, referential);
  const rows = format !== 'table' && !o.summary;
  const sink = await openSink(o.out, io.temps);
  const failed: FileReport[] = [];
  let first = true;
  // The document's head is written with the first row or at the end, never before the files are opened: a file that
  // fails to open leaves nothing on stdout.
  let head: string | undefined;
  const write = (text: string): void | Promise<void> => {
    if (head !== undefined) {
      text = head + text;
      head = undefined;
    }
    return sink.write(text);
  };

  const emit = (r: ItemResult): void | Promise<void> => {
    agg.add(r);
    if (!rows) return;
    let chunk = '';
    for (const raw of indicatorRows(r, a.layout, o.trace !== false)) {
      const row = o.hideLicensed && raw.trace ? { ...raw, trace: hideLicensedValues(raw.trace) } : raw;
      chunk += format === 'json' ? (first ? '\n' : ',\n') + jsonRow(row) : csvRow(row);
      first = false;
    }
    if (chunk) return write(chunk);
  };

  try {
    const meta = a.meta();
    if (format === 'json') head = `{"meta":${JSON.stringify(meta)}${rows ? ',"indicators":[' : ''}`;
    if (format === 'csv' && rows) head = csvHeader();

    const sinkImpl: InventorySink = {
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
      opened: (reports) => {
        const broken = reports.filter((r) => r.status === 'failed');
        if (broken.length === 0) return;
        for (const f of broken.slice(1)) io.err(issueLine(f.fileError!, lang) + '\n');
        throw new EmpreinteError(broken[0]!.fileError!);
      },
      fileDone: (rep) => {
        if (rep.status === 'failed') failed.push(rep);
      },
    };
    const result = await processInventory(
      paths,
      {
        mode: o.strict ? 'strict' : 'lenient',
        referenceDate: ctx.referenceDate,
        periodStart: meta.period.start,
        profile: ctx.profile,
        ...(encoding ? { encoding } : {}),
        ...(o.rejects !== undefined ? { rejectsDir: o.rejects } : {}),
        ...(io.temps ? { tempFiles: io.temps } : {}),
        ...(io.tty ? { onProgress: progressBar(io.err) } : {}),
        // A foreign export is read through --mapping, or through the built-in preset its header matches.
        mapTable: o.mapping !== undefined ? await loadMapping(o.mapping) : autoMapTable(),
        isKnownType: (t) => a.env.itemType(t) !== undefined,
        knownTypeNames: a.env.knownTypeNames(100).join(', '),
        isKnownLocation: (l) => referential.electricity.has(a.env.locationKey(l)),
      },
      sinkImpl,
    );
    if (io.tty) io.err('\r' + ' '.repeat(50) + '\r');
    if (failed.length > 0) {
      for (const f of failed.slice(1)) io.err(issueLine(f.fileError!, lang) + '\n');
      throw new EmpreinteError(failed[0]!.fileError!);
    }
    for (const b of a.telework()) await emit(b);
    const totals = agg.result();
    const inventory = result.files.map((f) => ({
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
    for (const f of result.files)
      for (const i of f.issues.filter((x) => x.code === 'INP_ENTRY_SKIPPED'))
        io.err(`warning: ${issueLine(i, lang)}\n`);
    if (format === 'json') {
      await write(
        `${rows ? '\n]' : ''},"inventory":${JSON.stringify(inventory)},"totals":${JSON.stringify(totals)}}\n`,
      );
    } else if (format === 'csv' && !rows) {
      await write(totalsCsv(totals));
    } else if (format === 'table') {
      const lines = inventory.map(
        (f) =>
          `Input ${f.file}: ${f.kind ?? '?'}, ${f.read} lines read, ${f.imported} imported, ${f.rejected} rejected, ${f.warnings} warnings`,
      );
      await write(renderTable(meta, totals, lines));
    }
    const rejected = result.totals.rejected;
    if (rejected > 0) {
      io.err(
        `${rejected} line(s) rejected${o.rejects ? `; see the rejected_*.csv files in ${o.rejects}` : ' (use --rejects <dir> to get them)'}\n`,
      );
      for (const f of result.files)
        for (const i of f.issues.filter((x) => x.severity === 'R').slice(0, 5)) io.err(`  ${issueLine(i, lang)}\n`);
    }
    await sink.close();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

export function registerAssess(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('assess')
    .description(
      'compute the yearly footprint of an inventory (files or folders), per item, lifecycle step and criterion',
    )
    .argument('<path...>', 'inventory files or folders (CSV, XLSX, ODS; NumEcoEval, G4IT, native or mapped exports)')
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--profile <profile>', 'rcp (ADEME RCP, default) or numecoeval (reproduces NumEcoEval/G4IT)', 'rcp')
    .option('--date <date>', 'calculation and reference date yyyy-MM-dd (default: today)')
    .option(
      '--period <period>',
      'assessed period, yyyy or yyyy-MM-dd..yyyy-MM-dd, both days included (default: the calendar year of --date)',
    )
    .option('--lifetime <method>', 'real (dates, default) or fixed (dureeUsageInterne first)', 'real')
    .option('--criteria <list>', 'criteria to compute, comma-separated (default: those of the referential)')
    .option('--steps <list>', 'lifecycle steps, comma-separated (default: all four)')
    .option('--format <format>', 'json, csv (indicator rows) or table (summary)', 'table')
    .option('--summary', 'aggregates only, no per-item rows')
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .option('--mapping <file>', 'column mapping for a foreign export (JSON or YAML)')
    .option('--rejects <dir>', 'write rejected_<file>.csv files with the refused lines into this folder')
    .option(
      '--electricity <dataset>',
      'electricity factors: ademe, ember, boavizta (default: ademe for France, ember elsewhere)',
    )
    .option('--organisation <name>', "organisation of the batch (selects the organisation's referential rows)")
    .option('--messaging-unit <unit>', 'unit of volumeTotalMailEmis in messaging files: B, kB, MB, GB')
    .option('--refurbished-rule <rule>', 'upstream life rule: category (default) or line')
    .option('--telework <spec...>', 'telework boxes (RCP SI §4): country:employees:daysPerYear[:entity], repeatable')
    .option('--no-trace', 'indicator rows without their trace (for very large JSON/CSV exports)')
    .option('--hide-licensed', 'replace factors under a non-open licence by "hidden data" in the traces written')
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .option('--encoding <enc>', 'force the input encoding: utf-8, utf-8-bom, windows-1252, iso-8859-1')
    .action(async (paths: string[], o: AssessOptions) => {
      await runAssess(paths, o, { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) });
    });
}

export type { Issue };
