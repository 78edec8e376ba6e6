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
import { num, refOf } from './trace.js';

export function assessMessaging(row: MessagingRow, env: EngineEnv): ItemResult {
  const { layout } = env;
  const values: number[] = new Array<number>(layout.size).fill(0);
  const status: number[] = new Array<number>(layout.size).fill(0);
  const errors = new Map<number, Issue>();
  const N = row.sentCount;
  const x = N > 0 ? row.totalVolume / N : 0;
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
      values[slot] = N > 0 ? (f.A * x + f.b) * row.sentTimesRecipients * share : 0;
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
      return {
        formula: f
          ? `(A × V/N + b) × N_d${share !== 1 ? ' × s' : ''} = (${num(f.A)} × ${num(row.totalVolume)}/${num(N)} + ${num(f.b)}) × ${num(row.sentTimesRecipients)}${share !== 1 ? ` × ${num(share)}` : ''} = ${num(values[slot]!)}`
          : '(A × V/N + b) × N_d (no factor)',
        variables: {
          N: { value: N, unit: 'mails', origin: 'INPUT' },
          N_d: { value: row.sentTimesRecipients, unit: 'mails × recipients', origin: 'INPUT' },
          V: { value: row.totalVolume, unit: unit ?? 'undeclared', origin: 'INPUT' },
          ...(share !== 1
            ? { s: { value: share, unit: 'share of the month in the period', origin: 'DERIVED' as const } }
            : {}),
          ...(f
            ? {
                A: {
                  value: f.A,
                  unit: `${layout.unitOf(slot)}/${unit ?? '?'}`,
                  origin: 'REFERENCE' as const,
                  ref: refOf(f.prov),
                },
                b: { value: f.b, unit: layout.unitOf(slot), origin: 'REFERENCE' as const, ref: refOf(f.prov) },
              }
            : {}),
        },
        inferred: true,
        warnings: [],
      };
    },
  };
}
