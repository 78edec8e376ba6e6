/**
 * The campaign report's model from the public API's documents (issue 15): the same `reportModel` as the CLI's
 * `empreinte report` (src/outputs/report-model.ts), fed with the campaign's totals document (the stored
 * `assess --summary --format json` document), its largest items (breakdowns), its uploads' rejected lines, the
 * organisation's trajectory and the server's referential packs. Pure: documents in, `ReportData` out.
 */
import {
  reportCriterion,
  reportModel,
  type ReportData,
  type ReportResultDocument,
} from '../../outputs/report-model.js';
import type { BreakdownsView, Referential, TotalsDocument, TrajectoryView, Upload } from '../api.js';

export interface ReportSources {
  /** The campaign's name and the organisation's (the title page). */
  readonly campaign: string;
  readonly organisation?: string;
  readonly totals: TotalsDocument;
  readonly breakdowns?: BreakdownsView;
  readonly trajectory?: TrajectoryView;
  readonly uploads?: readonly Upload[];
  readonly referentials?: readonly Referential[];
}

/** The fields the report needs that a totals document may lack (an old document): named, or none missing. */
export function missingReportFields(doc: TotalsDocument): string[] {
  const missing: string[] = [];
  if (doc.meta.period === undefined) missing.push('meta.period');
  if (doc.totals.electricity === undefined) missing.push('totals.electricity');
  if (doc.totals.coverage === undefined) missing.push('totals.coverage');
  if ((doc.totals as { outOfPeriod?: unknown }).outOfPeriod === undefined) missing.push('totals.outOfPeriod');
  if ((doc.totals as { items?: unknown }).items === undefined) missing.push('totals.items');
  return missing;
}

/** The trajectory of the report from the server's view: the campaigns in it, the target and the forecast. */
export function reportTrajectory(v: TrajectoryView): ReportData['trajectory'] {
  const campaigns = v.campaigns
    .filter((c) => c.total !== null && c.inTrajectory !== false)
    .map((c) => ({
      name: c.name,
      year: c.year,
      value: c.total!,
      target: c.target,
      gap: c.gap,
      ...(c.status !== null ? { status: c.status } : {}),
    }));
  if (campaigns.length === 0 || (campaigns.length < 2 && v.target === null)) return undefined;
  const t = v.target;
  return {
    criterion: v.criterion,
    unit: v.unit ?? '',
    campaigns,
    ...(t !== null && v.targetValue != null
      ? {
          target: {
            baselineYear: t.baseYear,
            targetYear: t.targetYear,
            reduction: t.reduction,
            targetValue: v.targetValue,
            shape: t.shape,
          },
        }
      : {}),
    ...(v.forecast?.available ? { forecast: v.forecast.points.map((p) => ({ ...p })) } : {}),
  };
}

/**
 * The sources annex from the server's packs: the datasets and attributions of the campaign's referential pack and the
 * rows of each of its files per licence (the CLI counts the loaded referential's rows per layer and licence instead).
 */
export function reportSourcesOf(doc: TotalsDocument, packs: readonly Referential[] | undefined): ReportData['sources'] {
  const layers = new Set(doc.meta.referential.layers.map((l) => l.name));
  const pack = (packs ?? []).find((p) => p.id === doc.meta.referential.id || layers.has(`embedded:${p.id}`));
  if (pack === undefined) return { listed: false, datasets: [], layers: [] };
  return {
    listed: (pack.files ?? []).length > 0,
    datasets: (pack.licences ?? []).map((l) => ({
      dataset: l.dataset,
      licence: l.licence,
      attribution: l.attribution,
    })),
    layers: (pack.files ?? []).map((f) => ({ layer: `${pack.id} · ${f.path}`, licence: f.licence, rows: f.rows })),
  };
}

/**
 * The rejected lines of each file from its upload's report, when they are the assessment's: the upload refused as
 * many lines as the assessment did (an upload is checked alone; the assessment reads the files together).
 */
function reasonsOf(doc: TotalsDocument, uploads: readonly Upload[] | undefined) {
  if (uploads === undefined) return undefined;
  const out = new Map<string, { line?: number; code: string; message: { en: string; fr: string } }[]>();
  for (const f of doc.inventory) {
    const u = uploads.find((x) => x.fileName === f.file);
    if (u === undefined || u.report.rejected !== f.rejected) continue;
    out.set(
      f.file,
      u.report.issues
        .filter((i) => i.severity === 'R')
        .map((i) => ({
          ...(i.line !== undefined ? { line: i.line } : {}),
          code: i.code,
          // The server writes its messages in English; the code beside each reason reads in any language.
          message: { en: i.message, fr: i.message },
        })),
    );
  }
  return out;
}

/** The report of one campaign from the API's documents. */
export function reportFromApi(s: ReportSources): ReportData {
  const doc = s.totals;
  const criterion = reportCriterion(doc.meta.criteria);
  const b = s.breakdowns?.criterion === criterion ? s.breakdowns : undefined;
  const reasons = reasonsOf(doc, s.uploads);
  const trajectory = s.trajectory && s.trajectory.criterion === criterion ? reportTrajectory(s.trajectory) : undefined;
  return reportModel({
    main: {
      name: s.campaign,
      // The stored totals document is the one `assess --summary --format json` writes (missingReportFields checks
      // the fields an older document could lack before this is called).
      doc: doc as unknown as ReportResultDocument,
      ...(reasons ? { reasons } : {}),
      ...(b
        ? {
            topItems: b.top.map((t) => ({
              name: t.name,
              ...(t.type !== null ? { type: t.type } : {}),
              values: { [criterion]: t.value },
            })),
          }
        : {}),
    },
    ...(s.organisation !== undefined ? { title: s.organisation } : {}),
    criterion,
    ...(trajectory ? { trajectory } : {}),
    sources: reportSourcesOf(doc, s.referentials),
  });
}
