import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { TotalsDocument } from '../../src/web/api.js';
import { translator } from '../../src/web/i18n/index.js';
import { KeyFiguresView } from '../../src/web/pages/overview.js';

/** A totals document as the API gives it, with one criterion (values chosen by hand). */
const doc = (scope?: { entities: string[] }): TotalsDocument =>
  ({
    meta: {
      engine: { name: 'empreinte', version: '0' },
      profile: 'rcp',
      referenceDate: '2025-06-30',
      referential: { id: 'r', version: '1', hash: 'h', layers: [] },
      criteria: ['CLIMATE_CHANGE'],
      steps: ['USE'],
    },
    inventory: [],
    totals: { byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', value: 1234 }] },
    ...(scope !== undefined ? { scope } : {}),
  }) as unknown as TotalsDocument;

describe('overview key figures of an entity-restricted member', () => {
  it('say the view covers their entities only, in French and in English', () => {
    const fr = render(
      h(KeyFiguresView, { doc: doc({ entities: ['Site A', 'Atelier A1'] }), t: translator('fr'), lang: 'fr' }),
    );
    expect(fr).toContain('data-testid="scope-notice"');
    expect(fr).toContain('Vue limitée à vos entités : Site A, Atelier A1.');
    const en = render(h(KeyFiguresView, { doc: doc({ entities: ['Site A'] }), t: translator('en'), lang: 'en' }));
    expect(en).toContain('Limited to your entities: Site A.');
  });

  it('say nothing of the kind for the whole campaign', () => {
    const html = render(h(KeyFiguresView, { doc: doc(), t: translator('fr'), lang: 'fr' }));
    expect(html).not.toContain('scope-notice');
    expect(html).toContain('data-value="1234"');
  });
});
