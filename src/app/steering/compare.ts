/**
 * Use case: compare two campaigns (issue 13). Each inventory is read through the pipeline and assessed by the engine
 * with its run's referential (`loadCampaign`, as `assess`); the result holds both summary documents (as
 * `assess --summary --format json`), the delta per criterion, step and dimension (tier, type, entity…), the inventory
 * diff (items matched by natural key: added, removed, changed) and the explanation of the change (methodology F22)
 * by the steering core's `decomposeChange`.
 *
 * The named factors of each indicator are read from the engine's own traces (`q, F, τ, s, L` for the embodied steps,
 * `q, E, τ, s, PUE, M` for use): the same variables `empreinte explain` prints. An indicator is matched when its item
 * (kind and natural key) is in both campaigns, both traces hold the factors and each factor product reproduces the
 * engine's value (relative 1e-9); any other indicator counted in a total goes to the scope effect (`unfactored`
 * counts those of matched items). So the effects always sum to the change of the totals.
 *
 * Reference data: each campaign is assessed with its own run's referential. When they differ (content hashes), the
 * earlier campaign is recomputed with the later one's referential (0′): the reference-data effect is 0′ − 0 and the
 * effects split 0′ → 1, so a change of reference data is never mistaken for a real reduction (F22).
 */
import type { IndicatorRow } from '../../engine/index.js';
import type { ItemResult } from '../../engine/result.js';
import type { InventoryItem } from '../../inventory/model.js';
import { naturalKey } from '../../inventory/pipeline.js';
import {
  decomposeChange,
  type CriterionChange,
  type EmbodiedFactors,
  type MatchedIndicator,
  type ScopeIndicator,
  type UseFactors,
} from '../../steering/lmdi.js';
import { buildRunContext, type AssessInput } from '../assess.js';
import type { AppDeps } from '../deps.js';
import type { AssessSummary } from '../sink.js';
import { assessLoaded, loadCampaign, totalsDelta, type LoadedCampaign, type TotalsDelta } from './scenario.js';
import { countedIndicators } from './counted.js';
import { deltaUncertainty, seedOf, type CriterionRange } from './uncertainty.js';

const S = '\u0000';

/** One item in the inventory diff. */
export interface DiffItem {
  readonly kind: string;
  readonly label: string;
  readonly quantity?: number;
}
export interface ChangedItem {
  readonly kind: string;
  readonly label: string;
  readonly quantityBefore?: number;
  readonly quantityAfter?: number;
  /** The fields whose value differs (English model names). */
  readonly fields: readonly string[];
}
export interface InventoryDiff {
  readonly added: readonly DiffItem[];
  readonly removed: readonly DiffItem[];
  readonly changed: readonly ChangedItem[];
  readonly unchanged: number;
}

export interface CompareOutcome {
  readonly before: AssessSummary;
  readonly after: AssessSummary;
  readonly delta: TotalsDelta;
  readonly inventory: InventoryDiff;
  /** F22: per criterion, referenceData + Σ effects = change (referenceData is 0 when both share a referential). */
  readonly decomposition: readonly CriterionChange[];
  /** Indicators of items present in both campaigns that could not be split into factors (counted in scope). */
  readonly unfactored: number;
  /** F21: per criterion, P5/P50/P95 of the change and the factors dominating its range. */
  readonly uncertainty?: readonly CriterionRange[];
  /** Campaign `before` recomputed with `after`'s referential (0′), when their referentials differ. */
  readonly recomputedBefore?: AssessSummary;
}

function itemsOf(c: LoadedCampaign): InventoryItem[] {
  const i = c.inventory;
  return [
    ...i.datacenters.map((item) => ({ kind: 'datacenter' as const, item })),
    ...i.entities.map((item) => ({ kind: 'entity' as const, item })),
    ...i.physical.map((item) => ({ kind: 'physical-equipment' as const, item })),
    ...i.virtual.map((item) => ({ kind: 'virtual-equipment' as const, item })),
    ...i.applications.map((item) => ({ kind: 'application' as const, item })),
    ...i.nonIt.map((item) => ({ kind: 'non-it' as const, item })),
    ...i.messaging.map((item) => ({ kind: 'messaging' as const, item })),
  ];
}

const quantityOf = (x: InventoryItem): number | undefined =>
  'quantity' in x.item && typeof x.item.quantity === 'number' ? x.item.quantity : undefined;

