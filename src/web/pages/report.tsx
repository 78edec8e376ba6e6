/**
 * The printable campaign report: title page, key figures, charts, top contributors, trajectory, data quality,
 * methodology and sources annex. `window.print()` with the print stylesheet (charts print with their tables shown).
 */
import { paths, toTrajectory, type TotalsDocument, type TrajectoryView } from '../api.js';
import { formatDate } from '../format.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async } from '../app/ui.js';
import { BreakdownCharts, KeyFigures, useBreakdowns } from './overview.js';
import { QualitySummary } from './quality.js';
import { ReferentialLayers } from './generic.js';
import { TrajectoryChart, TrajectoryTable } from './trajectory.js';

function Body({ doc }: { readonly doc: TotalsDocument }) {
  const { t, lang, campaign, organisation } = useApp();
  const b = useBreakdowns(campaign?.id ?? null, 'CLIMATE_CHANGE', doc);
  const trView = useGet<TrajectoryView>(organisation ? paths.trajectory(organisation.id) : null);
  const tr = trView.data ? toTrajectory(trView.data) : undefined;
  const r = doc.meta.referential;
  return (
    <article data-testid="report">
      <header class="report-title">
        <p>{organisation?.name}</p>
        <h1>
          {t('report.title')} — {campaign?.name}
        </h1>
        <p>
          {t('report.generated', {
            campaign: campaign?.name ?? '',
            date: formatDate(doc.meta.referenceDate, lang),
            referential: `${r.id} ${r.version}`,
          })}
        </p>
        <section aria-labelledby="kf">
          <h2 id="kf">{t('report.keyFigures')}</h2>
          <KeyFigures doc={doc} />
        </section>
      </header>
      <section class="report-section">
        {b.data ? (
          <BreakdownCharts b={b.data} t={t} lang={lang} tableMode="visible" exports={false} idPrefix="rp" />
        ) : null}
      </section>
      {tr && tr.campaigns.length > 0 ? (
        <section class="report-section card" aria-labelledby="rp-traj">
          <h2 id="rp-traj">{t('trajectory.title')}</h2>
          <TrajectoryChart tr={tr} t={t} lang={lang} tableMode="hidden" />
          <TrajectoryTable tr={tr} />
        </section>
      ) : null}
      <section class="report-section" aria-label={t('quality.title')}>
        <QualitySummary doc={doc} />
      </section>
      <section class="report-section card" aria-labelledby="rp-method">
        <h2 id="rp-method">{t('report.methodology')}</h2>
        <p>
          {t('report.methodologyText', {
            profile: doc.meta.profile,
            version: doc.meta.engine.version,
            referential: `${r.id} ${r.version}`,
            hash: r.hash.slice(0, 12),
          })}
        </p>
        <ReferentialLayers doc={doc} />
      </section>
    </article>
  );
}

export function ReportPage() {
  const { t, campaign } = useApp();
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  if (!campaign) return <h1>{t('report.title')}</h1>;
  return (
    <>
      <div class="row no-print">
        <button type="button" data-testid="print" onClick={() => window.print()}>
          {t('report.print')}
        </button>
      </div>
      <Async state={totals} notFound={t('error.noResults')}>
        {(doc) => <Body doc={doc} />}
      </Async>
    </>
  );
}
