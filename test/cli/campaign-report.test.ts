/**
 * `empreinte report`: the self-contained HTML campaign report. Every expected number comes from an independent run of
 * `assess --format json` on the same input (its document), or is worked by hand; the report's own figures are read
 * back from the HTML.
 */
import { cp, mkdtemp, readdir, readFile, writeFile, appendFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'inventory');
const DEMO_2025 = join(import.meta.dirname, '..', '..', 'examples', 'demo-2025');
const tmp = await mkdtemp(join(tmpdir(), 'empreinte-report-'));

/** `empreinte <args>` in the C locale. */
const run = (args: string[]) => runCli(args, { LANG: 'C' });

interface CriterionTotal {
  criterion: string;
  unit: string;
  value: number;
  peopleEquivalent?: number;
}
interface SummaryDoc {
  meta: { referential: { id: string; version: string; hash: string } };
  inventory: { file: string; rejected: number }[];
  totals: {
    byCriterion: CriterionTotal[];
    electricity: { itKWh: number };
    by: Record<string, Record<string, unknown>>;
  };
}
interface Row {
  kind: string;
  item: string;
  criterion: string;
  status: string;
  value: number;
}

async function assessJson(input: string, date: string, out: string, summary = true): Promise<SummaryDoc> {
  const r = await run([
    'assess',
    input,
    '--date',
    date,
    '--format',
    'json',
    ...(summary ? ['--summary'] : []),
    '--out',
    out,
  ]);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(await readFile(out, 'utf8')) as SummaryDoc;
}

