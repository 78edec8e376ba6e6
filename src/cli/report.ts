/** What the commands print on the terminal while a run goes: the progress bar and the referential warnings. */
import type { Issue } from '../issues/catalogue.js';
import type { Lang } from './lang.js';
import { issueLine } from './terminal.js';

/** A terminal progress bar drawn on `err` with carriage returns, at most 10 times a second. */
export function progressBar(err: (s: string) => void): (done: number, total: number) => void {
  let lastDraw = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - lastDraw < 100 && done < total) return;
    lastDraw = now;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`);
  };
}

const REFERENTIAL_WARNINGS = 20;

/** The referential rows ignored, as warnings (the first 20, then their count). */
export function printIgnoredRows(err: (s: string) => void, issues: readonly Issue[], lang: Lang): void {
  const fr = lang === 'fr';
  const warning = fr ? 'avertissement' : 'warning';
  for (const i of issues.slice(0, REFERENTIAL_WARNINGS))
    err(`${warning}: ${issueLine(i, lang)} (${fr ? 'ligne ignorée' : 'row ignored'})\n`);
  if (issues.length > REFERENTIAL_WARNINGS) {
    const more = issues.length - REFERENTIAL_WARNINGS;
    err(`${warning}: ${more} ${fr ? 'autres lignes du référentiel ignorées' : 'more referential rows ignored'}\n`);
  }
}
