/**
 * `empreinte compare <inventory A…> --with <inventory B…> [--format json|table]`: the command-line caller of the
 * compare use case (`src/app/steering/compare.ts`). JSON output `{before, after, delta, inventory, decomposition,
 * unfactored}`: both summary documents (as `assess --summary --format json`), the delta, the inventory diff and the
 * F22 effects per criterion, which sum to the change.
 */
import type { Command } from 'commander';
import { standardDeps } from '../app/deps.js';
import { compareCampaigns, type CompareOutcome } from '../app/steering/compare.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { EFFECTS } from '../steering/lmdi.js';
import { assessInput, defaultIo, type AssessIo, type AssessOptions } from './assess.js';
import type { CliContext } from './lang.js';
import { deltaTable } from './scenario.js';
import { printDocument, runOptions, steeringAction } from './steering-cli.js';
import { rangesTable } from './uncertainty.js';

export interface CompareOptions extends AssessOptions {
  readonly with: string[];
  /** `--before-referential <dir…>`: the earlier campaign's referential layers (another version), else `--referential`. */
  readonly beforeReferential?: string[];
}

const fmt = (x: number): string =>
  x
    .toPrecision(6)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

/** The table: totals and delta per criterion, the effects, and the inventory diff counts. */
export function compareTable(o: CompareOutcome): string {
  const lines = [deltaTable('comparison: before → after', o.delta).trimEnd(), '', 'explanation of the change (F22)'];
  for (const c of o.decomposition) {
    const effects = EFFECTS.map((e) => `${e} ${fmt(c.effects[e])}`).join(', ');
    lines.push(`${c.criterion}: change ${fmt(c.change)} = reference data ${fmt(c.referenceData)} + ${effects}`);
  }
  if (o.uncertainty !== undefined)
    lines.push('', rangesTable('range of the change (F21, P5–P95)', o.uncertainty, 'en').trimEnd());
  const i = o.inventory;
  lines.push(
    '',
    `inventory: ${i.added.length} added, ${i.removed.length} removed, ${i.changed.length} changed, ${i.unchanged} unchanged`,
  );
  return lines.join('\n') + '\n';
}

export async function runCompare(paths: readonly string[], o: CompareOptions, io: AssessIo = defaultIo): Promise<void> {
  const format = o.format === undefined ? 'table' : o.format.toLowerCase();
  if (format !== 'json' && format !== 'table')
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: o.format ?? '' }),
    );
  const outcome = await compareCampaigns(
    standardDeps(io.today, io.temps),
    assessInput(paths, o.beforeReferential !== undefined ? { ...o, referential: o.beforeReferential } : o),
    assessInput(o.with, o),
    // Two large campaigns: the later one in a worker thread (same output; `compareCampaigns`).
    { parallel: true },
  );
  const text = format === 'json' ? JSON.stringify(outcome, null, 2) + '\n' : compareTable(outcome);
  await printDocument(text);
}

export function registerCompare(program: Command, ctx: CliContext = { lang: 'en' }): void {
  runOptions(
    program
      .command('compare')
      .description('compare two campaigns: totals, delta, inventory diff and the explanation of the change (F22)')
      .argument('<path...>', 'the earlier inventory: files or folders, as for assess')
      .requiredOption('--with <path...>', 'the later inventory: files or folders')
      .option('--format <format>', 'json or table', 'table')
      .option(
        '--before-referential <dir...>',
        "the earlier campaign's referential (another version); the change of reference data is then shown apart",
      ),
  ).action(async (paths: string[], o: CompareOptions) => {
    const io: AssessIo = { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) };
    await steeringAction(io, () => runCompare(paths, o, io));
  });
}
