/**
 * What a use case needs from the outside world, passed in by its caller (the CLI, a server, tests): the clock, the
 * table readers of the run, the referential loader, the mapping loader, and the registry of the run's temporary files.
 * Built once per run: nothing here is shared between two concurrent runs unless the caller shares it.
 */
import type { TempFiles } from '../formats/temp-files.js';
import { loadMapping } from '../inventory/mapping/hooks.js';
import type { MapTable } from '../inventory/pipeline.js';
import { tableReaders, type ReaderSet } from '../inventory/readers.js';
import type { Issue } from '../issues/catalogue.js';
import type { Referential } from '../referential/model.js';
import { loadActiveReferential, type ReferentialOptions } from './load-referential.js';

export interface AppDeps {
  /** Today as `yyyy-MM-dd`: the default reference date (the only clock a use case reads). */
  readonly today: () => string;
  /** Table readers of the run (`tableReaders()`, plus any extra format). */
  readonly readers: ReaderSet;
  /** The active referential: embedded pack, profile layer, the user's layers (§3.5). */
  readonly loadReferential: (o: ReferentialOptions) => Promise<{ referential: Referential; issues: Issue[] }>;
  /** A mapping by preset id or file (JSON/YAML) → the pipeline's hook. */
  readonly loadMapping: (ref: string) => Promise<MapTable>;
  /** The run's temporary files (rejects being written, spooled streams), removed by the caller on a signal. */
  readonly temps?: TempFiles;
  /** Folder where stream sources are spooled (default: the system's temporary folder). */
  readonly spoolDir?: string;
}

/** The standard dependencies: readers built for this run, the embedded pack and the mapping module. */
export function standardDeps(today: () => string, temps?: TempFiles): AppDeps {
  return {
    today,
    readers: tableReaders(),
    loadReferential: loadActiveReferential,
    loadMapping: (ref) => loadMapping(ref),
    ...(temps ? { temps } : {}),
  };
}
