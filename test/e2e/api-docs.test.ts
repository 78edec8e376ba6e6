/**
 * The API reference page (`/api/docs`, Swagger UI from the package's own files) in a real Chromium, under the
 * server's Content-Security-Policy: no CSP violation is reported, no request leaves the server, and the operations of
 * the OpenAPI document render (an operation's path and summary are visible, and it opens).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { openStore, type Store } from '../../src/store/open.js';
import { depsFor } from '../server/world.js';
import { openBrowser, type Browser } from './browser.js';

describe('/api/docs in Chromium', () => {
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    app = await buildServer(depsFor(store), { logger: false, webRoot: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await openBrowser({ locale: 'en-GB' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  it('renders the operations list with no CSP violation and no outside request', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    const violations: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.exposeFunction('reportCsp', (v: string) => void violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCsp(v: string): void }).reportCsp(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
        ),
      );
    });
    const res = await page.goto(`${base}/api/docs`);
    expect(res?.status()).toBe(200);
    // Its own policy: nothing inline but one style by hash; the rest of the server keeps the dashboard's.
    const csp = (await res!.allHeaders())['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('https:');
    const health = await fetch(`${base}/api/health`);
    expect(health.headers.get('content-security-policy')).toContain("style-src 'self';");
    // The operations list: the campaigns' totals route, with its summary, as Swagger UI lays it out.
    const op = page.locator('.opblock', { hasText: '/api/v1/campaigns/{campaignId}/totals' }).first();
    await op.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await op.locator('.opblock-summary-method').textContent()).toBe('GET');
    await op.locator('.opblock-summary-control').click();
    await page.locator('.opblock.is-open .parameters').first().waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('.opblock.is-open .parameter__name').first().textContent()).toContain('campaignId');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(50);
    expect(violations).toEqual([]);
    // Chromium's message names the hash a blocked inline style would need (SWAGGER_UI_STYLE in src/server/app.ts).
    expect(console.filter((l) => /Content.Security.Policy|Refused to/i.test(l))).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
