/**
 * F12 (terminals of a digital service) is the engine's formula (src/engine/formula.ts, TERMINAL_*): one expression
 * gives the value and the trace. Hand values: 0.5 of the mix, 2 devices, F = 200 kg, H = 1,000 h, L = 4 yr,
 * d = 8 h/day, P = 30 W, E = 50 kWh/yr, M = 0.0519 kg/kWh.
 */
import { describe, expect, it } from 'vitest';
import {
  F12_CONSTANTS,
  TERMINAL_ACTIVE_EMBODIED,
  TERMINAL_ACTIVE_USE,
  TERMINAL_CALENDAR_EMBODIED,
  TERMINAL_CALENDAR_USE,
  evaluate,
  symbolic,
} from '../../src/engine/formula.js';
import { evaluateFormula } from '../../src/engine/trace-eval.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { assessService } from '../../src/services/assess.js';

const v = { s: 0.5, q: 2, F: 200, H: 1000, L: 4, d: 8, P: 30, E: 50, M: 0.0519, ...F12_CONSTANTS };

describe('F12 in the engine formula module', () => {
  it('the four expressions by hand', () => {
    expect(evaluate(TERMINAL_ACTIVE_EMBODIED, v)).toBeCloseTo((0.5 * 2 * 200 * 1000) / (365 * 4 * 8), 12); // 17.1233
    expect(evaluate(TERMINAL_ACTIVE_USE, v)).toBeCloseTo(((0.5 * 2 * 30 * 1000) / 1000) * 0.0519, 12); // 1.557
    expect(evaluate(TERMINAL_CALENDAR_EMBODIED, v)).toBeCloseTo((0.5 * 2 * 1000 * 200) / (4 * 8760), 12); // 5.7078
    expect(evaluate(TERMINAL_CALENDAR_USE, v)).toBeCloseTo((0.5 * 2 * 1000 * 50 * 0.0519) / 8760, 12); // 0.29623
    expect(symbolic(TERMINAL_CALENDAR_EMBODIED)).toBe('(s × q × H × F) / (L × Y)');
  });

  it("a service's terminal trace is that expression, evaluated with the trace's own variables", async () => {
    const pack = (await loadDefaultPack()).layer;
    const referential = mergeLayers([pack, profileLayer('numecoeval')]).referential;
    const a = assessService(
      {
        service: 'S',
        version: '1',
        kind: 'business_application',
        profile: 'numecoeval',
        functionalUnit: { kind: 'service-year' },
        usage: {
          sessionsPerYear: 1,
          dataPerSessionGB: 0,
          terminals: [{ label: 'agents', item: 'ademe-laptop', country: 'FR', users: 10, hoursPerUserPerYear: 876 }],
        },
      },
      { referential },
    );
    const i = a.indicators.find((x) => x.component === 'terminals:agents' && x.step === 'MANUFACTURING')!;
    const [sym, numbers, stated] = i.trace.formula.split(' = ');
    expect(sym).toBe('(s × q × H × F) / (L × Y)');
    expect(i.trace.variables.Y?.value).toBe(8760);
    expect(i.trace.variables.H?.value).toBe(8760); // 10 users × 876 h
    expect(evaluateFormula(sym!, i.trace.variables)).toBeCloseTo(i.perYear, 9);
    expect(evaluateFormula(numbers!)).toBeCloseTo(i.perYear, 9);
    expect(Number(stated)).toBe(i.perYear);
  });
});
