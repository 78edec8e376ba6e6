/**
 * Aggregator counts kept per shared object (issue 11, per-row cost): the indicators and errors of each slot are
 * counted per status array, and the error codes and slots not covered per error summary, then added in bulk. These
 * tests feed items with many status arrays and error maps (more than are kept pending, so that the bulk additions
 * happen midway too), read the totals midway and at the end, and compare with counts made here item by item.
 */
import { describe, expect, it } from 'vitest';
import { issue, type Issue, type IssueCode } from '../issues/catalogue.js';
import { testReferential } from '../../test/helpers/referential.js';
import { Aggregator } from './aggregate.js';
import { Layout } from './layout.js';
import { ABSENT, ERROR, OK, type ItemResult } from './result.js';

const STEPS = ['MANUFACTURING', 'DISTRIBUTION', 'USE'] as const;
const CRITERIA = ['CLIMATE_CHANGE', 'ACIDIFICATION'];
const layout = new Layout([...STEPS], CRITERIA);
const ref = testReferential({ electricity: { France: { CLIMATE_CHANGE: 0.05 } } });

/** Deterministic pseudo-random numbers (LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Codes: two not covered, one to fix, and CALC_ELECTRICITY_MISSING (not covered where France has no factor).
const CODES: IssueCode[] = ['CALC_FACTOR_MISSING', 'CALC_ELEC_FACTOR_MISSING', 'CALC_LIFESPAN_UNDETERMINED'];

function item(
  i: number,
  status: ArrayLike<number>,
  errors: ReadonlyMap<number, Issue>,
  values: number[],
  country: string,
): ItemResult {
  return {
    kind: 'physical-equipment',
    name: `EQ-${i}`,
    quantity: 1,
    values,
    status,
    errors,
    itKWh: 0,
    facilityKWh: 0,
    dims: { tier: 'TERMINAL', country, type: 'Laptop' },
    warnings: [],
    inTotal: true,
    at: { file: 'f.csv', line: i + 2 },
    explain: () => {
      throw new Error('not used');
    },
  };
}

/** Items drawing on `templates` (status array, error map) shared by several items, and fresh ones for some. */
function items(n: number, templates: number, seed: number, withErrors = true): ItemResult[] {
  const rnd = lcg(seed);
  const shapes: { status: Uint8Array; errors: Map<number, Issue> }[] = [];
  const shape = () => {
    const status = new Uint8Array(layout.size);
    const errors = new Map<number, Issue>();
    for (let s = 0; s < layout.size; s++) {
      const x = rnd();
      status[s] = x < 0.2 ? ABSENT : x < 0.6 && withErrors ? ERROR : OK;
      if (status[s] === ERROR) {
        const code = CODES[Math.floor(rnd() * CODES.length)]!;
        errors.set(s, issue(code, { name: 'x', criterion: 'c', step: 's', type: 't', location: 'l' } as never));
      }
    }
    return { status, errors };
  };
  for (let t = 0; t < templates; t++) shapes.push(shape());
  const out: ItemResult[] = [];
  for (let i = 0; i < n; i++) {
    const { status, errors } = rnd() < 0.1 ? shape() : shapes[Math.floor(rnd() * shapes.length)]!;
    const values = Array.from({ length: layout.size }, (_, s) => (status[s] === OK ? Math.round(rnd() * 1000) / 8 : 0));
    out.push(item(i, status, errors, values, rnd() < 0.5 ? 'France' : 'Spain'));
  }
  return out;
}

/** The counts, item by item and slot by slot, as the totals must show them. */
function expected(list: readonly ItemResult[]) {
  const indicators = new Array<number>(layout.size).fill(0);
  const errors = new Array<number>(layout.size).fill(0);
  const notCovered = new Array<number>(layout.size).fill(0);
  const codes = new Map<string, number>();
  const toFix = new Map<string, { indicators: number; items: number }>();
  for (const r of list) {
    const fixCodes = new Map<string, number>();
    for (let s = 0; s < layout.size; s++) {
      if (r.status[s] === ABSENT) continue;
      indicators[s]!++;
      if (r.status[s] !== ERROR) continue;
      errors[s]!++;
      const code = r.errors.get(s)!.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (code === 'CALC_LIFESPAN_UNDETERMINED') fixCodes.set(code, (fixCodes.get(code) ?? 0) + 1);
      else notCovered[s]!++;
    }
    for (const [code, k] of fixCodes) {
      const f = toFix.get(code) ?? { indicators: 0, items: 0 };
      toFix.set(code, { indicators: f.indicators + k, items: f.items + 1 });
    }
  }
  return { indicators, errors, notCovered, codes, toFix };
}

