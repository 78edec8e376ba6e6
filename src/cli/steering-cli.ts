/**
 * What the steering commands (`scenario`, `compare`, `trajectory`) share at the edge: their run options (those of
 * `assess` that choose how an inventory is assessed), printing a whole document on stdout, and turning a
 * `SteeringError` into one coded line with exit 2.
 */
import type { Command } from 'commander';
import { SteeringError } from '../steering/errors.js';
import type { AssessIo } from './assess.js';
import { stdoutOut } from './output.js';

/** The options of `assess` that decide how an inventory is assessed, for a command that assesses one or two. */
export function runOptions(command: Command): Command {
  return command
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--profile <profile>', 'rcp (ADEME RCP, default) or numecoeval (reproduces NumEcoEval/G4IT)', 'rcp')
    .option('--date <date>', 'calculation and reference date yyyy-MM-dd (default: today)')
    .option('--period <period>', 'assessed period, yyyy or yyyy-MM-dd..yyyy-MM-dd (default: the year of --date)')
    .option('--lifetime <method>', 'real (dates, default) or fixed (dureeUsageInterne first)', 'real')
    .option('--criteria <list>', 'criteria to compute, comma-separated (default: those of the referential)')
    .option('--mapping <file>', 'column mapping for a foreign export (JSON or YAML) or preset id')
    .option('--electricity <dataset>', 'electricity factors: ademe, ember, boavizta')
    .option('--organisation <name>', "organisation of the batch (selects the organisation's referential rows)");
}

/** Writes a whole document on stdout (a write error — a closed pipe — aborts it and propagates). */
export async function printDocument(text: string): Promise<void> {
  const out = stdoutOut();
  try {
    await out.write(text);
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.close();
}

/** Runs a steering command's action: a `SteeringError` is one coded line and exit 2. */
export async function steeringAction(io: Pick<AssessIo, 'err'>, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof SteeringError)) throw e;
    io.err(`empreinte: ${e.message}\n`);
    process.exitCode = 2;
  }
}
