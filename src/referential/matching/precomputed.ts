/**
 * Issue 11, start-up time: normalising the model names of the embedded pack's reference items (about 1,200) was a
 * fifth of the fuzzy matcher's cost in a small assessment. `normaliseModel` is a pure function of the name, so the
 * build (`scripts/bundle.mjs`) runs it, with the very modules being bundled, over the names of the default merge's
 * items and writes the results into the CLI bundle (esbuild `define`, `serialiseNormalisations`). The matcher takes a
 * name's normalisation from that table when the name is in it, and computes it otherwise (a user referential's items,
 * the sources and compiled modules run by tests or tsx, which have no table): the same value either way.
 */
import { normaliseModel, type NormalisedModel } from './normalise.js';

// Replaced by the build in the CLI bundle only (esbuild `define`); an undeclared global elsewhere.
declare const __EMPREINTE_NORMALISED_MODELS__: string | undefined;

/** One name: its tokens, bit masks of its strict and soft tokens, its parenthesised tokens, its manufacturer. */
type Row = [name: string, tokens: string[], strict: number, soft: number, optional: string[], manufacturer: string];

/** Bit i set when token i is in `set` (lists of at most 31 tokens; longer names are left out of the table). */
function mask(tokens: readonly string[], set: ReadonlySet<string>): number {
  let m = 0;
  tokens.forEach((t, i) => {
    if (set.has(t)) m |= 1 << i;
  });
  return m;
}

/** The table's text for these names (distinct, in order), as the build writes it. */
export function serialiseNormalisations(names: Iterable<string>): string {
  const rows: Row[] = [];
  for (const name of new Set(names)) {
    const n = normaliseModel(name);
    if (n.tokens.length > 31) continue;
    rows.push([
      name,
      [...n.tokens],
      mask(n.tokens, n.strict),
      mask(n.tokens, n.soft),
      [...n.optional],
      n.manufacturer ?? '',
    ]);
  }
  return JSON.stringify(rows);
}

/** The normalisations a table's text holds, by name (the inverse of `serialiseNormalisations`). */
export function parseNormalisations(text: string): Map<string, NormalisedModel> {
  const out = new Map<string, NormalisedModel>();
  for (const [name, tokens, strictMask, softMask, optional, m] of JSON.parse(text) as Row[]) {
    const strict = new Set<string>();
    const soft = new Set<string>();
    tokens.forEach((t, i) => {
      if (strictMask & (1 << i)) strict.add(t);
      if (softMask & (1 << i)) soft.add(t);
    });
    const manufacturer = m === '' ? undefined : m;
    const keyWithManufacturer = (manufacturer ? [manufacturer, ...tokens] : tokens).join(' ');
    out.set(name, {
      tokens,
      compact: tokens.join(''),
      strict,
      soft,
      optional: new Set(optional),
      manufacturer,
      keyWithManufacturer,
    });
  }
  return out;
}

/** The build's normalisations, when the running code is the bundle built with them; else undefined. */
export function precomputedNormalisations(): Map<string, NormalisedModel> | undefined {
  if (typeof __EMPREINTE_NORMALISED_MODELS__ === 'undefined') return undefined;
  return parseNormalisations(__EMPREINTE_NORMALISED_MODELS__);
}
