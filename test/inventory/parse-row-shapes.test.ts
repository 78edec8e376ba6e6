/**
 * The row parser builds each item by its shape, the set of its fields that have a value (issue 11, per-row cost):
 * the item must be the object adding the fields one by one gave — the same fields, values and order, absent fields
 * absent, `at` last — whatever the columns, their order and the empty cells, including files wider than 30 slots
 * (shapes of more than one 30-bit word). The years in service of the plausibility warning are computed from day
 * numbers: checked against dates by hand, leap days included, at the threshold.
 */
import { describe, expect, it } from 'vitest';
import { KIND_SPECS, type ColumnSpec } from '../../src/inventory/columns.js';
import { MAX_SHAPES, compileRowParser, type RowContext } from '../../src/inventory/parse-row.js';

const PE = KIND_SPECS['physical-equipment'].columns;

/** Deterministic pseudo-random numbers (LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A valid cell of the column and the value the item must hold for it (written by hand per cell type). */
function cell(spec: ColumnSpec, row: number): { text: string; value: unknown } {
  switch (spec.type) {
    case 'string':
      return { text: ` ${spec.canonical}-${row} `, value: `${spec.canonical}-${row}` }; // cells are trimmed
    case 'number':
      return spec.constraint === 'fraction' ? { text: '0.25', value: 0.25 } : { text: '2.5e0', value: 2.5 };
    case 'integer':
      return { text: '3', value: 3 };
    case 'date':
      return { text: '15/03/2021', value: '2021-03-15' }; // the same date for purchase and withdrawal: not inverted
    case 'boolean':
      return { text: 'oui', value: true };
    case 'quality':
      return { text: 'moyenne', value: 'MEDIUM' };
    case 'usageMode':
      return { text: 'cope', value: 'COPE' };
    case 'endOfLife':
      return { text: 'Réemploi', value: 'reuse' };
    default:
      throw new Error(`no test value for ${spec.type}`);
  }
}

const ctx: RowContext = { mode: 'lenient', file: 'inv.csv', referenceDate: '2025-01-01' };

