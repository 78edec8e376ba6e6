/**
 * `empreinte service <file…> [--format json|table] [--compare] [--inventory <path…>] [--referential <dir>]`:
 * assess digital-service descriptions (issue 5, methodology §2.10, §5). Bad input → one line on stderr, exit 2.
 * `--inventory` takes JSON indicator rows as written by `empreinte assess --format json` (an array, an object with an
 * `indicators` array, or one JSON row per line).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EmpreinteError, formatIssue, issue, type Issue } from '../issues/catalogue.js';
import { osReason } from '../formats/os-error.js';
import type { Referential } from '../referential/model.js';
import {
  IndicatorRowSchema,
  SERVICE_TIERS,
  STEP_COLUMNS,
  assessService,
  compareAssessments,
  createAdemeEngine,
  indicatorsFromRows,
  parseServiceText,
} from '../services/index.js';
import type {
  Breakdown,
  IndicatorRow,
  InventoryIndicators,
  ServiceAssessment,
  ServiceComparison,
} from '../services/index.js';
import type { CliContext, Lang } from './lang.js';
import { loadActiveReferential } from './load-referential.js';
import { issueLine, printable } from './terminal.js';
import { registerServiceExchange } from './service-g4it.js';

export interface ServiceCommandOptions {
  readonly format?: string;
  readonly compare?: boolean;
  readonly inventory?: readonly string[];
  readonly referential?: string;
  readonly profile?: 'rcp' | 'numecoeval';
}

export interface ServiceIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Builds the referential (default pack + `--referential`); injectable for tests. */
  readonly loadReferential?: (dir: string | undefined, profile: 'rcp' | 'numecoeval') => Promise<Referential>;
  /** Language of the issue lines written on `err` (default en); the JSON output stays English. */
  readonly lang?: Lang;
}

export function registerService(program: Command, ctx: CliContext = { lang: 'en' }): void {
  const service = program
    .command('service <file...>')
    .description('Assess digital services (videoconference, e-mail, business application…) described in YAML or JSON')
    .option('--format <format>', 'json or table', 'table')
    .option('--compare', 'compare each file with the first one (versions before / after an optimisation)')
    .option('--inventory <path...>', 'assessed inventory: indicator rows from `empreinte assess --format json`')
    .option('--referential <dir>', 'referential pack or NumEcoEval/G4IT CSV folder layered over the default pack')
    .action(async (files: string[], o: ServiceCommandOptions) => {
      const code = await runServiceCommand(files, o, {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
        lang: ctx.lang,
      });
      if (code !== 0) process.exitCode = code;
    });
  // `service import …` / `service export …`: subcommands, dispatched when the first operand names one.
  registerServiceExchange(service, ctx, () => ({
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    loadReferential: defaultReferential,
    readText,
  }));
}

/**
 * The default pack, the profile's layer and `--referential`. A blocking issue stops; a row of `--referential` refused
 * by the value rules (§3.5: the referential stays usable without it) is reported through `refused`, one line each.
 */
async function defaultReferential(
  dir: string | undefined,
  profile: 'rcp' | 'numecoeval',
  refused?: (i: Issue) => void,
): Promise<Referential> {
  const r = await loadActiveReferential({ ...(dir !== undefined ? { referential: [dir] } : {}), profile });
  const blocking = r.issues.find((i) => i.severity === 'F');
  if (blocking) throw new EmpreinteError(blocking);
  if (refused) for (const i of r.issues) if (i.severity === 'R') refused(i);
  return r.referential;
}

/** Run the command; returns the exit code (0, or 2 on bad input with a one-line reason on stderr). */
export async function runServiceCommand(
  files: readonly string[],
  o: ServiceCommandOptions,
  io: ServiceIo,
): Promise<number> {
  const lang = io.lang ?? 'en';
  try {
    const format = o.format ?? 'table';
    if (format !== 'json' && format !== 'table')
      throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: format }));
    if (o.compare && files.length < 2)
      throw new EmpreinteError(
        issue('SVC_FIELD_INVALID', { file: files[0] ?? '-', field: '--compare', reason: 'needs at least two files' }),
      );
    const parsed = [];
    for (const file of files) parsed.push(parseServiceText(await readText(file), file));
    const inventory = o.inventory?.length ? await readInventory(o.inventory) : undefined;
    const load =
      io.loadReferential ??
      ((dir: string | undefined, profile: 'rcp' | 'numecoeval') =>
        defaultReferential(dir, profile, (i) => io.err(issueLine(i, lang) + '\n')));
    const referential = await load(o.referential, o.profile ?? 'rcp');
    const ademeEngine = createAdemeEngine();
    const assessments = parsed.map((p) =>
      assessService(p.definition, { referential, source: p.source, ademeEngine, ...(inventory ? { inventory } : {}) }),
    );
    const comparisons = o.compare ? assessments.slice(1).map((a) => compareAssessments(assessments[0]!, a)) : [];
    for (const a of assessments) for (const w of a.warnings) io.err(issueLine(w, lang) + '\n');
    io.out(
      format === 'json'
        ? JSON.stringify({ services: assessments.map(toJson), ...(o.compare ? { comparisons } : {}) }, null, 2) + '\n'
        : printable([...assessments.map(renderAssessment), ...comparisons.map(renderComparison)].join('\n')),
    );
    return 0;
  } catch (e) {
    if (e instanceof EmpreinteError) {
      io.err(issueLine(e.issue, lang) + '\n');
      return 2;
    }
    throw e;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file }));
  }
}

