/**
 * The `empreinte` command line. Each command lives in its own module; this entry point registers them, parses the
 * arguments and turns user mistakes (EmpreinteError, usage errors) into one line on stderr and exit code 2, never a
 * stack trace.
 */
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/index.js';
import { EmpreinteError, formatIssue } from '../issues/catalogue.js';
import { registerAssess } from './assess.js';
import { resolveLang, type CliContext } from './lang.js';
import { registerMapping } from './mapping.js';
import { registerReferential } from './referential.js';
import { registerService } from './service.js';
import { registerValidate } from './validate.js';

/**
 * The program and its commands. `ctx.lang` is resolved once, from `--lang` and `env`, just before the command's action
 * runs; the commands read it for the issue lines they print.
 */
export function buildProgram(ctx: CliContext = { lang: 'en' }, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command();
  program
    .name('empreinte')
    .description(
      "Measure the environmental footprint of an organisation's digital estate (ADEME RCP SI, NumEcoEval/G4IT compatible)",
    )
    .version(ENGINE_VERSION)
    .option(
      '--lang <lang>',
      'language of the messages printed for people, en or fr (default: EMPREINTE_LANG, else the locale); data outputs stay English',
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .hook('preAction', () => {
      ctx.lang = resolveLang(program.opts<{ lang?: string }>().lang, env);
    });
  registerAssess(program, ctx);
  registerValidate(program, ctx);
  registerReferential(program, ctx);
  registerService(program, ctx);
  registerMapping(program);
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx: CliContext = { lang: 'en' };
  const program = buildProgram(ctx, env);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof EmpreinteError) {
      process.stderr.write(`empreinte: ${formatIssue(e.issue, ctx.lang)}\n`);
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
