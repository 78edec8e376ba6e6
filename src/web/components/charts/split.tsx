/**
 * A split: one bar cut into its parts (a stacked 100 % bar), each part with its colour, pattern and a legend entry
 * giving the label, the value and the share. Parts ≤ 0 are left out of the bar (listed in the table).
 */
import { ChartFrame, PatternDefs, SeriesRect, type ChartCommon } from './frame.js';
import { colourOf, patternOf } from './palette.js';
import type { BarDatum } from './hbar.js';

export interface SplitBarProps extends ChartCommon {
  readonly data: readonly BarDatum[];
  readonly format: (value: number) => string;
  readonly formatShare: (share: number) => string;
  readonly labelHeader: string;
  readonly valueHeader: string;
  readonly shareHeader: string;
}

const W = 640;
const H = 44;

export function SplitBar(p: SplitBarProps) {
  const positive = p.data.map((d) => Math.max(0, d.value));
  const total = positive.reduce((a, b) => a + b, 0);
  const columns = [
    { key: 'label', label: p.labelHeader },
    { key: 'value', label: p.valueHeader, numeric: true },
    { key: 'share', label: p.shareHeader, numeric: true },
  ];
  const rows = p.data.map((d) => ({
    label: d.label,
    value: { text: p.format(d.value), value: d.value },
    share: total > 0 ? { text: p.formatShare(d.value / total), value: d.value / total } : '',
  }));
  let x = 0;
  const legend = (
    <ul class="chart-legend">
      {p.data.map((d, i) => (
        <li key={i}>
          <svg width="14" height="14" aria-hidden="true" viewBox="0 0 14 14">
            <rect width="14" height="14" fill={colourOf(i)} stroke="#1a1a1a" stroke-width="1" />
            {patternOf(i) === 'solid' ? null : <rect width="14" height="14" fill={`url(#${p.id}-p${i})`} />}
          </svg>{' '}
          {d.label} — {p.format(d.value)}
          {total > 0 ? ` (${p.formatShare(d.value / total)})` : ''}
        </li>
      ))}
    </ul>
  );
  return (
    <ChartFrame {...p} width={W} height={H} columns={columns} rows={rows} legend={legend}>
      <PatternDefs id={p.id} count={p.data.length} />
      {p.data.map((d, i) => {
        const w = total > 0 ? (positive[i]! / total) * W : 0;
        const seg = (
          <SeriesRect
            key={i}
            chartId={p.id}
            index={i}
            x={x}
            y={4}
            width={w}
            height={H - 8}
            label={`${d.label}: ${p.format(d.value)}`}
          />
        );
        x += w;
        return seg;
      })}
    </ChartFrame>
  );
}
