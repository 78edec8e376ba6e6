/**
 * One way to open a user referential (methodology §3.5), shared by `referential import` and `assess --referential`:
 * an Empreinte pack folder (its manifest checked, REF_PACK_INVALID), a pack id (REF_PACK_UNKNOWN), or a NumEcoEval/G4IT
 * CSV folder or file. Either way the value rules of `validate.ts` refuse the bad rows; a source with no usable row
 * is refused by `requireRows` (REF_NOTHING_USABLE), so a run never falls back silently to the defaults.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { EmpreinteError, issue, type Issue } from '../issues/catalogue.js';
import { readReferential } from './csv-read.js';
import type { ReferentialLayer } from './model.js';
import { loadPack, resolvePack, type PackManifest } from './pack.js';
import { layerRowCount } from './validate.js';

export interface ReferentialSource {
  /** What the path designated. */
  readonly kind: 'pack' | 'csv';
  readonly path: string;
  /** Pack id, or the layer name of a CSV source. */
  readonly id: string;
  readonly version?: string;
  readonly manifest?: PackManifest;
  /** The rows kept. */
  readonly layer: ReferentialLayer;
  /** Refused rows (R) and warnings (W). */
  readonly issues: readonly Issue[];
}

/**
 * Open a referential source. File-level problems throw `EmpreinteError`: an unreadable path, a pack whose manifest is
 * missing (a folder of `.json` files without `manifest.json`), broken or not matching its files, an unknown pack id.
 */
export async function loadReferentialSource(
  path: string,
  opts: { readonly layerName: string; readonly replace?: boolean; readonly env?: NodeJS.ProcessEnv },
): Promise<ReferentialSource> {
  if (existsSync(join(path, 'manifest.json')) || !existsSync(path)) {
    const pack = existsSync(path) ? await loadPack(path) : await resolvePack(path, opts.env);
    const m = pack.manifest;
    return {
      kind: 'pack',
      path,
      id: m.id,
      version: m.version,
      manifest: m,
      layer: withRefused(pack.layer, pack.issues ?? []),
      issues: pack.issues ?? [],
    };
  }
  if ((await stat(path)).isDirectory()) {
    const names = (await readdir(path)).filter((n) => !n.startsWith('.'));
    const has = (ext: string) => names.some((n) => extname(n).toLowerCase() === ext);
    if (!has('.csv') && has('.json')) {
      throw new EmpreinteError(
        issue(
          'REF_PACK_INVALID',
          { id: basename(resolve(path)), reason: 'manifest.json is missing' },
          { file: join(path, 'manifest.json') },
        ),
      );
    }
  }
  const r = await readReferential([path], { layerName: opts.layerName, replace: opts.replace });
  return { kind: 'csv', path, id: r.layer.name, layer: withRefused(r.layer, r.issues), issues: r.issues };
}

/** The layer with its refused rows (severity R) listed, for the run's result. */
function withRefused(layer: ReferentialLayer, issues: readonly Issue[]): ReferentialLayer {
  const refused = issues
    .filter((i) => i.severity === 'R')
    .map((i) => ({
      code: i.code,
      ...(i.file !== undefined ? { file: i.file } : {}),
      ...(i.line !== undefined ? { line: i.line } : {}),
      ...(i.column !== undefined ? { column: i.column } : {}),
    }));
  return refused.length ? { ...layer, refused } : layer;
}

/** Throws REF_NOTHING_USABLE when the source kept no row: every row refused, or nothing to read at all. */
export function requireRows(src: ReferentialSource): void {
  if (layerRowCount(src.layer) > 0) return;
  const refused = src.issues.filter((i) => i.severity === 'R').length;
  throw new EmpreinteError(issue('REF_NOTHING_USABLE', { id: src.id, refused }, { file: src.path }));
}
