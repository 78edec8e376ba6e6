/**
 * `--hide-licensed` (methodology §4.0 `hideLicensedValues`, G4IT `uc4_hide_reference_value.md`): in traces written to
 * outputs, every factor whose licence is not open — a licensed base loaded by the user (Base IMPACTS, NegaOctet…), or a
 * user row without a declared licence — is replaced by "hidden data", in the variables and inside the formula. The
 * indicator values themselves stay (they are the organisation's results).
 */
import type { Trace, TraceVariable } from '../engine/index.js';

export const HIDDEN = 'hidden data';

/** Licences whose values may be redistributed (SPDX ids or prefixes of the embedded pack's licence strings). */
const OPEN = [/^MIT\b/i, /^Apache-2\.0/i, /^A?GPL-3\.0/i, /^ODbL/i, /^DbCL/i, /^CC-BY/i, /^CC0/i, /^AGPL/i];

export function isOpenLicence(licence: string | undefined, layer: string | undefined): boolean {
  if (licence === undefined || licence.trim() === '') return !(layer ?? '').startsWith('user:');
  return OPEN.some((re) => re.test(licence.trim()));
}

function hidden(v: TraceVariable): boolean {
  return v.ref !== undefined && typeof v.value === 'number' && !isOpenLicence(v.ref.licence, v.ref.layer);
}

export function hideLicensedValues(trace: Trace): Trace {
  const names = Object.keys(trace.variables).filter((k) => hidden(trace.variables[k]!));
  if (names.length === 0) return trace;
  let formula = trace.formula;
  const variables: Record<string, TraceVariable> = { ...trace.variables };
  for (const k of names) {
    const v = variables[k]!;
    // Numbers are written with String(x) in formulas (engine/trace.ts `num`): replace that exact token.
    const token = String(v.value);
    formula = formula.replace(
      new RegExp(`(^|[^0-9.e+-])${token.replace(/[.+]/g, '\\$&')}(?![0-9.e])`, 'g'),
      `$1${HIDDEN}`,
    );
    variables[k] = { ...v, value: HIDDEN };
  }
  return { ...trace, formula, variables };
}
