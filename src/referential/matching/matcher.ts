/**
 * Model matching for F1 rules MATCHING, MODEL and MODEL_FUZZY (methodology §4 F1): a user/organisation matching table
 * first, then exact equality after normalisation (manufacturer optional), then the best fuzzy candidate of a category
 * compatible with the item type, used only when its score reaches the threshold (0.85 by default, (choice)).
 *
 * Score (0–1) between a model m and a candidate c, both normalised (`normalise.ts`):
 *   s = 0.6 · Dice(bigrams of compact m, bigrams of compact c) + 0.4 · Jaccard(tokens of m, tokens of c)
 * and s is halved when their strict tokens (model numbers such as `5420`, `t14`, `g2`) differ in either direction:
 * "Latitude 5420" never matches "Latitude 5421", "Pixel 6" never matches "Pixel 6a". Pure and deterministic; results
 * are memoised per (model, type) inside one matcher.
 */
import { foldKey } from '../codes.js';
import type { Matching, ReferenceItem } from '../model.js';
import { normaliseModel, type NormalisedModel } from './normalise.js';
import { precomputedNormalisations } from './precomputed.js';

export const DEFAULT_MATCH_THRESHOLD = 0.85;

export type MatchVia = 'MATCHING' | 'MODEL' | 'MODEL_FUZZY';

export interface ModelMatch {
  /** Reference item name. */
  readonly item: string;
  /** 1 for MATCHING and MODEL; the fuzzy score otherwise. */
  readonly score: number;
  readonly via: MatchVia;
}

export interface ModelMatcherOptions {
  /** Fuzzy threshold in [0, 1] (default 0.85). */
  readonly threshold?: number;
  /** User/organisation matching rows (`modele;refEquipementCible`): confirm or override automatic matching. */
  readonly matchings?: Iterable<Pick<Matching, 'modelSource' | 'refItemTarget'>>;
  /**
   * Whether a reference item category (e.g. Boavizta subcategory `Laptop`) is compatible with an inventory type
   * (`Laptop`, `Ordinateur portable`, an item-type category…). Default: `defaultCategoryCompatible`.
   */
  readonly compatible?: (typeCategory: string, itemCategory: string | undefined) => boolean;
}

export interface ModelMatcher {
  /** MATCHING, MODEL, or MODEL_FUZZY at or above the threshold; undefined otherwise. */
  match(model: string, typeCategory?: string): ModelMatch | undefined;
  /** Best fuzzy candidate whatever its score (for the CALC_MODEL_FALLBACK warning); undefined when no candidate. */
  best(model: string, typeCategory?: string): { item: string; score: number } | undefined;
  readonly threshold: number;
}

/** Inventory type / category (folded) → compatible reference-item categories (folded Boavizta subcategories). */
const TYPE_CATEGORIES: Record<string, readonly string[]> = {
  laptop: ['laptop'],
  desktop: ['desktop', 'workstation'],
  workstation: ['desktop', 'workstation', 'laptop'],
  monitor: ['monitor'],
  smartphone: ['smartphone'],
  tablet: ['tablet'],
  'thin client': ['thin client'],
  printer: ['printer'],
  'a4 printer': ['printer'],
  'a3 multifunction printer': ['printer'],
  server: ['server', 'converged', 'converged edge'],
  'rack server': ['server', 'converged', 'converged edge'],
  'blade server': ['server', 'converged'],
  'tower server': ['server'],
  storage: ['san nas', 'hard drive'],
  'storage array': ['san nas'],
  'external storage': ['hard drive'],
  'wi fi access point': ['network'],
  router: ['network'],
  box: ['network'],
  tv: ['multimedia', 'entertainment', 'entertainmentt'],
  console: ['gaming'],
  'connected speaker': ['iot'],
};

/**
 * Default compatibility: when the type (folded) is in the table, the item's category must be one of its categories;
 * items without a category (ademe-*) and unknown types are compatible with everything.
 */
export function defaultCategoryCompatible(typeCategory: string, itemCategory: string | undefined): boolean {
  const allowed = TYPE_CATEGORIES[foldKey(typeCategory)];
  if (!allowed || itemCategory === undefined) return true;
  const c = foldKey(itemCategory);
  return c === 'it equipment' || allowed.includes(c);
}

/**
 * The bigrams of `s` (its pairs of adjacent UTF-16 code units, repeats kept), each written as one number (the first
 * unit's code in the high 16 bits, the second's in the low ones: two bigrams are equal exactly when their numbers are),
 * sorted. The Dice coefficient counts the bigrams two texts share, each as many times as both have it: with sorted
 * lists that is one merge of two integer arrays instead of a string map per text and a lookup per bigram (issue 11,
 * start-up time: the fuzzy scan compares each query with about 1,170 candidates).
 */
