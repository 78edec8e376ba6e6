/**
 * Use case: a what-if scenario (issue 13). Reads the inventory once through the pipeline (the same reading, mapping
 * and validation as `assess`), checks the scenario against the campaign's vocabulary (the referential's and the
 * inventory's type names, the statuses and datacenters of the inventory), applies the levers with the steering core
 * (`applyScenario`) and assesses the baseline and the scenario with the same engine entry (`runItems`, with
 * the same referential, run context and hooks as `assess`). Returns `{baseline, scenario, delta}`, the first two as
 * the summary documents of `assess --summary --format json` (`meta`, `inventory`, `totals`).
 *
 * Errors: `SteeringError` (code, field, allowed values) for a bad scenario, before anything is assessed;
 * `EmpreinteError` for unusable input (as `assess`).
 */
import { Assessment, type InventoryInput, type RunContext, type Totals } from '../../engine/index.js';
import { engineHooks } from '../../engine/hooks.js';
import type {
  Application,
  Datacenter,
  Entity,
  MessagingRow,
  NonItItem,
  PhysicalEquipment,
  VirtualEquipment,
} from '../../inventory/model.js';
import { processInventory, type FileReport, type InventorySink } from '../../inventory/pipeline.js';
import { EmpreinteError } from '../../issues/catalogue.js';
import type { Referential } from '../../referential/model.js';
import {
  applyScenario,
  parseScenario,
  type ElectricityChoice,
  type Scenario,
  type ScenarioInventory,
} from '../../steering/scenario-schema.js';
import { buildRunContext, inventorySummary, type AssessInput } from '../assess.js';
import { countedIndicators } from './counted.js';
import { runItems } from './run-items.js';
import { deltaUncertainty, seedOf, type CriterionRange } from './uncertainty.js';
import type { AppDeps } from '../deps.js';
import type { AssessSummary } from '../sink.js';
import { openSources } from '../sources.js';
import { startBaselineSide, type BaselineSide } from '../parallel/baseline-side.js';
import { inputBytes, TWO_THREADS_MIN_BYTES } from '../parallel/input-bytes.js';

type ScenarioNotes = ScenarioInventory<never, never, never>['notes'];

/** An inventory read into memory, with the run it will be assessed in. */
export interface LoadedCampaign {
  readonly referential: Referential;
  readonly ctx: RunContext;
  readonly inventory: Required<InventoryInput>;
  readonly files: readonly FileReport[];
  /** The item types the engine knows (the referential's type names). */
  readonly typeNames: readonly string[];
  /** The type a name stands for through the referential's synonyms (`Ordinateur portable` → `Laptop`). */
  readonly canonicalType?: (name: string) => string | undefined;
  /** The referential's location key of a country name or code (`France`, `FR` → `FR`), undefined when unknown. */
  readonly locationKey?: (name: string) => string | undefined;
  /**
   * Set by `prepareCampaign` for a campaign kept in memory to run many scenarios on (a server's cache): the baseline
   * summary, the lifetimes the `lifetime` lever extends (the campaign's F3 statistics) and the assessed period, which
   * do not depend on the levers. They belong to `inventory`: a copy of the campaign with another inventory must not
   * carry them.
   */
  readonly prepared?: { readonly baseline: AssessSummary } & LifetimesOf;
}

/**
 * How many items a loaded campaign holds (all kinds): the weight of a campaign in the server's cache and the room the
 * inventory diff's builders are given at first.
 */
export const campaignItemCount = (c: LoadedCampaign): number => {
  const i = c.inventory;
  return (
    i.datacenters.length +
    i.entities.length +
    i.physical.length +
    i.virtual.length +
    i.applications.length +
    i.nonIt.length +
    i.messaging.length
  );
};

/** The campaign with its baseline and lifetimes computed once (see `LoadedCampaign.prepared`). */
export function prepareCampaign(c: LoadedCampaign): LoadedCampaign {
  const { prepared: _stale, ...plain } = c;
  return { ...plain, prepared: baselineOf(plain) };
}

