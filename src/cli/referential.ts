/**
 * `empreinte referential list | show <id> | export <id> --format numecoeval|g4it <dir> | import <dir> | diff <a> <b>`.
 * Packs: the embedded default (`referential/empreinte-default`) and user packs stored by `import` under
 * `$EMPREINTE_HOME/referentials/<id>` (default `~/.empreinte/referentials/<id>`). File-level problems throw
 * `EmpreinteError` (the CLI maps it to exit 2); import prints every rejected row as `file:line:column: CODE message`.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EmpreinteError, formatIssue, issue, type Issue } from '../issues/catalogue.js';
import { loadReferentialSource, requireRows } from '../referential/source.js';
import { writeExport, type ExportFormat } from '../referential/export.js';
import {
  diffLayers,
  listPacks,
  resolvePack,
  serialisePack,
  sha256,
  userPacksDir,
  writePack,
  type LayerDiffEntry,
  type Pack,
  type PackManifest,
} from '../referential/pack.js';
import type { CliContext } from './lang.js';
import { checkOutputFolder } from './output.js';
import { refuseOutputOnInput } from './paths.js';
import { issueLine, printable } from './terminal.js';

export interface ImportResult {
  readonly id: string;
  readonly dir: string;
  readonly manifest?: PackManifest;
  /** Every issue found (warnings and rejected rows); the pack is stored only when no row was rejected. */
  readonly issues: readonly Issue[];
  readonly stored: boolean;
}

/**
 * Validate a NumEcoEval/G4IT referential CSV folder and store it as a user pack. Nothing is written when a row is
 * rejected (severity R/F): the caller prints the issues.
 */
