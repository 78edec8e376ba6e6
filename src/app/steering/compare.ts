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
import { slotFactors, type EquipmentFactors, type SlotFactors } from '../../engine/index.js';
import { Layout } from '../../engine/layout.js';
import type { ItemResult } from '../../engine/result.js';
import type { InventoryItem } from '../../inventory/model.js';
import { naturalKey } from '../../inventory/pipeline.js';
import { ChangeDecomposition, type ChangeInput, type CriterionChange, factorsValue } from '../../steering/lmdi.js';
import { buildRunContext, inventorySummary, type AssessInput } from '../assess.js';
import type { AppDeps } from '../deps.js';
import type { AssessSummary } from '../sink.js';
import {
  campaignItemCount,
  loadCampaign,
  loadCampaignRun,
  totalsDelta,
  type LoadedCampaign,
  type TotalsDelta,
} from './scenario.js';
import type { StepCode } from '../../referential/codes.js';
import type { Referential } from '../../referential/model.js';
import type { LayoutData } from '../parallel/compare-protocol.js';
import { startCompareSide, type CompareSide } from '../parallel/compare-side.js';
import { inputBytes, TWO_THREADS_MIN_BYTES } from '../parallel/input-bytes.js';
import { DiffRecordsBuilder, InventoryDiffBuilder, sameJson } from './diff.js';
import type { Counted } from './counted.js';
import { runItems, type ItemsRun } from './run-items.js';
import { seedOf, type CriterionRange } from './uncertainty.js';
import {
  CompactBuilder,
  CompactSide,
  Grow,
  compactDeltaUncertainty,
  compactOf,
  matchKeys,
  type KeyMatch,
} from './compact.js';

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

const quantityOf = (x: InventoryItem): number | undefined =>
  'quantity' in x.item && typeof x.item.quantity === 'number' ? x.item.quantity : undefined;

