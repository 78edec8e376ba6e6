/**
 * Methodology F22: explaining the change of a footprint between two campaigns 0 → 1 with the additive logarithmic
 * mean Divisia index (LMDI-I; Ang 2004, 2005).
 *
 * Per criterion, every yearly indicator of a matched item is a product of named factors:
 * - embodied steps: V = q · F · τ · s / L
 * - use step:       V = q · E · τ · s · PUE · M
 * and the change of the sum is split as ΔV_x = Σ_i L(V_i¹, V_i⁰) · ln(x_i¹ / x_i⁰) (for L the exponent is −1, so the
 * effect is −L(V¹, V⁰) · ln(L¹ / L⁰)). Items present in one campaign only form the scope effect; a matched indicator with
 * a factor equal to zero in either campaign moves into the scope effect whole (zero-value rule). When campaign 1 uses
 * another referential version, the caller passes campaign 0 recomputed with campaign 1's referential (0′) as the
 * "before" factors and campaign 0's own totals as `originalBefore`: 0 → 0′ is the reference-data effect, 0′ → 1 is
 * decomposed. The effects then sum to the change 0 → 1.
 *
 * Pure: no I/O, no clock, no state. Input comes from the engine (not from a user file), so it is checked with plain
 * code rather than a schema; bad input still raises a coded SteeringError before anything is computed.
 */
import { type SteeringIssue, throwIfAny } from './errors.js';

/** Factors of an embodied indicator (MANUFACTURING, DISTRIBUTION, END_OF_LIFE, EMBODIED): V = q·F·τ·s/L. */
export interface EmbodiedFactors {
  /** Quantity. */
  readonly q: number;
  /** Equipment factor (criterion unit per unit of item). */
  readonly F: number;
  /** Usage share τ (F4). */
  readonly tau: number;
  /** Allocated share s (e.g. the share of a shared host or of a datacenter allocated to the item); 1 when none. */
  readonly s: number;
  /** Lifetime in years (F2/F3), > 0; 1 when the item is not amortised. */
  readonly L: number;
}

/** Factors of a use indicator: V = q·E·τ·s·PUE·M. */
export interface UseFactors {
  readonly q: number;
  /** Electricity per unit, kWh/yr. */
  readonly E: number;
  readonly tau: number;
  readonly s: number;
  /** Effective PUE (1 outside a datacenter). */
  readonly PUE: number;
  /** Electricity factor of the location (criterion unit per kWh). */
  readonly M: number;
}

interface IndicatorId {
  /** The item's natural key (§2.11). */
  readonly key: string;
  readonly criterion: string;
  /** Lifecycle step (free text for this module: it only distinguishes the indicators of one item). */
  readonly step: string;
}

/** One indicator of an item present in both campaigns, with its factors in campaign 0 (or 0′) and in campaign 1. */
export type MatchedIndicator =
  | (IndicatorId & { readonly kind: 'embodied'; readonly before: EmbodiedFactors; readonly after: EmbodiedFactors })
  | (IndicatorId & { readonly kind: 'use'; readonly before: UseFactors; readonly after: UseFactors });

/** One indicator of an item present in one campaign only (its value, criterion unit per year). */
export interface ScopeIndicator extends IndicatorId {
  readonly value: number;
}

export interface ChangeInput {
  readonly matched: readonly MatchedIndicator[];
  /** Items of campaign 0 (or 0′) absent from campaign 1. */
  readonly onlyBefore: readonly ScopeIndicator[];
  /** Items of campaign 1 absent from campaign 0. */
  readonly onlyAfter: readonly ScopeIndicator[];
  /**
   * Campaign 0's totals per criterion computed with its own referential, when campaign 1 uses another version. Absent:
   * both campaigns share a referential and the reference-data effect is 0. Present: it must name every criterion.
   */
  readonly originalBefore?: readonly { readonly criterion: string; readonly value: number }[];
}

export const EFFECTS = [
  'scope',
  'fleet',
  'usageShare',
  'lifetime',
  'equipmentFactor',
  'consumption',
  'pue',
  'electricityMix',
] as const;
export type EffectName = (typeof EFFECTS)[number];