export async function importUserPack(
  dir: string,
  opts: { id?: string; replace?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<ImportResult> {
  const id =
    (opts.id ?? basename(resolve(dir))).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'user-pack';
  const layerName = `user:${id}`;
  // The same validation as `assess --referential` (source.ts): a CSV folder or an Empreinte pack folder.
  const src = await loadReferentialSource(dir, { layerName, replace: opts.replace, env: opts.env });
  const { layer, issues } = src;
  const target = join(userPacksDir(opts.env), id);
  if (issues.some((i) => i.severity === 'R' || i.severity === 'F'))
    return { id, dir: target, issues: [...issues], stored: false };
  requireRows(src);
  const inputs: PackManifest['inputs'] = [];
  if (src.manifest) {
    for (const f of src.manifest.files) inputs.push({ path: f.path, sha256: f.sha256, origin: resolve(dir, f.path) });
  } else {
    for (const name of (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.csv')).sort()) {
      inputs.push({ path: name, sha256: sha256(await readFile(join(dir, name))), origin: resolve(dir, name) });
    }
  }
  const pack = serialisePack(layer, {
    id,
    version: `import-${sha256(inputs.map((i) => i.sha256).join('\n')).slice(0, 12)}`,
    title: `User referential imported from ${basename(resolve(dir))}`,
    inputs,
    licences: [],
    skipped: [],
    keepRowLocation: true,
  });
  await writePack(target, pack);
  return { id, dir: target, manifest: pack.manifest, issues: [...issues], stored: true };
}

export function formatDiff(entries: readonly LayerDiffEntry[]): string[] {
  return entries.map((e) =>
    e.kind === 'added'
      ? `+ ${e.table} ${e.key} = ${e.after}`
      : e.kind === 'removed'
        ? `- ${e.table} ${e.key} = ${e.before}`
        : `~ ${e.table} ${e.key}: ${e.before} → ${e.after}`,
  );
}

/** Rows a pack lost to the value rules (§3.5) are said, never dropped silently. */
function warnRefused(pack: Pack, ctx: CliContext): Pack {
  for (const i of pack.issues ?? []) process.stderr.write(`warning: ${formatIssue(i, ctx.lang)} (row ignored)\n`);
  return pack;
}

function out(lines: string | readonly string[]): void {
  process.stdout.write(printable((typeof lines === 'string' ? [lines] : lines).join('\n')) + '\n');
}

export function registerReferential(program: Command, ctx: CliContext = { lang: 'en' }): void {
  const ref = program.command('referential').description('List, inspect, export, import and compare referential packs');

  ref
    .command('list')
    .description('List the embedded default pack and the user packs')
    .action(async () => {
      // Tab-separated for scripts: each field made printable on its own (printable() turns a tab into a space).
      const packs = await listPacks();
      const row = (fields: string[]) => fields.map((f) => printable(f, true)).join('\t');
      process.stdout.write(
        packs
          .map((p) =>
            row([p.id, p.version, p.embedded ? 'embedded' : 'user', p.contentHash.slice(0, 12), p.title, p.dir]),
          )
          .join('\n') + (packs.length ? '\n' : ''),
      );
    });

  ref
    .command('show <id>')
    .description('Show a pack: version, content hash, files, licences, notes and skipped source rows')
    .action(async (id: string) => {
      const pack = warnRefused(await resolvePack(id), ctx);
      const m = pack.manifest;
      const items = new Set(pack.layer.factorRows.map((r) => r.item)).size;
      const datasets = [...new Set(pack.layer.electricity.map((e) => e.dataset))].sort();
      const lines = [
        `${m.id} ${m.version} — ${m.title}`,
        `pack hash: ${m.contentHash} (results name it beside the merged hash of their run)`,
        m.description ?? '',
        `reference items: ${items} (${pack.layer.factorRows.length} factor rows); item types: ${pack.layer.itemTypes.length}; hypotheses: ${pack.layer.hypotheses.length}`,
        `electricity: ${pack.layer.electricity.length} factors, datasets ${datasets.join(', ') || 'none'}`,
        'files:',
        ...m.files.map((f) => `  ${f.path}\t${f.rows} rows\t${f.licence}${f.description ? `\t${f.description}` : ''}`),
        'licences:',
        ...m.licences.map((l) => `  ${l.dataset} (${l.licence}): ${l.attribution}`),
        ...(m.notes?.length ? ['notes:', ...m.notes.map((n) => `  ${n}`)] : []),
        ...(m.skipped.length
          ? ['not embedded:', ...m.skipped.map((s) => `  ${s.count} × ${s.what}: ${s.reason}`)]
          : []),
      ];
      out(lines.filter((l) => l !== ''));
    });

  ref
    .command('export <id> <dir>')
    .description('Export a pack as NumEcoEval or G4IT referential CSV files')
    .requiredOption('--format <format>', 'numecoeval or g4it')
    .option('--electricity <dataset>', 'electricity dataset written for each country (default: the pack order)')
    .action(async (id: string, dir: string, o: { format: string; electricity?: string }) => {
      if (o.format !== 'numecoeval' && o.format !== 'g4it') {
        throw new EmpreinteError(
          issue('INP_BAD_ENUM', { field: '--format', allowed: 'numecoeval, g4it', value: o.format }),
        );
      }
      const pack = warnRefused(await resolvePack(id), ctx);
      await refuseOutputOnInput('export folder', dir, [pack.dir]);
      await checkOutputFolder(dir);
      const written = await writeExport(pack.layer, o.format as ExportFormat, dir, {
        electricityDataset: o.electricity,
        ...(ctx.temps ? { temps: ctx.temps } : {}),
      });
      out(`${pack.manifest.id} ${pack.manifest.version} exported as ${o.format} to ${dir}: ${written.join(', ')}`);
    });

  ref
    .command('import <dir>')
    .description(
      'Validate a NumEcoEval/G4IT referential CSV folder and store it as a user pack (layered over the default)',
    )
    .option('--id <id>', 'pack id (default: the folder name)')
    .option('--replace', 'NumEcoEval "annule et remplace": the tables of this pack replace the lower layers')
    .action(async (dir: string, o: { id?: string; replace?: boolean }) => {
      if (!existsSync(dir))
        throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: 'no such folder' }, { file: dir }));
      const r = await importUserPack(dir, { id: o.id, replace: o.replace });
      for (const i of r.issues) process.stderr.write(issueLine(i, ctx.lang) + '\n');
      if (!r.stored) {
        process.stderr.write(
          `referential import: ${r.issues.filter((i) => i.severity !== 'W').length} row(s) rejected; nothing stored.\n`,
        );
        process.exitCode = 2;
        return;
      }
      out(`imported ${r.id} (${r.manifest!.version}, ${r.manifest!.contentHash.slice(0, 12)}) into ${r.dir}`);
    });

  ref
    .command('diff <a> <b>')
    .description('List the values added, removed and changed from pack a to pack b')
    .action(async (a: string, b: string) => {
      const [pa, pb] = [warnRefused(await resolvePack(a), ctx), warnRefused(await resolvePack(b), ctx)];
      const d = diffLayers(pa.layer, pb.layer);
      const n = (k: LayerDiffEntry['kind']) => d.filter((e) => e.kind === k).length;
      out([...formatDiff(d), `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed`]);
    });
}