function bigrams(s: string): Int32Array {
  const n = s.length - 1;
  const out = new Int32Array(Math.max(n, 0));
  for (let i = 0; i < n; i++) out[i] = (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);
  return out.sort();
}

/** Dice coefficient of two texts of `aLen` and `bLen` characters from their sorted bigrams (`bigrams`). */
function dice(a: Int32Array, aLen: number, b: Int32Array, bLen: number): number {
  if (aLen < 2 || bLen < 2) return 0;
  // Shared bigrams, each counted min(times in a, times in b): the common part of two sorted lists.
  let inter = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * inter) / (aLen - 1 + (bLen - 1));
}

interface Candidate {
  readonly name: string;
  readonly category?: string;
  /** Index of `category` in the matcher's list of distinct candidate categories. */
  readonly categoryIndex: number;
  readonly norm: NormalisedModel;
  /** `norm` with its bigrams, computed on the first fuzzy comparison. */
  prepared?: Prepared;
}

/** Levenshtein distance ≤ 1 (one typo) between two words: what follows their common prefix, compared in place. */
function oneEditApart(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // a.slice(i + 1) === b.slice(i + 1): one substitution
    for (let k = i + 1; k < la; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  } else if (la > lb) {
    // a.slice(i + 1) === b.slice(i): one letter of a more
    for (let k = i; k < lb; k++) if (a.charCodeAt(k + 1) !== b.charCodeAt(k)) return false;
  } else {
    // a.slice(i) === b.slice(i + 1): one letter of b more
    for (let k = i; k < la; k++) if (a.charCodeAt(k) !== b.charCodeAt(k + 1)) return false;
  }
  return true;
}

/**
 * A word of at least 5 letters one typo away from a candidate word counts as the same word. The lengths are compared
 * first, then the letters, and only words one typo apart are searched for digits (most pairs differ by more than one
 * letter; same result: the conditions are independent).
 */
function sameToken(q: string, c: string): boolean {
  if (q === c) return true;
  const lq = q.length;
  const lc = c.length;
  return lq >= 5 && lc >= 5 && lq - lc <= 1 && lc - lq <= 1 && oneEditApart(q, c) && !/\d/.test(q) && !/\d/.test(c);
}

/**
 * Similarity in [0, 1] of query model q to candidate c (see module comment), and the raw score before ignoring
 * unmatched soft/optional tokens (used to break ties).
 */
export function similarity(q: NormalisedModel, c: NormalisedModel): { score: number; raw: number } {
  return scored(prepare(q), prepare(c));
}

/** Whether word `t` is the same word as one of `other` (`sameToken`). */
function matchedIn(t: string, other: readonly string[]): boolean {
  for (const o of other) if (sameToken(t, o)) return true;
  return false;
}

/**
 * A normalised text with the bigrams of its whole compact text (`tokens` joined), and, computed when first needed, its
 * tokens without the ones a comparison may leave out (`lean`: index 0 without the soft tokens, index 1 without the soft
 * and the parenthesised ones) with their bigrams. A matcher prepares each query once and each candidate once, instead
 * of computing bigram maps for every pair (issue 11, start-up time).
 */
interface Prepared {
  readonly norm: NormalisedModel;
  readonly grams: Int32Array;
  readonly lean: [Lean?, Lean?];
}

interface Lean {
  readonly tokens: readonly string[];
  readonly grams: Int32Array;
}

function prepare(norm: NormalisedModel): Prepared {
  return { norm, grams: bigrams(norm.compact), lean: [] };
}

function leanOf(p: Prepared, withOptional: boolean): Lean {
  const slot = withOptional ? 1 : 0;
  let l = p.lean[slot];
  if (l === undefined) {
    const { soft, optional } = p.norm;
    const tokens = p.norm.tokens.filter((t) => !(soft.has(t) || (withOptional && optional.has(t))));
    l = p.lean[slot] = { tokens, grams: bigrams(tokens.join('')) };
  }
  return l;
}

/**
 * The bigrams of `kept`, the tokens of `p` a comparison kept: the whole text's when it kept every token, the lean
 * list's when it left out every token it could (then `kept` is that list: it keeps at least the lean tokens, in the
 * same order), else undefined (computed by `base`).
 */
function gramsOf(p: Prepared, kept: readonly string[], withOptional: boolean): Int32Array | undefined {
  if (kept === p.norm.tokens) return p.grams;
  const l = leanOf(p, withOptional);
  return kept.length === l.tokens.length ? l.grams : undefined;
}

