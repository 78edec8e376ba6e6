/**
 * Upload and assessment through the API (issue 12: "1M items uploaded and assessed through the API on SQLite and on
 * PostgreSQL, target ≤ 60 s each, memory bounded"). `npm run bench` runs it; alone:
 *   node --import tsx scripts/bench-api.ts [items=1000000] [sqlite|postgres|both=both]
 * For each database, real processes as deployed, started with `node --import tsx` from the sources:
 *  - SQLite: `empreinte serve` (the in-process runner assesses, chunk after chunk);
 *  - PostgreSQL (DATABASE_URL: a role that may create databases; a throwaway database is made and dropped):
 *    `empreinte serve --no-worker` and two `empreinte worker` processes sharing the assessment's chunks
 *    (EMPREINTE_CHUNK_ITEMS, default 500,000).
 * The organisation, user and token come from the admin commands; then over HTTP: create a campaign, upload the items
 * as two generated CSV files (the upload limit is 64 MB a file), start the assessment, poll the job until done.
 * Printed: wall time of the uploads and of the assessment, CPU time (user + system, from /proc) of each process over
 * each phase, and each process's peak RSS (VmHWM). On a shared machine compare CPU times, not wall times.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generatePhysicalCsv } from './gen-inventory.js';

const n = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? 'both';
const ROOT = join(import.meta.dirname, '..');
const FILES = 2;
const fmt = (x: number, d = 1) => x.toFixed(d);
const TICK = 100; // USER_HZ on Linux

const cli = (args: readonly string[]) => [
  '--import',
  'tsx',
  '-e',
  `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`,
];

/** CPU seconds (user + system) of a process so far, from /proc. */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
/** Peak resident memory of a process (MB). */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}
function start(name: string, args: readonly string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, cli(args), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + String(d)).slice(-4000)));
  child.stderr!.on('data', (d) => (out = (out + String(d)).slice(-4000)));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { name, child, exited, output: () => out };
}
function admin(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, cli(['admin', ...args]), { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`admin ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function runOn(db: 'sqlite' | 'postgres', files: readonly string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-bench-api-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMPREINTE_DATA_DIR: join(dir, 'data'),
    EMPREINTE_DEMO: '0',
    EMPREINTE_LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    EMPREINTE_JOB_POLL_SECONDS: '0.5',
  };
  delete env.DATABASE_URL;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (db === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (url === undefined || url === '') throw new Error('DATABASE_URL is needed for the PostgreSQL run');
    const name = `empreinte_bench_api_${process.pid}`;
    const adminClient = new pg.Client({ connectionString: url });
    await adminClient.connect();
    await adminClient.query(`create database ${name}`);
    await adminClient.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const procs: Proc[] = [];
  try {
    const server = start('server', db === 'postgres' ? ['serve', '--no-worker'] : ['serve'], env);
    procs.push(server);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error(`server not up: ${server.output()}`);
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (db === 'postgres') for (const k of [1, 2]) procs.push(start(`worker ${k}`, ['worker'], env));
    const orgId = admin(['create-organisation', 'Bench'], env);
    admin(['create-user', '--email', 'bench@example.org', '--organisation', orgId, '--role', 'editor'], env);
    const token = admin(['create-token', '--email', 'bench@example.org'], env);
    const headers = { authorization: `Bearer ${token}` };
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const campaign = await call('POST', `/api/v1/organisations/${orgId}/campaigns`, {
      name: 'bench',
      referenceDate: '2025-06-30',
    });
    const cpu0 = procs.map((p) => cpuOf(p.child.pid!));

    const t0 = performance.now();
    for (const file of files) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(file)]), file.slice(file.lastIndexOf('/') + 1));
      const r = await fetch(`${base}/api/v1/campaigns/${String(campaign.id)}/uploads`, {
        method: 'POST',
        headers,
        body: form,
      });
      if (r.status !== 201) throw new Error(`upload: ${r.status} ${await r.text()}`);
    }
    const uploadSeconds = (performance.now() - t0) / 1000;
    const cpu1 = procs.map((p) => cpuOf(p.child.pid!));

    const t1 = performance.now();
    const { jobId } = (await call('POST', `/api/v1/campaigns/${String(campaign.id)}/assessments`)) as {
      jobId: string;
    };
    for (;;) {
      const j = await call('GET', `/api/v1/jobs/${jobId}`);
      if (j.status === 'done') break;
      if (j.status === 'failed') throw new Error(`assessment failed: ${JSON.stringify(j.errors)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const assessSeconds = (performance.now() - t1) / 1000;
    const cpu2 = procs.map((p) => cpuOf(p.child.pid!));
    const items = await call('GET', `/api/v1/campaigns/${String(campaign.id)}/items?limit=1`);
    if (items.total !== n) throw new Error(`${String(items.total)} items stored, ${n} expected`);
    const sum = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x - b[i]!, 0);
    const each = (a: number[], b: number[]) => procs.map((p, i) => `${p.name} ${fmt(a[i]! - b[i]!)} s`).join(', ');
    console.log(`## ${db}: ${n} items in ${files.length} files`);
    console.log(
      `upload (HTTP multipart, validation, storage): ${fmt(uploadSeconds)} s wall, ${fmt(sum(cpu1, cpu0))} s CPU (${each(cpu1, cpu0)})`,
    );
    console.log(
      `assessment job (results, aggregates${db === 'postgres' ? ', chunks over two workers' : ''}): ${fmt(assessSeconds)} s wall, ${fmt(sum(cpu2, cpu1))} s CPU (${each(cpu2, cpu1)}) [target ≤ 60 s]`,
    );
    console.log(`peak RSS: ${procs.map((p) => `${p.name} ${fmt(peakRssMB(p.child.pid!), 0)} MB`).join(', ')}`);
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await dropDatabase?.();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`# API upload + assessment — node ${process.version}, ${cpus().length} CPU(s), ${n} items`);
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-bench-api-in-'));
  try {
    const files: string[] = [];
    for (let k = 0; k < FILES; k++) {
      const file = join(dir, `physical-${k + 1}.csv`);
      await generatePhysicalCsv(file, Math.floor(n / FILES) + (k < n % FILES ? 1 : 0));
      // Each file's items get names of their own (the generator numbers from 1 in every file).
      if (k > 0) await writeFile(file, (await readFile(file, 'utf8')).replace(/^EQ-/gm, `EQ${k + 1}-`));
      files.push(file);
    }
    for (const db of ['sqlite', 'postgres'] as const) if (which === 'both' || which === db) await runOn(db, files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
