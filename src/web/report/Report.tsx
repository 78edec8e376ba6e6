/**
 * The campaign report (issue 15): title page, key figures, breakdown charts with their tables, top contributors,
 * trajectory, data quality and the methodology and sources annex. Pure: `ReportData` (src/outputs/report-model.ts)
 * and a language in, markup out. The CLI renders it into one self-contained HTML file (`renderReportHtml`); the
 * dashboard's Report page renders the same component and prints it.
 */
import type { ReportData } from '../../outputs/report-model.js';
import { HBarChart } from '../components/charts/index.js';
import { column, count, date, number, percent, quantity } from './format.js';
import { label, words, type ReportLang } from './i18n.js';
import { TrajectoryChart } from './TrajectoryChart.js';

export interface ReportProps {
  readonly data: ReportData;
  readonly lang: ReportLang;
}

export function Report({ data, lang }: ReportProps) {
  const w = words(lang);
  const main = data.criteria.find((c) => c.criterion === data.top.criterion) ?? data.criteria[0];
  const split = (id: string, title: string, rows: ReportData['breakdowns']['tier'], item: string) => {
    if (!main || rows.length === 0) return null;
    const data = rows.map((r) => ({ label: label(r.key, lang), value: r.values[main.criterion] ?? 0 }));
    const f = column(
      data.map((d) => d.value),
      main.unit,
      lang,
    );
    return (
      <HBarChart
        id={id}
        testId={`chart-${id}`}
        title={`${title} — ${label(main.criterion, lang)} (${f.display.unit})`}
        tableLabel={w.chartTable}
        tableMode="visible"
        single
        data={data}
        format={f.format}
        labelHeader={item}
        valueHeader={`${w.value} (${main.unit})`}
        share={{ header: w.share, format: (s) => percent(s, lang) }}
      />
    );
  };
  const warnings = data.quality.warnings;
  return (
    <article class="report" lang={lang} data-testid="report">
      <section class="title-page" data-testid="report-title-page">
        <p class="kicker">{w.reportTitle}</p>
        <h1>{data.title}</h1>
        <dl class="facts">
          <dt>{w.campaign}</dt>
          <dd>{data.campaign.name}</dd>
          <dt>{w.referenceDate}</dt>
          <dd data-testid="report-reference-date">{date(data.campaign.referenceDate, lang)}</dd>
          <dt>{w.period}</dt>
          <dd>
            {date(data.campaign.period.start, lang)} – {date(data.campaign.period.end, lang)}
          </dd>
          <dt>{w.profile}</dt>
          <dd>{data.campaign.profile}</dd>
          <dt>{w.referential}</dt>
          <dd data-testid="report-referential">
            {data.referential.id}, {w.version} {data.referential.version}
            <br />
            <span class="hash">
              {w.hash} {data.referential.hash}
            </span>
          </dd>
        </dl>
        {main && (
          <p class="headline" data-testid="report-headline">
            <span class="headline-label">{label(main.criterion, lang)}</span>
            <span class="headline-value" data-testid="report-headline-value" data-value={String(main.value)}>
              {quantity(main.value, main.unit, lang)}
            </span>
          </p>
        )}
        <p class="note">{w.generatedBy}</p>
      </section>

      <section aria-labelledby="key-figures" data-testid="report-key-figures">
        <h2 id="key-figures">{w.keyFigures}</h2>
        <table>
          <caption class="visually-hidden">{w.keyFigures}</caption>
          <thead>
            <tr>
              <th scope="col">{w.criterion}</th>
              <th scope="col">{w.total}</th>
              <th scope="col">{w.peopleEquivalent}</th>
              <th scope="col">{w.perCollaborator}</th>
              <th scope="col">{w.indicatorsInError}</th>
            </tr>
          </thead>
          <tbody>
            {data.criteria.map((c) => (
              <tr key={c.criterion}>
                <th scope="row">{label(c.criterion, lang)}</th>
                <td class="num" data-testid={`report-key-figure-${c.criterion}`} data-value={String(c.value)}>
                  {quantity(c.value, c.unit, lang)}
                </td>
                <td class="num" data-value={c.peopleEquivalent === undefined ? undefined : String(c.peopleEquivalent)}>
                  {c.peopleEquivalent === undefined ? '—' : number(c.peopleEquivalent, lang)}
                </td>
                <td class="num">{c.perCollaborator === undefined ? '—' : quantity(c.perCollaborator, c.unit, lang)}</td>
                <td class="num">
                  {count(c.errors, lang)} / {count(c.indicators, lang)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="facts">
          <dt>{w.electricity}</dt>
          <dd>
            {w.itKWh} :{' '}
            <span data-testid="report-kwh" data-value={String(data.electricity.itKWh)}>
              {quantity(data.electricity.itKWh, 'kWh', lang)}
            </span>{' '}
            — {w.facilityKWh} : {quantity(data.electricity.facilityKWh, 'kWh', lang)}
          </dd>
          {data.collaborators !== undefined && (
            <>
              <dt>{w.collaborators}</dt>
              <dd>{count(data.collaborators, lang)}</dd>
            </>
          )}
          <dt>{w.items}</dt>
          <dd>
            {Object.entries(data.items)
              .map(([k, n]) => `${label(k, lang)} : ${count(n, lang)}`)
              .join(' ; ')}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="charts" data-testid="report-charts">
        <h2 id="charts">{w.charts}</h2>
        {split('tier', w.byTier, data.breakdowns.tier, w.type)}
        {split('type', w.byType, data.breakdowns.type, w.type)}
        {split('step', w.byStep, data.breakdowns.step, w.step)}
        {split('entity', w.byEntity, data.breakdowns.entity, w.entity)}
        {split('country', w.byCountry, data.breakdowns.country, w.name)}
      </section>

      <section aria-labelledby="top" data-testid="report-top">
        <h2 id="top">{w.top}</h2>
        <TopTable data={data} lang={lang} />
      </section>

      {data.trajectory && (
        <section aria-labelledby="trajectory" data-testid="report-trajectory">
          <h2 id="trajectory">
            {w.trajectory} — {label(data.trajectory.criterion, lang)}
          </h2>
          <p>
            {data.trajectory.target
              ? w.targetLine(
                  percent(data.trajectory.target.reduction, lang),
                  data.trajectory.target.baselineYear,
                  data.trajectory.target.targetYear,
                  quantity(data.trajectory.target.targetValue, data.trajectory.unit, lang),
                )
              : w.noTarget}
          </p>
          <TrajectoryChart trajectory={data.trajectory} lang={lang} w={w} />
        </section>
      )}

      <section aria-labelledby="quality" data-testid="report-quality">
        <h2 id="quality">{w.quality}</h2>
        <h3>{w.toFix}</h3>
        <table data-testid="report-files">
          <caption>{w.files}</caption>
          <thead>
            <tr>
              <th scope="col">{w.file}</th>
              <th scope="col">{w.read}</th>
              <th scope="col">{w.imported}</th>
              <th scope="col">{w.rejected}</th>
              <th scope="col">{w.warnings}</th>
            </tr>
          </thead>
          <tbody>
            {data.quality.files.map((f) => (
              <tr key={f.file}>
                <th scope="row">{f.file}</th>
                <td class="num">{count(f.read, lang)}</td>
                <td class="num">{count(f.imported, lang)}</td>
                <td class="num">{count(f.rejected, lang)}</td>
                <td class="num">{count(f.warnings, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Rejects data={data} lang={lang} />
        <h4>{w.defaultFactors}</h4>
        <ul>
          <li>
            {w.modelFallback} : {count(warnings['CALC_MODEL_FALLBACK'] ?? 0, lang)}
          </li>
          <li>
            {w.defaultPue} : {count(warnings['CALC_DEFAULT_PUE'] ?? 0, lang)}
          </li>
        </ul>
        <h4>{w.missingConsumptions}</h4>
        <p data-testid="report-missing-consumptions">
          {w.missingConsumptionsText(
            count(data.quality.missingConsumptions.items, lang),
            count(data.quality.missingConsumptions.indicators, lang),
          )}
          {data.quality.missingConsumptions.first.length > 0 &&
            ' ' +
              data.quality.missingConsumptions.first
                .map((f) => (f.file && f.line !== undefined ? `${f.item} (${f.file}:${f.line})` : f.item))
                .join(', ')}
        </p>
        {data.quality.outOfPeriod.items > 0 && (
          <p>
            {w.outOfPeriod(count(data.quality.outOfPeriod.items, lang), count(data.quality.outOfPeriod.quantity, lang))}
          </p>
        )}
        <h3>{w.notCovered}</h3>
        <p data-testid="report-not-covered">
          {w.notCoveredText(
            count(data.quality.notCovered.indicators, lang),
            percent(data.quality.notCovered.share, lang),
          )}
        </p>
        <NotCovered data={data} lang={lang} />
      </section>

      <section aria-labelledby="annex" class="annex" data-testid="report-annex">
        <h2 id="annex">{w.annex}</h2>
        <p>{w.method}</p>
        <h3>{w.sources}</h3>
        <table data-testid="report-datasets">
          <caption>{w.datasets}</caption>
          <thead>
            <tr>
              <th scope="col">{w.dataset}</th>
              <th scope="col">{w.licence}</th>
              <th scope="col">{w.attribution}</th>
            </tr>
          </thead>
          <tbody>
            {data.sources.datasets.map((d) => (
              <tr key={d.dataset}>
                <th scope="row">{d.dataset}</th>
                <td>{d.licence}</td>
                <td class="source">{d.attribution}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.sources.listed ? (
          <table data-testid="report-sources">
            <caption>{w.layers}</caption>
            <thead>
              <tr>
                <th scope="col">{w.layer}</th>
                <th scope="col">{w.licence}</th>
                <th scope="col">{w.rows}</th>
              </tr>
            </thead>
            <tbody>
              {data.sources.layers.map((s) => (
                <tr key={`${s.layer}|${s.licence ?? ''}`}>
                  <th scope="row">{s.layer}</th>
                  <td>{s.licence ?? '—'}</td>
                  <td class="num">{count(s.rows, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{w.sourcesUnlisted}</p>
        )}
      </section>
    </article>
  );
}

function TopTable({ data, lang }: ReportProps) {
  const w = words(lang);
  const t = data.top;
  const f = column(
    t.rows.map((r) => r.value),
    t.unit,
    lang,
  );
  return (
    <table data-testid="report-top-table">
      <caption>
        {t.basis === 'items' ? w.topItems : w.topTypes} — {label(t.criterion, lang)}
      </caption>
      <thead>
        <tr>
          <th scope="col">{w.name}</th>
          {t.basis === 'items' && <th scope="col">{w.type}</th>}
          {t.basis === 'items' && <th scope="col">{w.entity}</th>}
          <th scope="col" class="num">
            {w.value} ({f.display.unit})
          </th>
        </tr>
      </thead>
      <tbody>
        {t.rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            {t.basis === 'items' && <td>{r.type ?? '—'}</td>}
            {t.basis === 'items' && <td>{r.entity ?? '—'}</td>}
            <td class="num" data-value={String(r.value)}>
              {f.formatNumber(r.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Rejects({ data, lang }: ReportProps) {
  const w = words(lang);
  const rejected = data.quality.files.filter((f) => f.rejected > 0);
  if (rejected.length === 0) return <p data-testid="report-rejects">{w.noRejects}</p>;
  return (
    <div data-testid="report-rejects">
      <h4>{w.rejectedLines}</h4>
      {rejected.map((f) =>
        f.reasons === undefined ? (
          <p key={f.file}>
            {f.file} : {count(f.rejected, lang)} — {w.reasonsUnknown}
            {f.rejectsFile ? ` ${w.rejectsFile} : ${f.rejectsFile}` : ''}
          </p>
        ) : (
          <table key={f.file}>
            <caption>
              {f.file} — {count(f.rejected, lang)} {w.rejected.toLowerCase()}
            </caption>
            <thead>
              <tr>
                <th scope="col">{w.line}</th>
                <th scope="col">{w.code}</th>
                <th scope="col">{w.reason}</th>
              </tr>
            </thead>
            <tbody>
              {f.reasons.map((r, i) => (
                <tr key={i}>
                  <td class="num">{r.line ?? '—'}</td>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td>{r.message[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ),
      )}
    </div>
  );
}

function NotCovered({ data, lang }: ReportProps) {
  const w = words(lang);
  const by = data.quality.notCovered.byCriterion;
  const criteria = Object.keys(by);
  if (criteria.length === 0) return <p>{w.none}</p>;
  const steps = [...new Set(criteria.flatMap((c) => Object.keys(by[c]!)))];
  return (
    <table data-testid="report-not-covered-table">
      <caption>
        {w.notCovered} — {w.indicators}
      </caption>
      <thead>
        <tr>
          <th scope="col">{w.criterion}</th>
          {steps.map((s) => (
            <th scope="col" key={s}>
              {label(s, lang)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {criteria.map((c) => (
          <tr key={c}>
            <th scope="row">{label(c, lang)}</th>
            {steps.map((s) => (
              <td class="num" key={s}>
                {count(by[c]![s] ?? 0, lang)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
