/**
 * Normalisation of free-text equipment model strings (methodology F1 rules MODEL / MODEL_FUZZY): case, accents,
 * punctuation and repeated spaces folded; generation abbreviations unified (`Gen 2`, `2nd Gen`, `G2`, `(2nd generation)`
 * → `g2`); inch marks unified (`14"`, `14-inch`, `14 pouces` → `14in`); a leading manufacturer name made optional;
 * filler words (`Notebook PC`, `Monitor`, `with`…) dropped.
 *
 * Tokens carrying digits are classified: `strict` tokens are model numbers (`5420`, `t14`, `p2419h`, `g2`) that must
 * be equal for two strings to name the same product; `soft` tokens (capacities `256gb`, sizes `14in`, years `2020`,
 * CPU options `i5`, `1145g7`) only lower the similarity.
 */

/** Manufacturer names and their aliases, folded. The key is the canonical token. */
export const MANUFACTURER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  hp: ['hp', 'hpe', 'hewlett packard', 'hewlett packard enterprise', 'hp inc', 'hewlett-packard'],
  dell: ['dell', 'dell inc', 'dell technologies', 'dell emc'],
  lenovo: ['lenovo', 'ibm lenovo'],
  apple: ['apple', 'apple inc'],
  microsoft: ['microsoft', 'msft'],
  samsung: ['samsung', 'samsung electronics'],
  google: ['google'],
  asus: ['asus', 'asustek'],
  lexmark: ['lexmark'],
  seagate: ['seagate'],
  fairphone: ['fairphone'],
  acer: ['acer'],
  fujitsu: ['fujitsu', 'fujitsu siemens'],
  toshiba: ['toshiba', 'dynabook'],
  lg: ['lg', 'lg electronics'],
  philips: ['philips'],
  iiyama: ['iiyama'],
  cisco: ['cisco'],
  brother: ['brother'],
  canon: ['canon'],
  epson: ['epson'],
  xerox: ['xerox'],
  huawei: ['huawei'],
  xiaomi: ['xiaomi'],
  eizo: ['eizo'],
  benq: ['benq'],
  aoc: ['aoc'],
  viewsonic: ['viewsonic'],
  kyocera: ['kyocera'],
  ricoh: ['ricoh'],
  sharp: ['sharp'],
  panasonic: ['panasonic'],
  sony: ['sony'],
  nokia: ['nokia'],
  motorola: ['motorola'],
  oppo: ['oppo'],
  honor: ['honor'],
};

/** Words that do not identify a product (dropped from both sides). */
const FILLER = new Set([
  'notebook',
  'pc',
  'computer',
  'monitor',
  'moniteur',
  'ecran',
  'with',
  'the',
  'series',
  'serie',
  'and',
  'de',
  'du',
  'portable',
  'ordinateur',
  'server',
  'serveur',
  'server4',
  'desktop',
  'thin',
  'client',
  'plus4',
  'display',
]);

const UNIT: Record<string, string> = { go: 'gb', to: 'tb', mo: 'mb' };

/** Common abbreviations expanded on both sides (choice). */
const ABBREVIATIONS: Record<string, readonly string[]> = {
  sff: ['small', 'form', 'factor'],
  mff: ['micro', 'form', 'factor'],
  usff: ['ultra', 'small', 'form', 'factor'],
  aio: ['all', 'in', 'one'],
  twr: ['tower'],
};

export type TokenKind = 'word' | 'strict' | 'soft';

export interface NormalisedModel {
  /** Folded tokens without manufacturer and filler words, in order. */
  readonly tokens: readonly string[];
  /** `tokens` joined without spaces (absorbs `T 14` / `T14`). */
  readonly compact: string;
  readonly strict: ReadonlySet<string>;
  readonly soft: ReadonlySet<string>;
  /** Canonical manufacturer when the string started with one. */
  readonly manufacturer?: string;
  /** Tokens written inside parentheses (`(SM-G781B)`, `(M1 CPU)`): a candidate's extra ones may be ignored. */
  readonly optional: ReadonlySet<string>;
  /** Exact-match key with the manufacturer kept (`fairphone 4` for "Fairphone 4"). */
  readonly keyWithManufacturer: string;
}

