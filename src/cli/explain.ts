/**
 * `empreinte explain <path…> --item <name>`: assesses the inventory as `assess` does and prints every indicator of
 * the named item with its full trace (formula, variables, sources) — as readable text by default, as JSON with
 * `--format json` — the explain use case of the application layer (`src/app/explain.ts`). Exit 2 with
 * `INP_ITEM_NOT_FOUND` when no item has that name.
 */
import type { Command } from 'commander';
import { standardDeps } from '../app/deps.js';
import { explainItem, type Explanation } from '../app/explain.js';
import { jsonRow } from '../app/sinks/json.js';
import { assessInput, defaultIo, terminalReport, type AssessIo, type AssessOptions } from './assess.js';
import type { CliContext } from './lang.js';
import { collect } from './options.js';
import { stdoutOut } from './output.js';
import { readSourcesFile } from './sources-file.js';
import { printable } from '../app/terminal-text.js';
import { EmpreinteError, issue, issueMessage } from '../issues/catalogue.js';

export interface ExplainOptions extends AssessOptions {
  readonly item: string;
}

/** A number as people read it (up to 6 significant digits) or a text value (`hidden data`). */
const num = (v: number | string): string => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : v);

/**
 * The explanation as text for a terminal: per matching item, its kind, place and quantity, then per indicator its
 * value, its formula and each variable with its unit, origin and source (control characters removed by `printable`).
 */
export function explanationText(e: Explanation): string {
  const lines: string[] = [`Item ${e.item} — reference date ${e.meta.referenceDate}, profile ${e.meta.profile}`];
  for (const m of e.matches) {
    const at = m.file !== undefined ? ` (${m.file}${m.line !== undefined ? `:${m.line}` : ''})` : '';
    lines.push('');
    lines.push(
      `${m.kind} ${m.item}${at}, quantity ${num(m.quantity)}${m.inTotal ? '' : ', an allocation of its host (not added to the total)'}`,
    );
    for (const r of m.indicators) {
      lines.push('');
      const value = r.status === 'OK' ? `${num(r.value)} ${r.unit}` : `error ${r.errorCode ?? ''}`.trim();
      lines.push(`  ${r.lifecycleStep} ${r.criterion}: ${value}`);
      if (r.errorMessage) lines.push(`    ${issueMessage(r.errorMessage, { name: r.item })}`);
      if (!r.trace) continue;
      lines.push(`    ${r.trace.formula}`);
      for (const [name, v] of Object.entries(r.trace.variables)) {
        const src = v.ref?.source ?? v.ref?.file;
        lines.push(
          `      ${name} = ${num(v.value)}${v.unit ? ` ${v.unit}` : ''} (${v.origin}${src ? `: ${src}` : ''})`,
        );
      }
    }
  }
  return printable(lines.join('\n')) + '\n';
}

/** The explanation as a JSON document (errors as code + English message, as in `assess --format json`). */
export function explanationJson(e: Explanation): string {
  const matches = e.matches.map(({ indicators, ...m }) => ({
    ...m,
    indicators: indicators.map((r): unknown => JSON.parse(jsonRow(r))),
  }));
  return JSON.stringify({ meta: e.meta, item: e.item, matches }, null, 2) + '\n';
}

export async function runExplain(paths: readonly string[], o: ExplainOptions, io: AssessIo = defaultIo): Promise<void> {
  const format = o.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--format', allowed: 'text, json', value: format }));
  const listed = o.sources !== undefined ? await readSourcesFile(o.sources) : [];
  if (paths.length === 0 && listed.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<path…>',
        allowed: 'one or more inventory files or folders, or --sources <file>',
        value: '',
      }),
    );
  const base = assessInput(paths, { ...o, trace: true });
  const input = { ...base, sources: [...base.sources, ...listed], item: o.item };
  const explanation = await explainItem(standardDeps(io.today, io.temps), input, terminalReport(io));
  const out = stdoutOut();
  try {
    await out.write(o.format === 'json' ? explanationJson(explanation) : explanationText(explanation));
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.close();
}

export function registerExplain(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('explain')
    .description('print every indicator of one item with its full trace (formula, variables, sources)')
    .argument('[path...]', 'inventory files or folders, as for assess')
    .requiredOption('--item <name>', 'name of the item to explain (equipment, VM, application…)')
    .option('--format <format>', 'text (default) or json')
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--profile <profile>', 'rcp (ADEME RCP, default) or numecoeval (reproduces NumEcoEval/G4IT)', 'rcp')
    .option('--date <date>', 'calculation and reference date yyyy-MM-dd (default: today)')
    .option('--period <period>', 'assessed period, yyyy or yyyy-MM-dd..yyyy-MM-dd (default: the year of --date)')
    .option('--lifetime <method>', 'real (dates, default) or fixed (dureeUsageInterne first)', 'real')
    .option('--criteria <list>', 'criteria to compute, comma-separated (default: those of the referential)')
    .option('--steps <list>', 'lifecycle steps, comma-separated (default: all four)')
    .option(
      '--mapping <mapping>',
      'column mapping (JSON/YAML file or preset id) for foreign exports; <path>=<mapping> for one source only (repeatable)',
      collect,
    )
    .option(
      '--sources <file>',
      'YAML list of sources, each with its mapping and entity (sources: [{path, mapping?, entity?}])',
    )
    .option('--electricity <dataset>', 'electricity factors: ademe, ember, boavizta')
    .option('--organisation <name>', "organisation of the batch (selects the organisation's referential rows)")
    .option('--messaging-unit <unit>', 'unit of volumeTotalMailEmis in messaging files: B, kB, MB, GB')
    .option('--refurbished-rule <rule>', 'upstream life rule: category (default) or line')
    .option('--telework <spec...>', 'telework boxes (RCP SI §4): country:employees:daysPerYear[:entity], repeatable')
    .option('--hide-licensed', 'replace factors under a non-open licence by "hidden data" in the traces')
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .option('--encoding <enc>', 'force the input encoding: utf-8, utf-8-bom, windows-1252, iso-8859-1')
    .action(async (paths: string[], o: ExplainOptions) => {
      await runExplain(paths, o, { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) });
    });
}
