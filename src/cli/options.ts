/** Option values shared by the commands, parsed into typed values or a coded error naming the option. */
import { resolve } from 'node:path';
import { pathSources, type Source } from '../app/sources.js';
import { parseDate } from '../inventory/cells.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/**
 * A calendar date in any documented format (methodology §2.1: `yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`, `yyyy/MM/dd`),
 * returned as `yyyy-MM-dd` (undefined when absent); throws `INP_BAD_DATE` naming the option otherwise.
 */
export function parseDateOption(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = parseDate(value);
  if (date === undefined) throw new EmpreinteError(issue('INP_BAD_DATE', { field, value }));
  return date;
}

/**
 * The sources of `<path…> --mapping …` (issue 11, consolidation): `--mapping <file>=<mapping>` applies that mapping
 * (preset id or mapping file) to that source only; a plain `--mapping <mapping>` applies to every other source; a
 * source without either is auto-detected. `--mapping` may be repeated. A value whose part before `=` names none of
 * the paths is a plain mapping (a mapping file's name may hold `=`); a second plain mapping is refused (`INP_BAD_ENUM`).
 */
export function mappedSources(paths: readonly string[], mapping: string | readonly string[] | undefined): Source[] {
  const specs = mapping === undefined ? [] : typeof mapping === 'string' ? [mapping] : mapping;
  const perPath = new Map<string, string>();
  let plain: string | undefined;
  const keys = new Map(paths.map((p) => [resolve(p), p]));
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const target = eq > 0 ? keys.get(resolve(spec.slice(0, eq))) : undefined;
    if (target !== undefined) {
      perPath.set(target, spec.slice(eq + 1));
      continue;
    }
    if (plain !== undefined)
      throw new EmpreinteError(
        issue('INP_BAD_ENUM', {
          field: '--mapping',
          allowed: 'one mapping for all sources, others as <path>=<mapping>',
          value: spec,
        }),
      );
    plain = spec;
  }
  return paths.flatMap((path) => {
    const ref = perPath.get(path) ?? plain;
    return pathSources([path], ref !== undefined ? { type: 'named', ref } : undefined);
  });
}

/** The mapping files named by `--mapping` values (to refuse an output over one of them). */
export function mappingFiles(mapping: string | readonly string[] | undefined): string[] {
  const specs = mapping === undefined ? [] : typeof mapping === 'string' ? [mapping] : mapping;
  return specs.flatMap((s) => (s.includes('=') ? [s, s.slice(s.indexOf('=') + 1)] : [s]));
}

/** Commander collector of a repeatable option. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