const manufacturerPhrases: { canonical: string; words: string[] }[] = Object.entries(MANUFACTURER_ALIASES)
  .flatMap(([canonical, aliases]) => aliases.map((a) => ({ canonical, words: foldText(a).split(' ') })))
  .sort((a, b) => b.words.length - a.words.length);

function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.+]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenKind(t: string): TokenKind {
  if (!/\d/.test(t)) return 'word';
  if (/^\d+(\.\d+)?(gb|tb|go|to|mb|mo)$/.test(t)) return 'soft'; // capacity
  if (/^\d+(\.\d+)?in$/.test(t) || /^\d+\.\d+$/.test(t)) return 'soft'; // screen size
  if (/^(19|20)\d\d$/.test(t)) return 'soft'; // year
  if (/^i[3579]$/.test(t) || /^\d{4,5}[a-z]+\d*$/.test(t) || /^\d+(\.\d+)?ghz$/.test(t)) return 'soft'; // CPU option
  if (/^\d+(core|mm)$/.test(t)) return 'soft';
  return 'strict';
}

/** Normalise a model string (see module comment). */
export function normaliseModel(raw: string): NormalisedModel {
  const optional = new Set<string>();
  for (const m of raw.matchAll(/\(([^()]*)\)/g)) for (const t of tokensOf(m[1] ?? '').words) optional.add(t);
  const { words, manufacturer } = tokensOf(raw);
  const tokens = words.filter((w) => !FILLER.has(w));
  const strict = new Set<string>();
  const soft = new Set<string>();
  for (const t of tokens) {
    const k = tokenKind(t);
    if (k === 'strict') strict.add(t);
    else if (k === 'soft') soft.add(t);
  }
  const keyWithManufacturer = (manufacturer ? [manufacturer, ...tokens] : tokens).join(' ');
  return { tokens, compact: tokens.join(''), strict, soft, optional, manufacturer, keyWithManufacturer };
}

function tokensOf(raw: string): { words: string[]; manufacturer?: string } {
  let s = raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  // Inch marks: 14", 14”, 14'', 14-inch, 14 inch(es), 14 pouces → 14in
  s = s.replace(
    /(\d+(?:[.,]\d+)?)\s*(?:-?\s*inch(?:es)?\b|"|”|''|\s*pouces?\b)/g,
    (_m, n: string) => ` ${n.replace(',', '.')}in `,
  );
  // Generations: 2nd gen(eration), gen 2, gen. 2, generation 2, g2 → g2
  s = s.replace(/\b(\d+)\s*(?:st|nd|rd|th|e|eme|ème)?\s*gen(?:eration)?\b\.?/g, ' g$1 ');
  s = s.replace(/\bgen(?:eration)?\.?\s*(\d+)\b/g, ' g$1 ');
  // Storage written "256 GB" / "256 Go" → 256gb (French units folded to English)
  s = s.replace(/\b(\d+)\s*(gb|tb|mb|go|to|mo)\b/g, (_m, n: string, u: string) => `${n}${UNIT[u] ?? u}`);
  s = s.replace(/[^a-z0-9.+]+/g, ' ');
  // Dots inside words are separators unless between digits (13.5in); trailing plus kept only after a word (7+).
  s = s.replace(/(?<!\d)\.|\.(?!\d)/g, ' ');
  let words = s.split(' ').filter((w) => w !== '');
  let manufacturer: string | undefined;
  for (const m of manufacturerPhrases) {
    if (m.words.length <= words.length && m.words.every((w, i) => words[i] === w)) {
      manufacturer = m.canonical;
      words = words.slice(m.words.length);
      break;
    }
  }
  // "+" as a product suffix (Surface Pro 7+) becomes "plus"; alone it is dropped.
  words = words
    .flatMap((w) => (w === '+' ? [] : w.endsWith('+') ? [w.slice(0, -1), 'plus'] : [w]))
    .filter((w) => w !== '');
  words = words.flatMap((w) => ABBREVIATIONS[w] ?? [w]);
  // A lone letter followed by a number is one model number: "T 470" → "t470".
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (/^[a-z]$/.test(w) && next !== undefined && /^\d/.test(next)) {
      joined.push(w + next);
      i++;
    } else joined.push(w);
  }
  return { words: joined, manufacturer };
}

/** Exact-equality key of a model (F1 rule MODEL): normalised tokens, manufacturer optional. */
export function modelKey(raw: string): string {
  return normaliseModel(raw).tokens.join(' ');
}
