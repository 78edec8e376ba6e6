/**
 * `empreinte mapping suggest <file> [--kind <kind>] [--sheet <name>]`: reads only the header of a CSV, XLSX or ODS
 * file and prints a proposed column mapping as YAML on stdout (docs/mapping.md). `empreinte mapping presets` lists
 * the built-in presets.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { openCsv } from '../formats/csv.js';
import { openOds } from '../formats/ods.js';
import { openXlsx } from '../formats/xlsx.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { KIND_ORDER } from '../inventory/columns.js';
import { scoreHeader } from '../inventory/detect.js';
import type { InventoryKind } from '../inventory/model.js';
import { PRESETS, presetScore } from '../inventory/mapping/presets/index.js';
import { suggestMapping } from '../inventory/mapping/suggest.js';
import { printable } from './terminal.js';

export interface SuggestOptions {
  readonly kind?: string;
  readonly sheet?: string;
}

/** The header of the file's first (or named) table. */
export async function readHeader(path: string, sheet?: string): Promise<readonly string[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return (await openXlsx(path, { displayName: path, sheet }))[0]!.header;
  if (ext === '.ods') return (await openOds(path, { displayName: path, sheet }))[0]!.header;
  // Delimiter choice: native columns first, then preset columns (a GLPI header scores with its preset).
  const score = (h: readonly string[]) => Math.max(scoreHeader(h), ...PRESETS.map((p) => presetScore(p, h)));
  return (await openCsv(path, { displayName: path, scoreHeader: score })).header;
}

/** The YAML suggestion for a file. */
export async function runMappingSuggest(path: string, o: SuggestOptions = {}): Promise<string> {
  let kind: InventoryKind | undefined;
  if (o.kind !== undefined) {
    if (!(KIND_ORDER as readonly string[]).includes(o.kind)) {
      throw new EmpreinteError(
        issue('INP_BAD_ENUM', { field: '--kind', allowed: KIND_ORDER.join(', '), value: o.kind }),
      );
    }
    kind = o.kind as InventoryKind;
  }
  const header = await readHeader(path, o.sheet);
  return suggestMapping(header, { kind }).yaml;
}

export function registerMapping(program: Command): void {
  const cmd = program.command('mapping').description('Column mappings for foreign fleet exports (GLPI, OCS, Intune…)');
  cmd
    .command('suggest <file>')
    .description('Propose a mapping (YAML on stdout) from the header of a CSV, XLSX or ODS file')
    .option('--kind <kind>', `inventory kind of the rows: ${KIND_ORDER.join(', ')}`)
    .option('--sheet <name>', 'sheet to read in a workbook (default: the first non-empty one)')
    .action(async (file: string, o: SuggestOptions) => {
      // Header names reach the YAML comments as they are: strip control characters (scalars are YAML-escaped).
      process.stdout.write(printable(await runMappingSuggest(file, o)));
    });
  cmd
    .command('presets')
    .description('List the built-in mapping presets')
    .action(() => {
      for (const p of PRESETS) process.stdout.write(`${p.id}\t${p.mapping.kind}\t${p.source}\n`);
    });
}
