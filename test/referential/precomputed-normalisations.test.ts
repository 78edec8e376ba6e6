/**
 * Issue 11, start-up time: the CLI bundle carries the build's normalisations of the embedded pack's reference item
 * names (src/referential/matching/precomputed.ts, written by scripts/bundle.mjs through esbuild `define`). The sources
 * have no table: here the table's text is put on the global object (where the bundle's constant would be read).
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActiveReferential } from '../../src/app/load-referential.js';
import { createModelMatcher } from '../../src/referential/matching/matcher.js';
import { normaliseModel } from '../../src/referential/matching/normalise.js';
import {
  parseNormalisations,
  precomputedNormalisations,
  serialiseNormalisations,
} from '../../src/referential/matching/precomputed.js';
import type { ReferenceItem } from '../../src/referential/model.js';
import { readSample } from './matching-eval.js';

const global = globalThis as { __EMPREINTE_NORMALISED_MODELS__?: string };
afterEach(() => {
  delete global.__EMPREINTE_NORMALISED_MODELS__;
});

let items: ReferenceItem[];
let names: string[];
beforeAll(async () => {
  items = [...(await loadActiveReferential({ profile: 'rcp' })).referential.items.values()];
  names = items.filter((it) => it.unit === 'Item').map((it) => it.name);
});

describe('precomputed model normalisations (issue 11)', () => {
  it('without a table (sources, compiled modules) there is none', () => {
    expect(precomputedNormalisations()).toBeUndefined();
  });

  it('the table read back equals normaliseModel for every name of the default merge', () => {
    expect(names.length).toBeGreaterThan(1000);
    const table = parseNormalisations(serialiseNormalisations(names));
    expect(table.size).toBe(new Set(names).size);
    for (const name of names) expect(table.get(name), name).toEqual(normaliseModel(name));
    // Names with parentheses, a manufacturer, soft and strict tokens are among them (the masks are exercised).
    const all = [...table.values()];
    expect(all.some((n) => n.optional.size > 0 && n.manufacturer !== undefined)).toBe(true);
    expect(all.some((n) => n.strict.size > 0 && n.soft.size > 0)).toBe(true);
  });

  it('the bundle reads its table; a matcher with it finds what the one without it finds', () => {
    const without = createModelMatcher(items);
    global.__EMPREINTE_NORMALISED_MODELS__ = serialiseNormalisations(names);
    expect(precomputedNormalisations()?.size).toBe(new Set(names).size);
    const withTable = createModelMatcher(items);
    const rows = readSample(join(__dirname, '..', 'fixtures', 'matching-sample.csv'));
    for (const r of rows) {
      expect(withTable.match(r.model, r.type), r.model).toEqual(without.match(r.model, r.type));
      expect(withTable.best(r.model), r.model).toEqual(without.best(r.model));
    }
  });

  it('a name missing from the table (a user referential item) is normalised by the matcher', () => {
    global.__EMPREINTE_NORMALISED_MODELS__ = serialiseNormalisations([]);
    const user: ReferenceItem = { ...items.find((it) => it.unit === 'Item')!, name: 'Fairphone 4' };
    expect(createModelMatcher([user]).match('fairphone 4')).toEqual({ item: 'Fairphone 4', score: 1, via: 'MODEL' });
  });
});