/** Items matched by kind and natural key (§2.11); `at` (where an item was read) is not a change. */
export function inventoryDiff(before: readonly InventoryItem[], after: readonly InventoryItem[], strict = false) {
  const mode = strict ? 'strict' : 'lenient';
  const index = (xs: readonly InventoryItem[]) => {
    const m = new Map<string, { x: InventoryItem; label: string }>();
    for (const x of xs) {
      const nk = naturalKey(x, mode);
      m.set(x.kind + S + nk.key, { x, label: nk.label });
    }
    return m;
  };
  const b = index(before);
  const a = index(after);
  const item = (e: { x: InventoryItem; label: string }): DiffItem => {
    const q = quantityOf(e.x);
    return { kind: e.x.kind, label: e.label, ...(q !== undefined ? { quantity: q } : {}) };
  };
  const added = [...a].filter(([k]) => !b.has(k)).map(([, e]) => item(e));
  const removed = [...b].filter(([k]) => !a.has(k)).map(([, e]) => item(e));
  const changed: ChangedItem[] = [];
  let unchanged = 0;
  for (const [k, eb] of b) {
    const ea = a.get(k);
    if (ea === undefined) continue;
    const vb = eb.x.item as unknown as Record<string, unknown>;
    const va = ea.x.item as unknown as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(vb), ...Object.keys(va)])]
      .filter((f) => f !== 'at' && JSON.stringify(vb[f]) !== JSON.stringify(va[f]))
      .sort();
    if (fields.length === 0) {
      unchanged++;
      continue;
    }
    const qb = quantityOf(eb.x);
    const qa = quantityOf(ea.x);
    changed.push({
      kind: eb.x.kind,
      label: eb.label,
      ...(qb !== undefined ? { quantityBefore: qb } : {}),
      ...(qa !== undefined ? { quantityAfter: qa } : {}),
      fields,
    });
  }
  return { added, removed, changed, unchanged };
}

export { countedIndicators } from './counted.js';

type Factors = { kind: 'embodied'; f: EmbodiedFactors } | { kind: 'use'; f: UseFactors };

/** The named factors of an indicator from its trace, when their product reproduces its value. */
export function factorsOf(row: IndicatorRow): Factors | undefined {
  const v = row.trace?.variables;
  if (v === undefined) return undefined;
  const num = (k: string, dflt?: number): number | undefined => {
    const x = v[k]?.value;
    return typeof x === 'number' ? x : dflt;
  };
  const q = num('q');
  const tau = num('tau', 1);
  const s = num('s', 1);
  if (q === undefined || tau === undefined || s === undefined) return undefined;
  const close = (x: number) => Math.abs(x - row.value) <= 1e-9 * Math.max(Math.abs(row.value), Number.MIN_VALUE);
  const F = num('F');
  const L = num('L');
  if (F !== undefined && L !== undefined && L > 0 && num('E') === undefined) {
    const f = { q, F, tau, s, L };
    return close((q * F * tau * s) / L) ? { kind: 'embodied', f } : undefined;
  }
  const E = num('E');
  const M = num('M');
  const PUE = num('PUE', 1);
  if (E !== undefined && M !== undefined && PUE !== undefined && F === undefined) {
    const f = { q, E, tau, s, PUE, M };
    return close(q * E * tau * s * PUE * M) ? { kind: 'use', f } : undefined;
  }
  return undefined;
}

/** Key of an item's indicators: kind, name and its host (a VM or an application is named within its host). */
const resultKey = (r: ItemResult) =>
  [r.kind, r.name, r.physicalEquipment ?? '', r.virtualEquipment ?? '', r.dims.environment ?? ''].join(S);

