/**
 * The `empreinte` command line. Each command lives in its own module; this entry point registers them, parses the
 * arguments and turns user mistakes (EmpreinteError, usage errors) and operating-system errors (unreadable input,
 * unwritable output) into one line `file:line:column: CODE message` on stderr and exit code 2, never a stack trace.
 */
import { constants } from 'node:os';
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/index.js';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { isOsError, osReason, OutputError } from '../formats/os-error.js';
import { TempRegistry } from '../formats/temp-files.js';
import { registerAdmin } from './admin.js';
import { registerAssess } from './assess.js';
import { registerCampaignReport } from './campaign-report.js';
import { registerCompare } from './compare.js';
import { registerConvert } from './convert.js';
import { registerExplain } from './explain.js';
import { registerKpis } from './kpis.js';
import { resolveLang, type CliContext } from './lang.js';
import { registerMapping } from './mapping.js';
import { registerReferential } from './referential.js';
import { registerScenario } from './scenario.js';
import { registerServe } from './serve.js';
import { registerService } from './service.js';
import { registerTrajectory } from './trajectory.js';
import { printable, issueLine } from './terminal.js';
import { registerValidate } from './validate.js';
import { registerWorker } from './worker.js';

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
  registerExplain(program, ctx);
  registerConvert(program, ctx);
  registerValidate(program, ctx);
  registerReferential(program, ctx);
  registerService(program, ctx);
  registerMapping(program);
  registerScenario(program, ctx);
  registerCompare(program, ctx);
  registerKpis(program, ctx);
  registerTrajectory(program);
  registerCampaignReport(program, ctx);
  registerAdmin(program, env);
  registerServe(program, env);
  registerWorker(program, env);
  return program;
}

/** System calls that write: an OS error from one of them is an output problem, from any other an input problem. */
const WRITING_CALLS = new Set([
  'write',
  'rename',
  'mkdir',
  'unlink',
  'rmdir',
  'rm',
  'copyfile',
  'link',
  'symlink',
  'fsync',
]);

/** The issue of an error that ends a run with exit 2, or undefined for an internal error. */
function fatalIssue(e: unknown): Issue | undefined {
  if (e instanceof EmpreinteError || e instanceof OutputError) return e.issue;
  if (isOsError(e)) {
    const file = e.path ?? (e as { dest?: string }).dest ?? '';
    return WRITING_CALLS.has(e.syscall ?? '')
      ? issue('OUT_UNWRITABLE', { reason: osReason(e) }, { file })
      : issue('INP_FILE_UNREADABLE', { reason: osReason(e) }, { file });
  }
  return undefined;
}

/**
 * Runs the CLI; returns the exit code. For the duration of the run, SIGINT and SIGTERM remove the run's temporary
 * files (registered by the writers in `ctx.temps`) and exit with the conventional code 128 + signal number (130, 143);
 * the handlers are removed when the run ends.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const temps = new TempRegistry();
  const ctx: CliContext = { lang: 'en', temps };
  const program = buildProgram(ctx, env);
  const onSignal = (signal: NodeJS.Signals) => {
    temps.removeAllSync();
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  // A stdout write error outside an output sink (EPIPE after `| head` on a report) must not crash the process.
  const onStdoutError = () => undefined;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    const fatal = fatalIssue(e);
    if (fatal) {
      process.stderr.write(`empreinte: ${issueLine(fatal, ctx.lang)}\n`);
      return 2;
    }
    process.stderr.write(`empreinte: internal error: ${printable((e as Error)?.stack ?? String(e))}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.stdout.off('error', onStdoutError);
    temps.removeAllSync(); // what a failed writer could not remove
  }
}
