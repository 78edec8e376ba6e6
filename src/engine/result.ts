/**
 * The result of one inventory item: values per slot (see Layout), their status, the electricity flow, and a lazy
 * `explain` that builds the trace of one slot only when an output needs it.
 */
import type { Issue } from '../issues/catalogue.js';
import type { Quality, SourceRef } from '../inventory/model.js';
import type { ElectricityFactor, Factor, Tier } from '../referential/model.js';
import type { FormulaOut } from './formula.js';
import type { Trace } from './trace.js';

export type IndicatorKind = 'physical-equipment' | 'virtual-equipment' | 'application' | 'non-it' | 'messaging';

/** Slot status: not computed for this item (e.g. split steps of an item whose source gives only EMBODIED). */
export const ABSENT = 0;
export const OK = 1;
export const ERROR = 2;

/**
 * The numbers an equipment's values were computed from (F5, F6: formula.ts `EMBODIED`, `USE`), read by steering (the
 * F22 decomposition, the F21 uncertainty factors) without building a trace: the same numbers `explain` writes.
 */
export interface EquipmentFactors {
  /** q, τ, s, E, PUE, L as the values used them (E and L NaN when unknown; L = 1 for an item not amortised). */
  readonly item: readonly [q: number, tau: number, s: number, E: number, PUE: number, L: number];
  /**
   * Per slot, how its value was computed: 1 embodied (q × F × τ × s / L), 2 use (q × E × τ × s × PUE × M),
   * 3 whole-life (q × F × τ × s: L taken as 1), 0 not computed.
   */
  readonly mode: ArrayLike<number>;
  /** Per slot: the slot's own factor, F (embodied, whole-life) or M (use). */
  readonly coef: ArrayLike<number>;
  /** The reference item whose factors F are (absent when unresolved). */
  readonly referenceItem?: string;
  /** Per slot: the referential row of F (its provenance). */
  readonly factors?: readonly (Factor | undefined)[];
  /** Per criterion index: the electricity factor M of the item's location. */
  readonly mixes?: readonly (ElectricityFactor | undefined)[];
}

/** The named factors of one computed equipment slot (see `slotFactors`, physical.ts). */
export type SlotFactors =
  | {
      readonly kind: 'embodied';
      readonly f: {
        readonly q: number;
        readonly F: number;
        readonly tau: number;
        readonly s: number;
        readonly L: number;
      };
    }
  | {
      readonly kind: 'use';
      readonly f: {
        readonly q: number;
        readonly E: number;
        readonly tau: number;
        readonly s: number;
        readonly PUE: number;
        readonly M: number;
      };
    };

export interface ItemDims {
  readonly type?: string;
  readonly country?: string;
  readonly datacenter?: string;
  readonly tier: Tier;
  readonly quality?: Quality;
  readonly application?: string;
  readonly domain?: string;
  readonly environment?: string;
}

export interface ItemResult {
  readonly kind: IndicatorKind;
  readonly name: string;
  readonly entity?: string;
  readonly quantity: number;
  /** Value per slot (0 where not computed); a plain array, cheaper to allocate per item than a typed one. */
  readonly values: ArrayLike<number>;
  /**
   * Status per slot. Often shared by the items of one slot template, and never written once the result is made: the
   * aggregator counts items per status array and adds the counts later (`Aggregator.flush`), as the packing of a
   * worker's results interns patterns by array.
   */
  readonly status: ArrayLike<number>;
  /** Issue per slot in error. */
  readonly errors: ReadonlyMap<number, Issue>;
  /** Electricity at the equipment and with PUE, kWh/yr (F6); 0 when unknown. */
  readonly itKWh: number;
  readonly facilityKWh: number;
  /** Lifetime retained (F2/F3), for the quantity-weighted average of amortised items. */
  readonly lifetimeYears?: number;
  readonly dims: ItemDims;
  readonly warnings: readonly Issue[];
  /** Whether the item counts in the inventory total (F20: VMs on hosts and applications are allocations). */
  readonly inTotal: boolean;
  /** Names of the virtual and physical equipment for application rows. */
  readonly virtualEquipment?: string;
  readonly physicalEquipment?: string;
  /** Share of the assessed period (§2.2, profile rcp) already applied to the values; absent = 1. */
  readonly periodShare?: number;
  /** CALC_OUT_OF_PERIOD when the share is 0: the item is left out of the totals and listed apart. */
  readonly outOfPeriod?: Issue;
  /** Where the item was read, for the lists of items to fix and of exclusions. */
  readonly at?: SourceRef;
  explain(slot: number): Trace;
  /** Equipment (physical, non-IT, telework boxes): the factors of its values, without a trace (see EquipmentFactors). */
  readonly equipmentFactors?: EquipmentFactors;
  /**
   * The formula text of `explain(slot)` alone (`symbolic = numbers = result`), written by the same code as the trace's
   * but without building the rest of it; optional: callers fall back to `explain(slot).formula`.
   */
  formula?(slot: number): string;
  /**
   * `formula(slot)` written piece by piece to `out` (the constant texts and the numbers of the same text, in order;
   * returns ''), for outputs that encode it without building the string (issue 11, the long CSV); optional.
   */
  writeFormula?(slot: number, out: FormulaOut): string;
}
