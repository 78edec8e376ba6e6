/**
 * Lifetime of an item (methodology F2, F3): dates or fixed internal duration, type default, global default, then
 * refurbished (upstream) and reuse (downstream) lives, then the floor. Pure.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import type { ItemType } from '../referential/model.js';
import type { LifetimeMethod, ProfileOptions } from './context.js';
import type { EngineHypotheses } from './hypotheses.js';
import { refOf, type LifetimeSource, type LifetimeTrace, type TraceRef } from './trace.js';

export type { LifetimeSource, LifetimeTrace } from './trace.js';

/**
 * A computed lifetime: the retained years and, flat in the same object (one allocation per item, issue 11), what its
 * trace shows of the base duration (source, age, expected duration, provenance).
 */
export interface LifetimeValue {
  readonly kind: 'value';
  readonly years: number;
  /** The base duration, before the upstream and downstream lives and the floor. */
  readonly baseYears: number;
  /** Where the base duration (before upstream and downstream lives and the floor) comes from. */
  readonly source: LifetimeSource;
  /** Age at the reference date, when the item has a purchase date and no withdrawal date. */
  readonly age: number | undefined;
  /** The expected internal duration compared with the age (rcp). */
  readonly expected: number | undefined;
  readonly ref: TraceRef | undefined;
  /** The item type whose default lifespan was used (its provenance goes to the trace). */
  readonly typeRef: ItemType | undefined;
  readonly upstream: number;
  readonly downstream: number;
  readonly floored: boolean;
  readonly warnings: readonly Issue[];
}

export type LifetimeResult = LifetimeValue | { readonly kind: 'missing'; readonly issue: Issue };

const NO_WARNINGS: readonly Issue[] = [];

/** The trace of a computed lifetime (built only when an output asks for it). */
export function lifetimeTrace(lt: LifetimeValue, item: LifetimeInput, env: LifetimeEnv): LifetimeTrace {
  const b = lt;
  return {
    method: env.method,
    valueRetained: lt.years,
    source: b.source,
    ...(item.purchaseDate !== undefined ? { dateAchat: item.purchaseDate } : {}),
    ...(item.retirementDate !== undefined ? { dateRetrait: item.retirementDate } : {}),
    ...(b.age !== undefined ? { referenceDate: env.referenceDate, ageYears: b.age } : {}),
    ...(b.expected !== undefined ? { expectedYears: b.expected } : {}),
    upstream: lt.upstream,
    downstream: lt.downstream,
    floored: lt.floored,
    ...(b.ref ? { ref: b.ref } : b.typeRef ? { ref: refOf(b.typeRef.prov, b.typeRef.type) } : {}),
  };
}

/** Per item type: share of refurbished purchases p_t and mean upstream life (F3 rule `category`). */
export interface UpstreamStats {
  readonly share: number;
  readonly meanUpstream: number;
}

export interface LifetimeInput {
  readonly name: string;
  readonly purchaseDate?: string;
  readonly retirementDate?: string;
  readonly internalLifeYears?: number;
  readonly upstreamLifeYears?: number;
  readonly downstreamLifeYears?: number;
  readonly refurbishedRate?: number;
  readonly reuseRate?: number;
}

export interface LifetimeEnv {
  readonly method: LifetimeMethod;
  readonly profile: ProfileOptions;
  readonly referenceDate: string;
  readonly referenceDay: number;
  readonly hypotheses: EngineHypotheses;
  readonly refurbishedRule: 'category' | 'line';
  /** ISO date → day number. */
  readonly day: (iso: string) => number;
  /** The CALC_LIFESPAN_UNDETERMINED issue of the run. */
  readonly undeterminedLifetime: Issue;
}

/** Which expected internal duration applies (F2): dureeUsageInterne, the type's default, the global default, none. */
const EXPECTED_NONE = 0;
const EXPECTED_INTERNAL = 1;
const EXPECTED_TYPE = 2;
const EXPECTED_GLOBAL = 3;

/** Expected internal duration: dureeUsageInterne, else the type's default, else the global default (F2). */
function expectedRule(item: LifetimeInput, type: ItemType | undefined, env: LifetimeEnv): number {
  if (item.internalLifeYears !== undefined && item.internalLifeYears > 0) return EXPECTED_INTERNAL;
  if (type?.defaultLifespanYears !== undefined && type.defaultLifespanYears > 0) return EXPECTED_TYPE;
  return env.hypotheses.defaultLifetime.value > 0 ? EXPECTED_GLOBAL : EXPECTED_NONE;
}

/** The years of an `expectedRule` (never called with EXPECTED_NONE). */
function expectedYears(rule: number, item: LifetimeInput, type: ItemType | undefined, env: LifetimeEnv): number {
  return rule === EXPECTED_INTERNAL
    ? item.internalLifeYears!
    : rule === EXPECTED_TYPE
      ? type!.defaultLifespanYears!
      : env.hypotheses.defaultLifetime.value;
}

const EXPECTED_SOURCE: readonly LifetimeSource[] = ['GLOBAL_DEFAULT', 'INTERNAL', 'TYPE_DEFAULT', 'GLOBAL_DEFAULT'];