/** `similarity` of two prepared texts: `scoreOf` and `rawOf`. */
function scored(qp: Prepared, cp: Prepared): { score: number; raw: number } {
  return { score: scoreOf(qp, cp), raw: rawOf(qp, cp) };
}

/** The raw score of two prepared texts: the score's base over every token of both (used to break ties). */
function rawOf(qp: Prepared, cp: Prepared): number {
  return base(qp.norm.tokens, cp.norm.tokens, qp.grams, cp.grams);
}

/**
 * The score of two prepared texts (`similarity`). Written as loops over the token lists; a kept list is the token
 * list itself when no token is left out, and then the score's base is the raw one (same operations, same numbers).
 * A matcher computes the raw score only to break a tie (issue 11, start-up time); when the score's base is the raw
 * score, it is left in `known.raw` (else undefined there), so that a tie does not compute it again.
 */
function scoreOf(qp: Prepared, cp: Prepared, known?: { raw: number | undefined }): number {
  const q = qp.norm;
  const c = cp.norm;
  const qHasStrict = q.strict.size > 0;
  // Ignore soft tokens the other side lacks (capacity, size, year, CPU option), and the candidate's parenthesised
  // tokens the query lacks when the query names a model number.
  let qKept = q.tokens;
  if (q.soft.size > 0) {
    const k = q.tokens.filter((t) => !(q.soft.has(t) && !matchedIn(t, c.tokens)));
    if (k.length !== q.tokens.length) qKept = k;
  }
  let cKept = c.tokens;
  if (c.soft.size > 0 || (qHasStrict && c.optional.size > 0)) {
    const k = c.tokens.filter(
      (t) => !((c.soft.has(t) || (qHasStrict && c.optional.has(t))) && !matchedIn(t, q.tokens)),
    );
    if (k.length !== c.tokens.length) cKept = k;
  }
  // The candidate's strict tokens still kept must be the query's strict tokens (same sets).
  let strictKept = 0;
  let strictSame = true;
  if (c.strict.size > 0) {
    for (const t of c.strict) {
      if (cKept === c.tokens || cKept.includes(t)) {
        strictKept++;
        if (!q.strict.has(t)) strictSame = false;
      }
    }
  }
  const strictOk = strictSame && strictKept === q.strict.size;
  let score: number;
  if (qKept.length === 0 || cKept.length === 0) score = 0;
  else if (qKept === q.tokens && cKept === c.tokens) {
    score = rawOf(qp, cp);
    if (known !== undefined) known.raw = score;
    return strictOk ? score : score / 2;
  } else score = base(qKept, cKept, gramsOf(qp, qKept, false), gramsOf(cp, cKept, qHasStrict));
  if (known !== undefined) known.raw = undefined;
  return strictOk ? score : score / 2;
}

/** Length of the tokens joined without spaces. */
function joinedLength(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) n += t.length;
  return n;
}

function base(
  q: readonly string[],
  c: readonly string[],
  qGrams: Int32Array | undefined,
  cGrams: Int32Array | undefined,
): number {
  const d = dice(qGrams ?? bigrams(q.join('')), joinedLength(q), cGrams ?? bigrams(c.join('')), joinedLength(c));
  // Each query token takes the first unused candidate token that is the same word.
  let inter = 0;
  if (c.length <= 30) {
    let used = 0; // bit k: candidate token k taken
    for (const t of q) {
      for (let k = 0; k < c.length; k++) {
        if ((used & (1 << k)) === 0 && sameToken(t, c[k]!)) {
          used |= 1 << k;
          inter++;
          break;
        }
      }
    }
  } else {
    const used: boolean[] = new Array<boolean>(c.length).fill(false);
    for (const t of q) {
      for (let k = 0; k < c.length; k++) {
        if (!used[k] && sameToken(t, c[k]!)) {
          used[k] = true;
          inter++;
          break;
        }
      }
    }
  }
  const union = q.length + c.length - inter;
  const j = union === 0 ? 0 : inter / union;
  return 0.6 * d + 0.4 * j;
}

/**
 * Build a matcher over reference items (typically every item of the merged referential; only items of unit `Item`
 * are candidates). The lead's engine calls `match(model, type)` for rules MATCHING/MODEL/MODEL_FUZZY of F1.
 */
