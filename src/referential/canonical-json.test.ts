/**
 * Issue 11: `canonicalJson` (the text hashed into every referential's `hash`) writes its JSON directly instead of
 * building a sorted copy for `JSON.stringify`. It must give the same bytes: compared with the former implementation,
 * kept here as the oracle, on the embedded pack's merged referential and on generated values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, mergeLayers } from './merge.js';
import { loadDefaultPack } from './pack.js';

/** The implementation before issue 11: a normalised copy (sorted keys, Maps as objects) given to JSON.stringify. */
function oracle(value: unknown): string {
  const norm = (v: unknown, key?: string): unknown => {
    if (v instanceof Map) {
      const o: Record<string, unknown> = {};
      for (const k of [...v.keys()].map(String).sort()) o[k] = norm(v.get(k));
      return o;
    }
    if (Array.isArray(v)) return v.map((x) => norm(x));
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      const drop = key === 'prov' ? new Set(['file', 'line', 'layer']) : new Set<string>();
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || drop.has(k)) continue;
        o[k] = norm(x, k);
      }
      return o;
    }
    return v;
  };
  return JSON.stringify(norm(value));
}

describe('canonicalJson (issue 11)', () => {
  it('gives the former bytes for the merged embedded referential, so its hash is unchanged', async () => {
    const pack = await loadDefaultPack();
    const { referential } = mergeLayers([pack.layer]);
    const content = {
      criteria: referential.criteria,
      hypotheses: referential.hypotheses,
      items: referential.items,
      electricity: referential.electricity,
      matchings: referential.matchings,
      cloud: referential.cloud,
      cpuSpecs: referential.cpuSpecs,
      layer: pack.layer,
    };
    expect(canonicalJson(content)).toBe(oracle(content));
  });

  it('gives the former bytes for generated values: index-like keys, Maps, prov, undefined, NaN, nesting', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom('0', '1', '2', '10', '01', '-1', '4294967294', '4294967295', 'prov', 'file', 'line', 'layer'),
    );
    const leaf = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
        fc
          .array(fc.tuple(fc.oneof(key, fc.integer({ min: -3, max: 12 })), tie('v')), { maxLength: 4 })
          .map((entries) => new Map(entries)),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson({ prov: v, x: v })).toBe(oracle({ prov: v, x: v }));
      }),
      { numRuns: 500 },
    );
  });
});
