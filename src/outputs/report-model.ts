/**
 * The campaign report's model (issue 15), pure: what the printable report shows, built from an assessment's result
 * document (`assess --format json`, with or without `--summary`; the server's stored totals document is the same) and
 * what comes beside it (the largest items, the rejected lines' reasons, the trajectory, the sources). Shared by the
 * CLI's report (src/app/report.ts assesses or reads the documents, then calls `reportModel`) and the dashboard's Report
 * page (src/web/pages/report.tsx, from the public API's documents): one model, one component tree (src/web/report).
 *
 * No I/O, no Node module, no zod (the dashboard's bundle imports it): src/app/report.ts validates the documents and the
 * model with its zod schemas, which are checked to have these very shapes. No arithmetic on the engine's results: every
 * number is copied from the result document, never recomputed.
 */

type Values = Record<string, number>;

/** The fields of a result document the report reads (src/app/report.ts validates them with zod). */
export interface ReportResultDocument {
  meta: {
    profile: string;
    referenceDate: string;
    period: { start: string; end: string };
    referential: { id: string; version: string; hash: string };
    criteria: string[];
    organisation?: string | undefined;
  };
  inventory: {
    file: string;
    kind?: string | undefined;
    read: number;
    imported: number;
    rejected: number;
    warnings: number;
    rejectsFile?: string | undefined;
  }[];
  totals: {
    byCriterion: {
      criterion: string;
      unit: string;
      value: number;
      byStep: Values;
      indicators: number;
      errors: number;
      peopleEquivalent?: number | undefined;
      perCollaborator?: number | undefined;
    }[];
    by: Record<string, Record<string, Values>>;
    electricity: { itKWh: number; facilityKWh: number };
    coverage: {
      indicators: number;
      computed: number;
      notCovered: {
        indicators: number;
        share: number;
        openReferentialOnly: boolean;
        byCriterion: Record<string, Values>;
      };
      toFix: {
        indicators: number;
        byCode: Record<
          string,
          {
            indicators: number;
            items: number;
            first: { item: string; file?: string | undefined; line?: number | undefined }[];
          }
        >;
      };
    };
    outOfPeriod: { items: number; quantity: number };
    items: Values;
    warnings: Values;
    collaborators?: number | undefined;
  };
}

type Breakdown = { key: string; values: Values }[];
type Text2 = { en: string; fr: string };

/** The report's data (src/app/report.ts's `reportDataSchema` has this shape). */
export interface ReportData {
  title: string;
  organisation?: string | undefined;
  campaign: { name: string; referenceDate: string; period: { start: string; end: string }; profile: string };
  referential: { id: string; version: string; hash: string };
  criteria: {
    criterion: string;
    unit: string;
    value: number;
    peopleEquivalent?: number | undefined;
    perCollaborator?: number | undefined;
    indicators: number;
    errors: number;
  }[];
  collaborators?: number | undefined;
  electricity: { itKWh: number; facilityKWh: number };
  items: Values;
  /** Splits per criterion: tier, type, lifecycle step (the step totals), entity, country. */
  breakdowns: { tier: Breakdown; type: Breakdown; step: Breakdown; entity: Breakdown; country: Breakdown };
  /** The largest items (when they are known) or, from a result document alone, the largest types. */
  top: {
    basis: 'items' | 'types';
    criterion: string;
    unit: string;
    rows: { name: string; type?: string | undefined; entity?: string | undefined; value: number }[];
  };
  /** The campaigns side by side, with the target's path when there is one (steering's trajectory). */
  trajectory?:
    | {
        criterion: string;
        unit: string;
        campaigns: {
          name: string;
          year: number;
          value: number;
          target?: number | null | undefined;
          gap?: number | null | undefined;
          status?: string | undefined;
        }[];
        target?:
          | { baselineYear: number; targetYear: number; reduction: number; targetValue: number; shape: string }
          | undefined;
        forecast?: { year: number; value: number; lower: number | null; upper: number | null }[] | undefined;
      }
    | undefined;
  quality: {
    files: {
      file: string;
      kind?: string | undefined;
      read: number;
      imported: number;
      rejected: number;
      warnings: number;
      rejectsFile?: string | undefined;
      /** The first rejected lines with their reason (when they are known). */
      reasons?: { line?: number | undefined; code: string; message: Text2 }[] | undefined;
    }[];
    /** Warning counts: the type's default reference item used for a model (`CALC_MODEL_FALLBACK`), default PUE… */
    warnings: Values;
    missingConsumptions: {
      indicators: number;
      items: number;
      first: { item: string; file?: string | undefined; line?: number | undefined }[];
    };
    notCovered: {
      indicators: number;
      share: number;
      openReferentialOnly: boolean;
      byCriterion: Record<string, Values>;
    };
    outOfPeriod: { items: number; quantity: number };
  };
  /**
   * The referential's sources and licences: the datasets and attributions the embedded pack declares, and the rows of
   * every layer per licence; `listed` false when they are not at hand (a result computed with another referential).
   */
  sources: {
    listed: boolean;
    datasets: { dataset: string; licence: string; attribution: string }[];
    layers: { layer: string; licence?: string | undefined; rows: number }[];
  };
}

/** How many items and rejected lines per file the report lists at most. */
export const REPORT_LIMITS = { topItems: 10, rejectsPerFile: 20 } as const;

export type ReportReason = NonNullable<ReportData['quality']['files'][number]['reasons']>[number];

/** One campaign as the report reads it: its result document and, when known, its largest items and rejected lines. */
export interface ReportCampaign {
  readonly name: string;
  readonly doc: ReportResultDocument;
  /** Per file, its first rejected lines with their reason. */
  readonly reasons?: ReadonlyMap<string, readonly ReportReason[]>;
  /** The largest items, largest first, with their per-criterion totals. */
  readonly topItems?: readonly { name: string; type?: string; entity?: string; values: Values }[];
}

