/**
 * Tenancy stays in one place: outside src/store/scoped.ts, no source file queries a tenant table, and nothing in the
 * store or the server reads the environment except the composition root (src/server/config.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TENANT_TABLES } from '../../src/store/schema.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });

describe('single entry to tenant tables', () => {
  const all = files(SRC).map((p) => ({ rel: relative(SRC, p), text: readFileSync(p, 'utf8') }));

  /** The one exception: loading an actor reads their own memberships, by their own user id, before any scope exists. */
  const ALLOWED: Record<string, readonly string[]> = { 'store/accounts.ts': ['memberships'] };

  it('only src/store/scoped.ts selects, updates or deletes in a tenant table', () => {
    const verbs = ['selectFrom', 'updateTable', 'deleteFrom', 'insertInto'];
    const bad = all
      .filter((f) => f.rel !== 'store/scoped.ts' && f.rel !== 'store/migrations.ts')
      .flatMap((f) =>
        TENANT_TABLES.filter((t) => !ALLOWED[f.rel]?.includes(t)).flatMap((t) =>
          verbs
            .filter(
              (v) =>
                new RegExp(`${v}\\(\\s*['"]${t}['"]`).test(f.text) ||
                new RegExp(`(from|update|into)\\s+${t}\\b`, 'i').test(f.text),
            )
            .map((v) => `${f.rel}: ${v} ${t}`),
        ),
      );
    expect(bad).toEqual([]);
  });

  it('the store and the server never read process.env (only the composition root does)', () => {
    const bad = all
      .filter((f) => /^(store|server)\//.test(f.rel) && f.rel !== 'server/config.ts')
      .filter((f) => /process\.env/.test(f.text))
      .map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('the scan sees the store', () => {
    expect(all.map((f) => f.rel)).toEqual(
      expect.arrayContaining(['store/scoped.ts', 'store/open.ts', 'server/app.ts']),
    );
  });
});
