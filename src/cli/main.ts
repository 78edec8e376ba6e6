/**
 * The `empreinte` command line. Each command lives in its own module; this entry point registers them, parses the
 * arguments and turns user mistakes (EmpreinteError, usage errors) into one line on stderr and exit code 2, never a
 * stack trace.
 */
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/index.js';
import { EmpreinteError, formatIssue } from '../issues/catalogue.js';
import { registerAssess } from './assess.js';
import { registerMapping } from './mapping.js';
import { registerReferential } from './referential.js';
import { registerService } from './service.js';
import { registerValidate } from './validate.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('empreinte')
    .description(
      "Measure the environmental footprint of an organisation's digital estate (ADEME RCP SI, NumEcoEval/G4IT compatible)",
    )
    .version(ENGINE_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerAssess(program);
  registerValidate(program);
  registerReferential(program);
  registerService(program);
  registerMapping(program);
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof EmpreinteError) {
      process.stderr.write(`empreinte: ${formatIssue(e.issue)}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST'].includes(err.code)) {
      process.stderr.write(`empreinte: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`empreinte: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
