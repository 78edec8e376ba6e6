/**
 * What every chart shares: a `<figure>` with its caption, an SVG with `role="img"` named by its title and a summary,
 * the fill patterns, and the chart's data as a table (in a `<details>` by default, visible or visually hidden on
 * request). Pure: no browser globals, so the charts render on the server (CLI report) and print.
 */
import type { ComponentChildren } from 'preact';
import { DataTable, type Column, type Row } from '../data-table.js';
import { colourOf, OUTLINE, patternOf, type PatternKind } from './palette.js';

/** How the chart's table is shown: in a closed `<details>` (screen), visible (print, report) or visually hidden. */
export type TableMode = 'details' | 'visible' | 'hidden';

export interface ChartCommon {
  /** Unique on the page: prefixes the SVG ids (patterns, title). */
  readonly id: string;
  readonly title: string;
  /** One sentence read by screen readers before the table (e.g. the largest value). */
  readonly summary?: string;
  /** Label of the `<details>` summary ("Chart data"). */
  readonly tableLabel: string;
  readonly tableMode?: TableMode;
  readonly testId?: string;
}

const PATTERN_PATHS: Readonly<Record<Exclude<PatternKind, 'solid'>, string>> = {
  diagonal: 'M0,8 L8,0',
  antidiagonal: 'M0,0 L8,8',
  horizontal: 'M0,4 L8,4',
  vertical: 'M4,0 L4,8',
  crosshatch: 'M0,8 L8,0 M0,0 L8,8',
  grid: 'M0,4 L8,4 M4,0 L4,8',
  dots: '',
};

/** `<defs>` with one pattern per series index in 0..count-1, ids `${id}-p${i}`. */
export function PatternDefs({ id, count }: { readonly id: string; readonly count: number }) {
  const defs = [];
  for (let i = 0; i < count; i++) {
    const kind = patternOf(i);
    if (kind === 'solid') continue;
    defs.push(
      <pattern id={`${id}-p${i}`} key={i} width="8" height="8" patternUnits="userSpaceOnUse">
        {kind === 'dots' ? (
          <circle cx="4" cy="4" r="1.4" fill="#ffffff" fill-opacity="0.85" />
        ) : (
          <path d={PATTERN_PATHS[kind]} stroke="#ffffff" stroke-opacity="0.8" stroke-width="1.5" />
        )}
      </pattern>,
    );
  }
  return <defs>{defs}</defs>;
}

/** A rectangle filled with series `i`'s colour, its pattern on top and a dark outline. */
export function SeriesRect(p: {
  readonly chartId: string;
  readonly index: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly colour?: string;
  readonly label: string;
}) {
  const w = Math.max(0, p.width);
  const kind = patternOf(p.index);
  return (
    <g>
      <title>{p.label}</title>
      <rect x={p.x} y={p.y} width={w} height={p.height} fill={p.colour ?? colourOf(p.index)} />
      {kind === 'solid' ? null : (
        <rect x={p.x} y={p.y} width={w} height={p.height} fill={`url(#${p.chartId}-p${p.index})`} />
      )}
      <rect x={p.x} y={p.y} width={w} height={p.height} fill="none" stroke={OUTLINE} stroke-width="0.75" />
    </g>
  );
}

export function ChartFrame(
  p: ChartCommon & {
    readonly width: number;
    readonly height: number;
    readonly columns: readonly Column[];
    readonly rows: readonly Row[];
    readonly children: ComponentChildren;
    readonly legend?: ComponentChildren;
  },
) {
  const titleId = `${p.id}-title`;
  const descId = `${p.id}-desc`;
  const mode = p.tableMode ?? 'details';
  const table = (
    <DataTable
      caption={p.title}
      columns={p.columns}
      rows={p.rows}
      hideCaption={mode === 'details'}
      testId={p.testId ? `${p.testId}-table` : undefined}
    />
  );
  return (
    <figure class="chart" data-testid={p.testId} id={p.id}>
      <figcaption id={titleId} class="chart-title">
        {p.title}
      </figcaption>
      <svg
        class="chart-svg"
        role="img"
        aria-labelledby={p.summary ? `${titleId} ${descId}` : titleId}
        viewBox={`0 0 ${p.width} ${p.height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        xmlns="http://www.w3.org/2000/svg"
        font-family="system-ui, sans-serif"
        font-size="12"
      >
        {p.summary ? <desc id={descId}>{p.summary}</desc> : null}
        {p.children}
      </svg>
      {p.legend}
      {mode === 'details' ? (
        <details class="chart-data">
          <summary>{p.tableLabel}</summary>
          {table}
        </details>
      ) : mode === 'hidden' ? (
        <div class="visually-hidden">{table}</div>
      ) : (
        table
      )}
    </figure>
  );
}
