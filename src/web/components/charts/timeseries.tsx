/**
 * A time series by year: measured values (solid line, round markers), the target path (dashed line, square markers),
 * the forecast (dotted line) and its prediction band (hatched area). Every series is also named in the legend and
 * the table (year, measured, target, forecast, lower, upper).
 */
import { AXIS, NEUTRAL, OKABE_ITO } from './palette.js';
import { ChartFrame, type ChartCommon } from './frame.js';
import { linear, niceTicks } from './scale.js';

export interface YearValue {
  readonly year: number;
  readonly value: number;
}

export interface BandPoint {
  readonly year: number;
  readonly lower: number;
  readonly upper: number;
}

export interface TimeSeriesProps extends ChartCommon {
  readonly measured: readonly YearValue[];
  readonly target?: readonly YearValue[];
  readonly forecast?: readonly YearValue[];
  readonly band?: readonly BandPoint[];
  /** Formats values (table and point labels). */
  readonly format: (value: number) => string;
  /** Formats axis ticks (shorter: the number in the display unit). */
  readonly formatTick: (value: number) => string;
  readonly labels: {
    readonly year: string;
    readonly measured: string;
    readonly target: string;
    readonly forecast: string;
    readonly lower: string;
    readonly upper: string;
  };
}

const W = 640;
const H = 300;
const LEFT = 70;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 30;
const TARGET_COLOUR = OKABE_ITO[1]; // vermillion
const FORECAST_COLOUR = OKABE_ITO[4]; // orange

const path = (pts: readonly (readonly [number, number])[]) =>
  pts.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');