/** The input of decomposeChange from the counted indicators of both campaigns. */
export function changeInput(
  before: readonly { result: ItemResult; row: IndicatorRow }[],
  after: readonly { result: ItemResult; row: IndicatorRow }[],
) {
  const byKey = (xs: readonly { result: ItemResult; row: IndicatorRow }[]) => {
    const m = new Map<string, IndicatorRow[]>();
    for (const { result, row } of xs) {
      const k = [resultKey(result), row.criterion, row.lifecycleStep].join(S);
      const l = m.get(k);
      if (l) l.push(row);
      else m.set(k, [row]);
    }
    return m;
  };
  const b = byKey(before);
  const a = byKey(after);
  const matched: MatchedIndicator[] = [];
  const onlyBefore: ScopeIndicator[] = [];
  const onlyAfter: ScopeIndicator[] = [];
  let unfactored = 0;
  let n = 0;
  const scope = (to: ScopeIndicator[], rows: readonly IndicatorRow[]) => {
    for (const r of rows) to.push({ key: `#${n++}`, criterion: r.criterion, step: r.lifecycleStep, value: r.value });
  };
  for (const [k, rb] of b) {
    const ra = a.get(k);
    if (ra === undefined) {
      scope(onlyBefore, rb);
      continue;
    }
    const fb = rb.length === 1 ? factorsOf(rb[0]!) : undefined;
    const fa = ra.length === 1 ? factorsOf(ra[0]!) : undefined;
    const row = rb[0]!;
    if (fb !== undefined && fa !== undefined && fb.kind === 'embodied' && fa.kind === 'embodied') {
      matched.push({
        key: k,
        criterion: row.criterion,
        step: row.lifecycleStep,
        kind: 'embodied',
        before: fb.f,
        after: fa.f,
      });
    } else if (fb !== undefined && fa !== undefined && fb.kind === 'use' && fa.kind === 'use') {
      matched.push({
        key: k,
        criterion: row.criterion,
        step: row.lifecycleStep,
        kind: 'use',
        before: fb.f,
        after: fa.f,
      });
    } else {
      unfactored += rb.length + ra.length;
      scope(onlyBefore, rb);
      scope(onlyAfter, ra);
    }
  }
  for (const [k, ra] of a) if (!b.has(k)) scope(onlyAfter, ra);
  return { input: { matched, onlyBefore, onlyAfter }, unfactored };
}

/**
 * Compares campaign `before` with campaign `after`, each read and assessed with its own run's referential. When the
 * two referentials differ (another pack version, other layers or electricity dataset: their content hashes differ),
 * campaign `before` is also recomputed with `after`'s referential (0′, like-for-like): 0 → 0′ is the reference-data
 * effect and 0′ → 1 is decomposed (F22).
 */
export async function compareCampaigns(
  deps: AppDeps,
  beforeInput: AssessInput,
  afterInput: AssessInput,
): Promise<CompareOutcome> {
  const cb = await loadCampaign(deps, beforeInput);
  const ca = await loadCampaign(deps, afterInput);
  const recomputed =
    cb.referential.hash === ca.referential.hash
      ? undefined
      : { ...cb, referential: ca.referential, ctx: buildRunContext(beforeInput.run, deps.today, ca.referential) };
  return compareLoaded(cb, ca, Boolean(beforeInput.strict), recomputed);
}

/**
 * `recomputed`: campaign `before` with `after`'s referential (0′), when they differ; the decomposition then runs
 * 0′ → 1 and `before`'s own totals give the reference-data effect.
 */
export function compareLoaded(
  cb: LoadedCampaign,
  ca: LoadedCampaign,
  strict = false,
  recomputed?: LoadedCampaign,
): CompareOutcome {
  const before = assessLoaded(cb);
  const after = assessLoaded(ca);
  const base = recomputed ?? cb;
  const countedB = countedIndicators(base);
  const countedA = countedIndicators(ca);
  const { input, unfactored } = changeInput(countedB, countedA);
  const beforePrime = recomputed !== undefined ? assessLoaded(recomputed) : undefined;
  const originalBefore =
    beforePrime === undefined
      ? undefined
      : [
          ...new Set([
            ...before.totals.byCriterion.map((c) => c.criterion),
            ...beforePrime.totals.byCriterion.map((c) => c.criterion),
            ...after.totals.byCriterion.map((c) => c.criterion),
          ]),
        ].map((criterion) => ({
          criterion,
          value: before.totals.byCriterion.find((c) => c.criterion === criterion)?.value ?? 0,
        }));
  return {
    before,
    after,
    delta: totalsDelta(before.totals, after.totals),
    inventory: inventoryDiff(itemsOf(cb), itemsOf(ca), strict),
    decomposition: decomposeChange(originalBefore === undefined ? input : { ...input, originalBefore }),
    unfactored,
    uncertainty: deltaUncertainty(countedB, countedA, seedOf(after.meta)),
    ...(beforePrime !== undefined ? { recomputedBefore: beforePrime } : {}),
  };
}
