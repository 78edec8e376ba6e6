/**
 * The campaign report in a real Chromium.
 *
 * The CLI's report: it opens from the file alone (no request leaves the page), passes axe (WCAG 2.1 A/AA, no serious
 * or critical violation), prints to a PDF whose first page (its text read back by pdftotext) holds the title page with
 * the key figure — the independent `assess --summary --format json` run's climate-change total.
 *
 * The dashboard's report (`#/report`): the same components fed from the API; for the demo campaign 2024 (the example
 * inventory, reference date 2024-12-31) it shows the same key figures and splits as `empreinte report` on that
 * inventory at that date, passes axe, and prints (window.print's stylesheet) with the key figure on page 1.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { main } from '../../src/cli/main.js';
import { openBrowser, pdfPageText, seriousViolations, type Browser } from './browser.js';
import { startDemoServer, type DemoServer } from './server.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'inventory');

async function cli(args: string[]): Promise<void> {
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    expect(await main(args, { LANG: 'C' }), err).toBe(0);
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

describe('the CLI report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let climateKg: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-e2e-report-'));
    await cli([
      'assess',
      EXAMPLE,
      '--date',
      '2025-06-30',
      '--summary',
      '--format',
      'json',
      '--out',
      join(dir, 's.json'),
    ]);
    const doc = JSON.parse(await readFile(join(dir, 's.json'), 'utf8')) as {
      totals: { byCriterion: { criterion: string; value: number }[] };
    };
    climateKg = doc.totals.byCriterion.find((c) => c.criterion === 'CLIMATE_CHANGE')!.value;
    await cli(['report', EXAMPLE, '--date', '2025-06-30', '--title', 'Ville d’Exemple', '--out', join(dir, 'r.html')]);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the file alone, accessible (axe, WCAG 2.1 AA: no serious or critical violation)', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'r.html')).href);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Ville d’Exemple');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('prints to PDF; the first printed page holds the title page and its key figure', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'r.html')).href);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThan(2);
    // Page 1's text: the title and the key figure as written (29,5 t CO2 eq), which the key-figures table (page 2) repeats.
    const first = await pdfPageText(pdf, 1);
    expect(first).toContain('Ville d’Exemple');
    const shown = /(\d+,\d) t CO2 eq/.exec(first);
    expect(shown, first).not.toBeNull();
    expect(Math.abs(Number(shown![1]!.replace(',', '.')) - climateKg / 1000)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(await pdfPageText(pdf, 2)).not.toContain('Ville d’Exemple');

    await page.emulateMedia({ media: 'print' });
    const layout = await page.evaluate(() => {
      const title = document.querySelector('[data-testid="report-title-page"]')!;
      const headline = document.querySelector('[data-testid="report-headline-value"]')!;
      const first = document.querySelector('main')!.firstElementChild!.firstElementChild!;
      return {
        firstIsTitle: first === title,
        breakAfter: getComputedStyle(title).breakAfter,
        titleBottom: title.getBoundingClientRect().bottom,
        headlineInTitle: title.contains(headline),
        value: Number(headline.getAttribute('data-value')),
        text: headline.textContent,
      };
    });
    expect(layout.firstIsTitle).toBe(true);
    expect(layout.breakAfter).toBe('page');
    expect(layout.headlineInTitle).toBe(true);
    // A4 is 297 mm tall, 15 mm margins top and bottom: 267 mm = 1009 CSS px printable.
    expect(layout.titleBottom).toBeLessThan((267 / 25.4) * 96);
    expect(layout.value).toBe(climateKg);
    // 29,5 t CO2 eq: tonnes with a decimal comma, within half a displayed digit of the independent total.
    const m = /^(\d+),(\d)\u00a0t CO2 eq$/.exec(layout.text ?? '');
    expect(m, layout.text ?? '').not.toBeNull();
    expect(Math.abs(Number(`${m![1]}.${m![2]}`) - climateKg / 1000)).toBeLessThanOrEqual(0.05 + 1e-9);
    await page.close();
  });
});

/** Signs the demo administrator in, unless the browser's session already is. */
async function signIn(page: Page, server: DemoServer): Promise<void> {
  await page.goto(server.url + '/');
  await page.locator('[data-testid="login-email"], [data-testid="campaign-select"]').first().waitFor();
  if (await page.getByTestId('login-email').isVisible()) {
    await page.getByTestId('login-email').fill(server.demo.adminEmail);
    await page.getByTestId('login-password').fill(server.demo.adminPassword);
    await page.getByTestId('login-submit').click();
  }
  await page.getByTestId('campaign-select').waitFor();
}

/** The key figures and splits a report page shows: every `data-value` of those sections with its text. */
async function figures(page: Page): Promise<{ headline: string; keyFigures: string[][]; charts: string[][] }> {
  const cells = (section: string) =>
    page
      .locator(`[data-testid="${section}"] [data-value]`)
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-value') ?? '', (e.textContent ?? '').trim()]));
  return {
    headline: (await page.getByTestId('report-headline-value').getAttribute('data-value')) ?? '',
    keyFigures: await cells('report-key-figures'),
    charts: await cells('report-charts'),
  };
}

