/**
 * Use case: the campaign report (issue 15). Gathers, for one or more campaigns, what the printable report shows — the
 * title page (organisation or title, reference date, referential name, version and hash), key figures per criterion,
 * the splits by tier, type, lifecycle step, entity and country, the top contributors, the trajectory when there are
 * several campaigns or a target, the data quality (rejected lines with reasons, default factors, missing
 * consumptions, criteria the open referential does not cover) and the referential's sources and licences — into one
 * zod-typed `ReportData`. The model itself is src/outputs/report-model.ts (`reportModel`, pure, shared with the
 * dashboard's Report page, which builds it from the API's documents); this use case assesses or reads the campaigns,
 * computes the trajectory and lists the referential's sources, then validates the model. No rendering here
 * (src/web/report renders it) and no arithmetic on the engine's results: the numbers are the totals of the assessment
 * (`Totals`), copied, never recomputed.
 *
 * A campaign is either an inventory assessed here through the assess use case (same options as `assess`), or a
 * result document written by `assess --format json` (with or without `--summary`), validated with zod.
 *
 * Errors: `EmpreinteError` (`INP_RESULT_INVALID` for a document that is not a result; the assess use case's own errors
 * for an inventory); `SteeringError` from the trajectory (a target without a baseline campaign…).
 */
import { z } from 'zod';
import type { Layout } from '../engine/layout.js';
import { OK, type ItemResult } from '../engine/result.js';
import { EmpreinteError, issue, issueMessage, type Issue } from '../issues/catalogue.js';
import type { Referential } from '../referential/model.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assess, type AssessInput } from './assess.js';
import type { AppDeps } from './deps.js';
import type { AssessSink } from './sink.js';
import {
  REPORT_LIMITS,
  reportCriterion,
  reportModel,
  type ReportData,
  type ReportReason,
  type ReportResultDocument,
} from '../outputs/report-model.js';
import { runTrajectory } from './steering/trajectory.js';

export { REPORT_LIMITS, type ReportData };

/** `true` when A fits B (the zod schemas below must have the shared model's shapes). */
type Fits<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = Fits<A, B> extends true ? Fits<B, A> : false;

const values = z.record(z.string(), z.number());

/** The fields of a result document (`assess --format json`, `--summary` or not) the report reads. */
export const resultDocumentSchema = z.looseObject({
  meta: z.looseObject({
    profile: z.string(),
    referenceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    period: z.looseObject({ start: z.string(), end: z.string() }),
    referential: z.looseObject({ id: z.string(), version: z.string(), hash: z.string() }),
    criteria: z.array(z.string()),
    organisation: z.string().optional(),
  }),
  inventory: z.array(
    z.looseObject({
      file: z.string(),
      kind: z.string().optional(),
      read: z.number(),
      imported: z.number(),
      rejected: z.number(),
      warnings: z.number(),
      rejectsFile: z.string().optional(),
    }),
  ),
  totals: z.looseObject({
    byCriterion: z.array(
      z.looseObject({
        criterion: z.string(),
        unit: z.string(),
        value: z.number(),
        byStep: values,
        indicators: z.number(),
        errors: z.number(),
        peopleEquivalent: z.number().optional(),
        perCollaborator: z.number().optional(),
      }),
    ),
    by: z.record(z.string(), z.record(z.string(), values)),
    electricity: z.looseObject({ itKWh: z.number(), facilityKWh: z.number() }),
    coverage: z.looseObject({
      indicators: z.number(),
      computed: z.number(),
      notCovered: z.looseObject({
        indicators: z.number(),
        share: z.number(),
        openReferentialOnly: z.boolean(),
        byCriterion: z.record(z.string(), values),
      }),
      toFix: z.looseObject({
        indicators: z.number(),
        byCode: z.record(
          z.string(),
          z.looseObject({
            indicators: z.number(),
            items: z.number(),
            first: z.array(
              z.looseObject({ item: z.string(), file: z.string().optional(), line: z.number().optional() }),
            ),
          }),
        ),
      }),
    }),
    outOfPeriod: z.looseObject({ items: z.number(), quantity: z.number() }),
    items: values,
    warnings: values,
    collaborators: z.number().optional(),
  }),
});
type ResultDocument = z.infer<typeof resultDocumentSchema>;
// A validated document (zod's loose objects keep unknown fields) is one the model reads.
const RESULT_DOCUMENT_SHAPE: Fits<ResultDocument, ReportResultDocument> = true;

const text2 = z.object({ en: z.string(), fr: z.string() });
const breakdown = z.array(z.object({ key: z.string(), values }));

