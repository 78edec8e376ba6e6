/**
 * `empreinte trajectory <result.json…> --baseline <year> --target <-30%> --by <year> [--shape linear|rate]`: reads
 * summary documents of past campaigns (`assess --summary --format json`) and prints, per campaign, the target of
 * its year, the gap and on/off track, and the least-squares forecast (`src/app/steering/trajectory.ts`). Bad input
 * is one coded line and exit 2.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { runTrajectory, parseReduction, type TrajectoryOutcome } from '../app/steering/trajectory.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { SteeringError } from '../steering/errors.js';
import { defaultIo } from './assess.js';
import { printDocument, steeringAction } from './steering-cli.js';

export interface TrajectoryOptions {
  readonly baseline: string;
  readonly target: string;
  readonly by: string;
  readonly shape?: string;
  readonly criterion?: string;
  readonly budget?: string;
  readonly format?: string;
}

const year = (field: string, text: string): number => {
  if (!/^\d{4}$/.test(text.trim()))
    throw new SteeringError({ code: 'STR_YEAR', path: field, message: `not a year: ${text}`, allowed: ['yyyy'] });
  return Number(text);
};

const fmt = (x: number | null): string =>
  x === null
    ? '—'
    : x
        .toPrecision(6)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '');

export function trajectoryTable(o: TrajectoryOutcome): string {
  const lines = [
    `${o.criterion} (${o.unit}): baseline ${o.target.baseline.year} = ${fmt(o.target.baseline.value)}, target ${o.target.targetYear} = ${fmt(o.targetValue)} (${(o.target.reduction * 100).toFixed(1)} %, ${o.target.shape})`,
    'year  value  target  gap  status',
    ...o.campaigns.map((c) => `${c.year}  ${fmt(c.value)}  ${fmt(c.target)}  ${fmt(c.gap)}  ${c.status}`),
  ];
  if (o.forecast.available) {
    const last = o.forecast.points[o.forecast.points.length - 1];
    lines.push(
      `forecast: ${fmt(o.forecast.slope)} per year` +
        (last ? `; ${last.year}: ${fmt(last.value)} [${fmt(last.lower)}, ${fmt(last.upper)}]` : ''),
    );
  } else lines.push(`forecast: ${o.forecast.reason}`);
  return lines.join('\n') + '\n';
}

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EmpreinteError(
      issue('INP_FILE_UNREADABLE', { reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { file }),
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SteeringError({
      code: 'STR_FIELD',
      path: file,
      message: 'not a JSON document',
      allowed: ['a document of assess --summary --format json'],
    });
  }
}

export async function runTrajectoryCli(files: readonly string[], o: TrajectoryOptions): Promise<void> {
  const format = (o.format ?? 'table').toLowerCase();
  if (format !== 'json' && format !== 'table')
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: o.format ?? '' }),
    );
  const shapeText = (o.shape ?? 'linear').toLowerCase();
  const shape = shapeText === 'linear' ? 'linear' : shapeText === 'rate' ? 'constant-rate' : undefined;
  if (shape === undefined)
    throw new SteeringError({
      code: 'STR_SHAPE',
      path: '--shape',
      message: `unknown shape ${o.shape ?? ''}`,
      allowed: ['linear', 'rate'],
    });
  const reduction = parseReduction(o.target);
  if (reduction === undefined)
    throw new SteeringError({
      code: 'STR_REDUCTION_RANGE',
      path: '--target',
      message: `not a reduction: ${o.target}`,
      allowed: ['a percentage below 0, e.g. -30%'],
    });
  const budget = o.budget === undefined ? undefined : Number(o.budget);
  const documents = [];
  for (const f of files) documents.push({ name: f, document: await readDocument(f) });
  const outcome = runTrajectory({
    documents,
    baselineYear: year('--baseline', o.baseline),
    targetYear: year('--by', o.by),
    reduction,
    shape,
    ...(o.criterion !== undefined ? { criterion: o.criterion } : {}),
    ...(budget !== undefined ? { budget } : {}),
  });
  await printDocument(format === 'json' ? JSON.stringify(outcome, null, 2) + '\n' : trajectoryTable(outcome));
}

export function registerTrajectory(program: Command): void {
  program
    .command('trajectory')
    .description('follow a reduction target over campaigns (summary JSON documents of assess): gaps and forecast')
    .argument('<result...>', 'documents of assess --summary --format json, one per campaign year')
    .requiredOption('--baseline <year>', 'the baseline campaign year')
    .requiredOption('--target <reduction>', 'the reduction at the target year, e.g. -30%')
    .requiredOption('--by <year>', 'the target year')
    .option('--shape <shape>', 'linear (default) or rate (constant annual rate)', 'linear')
    .option('--criterion <code>', 'the criterion followed (default CLIMATE_CHANGE)')
    .option('--budget <value>', 'cumulative emissions allowed from the baseline year to the target year')
    .option('--format <format>', 'json or table', 'table')
    .action(async (files: string[], o: TrajectoryOptions) => {
      await steeringAction(defaultIo, () => runTrajectoryCli(files, o));
    });
}
