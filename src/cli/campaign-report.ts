/**
 * `empreinte report <inventory-or-result…> --out report.html`: the campaign report as one self-contained HTML file
 * (inline CSS and SVG, no script, no external URL), without a server. Inventory folders and files are assessed through
 * the assess use case (same options: --date, --mapping, --referential…); `.json` arguments are result documents of
 * `assess --format json` (with or without `--summary`), one campaign each. With several campaigns or `--target`, the
 * report has a trajectory. French unless `--lang en`. The file is written atomically once the report is built: bad
 * input is one coded line, exit 2, and no file. (Not to be confused with `report.ts`, the terminal report helpers.)
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { checkOutputFile, openFileOut } from '../app/adapters/file-out.js';
import { buildReport, type ReportRequest } from '../app/report.js';
import { parseReduction } from '../app/steering/trajectory.js';
import { standardDeps } from '../app/deps.js';
import { mappingRefs, sourcePaths } from '../app/sources.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { renderReportHtml } from '../web/report/document.js';
import type { ReportLang } from '../web/report/i18n.js';
import { assessInput, defaultIo, terminalReport, type AssessIo, type AssessOptions } from './assess.js';
import type { CliContext } from './lang.js';
import { collect, mappingFiles } from './options.js';
import { refuseOutputOnInput } from './paths.js';
import { steeringAction } from './steering-cli.js';

export interface CampaignReportOptions extends AssessOptions {
  readonly out?: string;
  readonly title?: string;
  readonly campaign?: string;
  readonly target?: string;
  readonly by?: string;
  readonly baseline?: string;
  readonly criterion?: string;
}

const isResult = async (p: string): Promise<boolean> =>
  extname(p).toLowerCase() === '.json' &&
  (await stat(p)
    .then((s) => s.isFile())
    .catch(() => false));

async function readResult(file: string): Promise<unknown> {
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
  } catch (e) {
    throw new EmpreinteError(
      issue('INP_RESULT_INVALID', { field: '(document)', reason: `not JSON (${(e as Error).message})` }, { file }),
    );
  }
}

const yearOption = (field: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text.trim()))
    throw new EmpreinteError(issue('INP_BAD_ENUM', { field, allowed: 'yyyy', value: text }));
  return Number(text);
};

/** The target of `--target -30% --by 2030 [--baseline 2024]`; `--target` needs `--by`. */
function targetOf(o: CampaignReportOptions): ReportRequest['target'] {
  if (o.target === undefined) {
    if (o.by !== undefined || o.baseline !== undefined)
      throw new EmpreinteError(
        issue('INP_BAD_ENUM', { field: '--target', allowed: 'a reduction such as -30%', value: '' }),
      );
    return undefined;
  }
  const reduction = parseReduction(o.target);
  if (reduction === undefined)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--target', allowed: 'a reduction such as -30%', value: o.target }),
    );
  const targetYear = yearOption('--by', o.by);
  if (targetYear === undefined)
    throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--by', allowed: 'the target year, yyyy', value: '' }));
  const baselineYear = yearOption('--baseline', o.baseline);
  return { reduction, targetYear, ...(baselineYear !== undefined ? { baselineYear } : {}) };
}

/** Builds the report and writes it; throws EmpreinteError / SteeringError on bad input, before writing anything. */
export async function runCampaignReport(
  paths: readonly string[],
  o: CampaignReportOptions,
  lang: ReportLang,
  io: AssessIo = defaultIo,
): Promise<void> {
  if (o.out === undefined)
    throw new EmpreinteError(issue('OUT_FILE_REQUIRED', { format: 'html', what: 'the report file' }));
  if (paths.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<inventory-or-result…>',
        allowed: 'inventory files or folders, or result documents of assess --format json',
        value: '',
      }),
    );
  const target = targetOf(o);
  const results: string[] = [];
  const inventories: string[] = [];
  for (const p of paths) ((await isResult(p)) ? results : inventories).push(p);
  const base = inventories.length > 0 ? assessInput(inventories, o) : undefined;
  await refuseOutputOnInput('--out', o.out, [
    ...paths,
    ...(base ? [...sourcePaths(base.sources), ...mappingRefs(base.sources)] : []),
    ...mappingFiles(o.mapping),
    ...(o.referential ?? []),
  ]);
  await checkOutputFile(o.out);
  const documents = [];
  for (const r of results) documents.push({ name: basename(r, extname(r)), document: await readResult(r) });
  const req: ReportRequest = {
    ...(base ? { inventory: { ...base, ...(o.campaign !== undefined ? { name: o.campaign } : {}) } } : {}),
    results: documents,
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(o.referential ? { referentials: o.referential } : {}),
    ...(target ? { target } : {}),
    ...(o.criterion !== undefined ? { criterion: o.criterion } : {}),
  };
  const observer = terminalReport(io);
  const data = await buildReport(standardDeps(io.today, io.temps), req, observer.notice);
  const html = renderReportHtml(data, lang);
  const out = await openFileOut(o.out, io.temps);
  try {
    await out.write(html);
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.close();
}

export function registerCampaignReport(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('report')
    .description(
      'write the campaign report (key figures, charts, top contributors, trajectory, data quality, sources) as one self-contained HTML file; French unless --lang en',
    )
    .argument('<inventory-or-result...>', 'inventory files or folders, or result documents of assess --format json')
    .option('--out <file>', 'the HTML file to write (atomically)')
    .option('--title <text>', "the title page's organisation or title (default: the run's organisation)")
    .option('--campaign <name>', 'the name of the assessed inventory campaign (default: its year)')
    .option('--target <reduction>', 'a reduction target for the trajectory, e.g. -30% (needs --by)')
    .option('--by <year>', 'the target year')
    .option('--baseline <year>', 'the baseline campaign year (default: the earliest campaign)')
    .option('--criterion <code>', 'the criterion of the top contributors and the trajectory (default CLIMATE_CHANGE)')
    .option('--referential <dir...>', 'referential folder(s) or pack id(s) layered over the embedded default pack')
    .option('--profile <profile>', 'rcp (ADEME RCP, default) or numecoeval (reproduces NumEcoEval/G4IT)', 'rcp')
    .option('--date <date>', 'calculation and reference date yyyy-MM-dd (default: today)')
    .option('--period <period>', 'assessed period, yyyy or yyyy-MM-dd..yyyy-MM-dd (default: the year of --date)')
    .option('--criteria <list>', 'criteria to compute, comma-separated (default: those of the referential)')
    .option(
      '--mapping <mapping>',
      'column mapping (file or preset id) for foreign exports; <path>=<mapping> for one source (repeatable)',
      collect,
    )
    .option('--electricity <dataset>', 'electricity factors: ademe, ember, boavizta')
    .option('--organisation <name>', "organisation of the batch (selects the organisation's referential rows)")
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .action(async (paths: string[], o: CampaignReportOptions, command: Command) => {
      // The report is French unless --lang asks for English (the messages on stderr follow --lang as elsewhere).
      const explicit = command.optsWithGlobals<{ lang?: string }>().lang;
      const lang: ReportLang = explicit !== undefined && ctx.lang === 'en' ? 'en' : 'fr';
      const io: AssessIo = { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) };
      await steeringAction(io, () => runCampaignReport(paths, o, lang, io));
    });
}