async function readInventory(paths: readonly string[]): Promise<InventoryIndicators> {
  const rows: IndicatorRow[] = [];
  for (const file of paths) {
    const text = await readText(file);
    let values: unknown[];
    try {
      const t = text.trim();
      // The output of `empreinte assess --format json` (one object, rows on their own lines), an array of rows, or
      // one row per line (JSON Lines): parse the whole text first, and per line only when that fails.
      let whole: unknown;
      let wholeError: Error | undefined;
      try {
        whole = JSON.parse(t);
      } catch (e) {
        wholeError = e as Error;
      }
      if (wholeError === undefined) {
        if (Array.isArray(whole)) values = whole;
        else if (
          whole !== null &&
          typeof whole === 'object' &&
          Array.isArray((whole as { indicators?: unknown }).indicators)
        )
          values = (whole as { indicators: unknown[] }).indicators;
        else throw new Error("the object has no 'indicators' array (run `empreinte assess` without --summary)");
      } else if (t.startsWith('{') && t.includes('\n{')) {
        values = t
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown);
      } else throw wholeError;
    } catch (e) {
      throw new EmpreinteError(issue('SVC_INVENTORY_INVALID', { file, reason: (e as Error).message }, { file }));
    }
    values.forEach((v, i) => {
      const r = IndicatorRowSchema.safeParse(v);
      if (!r.success) {
        const zi = r.error.issues[0]!;
        throw new EmpreinteError(
          issue(
            'SVC_INVENTORY_INVALID',
            { file, reason: `row ${i + 1}: ${zi.path.join('.') || 'row'}: ${zi.message}` },
            { file, column: zi.path.join('.') },
          ),
        );
      }
      rows.push(r.data as IndicatorRow);
    });
  }
  return indicatorsFromRows(rows);
}

/** The JSON document: the service, its functional unit, per-year and per-FU results per criterion, tier split. */
function toJson(a: ServiceAssessment) {
  return {
    service: a.service,
    model: a.model,
    functionalUnit: a.functionalUnit,
    criteria: a.criteria,
    sci: a.sci,
    dataQuality: a.dataQuality,
    warnings: a.warnings.map((w) => formatIssue(w)), // data output: English
    sources: a.sources,
    indicators: a.indicators,
  };
}

const fmt = (x: number | undefined): string => {
  if (x === undefined) return '';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) return x.toExponential(3);
  return x.toLocaleString('en-US', { maximumSignificantDigits: 4 });
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
}

function tierTable(b: Breakdown): string[] {
  const cols = STEP_COLUMNS.filter((s) => SERVICE_TIERS.some((t) => b.byTier[t][s] !== undefined));
  const head = ['tier', ...cols.map((c) => c.toLowerCase()), 'total'];
  const rows = SERVICE_TIERS.map((t) => [
    t.toLowerCase(),
    ...cols.map((c) => fmt(b.byTier[t][c])),
    fmt(b.byTierTotal[t]),
  ]);
  return table([head, ...rows, ['total', ...cols.map((c) => fmt(b.byStep[c])), fmt(b.total)]]);
}

function renderAssessment(a: ServiceAssessment): string {
  const lines = [
    `${a.service.service} ${a.service.version} (${a.service.kind}, ${a.model.name})`,
    `Functional unit: ${a.functionalUnit.label}; ${fmt(a.functionalUnit.perYear)} per year`,
  ];
  for (const c of a.criteria) {
    lines.push('', `${c.criterion} (${c.unit}) per functional unit:`, ...tierTable(c.perFunctionalUnit));
    lines.push(`per year: ${fmt(c.perYear.total)} ${c.unit}`);
    if (c.peopleEquivalent)
      lines.push(`people-equivalent per year: ${fmt(c.peopleEquivalent.perYear)} (÷ ${c.peopleEquivalent.divisor})`);
    if (c.gaps.length) lines.push(`incomplete: no factor for ${c.gaps.join('; ')}`);
  }
  if (a.sci)
    lines.push(
      '',
      `SCI per ${a.sci.functionalUnit}: ${fmt(a.sci.score)} ${a.sci.unit} (operational ${fmt(a.sci.operational)}, embodied ${fmt(a.sci.embodied)}, not split ${fmt(a.sci.notSplit)})`,
    );
  return lines.join('\n') + '\n';
}

function renderComparison(c: ServiceComparison): string {
  const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)} %`);
  const lines = [`Comparison ${c.before.service} ${c.before.version} → ${c.after.service} ${c.after.version}`];
  for (const k of c.criteria) {
    const rows = [
      ['per FU', 'before', 'after', 'difference', 'relative'],
      ...[
        ...SERVICE_TIERS.map((t) => [t.toLowerCase(), k.perFunctionalUnit.byTier[t]] as const),
        ['total', k.perFunctionalUnit.total] as const,
      ].map(([name, d]) => [name, fmt(d.before), fmt(d.after), fmt(d.absolute), pct(d.relative)]),
    ];
    lines.push(
      `${k.criterion} (${k.unit}); per year: ${fmt(k.perYear.total.absolute)} (${pct(k.perYear.total.relative)})`,
      ...table(rows),
    );
  }
  lines.push(...c.notes.map((n) => `note: ${n}`));
  return lines.join('\n') + '\n';
}
