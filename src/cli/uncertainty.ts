/**
 * `empreinte assess <inventory…> --uncertainty`: the summary of `assess --summary` with, per criterion, the F21 range
 * of its total (P5/P50/P95) and the five factors dominating it (use case `src/app/steering/assess-uncertainty.ts`).
 * JSON: the summary document plus `uncertainty`; table: one line per criterion. Only the summary formats (json,
 * table) carry it; other formats are refused with one coded line.
 */
import { standardDeps } from '../app/deps.js';
import { assessWithUncertainty } from '../app/steering/assess-uncertainty.js';
import type { CriterionRange } from '../app/steering/uncertainty.js';
import { EmpreinteError, issue, type Lang } from '../issues/catalogue.js';
import { assessInput, defaultIo, type AssessIo, type AssessOptions } from './assess.js';
import { printDocument } from './steering-cli.js';

const fmt = (x: number): string =>
  x
    .toPrecision(6)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

/** One line per criterion: value, P5–P95 and the factors that dominate the range. */
export function rangesTable(title: string, ranges: readonly CriterionRange[], lang: Lang): string {
  const head =
    lang === 'fr'
      ? ['critère', 'unité', 'valeur', 'P5', 'P50', 'P95', 'facteurs dominants']
      : ['criterion', 'unit', 'value', 'P5', 'P50', 'P95', 'dominant factors'];
  const rows = ranges.map((c) => [
    c.criterion,
    c.unit,
    fmt(c.range.nominal),
    fmt(c.range.p5),
    fmt(c.range.p50),
    fmt(c.range.p95),
    c.range.topFactors
      .slice(0, 3)
      .map((f) => `${f.id} (${Math.round(f.share * 100)} %)`)
      .join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((x, i) => (i < 2 || i === 6 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const text = rows.map((r) => (lang === 'fr' ? r.map((x, i) => (i >= 2 && i <= 5 ? x.replace('.', ',') : x)) : r));
  return [title, line(head), ...text.map(line)].join('\n') + '\n';
}

export async function runAssessUncertainty(
  paths: readonly string[],
  o: AssessOptions,
  io: AssessIo = defaultIo,
): Promise<void> {
  const format = (o.format ?? 'table').toLowerCase();
  if ((format !== 'json' && format !== 'table') || o.out !== undefined)
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', {
        field: '--uncertainty',
        allowed: 'with --format json or table, on stdout',
        value: o.out !== undefined ? `--out ${o.out}` : `--format ${o.format ?? ''}`,
      }),
    );
  const r = await assessWithUncertainty(standardDeps(io.today, io.temps), assessInput(paths, o));
  const lang = io.lang ?? 'en';
  await printDocument(
    format === 'json'
      ? JSON.stringify(r, null, 2) + '\n'
      : rangesTable(
          lang === 'fr'
            ? 'Totaux et intervalles d’incertitude (P5–P95, F21)'
            : 'Totals and uncertainty ranges (P5–P95, F21)',
          r.uncertainty,
          lang,
        ),
  );
}