export const reportDataSchema = z.object({
  title: z.string(),
  organisation: z.string().optional(),
  campaign: z.object({
    name: z.string(),
    referenceDate: z.string(),
    period: z.object({ start: z.string(), end: z.string() }),
    profile: z.string(),
  }),
  referential: z.object({ id: z.string(), version: z.string(), hash: z.string() }),
  criteria: z.array(
    z.object({
      criterion: z.string(),
      unit: z.string(),
      value: z.number(),
      peopleEquivalent: z.number().optional(),
      perCollaborator: z.number().optional(),
      indicators: z.number(),
      errors: z.number(),
    }),
  ),
  collaborators: z.number().optional(),
  electricity: z.object({ itKWh: z.number(), facilityKWh: z.number() }),
  items: values,
  /** Splits per criterion: tier, type, lifecycle step (the step totals), entity, country. */
  breakdowns: z.object({ tier: breakdown, type: breakdown, step: breakdown, entity: breakdown, country: breakdown }),
  /** The largest items (an inventory assessed here) or, from a result document, the largest types. */
  top: z.object({
    basis: z.enum(['items', 'types']),
    criterion: z.string(),
    unit: z.string(),
    rows: z.array(
      z.object({ name: z.string(), type: z.string().optional(), entity: z.string().optional(), value: z.number() }),
    ),
  }),
  /** The campaigns side by side, with the target's path when one was given (steering's trajectory). */
  trajectory: z
    .object({
      criterion: z.string(),
      unit: z.string(),
      campaigns: z.array(
        z.object({
          name: z.string(),
          year: z.number(),
          value: z.number(),
          target: z.number().nullable().optional(),
          gap: z.number().nullable().optional(),
          status: z.string().optional(),
        }),
      ),
      target: z
        .object({
          baselineYear: z.number(),
          targetYear: z.number(),
          reduction: z.number(),
          targetValue: z.number(),
          shape: z.string(),
        })
        .optional(),
      forecast: z
        .object({ year: z.number(), value: z.number(), lower: z.number().nullable(), upper: z.number().nullable() })
        .array()
        .optional(),
    })
    .optional(),
  quality: z.object({
    files: z.array(
      z.object({
        file: z.string(),
        kind: z.string().optional(),
        read: z.number(),
        imported: z.number(),
        rejected: z.number(),
        warnings: z.number(),
        rejectsFile: z.string().optional(),
        /** The first rejected lines with their reason (an inventory assessed here; a result document has none). */
        reasons: z.array(z.object({ line: z.number().optional(), code: z.string(), message: text2 })).optional(),
      }),
    ),
    /** Warning counts: the type's default reference item used for a model (`CALC_MODEL_FALLBACK`), default PUE… */
    warnings: values,
    missingConsumptions: z.object({
      indicators: z.number(),
      items: z.number(),
      first: z.array(z.object({ item: z.string(), file: z.string().optional(), line: z.number().optional() })),
    }),
    notCovered: z.object({
      indicators: z.number(),
      share: z.number(),
      openReferentialOnly: z.boolean(),
      byCriterion: z.record(z.string(), values),
    }),
    outOfPeriod: z.object({ items: z.number(), quantity: z.number() }),
  }),
  /**
   * The referential's sources and licences: the datasets and attributions the embedded pack declares, and the rows of
   * every layer per licence (the user's referentials included); `listed` false when the result was computed with
   * another referential than the active one (its rows are not at hand).
   */
  sources: z.object({
    listed: z.boolean(),
    datasets: z.array(z.object({ dataset: z.string(), licence: z.string(), attribution: z.string() })),
    layers: z.array(z.object({ layer: z.string(), licence: z.string().optional(), rows: z.number() })),
  }),
});
const REPORT_DATA_SHAPE: Same<z.infer<typeof reportDataSchema>, ReportData> = true;
void [RESULT_DOCUMENT_SHAPE, REPORT_DATA_SHAPE];

export interface ReportRequest {
  /** An inventory to assess (files and folders, with the run's options), if any. */
  readonly inventory?: AssessInput & { readonly name?: string };
  /** Result documents (`assess --format json`), with the name they are known by, in any order. */
  readonly results?: readonly { readonly name: string; readonly document: unknown }[];
  /** Title page: the organisation's or report's title (default: the organisation of the run, else "Empreinte"). */
  readonly title?: string;
  /** Referential folders or pack ids of the result documents (to list the sources of their referential). */
  readonly referentials?: readonly string[];
  /** A target: the trajectory compares every campaign with it. */
  readonly target?: { readonly reduction: number; readonly targetYear: number; readonly baselineYear?: number };
  /** The criterion of the top contributors and the trajectory (default CLIMATE_CHANGE, else the first). */
  readonly criterion?: string;
}

