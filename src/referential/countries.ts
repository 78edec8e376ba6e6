/**
 * Location normalisation (methodology §3.4 "Locations"): English and French country names, ISO 3166 alpha-2 and
 * alpha-3 codes, matched case-, accent- and punctuation-insensitively (`foldKey`), plus the region keys `EU` and
 * `WORLD`. The canonical key of a country is its ISO 3166-1 alpha-2 code in upper case.
 *
 * Country table: npm `i18n-iso-countries` 7.14.0 (MIT, https://github.com/michaelwittig/node-i18n-iso-countries),
 * English and French locales only (loaded explicitly, not the 100+ locales of its Node entry point). Extra aliases
 * below cover names seen in NumEcoEval/G4IT referentials (Base IMPACTS `localisation`, "Korea, Republic of") and
 * everyday short forms the package lacks (G4IT CHANGELOG 3.8.1: "Impossible to load physical equipment associated to
 * location in Korea").
 */
import { createRequire } from 'node:module';
import type * as IsoCountries from 'i18n-iso-countries';
import { foldKey } from './codes.js';

export interface NormalisedLocation {
  /** ISO 3166-1 alpha-2 (upper case) for a country, `EU` or `WORLD` for a region. */
  readonly key: string;
  /** Display name in English. */
  readonly label: string;
}

/** Region keys (not ISO countries). Ember/CO2.js keys `EU` and `World`; `Europe` maps to `EU` (§6, choice). */
const REGIONS: Record<string, { label: string; aliases: readonly string[] }> = {
  EU: {
    label: 'European Union',
    aliases: ['EU', 'UE', 'EU27', 'EU-27', 'Europe', 'European Union', 'Union européenne', 'Union europeenne'],
  },
  WORLD: { label: 'World', aliases: ['World', 'Monde', 'WORLD', 'Global', 'Mondial'] },
};

/**
 * Aliases missing from the package's EN/FR names, and tie-breaks for names shared by two countries (applied last).
 * Short forms (Korea, États-Unis, Angleterre…) are a choice of this project.
 */
const EXTRA_ALIASES: Record<string, readonly string[]> = {
  KR: [
    'Korea',
    'Corée',
    'Korea, Republic of',
    'Korea (Republic of)',
    'Korea, South',
    'Corée, République de',
    'République de Corée',
  ],
  KP: [
    "Korea, Democratic People's Republic of",
    "Democratic People's Republic of Korea",
    'Korea, North',
    'Corée, République populaire démocratique de',
  ],
  US: ['États-Unis', 'Etats-Unis', 'Amérique', 'United States (USA)'],
  GB: ['England', 'Angleterre', 'Grande-Bretagne', 'Britain', 'Royaume Uni'],
  NL: ['Holland', 'Hollande'],
  CZ: ['Tchéquie'],
  VN: ['Viet Nam'],
  LA: ['Laos', "Lao People's Democratic Republic"],
  MK: ['Macedonia', 'Macedonia, the former Yugoslav Republic of', 'Macédoine'],
  SZ: ['Swaziland', 'Eswatini'],
  MM: ['Burma', 'Birmanie'],
  CD: [
    'Congo, the Democratic Republic of the',
    'Congo, Democratic Republic of the',
    'DR Congo',
    'RD Congo',
    'Congo-Kinshasa',
  ],
  CG: ['Congo', 'Congo-Brazzaville'],
  TW: ['Taiwan, Province of China', 'Taïwan'],
  IR: ['Iran, Islamic Republic of'],
  TZ: ['Tanzania, United Republic of'],
  VE: ['Venezuela, Bolivarian Republic of'],
  BO: ['Bolivia, Plurinational State of'],
  MD: ['Moldova', 'Moldova, Republic of'],
  RU: ['Russia'],
  SY: ['Syria'],
  VA: ['Vatican', 'Vatican City'],
  CI: ["Côte d'Ivoire", 'Cote d Ivoire'],
  TR: ['Turkey', 'Türkiye'],
  AE: ['Emirats arabes unis'],
};

interface Entry {
  readonly key: string;
  readonly label: string;
}

/**
 * The location index and the country list, as text (`countryTable`): `index`, every folded name or code with its
 * canonical key and label; `countries`, every ISO alpha-2 code (the package's order) with its English label and its
 * alpha-3 code.
 */
interface CountryTable {
  readonly index: readonly (readonly [folded: string, key: string, label: string])[];
  readonly countries: readonly (readonly [alpha2: string, label: string, alpha3: string])[];
}

