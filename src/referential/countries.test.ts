import { afterEach, describe, expect, it, vi } from 'vitest';
import { countryIso3, countryKeys, countryTable, locationLabel, normaliseLocation } from './countries.js';

describe('normaliseLocation', () => {
  // Expected keys are ISO 3166-1 alpha-2 codes looked up by hand (https://www.iso.org/obp/ui/#search).
  const cases: [string, string][] = [
    ['France', 'FR'],
    ['france', 'FR'],
    ['FRA', 'FR'],
    ['fr', 'FR'],
    ['Korea', 'KR'],
    ['Korea, Republic of', 'KR'],
    ['Corée du Sud', 'KR'],
    ['COREE DU SUD', 'KR'],
    ["Korea, Democratic People's Republic of", 'KP'],
    ['Royaume-Uni', 'GB'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['GBR', 'GB'],
    ['États-Unis', 'US'],
    ['Etats Unis', 'US'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['Allemagne', 'DE'],
    ['Germany', 'DE'],
    ['DEU', 'DE'],
    ['Pays-Bas', 'NL'],
    ['Espagne', 'ES'],
    ['Belgique', 'BE'],
    ['Irlande', 'IE'],
    ['Italie', 'IT'],
    ["Côte d'Ivoire", 'CI'],
    ['Cote d Ivoire', 'CI'],
    ['Iran, Islamic Republic of', 'IR'],
    ['Congo, the Democratic Republic of the', 'CD'],
    ['Congo', 'CG'],
    ['Viet Nam', 'VN'],
    ['Czechia', 'CZ'],
    ['Taiwan, Province of China', 'TW'],
    ['  Suisse  ', 'CH'],
  ];
  it.each(cases)('%s → %s', (input, key) => {
    expect(normaliseLocation(input)?.key).toBe(key);
  });

  it('maps regions to EU and WORLD', () => {
    for (const s of ['EU', 'Europe', 'Union européenne', 'European Union', 'union europeenne']) {
      expect(normaliseLocation(s)).toEqual({ key: 'EU', label: 'European Union' });
    }
    for (const s of ['World', 'Monde', 'monde']) expect(normaliseLocation(s)?.key).toBe('WORLD');
  });

  it('returns undefined for unknown names and empty strings', () => {
    expect(normaliseLocation('Atlantis')).toBeUndefined();
    expect(normaliseLocation('')).toBeUndefined();
    expect(normaliseLocation(' - ')).toBeUndefined();
  });

  it('gives English labels', () => {
    expect(normaliseLocation('Allemagne')?.label).toBe('Germany');
    expect(locationLabel('FR')).toBe('France');
    expect(locationLabel('WORLD')).toBe('World');
  });

  it('covers every ISO 3166-1 country by its alpha-2 and alpha-3 codes', () => {
    // ISO 3166-1 lists 249 entries; the package adds XK (Kosovo, user-assigned) → 250.
    expect(countryKeys().length).toBeGreaterThanOrEqual(249);
    for (const k of countryKeys()) {
      expect(normaliseLocation(k)?.key).toBe(k);
      const a3 = countryIso3(k);
      expect(a3).toMatch(/^[A-Z]{3}$/);
      expect(normaliseLocation(a3!)?.key).toBe(k);
    }
  });
});

describe('countryIso3', () => {
  it('converts alpha-2 keys', () => {
    expect(countryIso3('FR')).toBe('FRA');
    expect(countryIso3('kr')).toBe('KOR');
    expect(countryIso3('GB')).toBe('GBR');
    expect(countryIso3('EU')).toBeUndefined();
    expect(countryIso3('WORLD')).toBeUndefined();
  });
});

describe("the build's table (issue 11, start-up time)", () => {
  const global = globalThis as { __EMPREINTE_COUNTRIES__?: string };
  afterEach(() => {
    delete global.__EMPREINTE_COUNTRIES__;
    vi.resetModules();
  });

  it('the table holds every name, code, alias and region, with the key and label the lookups give', () => {
    const table = JSON.parse(countryTable()) as { index: string[][]; countries: string[][] };
    expect(table.countries.map(([a2]) => a2)).toEqual(countryKeys());
    for (const [a2, label, a3] of table.countries) {
      expect(locationLabel(a2!)).toBe(label);
      expect(countryIso3(a2!)).toBe(a3);
    }
    const folded = new Map(table.index.map(([k, key, label]) => [k, { key, label }]));
    // Names of both languages, codes, an alias the package lacks, a region.
    expect(folded.get('allemagne')).toEqual({ key: 'DE', label: 'Germany' });
    expect(folded.get('deu')).toEqual({ key: 'DE', label: 'Germany' });
    expect(folded.get('korea')).toEqual(normaliseLocation('Korea'));
    expect(folded.get('europe')).toEqual({ key: 'EU', label: 'European Union' });
    for (const [k, key, label] of table.index) expect(normaliseLocation(k!)).toEqual({ key, label });
  });

  it("the bundle's module reads the build's table instead of the package", async () => {
    // A table of one name: what the module answers comes from it.
    global.__EMPREINTE_COUNTRIES__ = JSON.stringify({
      index: [['atlantide', 'AT', 'Atlantis']],
      countries: [['AT', 'Atlantis', 'ATL']],
    });
    vi.resetModules();
    const fromTable = await import('./countries.js');
    expect(fromTable.normaliseLocation('Atlantide')).toEqual({ key: 'AT', label: 'Atlantis' });
    expect(fromTable.normaliseLocation('France')).toBeUndefined();
    expect(fromTable.countryIso3('at')).toBe('ATL');
    expect(fromTable.countryIso3('FR')).toBeUndefined();
    expect(fromTable.locationLabel('AT')).toBe('Atlantis');
    expect(fromTable.locationLabel('EU')).toBe('European Union');
    expect(fromTable.countryKeys()).toEqual(['AT']);
  });
});
