/**
 * Builds the active referential of a run (methodology §3.5): the embedded default pack, the profile layer, then the
 * user's referentials in the order given (an Empreinte pack folder or id, or a NumEcoEval/G4IT CSV folder).
 */
import type { Issue } from '../issues/catalogue.js';
import { userLayerName } from '../referential/csv-read.js';
import { profileLayer, type Profile } from '../referential/hypotheses.js';
import { defaultMergeKey, precomputedMergeHash } from '../referential/merge-hashes.js';
import { readMergeSnapshot } from '../referential/merge-snapshot.js';
import { mergeLayers } from '../referential/merge.js';
import type { Referential, ReferentialLayer } from '../referential/model.js';
import { loadDefaultPack } from '../referential/pack.js';
import { loadReferentialSource, requireRows } from '../referential/source.js';

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
  // The embedded pack and the profile alone: the bundle may carry the build's merge itself (start-up time).
  if ((opts.referential ?? []).length === 0 && opts.organisation === undefined && opts.electricity === undefined) {
    const snapshot = await readMergeSnapshot(opts.profile);
    if (snapshot !== undefined) return { referential: snapshot, issues: [] };
  }
  const issues: Issue[] = [];
  const pack = await loadDefaultPack();
  const layers: ReferentialLayer[] = [pack.layer, profileLayer(opts.profile)];
  let id = pack.manifest.id;
  let version: string | undefined = pack.manifest.version;
  // The same validation as `referential import` (source.ts); a source with no usable row stops the run.
  for (const p of opts.referential ?? []) {
    const src = await loadReferentialSource(p, { layerName: userLayerName([p]) });
    requireRows(src);
    layers.push(src.layer);
    issues.push(...src.issues);
    id = src.id;
    version = src.version;
  }
  // The embedded pack and the profile alone: the bundle may carry the build's hash of this merge (start-up time).
  const known =
    layers.length === 2 && opts.organisation === undefined
      ? precomputedMergeHash(defaultMergeKey(pack.manifest, opts.profile, opts.electricity))
      : undefined;
  const merged = mergeLayers(layers, {
    ...(known !== undefined ? { hash: known } : {}),
    ...(opts.organisation !== undefined ? { organisation: opts.organisation } : {}),
    ...(opts.electricity !== undefined ? { electricityDataset: opts.electricity } : {}),
    id,
    ...(version !== undefined && (opts.referential ?? []).length === 0 ? { version } : {}),
  });
  issues.push(...merged.issues);
  return { referential: merged.referential, issues };
}
