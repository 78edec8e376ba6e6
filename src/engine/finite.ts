/**
 * Finite results (issue 9, methodology §2.1 "Every number must be finite"): an indicator whose value overflowed the
 * float range (a huge factor × a huge quantity) becomes an indicator in error `CALC_NOT_FINITE` — never a `null`
 * (JSON) or `Infinity`/`NaN` (table) value, never added to a total. Pure.
 */
import { issue } from '../issues/catalogue.js';
import type { Layout } from './layout.js';
import { ERROR, OK, type ItemResult } from './result.js';

/** `r` itself when every computed value is finite; else a copy whose non-finite slots are errors `CALC_NOT_FINITE`. */
export function finiteResult(r: ItemResult, layout: Layout): ItemResult {
  const n = r.values.length;
  let bad = !Number.isFinite(r.itKWh) || !Number.isFinite(r.facilityKWh);
  bad ||= r.lifetimeYears !== undefined && !Number.isFinite(r.lifetimeYears);
  for (let s = 0; s < n && !bad; s++) if (r.status[s] === OK && !Number.isFinite(r.values[s]!)) bad = true;
  if (!bad) return r;
  const values = Array.from(r.values);
  const status = Array.from(r.status);
  const errors = new Map(r.errors);
  for (let s = 0; s < n; s++) {
    if (status[s] !== OK || Number.isFinite(values[s]!)) continue;
    values[s] = 0;
    status[s] = ERROR;
    errors.set(s, issue('CALC_NOT_FINITE', { name: r.name, step: layout.stepOf(s), criterion: layout.criterionOf(s) }));
  }
  const finiteOr0 = (x: number) => (Number.isFinite(x) ? x : 0);
  const lifetimeYears = r.lifetimeYears !== undefined && Number.isFinite(r.lifetimeYears) ? r.lifetimeYears : undefined;
  return {
    kind: r.kind,
    name: r.name,
    ...(r.entity !== undefined ? { entity: r.entity } : {}),
    quantity: r.quantity,
    values,
    status,
    errors,
    itKWh: finiteOr0(r.itKWh),
    facilityKWh: finiteOr0(r.facilityKWh),
    ...(lifetimeYears !== undefined ? { lifetimeYears } : {}),
    dims: r.dims,
    warnings: r.warnings,
    inTotal: r.inTotal,
    ...(r.virtualEquipment !== undefined ? { virtualEquipment: r.virtualEquipment } : {}),
    ...(r.physicalEquipment !== undefined ? { physicalEquipment: r.physicalEquipment } : {}),
    explain: (slot) => r.explain(slot),
    ...(r.equipmentFactors !== undefined ? { equipmentFactors: r.equipmentFactors } : {}),
  };
}

/** Whether `total + value` stays a finite number (aggregation never adds what would overflow). */
export function addsFinitely(total: number, value: number): boolean {
  return Number.isFinite(value) && Number.isFinite(total + value);
}
