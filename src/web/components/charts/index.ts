/**
 * The dashboard's charts: hand-written SVG components (no chart library; see docs/dashboard.md "Charts"). Each renders
 * its data as a table too, uses the Okabe–Ito palette with patterns and labels, and has no browser globals, so that
 * `preact-render-to-string` renders it for the CLI report.
 */
export { HBarChart, type HBarChartProps, type BarDatum } from './hbar.js';
export { SplitBar, type SplitBarProps } from './split.js';
export { PairedBars, type PairedBarsProps, type PairedDatum } from './paired.js';
export { Waterfall, waterfallSpans, type WaterfallProps } from './waterfall.js';
export { TimeSeries, type TimeSeriesProps, type YearValue, type BandPoint } from './timeseries.js';
export { ChartFrame, PatternDefs, SeriesRect, type ChartCommon, type TableMode } from './frame.js';
export { OKABE_ITO, INCREASE, DECREASE, NEUTRAL, colourOf, patternOf } from './palette.js';
export { niceTicks, linear, clip } from './scale.js';
