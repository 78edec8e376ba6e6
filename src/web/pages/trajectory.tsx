/**
 * Trajectory: every campaign against the organisation's target line, the gap, on/off track, the forecast band and
 * the budget; campaigns computed with another referential version are flagged (like-for-like values on request when
 * the server gives them). The target is edited here (PUT /organisations/:id/target).
 */
import { useState } from 'preact/hooks';
import {
  ApiError,
  paths,
  toTrajectory,
  type TargetInput,
  type TargetView,
  type Trajectory,
  type TrajectoryView,
} from '../api.js';
import { TimeSeries, type TableMode } from '../components/charts/index.js';
import { formatPercent, formatQuantity, formatSigned, quantityFormatter, type Lang } from '../format.js';
import type { Translator } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

export function TrajectoryChart(p: {
  readonly tr: Trajectory;
  readonly t: Translator;
  readonly lang: Lang;
  readonly tableMode?: TableMode;
}) {
  const { tr, t, lang } = p;
  const measured = tr.campaigns.map((c) => ({ year: c.year, value: c.value }));
  const target = tr.targetLine;
  const points = tr.forecast?.available ? tr.forecast.points : [];
  const q = quantityFormatter(tr.unit, [...measured.map((m) => m.value), ...target.map((x) => x.value)], lang);
  return (
    <TimeSeries
      id="trajectory"
      testId="chart-trajectory"
      title={`${t('trajectory.title')} (${q.display.unit})`}
      tableLabel={t('chart.table')}
      tableMode={p.tableMode}
      measured={measured}
      target={target}
      forecast={points.map((f) => ({ year: f.year, value: f.value }))}
      band={points
        .filter((f) => f.lower !== null && f.upper !== null)
        .map((f) => ({ year: f.year, lower: f.lower!, upper: f.upper! }))}
      format={q.format}
      formatTick={q.formatNumber}
      labels={{
        year: t('common.year'),
        measured: t('chart.measured'),
        target: t('chart.target'),
        forecast: t('chart.forecast'),
        lower: t('chart.lower'),
        upper: t('chart.upper'),
      }}
    />
  );
}

