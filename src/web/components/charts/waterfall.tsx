/**
 * A waterfall, drawn horizontally (long labels stay readable): the start total, each effect as a bar floating from the
 * running sum (increase: vermillion with hatching and a "+" label; decrease: green, dotted, "−"), then the end total.
 * The table lists start, effects and end with their exact values; the effects are expected to sum to end − start.
 */
import { AXIS, DECREASE, INCREASE, NEUTRAL } from './palette.js';
import { ChartFrame, PatternDefs, SeriesRect, type ChartCommon } from './frame.js';
import { clip, linear } from './scale.js';
import type { BarDatum } from './hbar.js';

export interface WaterfallProps extends ChartCommon {
  readonly start: BarDatum;
  readonly steps: readonly BarDatum[];
  readonly end: BarDatum;
  readonly format: (value: number) => string;
  readonly formatSigned: (value: number) => string;
  readonly labelHeader: string;
  readonly valueHeader: string;
}

const W = 640;
const LABEL_W = 190;
const VALUE_W = 110;
const ROW_H = 26;
const BAR_H = 18;
const TOP = 6;

/** Bars of a waterfall: [from, to] for every row (start, steps, end), in data units. Exported for tests. */
export function waterfallSpans(start: number, steps: readonly number[], end: number): [number, number][] {
  const spans: [number, number][] = [[0, start]];
  let run = start;
  for (const s of steps) {
    spans.push([run, run + s]);
    run += s;
  }
  spans.push([0, end]);
  return spans;
}

export function Waterfall(p: WaterfallProps) {
  const spans = waterfallSpans(
    p.start.value,
    p.steps.map((s) => s.value),
    p.end.value,
  );
  const all = spans.flat();
  const x = linear(Math.min(0, ...all), Math.max(0, ...all), LABEL_W, W - VALUE_W);
  const labels = [p.start, ...p.steps, p.end];
  const height = TOP * 2 + labels.length * ROW_H;
  const columns = [
    { key: 'label', label: p.labelHeader },
    { key: 'value', label: p.valueHeader, numeric: true },
  ];
  const rows = labels.map((d, i) => ({
    label: d.label,
    value: {
      text: i === 0 || i === labels.length - 1 ? p.format(d.value) : p.formatSigned(d.value),
      value: d.value,
    },
  }));
  return (
    <ChartFrame {...p} width={W} height={height} columns={columns} rows={rows}>
      {/* Pattern 0 solid (totals), 1 diagonal (increase), 2 dots (decrease). */}
      <PatternDefs id={p.id} count={3} />
      {labels.map((d, i) => {
        const [a, b] = spans[i]!;
        const y = TOP + i * ROW_H + (ROW_H - BAR_H) / 2;
        const total = i === 0 || i === labels.length - 1;
        const up = d.value >= 0;
        const text = total ? p.format(d.value) : p.formatSigned(d.value);
        const x0 = x(Math.min(a, b));
        const x1 = x(Math.max(a, b));
        return (
          <g key={i}>
            <text x={LABEL_W - 6} y={y + BAR_H / 2} text-anchor="end" dominant-baseline="middle" fill="#1a1a1a">
              {clip(d.label)}
            </text>
            <SeriesRect
              chartId={p.id}
              index={total ? 0 : up ? 1 : 2}
              colour={total ? NEUTRAL : up ? INCREASE : DECREASE}
              x={x0}
              y={y}
              width={Math.max(1, x1 - x0)}
              height={BAR_H}
              label={`${d.label}: ${text}`}
            />
            <text x={Math.max(x1, x0 + 1) + 4} y={y + BAR_H / 2} dominant-baseline="middle" fill="#1a1a1a">
              {text}
            </text>
            {i < labels.length - 1 ? (
              <line x1={x(b)} x2={x(b)} y1={y + BAR_H} y2={y + ROW_H} stroke={AXIS} stroke-dasharray="2 2" />
            ) : null}
          </g>
        );
      })}
      <line x1={x(0)} x2={x(0)} y1={TOP / 2} y2={height - TOP / 2} stroke={AXIS} />
    </ChartFrame>
  );
}