/** Items matched by kind and natural key (§2.11); `at` (where an item was read) is not a change. */
export function inventoryDiff(before: readonly InventoryItem[], after: readonly InventoryItem[], strict = false) {
  const mode = strict ? 'strict' : 'lenient';
  interface Entry {
    x: InventoryItem;
    label: string;
    /** The item of the other campaign with the same key (the last one read, as the key's entry keeps its last item). */
    other: Entry | undefined;
  }
  const entry = (x: InventoryItem): [string, Entry] => {
    const nk = naturalKey(x, mode);
    return [x.kind + S + nk.key, { x, label: nk.label, other: undefined }];
  };
  // Campaign 0 indexed by key (a key met twice keeps its first place and its last item); campaign 1's items are
  // attached to their entry, and those of keys campaign 0 has not are indexed apart (the added items).
  const b = new Map<string, Entry>();
  for (const x of before) {
    const [k, e] = entry(x);
    b.set(k, e);
  }
  const onlyAfter = new Map<string, Entry>();
  for (const x of after) {
    const [k, e] = entry(x);
    const eb = b.get(k);
    if (eb !== undefined) eb.other = e;
    else onlyAfter.set(k, e);
  }
  const item = (e: Entry): DiffItem => {
    const q = quantityOf(e.x);
    return { kind: e.x.kind, label: e.label, ...(q !== undefined ? { quantity: q } : {}) };
  };
  const added = [...onlyAfter.values()].map(item);
  const removed: DiffItem[] = [];
  const changed: ChangedItem[] = [];
  let unchanged = 0;
  for (const eb of b.values()) {
    const ea = eb.other;
    if (ea === undefined) {
      removed.push(item(eb));
      continue;
    }
    const vb = eb.x.item as unknown as Record<string, unknown>;
    const va = ea.x.item as unknown as Record<string, unknown>;
    const differs = (f: string) => f !== 'at' && !sameJson(vb[f], va[f]);
    if (!Object.keys(vb).some(differs) && !Object.keys(va).some(differs)) {
      unchanged++;
      continue;
    }
    const fields = [...new Set([...Object.keys(vb), ...Object.keys(va)])].filter(differs).sort();
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

type Factors = SlotFactors;

/**
 * The named factors of a counted indicator (slot `slot` of `r`) from the engine's own computation (`slotFactors`: the
 * numbers its trace would show), when their product reproduces its value (relative 1e-9); undefined otherwise (an
 * item that is not equipment: VMs, cloud instances, messaging… go to the scope effect).
 */
export function factorsOf(
  r: ItemResult,
  slot: number,
  x: EquipmentFactors | undefined = r.equipmentFactors,
): Factors | undefined {
  return factorsAt(x, slot, r.values[slot]!);
}

/** `factorsOf` from an equipment's factors `x` and the slot's value. */
export function factorsAt(x: EquipmentFactors | undefined, slot: number, value: number): Factors | undefined {
  if (x === undefined) return undefined;
  const sf = slotFactors(x, slot);
  if (sf === undefined) return undefined;
  if (sf.kind === 'embodied') {
    const { q, F, tau, s, L } = sf.f;
    return L > 0 && reproduces((q * F * tau * s) / L, value) ? sf : undefined;
  }
  const { q, E, tau, s, PUE, M } = sf.f;
  return reproduces(q * E * tau * s * PUE * M, value) ? sf : undefined;
}

/** Whether a factor product `v` reproduces the engine's `value` (relative 1e-9). */
const reproduces = (v: number, value: number): boolean =>
  Math.abs(v - value) <= 1e-9 * Math.max(Math.abs(value), Number.MIN_VALUE);

/**
 * F22 from the counted results of both campaigns (`decomposeChange` fed one indicator at a time, through
 * `ChangeDecomposition`: millions of indicators are never held). An indicator is an item's (kind and natural key)
 * slot, matched across the campaigns by criterion and lifecycle step, so each is met once; they come in the order of
 * the engine's rows: matched ones as campaign 0's are met, then the scope indicators of campaign 0, then campaign 1's.
 * `originalBefore`: campaign 0's own totals when `before` is 0′ (see `decomposeChange`).
 */
export function decomposeCounted(
  before: Counted | CompactSide,
  after: Counted | CompactSide,
  originalBefore?: ChangeInput['originalBefore'],
  match?: KeyMatch,
): { decomposition: CriterionChange[]; unfactored: number } {
  const b = before instanceof CompactSide ? before : compactOf(before);
  const a = after instanceof CompactSide ? after : compactOf(after);
  const { bToA, aToB } = match ?? matchKeys(b, a);
  const lb = b.layout;
  const la = a.layout;
  // Slot of campaign 1 for each slot of campaign 0 (same criterion and step), -1 when it has none; and back.
  const toA = Array.from({ length: lb.size }, (_, s) => la.slot(lb.stepOf(s), lb.criterionOf(s)));
  const toB = Array.from({ length: la.size }, (_, s) => lb.slot(la.stepOf(s), la.criterionOf(s)));
  const d = new ChangeDecomposition();
  // Campaign 0's slots' criterion ids, taken when a slot's first matched indicator is added (a criterion's place in
  // the result is where it is first met).
  const criterionOfB = new Int32Array(lb.size).fill(-1);
  // The scope indicators, added after the matched ones: slot (of campaign 0's layout for `onlyBefore`, of campaign
  // 1's for `onlyAfter`) and value, in the order they are met.
  const onlyBefore = { slot: i32(1024), value: f64(1024) };
  const onlyAfter = { slot: i32(1024), value: f64(1024) };
  let unfactored = 0;
  const scope = (to: typeof onlyBefore, side: CompactSide, rows: readonly number[], slot: number) => {
    for (const i of rows) {
      to.slot.push(slot);
      to.value.push(side.value(i, slot));
    }
  };
  const emitted = new Set<string>();
  const rb1: number[] = [];
  const ra1: number[] = [];
  // The factors of one indicator in each campaign (`factorsInto`); campaign 1's row last read and its kind per slot
  // are not cached: reading them from the typed arrays costs less than an object per indicator.
  const fb = new Float64Array(6);
  const fa = new Float64Array(6);
  for (let i = 0; i < b.n; i++) {
    const kb = b.keyIdOf(i);
    const ka = bToA[kb]!;
    const dup = b.isDuplicate(i);
    // Campaign 1's one result of the key (the usual case), looked up once per result, not per slot: its indicator of
    // a slot is then its packed entry of that slot (`ea`), whose value is read from there (-1: not counted).
    const ia = a.soleRowOf(ka);
    // The result's counted slots, in slot order.
    for (let j = b.countedFrom(i), end = b.countedEnd(i); j < end; j++) {
      const slot = b.slotAt(j);
      let rb: readonly number[];
      if (dup) {
        const id = b.key(i) + S + slot;
        if (emitted.has(id)) continue;
        emitted.add(id);
        rb = b.rowsOf(kb, slot);
      } else {
        rb1[0] = i;
        rb = rb1;
      }
      const sa = toA[slot]!;
      let ra: readonly number[];
      let ea = -1;
      if (ia >= 0) {
        ea = sa < 0 ? -1 : a.entry(ia, sa);
        ra1[0] = ia;
        ra = ea < 0 ? NO_ROWS : ra1;
      } else ra = a.rowsOf(ka, sa, ra1);
      if (ra.length === 0) {
        if (dup) scope(onlyBefore, b, rb, slot);
        else {
          onlyBefore.slot.push(slot);
          onlyBefore.value.push(b.valueAt(j));
        }
        continue;
      }
      // Result `rb[0]`'s value of the slot: entry `j` itself unless the key has several results.
      const kindB = rb.length === 1 ? factorsInto(b, rb[0]!, slot, dup ? b.value(rb[0]!, slot) : b.valueAt(j), fb) : 0;
      const kindA =
        kindB !== 0 && ra.length === 1
          ? factorsInto(a, ra[0]!, sa, ea >= 0 ? a.valueAt(ea) : a.value(ra[0]!, sa), fa)
          : 0;
      if (kindB !== 0 && kindB === kindA) {
        let c = criterionOfB[slot]!;
        if (c < 0) c = criterionOfB[slot] = d.criterionId(lb.criterionOf(slot));
        d.matchedFactors(c, kindB === 1, fb, fa);
      } else {
        unfactored += rb.length + ra.length;
        scope(onlyBefore, b, rb, slot);
        scope(onlyAfter, a, ra, sa);
      }
    }
  }
  emitted.clear();
  for (let i = 0; i < a.n; i++) {
    const ka = a.keyIdOf(i);
    const kb = aToB[ka]!;
    const dup = a.isDuplicate(i);
    const ib = b.soleRowOf(kb); // as `ia` above
    for (let j = a.countedFrom(i), end = a.countedEnd(i); j < end; j++) {
      const slot = a.slotAt(j);
      const sb = toB[slot]!;
      if (ib >= 0 ? sb >= 0 && b.entry(ib, sb) >= 0 : b.rowsOf(kb, sb, rb1).length > 0) continue;
      if (dup) {
        const id = a.key(i) + S + slot;
        if (emitted.has(id)) continue;
        emitted.add(id);
        scope(onlyAfter, a, a.rowsOf(ka, slot), slot);
      } else {
        onlyAfter.slot.push(slot);
        onlyAfter.value.push(a.valueAt(j));
      }
    }
  }
  const replay = (from: typeof onlyBefore, layout: Layout, add: (criterion: number, value: number) => void) => {
    const ids = new Int32Array(layout.size).fill(-1);
    for (let j = 0; j < from.slot.length; j++) {
      const slot = from.slot.data[j]!;
      let c = ids[slot]!;
      if (c < 0) c = ids[slot] = d.criterionId(layout.criterionOf(slot));
      add(c, from.value.data[j]!);
    }
  };
  replay(onlyBefore, lb, (c, v) => d.onlyBeforeValue(c, v));
  replay(onlyAfter, la, (c, v) => d.onlyAfterValue(c, v));
  return { decomposition: d.result(originalBefore), unfactored };
}

const NO_ROWS: readonly number[] = [];
const i32 = (n: number) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const f64 = (n: number) => new Grow(new Float64Array(n), (m) => new Float64Array(m));

/**
 * `factorsAt` of result `i`'s slot `slot` on a compact side, into `out` (`slotFactorsInto`'s order): 1 embodied, 2
 * use, 0 when the slot has no factors or their product does not reproduce `value`, the slot's (relative 1e-9).
 */
function factorsInto(side: CompactSide, i: number, slot: number, value: number, out: Float64Array): number {
  const kind = side.slotFactorsInto(i, slot, out);
  if (kind === 0) return 0;
  if (kind === 1 && !(out[4]! > 0)) return 0;
  return reproduces(factorsValue(kind === 1, out), value) ? kind : 0;
}

/**
 * Compares campaign `before` with campaign `after`, each read and assessed with its own run's referential. When the
 * two referentials differ (another pack version, other layers or electricity dataset: their content hashes differ),
 * campaign `before` is also recomputed with `after`'s referential (0′, like-for-like): 0 → 0′ is the reference-data
 * effect and 0′ → 1 is decomposed (F22).
 *
 * One inventory is held at a time: campaign `before` is read, its part of the inventory diff and its engine passes
 * done (`compareBefore`), then its items are let go before campaign `after` is read (`after`'s referential is loaded
 * first, to know whether `before` is recomputed). The files and referentials are read in the same order as before.
 *
 * `parallel` (the CLI): when both campaigns are large (`CompareSplit`), campaign `after` is read and assessed in a
 * worker thread at the same time (one inventory on each thread's heap); errors come in the one-thread order (campaign
 * `before`'s and its referential's first), and the worker is terminated when the comparison ends, however it ends.
 */
export async function compareCampaigns(
  deps: AppDeps,
  beforeInput: AssessInput,
  afterInput: AssessInput,
  options: { readonly parallel?: boolean | CompareSplit } = {},
): Promise<CompareOutcome> {
  const worker = options.parallel
    ? await startAfterWorker(deps, beforeInput, afterInput, options.parallel === true ? {} : options.parallel)
    : undefined;
  if (worker === undefined) {
    const { stage, runAfter } = await beforeStage(deps, beforeInput, afterInput);
    return compareFinish(stage, await afterStage(deps, afterInput, runAfter, stage));
  }
  try {
    const { stage, runAfter } = await beforeStage(deps, beforeInput, afterInput);
    const a = await worker.after();
    if (a.referentialHash !== runAfter.referential.hash)
      throw new Error(
        `worker of compare: its referential ${a.referentialHash} is not the run's ${runAfter.referential.hash}`,
      );
    // The worker joins the compact sides (campaign `after`'s stays there) while this thread does the inventory diff.
    const { data, transfer } = stage.builder.done(stage.layout).toTransfer();
    const joining = worker.join(
      {
        side: data,
        layout: layoutData(stage.layout),
        originalBefore: originalBeforeOf(stage, a.summary),
      },
      transfer,
    );
    stage.diff.afterRecords(a.records);
    const inventory = stage.diff.result();
    return outcomeOf(stage, a.summary, inventory, await joining);
  } finally {
    await worker.close();
  }
}

/** A run's layout as structured-clone data (`layoutFromData` makes it again in another thread). */
export const layoutData = (l: Layout): LayoutData => ({ steps: l.steps, criteria: l.criteria, units: l.units });

/** The layout of `layoutData`, with the same units (the referential's, given as they are). */
export function layoutFromData(d: LayoutData): Layout {
  const units = { criteria: new Map(d.criteria.map((c, i) => [c, { unit: d.units[i]! }])) };
  return new Layout(d.steps as StepCode[], d.criteria, units as unknown as Referential);
}

/**
 * When both campaigns are large, campaign `after` is read and assessed in a worker thread (`afterSideOf` there) while
 * the main thread does campaign `before`; then the worker joins the two compact sides (`joinSides`: decomposition and
 * ranges) while the main thread does the inventory diff from the worker's records. The same functions on the same
 * numbers in the same order as in one thread: the same output, byte for byte. `minBytes`: the size
 * both campaigns' files must reach (default `COMPARE_SPLIT_MIN_BYTES`; tests give a small one).
 */
export interface CompareSplit {
  readonly minBytes?: number;
}

/** Campaigns from this size on (each) are done in two threads (16 MiB: the size from which `assess` splits a table). */
export const COMPARE_SPLIT_MIN_BYTES = TWO_THREADS_MIN_BYTES;

/** Whether a comparison is done in two threads: both campaigns named by paths, each of `split.minBytes` or more. */
export async function compareInTwoThreads(
  beforeInput: AssessInput,
  afterInput: AssessInput,
  split: CompareSplit,
): Promise<boolean> {
  const min = split.minBytes ?? COMPARE_SPLIT_MIN_BYTES;
  const b = await inputBytes(beforeInput);
  const a = await inputBytes(afterInput);
  return b !== undefined && a !== undefined && b >= min && a >= min;
}

/** The worker of campaign `after` when the comparison is done in two threads; undefined otherwise. */
async function startAfterWorker(
  deps: AppDeps,
  beforeInput: AssessInput,
  afterInput: AssessInput,
  split: CompareSplit,
): Promise<CompareSide | undefined> {
  if (!(await compareInTwoThreads(beforeInput, afterInput, split))) return undefined;
  return startCompareSide({ input: afterInput, today: deps.today(), strict: Boolean(beforeInput.strict) });
}

/**
 * Campaign `after` read and done on its own (the worker thread's part): its summary, its items as the inventory
 * diff's records and its compact side; `strict`: the diff's mode (campaign `before`'s). The same reading and engine
 * pass as `afterStage`, its referential loaded with the same options.
 */
export async function afterSideOf(deps: AppDeps, afterInput: AssessInput, strict: boolean) {
  const ca = await loadCampaign(deps, afterInput);
  const records = new DiffRecordsBuilder(strict, undefined, campaignItemCount(ca));
  eachItem(ca, (x) => records.add(x));
  const builder = new CompactBuilder(capacityOf(ca));
  const runA = runInto(ca, builder);
  return {
    referentialHash: ca.referential.hash,
    summary: summaryOf(ca, runA),
    records: records.done(),
    side: builder.done(runA.layout),
  };
}

/** Campaign `after` read and done (`compareAfter`); its items are not held once this returns. */
async function afterStage(
  deps: AppDeps,
  afterInput: AssessInput,
  runAfter: Pick<LoadedCampaign, 'referential' | 'ctx'>,
  stage: BeforeDone,
): Promise<AfterDone> {
  return compareAfter(stage, await loadCampaign(deps, afterInput, runAfter));
}

/** Campaign `before` read and done (`compareBefore`); its items are not held once this returns. */
async function beforeStage(deps: AppDeps, beforeInput: AssessInput, afterInput: AssessInput) {
  const cb = await loadCampaign(deps, beforeInput);
  const runAfter = await loadCampaignRun(deps, afterInput);
  const recomputed =
    cb.referential.hash === runAfter.referential.hash
      ? undefined
      : {
          ...cb,
          referential: runAfter.referential,
          ctx: buildRunContext(beforeInput.run, deps.today, runAfter.referential),
        };
  return { stage: compareBefore(cb, Boolean(beforeInput.strict), recomputed), runAfter };
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
  const stage = compareBefore(cb, strict, recomputed);
  return compareFinish(stage, compareAfter(stage, ca));
}

/** Campaign `before`'s part of a comparison: what is kept of it once its items are let go. */
interface BeforeDone {
  readonly diff: InventoryDiffBuilder;
  readonly builder: CompactBuilder;
  readonly layout: Layout;
  readonly before: AssessSummary;
  readonly beforePrime: AssessSummary | undefined;
}
/** Campaign `after`'s part. */
interface AfterDone {
  readonly inventory: InventoryDiff;
  readonly side: CompactSide;
  readonly after: AssessSummary;
}

/** Each item of an inventory, in the order of `itemsOf`. */
function eachItem(c: LoadedCampaign, f: (x: InventoryItem) => void): void {
  const i = c.inventory;
  for (const item of i.datacenters) f({ kind: 'datacenter', item });
  for (const item of i.entities) f({ kind: 'entity', item });
  for (const item of i.physical) f({ kind: 'physical-equipment', item });
  for (const item of i.virtual) f({ kind: 'virtual-equipment', item });
  for (const item of i.applications) f({ kind: 'application', item });
  for (const item of i.nonIt) f({ kind: 'non-it', item });
  for (const item of i.messaging) f({ kind: 'messaging', item });
}

/** Room for the results of an inventory's items at first (telework boxes are added past it, the arrays growing). */
const capacityOf = (c: LoadedCampaign): number => {
  const i = c.inventory;
  return 16 + i.physical.length + i.virtual.length + i.applications.length + i.nonIt.length + i.messaging.length;
};

const summaryOf = (c: LoadedCampaign, r: ItemsRun): AssessSummary => ({
  meta: r.meta,
  totals: r.totals,
  inventory: inventorySummary(c.files),
});

// One engine pass per campaign gives both its totals and its counted results (two passes, three with 0′), each counted
// result read into the campaign's compact side as it comes (never all held).
const runInto = (c: LoadedCampaign, into: CompactBuilder | undefined) =>
  runItems(c.inventory, c.referential, c.ctx, into ? { onCounted: (r, layout) => into.add(r, layout) } : {});

function compareBefore(cb: LoadedCampaign, strict: boolean, recomputed: LoadedCampaign | undefined): BeforeDone {
  // Both builders made before the items are read into them: their arrays and the records' first chunk come at once
  // (each new array buffer counts as external memory, and every 64 MiB of it starts a full garbage collection, which
  // marks the campaign's items, hundreds of MiB: one burst of allocations starts fewer of them than many).
  const diff = new InventoryDiffBuilder(strict, undefined, campaignItemCount(cb));
  const builder = new CompactBuilder(capacityOf(cb));
  eachItem(cb, (x) => diff.before(x));
  const runB = runInto(cb, recomputed === undefined ? builder : undefined);
  const runB1 = recomputed !== undefined ? runInto(recomputed, builder) : undefined;
  return {
    diff,
    builder,
    layout: (runB1 ?? runB).layout,
    before: summaryOf(cb, runB),
    beforePrime: recomputed !== undefined && runB1 !== undefined ? summaryOf(recomputed, runB1) : undefined,
  };
}

function compareAfter(stage: BeforeDone, ca: LoadedCampaign): AfterDone {
  eachItem(ca, (x) => stage.diff.after(x));
  const inventory = stage.diff.result();
  const builder = new CompactBuilder(capacityOf(ca));
  const runA = runInto(ca, builder);
  return { inventory, side: builder.done(runA.layout), after: summaryOf(ca, runA) };
}

function compareFinish(stage: BeforeDone, a: AfterDone): CompareOutcome {
  const sideB = stage.builder.done(stage.layout);
  const joined = joinSides(sideB, a.side, originalBeforeOf(stage, a.after), seedOf(a.after.meta));
  return outcomeOf(stage, a.after, a.inventory, joined);
}

/** Campaign `before`'s own totals per criterion when the decomposition runs 0′ → 1 (see `decomposeChange`). */
function originalBeforeOf(stage: BeforeDone, after: AssessSummary): ChangeInput['originalBefore'] {
  const { before, beforePrime } = stage;
  return beforePrime === undefined
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
}

/** What the two compact sides give together: the decomposition (F22) and the range of the change (F21). */
export interface JoinedSides {
  readonly decomposition: CriterionChange[];
  readonly unfactored: number;
  readonly uncertainty: CriterionRange[];
}

/** The decomposition and the ranges of the change from both compact sides (items matched by key once). */
export function joinSides(
  sideB: CompactSide,
  sideA: CompactSide,
  originalBefore: ChangeInput['originalBefore'],
  seed: string,
): JoinedSides {
  const match = matchKeys(sideB, sideA);
  const { decomposition, unfactored } = decomposeCounted(sideB, sideA, originalBefore, match);
  return { decomposition, unfactored, uncertainty: compactDeltaUncertainty(sideB, sideA, seed, undefined, match) };
}

function outcomeOf(stage: BeforeDone, after: AssessSummary, inventory: InventoryDiff, j: JoinedSides): CompareOutcome {
  const { before, beforePrime } = stage;
  return {
    before,
    after,
    delta: totalsDelta(before.totals, after.totals),
    inventory,
    decomposition: j.decomposition,
    unfactored: j.unfactored,
    uncertainty: j.uncertainty,
    ...(beforePrime !== undefined ? { recomputedBefore: beforePrime } : {}),
  };
}
