/**
 * `npm run bench`: prints the figures recorded in docs/benchmarks.md.
 *  1. pure engine: 1M physical-equipment items in memory, one core (dist/bench/engine.js);
 *  2. validation of a generated 1,000,000-line NumEcoEval file (`empreinte validate`): lines/s and peak RSS;
 *  3. end to end `empreinte assess --summary` on the same file: time, indicators/s and peak RSS.
 * Peak RSS is measured in each child process (scripts/report-rss.mjs); the baseline is `empreinte --version`.
 * Usage: npm run bench [-- <lines>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generatePhysicalCsv } from './gen-inventory.js';

const root = join(import.meta.dirname, '..');
const n = Number(process.argv[2] ?? 1_000_000);
const dataDir = join(root, 'bench-data');
const file = join(dataDir, `physical-${n}.csv`);

function run(args: string[]): {
  seconds: number;
  rssMB: number;
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
  return { seconds, rssMB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout, stderr: r.stderr, status: r.status };
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
    `assess --summary: ${n} lines, ${ind} indicators in ${fmt(a.seconds)} s = ${fmt(ind / a.seconds / 1e6)} M indicators/s, ${fmt(n / a.seconds / 1000, 0)}k lines/s; peak RSS ${fmt(a.rssMB, 0)} MB (${fmt(a.rssMB - base.rssMB, 0)} MB above baseline)`,
  );
}

await main();