export function createModelMatcher(items: Iterable<ReferenceItem>, opts: ModelMatcherOptions = {}): ModelMatcher {
  const threshold = opts.threshold ?? DEFAULT_MATCH_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`match threshold must be in [0, 1] (got ${threshold})`);
  const compatible = opts.compatible ?? defaultCategoryCompatible;
  const candidates: Candidate[] = [];
  const exact = new Map<string, Candidate[]>();
  // The distinct categories of the candidates (a few dozen): a query's compatibility with each is computed once and
  // read by index for each candidate.
  const categories: (string | undefined)[] = [];
  const categoryIndex = new Map<string | undefined, number>();
  // The build's normalisations of the embedded pack's names, in the CLI bundle (precomputed.ts); others computed.
  const known = precomputedNormalisations();
  for (const it of items) {
    if (it.unit !== 'Item') continue;
    const norm = known?.get(it.name) ?? normaliseModel(it.name);
    if (norm.tokens.length === 0) continue;
    let index = categoryIndex.get(it.category);
    if (index === undefined) {
      categoryIndex.set(it.category, (index = categories.length));
      categories.push(it.category);
    }
    const c: Candidate = { name: it.name, category: it.category, categoryIndex: index, norm };
    candidates.push(c);
    for (const k of new Set([norm.tokens.join(' '), norm.keyWithManufacturer])) {
      const list = exact.get(k) ?? [];
      list.push(c);
      exact.set(k, list);
    }
  }
  // Deterministic order: shorter names first, then by name.
  candidates.sort((x, y) => x.name.length - y.name.length || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const byExactModel = new Map<string, string>();
  const byFoldedModel = new Map<string, string>();
  for (const m of opts.matchings ?? []) {
    byExactModel.set(m.modelSource.trim(), m.refItemTarget);
    const f = foldKey(m.modelSource);
    if (!byFoldedModel.has(f)) byFoldedModel.set(f, m.refItemTarget);
  }
  const memo = new Map<string, { item: string; score: number } | undefined>();

  const bestOf = (model: string, typeCategory?: string): { item: string; score: number } | undefined => {
    const key = `${typeCategory ?? ''}\u0000${model}`;
    if (memo.has(key)) return memo.get(key);
    const q = normaliseModel(model);
    // The best candidate so far, its raw score computed when a tie needs it.
    let best: { item: string; score: number; prepared: Prepared; raw: number | undefined } | undefined;
    if (q.tokens.length > 0) {
      const qp = prepare(q);
      // The raw score of the pair just scored, when its score gave it.
      const known: { raw: number | undefined } = { raw: undefined };
      // The category predicate once per distinct candidate category of this query, not once per candidate.
      const compatibleWith =
        typeCategory === undefined ? undefined : categories.map((category) => compatible(typeCategory, category));
      for (const c of candidates) {
        if (compatibleWith !== undefined && !compatibleWith[c.categoryIndex]) continue;
        if (q.manufacturer && c.norm.manufacturer && q.manufacturer !== c.norm.manufacturer) continue;
        const cp = (c.prepared ??= prepare(c.norm));
        const score = scoreOf(qp, cp, known);
        if (!best || score > best.score) {
          best = { item: c.name, score, prepared: cp, raw: known.raw };
        } else if (score === best.score) {
          const raw = known.raw ?? rawOf(qp, cp);
          if (raw > (best.raw ??= rawOf(qp, best.prepared))) best = { item: c.name, score, prepared: cp, raw };
        }
      }
    }
    const out = best && { item: best.item, score: best.score };
    memo.set(key, out);
    return out;
  };

  return {
    threshold,
    best: bestOf,
    match(model: string, typeCategory?: string): ModelMatch | undefined {
      const trimmed = model.trim();
      if (trimmed === '') return undefined;
      const m = byExactModel.get(trimmed) ?? byFoldedModel.get(foldKey(trimmed));
      if (m !== undefined) return { item: m, score: 1, via: 'MATCHING' };
      const q = normaliseModel(trimmed);
      const ex = [
        ...new Set([...(exact.get(q.tokens.join(' ')) ?? []), ...(exact.get(q.keyWithManufacturer) ?? [])]),
      ].filter(
        (c) =>
          (typeCategory === undefined || compatible(typeCategory, c.category)) &&
          !(q.manufacturer && c.norm.manufacturer && q.manufacturer !== c.norm.manufacturer),
      );
      if (ex.length > 0) {
        const pick = [...ex].sort((x, y) => x.name.length - y.name.length || (x.name < y.name ? -1 : 1))[0]!;
        return { item: pick.name, score: 1, via: 'MODEL' };
      }
      const b = bestOf(trimmed, typeCategory);
      return b && b.score >= threshold ? { item: b.item, score: b.score, via: 'MODEL_FUZZY' } : undefined;
    },
  };
}
