/**
 * Paired horizontal bars: per row, two series side by side (e.g. the lifetime retained against the lifetime expected
 * per equipment type), with a legend and each value written at its bar's end. A missing value draws no bar and reads
 * "—" in the table.
 */
import { AXIS, colourOf, patternOf } from './palette.js';
import { ChartFrame, PatternDefs, SeriesRect, type ChartCommon } from './frame.js';
import { clip, linear } from './scale.js';

export interface PairedDatum {
  readonly label: string;
  readonly values: readonly [number | null, number | null];
}

export interface PairedBarsProps extends ChartCommon {
  readonly data: readonly PairedDatum[];
  /** The two series' names (legend and table headers). */
  readonly series: readonly [string, string];
  readonly format: (value: number) => string;
  readonly labelHeader: string;
}

const W = 640;
const LABEL_W = 190;
const VALUE_W = 90;
const BAR_H = 12;
const ROW_H = 2 * BAR_H + 10;
const TOP = 6;

export function PairedBars(p: PairedBarsProps) {
  const all = p.data.flatMap((d) => d.values.filter((v): v is number => v !== null));
  const hi = Math.max(0, ...all);
  const x = linear(0, hi === 0 ? 1 : hi, LABEL_W, W - VALUE_W);
  const height = TOP * 2 + Math.max(1, p.data.length) * ROW_H;
  const columns = [
    { key: 'label', label: p.labelHeader },
    { key: 's0', label: p.series[0], numeric: true },
    { key: 's1', label: p.series[1], numeric: true },
  ];
  const cell = (v: number | null) => (v === null ? '—' : { text: p.format(v), value: v });
  const rows = p.data.map((d) => ({ label: d.label, s0: cell(d.values[0]), s1: cell(d.values[1]) }));
  const legend = (
    <ul class="chart-legend">
      {p.series.map((s, i) => (
        <li key={i}>
          <svg width="14" height="14" aria-hidden="true" viewBox="0 0 14 14">
            <rect width="14" height="14" fill={colourOf(i)} stroke="#1a1a1a" stroke-width="1" />
            {patternOf(i) === 'solid' ? null : <rect width="14" height="14" fill={`url(#${p.id}-p${i})`} />}
          </svg>{' '}
          {s}
        </li>
      ))}
    </ul>
  );
  return (
    <ChartFrame {...p} width={W} height={height} columns={columns} rows={rows} legend={legend}>
      <PatternDefs id={p.id} count={2} />
      {p.data.map((d, i) => {
        const y0 = TOP + i * ROW_H + 4;
        return (
          <g key={i}>
            <text x={LABEL_W - 6} y={y0 + BAR_H} text-anchor="end" dominant-baseline="middle" fill="#1a1a1a">
              {clip(d.label)}
            </text>
            {d.values.map((v, s) => {
              if (v === null) return null;
              const y = y0 + s * BAR_H;
              const text = p.format(v);
              return (
                <g key={s}>
                  <SeriesRect
                    chartId={p.id}
                    index={s}
                    x={x(0)}
                    y={y}
                    width={x(v) - x(0)}
                    height={BAR_H - 1}
                    label={`${d.label}, ${p.series[s]}: ${text}`}
                  />
                  <text x={x(v) + 4} y={y + BAR_H / 2} dominant-baseline="middle" fill="#1a1a1a" font-size="11">
                    {text}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
      <line x1={x(0)} x2={x(0)} y1={TOP / 2} y2={height - TOP / 2} stroke={AXIS} stroke-width="1" />
    </ChartFrame>
  );
}
