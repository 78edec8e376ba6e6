import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.js';
import { fr } from '../../src/web/i18n/fr.js';
import { codeLabel, detectLang, fill, translate } from '../../src/web/i18n/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('French and English have exactly the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [k, v] of [...Object.entries(fr), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });

  it('every message has the same placeholders in both languages', () => {
    for (const k of Object.keys(fr) as (keyof typeof fr)[]) expect(placeholders(en[k]), k).toEqual(placeholders(fr[k]));
  });

  it('the English text differs from the French one where words are translated', () => {
    expect(translate('fr', 'nav.overview')).toBe("Vue d'ensemble");
    expect(translate('en', 'nav.overview')).toBe('Overview');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translate('en', 'common.page', { page: 2, pages: 7 })).toBe('Page 2 of 7');
    expect(translate('fr', 'common.page', { page: 2, pages: 7 })).toBe('Page 2 sur 7');
    expect(fill('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });

  it('labels codes, falling back to the code when the dictionary has none', () => {
    expect(codeLabel('fr', 'criterion', 'CLIMATE_CHANGE')).toBe('Changement climatique');
    expect(codeLabel('en', 'tier', 'DATACENTER')).toBe('Data centres');
    expect(codeLabel('en', 'criterion', 'LAND_USE')).toBe('LAND_USE');
  });
});

describe('language detection', () => {
  it('prefers the remembered language, then the browser languages, then French', () => {
    expect(detectLang('en', ['fr-FR'])).toBe('en');
    expect(detectLang(null, ['de-DE', 'en-US', 'fr'])).toBe('en');
    expect(detectLang(null, ['fr-CA'])).toBe('fr');
    expect(detectLang('xx', ['de'])).toBe('fr');
    expect(detectLang(undefined, [])).toBe('fr');
  });
});
