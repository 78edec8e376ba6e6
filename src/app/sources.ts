/**
 * The inputs of a run. Each source is a file or folder (or a stream, e.g. a server upload) with its own mapping: a
 * preset id or mapping file, a ready `MapTable`, or auto-detection of the built-in presets' headers — the seam of
 * per-file mappings (a GLPI export, an Intune export and a NumEcoEval folder in one run) — and optionally the entity
 * of its items that name none.
 *
 * A stream source goes to the pipeline as it is (`InputSource.stream`): the pipeline copies it once to a temporary
 * file of the run (`deps.spoolDir`), reads it under its own name (the extension chooses the reader, messages name
 * it) and removes the copy at the end of the run.
 */
import { Readable } from 'node:stream';
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

interface SourceOptions {
  readonly mapping?: SourceMapping;
  /** Entity (`nomEntite`) of this source's items that name none. */
  readonly entity?: string;
}

export type Source =
  | (SourceOptions & { readonly path: string })
  | (SourceOptions & {
      /** The bytes of one file (CSV, XLSX, ODS…), e.g. an upload. */
      readonly stream: AsyncIterable<Uint8Array | string>;
      /** Its file name: the extension chooses the reader. */
      readonly name: string;
    });

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

/**
 * The pipeline's inputs for the sources: each source's mapping resolved (a named mapping is loaded once per distinct
 * ref; default: auto-detection). Throws the mapping loader's errors (`INP_MAPPING_INVALID`…).
 */
export async function openSources(sources: readonly Source[], deps: AppDeps): Promise<InputSource[]> {
  const loaded = new Map<string, MapTable>();
  const auto = autoMapTable();
  const mapTableOf = async (m: SourceMapping | undefined): Promise<MapTable> => {
    if (m === undefined || m.type === 'auto') return auto;
    if (m.type === 'table') return m.mapTable;
    let t = loaded.get(m.ref);
    if (!t) loaded.set(m.ref, (t = await deps.loadMapping(m.ref)));
    return t;
  };
  const inputs: InputSource[] = [];
  for (const s of sources) {
    const mapTable = await mapTableOf(s.mapping);
    const entity = s.entity !== undefined ? { entity: s.entity } : {};
    if ('path' in s) inputs.push({ path: s.path, mapTable, ...entity });
    else inputs.push({ path: s.name, stream: Readable.from(s.stream), mapTable, ...entity });
  }
  return inputs;
}