function check(agg: Aggregator, list: readonly ItemResult[]): void {
  const t = agg.result();
  const e = expected(list);
  const nc = CRITERIA.length;
  CRITERIA.forEach((criterion, c) => {
    const total = t.byCriterion[c]!;
    let ind = 0;
    let err = 0;
    for (let st = 0; st < STEPS.length; st++) {
      ind += e.indicators[st * nc + c]!;
      err += e.errors[st * nc + c]!;
    }
    expect([total.criterion, total.indicators, total.errors]).toEqual([criterion, ind, err]);
  });
  STEPS.forEach((step, st) => {
    let ind = 0;
    let err = 0;
    for (let c = 0; c < nc; c++) {
      ind += e.indicators[st * nc + c]!;
      err += e.errors[st * nc + c]!;
    }
    expect(t.dataConsistency.byStep[step]).toMatchObject({ indicators: ind, errors: err });
  });
  // Error codes: the counts, and the order in which the items first showed each code.
  const firstSeen: string[] = [];
  for (const r of list) for (const e2 of r.errors.values()) if (!firstSeen.includes(e2.code)) firstSeen.push(e2.code);
  expect(Object.keys(t.dataConsistency.errorCodes)).toEqual(firstSeen);
  expect(t.dataConsistency.errorCodes).toEqual(Object.fromEntries(e.codes));
  const notCovered: Record<string, Record<string, number>> = {};
  for (let c = 0; c < nc; c++)
    for (let st = 0; st < STEPS.length; st++) {
      const k = e.notCovered[st * nc + c]!;
      if (k > 0) (notCovered[CRITERIA[c]!] ??= {})[STEPS[st]!] = k;
    }
  expect(t.coverage.notCovered.byCriterion).toEqual(notCovered);
  expect(t.coverage.notCovered.indicators).toBe(e.notCovered.reduce((a, b) => a + b, 0));
  for (const [code, f] of e.toFix) expect(t.coverage.toFix.byCode[code]).toMatchObject(f);
  expect(Object.keys(t.coverage.toFix.byCode).length).toBe(e.toFix.size);
}

describe('Aggregator counts kept per status array and error summary', () => {
  it('equal the counts made item by item, with more shared objects than are kept pending (1024)', () => {
    const list = items(6000, 1500, 11);
    const agg = new Aggregator(layout, ref);
    for (const r of list) agg.add(r);
    check(agg, list);
  });

  it('the same without errors (status arrays alone beyond the 1024 kept pending)', () => {
    const list = items(5000, 1500, 14, false);
    const agg = new Aggregator(layout, ref);
    for (const r of list) agg.add(r);
    check(agg, list);
  });

  it('read midway, then after more items: each reading has every item added so far', () => {
    const list = items(3000, 40, 12);
    const agg = new Aggregator(layout, ref);
    for (const r of list.slice(0, 1234)) agg.add(r);
    check(agg, list.slice(0, 1234));
    for (const r of list.slice(1234)) agg.add(r);
    check(agg, list);
    check(agg, list); // a second reading adds nothing more
  });

  it('the values: each slot OK added in item order, per criterion and step', () => {
    const list = items(2000, 30, 13);
    const agg = new Aggregator(layout, ref);
    for (const r of list) agg.add(r);
    const t = agg.result();
    const nc = CRITERIA.length;
    CRITERIA.forEach((_, c) => {
      STEPS.forEach((step, st) => {
        let sum = 0;
        let computed = false;
        for (const r of list)
          if (r.status[st * nc + c] === OK) {
            sum += r.values[st * nc + c]!;
            computed = true;
          }
        expect(t.byCriterion[c]!.byStep[step]).toBe(computed ? sum : undefined);
      });
    });
  });
});
