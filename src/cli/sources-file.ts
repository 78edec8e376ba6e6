/**
 * `assess --sources <sources.yaml>` (issue 11, consolidation): a small YAML file listing the sources of a run, each
 * with its own mapping and entity, checked with zod:
 *
 *     sources:
 *       - path: glpi.xlsx                # relative to the sources file's folder
 *         mapping: glpi-computers        # preset id or mapping file (relative too); default: auto-detected
 *       - path: lansweeper.csv
 *         mapping: lw.yaml
 *         entity: Site Nord              # entity of the items that name none
 *       - path: salle/
 *
 * A file that is not such a list is refused with `INP_SOURCES_INVALID` naming where and why.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Source } from '../app/sources.js';
import { EmpreinteError, issue } from '../issues/catalogue.js';

const SourcesFileSchema = z.strictObject({
  sources: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        mapping: z.string().min(1).optional(),
        entity: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

const invalid = (file: string, path: string, reason: string) =>
  new EmpreinteError(issue('INP_SOURCES_INVALID', { path, reason }, { file }));

/** The sources listed in a sources file, paths resolved against its folder. */
export async function readSourcesFile(file: string): Promise<Source[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw invalid(file, '(document)', (e as Error).message.split('\n')[0] ?? 'not YAML');
  }
  const parsed = SourcesFileSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw invalid(file, first.path.join('.') || '(document)', first.message);
  }
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  // A mapping is a preset id unless it names a file (a path separator or a JSON/YAML extension).
  const mappingRef = (m: string) => (/[\\/]|\.(json|ya?ml)$/i.test(m) ? at(m) : m);
  return parsed.data.sources.map((s) => ({
    path: at(s.path),
    ...(s.mapping !== undefined ? { mapping: { type: 'named' as const, ref: mappingRef(s.mapping) } } : {}),
    ...(s.entity !== undefined ? { entity: s.entity } : {}),
  }));
}