describe('the dashboard’s report in Chromium, against the CLI’s', { timeout: 300_000 }, () => {
  let server: DemoServer;
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-e2e-report-web-'));
    // The demo's campaign 2024 is the example inventory with reference date 2024-12-31, assessed by the server.
    await cli(['report', EXAMPLE, '--date', '2024-12-31', '--campaign', '2024', '--out', join(dir, 'cli.html')]);
    server = await startDemoServer();
    browser = await openBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the key figures and splits of `empreinte report` for the same campaign, passes axe, prints them on page 1', async () => {
    const cliPage = await browser.newPage();
    await cliPage.goto(pathToFileURL(join(dir, 'cli.html')).href);
    const expected = await figures(cliPage);
    await cliPage.close();
    expect(expected.keyFigures.length).toBeGreaterThan(5);
    expect(expected.charts.length).toBeGreaterThan(10);

    const page = await browser.newPage();
    await signIn(page, server);
    await page.getByTestId('campaign-select').selectOption({ label: '2024' });
    await page.goto(`${server.url}/#/report`);
    await page.getByTestId('report-headline-value').waitFor({ timeout: 120_000 });
    expect(await figures(page)).toEqual(expected);
    // The demo has a target: the report's trajectory has its line.
    await expect(page.getByTestId('report-trajectory').textContent()).resolves.toMatch(
      /Cible\s:\s-30\s%\sentre 2024 et 2030/,
    );
    expect(await seriousViolations(page)).toEqual([]);

    // window.print()'s stylesheet: no shell, the title page alone on page 1 with the key figure as written.
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const first = await pdfPageText(pdf, 1);
    const headline = ((await page.getByTestId('report-headline-value').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(headline).toMatch(/^\d+,\d t CO2 eq$/);
    expect(first).toContain(headline);
    expect(first).toContain('Démo');
    expect(first).not.toContain(await page.getByTestId('nav-overview').textContent());
    // The title page breaks: page 2 starts with the key figures.
    expect(await pdfPageText(pdf, 2)).toMatch(/^Chiffres clés/);
    await page.close();
  });

  it('KPIs and referential pages: charts whose data tables are the API’s numbers, axe clean', async () => {
    const page = await browser.newPage();
    await signIn(page, server);
    await page.getByTestId('campaign-select').selectOption({ label: '2025' });
    const campaignId = await page.getByTestId('campaign-select').inputValue();
    const get = async <T>(path: string): Promise<T> => {
      const res = await page.request.get(server.url + path);
      expect(res.status(), path).toBe(200);
      return (await res.json()) as T;
    };
    const values = (testId: string) =>
      page
        .getByTestId(testId)
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [
            r.querySelector('th, td')!.textContent!.trim(),
            ...Array.from(r.querySelectorAll('[data-value]')).map((c) => Number(c.getAttribute('data-value'))),
          ]),
        );

    type Block = {
      entity: string;
      footprint: { criterion: string; perCollaborator: number | null }[];
      lifetimeByType: { type: string; quantity: number; retainedYears: number; expectedYears: number | null }[];
    };
    const kpis = await get<{ campaign: Block; byEntity: Block[] }>(`/api/v1/campaigns/${campaignId}/kpis`);
    await page.goto(`${server.url}/#/kpis`);
    await page.getByTestId('chart-kpi-entity').waitFor({ timeout: 120_000 });
    // Per entity: kg CO2 eq per collaborator, largest first, the API's exact numbers.
    const perEntity = kpis.byEntity
      .map((e) => [e.entity, e.footprint.find((f) => f.criterion === 'CLIMATE_CHANGE')!.perCollaborator] as const)
      .filter((e): e is readonly [string, number] => e[1] !== null)
      .sort((a, b) => b[1] - a[1]);
    expect(perEntity.length).toBeGreaterThan(1);
    expect(await values('chart-kpi-entity-table')).toEqual(perEntity.map(([e, v]) => [e, v]));
    // Lifetime per type: retained and expected years side by side.
    expect(await values('chart-kpi-lifetime-table')).toEqual(
      kpis.campaign.lifetimeByType.map((l) => [
        `${l.type} (${l.quantity.toLocaleString('fr-FR')})`,
        l.retainedYears,
        ...(l.expectedYears === null ? [] : [l.expectedYears]),
      ]),
    );
    expect(await page.locator('main svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
    expect(await seriousViolations(page)).toEqual([]);

    const packs = await get<{ id: string; files: { path: string; rows: number }[] }[]>('/api/v1/referentials');
    await page.goto(`${server.url}/#/referential`);
    await page.getByTestId('chart-pack-rows-0').waitFor({ timeout: 60_000 });
    const files = [...packs[0]!.files].sort((a, b) => b.rows - a.rows);
    const total = files.reduce((a, f) => a + f.rows, 0);
    expect(await values('chart-pack-rows-0-table')).toEqual(
      files.map((f) => [f.path.replace(/\.json$/, ''), f.rows, f.rows / total]),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('the e2e browser', () => {
  it('fails (never skips) with what to install when Chromium is missing', async () => {
    const { chromiumPath } = await import('./browser.js');
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /Chromium not found at \/nonexistent\/chromium: .*apt-get install chromium/,
    );
    expect(chromiumPath({ CHROMIUM_PATH: '/usr/bin/chromium' })).toBe('/usr/bin/chromium');
  });

  it('fails (never skips) with what to install when pdftotext is missing', async () => {
    await expect(pdfPageText(new Uint8Array(), 1, { PDFTOTEXT_PATH: '/nonexistent/pdftotext' })).rejects.toThrow(
      /pdftotext not found \(\/nonexistent\/pdftotext\): .*apt-get install poppler-utils/,
    );
  });
});
