/**
 * The row parser looks up what its finishers check of a type name and a location once per name (issue 11, per-line
 * cost), and skips the required-field check when a line has every required field. The issues must be those of a
 * lookup per line, written here by hand: an unknown type or location on every line that has it, beyond the names
 * remembered too; INP_REQUIRED for a required field that is empty, invalid (its own error only) or not in the header.
 */
import { describe, expect, it } from 'vitest';
import { REMEMBERED_NAMES, compileRowParser, type RowContext, type RowResult } from '../../src/inventory/parse-row.js';

const KNOWN_TYPES = new Set(['Laptop', 'Monitor', 'Chair']);
const KNOWN_PLACES = new Set(['France', 'Spain']);

/** A context whose referential checks count their calls. */
function context(): { ctx: RowContext; calls: { type: number; location: number } } {
  const calls = { type: 0, location: 0 };
  const ctx: RowContext = {
    mode: 'lenient',
    file: 'inv.csv',
    referenceDate: '2025-01-01',
    isKnownType: (t) => {
      calls.type++;
      return KNOWN_TYPES.has(t);
    },
    knownTypeNames: 'Laptop, Monitor, Chair',
    isKnownLocation: (l) => {
      calls.location++;
      return KNOWN_PLACES.has(l);
    },
  };
  return { ctx, calls };
}

const codes = (res: RowResult) => (res.ok ? [] : res.errors.map((e) => `${e.code}@${e.column}`));

describe('type and location facts looked up once per name', () => {
  it('physical equipment: the same errors on every line, each name checked once', () => {
    const { ctx, calls } = context();
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite'],
      ctx,
    );
    for (let i = 0; i < 300; i++) {
      const type = ['Laptop', 'Toaster', 'Monitor'][i % 3]!;
      const country = ['France', 'Atlantis', 'Spain', 'Mu'][i % 4]!;
      const res = parse([`PC-${i}`, type, country, '1'], i + 2);
      const expected = [
        ...(type === 'Toaster' ? ['INP_UNKNOWN_TYPE@type'] : []),
        ...(country === 'Atlantis' || country === 'Mu' ? ['INP_UNKNOWN_LOCATION@paysDUtilisation'] : []),
      ];
      expect(codes(res)).toEqual(expected);
      if (res.ok) expect(res.item.item).toMatchObject({ type, country, quantity: 1 });
      else expect(res.errors.every((e) => e.line === i + 2 && e.file === 'inv.csv')).toBe(true);
    }
    expect(calls).toEqual({ type: 3, location: 4 });
  });

  it('the plausibility family comes with the type: a 20-year laptop and a 20-year monitor', () => {
    const { ctx } = context();
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite', 'dateAchat'],
      ctx,
    );
    const absurd = (res: RowResult) => res.warnings.filter((w) => w.code === 'INP_ABSURD_VALUE').map((w) => w.column);
    for (let k = 0; k < 3; k++) {
      // 2005-01-01 to 2025-01-01: 7,305 days = 20.01 years; the laptop limit is 15 years, the monitor's 20.
      expect(absurd(parse(['A', 'Laptop', 'France', '1', '2005-01-01'], 2))).toEqual(['dateAchat']);
      expect(absurd(parse(['B', 'Monitor', 'France', '1', '2005-01-01'], 3))).toEqual(['dateAchat']);
      expect(absurd(parse(['C', 'Monitor', 'France', '1', '2006-01-01'], 4))).toEqual([]);
      expect(absurd(parse(['D', 'Laptop', 'France', '1', '2010-01-05'], 5))).toEqual([]); // 5,475 days: 15 years
      // One day more: 5,476 days, 15.003 years; a monitor bought 7,300 and 7,301 days before the reference date.
      expect(absurd(parse(['E', 'Laptop', 'France', '1', '2010-01-04'], 6))).toEqual(['dateAchat']);
      expect(absurd(parse(['F', 'Monitor', 'France', '1', '2005-01-06'], 7))).toEqual([]);
      expect(absurd(parse(['G', 'Monitor', 'France', '1', '2005-01-05'], 8))).toEqual(['dateAchat']);
    }
  });

  it('years in service up to a retirement date, and without a reference date', () => {
    const { ctx } = context();
    const header = ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite', 'dateAchat', 'dateRetrait'];
    const parse = compileRowParser('physical-equipment', header, ctx);
    const noRef = compileRowParser('physical-equipment', header, { ...ctx, referenceDate: undefined });
    const absurd = (res: RowResult) =>
      res.warnings.filter((w) => w.code === 'INP_ABSURD_VALUE').map((w) => w.details['reason']);
    for (const p of [parse, noRef]) {
      // 1990-01-01 to 2010-01-01: 7,305 days, 20.01 years, for a laptop (15) and a server (25).
      expect(absurd(p(['A', 'Laptop', 'France', '1', '1990-01-01', '2010-01-01'], 2))).toEqual([
        '20 years in service, more than 15 for a laptop',
      ]);
      expect(absurd(p(['B', 'Server', 'France', '1', '1990-01-01', '2010-01-01'], 3))).toEqual([]);
      // 2000-01-01 to 2015-01-06: 5,484 days, 15.02 years (a purchase after the first plausible day for the
      // reference date: the retirement date decides).
      expect(absurd(p(['C', 'Laptop', 'France', '1', '2000-01-01', '2015-01-06'], 4))).toEqual([
        '15 years in service, more than 15 for a laptop',
      ]);
    }
    // Without a reference date nor a retirement date, no years in service.
    expect(absurd(noRef(['D', 'Laptop', 'France', '1', '1950-01-01'], 5))).toEqual([]);
    expect(absurd(parse(['D', 'Laptop', 'France', '1', '1950-01-01'], 5))).toEqual([
      '75 years in service, more than 15 for a laptop',
    ]);
  });

  it('years in service at the reference date, every purchase day from 1985 to 2025: flagged when days / 365 > the limit', () => {
    const { ctx } = context();
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite', 'dateAchat'],
      ctx,
    );
    const DAY = 86_400_000;
    const ref = Date.UTC(2025, 0, 1);
    const limits = { Laptop: 15, Monitor: 20, Chair: 50 } as const; // Chair: no family, 50 years
    for (let t = Date.UTC(1985, 0, 1); t <= Date.UTC(2025, 11, 31); t += DAY) {
      const date = new Date(t).toISOString().slice(0, 10);
      for (const [type, max] of Object.entries(limits)) {
        const flagged = parse(['A', type, 'France', '1', date], 2).warnings.some(
          (w) => w.code === 'INP_ABSURD_VALUE' && w.column === 'dateAchat',
        );
        expect(flagged, `${type} ${date}`).toBe((ref - t) / DAY / 365 > max);
      }
    }
  });

  it(`beyond ${REMEMBERED_NAMES} names, every name is still checked on its line`, () => {
    const { ctx, calls } = context();
    const parse = compileRowParser(
      'physical-equipment',
      ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite'],
      ctx,
    );
    const n = REMEMBERED_NAMES + 50;
    for (let i = 0; i < n; i++) {
      expect(codes(parse([`PC-${i}`, `Type ${i}`, 'France', '1'], i + 2))).toEqual(['INP_UNKNOWN_TYPE@type']);
    }
    expect(calls.type).toBe(n);
    // Names met again: those remembered are not checked again, the others are (one call each), with the same answer.
    for (let i = 0; i < n; i++) {
      expect(codes(parse([`PC-${i}`, `Type ${i}`, 'France', '1'], i + 2))).toEqual(['INP_UNKNOWN_TYPE@type']);
    }
    expect(calls.type).toBe(n + 50);
    expect(codes(parse(['PC', 'Laptop', 'France', '1'], 3))).toEqual([]);
    expect(codes(parse(['PC', 'Laptop', 'Nowhere', '1'], 3))).toEqual(['INP_UNKNOWN_LOCATION@paysDUtilisation']);
  });

  it('non-IT items and datacenters: unknown types and locations on every line', () => {
    const { ctx, calls } = context();
    const nonIt = compileRowParser('non-it', ['nomItemNonIT', 'quantite', 'type', 'localisation'], ctx);
    const dc = compileRowParser('datacenter', ['nomCourtDatacenter', 'localisation', 'pue'], ctx);
    for (let k = 0; k < 4; k++) {
      expect(codes(nonIt(['N', '2', 'Chair', 'Spain'], 2))).toEqual([]);
      expect(codes(nonIt(['N', '2', 'Sofa', 'Mu'], 3))).toEqual([
        'INP_UNKNOWN_TYPE@type',
        'INP_UNKNOWN_LOCATION@localisation',
      ]);
      expect(codes(dc(['DC', 'France', '1.5'], 2))).toEqual([]);
      expect(codes(dc(['DC', 'Mu', '1.5'], 3))).toEqual(['INP_UNKNOWN_LOCATION@localisation']);
    }
    expect(calls).toEqual({ type: 2, location: 4 }); // Chair, Sofa; Spain, Mu (non-IT), France, Mu (datacenters)
  });
});

