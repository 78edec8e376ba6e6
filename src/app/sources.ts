/**
 * The inputs of a run. Each source is a file or folder (or a stream, e.g. a server upload) with its own mapping: a
 * preset id or mapping file, a ready `MapTable`, or auto-detection of the built-in presets' headers — the seam of
 * per-file mappings (a GLPI export, an Intune export and a NumEcoEval folder in one run).
 *
 * A stream source is spooled to a temporary file for now (the readers take a path): `spoolDir/empreinte-src-XXXX/name`,
 * registered in the run's `TempFiles` and removed at the end of the run. The file keeps the source's name, so the
 * reader is chosen by its extension and messages name it (with the temporary folder in front).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { autoMapTable } from '../inventory/mapping/hooks.js';
import type { InputSource, MapTable } from '../inventory/pipeline.js';
import type { AppDeps } from './deps.js';

export type SourceMapping =
  /** Recognise the built-in presets' headers; other tables are read as NumEcoEval/G4IT/native. */
  | { readonly type: 'auto' }
  /** A preset id (`glpi-computers`) or a mapping file (JSON or YAML). */
  | { readonly type: 'named'; readonly ref: string }
  /** A mapping hook built by the caller. */
  | { readonly type: 'table'; readonly mapTable: MapTable };

export type Source =
  | { readonly path: string; readonly mapping?: SourceMapping }
  | {
      /** The bytes of one file (CSV, XLSX, ODS…), e.g. an upload. */
      readonly stream: AsyncIterable<Uint8Array | string>;
      /** Its file name: the extension chooses the reader. */
      readonly name: string;
      readonly mapping?: SourceMapping;
    };

/** Sources from paths, all read with one mapping (the CLI's `<path…> [--mapping x]`). */
export function pathSources(paths: readonly string[], mapping?: SourceMapping): Source[] {
  return paths.map((path) => (mapping ? { path, mapping } : { path }));
}

/** The paths named by the sources (streams excluded), e.g. to refuse an output inside an input. */
export function sourcePaths(sources: readonly Source[]): string[] {
  return sources.flatMap((s) => ('path' in s ? [s.path] : []));
}

/** The mapping refs named by the sources (to refuse an output over a mapping file). */
export function mappingRefs(sources: readonly Source[]): string[] {
  return sources.flatMap((s) => (s.mapping?.type === 'named' ? [s.mapping.ref] : []));
}

/** The pipeline's inputs for the sources, and a `dispose` that removes the spooled streams. */
export interface OpenedSources {
  readonly inputs: readonly InputSource[];
  dispose(): Promise<void>;
}

/**
 * Resolve each source's mapping (a named mapping is loaded once per distinct ref; default: auto-detection) and spool
 * the streams. Throws the mapping loader's errors (`INP_MAPPING_INVALID`…).
 */
export async function openSources(sources: readonly Source[], deps: AppDeps): Promise<OpenedSources> {
  const loaded = new Map<string, MapTable>();
  const spooled: string[] = [];
  const dispose = async () => {
    for (const dir of spooled) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      deps.temps?.delete(dir);
    }
  };
  const auto = autoMapTable();
  const mapTableOf = async (m: SourceMapping | undefined): Promise<MapTable> => {
    if (m === undefined || m.type === 'auto') return auto;
    if (m.type === 'table') return m.mapTable;
    let t = loaded.get(m.ref);
    if (!t) loaded.set(m.ref, (t = await deps.loadMapping(m.ref)));
    return t;
  };
  try {
    const inputs: InputSource[] = [];
    for (const s of sources) {
      const mapTable = await mapTableOf(s.mapping);
      if ('path' in s) {
        inputs.push({ path: s.path, mapTable });
        continue;
      }
      const dir = await mkdtemp(join(deps.spoolDir ?? tmpdir(), 'empreinte-src-'));
      spooled.push(dir);
      deps.temps?.add(dir);
      const path = join(dir, basename(s.name) || 'input.csv');
      await pipeline(s.stream, createWriteStream(path));
      inputs.push({ path, mapTable });
    }
    return { inputs, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