interface Campaign {
  readonly name: string;
  readonly doc: ResultDocument;
  readonly reasons?: ReadonlyMap<string, ReportReason[]>;
  readonly topItems?: readonly { name: string; type?: string; entity?: string; values: Record<string, number> }[];
  readonly referential?: Referential;
}

/** A result document, validated; `INP_RESULT_INVALID` naming the first field that does not fit. */
export function parseResultDocument(name: string, document: unknown): ResultDocument {
  const parsed = resultDocumentSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  throw new EmpreinteError(
    issue('INP_RESULT_INVALID', { field: first.path.join('.') || '(document)', reason: first.message }, { file: name }),
  );
}

/** An item's per-criterion total, as `Aggregator.add` sums it: its computed (OK) slots of that criterion. */
function itemTotals(r: ItemResult, layout: Layout): Record<string, number> {
  const nc = layout.criteria.length;
  const out: Record<string, number> = {};
  for (let c = 0; c < nc; c++) out[layout.criteria[c]!] = 0;
  for (let s = 0; s < layout.size; s++) if (r.status[s] === OK) out[layout.criteria[s % nc]!]! += r.values[s]!;
  return out;
}

/** Assesses the inventory with a sink that keeps the summary, the largest items and the rejected lines' reasons. */
async function assessCampaign(
  deps: AppDeps,
  input: AssessInput & { readonly name?: string },
  criterion: string | undefined,
  notice: AssessSink['notice'],
): Promise<Campaign> {
  let referential: Referential | undefined;
  const captured: AppDeps = {
    ...deps,
    loadReferential: async (o) => {
      const r = await deps.loadReferential(o);
      referential = r.referential;
      return r;
    },
  };
  let layout: Layout | undefined;
  let key = criterion;
  const top: { name: string; type?: string; entity?: string; values: Record<string, number> }[] = [];
  let summary: unknown;
  const sink: AssessSink = {
    rows: true,
    begin: (meta, l) => {
      layout = l;
      key ??= meta.criteria.includes('CLIMATE_CHANGE') ? 'CLIMATE_CHANGE' : meta.criteria[0];
    },
    item: (r) => {
      if (!r.inTotal || r.outOfPeriod !== undefined || layout === undefined || key === undefined) return;
      const v = itemTotals(r, layout);
      const k = key;
      if (top.length === REPORT_LIMITS.topItems && (v[k] ?? 0) <= (top[top.length - 1]!.values[k] ?? 0)) return;
      top.push({
        name: r.name,
        ...(r.dims.type !== undefined ? { type: r.dims.type } : {}),
        ...(r.entity !== undefined ? { entity: r.entity } : {}),
        values: v,
      });
      top.sort((a, b) => (b.values[k] ?? 0) - (a.values[k] ?? 0));
      if (top.length > REPORT_LIMITS.topItems) top.pop();
    },
    totals: (s) => {
      // Through JSON, as `assess --format json` writes it: the report reads one shape whatever the input.
      summary = JSON.parse(JSON.stringify(s));
    },
    close: async () => undefined,
    abort: async () => undefined,
    ...(notice ? { notice } : {}),
  };
  const outcome = await assess(captured, { ...input, trace: false }, sink);
  const reasons = new Map<string, ReportReason[]>();
  for (const f of outcome.result.files) {
    const rejected = f.issues.filter((i: Issue) => i.severity === 'R').slice(0, REPORT_LIMITS.rejectsPerFile);
    reasons.set(
      f.file,
      rejected.map((i) => ({
        ...(i.line !== undefined ? { line: i.line } : {}),
        code: i.code,
        message: { en: issueMessage(i, {}, 'en'), fr: issueMessage(i, {}, 'fr') },
      })),
    );
  }
  const doc = parseResultDocument(input.name ?? '(inventory)', summary);
  return {
    name: input.name ?? doc.meta.period.start.slice(0, 4),
    doc,
    reasons,
    topItems: top,
    ...(referential ? { referential } : {}),
  };
}