export interface CriterionChange {
  readonly criterion: string;
  /** Campaign 0 total with its own referential (= recomputedBefore when no `originalBefore` was given). */
  readonly before: number;
  /** Campaign 0 total with campaign 1's referential (0′). */
  readonly recomputedBefore: number;
  readonly after: number;
  /** after − before. */
  readonly change: number;
  /** recomputedBefore − before: the part of the change due to reference data alone. */
  readonly referenceData: number;
  /** The split of after − recomputedBefore; referenceData + Σ effects = change. */
  readonly effects: Readonly<Record<EffectName, number>>;
  /** Matched indicators moved into the scope effect by the zero-value rule. */
  readonly zeroValueMoves: number;
}

const EMBODIED_EFFECT: Readonly<Record<keyof EmbodiedFactors, EffectName>> = {
  q: 'fleet',
  F: 'equipmentFactor',
  tau: 'usageShare',
  s: 'usageShare',
  L: 'lifetime',
};
const USE_EFFECT: Readonly<Record<keyof UseFactors, EffectName>> = {
  q: 'fleet',
  E: 'consumption',
  tau: 'usageShare',
  s: 'usageShare',
  PUE: 'pue',
  M: 'electricityMix',
};
const EMBODIED_KEYS = ['q', 'F', 'tau', 's', 'L'] as const;
const USE_KEYS = ['q', 'E', 'tau', 's', 'PUE', 'M'] as const;

/**
 * Logarithmic mean L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a, for a, b > 0.
 *
 * Numerically careful near a = b: ln a − ln b is computed as log1p((a − b) / b), where a − b is exact when a and b are
 * close (Sterbenz), so L(3 + 3e-12, 3) keeps full precision instead of the cancellation of two logarithms; far from
 * a = b it is ln(a / b). Returns NaN when a or b is not a positive finite number.
 */
export function logMean(a: number, b: number): number {
  if (!(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b))) return Number.NaN;
  if (a === b) return a;
  const d = a - b;
  const rel = d / b;
  // Near 1, log1p of the exact difference; far from 1 (where 1 + rel would lose the small ratio a/b), the log of the
  // ratio itself; if the ratio overflows, the difference of the logarithms.
  const ratio = a / b;
  let lnRatio: number;
  if (Math.abs(rel) < 0.5) lnRatio = Math.log1p(rel);
  else if (ratio > 0 && Number.isFinite(ratio)) lnRatio = Math.log(ratio);
  else lnRatio = Math.log(a) - Math.log(b);
  return d / lnRatio;
}

export function embodiedValue(f: EmbodiedFactors): number {
  return (f.q * f.F * f.tau * f.s) / f.L;
}

export function useValue(f: UseFactors): number {
  return f.q * f.E * f.tau * f.s * f.PUE * f.M;
}

/** Neumaier-compensated running sum (local to one call: no shared state). */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

interface Accumulator {
  readonly before: Sum;
  readonly after: Sum;
  readonly effects: Record<EffectName, Sum>;
  zeroValueMoves: number;
}

function newAccumulator(): Accumulator {
  const effects = {
    scope: new Sum(),
    fleet: new Sum(),
    usageShare: new Sum(),
    lifetime: new Sum(),
    equipmentFactor: new Sum(),
    consumption: new Sum(),
    pue: new Sum(),
    electricityMix: new Sum(),
  };
  return { before: new Sum(), after: new Sum(), effects, zeroValueMoves: 0 };
}

/**
 * Checks the input of `decomposeChange` and throws its issues; with `into`, adds them there instead (paths of the
 * matched indicators under `matchedPath`, for one indicator checked alone).
 */
