/**
 * `empreinte admin …` and `empreinte serve`, end to end: admin commands in process against a data folder, the server
 * as a child process (listen, health, login with an admin-made account, graceful stop on SIGTERM).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('empreinte admin and serve (SQLite data folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-admin-'));
  const env = { EMPREINTE_DATA_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an organisation, users and a token; the secret file is private', async () => {
    const org = await runCli(['admin', 'create-organisation', 'Mairie de Test'], env);
    expect(org.code, org.err).toBe(0);
    expect(org.out.trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'empreinte.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const dup = await runCli(['admin', 'create-organisation', 'Mairie de Test'], env);
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('APP_CONFLICT');

    const u = await runCli(
      ['admin', 'create-user', '--email', 'Admin@Mairie.fr', '--organisation', 'Mairie de Test', '--role', 'admin'],
      env,
    );
    expect(u.code, u.err).toBe(0);
    expect(u.out).toMatch(/^user [0-9a-f-]{36} password [\w-]{24}\n$/);

    const badRole = await runCli(
      ['admin', 'create-user', '--email', 'x@mairie.fr', '--organisation', 'Mairie de Test', '--role', 'owner'],
      env,
    );
    expect(badRole.code).toBe(2);
    const noOrg = await runCli(
      ['admin', 'create-user', '--email', 'x@mairie.fr', '--organisation', 'Nowhere', '--role', 'viewer'],
      env,
    );
    expect(noOrg.code).toBe(2);
    expect(noOrg.err).toContain('APP_NOT_FOUND');

    const t = await runCli(['admin', 'create-token', '--email', 'admin@mairie.fr'], env);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^emp_tok_[\w-]{43}\n$/);
  });

  it('a bad configuration is one line naming the variable, never its value, and exit 2', async () => {
    const r = await runCli(['serve'], { ...env, DATABASE_URL: 'mysql://u:hunter2@db/x', PORT: '99999' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/DATABASE_URL/);
    expect(r.err).toMatch(/PORT/);
    expect(r.err).not.toContain('hunter2');
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('serve listens, answers health and a token-authenticated request, and stops gracefully on SIGTERM', async () => {
    const t = await runCli(['admin', 'create-token', '--email', 'admin@mairie.fr', '--name', 'serve-test'], env);
    const token = t.out.trim();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['serve']); })",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', EMPREINTE_LOG_LEVEL: 'warn' },
      },
    );
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${stderr}`)), 30_000);
      child.stderr.on('data', (d) => {
        stderr += String(d);
        const m = /serving on (http:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}: ${stderr}`)));
    });
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: 'ok' });
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe('admin@mairie.fr');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toContain('empreinte: stopped');
    expect(stderr).not.toContain(token);
  });
});
