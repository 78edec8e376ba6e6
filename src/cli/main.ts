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
import { resolveLang, type CliContext } from './lang.js';
import { printable, issueLine } from './terminal.js';

/** Adds one command (its options, arguments, help and action) to the program. */
type Register = (program: Command, ctx: CliContext, env: NodeJS.ProcessEnv) => void;

/**
 * The commands, in the order of `--help`, each with the module that registers it, imported on demand (issue 11,
 * start-up time): a run of one command loads and compiles that command's code only — `assess` does not load the
 * digital-service model (publicodes and the ADEME rules, checked with zod when their module loads), the steering
 * commands or the report's components. The bundle (scripts/bundle.mjs) is split at these imports.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['assess', async () => (await import('./assess.js')).registerAssess],
  ['explain', async () => (await import('./explain.js')).registerExplain],
  ['convert', async () => (await import('./convert.js')).registerConvert],
  ['validate', async () => (await import('./validate.js')).registerValidate],
  ['referential', async () => (await import('./referential.js')).registerReferential],
  ['service', async () => (await import('./service.js')).registerService],
  ['mapping', async () => (await import('./mapping.js')).registerMapping],
  ['scenario', async () => (await import('./scenario.js')).registerScenario],
  ['compare', async () => (await import('./compare.js')).registerCompare],
  ['kpis', async () => (await import('./kpis.js')).registerKpis],
  ['trajectory', async () => (await import('./trajectory.js')).registerTrajectory],
  ['report', async () => (await import('./campaign-report.js')).registerCampaignReport],
  [
    'admin',
    async () => {
      const { registerAdmin } = await import('./admin.js');
      return (program, _ctx, env) => registerAdmin(program, env);
    },
  ],
  [
    'serve',
    async () => {
      const { registerServe } = await import('./serve.js');
      return (program, _ctx, env) => registerServe(program, env);
    },
  ],
  [
    'worker',
    async () => {
      const { registerWorker } = await import('./worker.js');
      return (program, _ctx, env) => registerWorker(program, env);
    },
  ],
];

/**
 * The command a command line names: its first operand, after the program's own `--lang <lang>`; undefined when
 * another option comes first (`--help`, `--version`, a mistake) or when there is no operand.
 */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') i++;
    else if (a.startsWith('--lang=')) continue;
    else return a.startsWith('-') ? undefined : a;
  }
  return undefined;
}

/**
 * The commands that start the server or use its store (`admin`, `serve`, `worker`): their modules import the server's
 * dependencies, ES modules that the CommonJS bundle run with a code cache cannot `require` (Node 20); `bin/empreinte`
 * runs them from the ES module bundle (scripts/bundle.mjs, bin/code-cache.mjs).
 */
export const SERVER_COMMANDS: readonly string[] = ['admin', 'serve', 'worker'];

/** Whether the command line names one of the `SERVER_COMMANDS` (run from the ES module bundle). */
export function runsFromModules(argv: readonly string[]): boolean {
  const command = commandOf(argv);
  return command !== undefined && SERVER_COMMANDS.includes(command);
}

/**
 * The program and its commands: the command `argv` names only, when it is one of them (its help and its errors do not
 * depend on the others), else every command (the program's help, `help <command>`, an unknown command and its
 * suggestions). `ctx.lang` is resolved once, from `--lang` and `env`, just before the command's action runs; the
 * commands read it for the issue lines they print.
 */
export async function buildProgram(
  ctx: CliContext = { lang: 'en' },
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
): Promise<Command> {
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
  const named = commandOf(argv);
  const chosen = COMMANDS.filter(([name]) => name === named);
  const registers = await Promise.all((chosen.length > 0 ? chosen : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, ctx, env);
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
  const program = await buildProgram(ctx, env, argv);
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
