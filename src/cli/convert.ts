/**
 * `empreinte convert <path…> --to numecoeval|g4it --out <folder>`: the sources read as `assess` reads them (per-source
 * `--mapping <path>=<mapping>`, `--sources <file>`, presets auto-detected) written as NumEcoEval or G4IT inventory
 * files — the convert use case of the application layer (`src/app/convert.ts`). Prints one line per file written and
 * what the target format has no file for; rejected lines are counted (and written with `--rejects`).
 */
import type { Command } from 'commander';
import { convert, type ConvertFormat } from '../app/convert.js';
import { standardDeps } from '../app/deps.js';
import { mappingRefs, sourcePaths } from '../app/sources.js';
import { printable } from '../app/terminal-text.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { defaultIo, rejectedLine, type AssessIo } from './assess.js';
import type { CliContext } from './lang.js';
import { collect, mappedSources, mappingFiles, parseDateOption } from './options.js';
import { checkOutputFolder } from './output.js';
import { refuseOutputOnInput } from './paths.js';
import { readSourcesFile } from './sources-file.js';

export interface ConvertOptions {
  readonly to?: string;
  readonly out?: string;
  readonly mapping?: string[];
  readonly sources?: string;
  readonly date?: string;
  readonly strict?: boolean;
  readonly rejects?: string;
}

const FORMATS: readonly ConvertFormat[] = ['numecoeval', 'g4it'];

export async function runConvert(paths: readonly string[], o: ConvertOptions, io: AssessIo = defaultIo): Promise<void> {
  const to = FORMATS.find((f) => f === o.to);
  if (to === undefined)
    throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--to', allowed: FORMATS.join(', '), value: o.to ?? '' }));
  if (o.out === undefined)
    throw new EmpreinteError(issue('OUT_FILE_REQUIRED', { format: to, what: 'the output folder' }));
  const listed = o.sources !== undefined ? await readSourcesFile(o.sources) : [];
  const sources = [...mappedSources(paths, o.mapping), ...listed];
  if (sources.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<path…>',
        allowed: 'one or more inventory files or folders, or --sources <file>',
        value: '',
      }),
    );
  const inputs = [
    ...sourcePaths(sources),
    ...mappingFiles(o.mapping),
    ...mappingRefs(listed),
    ...(o.sources !== undefined ? [o.sources] : []),
  ];
  await refuseOutputOnInput('--out', o.out, inputs);
  await refuseOutputOnInput('--rejects', o.rejects, inputs);
  await checkOutputFolder(o.out);
  if (o.rejects !== undefined) await checkOutputFolder(o.rejects);
  const referenceDate = parseDateOption('--date', o.date);
  const outcome = await convert(standardDeps(io.today, io.temps), {
    sources,
    to,
    outDir: o.out,
    ...(referenceDate !== undefined ? { referenceDate } : {}),
    ...(o.strict ? { strict: true } : {}),
    ...(o.rejects !== undefined ? { rejectsDir: o.rejects } : {}),
  });
  const lines = outcome.files.map((f) => `${f.file}: ${f.kind}, ${f.rows} line(s)`);
  for (const [kind, n] of Object.entries(outcome.notConverted))
    lines.push(`not converted: ${n} ${kind} item(s) (the ${to} format has no file for them)`);
  io.err(printable(lines.join('\n')) + '\n');
  const rejected = outcome.result.totals.rejected;
  if (rejected > 0) io.err(rejectedLine(rejected, o.rejects, io.lang ?? 'en'));
}

export function registerConvert(program: Command, ctx: CliContext = { lang: 'en' }): void {
  program
    .command('convert')
    .description('write the sources (any supported export, mapped) as NumEcoEval or G4IT inventory files')
    .argument(
      '[path...]',
      'inventory files or folders (NumEcoEval, G4IT, native, GLPI/OCS/Intune/Snipe-IT/Lansweeper…)',
    )
    .requiredOption('--to <format>', 'numecoeval or g4it')
    .requiredOption('--out <folder>', 'folder to write the files to')
    .option('--mapping <mapping>', 'column mapping (preset id or file), or <path>=<mapping> for one source', collect)
    .option('--sources <file>', 'a sources file (YAML or JSON) listing files, mappings and entities')
    .option('--date <date>', 'reference date for the date checks (default: today)')
    .option('--strict', 'reproduce the G4IT loader: invalid values, unknown columns, every copy of a duplicate')
    .option('--rejects <dir>', 'write the refused lines to rejected_<file>.csv files in this folder')
    .action(async (paths: string[], o: ConvertOptions) => {
      await runConvert(paths, o, { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) });
    });
}
