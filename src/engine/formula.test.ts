/**
 * The one description of each formula (formula.ts): the compiled coefficient and the rendered trace text of the same
 * expression, with hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import * as formulas from './formula.js';
import {
  APP_ON_VM,
  coefficient,
  EMBODIED,
  evaluate,
  factorNames,
  MESSAGING,
  positionalRenderer,
  render,
  renderer,
  type FormulaOut,
  symbolic,
  USE,
  VM_ALLOCATED,
} from './formula.js';
import { evaluateFormula } from './trace-eval.js';

describe('formula descriptions', () => {
  it('F5: (q × F × τ × s) / L, s written only when it is not 1', () => {
    expect(symbolic(EMBODIED)).toBe('(q × F × τ) / L');
    expect(render(EMBODIED, { q: 2, F: 170, tau: 0.5, s: 1, L: 5 }, 17)).toBe(
      '(q × F × τ) / L = (2 × 170 × 0.5) / 5 = 17',
    );
    expect(render(EMBODIED, { q: 2, F: 170, tau: 0.5, s: 0.25, L: 5 }, 8.5)).toBe(
      '(q × F × τ × s) / L = (2 × 170 × 0.5 × 0.25) / 5 = 8.5',
    );
    expect(evaluate(EMBODIED, { q: 2, F: 170, tau: 0.5, L: 5 })).toBe(34); // 2 × 170 × 0.5 / 5; absent s reads as 1
    expect(Number.isNaN(evaluate(EMBODIED, { q: 2, F: 170, tau: 0.5 }))).toBe(true); // absent L is not 1
  });
  it('the hot path multipliers: F and M taken as 1, by position', () => {
    const names = ['q', 'tau', 's', 'E', 'PUE', 'L'];
    const v = [3, 0.8, 0.5, 200, 1.5, 4];
    expect(coefficient(EMBODIED, names, 'F')(v)).toBeCloseTo(0.3, 15); // 3 × 0.8 × 0.5 / 4
    expect(coefficient(EMBODIED, names, 'F', 'L')(v)).toBeCloseTo(1.2, 15); // 3 × 0.8 × 0.5
    expect(coefficient(USE, names, 'M')(v)).toBeCloseTo(360, 12); // 3 × 200 × 0.8 × 0.5 × 1.5
    expect(coefficient(USE, names, 'PUE', 'M')(v)).toBeCloseTo(240, 12);
    expect(() => coefficient(USE, ['q'], 'M')).toThrow(/'E' is not among/);
  });
  it('F6, F8, F9, F13 texts, readable back by the trace evaluator', () => {
    expect(symbolic(USE)).toBe('q × E × τ × PUE × M');
    expect(symbolic(VM_ALLOCATED)).toBe('I_host × α');
    expect(render(APP_ON_VM, { I_vm: 3, n: 2 }, 1.5)).toBe('I_vm / n = 3 / 2 = 1.5');
    const m = { A: 0.5, V: 40, N: 8, b: 2, N_d: 10, s: 0.5 };
    // (0.5 × 40/8 + 2) × 10 × 0.5 = (2.5 + 2) × 5 = 22.5
    const text = render(MESSAGING, m, 22.5);
    expect(text).toBe('(A × V/N + b) × N_d × s = (0.5 × 40/8 + 2) × 10 × 0.5 = 22.5');
    expect(evaluate(MESSAGING, m)).toBe(22.5);
    const vars = Object.fromEntries(Object.entries(m).map(([k, value]) => [k, { value }]));
    expect(evaluateFormula(text.split(' = ')[0]!, vars)).toBe(22.5);
    expect(factorNames(MESSAGING)).toEqual(['A', 'V', 'N', 'b', 'N_d', 's']);
  });
  it('renderer (issue 11): the same text as render, with hand values and over every formula of the module', () => {
    const embodied = renderer(EMBODIED);
    expect(embodied({ q: 2, F: 170, tau: 0.5, s: 1, L: 5 }, 17)).toBe('(q × F × τ) / L = (2 × 170 × 0.5) / 5 = 17');
    expect(embodied({ q: 2, F: 170, tau: 0.5, L: 5 }, 17)).toBe('(q × F × τ) / L = (2 × 170 × 0.5) / 5 = 17');
    expect(embodied({ q: 2, F: 170, tau: 0.5, s: 0.25, L: 5 }, 8.5)).toBe(
      '(q × F × τ × s) / L = (2 × 170 × 0.5 × 0.25) / 5 = 8.5',
    );
    expect(renderer(USE)({ q: 1, E: 20, tau: 1, PUE: 1.5, M: 0.05 }, 1.5)).toBe(
      'q × E × τ × PUE × M = 1 × 20 × 1 × 1.5 × 0.05 = 1.5',
    );
    // Every expression the module exports, each factor given, left out, 1 or another number (optional factors then
    // hidden or shown), against render.
    const exprs = Object.entries(formulas).filter(
      (e): e is [string, formulas.Expr] => typeof e[1] === 'object' && e[1] !== null && 'op' in e[1],
    );
    expect(exprs.length).toBeGreaterThan(8);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const [name, e] of exprs) {
      const r = renderer(e);
      for (let k = 0; k < 64; k++) {
        const v: Record<string, number | undefined> = {};
        for (const f of factorNames(e)) {
          const x = next();
          v[f] = x < 0.15 ? undefined : x < 0.45 ? 1 : x < 0.5 ? 1e-7 : Math.round(x * 1e6) / 1e3;
        }
        const result = next() * 100;
        expect(r(v, result), `${name} ${JSON.stringify(v)}`).toBe(render(e, v, result));
      }
    }
  });

  it('renderer to a FormulaOut (issue 11): its pieces in order are the text, numbers as num writes them', () => {
    const exprs = Object.entries(formulas).filter(
      (e): e is [string, formulas.Expr] => typeof e[1] === 'object' && e[1] !== null && 'op' in e[1],
    );
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const specials = [undefined, 1, 0, -0, -2.5, 1e-7, 1e21, 0.1 + 0.2, NaN, Infinity, 5e-324];
    for (const [name, e] of exprs) {
      const names = factorNames(e);
      // A positional renderer with the factors in a shuffled order (and an unused one) gives the same text too.
      const order = [...new Set(names), 'unused'].sort(() => next() - 0.5);
      const named = renderer(e);
      const positional = positionalRenderer(e, order);
      for (let k = 0; k < 64; k++) {
        const v: Record<string, number | undefined> = {};
        for (const f of names) {
          const x = next();
          v[f] =
            x < 0.4 ? specials[Math.floor(next() * specials.length)] : (x - 0.5) * 10 ** Math.floor(next() * 12 - 6);
        }
        const result = k % 5 === 0 ? -0 : next() * 100;
        const text = render(e, v, result);
        const pieces: string[] = [];
        const kinds: string[] = [];
        const out: FormulaOut = {
          text: (t) => void (pieces.push(t), kinds.push('text')),
          num: (x) => void (pieces.push(String(x)), kinds.push('num')),
        };
        expect(named(v, result, out), name).toBe('');
        expect(pieces.join(''), `${name} ${JSON.stringify(v)}`).toBe(text);
        expect(kinds.filter((x) => x === 'num').length).toBeGreaterThanOrEqual(1); // the result at least
        expect(kinds.at(-1)).toBe('num');
        const values = order.map((n) => v[n]);
        expect(positional(values, result)).toBe(text);
        const again: string[] = [];
        positional(values, result, { text: (t) => void again.push(t), num: (x) => void again.push(String(x)) });
        expect(again).toEqual(pieces);
      }
    }
    expect(() => positionalRenderer(EMBODIED, ['q', 'F', 'tau', 's'])).toThrow(/'L' is not among/);
  });
});
