/**
 * The printable campaign report: the very component tree of `empreinte report` (src/web/report/Report.tsx: title page,
 * key figures, charts with their tables, top contributors, trajectory, data quality, methodology and sources annex),
 * fed with the model built from the public API's documents (src/web/model/report.ts, the CLI's `reportModel`).
 * "Print" calls `window.print()`; the print stylesheet (styles.css) hides the shell and breaks after the title page.
 */
import {
  paths,
  type BreakdownsView,
  type Referential,
  type TotalsDocument,
  type TrajectoryView,
  type Upload,
} from '../api.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, Loading } from '../app/ui.js';
import { missingReportFields, reportFromApi } from '../model/report.js';
import { reportCriterion } from '../../outputs/report-model.js';
import { Report } from '../report/Report.js';

function Body({ doc }: { readonly doc: TotalsDocument }) {
  const { t, lang, campaign, organisation } = useApp();
  const criterion = reportCriterion(doc.meta.criteria);
  // The optional documents: a route the server lacks or refuses leaves its part out (the totals carry the rest).
  const breakdowns = useGet<BreakdownsView>(campaign ? paths.breakdowns(campaign.id, criterion) : null);
  const trajectory = useGet<TrajectoryView>(organisation ? paths.trajectory(organisation.id) : null);
  const uploads = useGet<Upload[]>(campaign ? paths.uploads(campaign.id) : null);
  const referentials = useGet<Referential[]>(paths.referentials());
  const missing = missingReportFields(doc);
  if (missing.length > 0)
    return (
      <p class="error" role="alert" data-testid="error-problem">
        {t('report.incomplete', { fields: missing.join(', ') })}
      </p>
    );
  if ([breakdowns, trajectory, uploads, referentials].some((s) => s.loading)) return <Loading />;
  const data = reportFromApi({
    campaign: campaign?.name ?? '',
    ...(organisation ? { organisation: organisation.name } : {}),
    totals: doc,
    ...(breakdowns.data ? { breakdowns: breakdowns.data } : {}),
    ...(trajectory.data ? { trajectory: trajectory.data } : {}),
    ...(uploads.data ? { uploads: uploads.data } : {}),
    ...(referentials.data ? { referentials: referentials.data } : {}),
  });
  return <Report data={data} lang={lang} />;
}

export function ReportPage() {
  const { t, campaign } = useApp();
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  if (!campaign) return <h1>{t('report.title')}</h1>;
  return (
    <div class="report-page">
      <div class="row no-print">
        <button type="button" data-testid="print" onClick={() => window.print()}>
          {t('report.print')}
        </button>
      </div>
      <Async state={totals} notFound={t('error.noResults')}>
        {(doc) => <Body doc={doc} />}
      </Async>
    </div>
  );
}