/**
 * The index from the package's names and codes, the aliases and the regions. Run by the build, whose text of it goes
 * into the CLI bundle (issue 11, start-up time: loading the package and its two locales through `require`, outside
 * the bundle and its code cache, and folding about 1,000 names was a few milliseconds of every run), and at load by
 * the sources and compiled modules, which have no table.
 */
export function countryTable(): string {
  const require = createRequire(import.meta.url);
  const iso = require('i18n-iso-countries/index.js') as typeof IsoCountries;
  iso.registerLocale(require('i18n-iso-countries/langs/en.json') as IsoCountries.LocaleData);
  iso.registerLocale(require('i18n-iso-countries/langs/fr.json') as IsoCountries.LocaleData);
  const index = new Map<string, Entry>();
  const labels = new Map<string, string>();
  const names = (a2: string, lang: string): string[] => iso.getName(a2, lang, { select: 'all' }) ?? [];
  for (const a2 of Object.keys(iso.getAlpha2Codes())) {
    const label = iso.getName(a2, 'en', { select: 'official' }) ?? a2;
    labels.set(a2, label);
    const entry: Entry = { key: a2, label };
    // Names first; codes are set after so that a 2- or 3-letter name never shadows a code.
    for (const n of [...names(a2, 'en'), ...names(a2, 'fr')]) {
      const k = foldKey(n);
      if (k && !index.has(k)) index.set(k, entry);
    }
  }
  for (const [a2, a3] of Object.entries(iso.getAlpha2Codes())) {
    const entry: Entry = { key: a2, label: labels.get(a2) ?? a2 };
    index.set(foldKey(a2), entry);
    index.set(foldKey(a3), entry);
  }
  for (const [a2, aliases] of Object.entries(EXTRA_ALIASES)) {
    const entry: Entry = { key: a2, label: labels.get(a2) ?? a2 };
    for (const a of aliases) index.set(foldKey(a), entry);
  }
  for (const [key, r] of Object.entries(REGIONS)) {
    for (const a of r.aliases) index.set(foldKey(a), { key, label: r.label });
  }
  const table: CountryTable = {
    index: [...index].map(([k, e]) => [k, e.key, e.label]),
    countries: [...labels].map(([a2, label]) => [a2, label, iso.alpha2ToAlpha3(a2) ?? '']),
  };
  return JSON.stringify(table);
}

// Replaced by the build in the CLI bundle only (esbuild `define`, `countryTable`); an undeclared global elsewhere.
declare const __EMPREINTE_COUNTRIES__: string | undefined;

const table = JSON.parse(
  typeof __EMPREINTE_COUNTRIES__ === 'undefined' ? countryTable() : __EMPREINTE_COUNTRIES__,
) as CountryTable;
const index = new Map<string, Entry>(table.index.map(([k, key, label]) => [k, { key, label }]));
const labels = new Map<string, string>(table.countries.map(([a2, label]) => [a2, label]));
const alpha3 = new Map<string, string>(table.countries.map(([a2, , a3]) => [a2, a3]));

/**
 * Normalise a location as written in an inventory or referential (`France`, `FRA`, `fr`, `Royaume-Uni`,
 * `Korea, Republic of`, `Europe`…). Returns undefined for an unknown name.
 */
export function normaliseLocation(s: string): NormalisedLocation | undefined {
  const k = foldKey(s);
  if (!k) return undefined;
  const hit = index.get(k);
  if (hit) return hit;
  // "Name, qualifier" forms (Base IMPACTS style): try "qualifier Name", e.g. "Korea, Republic of" → "Republic of Korea".
  const comma = s.lastIndexOf(',');
  if (comma > 0) {
    const swapped = index.get(foldKey(`${s.slice(comma + 1)} ${s.slice(0, comma)}`));
    if (swapped) return swapped;
  }
  return undefined;
}

/** ISO 3166-1 alpha-3 code of a normalised country key (`FR` → `FRA`); undefined for regions and unknown keys. */
export function countryIso3(key: string): string | undefined {
  return alpha3.get(key.toUpperCase()) || undefined;
}

/** English display name of a normalised key (`FR` → `France`, `EU` → `European Union`). */
export function locationLabel(key: string): string | undefined {
  return labels.get(key) ?? REGIONS[key]?.label;
}

/** All country keys (ISO alpha-2), for tests and listings. */
export function countryKeys(): string[] {
  return [...labels.keys()];
}

/**
 * Key under which a location is stored in `Referential.electricity`: the normalised key (`FR`, `EU`, `WORLD`) when
 * the location is known, else its `foldKey` (unknown names are kept under that name, `REF_UNKNOWN_LOCATION`).
 */
export function locationKey(s: string): string {
  return normaliseLocation(s)?.key ?? foldKey(s);
}