describe('items built by shape', () => {
  it('equal the items built field by field: 33 columns in random orders, random empty cells, one parser per file', () => {
    const rnd = lcg(5);
    for (let file = 0; file < 12; file++) {
      // A random order of every physical-equipment column (the widest kind: slots 30 to 32 in the second word).
      const order = PE.map((c) => ({ c, k: rnd() }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.c);
      const parse = compileRowParser(
        'physical-equipment',
        order.map((c) => c.canonical),
        ctx,
      );
      for (let row = 0; row < 60; row++) {
        const cells: string[] = [];
        const expected: [string, unknown][] = [];
        for (const spec of order) {
          const required = spec.e === true;
          const empty = !required && rnd() < 0.4;
          const { text, value } = cell(spec, row);
          cells.push(empty ? (rnd() < 0.5 ? '' : 'NULL') : text);
          if (!empty) expected.push([spec.field!, value]);
        }
        expected.push(['at', { file: 'inv.csv', line: row + 2 }]);
        const res = parse(cells, row + 2);
        if (!res.ok) throw new Error(JSON.stringify(res.errors));
        const item = res.item.item as unknown as Record<string, unknown>;
        expect(Object.keys(item)).toEqual(expected.map(([k]) => k));
        expect(item).toEqual(Object.fromEntries(expected));
      }
    }
  });

  it(`beyond ${MAX_SHAPES} shapes in one file (a new set of empty cells on every line): the same items, built field by field`, () => {
    const rnd = lcg(6);
    const parse = compileRowParser(
      'physical-equipment',
      PE.map((c) => c.canonical),
      ctx,
    );
    const seen = new Set<string>();
    for (let row = 0; row < 3 * MAX_SHAPES; row++) {
      const cells: string[] = [];
      const expected: [string, unknown][] = [];
      for (const spec of PE) {
        const empty = spec.e !== true && rnd() < 0.5;
        const { text, value } = cell(spec, row);
        cells.push(empty ? '' : text);
        if (!empty) expected.push([spec.field!, value]);
      }
      seen.add(expected.map(([k]) => k).join());
      expected.push(['at', { file: 'inv.csv', line: row + 2 }]);
      const res = parse(cells, row + 2);
      if (!res.ok) throw new Error(JSON.stringify(res.errors));
      const item = res.item.item as unknown as Record<string, unknown>;
      expect(Object.keys(item)).toEqual(expected.map(([k]) => k));
      expect(item).toEqual(Object.fromEntries(expected));
    }
    expect(seen.size).toBeGreaterThan(2 * MAX_SHAPES); // most lines after the first 256 shapes took the other path
  });

  it('a required field beyond the 30th column: present, empty (INP_REQUIRED) and invalid (its own error only)', () => {
    const others = PE.filter((c) => c.canonical !== 'quantite');
    const columns = [...others.map((c) => c.canonical), 'quantite']; // quantite is slot 32
    const parse = compileRowParser('physical-equipment', columns, ctx);
    const base = others.map((c) => (c.e ? cell(c, 1).text : ''));
    const ok = parse([...base, '7'], 2);
    expect(ok.ok && (ok.item.item as { quantity: number }).quantity).toBe(7);
    const missing = parse([...base, ''], 3);
    expect(missing.ok ? [] : missing.errors.map((e) => [e.code, e.column])).toEqual([['INP_REQUIRED', 'quantite']]);
    const invalid = parse([...base, '-1'], 4);
    expect(invalid.ok ? [] : invalid.errors.map((e) => [e.code, e.column])).toEqual([['INP_NOT_POSITIVE', 'quantite']]);
  });

  it('finishers still remove and add fields: an invalid PUE left out, a month written as year and month', () => {
    const dc = compileRowParser('datacenter', ['nomCourtDatacenter', 'pue', 'localisation'], ctx);
    const r = dc(['DC1', '0.9', 'France'], 2);
    expect(r.ok && Object.keys(r.item.item)).toEqual(['name', 'location', 'at']);
    const good = dc(['DC2', '1.4', 'France'], 3);
    expect(good.ok && good.item.item).toEqual({
      name: 'DC2',
      pue: 1.4,
      location: 'France',
      at: { file: 'inv.csv', line: 3 },
    });
    const mail = compileRowParser(
      'messaging',
      ['MoisAnnee', 'nombreMailEmis', 'nombreMailEmisXDestinataires', 'volumeTotalMailEmis'],
      ctx,
    );
    const m = mail(['32024', '10', '20', '1.5'], 2);
    expect(m.ok && Object.entries(m.item.item)).toEqual([
      ['sentCount', 10],
      ['sentTimesRecipients', 20],
      ['totalVolume', 1.5],
      ['year', 2024],
      ['month', 3],
      ['at', { file: 'inv.csv', line: 2 }],
    ]);
  });
});

describe('years in service (INP_ABSURD_VALUE on dateAchat)', () => {
  const parse = compileRowParser(
    'physical-equipment',
    ['nomEquipementPhysique', 'quantite', 'type', 'paysDUtilisation', 'dateAchat', 'dateRetrait'],
    ctx,
  );
  /** Days between two dates by hand (UTC calendar), over 365 (§0). */
  const years = (from: [number, number, number], to: [number, number, number]) =>
    (Date.UTC(to[0], to[1] - 1, to[2]) - Date.UTC(from[0], from[1] - 1, from[2])) / 86_400_000 / 365;
  const warned = (purchase: string, retirement: string) => {
    const r = parse(['L1', '1', 'Laptop', 'France', purchase, retirement], 2);
    if (!r.ok) throw new Error('rejected');
    return r.warnings
      .filter((w) => w.code === 'INP_ABSURD_VALUE' && w.column === 'dateAchat')
      .map((w) => String((w.details as Record<string, unknown>)['reason']));
  };

  it('to the reference date and to the withdrawal date, leap days counted; the laptop threshold is 15 years', () => {
    // 1995-06-15 → 2025-01-01: 10,793 days, 29.57 years.
    expect(Math.floor(years([1995, 6, 15], [2025, 1, 1]))).toBe(29);
    expect(warned('1995-06-15', '')).toEqual([
      expect.stringContaining('29 years in service, more than 15 for a laptop'),
    ]);
    // 2000-02-29 → 2024-02-29 (dd/MM/yyyy and yyyyMMdd cells): 8,766 days, 24.02 years.
    expect(Math.floor(years([2000, 2, 29], [2024, 2, 29]))).toBe(24);
    expect(warned('29/02/2000', '20240229')).toEqual([expect.stringContaining('24 years in service')]);
  });

  it('at the threshold: 5,475 days are exactly 15 years (no warning), 5,476 days are more', () => {
    expect(years([2010, 1, 5], [2025, 1, 1])).toBe(15); // 2010-01-01 → 2025-01-01 is 15 × 365 + 4 leap days; 4 days later: 5,475 days
    expect(warned('2010-01-05', '')).toEqual([]);
    expect(years([2010, 1, 4], [2025, 1, 1])).toBeGreaterThan(15);
    expect(warned('2010-01-04', '')).toEqual([expect.stringContaining('15 years in service, more than 15')]);
  });
});
