/**
 * `empreinte service import <g4it-export.zip|folder> [--out service.yaml] [--name <service>]` and
 * `empreinte service export <service.yaml> --to g4it --out <file.zip>`: G4IT's digital-service files ↔ the native
 * YAML description (use cases in src/app/service-g4it.ts). `--referential` (the `service` command's option) layers a
 * G4IT referential folder over the default pack: its device types, network capacities and host items. Bad input → one
 * coded line on stderr, exit 2.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { openFileOut } from '../app/adapters/file-out.js';
import { exportG4itService, importG4itService } from '../app/service-g4it.js';
import { parseServiceText } from '../services/index.js';
import type { Referential } from '../referential/model.js';
import type { CliContext, Lang } from './lang.js';
import { issueLine } from './terminal.js';

export interface ServiceExchangeIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly loadReferential: (dir: string | undefined, profile: 'rcp' | 'numecoeval') => Promise<Referential>;
  readonly readText: (file: string) => Promise<string>;
  readonly lang?: Lang;
}

export interface ImportOptions {
  readonly out?: string;
  readonly name?: string;
  readonly referential?: string;
}
export interface ExportOptions {
  readonly to?: string;
  readonly out?: string;
  readonly referential?: string;
}

async function coded(io: ServiceExchangeIo, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (e) {
    if (e instanceof EmpreinteError) {
      io.err(issueLine(e.issue, io.lang ?? 'en') + '\n');
      return 2;
    }
    throw e;
  }
}

/** `service import`: the YAML description on stdout, or in `--out` (written atomically). */
export function runServiceImport(path: string, o: ImportOptions, io: ServiceExchangeIo): Promise<number> {
  return coded(io, async () => {
    const referential = await io.loadReferential(o.referential, 'numecoeval');
    const { document } = await importG4itService({
      path,
      referential,
      ...(o.name !== undefined ? { service: o.name } : {}),
    });
    const text =
      `# Imported from G4IT digital-service files: ${path}\n` +
      stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
    if (o.out === undefined) {
      io.out(text);
      return;
    }
    if (resolve(o.out) === resolve(path))
      throw new EmpreinteError(issue('OUT_OVERWRITES_INPUT', { option: '--out', file: o.out, input: path }));
    const f = await openFileOut(o.out);
    try {
      await f.write(text);
      await f.close();
    } catch (e) {
      await f.abort();
      throw e;
    }
  });
}

/** `service export --to g4it --out file.zip`. */
export function runServiceExport(file: string, o: ExportOptions, io: ServiceExchangeIo): Promise<number> {
  return coded(io, async () => {
    if (o.to !== 'g4it')
      throw new EmpreinteError(issue('INP_BAD_ENUM', { field: '--to', allowed: 'g4it', value: o.to ?? '' }));
    if (o.out === undefined)
      throw new EmpreinteError(issue('OUT_FILE_REQUIRED', { format: 'g4it', what: 'the zip to write' }));
    if (resolve(o.out) === resolve(file))
      throw new EmpreinteError(issue('OUT_OVERWRITES_INPUT', { option: '--out', file: o.out, input: file }));
    const parsed = parseServiceText(await io.readText(file), file);
    const referential = await io.loadReferential(o.referential, parsed.definition.profile ?? 'rcp');
    const zip = await exportG4itService(parsed.definition, referential, parsed.source);
    const f = await openFileOut(o.out);
    try {
      await f.writeBytes(zip);
      await f.close();
    } catch (e) {
      await f.abort();
      throw e;
    }
  });
}

/** The two subcommands of `service` (its own `--referential` is read through `optsWithGlobals`). */
export function registerServiceExchange(
  service: Command,
  ctx: CliContext,
  io: () => Omit<ServiceExchangeIo, 'lang'>,
): void {
  service
    .command('import <path>')
    .description(
      "Read G4IT's digital-service files (its export zip, or a folder of its CSV files) as a service description (YAML)",
    )
    .option('--out <file>', 'write the YAML to a file (atomically) instead of stdout')
    .option('--name <name>', 'name of the service (default: the zip or folder name)')
    .action(async (path: string, _o: unknown, cmd: Command) => {
      const code = await runServiceImport(path, cmd.optsWithGlobals<ImportOptions>(), { ...io(), lang: ctx.lang });
      if (code !== 0) process.exitCode = code;
    });
  service
    .command('export <file>')
    .description("Write a service description as G4IT's digital-service files (a zip)")
    .option('--to <format>', 'g4it')
    .option('--out <file>', 'the zip to write (atomically)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const code = await runServiceExport(file, cmd.optsWithGlobals<ExportOptions>(), { ...io(), lang: ctx.lang });
      if (code !== 0) process.exitCode = code;
    });
}
