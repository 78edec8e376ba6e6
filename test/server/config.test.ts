import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionSecret } from '../../src/server/compose.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('server configuration', () => {
  it('defaults to SQLite under ./data on 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8080, trustProxy: false });
    expect(c.store).toEqual({ kind: 'sqlite', file: resolve('data', 'empreinte.sqlite') });
    expect(c.sessionSecret).toBeUndefined();
  });

  it('DATABASE_URL selects PostgreSQL; an empty one counts as unset', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db/x' }).store).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db/x',
    });
    expect(loadConfig({ DATABASE_URL: '' }).store.kind).toBe('sqlite');
  });

  it('refuses a short session secret without echoing it', () => {
    expect(() => loadConfig({ EMPREINTE_SESSION_SECRET: 'tooshort-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ EMPREINTE_SESSION_SECRET: 'tooshort-secret' });
    } catch (e) {
      expect((e as Error).message).toContain('EMPREINTE_SESSION_SECRET');
      expect((e as Error).message).not.toContain('tooshort-secret');
    }
  });

  it('generates the session secret once into the data folder (0600), then keeps it; the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-secret-'));
    try {
      const c = loadConfig({ EMPREINTE_DATA_DIR: dir });
      const first = sessionSecret(c);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
      expect(sessionSecret(c)).toBe(first);
      const fromEnv = 'x'.repeat(40);
      expect(sessionSecret(loadConfig({ EMPREINTE_DATA_DIR: dir, EMPREINTE_SESSION_SECRET: fromEnv }))).toBe(fromEnv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('job settings: documented defaults, read from the environment, bounds named without values', () => {
    const c = loadConfig({});
    expect(c.worker).toBe(true);
    expect(c.jobs).toEqual({
      expireSeconds: 900,
      retryLimit: 2,
      retryDelaySeconds: 30,
      retryBackoff: true,
      pollSeconds: 2,
      maintenanceSeconds: 60,
      stopSeconds: 30,
      concurrency: 1,
      resultBatchRows: 1000,
      chunkItems: 500_000,
    });
    const t = loadConfig({
      EMPREINTE_WORKER: '0',
      EMPREINTE_JOB_EXPIRE_SECONDS: '12',
      EMPREINTE_JOB_RETRY_LIMIT: '0',
      EMPREINTE_JOB_RETRY_BACKOFF: '0',
      EMPREINTE_WORKER_CONCURRENCY: '4',
      EMPREINTE_CHUNK_ITEMS: '50000',
    });
    expect(t.worker).toBe(false);
    expect(t.jobs).toMatchObject({
      expireSeconds: 12,
      retryLimit: 0,
      retryBackoff: false,
      concurrency: 4,
      chunkItems: 50_000,
    });
    expect(() => loadConfig({ EMPREINTE_CHUNK_ITEMS: '0' })).toThrow(/EMPREINTE_CHUNK_ITEMS/);
    expect(() => loadConfig({ EMPREINTE_JOB_POLL_SECONDS: '0.1' })).toThrow(/EMPREINTE_JOB_POLL_SECONDS/);
    expect(() => loadConfig({ EMPREINTE_JOB_EXPIRE_SECONDS: 'soon' })).toThrow(/EMPREINTE_JOB_EXPIRE_SECONDS/);
  });
});