export function TimeSeries(p: TimeSeriesProps) {
  const target = p.target ?? [];
  const forecast = p.forecast ?? [];
  const band = p.band ?? [];
  const years = [...p.measured, ...target, ...forecast, ...band].map((d) => d.year);
  const values = [
    ...p.measured.map((d) => d.value),
    ...target.map((d) => d.value),
    ...forecast.map((d) => d.value),
    ...band.flatMap((d) => [d.lower, d.upper]),
  ];
  const y0 = years.length ? Math.min(...years) : 0;
  const y1 = years.length ? Math.max(...years) : 1;
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const x = linear(y0, y1 === y0 ? y0 + 1 : y1, LEFT, W - RIGHT);
  const y = linear(ticks[0]!, ticks[ticks.length - 1]!, H - BOTTOM, TOP);
  const span = y1 - y0;
  const yearStep = span <= 12 ? 1 : span <= 30 ? 5 : 10;
  const yearTicks: number[] = [];
  for (let yr = Math.ceil(y0 / yearStep) * yearStep; yr <= y1; yr += yearStep) yearTicks.push(yr);

  const allYears = [...new Set(years)].sort((a, b) => a - b);
  const at = <T extends { year: number }>(list: readonly T[], yr: number) => list.find((d) => d.year === yr);
  const cell = (v: number | undefined) => (v === undefined ? '' : { text: p.format(v), value: v });
  const columns = [
    { key: 'year', label: p.labels.year },
    { key: 'measured', label: p.labels.measured, numeric: true },
    ...(target.length ? [{ key: 'target', label: p.labels.target, numeric: true }] : []),
    ...(forecast.length ? [{ key: 'forecast', label: p.labels.forecast, numeric: true }] : []),
    ...(band.length
      ? [
          { key: 'lower', label: p.labels.lower, numeric: true },
          { key: 'upper', label: p.labels.upper, numeric: true },
        ]
      : []),
  ];
  const rows = allYears.map((yr) => ({
    year: String(yr),
    measured: cell(at(p.measured, yr)?.value),
    target: cell(at(target, yr)?.value),
    forecast: cell(at(forecast, yr)?.value),
    lower: cell(at(band, yr)?.lower),
    upper: cell(at(band, yr)?.upper),
  }));
  const bandPath =
    band.length > 1
      ? path([
          ...band.map((b) => [x(b.year), y(b.upper)] as const),
          ...[...band].reverse().map((b) => [x(b.year), y(b.lower)] as const),
        ]) + ' Z'
      : null;
  const legend = (
    <ul class="chart-legend">
      <li>
        <svg width="28" height="12" aria-hidden="true">
          <line x1="0" x2="28" y1="6" y2="6" stroke={NEUTRAL} stroke-width="2.5" />
          <circle cx="14" cy="6" r="3.5" fill={NEUTRAL} />
        </svg>{' '}
        {p.labels.measured}
      </li>
      {target.length ? (
        <li>
          <svg width="28" height="12" aria-hidden="true">
            <line x1="0" x2="28" y1="6" y2="6" stroke={TARGET_COLOUR} stroke-width="2" stroke-dasharray="6 3" />
          </svg>{' '}
          {p.labels.target}
        </li>
      ) : null}
      {forecast.length ? (
        <li>
          <svg width="28" height="12" aria-hidden="true">
            <line x1="0" x2="28" y1="6" y2="6" stroke={FORECAST_COLOUR} stroke-width="2" stroke-dasharray="2 3" />
          </svg>{' '}
          {p.labels.forecast}
          {band.length ? ` (${p.labels.lower} – ${p.labels.upper})` : ''}
        </li>
      ) : null}
    </ul>
  );
  return (
    <ChartFrame {...p} width={W} height={H} columns={columns} rows={rows} legend={legend}>
      <defs>
        <pattern id={`${p.id}-band`} width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill={FORECAST_COLOUR} fill-opacity="0.18" />
          <path d="M0,8 L8,0" stroke={FORECAST_COLOUR} stroke-opacity="0.6" stroke-width="1" />
        </pattern>
      </defs>
      {ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={LEFT} x2={W - RIGHT} y1={y(t)} y2={y(t)} stroke="#d9d9d9" />
          <text x={LEFT - 6} y={y(t)} text-anchor="end" dominant-baseline="middle" fill={AXIS}>
            {p.formatTick(t)}
          </text>
        </g>
      ))}
      {yearTicks.map((yr) => (
        <text key={`x${yr}`} x={x(yr)} y={H - BOTTOM + 18} text-anchor="middle" fill={AXIS}>
          {yr}
        </text>
      ))}
      <line x1={LEFT} x2={W - RIGHT} y1={H - BOTTOM} y2={H - BOTTOM} stroke={AXIS} />
      {bandPath ? <path d={bandPath} fill={`url(#${p.id}-band)`} stroke="none" /> : null}
      {target.length > 1 ? (
        <path
          d={path(target.map((d) => [x(d.year), y(d.value)] as const))}
          fill="none"
          stroke={TARGET_COLOUR}
          stroke-width="2"
          stroke-dasharray="6 3"
        />
      ) : null}
      {target.map((d) => (
        <rect key={`t${d.year}`} x={x(d.year) - 3} y={y(d.value) - 3} width="6" height="6" fill={TARGET_COLOUR}>
          <title>{`${p.labels.target} ${d.year}: ${p.format(d.value)}`}</title>
        </rect>
      ))}
      {forecast.length > 1 ? (
        <path
          d={path(forecast.map((d) => [x(d.year), y(d.value)] as const))}
          fill="none"
          stroke={FORECAST_COLOUR}
          stroke-width="2"
          stroke-dasharray="2 3"
        />
      ) : null}
      {p.measured.length > 1 ? (
        <path
          d={path(p.measured.map((d) => [x(d.year), y(d.value)] as const))}
          fill="none"
          stroke={NEUTRAL}
          stroke-width="2.5"
        />
      ) : null}
      {p.measured.map((d) => (
        <g key={`m${d.year}`}>
          <circle cx={x(d.year)} cy={y(d.value)} r="4.5" fill={NEUTRAL} stroke="#ffffff" stroke-width="1">
            <title>{`${p.labels.measured} ${d.year}: ${p.format(d.value)}`}</title>
          </circle>
          <text x={x(d.year)} y={y(d.value) - 9} text-anchor="middle" fill="#1a1a1a" font-size="11">
            {p.format(d.value)}
          </text>
        </g>
      ))}
    </ChartFrame>
  );
}
