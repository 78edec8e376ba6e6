import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'scripts', 'check-bundle.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('first-load budget of the dashboard (scripts/check-bundle.mjs)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'empreinte-bundle-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the built dist/web loads at most 150 KB gzipped of JS and CSS first', () => {
    const dist = join(root, 'dist', 'web', 'index.html');
    // npm ci runs `prepare`, which builds dist/web: a missing build is a failure, never a skip.
    expect(existsSync(dist), 'dist/web is not built: run `npm run build` (npm ci does it through prepare)').toBe(true);
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const total = /([\d.]+) KB gzip in total/.exec(r.stdout);
    expect(total).not.toBeNull();
    expect(Number(total![1])).toBeGreaterThan(0);
    expect(Number(total![1])).toBeLessThanOrEqual(150);
  });

  it('sums the scripts, style sheets and their static imports, and fails above the budget', () => {
    const dir = join(tmp, 'over');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    // Random bytes do not compress: 100 KiB + 60 KiB of base64-free random data ≈ 160 KiB gzipped.
    writeFileSync(
      join(dir, 'index.html'),
      '<script type="module" src="/assets/a.js"></script><link rel="stylesheet" href="/assets/a.css">',
    );
    writeFileSync(
      join(dir, 'assets', 'a.js'),
      Buffer.concat([Buffer.from('import "./b.js";\n'), randomBytes(100 * 1024)]),
    );
    writeFileSync(join(dir, 'assets', 'b.js'), randomBytes(60 * 1024));
    writeFileSync(join(dir, 'assets', 'a.css'), 'body{margin:0}');
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('assets/b.js'); // the static import is counted
    expect(r.stderr).toMatch(/exceeds the budget of 150 KB/);
    // the same files pass a 200 KB budget
    expect(run(dir, '--budget', '200').status).toBe(0);
  });

  it('refuses an inline script and an asset from another host', () => {
    const inline = join(tmp, 'inline');
    mkdirSync(inline);
    writeFileSync(join(inline, 'index.html'), '<script>alert(1)</script>');
    expect(run(inline).stderr).toContain('inline script');
    const cdn = join(tmp, 'cdn');
    mkdirSync(cdn);
    writeFileSync(join(cdn, 'index.html'), '<script src="https://cdn.example/x.js"></script>');
    const r = run(cdn);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('another host');
  });

  it('says to run `npm run build` when nothing is built', () => {
    const r = run(join(tmp, 'missing'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('npm run build');
  });
});
