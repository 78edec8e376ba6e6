/**
 * Where a service description came from, so that every error names the file, the path in the document (reported as
 * `column`, e.g. `usage.devices[1].share`) and, when the text was parsed here, the line.
 */
import { EmpreinteError, issue } from '../issues/catalogue.js';
import type { IssueCode, IssueDetailsOf, Location } from '../issues/catalogue.js';

export type DocPath = readonly (string | number)[];

export interface ServiceSource {
  readonly file?: string;
  /** 1-based line of the node at `path` (or of its nearest existing parent); undefined when unknown. */
  lineOf?(path: DocPath): number | undefined;
}

/** `['usage', 'devices', 1, 'share']` → `usage.devices[1].share`. */
export function pathString(path: DocPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

export function locate(source: ServiceSource | undefined, path: DocPath): Location {
  const line = source?.lineOf?.(path);
  return {
    ...(source?.file !== undefined ? { file: source.file } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(path.length > 0 ? { column: pathString(path) } : {}),
  };
}

/** Throw a file-level error located at `path` of the service document. */
export function fail<C extends IssueCode>(
  source: ServiceSource | undefined,
  path: DocPath,
  code: C,
  details: IssueDetailsOf<C>,
): never {
  const at = locate(source, path);
  throw new EmpreinteError(issue(code, { file: at.file ?? '<service>', ...details }, at));
}
