/**
 * The campaigns of one criterion over the years in plain SVG: the campaigns' values (solid line, round marks), the
 * target's path from the baseline to the target year (dashed line, square marks) and the forecast (dotted line). The
 * data table is the text alternative. Pure: props in, markup out.
 */
import type { ReportData } from '../../app/report.js';
import type { ReportLang, ReportWords } from './i18n.js';
import { scaled, scaleOf } from './format.js';

export interface TrajectoryChartProps {
  readonly trajectory: NonNullable<ReportData['trajectory']>;
  readonly lang: ReportLang;
  readonly w: ReportWords;
}

const W = 640;
const H = 260;
const M = { left: 70, right: 20, top: 16, bottom: 30 };

export function TrajectoryChart({ trajectory: t, lang, w }: TrajectoryChartProps) {
  const targetPath = t.target
    ? [
        { year: t.target.baselineYear, value: t.campaigns.find((c) => c.year === t.target!.baselineYear)?.value ?? 0 },
        { year: t.target.targetYear, value: t.target.targetValue },
      ]
    : [];
  const forecast = t.forecast ?? [];
  const all = [...t.campaigns, ...targetPath, ...forecast];
  const scale = scaleOf(
    all.map((p) => p.value),
    t.unit,
  );
  const years = all.map((p) => p.year);
  const y0 = Math.min(...years);
  const y1 = Math.max(...years, y0 + 1);
  const vmax = Math.max(0, ...all.map((p) => p.value)) * 1.1 || 1;
  const x = (year: number) => M.left + ((year - y0) / (y1 - y0)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / vmax) * (H - M.top - M.bottom);
  const line = (ps: readonly { year: number; value: number }[]) =>
    ps.map((p) => `${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((k) => k * vmax);
  const yearTicks: number[] = [];
  const step = Math.max(1, Math.ceil((y1 - y0) / 8));
  for (let yr = y0; yr <= y1; yr += step) yearTicks.push(yr);
  return (
    <figure class="chart" id="trajectory-chart" data-testid="chart-trajectory">
      <figcaption id="trajectory-chart-title">
        {w.trajectory} ({scale.unit})
      </figcaption>
      <svg role="img" aria-labelledby="trajectory-chart-title" viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} class="chart-grid" />
            <text x={M.left - 6} y={y(v)} text-anchor="end" dominant-baseline="middle" class="chart-value">
              {scaled(v, { unit: '', factor: scale.factor }, lang)}
            </text>
          </g>
        ))}
        {yearTicks.map((yr) => (
          <text key={yr} x={x(yr)} y={H - 8} text-anchor="middle" class="chart-value">
            {yr}
          </text>
        ))}
        {targetPath.length > 0 && <polyline points={line(targetPath)} class="chart-target" />}
        {forecast.length > 0 && <polyline points={line(forecast)} class="chart-forecast" />}
        <polyline points={line(t.campaigns)} class="chart-line" />
        {t.campaigns.map((c) => (
          <circle key={c.year} cx={x(c.year)} cy={y(c.value)} r={5} class="chart-point" />
        ))}
        {targetPath.map((p) => (
          <rect key={p.year} x={x(p.year) - 4} y={y(p.value) - 4} width={8} height={8} class="chart-target-point" />
        ))}
      </svg>
      <table class="chart-table" data-testid="chart-table-trajectory">
        <caption>
          {w.chartTable} — {w.trajectory}
        </caption>
        <thead>
          <tr>
            <th scope="col">{w.campaign}</th>
            <th scope="col">{w.year}</th>
            <th scope="col">
              {w.value} ({scale.unit})
            </th>
            {t.target && (
              <>
                <th scope="col">
                  {w.target} ({scale.unit})
                </th>
                <th scope="col">
                  {w.gap} ({scale.unit})
                </th>
                <th scope="col">{w.status}</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {t.campaigns.map((c) => (
            <tr key={c.year}>
              <th scope="row">{c.name}</th>
              <td>{c.year}</td>
              <td class="num" data-value={String(c.value)}>
                {scaled(c.value, { unit: '', factor: scale.factor }, lang)}
              </td>
              {t.target && (
                <>
                  <td class="num">
                    {c.target == null ? '—' : scaled(c.target, { unit: '', factor: scale.factor }, lang)}
                  </td>
                  <td class="num">{c.gap == null ? '—' : scaled(c.gap, { unit: '', factor: scale.factor }, lang)}</td>
                  <td>{c.status === 'on-track' ? w.onTrack : c.status === 'off-track' ? w.offTrack : w.baseline}</td>
                </>
              )}
            </tr>
          ))}
          {forecast.map((f) => (
            <tr key={`f${f.year}`}>
              <th scope="row">{w.forecast}</th>
              <td>{f.year}</td>
              <td class="num">
                {scaled(f.value, { unit: '', factor: scale.factor }, lang)}
                {f.lower != null && f.upper != null
                  ? ` [${scaled(f.lower, { unit: '', factor: scale.factor }, lang)} ; ${scaled(f.upper, { unit: '', factor: scale.factor }, lang)}]`
                  : ''}
              </td>
              {t.target && (
                <>
                  <td />
                  <td />
                  <td />
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
