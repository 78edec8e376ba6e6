/**
 * The end-to-end tests' browser: Debian's Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium) driven by playwright-core,
 * headless, with a fresh empty profile and no background traffic. A missing browser fails the test with what to
 * install; it never skips. Also the accessibility check every page goes through (axe-core, WCAG 2.1 A and AA), and
 * the text of a printed page (pdftotext).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary, or an error saying how to get one. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `Chromium not found at ${path}: the end-to-end tests need Debian's chromium package ` +
        `(apt-get install chromium, as .ci/run does) or CHROMIUM_PATH naming a Chromium binary`,
    );
  return path;
}

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A headless Chromium with a new empty user-data-dir, French first (the dashboard follows the browser's language). */
export async function openBrowser(
  o: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'empreinte-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    locale: o.locale ?? 'fr-FR',
    viewport: o.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical axe violations of the page as `rule: target…` lines (empty when none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The text of one page of a PDF, by Debian's `pdftotext` (poppler-utils, which `.ci/run` installs): whitespace runs
 * (no-break and narrow no-break spaces included) as one space. A missing pdftotext fails the test with what to install;
 * it never skips.
 */
export async function pdfPageText(
  pdf: Uint8Array,
  page: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const tool = env.PDFTOTEXT_PATH || 'pdftotext';
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-pdf-'));
  try {
    const file = join(dir, 'page.pdf');
    await writeFile(file, pdf);
    let out: string;
    try {
      out = execFileSync(tool, ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(
          `pdftotext not found (${tool}): the end-to-end tests read the printed report with Debian's poppler-utils ` +
            `(apt-get install poppler-utils, as .ci/run does) or PDFTOTEXT_PATH naming a pdftotext binary`,
        );
      throw e;
    }
    return out.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
