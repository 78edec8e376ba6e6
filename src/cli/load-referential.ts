/**
 * Builds the active referential of a run (methodology §3.5): the embedded default pack, the profile layer, then the
 * user's referentials in the order given (an Empreinte pack folder or id, or a NumEcoEval/G4IT CSV folder).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../issues/catalogue.js';
import { readReferential, userLayerName } from '../referential/csv-read.js';
import { profileLayer, type Profile } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import type { Referential, ReferentialLayer } from '../referential/model.js';
import { loadDefaultPack, resolvePack } from '../referential/pack.js';

export interface ReferentialOptions {
  readonly referential?: readonly string[];
  readonly profile: Profile;
  readonly organisation?: string;
  /** Electricity dataset (`ademe`, `ember`, `boavizta`, `referential`), else the pack's `electricitySource`. */
  readonly electricity?: string;
}

export async function loadActiveReferential(
  opts: ReferentialOptions,
): Promise<{ referential: Referential; issues: Issue[] }> {
  const issues: Issue[] = [];
  const pack = await loadDefaultPack();
  const layers: ReferentialLayer[] = [pack.layer, profileLayer(opts.profile)];
  let id = pack.manifest.id;
  let version: string | undefined = pack.manifest.version;
  for (const p of opts.referential ?? []) {
    if (existsSync(join(p, 'manifest.json')) || !existsSync(p)) {
      const user = await resolvePack(p);
      layers.push(user.layer);
      id = user.manifest.id;
      version = user.manifest.version;
    } else {
      const r = await readReferential([p], { layerName: userLayerName([p]) });
      layers.push(r.layer);
      issues.push(...r.issues);
      id = r.layer.name;
      version = undefined;
    }
  }
  const merged = mergeLayers(layers, {
    ...(opts.organisation !== undefined ? { organisation: opts.organisation } : {}),
    ...(opts.electricity !== undefined ? { electricityDataset: opts.electricity } : {}),
    id,
    ...(version !== undefined && (opts.referential ?? []).length === 0 ? { version } : {}),
  });
  issues.push(...merged.issues);
  return { referential: merged.referential, issues };
}
