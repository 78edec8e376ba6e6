/**
 * A horizontal bar chart in plain SVG with its data table (the chart's text alternative, also printed). Pure: props
 * in, markup out — the CLI report renders it to a string, the dashboard's Report page can render it in the browser.
 * One colour (blue of the Okabe–Ito palette, readable by colour-blind readers and in grey print); values in one scale.
 */
import type { ReportLang } from './i18n.js';
import { percent, scaled, scaleOf } from './format.js';

export interface BarDatum {
  readonly label: string;
  readonly value: number;
}

export interface BarChartProps {
  /** Unique on the page: names the figure, its title and table. */
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly data: readonly BarDatum[];
  readonly lang: ReportLang;
  readonly labels: { readonly item: string; readonly value: string; readonly share: string; readonly table: string };
  /** The total the shares are of (default: the sum of the bars, for a split of one total). */
  readonly total?: number;
}

const BAR = 22;
const GAP = 8;
const WIDTH = 640;
const LABEL = 220;
const VALUE = 110;

export function BarChart(p: BarChartProps) {
  const scale = scaleOf(
    p.data.map((d) => d.value),
    p.unit,
  );
  const max = Math.max(0, ...p.data.map((d) => d.value));
  const total = p.total ?? p.data.reduce((s, d) => s + d.value, 0);
  const height = p.data.length * (BAR + GAP) + GAP;
  const plot = WIDTH - LABEL - VALUE;
  return (
    <figure class="chart" id={p.id} data-testid={`chart-${p.id}`}>
      <figcaption id={`${p.id}-title`}>{p.title}</figcaption>
      <svg
        role="img"
        aria-labelledby={`${p.id}-title`}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
      >
        {p.data.map((d, i) => {
          const y = GAP + i * (BAR + GAP);
          const w = max > 0 ? Math.max(0, (d.value / max) * plot) : 0;
          return (
            <g key={d.label}>
              <text x={LABEL - 8} y={y + BAR / 2} text-anchor="end" dominant-baseline="middle" class="chart-label">
                {d.label.length > 32 ? d.label.slice(0, 31) + '…' : d.label}
              </text>
              <rect x={LABEL} y={y} width={w} height={BAR} class="chart-bar" />
              <text x={LABEL + w + 6} y={y + BAR / 2} dominant-baseline="middle" class="chart-value">
                {scaled(d.value, scale, p.lang)}
              </text>
            </g>
          );
        })}
      </svg>
      <table class="chart-table" data-testid={`chart-table-${p.id}`} aria-labelledby={`${p.id}-table`}>
        <caption id={`${p.id}-table`}>
          {p.labels.table} — {p.title}
        </caption>
        <thead>
          <tr>
            <th scope="col">{p.labels.item}</th>
            <th scope="col">
              {p.labels.value} ({scale.unit})
            </th>
            <th scope="col">{p.labels.share}</th>
          </tr>
        </thead>
        <tbody>
          {p.data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td class="num" data-value={String(d.value)}>
                {scaled(d.value, { unit: '', factor: scale.factor }, p.lang)}
              </td>
              <td class="num">{total > 0 ? percent(d.value / total, p.lang) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