describe('required fields', () => {
  const header = ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'quantite', 'modele'];
  it('a line with every required field has no INP_REQUIRED; an empty, blank or invalid one is reported once', () => {
    const parse = compileRowParser('physical-equipment', header, { mode: 'lenient', file: 'inv.csv' });
    expect(codes(parse(['PC', 'Laptop', 'France', '1', ''], 2))).toEqual([]);
    expect(codes(parse(['', 'Laptop', 'France', '1', 'X'], 2))).toEqual(['INP_REQUIRED@nomEquipementPhysique']);
    expect(codes(parse(['PC', 'Laptop', ' ', 'NULL', 'X'], 2))).toEqual([
      'INP_REQUIRED@quantite',
      'INP_REQUIRED@paysDUtilisation',
    ]);
    // An invalid quantity is its own error, not also a missing field.
    expect(codes(parse(['PC', 'Laptop', 'France', '-1', 'X'], 2))).toEqual(['INP_NOT_POSITIVE@quantite']);
    expect(codes(parse(['PC', 'Laptop', 'France'], 2))).toEqual(['INP_REQUIRED@quantite']);
  });

  it('a required column missing from the header: INP_REQUIRED on every line', () => {
    const parse = compileRowParser('physical-equipment', ['nomEquipementPhysique', 'type', 'quantite'], {
      mode: 'lenient',
      file: 'inv.csv',
    });
    for (let i = 0; i < 3; i++)
      expect(codes(parse(['PC', 'Laptop', '1'], 2))).toEqual(['INP_REQUIRED@paysDUtilisation']);
  });
});
