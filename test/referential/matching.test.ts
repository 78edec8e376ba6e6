/**
 * Model matching (F1 MATCHING / MODEL / MODEL_FUZZY) over the default pack, measured on the labelled sample
 * test/fixtures/matching-sample.csv (model;type;expected;note — expected = item name(s) or "no match").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createModelMatcher,
  defaultCategoryCompatible,
  similarity,
  DEFAULT_MATCH_THRESHOLD,
} from '../../src/referential/matching/matcher.js';
import { readMatchingFile } from '../../src/referential/matching/matching-file.js';
import { modelKey, normaliseModel, type NormalisedModel } from '../../src/referential/matching/normalise.js';
import { mergeLayers } from '../../src/referential/merge.js';
import type { ReferenceItem } from '../../src/referential/model.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { evaluate, readSample } from './matching-eval.js';

let items: ReferenceItem[];
beforeAll(async () => {
  const pack = await loadDefaultPack();
  items = [...mergeLayers([pack.layer]).referential.items.values()];
});

describe('normalisation', () => {
  it('folds case, accents, punctuation, manufacturer and generation abbreviations', () => {
    expect(modelKey('ThinkPad X1 Carbon Gen 5')).toBe(modelKey('Lenovo ThinkPad X1 Carbon 5th Gen'));
    expect(modelKey('thinkpad x1 carbon G5')).toBe('thinkpad x1 carbon g5');
    expect(modelKey('DELL  Latitude-5420')).toBe('latitude 5420');
    expect(modelKey('Hewlett-Packard ProLiant DL380 Gen10')).toBe(modelKey('HPE ProLiant DL380 Generation 10'));
    expect(modelKey('Optiplex 7070 SFF')).toBe(modelKey('OptiPlex 7070 Small Form Factor'));
    expect(modelKey('DELL P2419H 24"')).toBe('p2419h 24in');
    expect(modelKey('Écran P2419H')).toBe('p2419h'); // accents folded, filler word dropped
    expect(modelKey('Thinkpad T 470')).toBe('thinkpad t470');
  });
  it('classifies model numbers as strict and options as soft', () => {
    const n = normaliseModel('Latitude 5420 i5 16GB 14" 2021');
    expect([...n.strict]).toEqual(['5420']);
    expect([...n.soft].sort()).toEqual(['14in', '16gb', '2021', 'i5']);
  });
  it('halves the score when model numbers differ', () => {
    const a = similarity(normaliseModel('Latitude 5420'), normaliseModel('Latitude 5421'));
    expect(a.score).toBeLessThan(0.5);
  });
});

describe('labelled sample', () => {
  const rows = readSample(join(__dirname, '..', 'fixtures', 'matching-sample.csv'));
  it('has at least 100 labelled strings, with positives and negatives', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => r.expected.length === 0).length).toBeGreaterThanOrEqual(40);
  });
  it('every expected item exists in the pack', () => {
    const names = new Set(items.map((i) => i.name));
    for (const r of rows) for (const e of r.expected) expect(names.has(e), `line ${r.line}: ${e}`).toBe(true);
  });
  it(`no false match at the default threshold ${DEFAULT_MATCH_THRESHOLD}; precision 1, recall ≥ 0.9`, () => {
    const e = evaluate(createModelMatcher(items), rows);
    // Measured on 147 strings (94 positives, 53 negatives): 88 true positives, 0 false matches, 6 misses.
    console.log(
      `matching sample: ${rows.length} strings, TP ${e.truePositives}, TN ${e.trueNegatives}, false ${e.falseMatches.length}, ` +
        `missed ${e.missed.length}; precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)}`,
    );
    expect(e.falseMatches).toEqual([]);
    expect(e.precision).toBe(1);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
  });
  it('a lower threshold trades precision for recall (configurable)', () => {
    const loose = evaluate(createModelMatcher(items, { threshold: 0.3 }), rows);
    expect(loose.falseMatches.length).toBeGreaterThan(0);
  });
});

describe('matcher API', () => {
  it('MODEL for an exact normalised name, MODEL_FUZZY with a score otherwise', () => {
    const m = createModelMatcher(items);
    expect(m.match('dell latitude 5420', 'Laptop')).toEqual({ item: 'Dell Latitude 5420', score: 1, via: 'MODEL' });
    const f = m.match('Lattitude 5420', 'Laptop');
    expect(f?.item).toBe('Dell Latitude 5420');
    expect(f?.via).toBe('MODEL_FUZZY');
    expect(f!.score).toBeGreaterThanOrEqual(0.85);
    expect(f!.score).toBeLessThan(1);
    expect(m.match('ThinkPad T14 Gen 2', 'Laptop')).toBeUndefined();
    expect(m.best('ThinkPad T14 Gen 2', 'Laptop')!.score).toBeLessThan(0.85);
  });
  it('the type restricts candidates to compatible categories', () => {
    const m = createModelMatcher(items);
    expect(m.match('Dell P2419H', 'Laptop')).toBeUndefined();
    expect(m.match('Dell P2419H', 'Monitor')?.item).toBe('Dell P2419H Monitor');
  });
  it('a user matching file confirms or overrides (modele;refEquipementCible)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-match-'));
    const file = join(dir, 'matching.csv');
    writeFileSync(
      file,
      'modele;refEquipementCible\nLatitude 5420;ademe-laptop\nHP EliteDisplay E243;ademe-monitor\n;ademe-tv\n',
    );
    const { matchings, issues } = await readMatchingFile(file);
    expect(matchings.map((x) => [x.modelSource, x.refItemTarget, x.prov.line])).toEqual([
      ['Latitude 5420', 'ademe-laptop', 2],
      ['HP EliteDisplay E243', 'ademe-monitor', 3],
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'REF_REQUIRED', file: 'matching.csv', line: 4, column: 'modele' });
    const m = createModelMatcher(items, { matchings });
    expect(m.match('Latitude 5420')).toEqual({ item: 'ademe-laptop', score: 1, via: 'MATCHING' });
    expect(m.match('hp elitedisplay e243')).toEqual({ item: 'ademe-monitor', score: 1, via: 'MATCHING' });
  });
  it('the best candidate is the one a plain scan with `similarity` finds (the matcher reuses bigrams per query)', () => {
    // Reference: the module comment's rule written as a plain scan, every pair scored by the exported similarity.
    const pool = items
      .filter((it) => it.unit === 'Item')
      .map((it) => ({ name: it.name, category: it.category, norm: normaliseModel(it.name) }))
      .filter((c) => c.norm.tokens.length > 0)
      .sort((x, y) => x.name.length - y.name.length || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    const scan = (model: string, type?: string): { item: string; score: number } | undefined => {
      const q = normaliseModel(model);
      if (q.tokens.length === 0) return undefined;
      let best: { item: string; score: number; raw: number } | undefined;
      for (const c of pool) {
        if (type !== undefined && !defaultCategoryCompatible(type, c.category)) continue;
        if (q.manufacturer && c.norm.manufacturer && q.manufacturer !== c.norm.manufacturer) continue;
        const s = similarity(q, c.norm);
        if (!best || s.score > best.score || (s.score === best.score && s.raw > best.raw))
          best = { item: c.name, score: s.score, raw: s.raw };
      }
      return best && { item: best.item, score: best.score };
    };
    const m = createModelMatcher(items);
    const rows = readSample(join(__dirname, '..', 'fixtures', 'matching-sample.csv'));
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(m.best(r.model, r.type), `${r.model} (${r.type ?? 'no type'})`).toEqual(scan(r.model, r.type));
      expect(m.best(r.model), r.model).toEqual(scan(r.model));
    }
    // The example inventory's models and types (issue 11, tiny inventory): generic types restrict no category, so
    // each query is scored against every candidate, with low scores and ties broken by the raw score.
    const example = readFileSync(
      join(__dirname, '..', '..', 'examples', 'inventory', 'equipements_physiques.csv'),
      'utf8',
    )
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(';'));
    expect(example.length).toBeGreaterThan(10);
    for (const [, model, , , , , type] of example) {
      expect(m.best(model!, type), `${model} (${type})`).toEqual(scan(model!, type));
      expect(m.best(`HP ${model!}`), `HP ${model}`).toEqual(scan(`HP ${model!}`));
    }
  });
  it('similarity gives the numbers of the rule written plainly (sets, filters), over the sample × every candidate', () => {
    // Reference: the module comment's rule with sets and filters, the bigrams recomputed for every text.
    const grams = (s: string): Map<string, number> => {
      const m = new Map<string, number>();
      for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
      return m;
    };
    const oneEdit = (a: string, b: string): boolean => {
      if (Math.abs(a.length - b.length) > 1) return false;
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
      return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
    };
    const same = (x: string, y: string) =>
      x === y || (x.length >= 5 && y.length >= 5 && !/\d/.test(x) && !/\d/.test(y) && oneEdit(x, y));
    const plainBase = (q: readonly string[], c: readonly string[]): number => {
      const qc = q.join('');
      const cc = c.join('');
      let d = 0;
      if (qc.length >= 2 && cc.length >= 2) {
        const a = grams(qc);
        const b = grams(cc);
        let inter = 0;
        for (const [k, n] of a) inter += Math.min(n, b.get(k) ?? 0);
        d = (2 * inter) / (qc.length - 1 + (cc.length - 1));
      }
      const used = new Set<number>();
      let inter = 0;
      for (const t of q) {
        const i = c.findIndex((x, k) => !used.has(k) && same(t, x));
        if (i >= 0) {
          used.add(i);
          inter++;
        }
      }
      const union = q.length + c.length - inter;
      return 0.6 * d + 0.4 * (union === 0 ? 0 : inter / union);
    };
    const plain = (q: NormalisedModel, c: NormalisedModel): { score: number; raw: number } => {
      const has = (t: string, other: readonly string[]) => other.some((o) => same(t, o));
      const qKept = q.tokens.filter((t) => !(q.soft.has(t) && !has(t, c.tokens)));
      const cKept = c.tokens.filter(
        (t) => !((c.soft.has(t) || (q.strict.size > 0 && c.optional.has(t))) && !has(t, q.tokens)),
      );
      const cStrict = new Set([...c.strict].filter((t) => cKept.includes(t)));
      const strictOk = q.strict.size === cStrict.size && [...q.strict].every((t) => cStrict.has(t));
      const score = qKept.length === 0 || cKept.length === 0 ? 0 : plainBase(qKept, cKept);
      return { score: strictOk ? score : score / 2, raw: plainBase(q.tokens, c.tokens) };
    };
    const pool = items.filter((it) => it.unit === 'Item').map((it) => normaliseModel(it.name));
    const rows = readSample(join(__dirname, '..', 'fixtures', 'matching-sample.csv'));
    let pairs = 0;
    for (const r of rows.slice(0, 40)) {
      const q = normaliseModel(r.model);
      for (const c of pool) {
        const got = similarity(q, c);
        const want = plain(q, c);
        if (got.score !== want.score || got.raw !== want.raw)
          expect(got, `${r.model} / ${c.tokens.join(' ')}`).toEqual(want);
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(40_000);
  });
  it('bigrams are compared by their two code units, whatever their values (sorted integer lists)', () => {
    const text = (...tokens: string[]): NormalisedModel => ({
      tokens,
      compact: tokens.join(''),
      strict: new Set(),
      soft: new Set(),
      optional: new Set(),
      keyWithManufacturer: tokens.join(' '),
    });
    // Same single token: Dice 1, Jaccard 1.
    expect(similarity(text('\uffffa'), text('\uffffa')).score).toBe(1);
    // 'a\uffff', '\uffffa' against '\uffffa', 'ab': one bigram of two in common on each side, no common token.
    expect(similarity(text('a\uffffa'), text('\uffffab')).score).toBe(0.6 * ((2 * 1) / (2 + 2)));
    // Units above 0x7fff and below 0x8000 in one text (the sorted list mixes negative and positive numbers); a repeated
    // bigram counts as many times as both texts have it: 'ab' twice in both, '\u8000a' once in the first only.
    expect(similarity(text('abab\u8000a'), text('xabab')).score).toBe(0.6 * ((2 * 3) / (5 + 4)));
    // Bigrams of two units never mix up with others sharing one unit: 'ab' vs 'ba'.
    expect(similarity(text('ab'), text('ba')).score).toBe(0);
  });
  it('rejects a threshold outside [0, 1]', () => {
    expect(() => createModelMatcher([], { threshold: 1.5 })).toThrow(RangeError);
  });
});