function validate(input: ChangeInput, into?: SteeringIssue[], matchedPath?: string): void {
  const issues: SteeringIssue[] = into ?? [];
  const checkFactors = (path: string, kind: 'embodied' | 'use', f: EmbodiedFactors | UseFactors): void => {
    const keys: readonly string[] = kind === 'embodied' ? EMBODIED_KEYS : USE_KEYS;
    const values = f as unknown as Readonly<Record<string, unknown>>;
    for (const k of keys) {
      const v = Object.hasOwn(values, k) ? values[k] : undefined;
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && !(k === 'L' && v === 0)) continue;
      if (typeof v !== 'number') {
        issues.push({
          code: 'STR_FACTOR_MISSING',
          path: `${path}.${k}`,
          message: `factor ${k} is missing`,
          allowed: keys,
        });
      } else {
        issues.push({
          code: 'STR_FACTOR_RANGE',
          path: `${path}.${k}`,
          message: `factor ${k} is ${v}`,
          allowed: [k === 'L' ? 'a finite number > 0' : 'a finite number ≥ 0'],
        });
      }
    }
  };
  const checkUnique = (name: string, list: readonly IndicatorId[]): void => {
    // One string per indicator, injective: the key's and the criterion's lengths prefix them.
    const seen = new Set<string>();
    list.forEach((x, i) => {
      const id = `${x.key.length}:${x.key}${x.criterion.length}:${x.criterion}${x.step}`;
      if (seen.has(id)) {
        issues.push({
          code: 'STR_DUPLICATE_KEY',
          path: `${name}.${i}`,
          message: `indicator (key ${x.key}, criterion ${x.criterion}, step ${x.step}) is listed twice`,
        });
      }
      seen.add(id);
    });
  };
  input.matched.forEach((m, i) => {
    const path = matchedPath ?? `matched.${i}`;
    checkFactors(`${path}.before`, m.kind, m.before);
    checkFactors(`${path}.after`, m.kind, m.after);
  });
  const checkValues = (name: string, list: readonly ScopeIndicator[]): void =>
    list.forEach((x, i) => {
      if (!Number.isFinite(x.value) || x.value < 0) {
        issues.push({
          code: 'STR_VALUE_RANGE',
          path: `${name}.${i}.value`,
          message: `value is ${x.value}`,
          allowed: ['a finite number ≥ 0'],
        });
      }
    });
  checkValues('onlyBefore', input.onlyBefore);
  checkValues('onlyAfter', input.onlyAfter);
  checkUnique('matched', input.matched);
  checkUnique('onlyBefore', input.onlyBefore);
  checkUnique('onlyAfter', input.onlyAfter);
  if (input.originalBefore !== undefined) {
    const named = new Set<string>();
    input.originalBefore.forEach((o, i) => {
      if (!Number.isFinite(o.value) || o.value < 0) {
        issues.push({
          code: 'STR_VALUE_RANGE',
          path: `originalBefore.${i}.value`,
          message: `value is ${o.value}`,
          allowed: ['a finite number ≥ 0'],
        });
      }
      if (named.has(o.criterion)) {
        issues.push({
          code: 'STR_DUPLICATE_KEY',
          path: `originalBefore.${i}.criterion`,
          message: `criterion ${o.criterion} is listed twice`,
        });
      }
      named.add(o.criterion);
    });
    const all = [...input.matched, ...input.onlyBefore, ...input.onlyAfter];
    for (const x of all) {
      if (!named.has(x.criterion)) {
        issues.push({
          code: 'STR_CRITERION_MISSING',
          path: 'originalBefore',
          message: `criterion ${x.criterion} has indicators but no original total`,
          allowed: [...named],
        });
        break;
      }
    }
  }
  if (into === undefined) throwIfAny(issues);
}

/** Per factor index (`EMBODIED_KEYS`, `USE_KEYS` order): its effect, and its exponent in the value (L divides). */
const EMBODIED_EFFECTS: readonly EffectName[] = EMBODIED_KEYS.map((k) => EMBODIED_EFFECT[k]);
const USE_EFFECTS: readonly EffectName[] = USE_KEYS.map((k) => USE_EFFECT[k]);
const EMBODIED_L = EMBODIED_KEYS.indexOf('L');

/**
 * A matched indicator's value from its factors as numbers, in `EMBODIED_KEYS` (q·F·τ·s/L) or `USE_KEYS`
 * (q·E·τ·s·PUE·M) order: the same products, in the same order, as `embodiedValue` and `useValue`.
 */
export function factorsValue(embodied: boolean, x: ArrayLike<number>): number {
  return embodied ? (x[0]! * x[1]! * x[2]! * x[3]!) / x[4]! : x[0]! * x[1]! * x[2]! * x[3]! * x[4]! * x[5]!;
}

/**
 * Adds the LMDI-I effects of one matched indicator (factors already validated), its factors as numbers in
 * `EMBODIED_KEYS` or `USE_KEYS` order. No object is built per indicator: a comparison of two campaigns adds millions
 * of them.
 */
