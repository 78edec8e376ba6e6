/**
 * `npm run screenshots`: PNGs of the dashboard's main pages in docs/screenshots/ (French UI, 1280×800), shown in the
 * README. The same automation as the end-to-end tests (test/e2e): the real server started in-process with the demo
 * organisation on a temporary database, Debian's Chromium (CHROMIUM_PATH, else /usr/bin/chromium), signed in as the
 * demo administrator. Needs the built dashboard (`npm run build`). Each file is written atomically.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBrowser } from '../test/e2e/browser.js';
import { ROOT, startDemoServer } from '../test/e2e/server.js';

const OUT = join(ROOT, 'docs', 'screenshots');

/** Page → hash route and what to wait for before the shot (`#/explorer?item=0` opens the first item's trace). */
const SHOTS: readonly { file: string; hash: string; ready: string; scroll?: boolean }[] = [
  { file: 'overview.png', hash: '#/overview', ready: '[data-testid="totals"]' },
  { file: 'trajectory.png', hash: '#/trajectory', ready: 'main h1' },
  { file: 'why-it-changed.png', hash: '#/change', ready: '[data-testid="change-delta"]' },
  { file: 'scenarios.png', hash: '#/scenarios', ready: 'main h1' },
  { file: 'explorer-trace.png', hash: '#/explorer?item=0', ready: '[data-testid="trace"]', scroll: true },
  { file: 'data-quality.png', hash: '#/quality', ready: 'main h1' },
  { file: 'kpis.png', hash: '#/kpis', ready: '[data-testid="chart-kpi-entity"]' },
  { file: 'referential.png', hash: '#/referential', ready: '[data-testid="chart-pack-rows-0"]' },
  { file: 'report.png', hash: '#/report', ready: '[data-testid="report"]' },
];

async function main(): Promise<void> {
  const server = await startDemoServer();
  const browser = await openBrowser({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    await page.getByTestId('login-email').fill(server.demo.adminEmail);
    await page.getByTestId('login-password').fill(server.demo.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('campaign-select').waitFor();
    // The latest demo campaign (2025), compared with 2024 where a page compares.
    await page.getByTestId('campaign-select').selectOption({ label: '2025' });
    for (const s of SHOTS) {
      await page.goto(`${server.url}/${s.hash}`);
      const ready = page.locator(s.ready).first();
      await ready.waitFor({ timeout: 180_000 });
      await page.waitForLoadState('networkidle');
      // The top of the page, or a panel opened below the fold (the explorer's trace) at the top of the window.
      if (s.scroll) await ready.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      else await page.evaluate(() => window.scrollTo(0, 0));
      const png = await page.screenshot({ fullPage: false });
      const file = join(OUT, s.file);
      await writeFile(`${file}.tmp`, png);
      await rename(`${file}.tmp`, file);
      process.stdout.write(`${file}\n`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