/** The baseline summary (one engine pass over the whole inventory), the lifetimes the levers extend and the period. */
function baselineOf(c: LoadedCampaign): { readonly baseline: AssessSummary } & LifetimesOf {
  return { baseline: assessLoaded(c), ...lifetimesOf(c) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/**
 * Loads the active referential and reads the inventory through the pipeline (same options as `assess`), collecting
 * the typed items. A file that fails stops the run (`EmpreinteError`), as in `assess`. `run`: the referential and run
 * context already loaded (`loadCampaignRun`), else loaded here.
 */
export async function loadCampaign(
  deps: AppDeps,
  input: AssessInput,
  run?: Pick<LoadedCampaign, 'referential' | 'ctx'>,
): Promise<LoadedCampaign> {
  const { referential, ctx } = run ?? (await loadCampaignRun(deps, input));
  const probe = new Assessment(referential, ctx, engineHooks(referential, { profile: ctx.profile }));
  const inv: Mutable<Required<InventoryInput>> = {
    datacenters: [] as Datacenter[],
    entities: [] as Entity[],
    physical: [] as PhysicalEquipment[],
    virtual: [] as VirtualEquipment[],
    applications: [] as Application[],
    nonIt: [] as NonItItem[],
    messaging: [] as MessagingRow[],
  };
  const failed: FileReport[] = [];
  const sink: InventorySink = {
    datacenter: (x) => void inv.datacenters.push(x),
    entity: (x) => void inv.entities.push(x),
    physical: (x) => void inv.physical.push(x),
    virtual: (x) => void inv.virtual.push(x),
    application: (x) => void inv.applications.push(x),
    nonIt: (x) => void inv.nonIt.push(x),
    messaging: (x) => void inv.messaging.push(x),
    opened: (reports) => {
      const first = reports.find((r) => r.status === 'failed' && r.fileError !== undefined)?.fileError;
      if (first !== undefined) throw new EmpreinteError(first);
    },
    fileDone: (rep) => {
      if (rep.status === 'failed') failed.push(rep);
    },
  };
  const meta = probe.meta();
  const result = await processInventory(
    await openSources(input.sources, deps),
    {
      readers: deps.readers,
      ...(deps.spoolDir !== undefined ? { spoolDir: deps.spoolDir } : {}),
      mode: input.strict ? 'strict' : 'lenient',
      referenceDate: ctx.referenceDate,
      periodStart: meta.period.start,
      profile: ctx.profile,
      ...(input.encoding ? { encoding: input.encoding } : {}),
      ...(deps.temps ? { tempFiles: deps.temps } : {}),
      isKnownType: (t) => probe.env.itemType(t) !== undefined,
      knownTypeNames: probe.env.knownTypeNames(100).join(', '),
      isKnownLocation: (l) => referential.electricity.has(probe.env.locationKey(l)),
    },
    sink,
  );
  const firstFailure = failed.find((f) => f.fileError !== undefined)?.fileError;
  if (firstFailure !== undefined) throw new EmpreinteError(firstFailure);
  return {
    referential,
    ctx,
    inventory: inv,
    files: result.files,
    typeNames: probe.env.knownTypeNames(Number.MAX_SAFE_INTEGER),
    ...resolvers(referential),
  };
}

type Resolvers = Required<Pick<LoadedCampaign, 'canonicalType' | 'locationKey'>>;

/** The campaign's type and country resolution (built from its referential when the campaign has none). */
export const resolversOf = (c: Pick<LoadedCampaign, 'referential' | 'canonicalType' | 'locationKey'>): Resolvers =>
  c.canonicalType !== undefined && c.locationKey !== undefined
    ? { canonicalType: c.canonicalType, locationKey: c.locationKey }
    : resolvers(c.referential);

/** Type and country resolution through the referential (its synonyms, country names and codes). */
function resolvers(referential: Referential): Resolvers {
  const env = new Assessment(referential, {
    profile: 'rcp',
    referenceDate: '2000-01-01',
    lifetimeMethod: 'REEL',
    criteria: [],
    steps: [],
  }).env;
  return {
    canonicalType: (name) => env.itemType(name)?.type,
    locationKey: (name) => {
      const k = env.locationKey(name);
      return referential.electricity.has(k) ? k : undefined;
    },
  };
}

/** Assesses an in-memory inventory with the campaign's referential and run: the summary document of `assess`. */
export function assessLoaded(c: LoadedCampaign, inventory: InventoryInput = c.inventory): AssessSummary {
  const r = runItems(inventory, c.referential, c.ctx);
  return { meta: r.meta, totals: r.totals, inventory: inventorySummary(c.files) };
}

/** Per criterion: after − before, in total, per step and per value of each dimension (tier, type, entity…). */
export interface TotalsDelta {
  readonly byCriterion: readonly {
    readonly criterion: string;
    readonly unit: string;
    readonly before: number;
    readonly after: number;
    readonly delta: number;
    /** delta / before; null when before is 0. */
    readonly relative: number | null;
    readonly byStep: Readonly<Record<string, number>>;
  }[];
  /** dimension → value → criterion → after − before (absent on one side = 0). */
  readonly by: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
}

export function totalsDelta(before: Totals, after: Totals): TotalsDelta {
  const criteria = [
    ...new Set([...before.byCriterion.map((c) => c.criterion), ...after.byCriterion.map((c) => c.criterion)]),
  ];
  const byCriterion = criteria.map((criterion) => {
    const b = before.byCriterion.find((c) => c.criterion === criterion);
    const a = after.byCriterion.find((c) => c.criterion === criterion);
    const steps = new Set([...Object.keys(b?.byStep ?? {}), ...Object.keys(a?.byStep ?? {})]);
    const byStep: Record<string, number> = {};
    for (const s of steps) byStep[s] = (a?.byStep[s] ?? 0) - (b?.byStep[s] ?? 0);
    const bv = b?.value ?? 0;
    const av = a?.value ?? 0;
    return {
      criterion,
      unit: a?.unit ?? b?.unit ?? '',
      before: bv,
      after: av,
      delta: av - bv,
      relative: bv === 0 ? null : (av - bv) / bv,
      byStep,
    };
  });
  const by: Record<string, Record<string, Record<string, number>>> = {};
  for (const dim of new Set([...Object.keys(before.by), ...Object.keys(after.by)])) {
    const bd = before.by[dim] ?? {};
    const ad = after.by[dim] ?? {};
    const out: Record<string, Record<string, number>> = {};
    for (const value of new Set([...Object.keys(bd), ...Object.keys(ad)])) {
      const row: Record<string, number> = {};
      for (const c of new Set([...Object.keys(bd[value] ?? {}), ...Object.keys(ad[value] ?? {})]))
        row[c] = (ad[value]?.[c] ?? 0) - (bd[value]?.[c] ?? 0);
      out[value] = row;
    }
    by[dim] = out;
  }
  return { byCriterion, by };
}

export interface ScenarioOutcome {
  readonly scenario: Scenario;
  readonly baseline: AssessSummary;
  readonly result: AssessSummary;
  readonly delta: TotalsDelta;
  /** F21 (on request): per criterion, P5/P50/P95 of the delta and the factors dominating its range. */
  readonly uncertainty?: readonly CriterionRange[];
  /** Rows a lever left as they were, with the reason (see `applyScenario`). */
  readonly notes?: readonly { readonly lever: string; readonly row: string; readonly reason: string }[];
}

/** The names a scenario may use in this campaign: types of the referential and of the inventory, statuses, datacenters. */
function vocabulary(c: LoadedCampaign) {
  const types = new Set<string>(c.typeNames);
  const statuses = new Set<string>();
  for (const pe of c.inventory.physical) {
    types.add(pe.type);
    if (pe.status !== undefined) statuses.add(pe.status);
  }
  return {
    types: [...types].sort(),
    statuses: [...statuses].sort(),
    datacenters: c.inventory.datacenters.map((d) => d.name).sort(),
    canonicalType: resolversOf(c).canonicalType,
    isKnownCountry: (name: string) => resolversOf(c).locationKey(name) !== undefined,
  };
}

/**
 * When the campaign is large, its baseline is assessed in a worker thread by the streaming `assess` use case (as
 * `assess --summary` does it, on that thread alone) while the main thread reads the campaign, applies the levers and
 * assesses the scenario. `minBytes`: the size the campaign's files must reach (default `TWO_THREADS_MIN_BYTES`; tests
 * give a small one).
 */
export interface ScenarioSplit {
  readonly minBytes?: number;
}

/**
 * Runs a scenario on a campaign: validates it (nothing is assessed from a half-valid scenario), then assesses the
 * baseline and the inventory with the levers applied, through the same engine entry.
 *
 * `parallel` (the CLI): when the campaign is large (`ScenarioSplit`), the baseline is assessed in a worker thread at
 * the same time (`startBaselineSide`). The streaming `assess` and the engine pass over the loaded campaign make the
 * same engine calls in the same order (`runItems`), so the baseline is the same document either way; the worker's is
 * taken only when its run metadata and inventory report are this thread's (else, and when the worker stops on a coded error
 * this thread did not meet — `assess` refuses an inventory with nothing imported, a scenario assesses it —, the
 * baseline is assessed here, as in one thread). Errors come in the one-thread order (the files, then the scenario),
 * and the worker is terminated when the run ends, however it ends.
 */
export async function runScenario(
  deps: AppDeps,
  input: AssessInput,
  raw: unknown,
  options: { readonly uncertainty?: boolean; readonly parallel?: boolean | ScenarioSplit } = {},
): Promise<ScenarioOutcome> {
  const worker = options.parallel
    ? await startBaselineWorker(deps, input, options.parallel === true ? {} : options.parallel)
    : undefined;
  try {
    const campaign = await loadCampaign(deps, input);
    return await scenarioOutcome(
      deps,
      campaign,
      input,
      raw,
      options,
      worker && (() => workerBaseline(worker, campaign)),
    );
  } finally {
    await worker?.close();
  }
}

/** Whether a scenario is done in two threads: the campaign named by paths, of `split.minBytes` or more. */
export async function scenarioInTwoThreads(input: AssessInput, split: ScenarioSplit): Promise<boolean> {
  const bytes = await inputBytes(input);
  return bytes !== undefined && bytes >= (split.minBytes ?? TWO_THREADS_MIN_BYTES);
}

/** The worker of the baseline when the scenario is done in two threads; undefined otherwise. */
async function startBaselineWorker(
  deps: AppDeps,
  input: AssessInput,
  split: ScenarioSplit,
): Promise<BaselineSide | undefined> {
  if (!(await scenarioInTwoThreads(input, split))) return undefined;
  // The worker writes nothing: the rejected lines are this thread's to report.
  const { rejectsDir: _rejects, parallel: _parallel, ...rest } = input;
  return startBaselineSide({ input: rest, today: deps.today() });
}

/**
 * The worker's baseline when it assessed what this thread read (the same run metadata — referential, dates, period,
 * criteria — and the same inventory report), in the one-thread document's key order; undefined when it did not or
 * stopped on a coded error (the caller then assesses it). Any other failure of the worker is thrown.
 */
export async function workerBaseline(
  worker: Pick<BaselineSide, 'summary'>,
  c: LoadedCampaign,
): Promise<AssessSummary | undefined> {
  const s = await worker.summary().catch((e: unknown) => {
    if (e instanceof EmpreinteError) return undefined;
    throw e;
  });
  if (s === undefined) return undefined;
  const inventory = inventorySummary(c.files);
  const meta = new Assessment(c.referential, c.ctx).meta();
  if (!sameJson(s.meta, meta) || !sameJson(s.inventory, inventory)) return undefined;
  return { meta: s.meta, totals: s.totals, inventory };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `runScenario` on a campaign already loaded from `input` (a server keeps loaded campaigns in a cache, so a preview only
 * re-runs the engine). `input` is read again only by an electricity lever naming a dataset (the run's referential).
 */
export async function runScenarioOn(
  deps: AppDeps,
  campaign: LoadedCampaign,
  input: AssessInput,
  raw: unknown,
  options: { readonly uncertainty?: boolean } = {},
): Promise<ScenarioOutcome> {
  return scenarioOutcome(deps, campaign, input, raw, options);
}

/**
 * The scenario on a loaded campaign. `baselineFrom`: the baseline assessed elsewhere (the worker's; it gives
 * undefined when the baseline must be assessed here after all); without it, the baseline is assessed here first.
 */
async function scenarioOutcome(
  deps: AppDeps,
  campaign: LoadedCampaign,
  input: AssessInput,
  raw: unknown,
  options: { readonly uncertainty?: boolean },
  baselineFrom?: () => Promise<AssessSummary | undefined>,
): Promise<ScenarioOutcome> {
  const scenario = parseScenario(raw, vocabulary(campaign));
  // The baseline and the lifetimes the levers extend (kept by a prepared campaign); the baseline is left out when it
  // is assessed elsewhere.
  const known: LifetimesOf & { readonly baseline?: AssessSummary } =
    campaign.prepared ?? (baselineFrom !== undefined ? lifetimesOf(campaign) : baselineOf(campaign));
  const { inventory: applied, electricity, notes } = applyToCampaign(campaign, scenario, known);
  // The electricity lever changes the factors of the run: the scenario is assessed with that dataset, then with the
  // countries' mixes it sets.
  const withDataset =
    electricity?.dataset === undefined
      ? campaign
      : { ...campaign, ...(await loadCampaignRun(deps, { ...input, electricity: electricity.dataset })) };
  const target = { ...withDataset, referential: withCountryMixes(withDataset, electricity?.countries ?? []) };
  const result = assessLoaded(target, applied);
  const baseline = known.baseline ?? (await baselineFrom?.()) ?? assessLoaded(campaign);
  const uncertainty = options.uncertainty
    ? deltaUncertainty(
        countedIndicators(campaign),
        countedIndicators({ ...target, inventory: { ...campaign.inventory, ...applied } }),
        seedOf(baseline.meta),
      )
    : undefined;
  return {
    scenario,
    baseline,
    result,
    delta: totalsDelta(baseline.totals, result.totals),
    ...(uncertainty !== undefined ? { uncertainty } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/**
 * The referential with some countries' electricity factors replaced (the `electricity {country, value}` lever): a
 * copy of the location map, the other locations and every other table shared. The factor's provenance names the lever.
 */
export function withCountryMixes(
  c: Pick<LoadedCampaign, 'referential' | 'canonicalType' | 'locationKey'>,
  countries: NonNullable<ElectricityChoice['countries']>,
): Referential {
  if (countries.length === 0) return c.referential;
  const { locationKey } = resolversOf(c);
  const electricity = new Map(c.referential.electricity);
  for (const { country, value, criterion } of countries) {
    const key = locationKey(country);
    if (key === undefined) continue; // checked by parseScenario
    const byCriterion = new Map(electricity.get(key));
    const before = byCriterion.get(criterion);
    byCriterion.set(criterion, {
      location: key,
      locationLabel: before?.locationLabel ?? country,
      criterion,
      valuePerKWh: value,
      dataset: 'scenario',
      prov: { source: `scenario lever electricity {country: ${country}, value: ${value}}`, layer: 'scenario' },
    });
    electricity.set(key, byCriterion);
  }
  return { ...c.referential, electricity };
}

/** The referential and run context of a campaign with other options (e.g. another electricity dataset). */
export async function loadCampaignRun(
  deps: AppDeps,
  input: AssessInput,
): Promise<Pick<LoadedCampaign, 'referential' | 'ctx'>> {
  const { referential } = await deps.loadReferential({
    ...(input.referentials ? { referential: input.referentials } : {}),
    profile: input.run.profile,
    ...(input.run.organisation !== undefined ? { organisation: input.run.organisation } : {}),
    ...(input.electricity !== undefined ? { electricity: input.electricity } : {}),
  });
  return { referential, ctx: buildRunContext(input.run, deps.today, referential) };
}

/** The levers on the campaign's items (physical equipment, cloud instances, datacenters); the rest is kept. */
export function applyToCampaign(
  c: LoadedCampaign,
  scenario: Scenario,
  known: LifetimesOf | undefined = c.prepared,
): { inventory: InventoryInput; electricity: ElectricityChoice | undefined; notes: NonNullable<ScenarioNotes> } {
  const inv = c.inventory;
  const { currentLifetime, period } = known ?? lifetimesOf(c);
  const agents = inv.entities.reduce((s, e) => s + (e.collaborators ?? 0), 0);
  const cloud = inv.virtual.filter((v) => v.infrastructure === 'CLOUD_SERVICES');
  const expectedInService = c.ctx.profile === 'rcp';
  const { canonicalType } = resolversOf(c);
  const applied = applyScenario({ equipment: inv.physical, cloud, datacenters: inv.datacenters }, scenario, {
    ...(agents > 0 ? { agents } : {}),
    currentLifetime,
    typeKey: (t) => canonicalType(t) ?? t,
    // F2: under FIXE the internal duration wins over dates; under REEL in rcp an item in service takes
    // max(age, expected), and the extended lifetime is at least its age.
    internalLifetimeWithDates: (row) =>
      c.ctx.lifetimeMethod === 'FIXE' || (expectedInService && row.retirementDate === undefined),
    ...(period.shares ? { periodStart: period.start } : {}),
    copy: copyPhysical,
  });
  const movedCloud = new Map(cloud.map((v, i) => [v, applied.cloud[i]]));
  return {
    inventory: {
      ...inv,
      physical: applied.equipment,
      datacenters: applied.datacenters,
      virtual: inv.virtual.map((v) => movedCloud.get(v) ?? v),
    },
    electricity: applied.electricity,
    notes: applied.notes ?? [],
  };
}

/** Every field of T present, `undefined` where T has none. */
type Uniform<T> = { readonly [K in keyof Required<T>]: T[K] | undefined };

/**
 * A lever's copy of a row with some fields changed: every field of `PhysicalEquipment` in one order (absent =
 * undefined, which the engine reads as absent, as for the fields a `replace` lever clears), so that the rows the levers
 * change share one hidden class. Made with spreads (`{ ...row, field }`), they had hidden classes of their own, and the
 * engine's pass over a scenario's rows took 2.3 times as long as over the rows as read (megamorphic property reads;
 * measured on 1M lines). Copying every row this way cost more than it saved: the rows no lever changes are kept. The
 * type lists every field, so a field added to the model must be added here (the compiler says so).
 */
export const copyPhysical = (row: PhysicalEquipment, changes: Partial<PhysicalEquipment>): PhysicalEquipment =>
  Object.assign(blankPhysical(), row, changes);

/** A row with every field of `PhysicalEquipment` absent (undefined), in the model's order. */
const blankPhysical = (): Uniform<PhysicalEquipment> => ({
  name: '',
  model: undefined,
  type: '',
  quantity: 0,
  status: undefined,
  country: undefined,
  datacenter: undefined,
  purchaseDate: undefined,
  retirementDate: undefined,
  internalLifeYears: undefined,
  upstreamLifeYears: undefined,
  downstreamLifeYears: undefined,
  annualKWh: undefined,
  user: undefined,
  cores: undefined,
  usageMode: undefined,
  usageRate: undefined,
  dataSource: undefined,
  entity: undefined,
  quality: undefined,
  manufacturer: undefined,
  cpuType: undefined,
  memoryGB: undefined,
  diskGB: undefined,
  ssdCount: undefined,
  ssdSizeGb: undefined,
  hddCount: undefined,
  usageHours: undefined,
  userCount: undefined,
  refurbishedRate: undefined,
  reuseRate: undefined,
  serverFlag: undefined,
  endOfLife: undefined,
  at: undefined,
});

interface LifetimesOf {
  /**
   * The lifetime the `lifetime` lever extends, of a row as it stands when the lever is applied (after the levers before
   * it: a replacement's new row has its new type's): the lifetime L the engine retains for it (F2, F3; its result's
   * `lifetimeYears`) less the upstream and downstream lives F3 adds to the row's own duration, since the engine adds
   * them again to the extended duration. So the lever makes the retained L grow by `addYears` exactly (L/(L+N)).
   */
  readonly currentLifetime: (row: PhysicalEquipment) => number | undefined;
  readonly period: ReturnType<typeof runItems>['meta']['period'];
}

/**
 * The lifetimes the levers extend and the assessed period, without any indicator: the F3 statistics of the campaign's
 * physical items, then, per row a lever asks about, the lifetime the engine's `physical` retains for it
 * (`Assessment.retainedLifetime`).
 */
function lifetimesOf(c: LoadedCampaign): LifetimesOf {
  const a = new Assessment(c.referential, c.ctx, engineHooks(c.referential, { profile: c.ctx.profile }));
  for (const pe of c.inventory.physical) a.indexUpstream(pe);
  return {
    currentLifetime: (row) => {
      const l = a.retainedLifetime(row);
      return l === undefined ? undefined : l.years - l.upstream - l.downstream;
    },
    period: a.meta().period,
  };
}
