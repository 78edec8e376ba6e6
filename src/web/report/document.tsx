/**
 * The report as one self-contained HTML document: inline stylesheet, inline SVG charts, no script, no external URL
 * (what `empreinte report --out report.html` writes). Server-side rendering with preact-render-to-string.
 */
import { renderToString } from 'preact-render-to-string';
import type { ReportData } from '../../outputs/report-model.js';
import { words, type ReportLang } from './i18n.js';
import { Report } from './Report.js';
import { REPORT_CSS } from './styles.js';

export function renderReportHtml(data: ReportData, lang: ReportLang): string {
  const body = renderToString(<Report data={data} lang={lang} />);
  const title = `${data.title} — ${words(lang).campaign} ${data.campaign.name}`;
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escaped}</title>\n` +
    `<style>${REPORT_CSS}</style>\n</head>\n<body>\n<main>${body}</main>\n</body>\n</html>\n`
  );
}
