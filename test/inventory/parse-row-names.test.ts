/**
 * The row parser gives an item's type, model and location as one string per name (issue 11, per-line cost: the
 * engine's maps keyed by them find them by identity), through a table of recent names in front of the names it
 * remembers. Identity cannot be seen from a test; what can is written here by hand: every item holds its own line's
 * text, whatever the names before it (names sharing a slot of the recent table, texts that JSON escapes, long texts),
 * and its issues are those of its own names.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STRING_LENGTH, compileRowParser, type RowContext, type RowResult } from '../../src/inventory/parse-row.js';

const ctx = (types: readonly string[], places: readonly string[]): RowContext => ({
  mode: 'lenient',
  file: 'inv.csv',
  referenceDate: '2025-01-01',
  isKnownType: (t) => types.includes(t),
  knownTypeNames: types.join(', '),
  isKnownLocation: (l) => places.includes(l),
});

const codes = (res: RowResult) => (res.ok ? [] : res.errors.map((e) => `${e.code}@${e.column}`));

/** A cell as the CSV reader makes it: a slice of its line's text (long ones are slices of the line in V8). */
const cellsOf = (cells: readonly string[]): string[] => {
  const line = `#${cells.join('\u0001')}#`;
  const out: string[] = [];
  let at = 1;
  for (const c of cells) {
    out.push(line.slice(at, at + c.length));
    at += c.length + 1;
  }
  return out;
};

describe('types, models and locations as one string per name', () => {
  it('names sharing a slot of the recent table (same length, first, middle and last characters) keep their own facts', () => {
    // 'Laptop' and 'Lbptop' differ at the second character only; 'Spain' and 'Sxaxn' likewise.
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'modele', 'paysDUtilisation', 'quantite'],
      ctx(['Laptop'], ['Spain']),
    );
    for (let i = 0; i < 40; i++) {
      const type = i % 2 === 0 ? 'Laptop' : 'Lbptop';
      const country = i % 3 === 0 ? 'Sxaxn' : 'Spain';
      const model = ['ThinkPad T14 Gen 3', 'ThinkPad T15 Gen 3', 'X'][i % 3]!;
      const res = parse(cellsOf([`PC-${i}`, type, model, country, '1']), i + 2);
      const expected = [
        ...(type === 'Lbptop' ? ['INP_UNKNOWN_TYPE@type'] : []),
        ...(country === 'Sxaxn' ? ['INP_UNKNOWN_LOCATION@paysDUtilisation'] : []),
      ];
      expect(codes(res)).toEqual(expected);
      if (res.ok)
        expect(res.item.item).toEqual({
          name: `PC-${i}`,
          type,
          model,
          country,
          quantity: 1,
          at: { file: 'inv.csv', line: i + 2 },
        });
      else {
        const unknownType = res.errors.find((e) => e.code === 'INP_UNKNOWN_TYPE');
        if (type === 'Lbptop') expect(unknownType?.details).toMatchObject({ type: 'Lbptop' });
        const unknownPlace = res.errors.find((e) => e.code === 'INP_UNKNOWN_LOCATION');
        if (country === 'Sxaxn') expect(unknownPlace?.details).toMatchObject({ value: 'Sxaxn' });
      }
    }
  });

  it('texts that JSON escapes or that are long come back as they are, on the first line and the next ones', () => {
    const odd = [
      'Lap"top',
      'Lap\\top',
      'Écran 27" — modèle spécial',
      'Phone \u{1F4F1}',
      'half \ud83d surrogate',
      'a'.repeat(300),
      'Server rack-mounted 2U model 7',
    ];
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'modele', 'paysDUtilisation', 'quantite'],
      ctx(odd, odd),
    );
    for (let round = 0; round < 3; round++) {
      for (let j = 0; j < odd.length; j++) {
        const name = odd[j]!;
        if (name.length > MAX_STRING_LENGTH) continue; // the line's own error (INP_TOO_LONG), tested elsewhere
        const res = parse(cellsOf([`PC-${j}`, name, name, name, '2']), j + 2);
        expect(codes(res)).toEqual([]);
        if (res.ok) expect(res.item.item).toMatchObject({ type: name, model: name, country: name, quantity: 2 });
      }
    }
  });

  it('an empty model stays absent; a one-character model is kept', () => {
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'modele', 'paysDUtilisation', 'quantite'],
      ctx(['Laptop'], ['Spain']),
    );
    const empty = parse(cellsOf(['PC-1', 'Laptop', '', 'Spain', '1']), 2);
    expect(empty.ok && 'model' in empty.item.item).toBe(false);
    const one = parse(cellsOf(['PC-2', 'Laptop', 'X', 'Spain', '1']), 3);
    expect(one.ok && one.item.item).toMatchObject({ model: 'X' });
  });

  it('non-IT items and datacenters: their location (and type) as read, unknown ones reported on every line', () => {
    const nonIt = compileRowParser(
      'non-it',
      ['nomItemNonIT', 'type', 'localisation', 'quantite'],
      ctx(['Chair'], ['France']),
    );
    for (let i = 0; i < 6; i++) {
      const location = i % 2 === 0 ? 'France' : 'Fxance';
      const res = nonIt(cellsOf([`N-${i}`, 'Chair', location, '1']), i + 2);
      expect(codes(res)).toEqual(location === 'Fxance' ? ['INP_UNKNOWN_LOCATION@localisation'] : []);
      if (res.ok) expect(res.item.item).toMatchObject({ type: 'Chair', location: 'France' });
    }
    const dc = compileRowParser('datacenter', ['nomCourtDatacenter', 'localisation', 'pue'], ctx([], ['Germany']));
    for (let i = 0; i < 4; i++) {
      const res = dc(cellsOf([`DC-${i}`, 'Germany', '1.5']), i + 2);
      expect(codes(res)).toEqual([]);
      if (res.ok) expect(res.item.item).toMatchObject({ name: `DC-${i}`, location: 'Germany', pue: 1.5 });
    }
  });
});
