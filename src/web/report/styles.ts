/**
 * The report's stylesheet, inlined in the CLI's HTML file and usable by the dashboard's print view: system fonts only,
 * contrast ≥ 4.5:1, the Okabe–Ito blue and vermilion (distinct for colour-blind readers and in grey print), A4 print.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.45; }
.report { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2rem; margin: 0.2rem 0 1rem; }
h2 { font-size: 1.45rem; border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.15rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin-top: 1.2rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.05em; color: #4a4a4a; font-size: 0.85rem; margin: 0; }
.title-page { min-height: 60vh; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.8rem; word-break: break-all; color: #4a4a4a; }
.headline { display: flex; flex-direction: column; margin: 2rem 0; padding: 1rem 1.2rem; border-left: 6px solid #0072b2; background: #f2f7fb; }
.headline-label { font-size: 1rem; }
.headline-value { font-size: 2.4rem; font-weight: 700; }
.note { color: #4a4a4a; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #1a1a1a; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.source { word-break: break-word; }
.chart { margin: 1.2rem 0; break-inside: avoid; }
.chart figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.chart svg { max-width: 100%; height: auto; }
.chart-bar { fill: #0072b2; }
.chart-label, .chart-value { font-size: 12px; fill: #1a1a1a; }
.chart-grid { stroke: #d0d0d0; stroke-width: 1; }
.chart-line { fill: none; stroke: #0072b2; stroke-width: 2.5; }
.chart-point { fill: #0072b2; }
.chart-target { fill: none; stroke: #d55e00; stroke-width: 2; stroke-dasharray: 8 5; }
.chart-target-point { fill: #d55e00; }
.chart-forecast { fill: none; stroke: #4a4a4a; stroke-width: 1.5; stroke-dasharray: 2 4; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
@page { size: A4; margin: 15mm; }
@media print {
  .report { max-width: none; padding: 0; }
  .title-page { break-after: page; min-height: auto; }
  h2 { break-after: avoid; }
  .annex { break-before: page; }
  tr { break-inside: avoid; }
}
`;
