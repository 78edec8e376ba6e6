/**
 * The campaigns of one criterion over the years: the dashboard's time series (measured values, the target's path from
 * the baseline to the target year, the forecast and its band, with its data table), then the gap and status of each
 * campaign against the target. Pure: props in, markup out.
 */
import type { ReportData } from '../../outputs/report-model.js';
import { TimeSeries } from '../components/charts/index.js';
import { DataTable } from '../components/data-table.js';
import { column } from './format.js';
import type { ReportLang, ReportWords } from './i18n.js';

export interface TrajectoryChartProps {
  readonly trajectory: NonNullable<ReportData['trajectory']>;
  readonly lang: ReportLang;
  readonly w: ReportWords;
}

export function TrajectoryChart({ trajectory: t, lang, w }: TrajectoryChartProps) {
  const target = t.target
    ? [
        { year: t.target.baselineYear, value: t.campaigns.find((c) => c.year === t.target!.baselineYear)?.value ?? 0 },
        { year: t.target.targetYear, value: t.target.targetValue },
      ]
    : [];
  const forecast = t.forecast ?? [];
  const f = column(
    [...t.campaigns.map((c) => c.value), ...target.map((p) => p.value), ...forecast.map((p) => p.value)],
    t.unit,
    lang,
  );
  return (
    <>
      <TimeSeries
        id="trajectory-chart"
        testId="chart-trajectory"
        title={`${w.trajectory} (${f.display.unit})`}
        tableLabel={w.chartTable}
        tableMode="visible"
        measured={t.campaigns.map((c) => ({ year: c.year, value: c.value }))}
        target={target}
        forecast={forecast.map((p) => ({ year: p.year, value: p.value }))}
        band={forecast.flatMap((p) =>
          p.lower !== null && p.upper !== null ? [{ year: p.year, lower: p.lower, upper: p.upper }] : [],
        )}
        format={f.format}
        formatTick={f.formatNumber}
        labels={{
          year: w.year,
          measured: w.campaign,
          target: w.target,
          forecast: w.forecast,
          lower: w.lower,
          upper: w.upper,
        }}
      />
      <DataTable
        testId="report-trajectory-table"
        caption={`${w.trajectory} — ${w.campaign}`}
        columns={[
          { key: 'name', label: w.campaign },
          { key: 'year', label: w.year },
          { key: 'value', label: `${w.value} (${f.display.unit})`, numeric: true },
          ...(t.target
            ? [
                { key: 'target', label: `${w.target} (${f.display.unit})`, numeric: true },
                { key: 'gap', label: `${w.gap} (${f.display.unit})`, numeric: true },
                { key: 'status', label: w.status },
              ]
            : []),
        ]}
        rows={t.campaigns.map((c) => ({
          name: c.name,
          year: String(c.year),
          value: { text: f.formatNumber(c.value), value: c.value },
          target: c.target == null ? '—' : { text: f.formatNumber(c.target), value: c.target },
          gap: c.gap == null ? '—' : { text: f.formatNumber(c.gap), value: c.gap },
          status: c.status === 'on-track' ? w.onTrack : c.status === 'off-track' ? w.offTrack : w.baseline,
        }))}
      />
    </>
  );
}