export function computeLifetime(
  item: LifetimeInput,
  type: ItemType | undefined,
  upstream: UpstreamStats | undefined,
  env: LifetimeEnv,
): LifetimeResult {
  let warnings: Issue[] | undefined;
  // The base duration, in locals (no object per item): its years, source, and what the trace shows of it.
  let baseYears = NaN;
  let source: LifetimeSource | undefined;
  let age: number | undefined;
  let expected: number | undefined;
  let ref: TraceRef | undefined;
  let typeRef: ItemType | undefined;
  const internal =
    item.internalLifeYears !== undefined && item.internalLifeYears > 0 ? item.internalLifeYears : undefined;
  if (env.method === 'FIXE' && internal !== undefined) {
    baseYears = internal;
    source = 'INTERNAL';
  } else if (item.purchaseDate !== undefined) {
    const bought = env.day(item.purchaseDate);
    if (item.retirementDate !== undefined) {
      baseYears = (env.day(item.retirementDate) - bought) / 365;
      source = 'DATES';
    } else {
      if (bought > env.referenceDay) {
        (warnings ??= []).push(
          issue('INP_PURCHASE_AFTER_REFERENCE', { date: item.purchaseDate, ref: env.referenceDate }),
        );
      }
      age = Math.max(0, env.referenceDay - bought) / 365;
      baseYears = age;
      source = 'AGE';
      if (env.profile.inServiceLifetime !== 'age') {
        // rcp: the estimated internal duration, and beyond it the real age (RCP DC §4.2.1).
        const rule = expectedRule(item, type, env);
        if (rule !== EXPECTED_NONE) {
          expected = expectedYears(rule, item, type, env);
          if (!(age > expected)) {
            baseYears = expected;
            source = EXPECTED_SOURCE[rule]!;
            if (rule === EXPECTED_TYPE) typeRef = type;
            else if (rule === EXPECTED_GLOBAL) ref = env.hypotheses.defaultLifetime.ref;
          }
        }
      }
    }
  }
  if (source === undefined) {
    const rule = expectedRule(item, type, env);
    // The equipment name is not in the issue (it is shared by items); outputs render it from the row's item.
    if (rule === EXPECTED_NONE) return { kind: 'missing', issue: env.undeterminedLifetime };
    baseYears = expectedYears(rule, item, type, env);
    source = EXPECTED_SOURCE[rule]!;
    if (rule === EXPECTED_TYPE) typeRef = type;
    else if (rule === EXPECTED_GLOBAL) ref = env.hypotheses.defaultLifetime.ref;
  }

  // F3 upstream (refurbished purchases): rule `category` adds the type's mean upstream life × share, the line's
  // tauxAchatReconditionne replacing the share; rule `line` adds the line's own upstream life.
  let up = 0;
  if (env.refurbishedRule === 'line') {
    up = item.upstreamLifeYears ?? 0;
  } else if (upstream !== undefined || item.upstreamLifeYears !== undefined) {
    const mean = upstream?.meanUpstream ?? item.upstreamLifeYears ?? 0;
    const share = item.refurbishedRate ?? upstream?.share ?? 0;
    up = mean * share;
  }
  // F3 downstream (reuse): rate × downstream duration; rate 1 when absent (the input reader warns).
  const down = item.downstreamLifeYears !== undefined ? (item.reuseRate ?? 1) * item.downstreamLifeYears : 0;
  let years = baseYears + up + down;
  const min = env.hypotheses.minLifetime.value;
  const floored = years < min;
  if (floored) {
    (warnings ??= []).push(issue('CALC_LIFESPAN_FLOORED', { name: item.name, value: years, min }));
    years = min;
  }
  return {
    kind: 'value',
    years,
    baseYears,
    source,
    age,
    expected,
    ref,
    typeRef,
    upstream: up,
    downstream: down,
    floored,
    warnings: warnings ?? NO_WARNINGS,
  };
}

/** Accumulates F3 `category` statistics over the physical equipment of a batch (index pre-pass). */
export class UpstreamIndex {
  private readonly acc = new Map<string, { q: number; qUp: number; qAmont: number }>();
  private withUpstream = 0;

  add(typeKey: string, item: Pick<PhysicalEquipment, 'quantity' | 'upstreamLifeYears'>): void {
    let a = this.acc.get(typeKey);
    if (a === undefined) this.acc.set(typeKey, (a = { q: 0, qUp: 0, qAmont: 0 }));
    a.q += item.quantity;
    if (item.upstreamLifeYears !== undefined && item.upstreamLifeYears > 0) {
      a.qUp += item.quantity;
      this.withUpstream++;
      a.qAmont += item.quantity * item.upstreamLifeYears;
    }
  }

  /** No equipment of the batch declares an upstream (refurbished) life. */
  get empty(): boolean {
    return this.withUpstream === 0;
  }

  stats(typeKey: string): UpstreamStats | undefined {
    const a = this.acc.get(typeKey);
    if (a === undefined || a.qUp === 0) return undefined;
    return { share: a.qUp / a.q, meanUpstream: a.qAmont / a.qUp };
  }
}