function TargetForm({ current, onSaved }: { readonly current: TargetView | undefined; readonly onSaved: () => void }) {
  const { t, api, organisation, campaigns } = useApp();
  const firstYear = campaigns[0]?.referenceDate.slice(0, 4) ?? String(new Date().getFullYear() - 1);
  const [f, setF] = useState({
    baseYear: String(current?.baseYear ?? firstYear),
    targetYear: String(current?.targetYear ?? 2030),
    reduction: String(current ? Math.round(-current.reduction * 1000) / 10 : 30),
    shape: current?.shape ?? 'linear',
    budget: current?.budget !== undefined && current.budget !== null ? String(current.budget) : '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  if (!organisation) return null;
  const input = (key: keyof typeof f, label: string) => (
    <label>
      {label}
      <input
        type="number"
        required={key !== 'budget'}
        step="any"
        value={f[key]}
        data-testid={`target-${key}`}
        onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <form
      class="row"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        const body: TargetInput = {
          criterion: 'CLIMATE_CHANGE',
          baseYear: Number(f.baseYear),
          targetYear: Number(f.targetYear),
          reduction: -Number(f.reduction) / 100,
          shape: f.shape as TargetInput['shape'],
          budget: f.budget !== '' ? Number(f.budget) : null,
        };
        try {
          await api.put(paths.target(organisation.id), body);
          onSaved();
        } catch (err) {
          setError(err instanceof ApiError ? err : null);
        }
      }}
    >
      {input('baseYear', t('trajectory.baselineYear'))}
      {input('targetYear', t('trajectory.targetYear'))}
      {input('reduction', t('trajectory.reduction'))}
      <label>
        {t('trajectory.shape')}
        <select
          value={f.shape}
          onChange={(e) => setF({ ...f, shape: (e.target as HTMLSelectElement).value as 'linear' })}
        >
          <option value="linear">{t('trajectory.shape.linear')}</option>
          <option value="constant-rate">{t('trajectory.shape.constant-rate')}</option>
        </select>
      </label>
      {input('budget', t('trajectory.budget'))}
      <button type="submit" data-testid="target-save">
        {t('common.save')}
      </button>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}

export function TrajectoryTable({ tr }: { readonly tr: Trajectory }) {
  const { t, lang } = useApp();
  return (
    <DataTable
      caption={t('trajectory.gap')}
      testId="trajectory-table"
      columns={[
        { key: 'year', label: t('common.year') },
        { key: 'value', label: t('chart.measured'), numeric: true },
        { key: 'target', label: t('chart.target'), numeric: true },
        { key: 'gap', label: t('trajectory.gap'), numeric: true },
        { key: 'status', label: t('trajectory.status') },
      ]}
      rows={tr.campaigns.map((c) => ({
        year: `${c.year} (${c.name})${c.referentialDiffers ? ` — ${t('trajectory.referentialFlag', { version: c.referentialVersion ?? '' })}` : ''}`,
        value: { text: formatQuantity(c.value, tr.unit, lang), value: c.value },
        target: c.target === null ? '' : { text: formatQuantity(c.target, tr.unit, lang), value: c.target },
        gap:
          c.gap === null
            ? ''
            : {
                text: `${formatSigned(c.gap, lang)} ${tr.unit}${c.relativeGap !== null ? ` (${formatPercent(c.relativeGap, lang)})` : ''}`,
                value: c.gap,
              },
        status: { text: c.status ? t(`trajectory.status.${c.status}`) : '' },
      }))}
    />
  );
}

export function TrajectoryPage() {
  const { t, lang, organisation } = useApp();
  const [likeForLike, setLikeForLike] = useState(false);
  const view = useGet<TrajectoryView>(organisation ? paths.trajectory(organisation.id, likeForLike) : null);
  const target = useGet<TargetView>(organisation ? paths.target(organisation.id) : null);
  return (
    <>
      <h1>{t('trajectory.title')}</h1>
      <Async state={view} notFound={t('trajectory.noTarget')}>
        {(v) => {
          const data = toTrajectory(v);
          return (
            <Section
              title={t('trajectory.title')}
              tools={
                <CsvButton
                  testId="export-csv-trajectory"
                  table={{
                    title: t('trajectory.title'),
                    header: [
                      t('common.year'),
                      t('common.name'),
                      t('chart.measured'),
                      t('chart.target'),
                      t('trajectory.gap'),
                      t('trajectory.status'),
                      t('referential.version'),
                    ],
                    rows: data.campaigns.map((c) => [
                      c.year,
                      c.name,
                      c.value,
                      c.target,
                      c.gap,
                      c.status,
                      c.referentialVersion,
                    ]),
                  }}
                />
              }
            >
              <label>
                <input
                  type="checkbox"
                  data-testid="like-for-like"
                  checked={likeForLike}
                  onChange={() => setLikeForLike(!likeForLike)}
                />{' '}
                {t('trajectory.likeForLike')}
              </label>
              {data.hasTarget ? null : <p class="notice">{t('trajectory.noTarget')}</p>}
              <TrajectoryChart tr={data} t={t} lang={lang} />
              <TrajectoryTable tr={data} />
              {data.forecast?.available ? (
                <p data-testid="trajectory-reached">
                  {data.forecast.reachedYear !== null
                    ? t('trajectory.reached', { year: Math.ceil(data.forecast.reachedYear) })
                    : t('trajectory.notReached')}
                </p>
              ) : null}
              {data.budget ? (
                <p>
                  {t('trajectory.budgetSummary', {
                    emitted: formatQuantity(data.budget.emittedSoFar, data.unit, lang),
                    budget: formatQuantity(data.budget.budget, data.unit, lang),
                    remaining: formatQuantity(data.budget.remaining, data.unit, lang),
                  })}
                </p>
              ) : null}
            </Section>
          );
        }}
      </Async>
      {organisation && target.error?.kind !== 'unavailable' ? (
        <Section title={t('trajectory.target')}>
          {target.loading ? null : (
            <TargetForm
              current={target.data}
              onSaved={() => {
                target.reload();
                view.reload();
              }}
            />
          )}
        </Section>
      ) : null}
    </>
  );
}
