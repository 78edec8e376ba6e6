/**
 * Imports flow one way (brief: "the engine is pure … imports flow one way"): formats → inventory / referential →
 * engine → services → app (use cases) → cli. This test reads every import of src/ and fails on an import against the flow, and on I/O
 * or clock access inside the engine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return (p.endsWith('.ts') || p.endsWith('.tsx')) && !/\.test\.tsx?$/.test(p) ? [p] : [];
  });
}

const layerOf = (rel: string): string => rel.split('/')[0]!.replace(/\.tsx?$/, '');

/** layer → layers it must not import (relative imports inside src/). */
const FORBIDDEN: Record<string, readonly string[]> = {
  issues: ['formats', 'inventory', 'referential', 'engine', 'services', 'app', 'cli', 'bench'],
  formats: ['inventory', 'referential', 'engine', 'services', 'app', 'cli', 'bench'],
  inventory: ['engine', 'services', 'app', 'cli', 'bench'],
  referential: ['engine', 'services', 'app', 'cli', 'bench', 'inventory'],
  engine: ['formats', 'services', 'app', 'cli', 'bench'],
  services: ['app', 'cli', 'bench', 'formats'],
  app: ['cli', 'bench', 'web'],
  // The dashboard and the report's components run in the browser: no server, store or CLI code (issue 15).
  web: ['cli', 'bench', 'server', 'store'],
};

const imports = (text: string): string[] =>
  [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('architecture', () => {
  const all = files(SRC).map((p) => ({ rel: relative(SRC, p), text: readFileSync(p, 'utf8') }));

  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('imports flow one way between domain folders', () => {
    const violations: string[] = [];
    for (const f of all) {
      const from = layerOf(f.rel);
      for (const spec of imports(f.text)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(SRC, f.rel, '..', spec));
        const to = layerOf(target);
        if (FORBIDDEN[from]?.includes(to)) violations.push(`${f.rel} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the engine only imports the inventory model (types) from the inventory folder', () => {
    const bad = all
      .filter((f) => layerOf(f.rel) === 'engine')
      .flatMap((f) =>
        imports(f.text)
          .filter((s) => s.includes('/inventory/') && !s.endsWith('/inventory/model.js'))
          .map((s) => `${f.rel}: ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('the engine does no I/O and reads no clock', () => {
    const bad = all
      .filter((f) => layerOf(f.rel) === 'engine')
      .flatMap((f) =>
        [
          /from ['"]node:/,
          /from ['"](fs|path|os|child_process|http|https|net)['"]/,
          /Date\.now\(/,
          /new Date\(/,
          /process\./,
        ]
          .filter((re) => re.test(f.text))
          .map((re) => `${f.rel}: ${re}`),
      );
    expect(bad).toEqual([]);
  });

  it('the application layer uses no transport and no process: no commander, no HTTP, no `process`', () => {
    const app = all.filter((f) => layerOf(f.rel) === 'app');
    expect(app.length).toBeGreaterThan(5);
    const bad = app.flatMap((f) =>
      [
        /from ['"]commander['"]/,
        /from ['"](node:)?(http|https|http2|process)['"]/,
        /\bprocess\.[a-zA-Z]/,
        /\bglobalThis\.process\b/,
      ]
        .filter((re) => re.test(f.text))
        .map((re) => `${f.rel}: ${re}`),
    );
    expect(bad).toEqual([]);
  });

  it('the CLI calls the use cases: assess and validate run neither the pipeline nor the engine themselves', () => {
    for (const cmd of ['cli/assess.ts', 'cli/validate.ts']) {
      const f = all.find((x) => x.rel === cmd);
      expect(f, cmd).toBeDefined();
      expect(
        imports(f!.text).some((s) => s.startsWith('../app/')),
        cmd,
      ).toBe(true);
      expect(f!.text, cmd).not.toMatch(/processInventory\(|new Assessment\(|new Aggregator\(/);
    }
  });

  it('the store and the server stay at the edges (issue 12)', () => {
    /** layer → layers it must not import. The server imports the store and the application layer, never the CLI. */
    const EDGE_RULES: Record<string, readonly string[]> = {
      engine: ['store', 'server'],
      inventory: ['store', 'server'],
      referential: ['store', 'server'],
      formats: ['store', 'server'],
      issues: ['store', 'server'],
      services: ['store', 'server'],
      app: ['server'],
      store: ['server', 'cli', 'bench', 'engine', 'inventory'],
      server: ['cli', 'bench'],
    };
    const violations = all.flatMap((f) =>
      imports(f.text)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(SRC, join(SRC, f.rel, '..', spec)))
        .filter((target) => EDGE_RULES[layerOf(f.rel)]?.includes(layerOf(target)))
        .map((target) => `${f.rel} imports ${target}`),
    );
    expect(violations).toEqual([]);
    expect(all.some((f) => layerOf(f.rel) === 'store')).toBe(true);
  });

  it('the web components import the application layer for its types only (issue 15)', () => {
    const valueImports = (text: string): string[] =>
      [...text.matchAll(/(?:^|\n)\s*import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    const web = all.filter((f) => layerOf(f.rel) === 'web');
    expect(web.length).toBeGreaterThan(3);
    const bad = web.flatMap((f) =>
      valueImports(f.text)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(SRC, join(SRC, f.rel, '..', spec)))
        .filter((target) => ['app', 'engine', 'inventory', 'referential'].includes(layerOf(target)))
        .map((target) => `${f.rel} imports ${target}`),
    );
    expect(bad).toEqual([]);
  });
});