/** The text of the first element carrying `data-testid="<id>"`, and its `data-value`. */
function testId(html: string, id: string): { text: string; value?: string } {
  const m = new RegExp(`<([a-z0-9]+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  expect(m, id).not.toBeNull();
  const value = /data-value="([^"]*)"/.exec(m![0].slice(0, m![0].indexOf('>') + 1))?.[1];
  return { text: m![2]!.replace(/<[^>]+>/g, ''), ...(value !== undefined ? { value } : {}) };
}

/** The first `data-value` of each body row of the table `data-testid="<id>"` (its value column). */
function firstValues(html: string, id: string): number[] {
  const table = new RegExp(`<table[^>]*data-testid="${id}"[\\s\\S]*?</table>`).exec(html);
  expect(table, id).not.toBeNull();
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table![0])![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => Number(/data-value="([^"]+)"/.exec(r[1]!)![1]));
}

const decimalNumber = (text: string, lang: 'fr' | 'en') =>
  Number(
    lang === 'fr' ? text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.') : text.replace(/,/g, '').replace(/\s/g, ''),
  );

describe('empreinte report on the example inventory', () => {
  let doc: SummaryDoc;
  let full: { indicators: Row[] } & SummaryDoc;
  let fr: string;
  let en: string;
  beforeAll(async () => {
    doc = await assessJson(EXAMPLE, '2025-06-30', join(tmp, 'summary.json'));
    full = (await assessJson(EXAMPLE, '2025-06-30', join(tmp, 'full.json'), false)) as typeof full;
    const a = await run(['report', EXAMPLE, '--date', '2025-06-30', '--out', join(tmp, 'fr.html')]);
    expect(a.code, a.err).toBe(0);
    fr = await readFile(join(tmp, 'fr.html'), 'utf8');
    const b = await run(['--lang', 'en', 'report', EXAMPLE, '--date', '2025-06-30', '--out', join(tmp, 'en.html')]);
    expect(b.code, b.err).toBe(0);
    en = await readFile(join(tmp, 'en.html'), 'utf8');
  });

  it('key figures: every criterion total is the independent assess run’s, exactly', () => {
    expect(doc.totals.byCriterion.length).toBeGreaterThan(0);
    for (const c of doc.totals.byCriterion)
      expect(Number(testId(fr, `report-key-figure-${c.criterion}`).value), c.criterion).toBe(c.value);
    expect(Number(testId(fr, 'report-kwh').value)).toBe(doc.totals.electricity.itKWh);
    expect(Number(testId(fr, 'report-headline-value').value)).toBe(
      doc.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value,
    );
  });

  it('climate change reads in tonnes above 1,000 kg, with a decimal comma in French and a point in English', () => {
    const kg = doc.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
    expect(kg).toBeGreaterThan(1000); // the example is tens of tonnes: the report must switch to t
    const frText = testId(fr, 'report-key-figure-CLIMATE_CHANGE').text;
    const enText = testId(en, 'report-key-figure-CLIMATE_CHANGE').text;
    // Tens of tonnes read with one decimal (docs/dashboard.md: 10 to 100 → one decimal), a no-break space before t.
    expect(frText).toMatch(/^\d+,\d\u00a0t CO2 eq$/);
    expect(enText).toMatch(/^\d+\.\d\u00a0t CO2 eq$/);
    for (const [text, lang] of [
      [frText, 'fr'],
      [enText, 'en'],
    ] as const) {
      const t = decimalNumber(text.replace('\u00a0t CO2 eq', ''), lang);
      expect(Math.abs(t - kg / 1000)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
  });

  it('the French file writes every decimal with a comma: no number with a decimal point in its cells', () => {
    const cells = [...fr.matchAll(/<td class="num"[^>]*>([^<]*)</g)].map((m) => m[1]!);
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => /\d\.\d/.test(c))).toEqual([]);
    expect(cells.some((c) => /\d,\d/.test(c))).toBe(true);
    expect(fr).toMatch(/<html lang="fr">/);
    expect(fr).toContain('Chiffres clés');
    expect(en).toMatch(/<html lang="en">/);
    expect(en).toContain('Key figures');
  });

  it('is self-contained: no script, no external stylesheet, no http(s) URL in a src or href attribute', () => {
    for (const html of [fr, en]) {
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<link[^>]+stylesheet/i);
      expect(html).toMatch(/<style>/);
    }
  });

  it('every chart is an inline SVG followed by its data table; the splits asked for are all there', () => {
    const figures = [...fr.matchAll(/<figure class="chart"[^>]* id="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)];
    expect(figures.map((f) => f[1]).sort()).toEqual(['country', 'entity', 'step', 'tier', 'type']);
    for (const [, id, body] of figures) {
      expect(body, id).toMatch(/<svg[^>]*role="img"/);
      expect(body, id).toMatch(/<table[\s\S]*<\/table>/);
      // One table row per bar (each bar carries its <title>).
      const svg = /<svg[\s\S]*<\/svg>/.exec(body!)![0];
      const bars = (svg.match(/<title>/g) ?? []).length;
      const rows = (/<tbody>[\s\S]*<\/tbody>/.exec(body!)![0].match(/<tr>/g) ?? []).length;
      expect(bars, id).toBeGreaterThan(0);
      expect(rows, id).toBe(bars);
    }
    // The tier split is the engine's, value for value.
    const tiers = doc.totals.by['tier'] as Record<string, Record<string, number>>;
    const shown = firstValues(fr, 'chart-tier-table');
    expect(shown.sort()).toEqual(
      Object.values(tiers)
        .map((v) => v['CLIMATE_CHANGE']!)
        .sort(),
    );
  });

  it('title page: reference date, referential name, version and hash of the run', () => {
    expect(testId(fr, 'report-reference-date').text).toBe('30/06/2025');
    const ref = testId(fr, 'report-referential').text;
    expect(ref).toContain(doc.meta.referential.id);
    expect(ref).toContain(doc.meta.referential.version);
    expect(ref).toContain(doc.meta.referential.hash);
  });

  it('top contributors: the largest items by climate change, as summed from the full JSON rows', () => {
    const sums = new Map<string, number>();
    for (const r of full.indicators)
      if (r.kind === 'physical-equipment' && r.criterion === 'CLIMATE_CHANGE' && r.status === 'OK')
        sums.set(r.item, (sums.get(r.item) ?? 0) + r.value);
    const expected = [...sums].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const table = /data-testid="report-top-table"[\s\S]*?<\/table>/.exec(fr)![0];
    const names = [...table.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
    const values = [...table.matchAll(/data-value="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(names).toEqual(expected.map((e) => e[0]));
    values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]![1], 6));
  });

  it('annex: the open referential’s datasets with their licences', () => {
    const table = /data-testid="report-datasets"[\s\S]*?<\/table>/.exec(fr)![0];
    expect(table).toContain('MIT');
    expect(table).toContain('ODbL-1.0');
    expect(table).toContain('Boavizta');
    expect(fr).toContain('data-testid="report-sources"');
  });
});

describe('empreinte report: data quality, trajectory and bad input', () => {
  it('rejected lines are listed with their reason; counts are the assess run’s', async () => {
    const dir = join(tmp, 'with-reject');
    await cp(EXAMPLE, dir, { recursive: true });
    await appendFile(
      join(dir, 'equipements_physiques.csv'),
      'PC-CASSE;Latitude 5420;beaucoup;;2021-03-15;;Ordinateur portable;En service;France;;;Administration;GLPI;;;;\n',
    );
    const summary = await assessJson(dir, '2025-06-30', join(tmp, 'reject-summary.json'));
    const rejected = summary.inventory.find((f) => f.file.endsWith('equipements_physiques.csv'))!.rejected;
    expect(rejected).toBe(1);
    const r = await run(['report', dir, '--date', '2025-06-30', '--out', join(tmp, 'reject.html')]);
    expect(r.code, r.err).toBe(0);
    const html = await readFile(join(tmp, 'reject.html'), 'utf8');
    const rejects = /data-testid="report-rejects"[\s\S]*?<\/div>/.exec(html)![0];
    expect(rejects).toContain('equipements_physiques.csv — 1 rejetées');
    expect(rejects).toMatch(/<td class="num">20<\/td>/); // the header is line 1, the 18 items lines 2–19, then ours
    expect(rejects).toContain('INP_NOT_NUMBER');
    expect(rejects).toContain('beaucoup');
  });

  it('two campaigns and a target: the trajectory shows each campaign’s total and the target worked by hand', async () => {
    const d24 = await assessJson(EXAMPLE, '2024-12-31', join(tmp, 'c2024.json'));
    const d25 = await assessJson(DEMO_2025, '2025-12-31', join(tmp, 'c2025.json'));
    const r = await run([
      'report',
      join(tmp, 'c2025.json'),
      join(tmp, 'c2024.json'),
      '--target',
      '-30%',
      '--by',
      '2030',
      '--out',
      join(tmp, 'trajectory.html'),
    ]);
    expect(r.code, r.err).toBe(0);
    const html = await readFile(join(tmp, 'trajectory.html'), 'utf8');
    const cc = (d: SummaryDoc) => d.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
    expect(firstValues(html, 'report-trajectory-table')).toEqual([cc(d24), cc(d25)]);
    expect(html).toContain('data-testid="chart-trajectory"');
    // The report presents the latest campaign: its key figure is 2025's.
    expect(Number(testId(html, 'report-key-figure-CLIMATE_CHANGE').value)).toBe(cc(d25));
    // Target: 2024's total × 0.7 in 2030, in tonnes with four significant digits.
    const target = (cc(d24) * 0.7) / 1000;
    const line = /Cible : [^<]*/.exec(html)![0];
    expect(line).toContain('entre 2024 et 2030');
    const shown = decimalNumber(/soit ([\d,\u202f]+)\u00a0t CO2 eq/.exec(line)![1]!, 'fr');
    expect(Math.abs(shown - target)).toBeLessThanOrEqual(0.05 + 1e-9);
    // From result documents the sources of the same (embedded) referential are listed.
    expect(html).toContain('data-testid="report-sources"');
  });

  it('bad input: one coded line, exit 2, no file (and no temporary file) left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-report-bad-'));
    const notResult = join(dir, 'other.json');
    await writeFile(notResult, JSON.stringify({ hello: 'world' }));
    const notJson = join(dir, 'broken.json');
    await writeFile(notJson, '{"meta": ');
    const out = join(dir, 'report.html');
    const cases: [string[], RegExp][] = [
      [['report', join(dir, 'missing-folder'), '--out', out], /INP_FILE_UNREADABLE/],
      [['report', notResult, '--out', out], /INP_RESULT_INVALID/],
      [['report', notJson, '--out', out], /INP_RESULT_INVALID/],
      [['report', EXAMPLE, '--date', '2025-06-30'], /OUT_FILE_REQUIRED/],
      [['report', EXAMPLE, '--date', 'yesterday', '--out', out], /INP_BAD_DATE/],
      [['report', EXAMPLE, '--target', '-30%', '--out', out], /INP_BAD_ENUM .*--by/],
    ];
    for (const [args, code] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(code);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(existsSync(out), args.join(' ')).toBe(false);
    }
    expect((await readdir(dir)).sort()).toEqual(['broken.json', 'other.json']);
  });
});