function addMatched(acc: Accumulator, embodied: boolean, before: ArrayLike<number>, after: ArrayLike<number>): void {
  const n = embodied ? 5 : 6;
  const v0 = factorsValue(embodied, before);
  const v1 = factorsValue(embodied, after);
  acc.before.add(v0);
  acc.after.add(v1);
  let zero = v0 === 0 || v1 === 0;
  let same = v0 === v1;
  for (let k = 0; k < n; k++) {
    const x0 = before[k]!;
    const x1 = after[k]!;
    if (x0 === 0 || x1 === 0) zero = true;
    if (x0 !== x1) same = false;
  }
  if (zero) {
    // Zero-value rule (F22, Ang 2005 §3): the indicator's whole change goes to the scope effect. A value that
    // underflows to 0 although no factor is 0 is treated the same way (it has no logarithm either).
    acc.effects.scope.add(v1 - v0);
    acc.zeroValueMoves += 1;
    return;
  }
  if (same) return;
  const w = logMean(v1, v0);
  const effectOf = embodied ? EMBODIED_EFFECTS : USE_EFFECTS;
  const L = embodied ? EMBODIED_L : -1;
  for (let k = 0; k < n; k++) {
    const x0 = before[k]!;
    const x1 = after[k]!;
    // The lifetime divides the value: its exponent is −1.
    if (x0 !== x1) acc.effects[effectOf[k]!].add((k === L ? -1 : 1) * w * Math.log(x1 / x0));
  }
}

/**
 * Decomposes the change between two campaigns per criterion (F22). Criteria come in the order of their first
 * appearance (matched, onlyBefore, onlyAfter, originalBefore). For each: referenceData + Σ effects = change, exactly up
 * to floating-point rounding (relative 1e-12 of the totals in practice).
 */
export function decomposeChange(input: ChangeInput): CriterionChange[] {
  validate(input);
  const d = new ChangeDecomposition();
  for (const m of input.matched) d.matched(m);
  for (const x of input.onlyBefore) d.onlyBefore(x);
  for (const x of input.onlyAfter) d.onlyAfter(x);
  return d.result(input.originalBefore);
}

/**
 * `decomposeChange` fed one indicator at a time, for a caller that would otherwise hold millions of matched
 * indicators (a comparison of two campaigns): the same accumulation in the same order gives the same numbers. Each
 * matched indicator's factors are checked as `decomposeChange` checks them and `result` throws the issues before
 * returning anything; the indicators' uniqueness is the caller's (one per item, criterion and step), it is not checked.
 * Local state only: one instance per decomposition.
 */
export class ChangeDecomposition {
  /** Criterion → its id: the index of its accumulator in `accs`, in the order first met. */
  private readonly byCriterion = new Map<string, number>();
  private readonly accs: Accumulator[] = [];
  private readonly issues: SteeringIssue[] = [];
  private n = 0;
  /** One matched indicator's factors as numbers (the object entry `matched` copies them here). */
  private readonly f0 = new Float64Array(6);
  private readonly f1 = new Float64Array(6);

  private get(criterion: string): Accumulator {
    return this.accs[this.criterionId(criterion)]!;
  }

  /**
   * The id of a criterion, for the numeric entries (`matchedFactors`, `onlyBeforeValue`, `onlyAfterValue`). A
   * criterion takes its place in the result when it is first named here or met by an entry.
   */
  criterionId(criterion: string): number {
    let id = this.byCriterion.get(criterion);
    if (id === undefined) {
      id = this.accs.push(newAccumulator()) - 1;
      this.byCriterion.set(criterion, id);
    }
    return id;
  }

  /** A matched indicator (its factors in campaign 0 or 0′ and in campaign 1). */
  matched(m: MatchedIndicator): void {
    const i = this.n++;
    if (!factorsValid(m.kind, m.before) || !factorsValid(m.kind, m.after)) {
      validate({ matched: [m], onlyBefore: [], onlyAfter: [] }, this.issues, `matched.${i}`);
      return;
    }
    const embodied = m.kind === 'embodied';
    const keys: readonly string[] = embodied ? EMBODIED_KEYS : USE_KEYS;
    const before = m.before as unknown as Readonly<Record<string, number>>;
    const after = m.after as unknown as Readonly<Record<string, number>>;
    for (let k = 0; k < keys.length; k++) {
      this.f0[k] = before[keys[k]!]!;
      this.f1[k] = after[keys[k]!]!;
    }
    addMatched(this.get(m.criterion), embodied, this.f0, this.f1);
  }

