import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import {
  HBarChart,
  SplitBar,
  TimeSeries,
  Waterfall,
  niceTicks,
  waterfallSpans,
} from '../../src/web/components/charts/index.js';

const fmt = (v: number) => `${v} kg`;
const signed = (v: number) => `${v > 0 ? '+' : ''}${v} kg`;

/** Every data-value of the rendered tables, in order. */
const cells = (html: string) => [...html.matchAll(/data-value="([^"]*)"/g)].map((m) => Number(m[1]));

describe('server-rendered charts carry their data as a table', () => {
  it('horizontal bars: an SVG named by its title and a table with each value and share', () => {
    const html = render(
      h(HBarChart, {
        id: 'by-tier',
        title: 'Split by tier',
        tableLabel: 'Chart data',
        data: [
          { label: 'Terminals', value: 300 },
          { label: 'Data centres', value: 100 },
        ],
        format: fmt,
        labelHeader: 'Tier',
        valueHeader: 'kg CO2 eq',
        share: { header: 'Share', format: (s: number) => `${Math.round(s * 100)} %` },
      }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="by-tier-title"');
    expect(html).toMatch(/<caption[^>]*>Split by tier<\/caption>/);
    expect(html).toContain('<summary>Chart data</summary>');
    // values then shares: 300/400 = 0.75, 100/400 = 0.25
    expect(cells(html)).toEqual([300, 0.75, 100, 0.25]);
    expect(html).toContain('75 %');
    expect(html).toContain('<th scope="row">Terminals</th>');
    // bar area from x = 190 to 640 − 110 = 530: 340 units for 300, so 340 and 113.33
    const widths = [...html.matchAll(/<rect x="190" y="[\d.]+" width="([\d.]+)" height="18" fill="#/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeCloseTo(340, 6);
    expect(widths[1]).toBeCloseTo(340 / 3, 6);
  });

  it('shows the table itself when asked (print)', () => {
    const html = render(
      h(HBarChart, {
        id: 'x',
        title: 'T',
        tableLabel: 'Data',
        tableMode: 'visible',
        data: [{ label: 'a', value: 1 }],
        format: fmt,
        labelHeader: 'L',
        valueHeader: 'V',
      }),
    );
    expect(html).not.toContain('<details');
    expect(html).toMatch(/<caption>T<\/caption>/);
  });

  it('split bar: segments proportional to the parts, legend with shares', () => {
    const html = render(
      h(SplitBar, {
        id: 'steps',
        title: 'By step',
        tableLabel: 'Data',
        data: [
          { label: 'Manufacturing', value: 75 },
          { label: 'Use', value: 25 },
        ],
        format: fmt,
        formatShare: (s: number) => `${s * 100}%`,
        labelHeader: 'Step',
        valueHeader: 'Value',
        shareHeader: 'Share',
      }),
    );
    expect(cells(html)).toEqual([75, 0.75, 25, 0.25]);
    expect(html).toContain('Manufacturing — 75 kg (75%)');
    // 640 wide: 480 and 160, first two Okabe–Ito colours
    expect(html).toContain('<rect x="0" y="4" width="480" height="36" fill="#0072B2"');
    expect(html).toContain('<rect x="480" y="4" width="160" height="36" fill="#D55E00"');
  });

  it('waterfall: bars float from the running sum, the table lists start, effects and end', () => {
    // 1000 → +200 (fleet) → −300 (lifetime) → 900
    expect(waterfallSpans(1000, [200, -300], 900)).toEqual([
      [0, 1000],
      [1000, 1200],
      [1200, 900],
      [0, 900],
    ]);
    const html = render(
      h(Waterfall, {
        id: 'wf',
        title: 'Decomposition',
        tableLabel: 'Data',
        start: { label: '2024', value: 1000 },
        steps: [
          { label: 'Fleet', value: 200 },
          { label: 'Lifetimes', value: -300 },
        ],
        end: { label: '2025', value: 900 },
        format: fmt,
        formatSigned: signed,
        labelHeader: 'Step',
        valueHeader: 'kg',
      }),
    );
    expect(cells(html)).toEqual([1000, 200, -300, 900]);
    expect(html).toContain('+200 kg');
    expect(html).toContain('-300 kg');
  });

  it('time series: measured, target and forecast band in one table by year', () => {
    const html = render(
      h(TimeSeries, {
        id: 'traj',
        title: 'Trajectory',
        tableLabel: 'Data',
        measured: [
          { year: 2024, value: 100 },
          { year: 2025, value: 90 },
        ],
        target: [
          { year: 2024, value: 100 },
          { year: 2026, value: 80 },
        ],
        forecast: [{ year: 2026, value: 81 }],
        band: [{ year: 2026, lower: 70, upper: 92 }],
        format: fmt,
        formatTick: String,
        labels: {
          year: 'Year',
          measured: 'Measured',
          target: 'Target',
          forecast: 'Forecast',
          lower: 'Low',
          upper: 'High',
        },
      }),
    );
    // rows 2024 (measured 100, target 100), 2025 (measured 90), 2026 (target 80, forecast 81, 70, 92)
    expect(cells(html)).toEqual([100, 100, 90, 80, 81, 70, 92]);
    expect(html).toContain('stroke-dasharray="6 3"'); // the target line
    expect(html).toMatch(/<th scope="col" class="num">Forecast<\/th>/);
  });

  it('nice ticks cover the range with round steps', () => {
    expect(niceTicks(0, 31300)).toEqual([0, 10000, 20000, 30000, 40000]);
    expect(niceTicks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-50, 120)).toEqual([-50, 0, 50, 100, 150]);
    expect(niceTicks(5, 5)).toEqual([0, 2, 4, 6]);
  });
});
