/**
 * NumEcoEval messaging (methodology F13, INFERRED: the formula is not published in the sources used).
 *   x = V / N (mean size, in the declared unit); I(c, month) = (A(c) × x + b(c)) × N_d; 0 when N = 0.
 * Reported under WHOLE_LIFE, tier UNASSIGNED; the unit of V must be declared (option messagingVolumeUnit).
 * Profile rcp: × the month's share of the assessed period (1 inside, 0 outside → CALC_OUT_OF_PERIOD, §2.2, F13).
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { MessagingRow } from '../inventory/model.js';
import type { EngineEnv } from './env.js';
import { monthBounds, monthShare } from './period.js';
import { NO_ERRORS, outOfPeriodIssue } from './physical.js';
import { ERROR, OK, type ItemResult } from './result.js';
import { coefficient, MESSAGING, numbersOf, render, symbolic } from './formula.js';
import { refOf, type TraceVariable } from './trace.js';

// F13 compiled from its description (formula.ts): [A, V, N, b, N_d, s] by position.
const VALUE = coefficient(MESSAGING, ['A', 'V', 'N', 'b', 'N_d', 's']);

export function assessMessaging(row: MessagingRow, env: EngineEnv): ItemResult {
  const { layout } = env;
  const values: number[] = new Array<number>(layout.size).fill(0);
  const status: number[] = new Array<number>(layout.size).fill(0);
  const errors = new Map<number, Issue>();
  const N = row.sentCount;
  const unit = env.ctx.messagingVolumeUnit;
  const share = env.opts.periodShare ? monthShare(row.year, row.month, env.period) : 1;
  for (let ci = 0; ci < layout.criteria.length; ci++) {
    const slot = layout.slot('WHOLE_LIFE', layout.criteria[ci]!);
    if (slot < 0) continue;
    const f = env.ref.messaging.get(layout.criteria[ci]!);
    if (unit === undefined) {
      status[slot] = ERROR;
      errors.set(slot, issue('CALC_MESSAGING_UNIT_UNDECLARED'));
    } else if (f === undefined) {
      status[slot] = ERROR;
      errors.set(slot, issue('CALC_MESSAGING_FACTOR_MISSING', { criterion: layout.criteria[ci]! }));
    } else {
      // No mail sent: nothing to allocate (V/N undefined), 0.
      values[slot] = N > 0 ? VALUE([f.A, row.totalVolume, N, f.b, row.sentTimesRecipients, share]) : 0;
      status[slot] = OK;
    }
  }
  const month = `${String(row.month).padStart(2, '0')}/${row.year}`;
  const name = `${row.entity ?? ''} ${month}`.trim();
  let out: Issue | undefined;
  if (share === 0) {
    const { first, last } = monthBounds(row.year, row.month);
    out = outOfPeriodIssue(name, first, last, env);
  }
  return {
    kind: 'messaging',
    name,
    ...(row.entity !== undefined ? { entity: row.entity } : {}),
    quantity: 1,
    values,
    status,
    errors: errors.size ? errors : NO_ERRORS,
    itKWh: 0,
    facilityKWh: 0,
    dims: { tier: 'UNASSIGNED' },
    warnings: [],
    inTotal: true,
    ...(row.at ? { at: row.at } : {}),
    ...(share !== 1 ? { periodShare: share } : {}),
    ...(out ? { outOfPeriod: out } : {}),
    explain: (slot) => {
      const f = env.ref.messaging.get(layout.criterionOf(slot));
      const variables: Record<string, TraceVariable> = {
        N: { value: N, unit: 'mails', origin: 'INPUT' },
        N_d: { value: row.sentTimesRecipients, unit: 'mails × recipients', origin: 'INPUT' },
        V: { value: row.totalVolume, unit: unit ?? 'undeclared', origin: 'INPUT' },
        ...(share !== 1 ? { s: { value: share, unit: 'share of the month in the period', origin: 'DERIVED' } } : {}),
        ...(f
          ? {
              A: {
                value: f.A,
                unit: `${layout.unitOf(slot)}/${unit ?? '?'}`,
                origin: 'REFERENCE',
                ref: refOf(f.prov),
              },
              b: { value: f.b, unit: layout.unitOf(slot), origin: 'REFERENCE', ref: refOf(f.prov) },
            }
          : {}),
      };
      return {
        formula: !f
          ? `${symbolic(MESSAGING)} (no factor)`
          : status[slot] !== OK
            ? `${symbolic(MESSAGING)} (not computed: see error)`
            : N > 0
              ? render(MESSAGING, numbersOf(variables), values[slot]!)
              : `${symbolic(MESSAGING)} = 0 (no mail sent: N = 0)`,
        variables,
        inferred: true,
        warnings: [],
      };
    },
  };
}
