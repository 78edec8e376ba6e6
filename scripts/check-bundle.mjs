// The dashboard's first-load budget (issue 15): the gzipped size of the JavaScript and CSS that dist/web/index.html
// loads first (its <script src>, <link rel="stylesheet"> and <link rel="modulepreload">, and the static imports of
// those scripts, which the browser fetches before running anything) must not exceed 150 KB (150 × 1024 bytes).
// Usage: node scripts/check-bundle.mjs [dist/web] [--budget KB]; exit 0 within budget, 1 above, 2 when not built.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget');
const budgetKb = budgetAt >= 0 ? Number(args[budgetAt + 1]) : 150;
const positional = args.filter((a, i) => !a.startsWith('--') && (budgetAt < 0 || i !== budgetAt + 1));
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(positional[0] ?? join(root, 'dist', 'web'));
const index = join(dir, 'index.html');

if (!existsSync(index)) {
  console.error(`check-bundle: ${index} not found: build the dashboard first with \`npm run build\``);
  process.exit(2);
}

const html = readFileSync(index, 'utf8');
/** Local asset paths referenced by the HTML's scripts and style sheets (absolute URLs to other hosts are refused). */
const refs = [];
for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.push(m[1]);
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
  const tag = m[0];
  if (!/\brel="(stylesheet|modulepreload)"/.test(tag)) continue;
  const href = /\bhref="([^"]+)"/.exec(tag);
  if (href) refs.push(href[1]);
}
if (/<script(?![^>]*\bsrc=)[^>]*>[^<]+<\/script>/.test(html)) {
  console.error('check-bundle: index.html has an inline script (the CSP allows none)');
  process.exit(1);
}

const seen = new Set();
const files = [];
const visit = (ref, from) => {
  if (/^[a-z]+:\/\//i.test(ref) || ref.startsWith('//')) {
    console.error(`check-bundle: ${ref} is loaded from another host (no CDN allowed)`);
    process.exit(1);
  }
  const path = ref.startsWith('/') ? join(dir, ref) : resolve(from, ref);
  if (seen.has(path)) return;
  seen.add(path);
  if (!existsSync(path)) {
    console.error(`check-bundle: ${ref} is referenced by index.html but missing from ${dir}`);
    process.exit(1);
  }
  const bytes = readFileSync(path);
  files.push({ path, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  // Static imports of an ES module are fetched before it runs: they belong to the first load too.
  if (path.endsWith('.js')) {
    const text = bytes.toString('utf8');
    for (const s of text.matchAll(/(?:^|[;}\s])import\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+\.(?:js|css))["']/g))
      visit(s[1], dirname(path));
  }
};
for (const r of refs) visit(r, dir);

const total = files.reduce((a, f) => a + f.gzip, 0);
const limit = budgetKb * 1024;
for (const f of files)
  console.log(
    `${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip  ${(f.raw / 1024).toFixed(1).padStart(7)} KB  ${f.path.slice(dir.length + 1)}`,
  );
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB gzip in total (budget ${budgetKb} KB)`);
if (files.length === 0) {
  console.error('check-bundle: index.html loads no script or style sheet');
  process.exit(1);
}
if (total > limit) {
  console.error(`check-bundle: first load ${(total / 1024).toFixed(1)} KB gzip exceeds the budget of ${budgetKb} KB`);
  process.exit(1);
}