/** The referential's rows per layer and licence, most rows first. */
export function referentialLicences(ref: Referential): { layer: string; licence?: string; rows: number }[] {
  const count = new Map<string, { layer: string; licence?: string; rows: number }>();
  const add = (p: { layer: string; licence?: string }) => {
    const k = `${p.layer}\u0000${p.licence ?? ''}`;
    const c = count.get(k);
    if (c) c.rows++;
    else count.set(k, { layer: p.layer, ...(p.licence !== undefined ? { licence: p.licence } : {}), rows: 1 });
  };
  for (const c of ref.criteria.values()) add(c.prov);
  for (const h of ref.hypotheses.values()) add(h.prov);
  for (const t of new Set(ref.itemTypes.values())) add(t.prov);
  for (const i of ref.items.values()) for (const f of i.factors.values()) add(f.prov);
  for (const m of ref.electricity.values()) for (const f of m.values()) add(f.prov);
  for (const m of ref.messaging.values()) add(m.prov);
  for (const n of ref.normalisation.values()) add(n.prov);
  return [...count.values()].sort(
    (a, b) => a.layer.localeCompare(b.layer) || b.rows - a.rows || (a.licence ?? '').localeCompare(b.licence ?? ''),
  );
}

/** Builds the report's data; the last campaign (latest period, then last given) is the one the report presents. */
export async function buildReport(
  deps: AppDeps,
  req: ReportRequest,
  notice?: AssessSink['notice'],
): Promise<ReportData> {
  const campaigns: Campaign[] = [];
  for (const r of req.results ?? []) campaigns.push({ name: r.name, doc: parseResultDocument(r.name, r.document) });
  if (req.inventory) campaigns.push(await assessCampaign(deps, req.inventory, req.criterion, notice));
  if (campaigns.length === 0)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '<inventory-or-result…>',
        allowed: 'inventory files or folders, or result documents of assess --format json',
        value: '',
      }),
    );
  const ordered = campaigns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.doc.meta.period.start.localeCompare(b.c.doc.meta.period.start) || a.i - b.i)
    .map((x) => x.c);
  const main = ordered[ordered.length - 1]!;
  const { meta, totals } = main.doc;
  const criterion = reportCriterion(meta.criteria, req.criterion);
  const unitOf = totals.byCriterion.find((c) => c.criterion === criterion)?.unit ?? '';

  // Sources: the assessed referential, or the active one when its hash is the result's.
  let referential = main.referential;
  if (referential === undefined) {
    const loaded = await deps.loadReferential({
      ...(req.referentials ? { referential: req.referentials } : {}),
      profile: meta.profile === 'numecoeval' ? 'numecoeval' : 'rcp',
      ...(meta.organisation !== undefined ? { organisation: meta.organisation } : {}),
    });
    if (loaded.referential.hash === meta.referential.hash) referential = loaded.referential;
  }

  const data = reportModel({
    main,
    ...(req.title !== undefined ? { title: req.title } : {}),
    criterion,
    ...(ordered.length > 1 || req.target ? { trajectory: trajectoryOf(ordered, criterion, unitOf, req.target) } : {}),
    sources: {
      listed: referential !== undefined,
      datasets: (await loadDefaultPack()).manifest.licences.map((l) => ({ ...l })),
      layers: referential ? referentialLicences(referential) : [],
    },
  });
  return reportDataSchema.parse(data);
}

/** The campaigns' totals of one criterion, with the target's path and the forecast when a target is given. */
function trajectoryOf(
  campaigns: readonly Campaign[],
  criterion: string,
  unit: string,
  target: ReportRequest['target'],
): NonNullable<ReportData['trajectory']> {
  const year = (c: Campaign) => Number(c.doc.meta.period.start.slice(0, 4));
  const points = campaigns.map((c) => ({
    name: c.name,
    year: year(c),
    value: c.doc.totals.byCriterion.find((x) => x.criterion === criterion)?.value ?? 0,
  }));
  if (!target) return { criterion, unit, campaigns: points };
  const outcome = runTrajectory({
    documents: campaigns.map((c) => ({ name: c.name, document: c.doc })),
    baselineYear: target.baselineYear ?? Math.min(...points.map((p) => p.year)),
    targetYear: target.targetYear,
    reduction: target.reduction,
    shape: 'linear',
    criterion,
  });
  return {
    criterion,
    unit: outcome.unit,
    campaigns: outcome.campaigns.map((t) => ({
      name: outcome.sources.find((s) => s.year === t.year)?.name ?? String(t.year),
      year: t.year,
      value: t.value,
      target: t.target,
      gap: t.gap,
      status: t.status,
    })),
    target: {
      baselineYear: outcome.target.baseline.year,
      targetYear: outcome.target.targetYear,
      reduction: outcome.target.reduction,
      targetValue: outcome.targetValue,
      shape: outcome.target.shape,
    },
    ...(outcome.forecast.available ? { forecast: outcome.forecast.points.map((p) => ({ ...p })) } : {}),
  };
}
