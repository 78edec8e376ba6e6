/**
 * The view of a computed host that its VMs and applications read (F8, F9), kept by the allocation index instead of the
 * host's full result (issue 11, memory of estates with many hosts).
 */
import type { Issue } from '../issues/catalogue.js';
import type { ItemResult } from './result.js';

/**
 * What VMs and applications read of a computed host (F8, F9): its values, statuses and errors, electricity, country,
 * datacenter, period share, and its formula text per slot (a VM's trace names its host's formula). A host is kept as a
 * compact view (`EquipmentResult.hostView`), not as its full result.
 */
export interface HostView {
  readonly values: ArrayLike<number>;
  readonly status: ArrayLike<number>;
  readonly errors: { get(slot: number): Issue | undefined };
  readonly itKWh: number;
  readonly facilityKWh: number;
  readonly dims: { readonly country?: string; readonly datacenter?: string };
  readonly periodShare?: number;
  readonly outOfPeriod?: Issue;
  readonly physicalEquipment?: string;
  /** The formula text of the host's trace for `slot`. */
  formula(slot: number): string;
}

/** A full result as a host view (a result rewritten by `finiteResult`, or a kind without a compact view). */
export function resultHostView(r: ItemResult): HostView {
  return {
    values: r.values,
    status: r.status,
    errors: r.errors,
    itKWh: r.itKWh,
    facilityKWh: r.facilityKWh,
    dims: r.dims,
    ...(r.periodShare !== undefined ? { periodShare: r.periodShare } : {}),
    ...(r.outOfPeriod !== undefined ? { outOfPeriod: r.outOfPeriod } : {}),
    formula: (slot) => (r.formula ? r.formula(slot) : r.explain(slot).formula),
  };
}