export interface ReportModelInput {
  /** The campaign the report presents. */
  readonly main: ReportCampaign;
  /** Title page: default the organisation of the run, else "Empreinte". */
  readonly title?: string;
  /** The criterion of the top contributors and the splits (default CLIMATE_CHANGE, else the first). */
  readonly criterion?: string;
  readonly trajectory?: ReportData['trajectory'];
  readonly sources: ReportData['sources'];
}

/** The report's criterion: the one asked, else climate change when computed, else the first. */
export const reportCriterion = (criteria: readonly string[], asked?: string): string =>
  asked ?? (criteria.includes('CLIMATE_CHANGE') ? 'CLIMATE_CHANGE' : (criteria[0] ?? ''));

const sortedBreakdown = (m: Record<string, Values> | undefined, key: string): Breakdown =>
  Object.entries(m ?? {})
    .map(([k, v]) => ({ key: k, values: v }))
    .sort((a, b) => (b.values[key] ?? 0) - (a.values[key] ?? 0));

/** The report's data of one campaign and what comes beside it. */
export function reportModel(input: ReportModelInput): ReportData {
  const { main } = input;
  const { meta, totals, inventory } = main.doc;
  const criterion = reportCriterion(meta.criteria, input.criterion);
  const unitOf = totals.byCriterion.find((c) => c.criterion === criterion)?.unit ?? '';

  const steps = [...new Set(totals.byCriterion.flatMap((c) => Object.keys(c.byStep)))];
  const stepBreakdown = steps.map((s) => ({
    key: s,
    values: Object.fromEntries(
      totals.byCriterion.filter((c) => c.byStep[s] !== undefined).map((c) => [c.criterion, c.byStep[s]!]),
    ),
  }));

  const toFixElec = totals.coverage.toFix.byCode['CALC_ELECTRICITY_MISSING'];
  return {
    title: input.title ?? meta.organisation ?? 'Empreinte',
    ...(meta.organisation !== undefined ? { organisation: meta.organisation } : {}),
    campaign: {
      name: main.name,
      referenceDate: meta.referenceDate,
      period: { start: meta.period.start, end: meta.period.end },
      profile: meta.profile,
    },
    referential: { id: meta.referential.id, version: meta.referential.version, hash: meta.referential.hash },
    criteria: totals.byCriterion.map((c) => ({
      criterion: c.criterion,
      unit: c.unit,
      value: c.value,
      ...(c.peopleEquivalent !== undefined ? { peopleEquivalent: c.peopleEquivalent } : {}),
      ...(c.perCollaborator !== undefined ? { perCollaborator: c.perCollaborator } : {}),
      indicators: c.indicators,
      errors: c.errors,
    })),
    ...(totals.collaborators !== undefined ? { collaborators: totals.collaborators } : {}),
    electricity: { itKWh: totals.electricity.itKWh, facilityKWh: totals.electricity.facilityKWh },
    items: totals.items,
    breakdowns: {
      tier: sortedBreakdown(totals.by['tier'], criterion),
      type: sortedBreakdown(totals.by['type'], criterion),
      step: stepBreakdown,
      entity: sortedBreakdown(totals.by['entity'], criterion),
      country: sortedBreakdown(totals.by['country'], criterion),
    },
    top: main.topItems
      ? {
          basis: 'items',
          criterion,
          unit: unitOf,
          rows: main.topItems.slice(0, REPORT_LIMITS.topItems).map((t) => ({
            name: t.name,
            ...(t.type !== undefined ? { type: t.type } : {}),
            ...(t.entity !== undefined ? { entity: t.entity } : {}),
            value: t.values[criterion] ?? 0,
          })),
        }
      : {
          basis: 'types',
          criterion,
          unit: unitOf,
          rows: sortedBreakdown(totals.by['type'], criterion)
            .slice(0, REPORT_LIMITS.topItems)
            .map((t) => ({ name: t.key, value: t.values[criterion] ?? 0 })),
        },
    ...(input.trajectory ? { trajectory: input.trajectory } : {}),
    quality: {
      files: inventory.map((f) => ({
        file: f.file,
        ...(f.kind !== undefined ? { kind: f.kind } : {}),
        read: f.read,
        imported: f.imported,
        rejected: f.rejected,
        warnings: f.warnings,
        ...(f.rejectsFile !== undefined ? { rejectsFile: f.rejectsFile } : {}),
        // Reasons only for the files they are known of: none known reads "reasons not at hand", not "no reason".
        ...(main.reasons?.has(f.file)
          ? { reasons: main.reasons.get(f.file)!.slice(0, REPORT_LIMITS.rejectsPerFile) }
          : {}),
      })),
      warnings: totals.warnings,
      missingConsumptions: {
        indicators: toFixElec?.indicators ?? 0,
        items: toFixElec?.items ?? 0,
        first: (toFixElec?.first ?? []).map((f) => ({
          item: f.item,
          ...(f.file !== undefined ? { file: f.file } : {}),
          ...(f.line !== undefined ? { line: f.line } : {}),
        })),
      },
      notCovered: {
        indicators: totals.coverage.notCovered.indicators,
        share: totals.coverage.notCovered.share,
        openReferentialOnly: totals.coverage.notCovered.openReferentialOnly,
        byCriterion: totals.coverage.notCovered.byCriterion,
      },
      outOfPeriod: { items: totals.outOfPeriod.items, quantity: totals.outOfPeriod.quantity },
    },
    sources: input.sources,
  };
}
