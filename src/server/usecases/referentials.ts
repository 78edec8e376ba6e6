/**
 * The referential packs known to the server: the embedded default pack (an organisation's own versions, layered over
 * it, are src/server/usecases/referentials-org.ts). Each with its id, version, content hash, data files with their licences, build inputs
 * (sources) and the attributions their licences require — read from the pack's manifest, not from its rows.
 */
import { z } from 'zod';
import { defaultPackDir, loadManifestOnly } from '../../referential/pack.js';
import type { Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';

export const ReferentialView = z
  .object({
    id: z.string(),
    version: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    profile: z.string().nullable(),
    embedded: z.boolean(),
    contentHash: z.string(),
    files: z.array(
      z.object({ path: z.string(), licence: z.string(), rows: z.int(), description: z.string().nullable() }),
    ),
    sources: z.array(
      z.object({ path: z.string(), origin: z.string().nullable(), licence: z.string().nullable(), sha256: z.string() }),
    ),
    licences: z.array(z.object({ dataset: z.string(), licence: z.string(), attribution: z.string() })),
  })
  .meta({ id: 'ReferentialPack' });

export async function listReferentials(_deps: UseCaseDeps, _actor: Actor): Promise<z.output<typeof ReferentialView>[]> {
  const m = await loadManifestOnly(defaultPackDir());
  return [
    {
      id: m.id,
      version: m.version,
      title: m.title,
      description: m.description ?? null,
      profile: m.profile ?? null,
      embedded: true,
      contentHash: m.contentHash,
      files: m.files.map((f) => ({
        path: f.path,
        licence: f.licence,
        rows: f.rows,
        description: f.description ?? null,
      })),
      sources: m.inputs.map((i) => ({
        path: i.path,
        origin: i.origin ?? null,
        licence: i.licence ?? null,
        sha256: i.sha256,
      })),
      licences: m.licences.map((l) => ({ ...l })),
    },
  ];
}
