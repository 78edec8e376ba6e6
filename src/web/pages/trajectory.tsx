/**
 * Trajectory: every campaign against the organisation's target line, the gap, on/off track, the forecast band and
 * the budget; campaigns computed with another referential version are flagged (like-for-like values on request when
 * the server gives them). The target is edited here (PUT /organisations/:id/target).
 */
import { useState } from 'preact/hooks';
import { ApiError, paths, type TargetInput, type Trajectory } from '../api.js';
import { TimeSeries, type TableMode } from '../components/charts/index.js';
import { formatPercent, formatQuantity, formatSigned, quantityFormatter, type Lang } from '../format.js';
import type { Translator } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

const UNIT = 'kg CO2 eq';

export function TrajectoryChart(p: {
  readonly tr: Trajectory;
  readonly t: Translator;
  readonly lang: Lang;
  readonly likeForLike?: boolean;
  readonly tableMode?: TableMode;
}) {
  const { tr, t, lang } = p;
  const measured = tr.campaigns.map((c) => ({
    year: c.year,
    value: p.likeForLike && c.likeForLikeValue !== undefined ? c.likeForLikeValue : c.value,
  }));
  const target = [
    { year: tr.target.baseline.year, value: tr.target.baseline.value },
    { year: tr.target.targetYear, value: tr.targetValue },
  ];
  const points = tr.forecast.available ? tr.forecast.points : [];
  const q = quantityFormatter(UNIT, [...measured.map((m) => m.value), tr.target.baseline.value], lang);
  return (
    <TimeSeries
      id="trajectory"
      testId="chart-trajectory"
      title={t('trajectory.title')}
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

function TargetForm({ current, onSaved }: { readonly current: TargetInput | undefined; readonly onSaved: () => void }) {
  const { t, api, organisation } = useApp();
  const [f, setF] = useState({
    baselineYear: String(current?.baseline.year ?? new Date().getFullYear() - 1),
    baselineValue: String(current?.baseline.value ?? ''),
    targetYear: String(current?.targetYear ?? 2030),
    reduction: String(current ? -current.reduction * 100 : 30),
    shape: current?.shape ?? 'linear',
    budget: current?.budget !== undefined ? String(current.budget) : '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  if (!organisation) return null;
  const input = (key: keyof typeof f, label: string, type = 'number') => (
    <label>
      {label}
      <input
        type={type}
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
          baseline: { year: Number(f.baselineYear), value: Number(f.baselineValue) },
          targetYear: Number(f.targetYear),
          reduction: -Number(f.reduction) / 100,
          shape: f.shape as TargetInput['shape'],
          ...(f.budget !== '' ? { budget: Number(f.budget) } : {}),
        };
        try {
          await api.put(paths.target(organisation.id), body);
          onSaved();
        } catch (err) {
          setError(err instanceof ApiError ? err : null);
        }
      }}
    >
      {input('baselineYear', t('trajectory.baselineYear'))}
      {input('baselineValue', t('trajectory.baselineValue'))}
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
        year: `${c.year}${c.referentialVersion && c.referentialVersion !== tr.campaigns[tr.campaigns.length - 1]?.referentialVersion ? ` (${t('trajectory.referentialFlag', { version: c.referentialVersion })})` : ''}`,
        value: { text: formatQuantity(c.value, UNIT, lang), value: c.value },
        target: c.target === null ? '' : { text: formatQuantity(c.target, UNIT, lang), value: c.target },
        gap:
          c.gap === null
            ? ''
            : {
                text: `${formatSigned(c.gap, lang)} kg${c.relativeGap !== null ? ` (${formatPercent(c.relativeGap, lang)})` : ''}`,
                value: c.gap,
              },
        status: { text: t(`trajectory.status.${c.status}`) },
      }))}
    />
  );
}

export function TrajectoryPage() {
  const { t, lang, organisation } = useApp();
  const [likeForLike, setLikeForLike] = useState(false);
  const tr = useGet<Trajectory>(organisation ? paths.trajectory(organisation.id) : null);
  const target = useGet<TargetInput>(organisation ? paths.target(organisation.id) : null);
  return (
    <>
      <h1>{t('trajectory.title')}</h1>
      <Async state={tr} notFound={t('trajectory.noTarget')}>
        {(data) => (
          <Section
            title={t('trajectory.title')}
            tools={
              <CsvButton
                testId="export-csv-trajectory"
                table={{
                  title: t('trajectory.title'),
                  header: [
                    t('common.year'),
                    t('chart.measured'),
                    t('chart.target'),
                    t('trajectory.gap'),
                    t('trajectory.status'),
                  ],
                  rows: data.campaigns.map((c) => [c.year, c.value, c.target, c.gap, c.status]),
                }}
              />
            }
          >
            <label>
              <input type="checkbox" checked={likeForLike} onChange={() => setLikeForLike(!likeForLike)} />{' '}
              {t('trajectory.likeForLike')}
            </label>
            <TrajectoryChart tr={data} t={t} lang={lang} likeForLike={likeForLike} />
            <TrajectoryTable tr={data} />
            {data.forecast.available ? (
              <p data-testid="trajectory-reached">
                {data.forecast.reachedYear !== null
                  ? t('trajectory.reached', { year: Math.ceil(data.forecast.reachedYear) })
                  : t('trajectory.notReached')}
              </p>
            ) : null}
            {data.budget ? (
              <p>
                {t('trajectory.budgetSummary', {
                  emitted: formatQuantity(data.budget.emittedSoFar, UNIT, lang),
                  budget: formatQuantity(data.budget.budget, UNIT, lang),
                  remaining: formatQuantity(data.budget.remaining, UNIT, lang),
                })}
              </p>
            ) : null}
          </Section>
        )}
      </Async>
      {organisation && !(target.error?.kind === 'unavailable') ? (
        <Section title={t('trajectory.target')}>
          {target.loading ? null : (
            <TargetForm
              current={target.data}
              onSaved={() => {
                target.reload();
                tr.reload();
              }}
            />
          )}
        </Section>
      ) : null}
    </>
  );
}
