import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, findWebRoot } from '../../src/server/app.js';
import { freshStore, type FreshStore } from '../store/databases.js';
import { depsFor } from '../server/world.js';

/** The server serves the dashboard at / from a built folder, with the API keeping its routes and its 404s. */
describe('dashboard served by the server', () => {
  let f: FreshStore;
  let app: FastifyInstance;
  let none: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-web-'));
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>app</title><script type="module" src="/assets/a.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
    f = await freshStore('sqlite');
    app = await buildServer(depsFor(f.store), { logger: false, webRoot: dir });
    none = await buildServer(depsFor(f.store), { logger: false, webRoot: false });
  });
  afterAll(async () => {
    await app?.close();
    await none?.close();
    await f?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with a CSP allowing only its own scripts and styles', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<title>app</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('https:');
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('serves hashed assets as immutable and index.html for other paths (SPA fallback)', async () => {
    const a = await app.inject({ method: 'GET', url: '/assets/a.js' });
    expect(a.statusCode).toBe(200);
    expect(a.body).toBe('console.log(1)');
    expect(a.headers['cache-control']).toContain('immutable');
    const deep = await app.inject({ method: 'GET', url: '/overview/anything' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>app</title>');
    expect(deep.headers['cache-control']).toBe('no-cache');
  });

  it('keeps the API routes and answers problem+json 404 for unknown API paths', async () => {
    const me = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(401);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json().details.kind).toBe('route');
    const post = await app.inject({ method: 'POST', url: '/somewhere' });
    expect(post.statusCode).toBe(404);
  });

  it('without a built dashboard, / is a plain 404 problem', async () => {
    const r = await none.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('finds dist/web upward from the server module, and dist/web beside the bundle', () => {
    const root = mkdtempSync(join(tmpdir(), 'empreinte-pkg-'));
    try {
      mkdirSync(join(root, 'dist', 'web'), { recursive: true });
      mkdirSync(join(root, 'dist', 'server'), { recursive: true });
      mkdirSync(join(root, 'src', 'server'), { recursive: true });
      // src/web/index.html (the sources) must not be taken for the build
      mkdirSync(join(root, 'src', 'web'), { recursive: true });
      writeFileSync(join(root, 'src', 'web', 'index.html'), 'source');
      expect(findWebRoot(join(root, 'src', 'server'))).toBeUndefined();
      writeFileSync(join(root, 'dist', 'web', 'index.html'), 'built');
      expect(findWebRoot(join(root, 'src', 'server'))).toBe(join(root, 'dist', 'web'));
      expect(findWebRoot(join(root, 'dist', 'server'))).toBe(join(root, 'dist', 'web'));
      expect(findWebRoot(join(root, 'dist'))).toBe(join(root, 'dist', 'web'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
