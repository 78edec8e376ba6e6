/** Horizontal bars: one bar per row, its label on the left and its formatted value at its end; negatives go left of 0. */
import { AXIS } from './palette.js';
import { ChartFrame, PatternDefs, SeriesRect, type ChartCommon } from './frame.js';
import { clip, linear } from './scale.js';

export interface BarDatum {
  readonly label: string;
  readonly value: number;
}

export interface HBarChartProps extends ChartCommon {
  readonly data: readonly BarDatum[];
  /** Formats a value for the bar label and the table ("31,3 t CO2 eq"). */
  readonly format: (value: number) => string;
  readonly labelHeader: string;
  readonly valueHeader: string;
  /** One colour for every bar (a single series); by default each bar takes the next palette colour and pattern. */
  readonly single?: boolean;
  /** Shares of the total in the table (a "Share" column), with this header and formatter. */
  readonly share?: { readonly header: string; readonly format: (share: number) => string };
}

const W = 640;
const LABEL_W = 190;
const VALUE_W = 110;
const ROW_H = 26;
const BAR_H = 18;
const TOP = 6;

export function HBarChart(p: HBarChartProps) {
  const values = p.data.map((d) => d.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const x = linear(lo, hi === lo ? 1 : hi, LABEL_W, W - VALUE_W);
  const height = TOP * 2 + Math.max(1, p.data.length) * ROW_H;
  const total = values.reduce((a, b) => a + b, 0);
  const columns = [
    { key: 'label', label: p.labelHeader },
    { key: 'value', label: p.valueHeader, numeric: true },
    ...(p.share ? [{ key: 'share', label: p.share.header, numeric: true }] : []),
  ];
  const rows = p.data.map((d) => ({
    label: d.label,
    value: { text: p.format(d.value), value: d.value },
    ...(p.share && total !== 0 ? { share: { text: p.share.format(d.value / total), value: d.value / total } } : {}),
  }));
  return (
    <ChartFrame {...p} width={W} height={height} columns={columns} rows={rows}>
      <PatternDefs id={p.id} count={p.single ? 1 : p.data.length} />
      {p.data.map((d, i) => {
        const y = TOP + i * ROW_H + (ROW_H - BAR_H) / 2;
        const x0 = x(Math.min(0, d.value));
        const x1 = x(Math.max(0, d.value));
        const text = p.format(d.value);
        return (
          <g key={i}>
            <text x={LABEL_W - 6} y={y + BAR_H / 2} text-anchor="end" dominant-baseline="middle" fill="#1a1a1a">
              {clip(d.label)}
            </text>
            <SeriesRect
              chartId={p.id}
              index={p.single ? 0 : i}
              x={x0}
              y={y}
              width={x1 - x0}
              height={BAR_H}
              label={`${d.label}: ${text}`}
            />
            <text x={x1 + 4} y={y + BAR_H / 2} dominant-baseline="middle" fill="#1a1a1a">
              {text}
            </text>
          </g>
        );
      })}
      <line x1={x(0)} x2={x(0)} y1={TOP / 2} y2={height - TOP / 2} stroke={AXIS} stroke-width="1" />
    </ChartFrame>
  );
}
