/**
 * Cloud instance names resolved as BoaviztAPI 2.4.1 resolves them (methodology F15): `Boavizta/boaviztapi@15878f0:
 * boaviztapi/data/archetype.py` `fuzzy_get_cloud_instance_archetype` and `boaviztapi/utils/fuzzymatch.py`
 * `fuzzymatch_cloud_instance_name`. Pure.
 */

/** BoaviztAPI `config.cloud_instance_name_fuzzymatch_threshold` (80), as a share. */
export const CLOUD_NAME_THRESHOLD = 0.8;

/**
 * `_canonical_forms`: trimmed, lower-cased, without a leading `standard_` (Azure), then with spaces and dashes as
 * underscores, with spaces and underscores as dashes, and without any separator.
 */
export function canonicalForms(name: string): string[] {
  let base = name.trim().toLowerCase();
  if (base.startsWith('standard_')) base = base.slice('standard_'.length);
  const forms = [
    base,
    base.replace(/ /g, '_').replace(/-/g, '_'),
    base.replace(/ /g, '-').replace(/_/g, '-'),
    base.replace(/[ _-]/g, ''),
  ];
  return [...new Set(forms)];
}

/** Levenshtein distance (unit costs). */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** rapidfuzz `Hamming.normalized_similarity` of two strings of the same length. */
const hammingSimilarity = (a: string, b: string): number => {
  if (a.length === 0) return 1;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return 1 - d / a.length;
};

/** rapidfuzz `Levenshtein.normalized_similarity`: 1 − distance / longer length. */
const levenshteinSimilarity = (a: string, b: string): number => {
  const m = Math.max(a.length, b.length);
  return m === 0 ? 1 : 1 - levenshtein(a, b) / m;
};

export interface InstanceNameMatch {
  /** The id of the matched row, as written in the provider file. */
  readonly id: string;
  /** `EXACT` (same trimmed id), `NORMALISED` (same canonical form), `HAMMING` or `LEVENSHTEIN` (≥ 0.8). */
  readonly via: 'EXACT' | 'NORMALISED' | 'HAMMING' | 'LEVENSHTEIN';
  readonly score?: number;
}

/**
 * The instance row BoaviztAPI uses for `instanceType` among `candidates` (the provider's ids in file order):
 * the id equal to the trimmed name; else the first id sharing a canonical form with it (`Standard_D4s_v3` →
 * `d4s_v3`); else the best Hamming similarity among ids of the same length as a form, else the best Levenshtein
 * similarity, when it reaches 0.8. Ties go to the earlier form, then the earlier id, as `process.extractOne` does.
 */
export function resolveInstanceName(
  instanceType: string,
  candidates: readonly string[],
): InstanceNameMatch | undefined {
  const name = instanceType.trim();
  const exact = candidates.find((c) => c.trim() === name);
  if (exact !== undefined) return { id: exact, via: 'EXACT' };
  const forms = canonicalForms(instanceType);
  const formSet = new Set(forms);
  for (const c of candidates) if (canonicalForms(c).some((f) => formSet.has(f))) return { id: c, via: 'NORMALISED' };
  // One key per candidate (spaces and dashes → underscores); a later candidate with the same key replaces the earlier.
  const keys = new Map<string, string>();
  for (const c of candidates) keys.set(c.toLowerCase().replace(/ /g, '_').replace(/-/g, '_'), c);
  const search = (score: (a: string, b: string) => number, sameLength: boolean) => {
    let best: { id: string; score: number } | undefined;
    for (const f of forms) {
      let hit: { key: string; score: number } | undefined;
      for (const k of keys.keys()) {
        if (sameLength && k.length !== f.length) continue;
        const s = score(f, k);
        if (hit === undefined || s > hit.score) hit = { key: k, score: s };
      }
      if (hit && hit.score > (best?.score ?? 0)) best = { id: keys.get(hit.key)!, score: hit.score };
    }
    return best !== undefined && best.score >= CLOUD_NAME_THRESHOLD ? best : undefined;
  };
  const h = search(hammingSimilarity, true);
  if (h) return { id: h.id, via: 'HAMMING', score: h.score };
  const l = search(levenshteinSimilarity, false);
  if (l) return { id: l.id, via: 'LEVENSHTEIN', score: l.score };
  return undefined;
}
