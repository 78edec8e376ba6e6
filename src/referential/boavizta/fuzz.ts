/**
 * rapidfuzz string scores as BoaviztAPI 2.4.1 uses them (`Boavizta/boaviztapi@15878f0: boaviztapi/utils/fuzzymatch.py`):
 * `fuzz.ratio`, `fuzz.token_sort_ratio`, `fuzz.token_set_ratio` (no processor), 0–100. Pure.
 */

/** Indel distance (insertions and deletions only): |a| + |b| − 2·LCS(a, b). */
function indelDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = b.length;
  let prev = new Array<number>(m + 1).fill(0);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= m; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return a.length + m - 2 * prev[m]!;
}

const normDistance = (dist: number, lensum: number): number => (lensum > 0 ? 100 - (100 * dist) / lensum : 100);

/**
 * rapidfuzz `fuzz.token_set_ratio` (no processor), 0–100: whitespace tokens as sets; 100 when the sets share a token
 * and one is contained in the other; else the best Indel ratio of "intersection + rest of a" against
 * "intersection + rest of b" and of each against the intersection alone.
 */
export function tokenSetRatio(s1: string, s2: string): number {
  const a = new Set(s1.split(/\s+/).filter((t) => t !== ''));
  const b = new Set(s2.split(/\s+/).filter((t) => t !== ''));
  if (a.size === 0 || b.size === 0) return 0;
  const sect = [...a].filter((t) => b.has(t));
  const diffAb = [...a].filter((t) => !b.has(t)).sort();
  const diffBa = [...b].filter((t) => !a.has(t)).sort();
  if (sect.length > 0 && (diffAb.length === 0 || diffBa.length === 0)) return 100;
  const ab = diffAb.join(' ');
  const ba = diffBa.join(' ');
  const sectLen = sect.length ? sect.join(' ').length : 0;
  const sep = sectLen > 0 ? 1 : 0;
  const sectAbLen = sectLen + sep + ab.length;
  const sectBaLen = sectLen + sep + ba.length;
  const result = normDistance(indelDistance(ab, ba), sectAbLen + sectBaLen);
  if (sectLen === 0) return result;
  const sectAbRatio = normDistance(sep + ab.length, sectLen + sectAbLen);
  const sectBaRatio = normDistance(sep + ba.length, sectLen + sectBaLen);
  return Math.max(result, sectAbRatio, sectBaRatio);
}

/** rapidfuzz `fuzz.ratio`: 100 × (1 − Indel distance / (|a| + |b|)). */
export function ratio(a: string, b: string): number {
  return normDistance(indelDistance(a, b), a.length + b.length);
}

/** rapidfuzz `fuzz.token_sort_ratio`: `ratio` of the whitespace tokens sorted and joined by one space. */
export function tokenSortRatio(a: string, b: string): number {
  const sorted = (s: string) =>
    s
      .split(/\s+/)
      .filter((t) => t !== '')
      .sort()
      .join(' ');
  return ratio(sorted(a), sorted(b));
}
