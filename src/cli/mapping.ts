/**
 * `empreinte mapping suggest <file> [--kind <kind>] [--sheet <name>]`: reads the header and first rows of a CSV, XLSX
 * or ODS file and prints a proposed column mapping as YAML on stdout (docs/mapping.md). `empreinte mapping presets` lists
 * the built-in presets.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { openCsv } from '../formats/csv.js';
import { openOds } from '../formats/ods.js';
import type { Table } from '../formats/table.js';
import { openXlsx } from '../formats/xlsx.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { KIND_ORDER } from '../inventory/columns.js';
import { scoreHeader } from '../inventory/detect.js';
import type { InventoryKind } from '../inventory/model.js';
import { PRESETS, presetScore } from '../inventory/mapping/presets/index.js';
import { firstRows } from '../inventory/mapping/hooks.js';
import { suggestMapping } from '../inventory/mapping/suggest.js';
import { printable } from './terminal.js';

/** Rows `mapping suggest` reads after the header (choice: enough for the usual category vocabulary). */
const SUGGEST_ROWS = 200;

export interface SuggestOptions {
  readonly kind?: string;
  readonly sheet?: string;
}

/** The file's first (or named) table. */
async function openTable(path: string, sheet?: string): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return (await openXlsx(path, { displayName: path, sheet }))[0]!;
  if (ext === '.ods') return (await openOds(path, { displayName: path, sheet }))[0]!;
  // Delimiter choice: native columns first, then preset columns (a GLPI header scores with its preset).
  const score = (h: readonly string[]) => Math.max(scoreHeader(h), ...PRESETS.map((p) => presetScore(p, h)));
  return openCsv(path, { displayName: path, scoreHeader: score });
}

/** The header of the file's first (or named) table. */
export async function readHeader(path: string, sheet?: string): Promise<readonly string[]> {
  return (await openTable(path, sheet)).header;
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
  const table = await openTable(path, o.sheet);
  // The first rows settle presets sharing a header and give the value map of the type column.
  return suggestMapping(table.header, { kind, rows: await firstRows(table, SUGGEST_ROWS) }).yaml;
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
