/**
 * `empreinte scenario <path…> --scenario <file.yaml> [--format json|table]`: the command-line caller of the scenario
 * use case (`src/app/steering/scenario.ts`). JSON output `{name, baseline, scenario, delta}`, `baseline` and
 * `scenario` each the document of `assess --summary --format json` (`meta`, `inventory`, `totals`). A bad scenario
 * (unknown type, share outside 0–1, negative lifetime…) is one coded line on stderr and exit 2, nothing computed.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { standardDeps } from '../app/deps.js';
import { runScenario, type ScenarioOutcome, type TotalsDelta } from '../app/steering/scenario.js';
import type { AssessSummary } from '../app/sink.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { SteeringError } from '../steering/errors.js';
import { printDocument, runOptions, steeringAction } from './steering-cli.js';
import { rangesTable } from './uncertainty.js';
import { assessInput, defaultIo, type AssessIo, type AssessOptions } from './assess.js';
import type { CliContext } from './lang.js';

export interface ScenarioOptions extends AssessOptions {
  readonly scenario: string;
}

/** Reads a scenario file (YAML or JSON); an unreadable or unparsable file is an `EmpreinteError`. */
export async function readScenarioFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EmpreinteError(
      issue('INP_FILE_UNREADABLE', { reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { file }),
    );
  }
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    throw new SteeringError({
      code: 'STR_SCENARIO_FIELD',
      path: '',
      message: `${file} is not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`,
    });
  }
}

/** The document the JSON output holds. */
export function scenarioDocument(o: ScenarioOutcome): {
  name: string;
  baseline: AssessSummary;
  scenario: AssessSummary;
  delta: TotalsDelta;
  uncertainty?: ScenarioOutcome['uncertainty'];
  notes?: ScenarioOutcome['notes'];
} {
  return {
    name: o.scenario.name,
    baseline: o.baseline,
    scenario: o.result,
    delta: o.delta,
    ...(o.uncertainty !== undefined ? { uncertainty: o.uncertainty } : {}),
    ...(o.notes !== undefined ? { notes: o.notes } : {}),
  };
}

const fmt = (x: number): string =>
  x
    .toPrecision(6)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/** A short table: per criterion, baseline, scenario, delta and relative delta. */
export function deltaTable(title: string, d: TotalsDelta): string {
  const rows = d.byCriterion.map((c) => [
    c.criterion,
    c.unit,
    fmt(c.before),
    fmt(c.after),
    fmt(c.delta),
    pct(c.relative),
  ]);
  const head = ['criterion', 'unit', 'before', 'after', 'delta', 'relative'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [title, line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function runScenarioCli(
  paths: readonly string[],
  o: ScenarioOptions,
  io: AssessIo = defaultIo,
): Promise<void> {
  const format = o.format === undefined ? 'table' : o.format.toLowerCase();
  if (format !== 'json' && format !== 'table')
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: o.format ?? '' }),
    );
  const raw = await readScenarioFile(o.scenario);
  const outcome = await runScenario(standardDeps(io.today, io.temps), assessInput(paths, o), raw, {
    uncertainty: Boolean(o.uncertainty),
    parallel: true,
  });
  const text =
    format === 'json'
      ? JSON.stringify(scenarioDocument(outcome), null, 2) + '\n'
      : deltaTable(`scenario: ${outcome.scenario.name}`, outcome.delta) +
        (outcome.uncertainty !== undefined
          ? '\n' + rangesTable('range of the delta (F21, P5–P95)', outcome.uncertainty, 'en')
          : '') +
        (outcome.notes ?? []).map((n) => `note: ${n.lever} left ${n.row} as it is: ${n.reason}\n`).join('');
  await printDocument(text);
}

export function registerScenario(program: Command, ctx: CliContext = { lang: 'en' }): void {
  runOptions(
    program
      .command('scenario')
      .description('assess an inventory as it is and with the levers of a scenario file; print both and the delta')
      .argument('<path...>', 'inventory files or folders, as for assess')
      .requiredOption('--scenario <file>', 'scenario file (YAML): name and levers')
      .option('--format <format>', 'json or table', 'table'),
  )
    .option('--refurbished-rule <rule>', 'upstream life rule: category (default) or line')
    .option('--uncertainty', 'the range of the delta per criterion (F21, P5/P50/P95)')
    .action(async (paths: string[], o: ScenarioOptions) => {
      const io: AssessIo = { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) };
      await steeringAction(io, () => runScenarioCli(paths, o, io));
    });
}
