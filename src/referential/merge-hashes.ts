/**
 * Issue 11, start-up time: the hash of the merged referential (`mergeLayers`, the canonical JSON of every merged row)
 * took about a third of a small assessment. For the usual runs — the embedded pack and a profile layer, no user
 * referential, no organisation — the build computes it once per profile and electricity dataset with this very code
 * (`scripts/bundle.mjs`, from the compiled modules) and writes the table into the CLI bundle (esbuild `define`).
 * The sources and the compiled modules have no table: they compute the hash, as does any other run. A key names the
 * pack by its `contentHash` (checked against the files at every load), so a changed pack misses the table.
 */

// Replaced by the build in the CLI bundle only (esbuild `define`); an undeclared global elsewhere.
declare const __EMPREINTE_MERGE_HASHES__: Readonly<Record<string, string>> | undefined;

/** Key of a default merge: the embedded pack (id, contentHash), the profile, the requested electricity dataset. */
export function defaultMergeKey(
  pack: { readonly id: string; readonly contentHash: string },
  profile: string,
  electricity: string | undefined,
): string {
  return [pack.id, pack.contentHash, profile, electricity ?? ''].join('\u0000');
}

/** The build's hash of that merge, when the running code is the bundle built with it; else undefined. */
export function precomputedMergeHash(key: string): string | undefined {
  if (typeof __EMPREINTE_MERGE_HASHES__ === 'undefined') return undefined;
  return Object.hasOwn(__EMPREINTE_MERGE_HASHES__, key) ? __EMPREINTE_MERGE_HASHES__[key] : undefined;
}
