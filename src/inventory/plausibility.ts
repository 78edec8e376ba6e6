/**
 * Plausibility thresholds for absurd-value warnings (`INP_ABSURD_VALUE`, issue 4 "Bad input": "a 50-year laptop, a
 * 1 MW laptop"). These are (choice) values of this project, documented in docs/inventory-format.md: a value above the
 * threshold is kept and flagged, never rejected.
 *
 * Annual electricity threshold = a deliberately generous maximum power drawn 24 h a day, 365 days a year
 * (8760 h): a value above it cannot be the yearly consumption of one unit of that family. For scale, ADEME's laptop
 * figure is 26.5 W × 3 h/day ≈ 29 kWh/yr (methodology §9 #11).
 * Lifetime threshold = a service life no real fleet reaches for that family.
 */
import { foldKey } from '../referential/codes.js';

export interface FamilyLimits {
  /** Family label used in messages. */
  readonly family: string;
  /** Maximum plausible lifetime in years. */
  readonly maxLifeYears: number;
  /** Maximum plausible power in watts (annual kWh threshold = maxWatts × 8760 / 1000), undefined = no check. */
  readonly maxWatts?: number;
}

const HOURS_PER_YEAR = 8760;

/** Ordered: the first family whose keyword occurs in the folded type name wins ("ordinateur portable" = laptop). */
const FAMILIES: readonly (FamilyLimits & { readonly keywords: readonly string[] })[] = [
  { family: 'laptop', keywords: ['laptop', 'portable', 'notebook'], maxLifeYears: 15, maxWatts: 100 },
  { family: 'smartphone', keywords: ['smartphone', 'phone', 'telephone', 'mobile'], maxLifeYears: 15, maxWatts: 20 },
  { family: 'tablet', keywords: ['tablet', 'tablette'], maxLifeYears: 15, maxWatts: 30 },
  { family: 'monitor', keywords: ['monitor', 'ecran', 'screen', 'display'], maxLifeYears: 20, maxWatts: 300 },
  { family: 'server', keywords: ['server', 'serveur'], maxLifeYears: 25, maxWatts: 5000 },
  { family: 'storage', keywords: ['storage', 'stockage', 'nas', 'san', 'baie'], maxLifeYears: 25, maxWatts: 10000 },
  {
    family: 'network',
    keywords: ['switch', 'router', 'routeur', 'firewall', 'network', 'reseau', 'wifi', 'access point', 'borne'],
    maxLifeYears: 25,
    maxWatts: 3000,
  },
  {
    family: 'printer',
    keywords: ['printer', 'imprimante', 'copier', 'copieur', 'multifonction'],
    maxLifeYears: 25,
    maxWatts: 3000,
  },
  {
    family: 'desktop',
    keywords: ['desktop', 'fixe', 'workstation', 'tower', 'ordinateur', 'computer', 'pc'],
    maxLifeYears: 20,
    maxWatts: 1000,
  },
];

/** Any other type: only the lifetime is checked. */
const OTHER: FamilyLimits = { family: 'equipment', maxLifeYears: 50 };

/** Maximum plausible PUE (ADEME 2025 Table 5 measured French means are 1.63–1.93; 3 is far above any of them). */
export const MAX_PLAUSIBLE_PUE = 3;

/** The family of a type name (the first whose keyword occurs in the folded name; `OTHER` when none). */
export function familyOf(type: string): FamilyLimits {
  const words = ` ${foldKey(type)} `;
  return (
    FAMILIES.find((fam) => fam.keywords.some((k) => words.includes(` ${k} `) || words.includes(` ${k}s `))) ?? OTHER
  );
}

/**
 * `familyOf` with its answers cached in the returned function (one per compiled row parser, i.e. per table and pass
 * of a run: no module-level cache shared by concurrent runs).
 */
export function familyLookup(): (type: string) => FamilyLimits {
  const cache = new Map<string, FamilyLimits>();
  return (type) => {
    let f = cache.get(type);
    if (f) return f;
    f = familyOf(type);
    if (cache.size < 10_000) cache.set(type, f);
    return f;
  };
}

/** Annual kWh threshold of a family, or undefined when it has none. */
export function maxAnnualKWh(f: FamilyLimits): number | undefined {
  return f.maxWatts === undefined ? undefined : (f.maxWatts * HOURS_PER_YEAR) / 1000;
}
