/**
 * `npm run bench`: prints the figures recorded in docs/benchmarks.md.
 *  1. pure engine: 1M physical-equipment items in memory, one core (dist/bench/engine.js);
 *  2. validation of a generated 1,000,000-line NumEcoEval file (`empreinte validate`): lines/s and peak RSS;
 *  3. end to end `empreinte assess --summary` on the same file: time, indicators/s and peak RSS (target ≤ 3 s);
 *  4. the mixed estate of issue 11 (100k hosts, 300k VMs, 600k applications; `assess --summary`; ≤ 10 s, ≤ 500 MB);
 *  5. the same 1M-line file to CSV files: the wide layout (`--format csv`, one row per item; ≤ 10 s) and the
 *     per-indicator layout (`--format csv --long`, one row per indicator with its formula; ≤ 20 s), written to
 *     bench-data/ (removed after);
 *  6. a tiny inventory (examples/inventory, `assess --summary`; ≤ 0.3 s), best of five;
 *  7. the server's reads (scripts/bench-server.ts): a 100k-item campaign assessed on SQLite, p95 of the breakdowns
 *     route and requests/s of an authenticated GET on loopback;
 *  8. a scenario preview through the API on a stored 100k-item campaign, first call and cached (≤ 2 s;
 *     scripts/bench-steering.ts, its own process);
 *  9. steering (issue 13): `compare` A → B with decomposition (≤ 4× one `assess --summary`), one `scenario`
 *     (≤ 2.5×) on the same file, and a scenario on a 100k-line campaign (≤ 2 s: the whole command, and a preview
 *     through the use cases, scripts/bench-scenario-preview.ts). B is A with every 20th line dropped
 *     and every 10th line's quantity doubled. `npm run bench -- --steering [<lines>]` runs this part only.
 * 10. `n` items uploaded and assessed through the API, on SQLite and (with DATABASE_URL) on PostgreSQL with two workers
 *     sharing the assessment's chunks: wall and CPU time per process, peak RSS (scripts/bench-api.ts; ≤ 60 s each).
 * Peak RSS and CPU time (user + system) are measured in each child process (scripts/report-rss.mjs); the baseline is
 * `empreinte --version`. On a loaded machine compare CPU times: wall times vary with the load.
 * Usage: npm run bench [-- <lines> [<hosts>]]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparisonVariant, generateMixedEstate, generatePhysicalCsv } from './gen-inventory.js';

const root = join(import.meta.dirname, '..');
const steeringOnly = process.argv.includes('--steering');
const numbers = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const n = Number(numbers[0] ?? 1_000_000);
const dataDir = join(root, 'bench-data');
const file = join(dataDir, `physical-${n}.csv`);
const hosts = Number(numbers[1] ?? 100_000);
const mixedDir = join(dataDir, `mixed-${hosts}`);

function run(args: string[]): {
  seconds: number;
  rssMB: number;
  cpuSeconds: number;
  stdout: string;
  stderr: string;
  status: number | null;
} {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(root, 'scripts/report-rss.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /BENCH_MAXRSS_KB (\d+)/.exec(r.stderr);
  const c = /BENCH_CPU_MS (\d+)/.exec(r.stderr);
  return {
    seconds,
    rssMB: m ? Number(m[1]) / 1024 : NaN,
    cpuSeconds: c ? Number(c[1]) / 1000 : NaN,
    stdout: r.stdout,
    stderr: r.stderr,
    status: r.status,
  };
}

const fmt = (x: number, d = 2) => x.toFixed(d);

async function main() {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');
  console.log(`# Empreinte benchmarks — node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);

  const engine = run([join(root, 'dist/bench/engine.js'), String(n)]);
  console.log(engine.stdout.trim());

  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    await generatePhysicalCsv(file, n);
  }
  const sizeMB = statSync(file).size / 1e6;
  console.log(`input: ${file} (${n} lines, ${fmt(sizeMB, 1)} MB)`);

  const base = run(['bin/empreinte', '--version']);
  console.log(`baseline: empreinte --version peak RSS ${fmt(base.rssMB, 0)} MB`);

  const v = run(['bin/empreinte', 'validate', file, '--format', 'json', '--date', '2025-01-01']);
  if (v.status !== 0) throw new Error(`validate failed: ${v.stderr}`);
  const report = JSON.parse(v.stdout) as { files: { read: number; imported: number; rejected: number }[] };
  const f = report.files[0]!;
  console.log(
    `validate: ${f.read} lines read (${f.imported} imported, ${f.rejected} rejected) in ${fmt(v.seconds)} s = ${fmt(f.read / v.seconds / 1000, 0)}k lines/s; peak RSS ${fmt(v.rssMB, 0)} MB (${fmt(v.rssMB - base.rssMB, 0)} MB above baseline)`,
  );

  const a = run(['bin/empreinte', 'assess', file, '--summary', '--format', 'json', '--date', '2025-01-01']);
  if (a.status !== 0) throw new Error(`assess failed: ${a.stderr}`);
  const out = JSON.parse(a.stdout) as { totals: { dataConsistency: { indicators: number } } };
  const ind = out.totals.dataConsistency.indicators;
  console.log(
    `assess --summary: ${n} lines, ${ind} indicators in ${fmt(a.seconds)} s (${fmt(a.cpuSeconds)} s CPU) = ${fmt(ind / a.seconds / 1e6)} M indicators/s, ${fmt(n / a.seconds / 1000, 0)}k lines/s; peak RSS ${fmt(a.rssMB, 0)} MB (${fmt(a.rssMB - base.rssMB, 0)} MB above baseline) [target ≤ 3 s]`,
  );

  if (!existsSync(join(mixedDir, 'applications.csv'))) await generateMixedEstate(mixedDir, hosts);
  const mx = run(['bin/empreinte', 'assess', mixedDir, '--summary', '--format', 'json', '--date', '2025-01-01']);
  if (mx.status !== 0) throw new Error(`assess (mixed estate) failed: ${mx.stderr}`);
  const items = (JSON.parse(mx.stdout) as { totals: { items: Record<string, number> } }).totals.items;
  console.log(
    `mixed estate: ${JSON.stringify(items)} in ${fmt(mx.seconds)} s (${fmt(mx.cpuSeconds)} s CPU); peak RSS ${fmt(mx.rssMB, 0)} MB [target ≤ 10 s, ≤ 500 MB]`,
  );

  for (const [label, extra, target] of [
    ['wide CSV', [], '≤ 10 s'],
    ['long CSV', ['--long'], '≤ 20 s'],
  ] as const) {
    const outFile = join(dataDir, `out-${extra.length ? 'long' : 'wide'}.csv`);
    const c = run([
      'bin/empreinte',
      'assess',
      file,
      '--format',
      'csv',
      ...extra,
      '--out',
      outFile,
      '--date',
      '2025-01-01',
    ]);
    if (c.status !== 0) throw new Error(`assess (${label}) failed: ${c.stderr}`);
    const outMB = statSync(outFile).size / 1e6;
    rmSync(outFile, { force: true });
    console.log(
      `${label}: ${n} lines → ${fmt(outMB, 0)} MB in ${fmt(c.seconds)} s (${fmt(c.cpuSeconds)} s CPU); peak RSS ${fmt(c.rssMB, 0)} MB [target ${target}]`,
    );
  }

  const tiny = Array.from({ length: 5 }, () =>
    run(['bin/empreinte', 'assess', 'examples/inventory', '--summary', '--format', 'json', '--date', '2025-06-30']),
  );
  if (tiny.some((t) => t.status !== 0)) throw new Error(`assess (tiny) failed: ${tiny.find((t) => t.status)?.stderr}`);
  const best = (k: 'seconds' | 'cpuSeconds') => Math.min(...tiny.map((t) => t[k]));
  const node0 = run(['-e', '0']);
  console.log(
    `tiny inventory (examples/inventory): best of 5 ${fmt(best('seconds'))} s (${fmt(best('cpuSeconds'))} s CPU); peak RSS ${fmt(tiny[0]!.rssMB, 0)} MB; node -e 0: ${fmt(node0.seconds)} s [target ≤ 0.3 s]`,
  );

  const server = run(['--import', 'tsx', 'scripts/bench-server.ts', '100000']);
  if (server.status !== 0) throw new Error(`server reads failed: ${server.stderr}`);
  console.log(server.stdout.trim());
  console.log(`server reads: peak RSS ${fmt(server.rssMB, 0)} MB`);
  const preview = run(['--import', 'tsx', join(root, 'scripts/bench-steering.ts'), '100000']);
  if (preview.status !== 0) throw new Error(`steering bench failed: ${preview.stderr}`);
  console.log(preview.stdout.trim());
  // 1M items uploaded and assessed through the API, SQLite then PostgreSQL (DATABASE_URL; scripts/bench-api.ts).
  const api = run(['--import', 'tsx', 'scripts/bench-api.ts', String(n), process.env.DATABASE_URL ? 'both' : 'sqlite']);
  if (api.status !== 0) throw new Error(`API bench failed: ${api.stderr}`);
  console.log(api.stdout.trim());
}

const SCENARIO = [
  'name: laptops one more year, half the desktops replaced by laptops',
  'levers:',
  '  - lifetime: { type: Laptop, addYears: 1 }',
  '  - replace: { from: Desktop, to: Laptop, share: 0.5 }',
  '',
].join('\n');

async function steering(lines: number): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const a = join(dataDir, `physical-${lines}.csv`);
  if (!existsSync(a)) await generatePhysicalCsv(a, lines);
  const b = join(dataDir, `physical-${lines}-b.csv`);
  if (!existsSync(b)) writeFileSync(b, comparisonVariant(readFileSync(a, 'utf8')));
  const scenarioFile = join(dataDir, 'scenario.yaml');
  writeFileSync(scenarioFile, SCENARIO);
  const date = ['--date', '2025-01-01'];
  const line = (what: string, r: ReturnType<typeof run>, ref?: ReturnType<typeof run>) =>
    console.log(
      `${what}: ${fmt(r.seconds)} s wall, ${fmt(r.cpuSeconds)} s CPU, peak RSS ${fmt(r.rssMB, 0)} MB` +
        (ref ? ` = ${fmt(r.cpuSeconds / ref.cpuSeconds)}× CPU, ${fmt(r.seconds / ref.seconds)}× wall of assess` : ''),
    );
  const check = (what: string, r: ReturnType<typeof run>) => {
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
    return r;
  };
  const assess = check('assess', run(['bin/empreinte', 'assess', a, '--summary', '--format', 'json', ...date]));
  line(`steering, ${lines} lines: assess --summary`, assess);
  const scn = check(
    'scenario',
    run(['bin/empreinte', 'scenario', a, '--scenario', scenarioFile, '--format', 'json', ...date]),
  );
  line(`steering, ${lines} lines: scenario (2 levers) [target ≤ 2.5×]`, scn, assess);
  const cmp = check('compare', run(['bin/empreinte', 'compare', a, '--with', b, '--format', 'json', ...date]));
  line(`steering, ${lines} lines: compare with decomposition [target ≤ 4×]`, cmp, assess);
  const small = join(dataDir, 'physical-100000.csv');
  if (!existsSync(small)) await generatePhysicalCsv(small, 100_000);
  const s100 = check(
    'scenario 100k',
    run(['bin/empreinte', 'scenario', small, '--scenario', scenarioFile, '--format', 'json', ...date]),
  );
  line('steering, 100k lines: scenario, whole command [target ≤ 2 s]', s100);
  const preview = check(
    'scenario preview',
    run(['--import', 'tsx', join(root, 'scripts/bench-scenario-preview.ts'), small]),
  );
  console.log(
    `steering, 100k lines: preview through the use cases (first = read + prepare + one preview) [target ≤ 2 s]\n${preview.stdout.trim()}`,
  );
}

if (steeringOnly) await steering(n);
else {
  await main();
  await steering(n);
}
