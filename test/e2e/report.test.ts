/**
 * The CLI's campaign report in a real Chromium: it opens from the file alone (no request leaves the page), passes axe
 * (WCAG 2.1 A/AA, no serious or critical violation), prints to a PDF, and in print its first page holds the title page
 * with the key figure — the independent `assess --summary --format json` run's climate-change total.
 *
 * The PDF's text is not extracted (no PDF text tool on the build machine: Debian's poppler-utils is not installed);
 * the first page is checked on the printed layout instead: the title page ends with a page break and its height fits
 * one printed A4 page, so the key figure is on page 1.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openBrowser, seriousViolations, type Browser } from './browser.js';

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

describe('the e2e browser', () => {
  it('fails (never skips) with what to install when Chromium is missing', async () => {
    const { chromiumPath } = await import('./browser.js');
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /Chromium not found at \/nonexistent\/chromium: .*apt-get install chromium/,
    );
    expect(chromiumPath({ CHROMIUM_PATH: '/usr/bin/chromium' })).toBe('/usr/bin/chromium');
  });
});