  /**
   * `matched` with the factors as numbers (`EMBODIED_KEYS` or `USE_KEYS` order; read before the call returns) and the
   * criterion as its id: the same checks and the same additions, without an object per indicator.
   */
  matchedFactors(criterion: number, embodied: boolean, before: ArrayLike<number>, after: ArrayLike<number>): void {
    const i = this.n++;
    if (!numbersValid(embodied, before) || !numbersValid(embodied, after)) {
      const id = { key: '', criterion: '', step: '' };
      const m: MatchedIndicator = embodied
        ? { ...id, kind: 'embodied', before: embodiedOf(before), after: embodiedOf(after) }
        : { ...id, kind: 'use', before: useOf(before), after: useOf(after) };
      validate({ matched: [m], onlyBefore: [], onlyAfter: [] }, this.issues, `matched.${i}`);
      return;
    }
    addMatched(this.accs[criterion]!, embodied, before, after);
  }

  onlyBefore(x: ScopeIndicator): void {
    this.onlyBeforeValue(this.criterionId(x.criterion), x.value);
  }

  onlyAfter(x: ScopeIndicator): void {
    this.onlyAfterValue(this.criterionId(x.criterion), x.value);
  }

  /** `onlyBefore` by criterion id and value. */
  onlyBeforeValue(criterion: number, value: number): void {
    const acc = this.accs[criterion]!;
    acc.before.add(value);
    acc.effects.scope.add(-value);
  }

  /** `onlyAfter` by criterion id and value. */
  onlyAfterValue(criterion: number, value: number): void {
    const acc = this.accs[criterion]!;
    acc.after.add(value);
    acc.effects.scope.add(value);
  }

  /** The per-criterion change (see `decomposeChange`); throws the factor issues met, if any. */
  result(originalBefore?: ChangeInput['originalBefore']): CriterionChange[] {
    throwIfAny(this.issues);
    const original = new Map<string, number>();
    for (const o of originalBefore ?? []) {
      original.set(o.criterion, o.value);
      this.get(o.criterion);
    }
    const out: CriterionChange[] = [];
    for (const [criterion, id] of this.byCriterion) {
      const acc = this.accs[id]!;
      const recomputedBefore = acc.before.value;
      const before = original.get(criterion) ?? recomputedBefore;
      const after = acc.after.value;
      const effects: Record<EffectName, number> = {
        scope: acc.effects.scope.value,
        fleet: acc.effects.fleet.value,
        usageShare: acc.effects.usageShare.value,
        lifetime: acc.effects.lifetime.value,
        equipmentFactor: acc.effects.equipmentFactor.value,
        consumption: acc.effects.consumption.value,
        pue: acc.effects.pue.value,
        electricityMix: acc.effects.electricityMix.value,
      };
      out.push({
        criterion,
        before,
        recomputedBefore,
        after,
        change: after - before,
        referenceData: recomputedBefore - before,
        effects,
        zeroValueMoves: acc.zeroValueMoves,
      });
    }
    return out;
  }
}

/** Whether every factor of an indicator is a finite number ≥ 0 (L > 0): what `validate` accepts. */
function factorsValid(kind: 'embodied' | 'use', f: EmbodiedFactors | UseFactors): boolean {
  const keys: readonly string[] = kind === 'embodied' ? EMBODIED_KEYS : USE_KEYS;
  const values = f as unknown as Readonly<Record<string, unknown>>;
  for (const k of keys) {
    const v = Object.hasOwn(values, k) ? values[k] : undefined;
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0 && !(k === 'L' && v === 0))) return false;
  }
  return true;
}

/** `factorsValid` of factors as numbers (`EMBODIED_KEYS` or `USE_KEYS` order). */
function numbersValid(embodied: boolean, x: ArrayLike<number>): boolean {
  const n = embodied ? 5 : 6;
  for (let k = 0; k < n; k++) {
    const v = x[k]!;
    if (!(Number.isFinite(v) && v >= 0 && !(embodied && k === EMBODIED_L && v === 0))) return false;
  }
  return true;
}

const embodiedOf = (x: ArrayLike<number>): EmbodiedFactors => ({ q: x[0]!, F: x[1]!, tau: x[2]!, s: x[3]!, L: x[4]! });
const useOf = (x: ArrayLike<number>): UseFactors => ({
  q: x[0]!,
  E: x[1]!,
  tau: x[2]!,
  s: x[3]!,
  PUE: x[4]!,
  M: x[5]!,
});
