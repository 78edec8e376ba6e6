/**
 * `empreinte trajectory` on three summary documents worked by hand: 2023 = 1000, 2024 = 950, 2025 = 880 kg CO2 eq,
 * baseline 2023, −30 % by 2030.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReduction } from '../../src/app/steering/trajectory.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-trajectory-'));
const doc = (year: number, value: number, organisation?: string) => ({
  meta: { period: { start: `${year}-01-01`, end: `${year}-12-31` }, ...(organisation ? { organisation } : {}) },
  inventory: [],
  totals: { byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', value, byStep: {} }] },
});
const file = async (name: string, content: unknown) => {
  const p = join(tmp, name);
  await writeFile(p, JSON.stringify(content));
  return p;
};
const files = [
  await file('2023.json', doc(2023, 1000)),
  await file('2024.json', doc(2024, 950)),
  await file('2025.json', doc(2025, 880)),
];

const run = (args: string[]) => runCli(args);

interface Report {
  targetValue: number;
  campaigns: { year: number; target: number | null; gap: number | null; status: string }[];
  forecast: { available: boolean; slope: number; reachedYear: number | null };
}

describe('empreinte trajectory', () => {
  it('linear: targets, gaps, status and forecast by hand', async () => {
    const r = await run([
      'trajectory',
      ...files,
      '--baseline',
      '2023',
      '--target',
      '-30%',
      '--by',
      '2030',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as Report;
    // target 2030 = 1000 × 0.7 = 700; linear path: −300/7 a year
    expect(rep.targetValue).toBeCloseTo(700, 9);
    // 2024: 1000 − 300/7 = 957.142857…; gap 950 − 957.142857 = −7.142857 → on track
    expect(rep.campaigns[1]!.target).toBeCloseTo(1000 - 300 / 7, 9);
    expect(rep.campaigns[1]!.gap).toBeCloseTo(-50 / 7, 9);
    // 2025: 1000 − 600/7 = 914.285714…; gap 880 − 914.285714 = −34.285714 → on track
    expect(rep.campaigns[2]!.gap).toBeCloseTo(880 - (1000 - 600 / 7), 9);
    expect(rep.campaigns.map((c) => c.status)).toEqual(['on-track', 'on-track', 'on-track']);
    // least squares: x̄ = 2024, ȳ = 2830/3 = 943.333…, Sxx = 2, Sxy = −1 × 56.667 + 1 × (−63.333) = −120 → b = −60;
    // the line reaches 700 at 2024 + (700 − 943.333…)/(−60) = 2024 + 4.0556 = 2028.0556
    expect(rep.forecast.slope).toBeCloseTo(-60, 9);
    expect(rep.forecast.reachedYear).toBeCloseTo(2024 + (700 - 2830 / 3) / -60, 9);
  });

  it('constant rate: 2024 target = 1000 × 0.7^(1/7) = 1000 × exp(−0.356675 / 7) = 950.323 → 950 is on track by 0.323', async () => {
    const r = await run([
      'trajectory',
      ...files,
      '--baseline',
      '2023',
      '--target',
      '-30%',
      '--by',
      '2030',
      '--shape',
      'rate',
      '--format',
      'json',
    ]);
    const rep = JSON.parse(r.out) as Report;
    expect(rep.campaigns[1]!.target).toBeCloseTo(1000 * Math.pow(0.7, 1 / 7), 9);
    expect(rep.campaigns[1]!.target).toBeCloseTo(950.323, 3);
    expect(rep.campaigns[1]!.status).toBe('on-track');
  });

  it('parses reductions', () => {
    expect(parseReduction('-30%')).toBeCloseTo(-0.3, 12);
    expect(parseReduction('−12.5 %')).toBeCloseTo(-0.125, 12);
    expect(parseReduction('-0.3')).toBeCloseTo(-0.3, 12);
    expect(parseReduction('thirty')).toBeUndefined();
  });

  it.each([
    [['--baseline', '2023', '--target', '-30%', '--by', '2020'], 'STR_TARGET_YEAR_BEFORE_BASELINE'],
    [['--baseline', '2022', '--target', '-30%', '--by', '2030'], 'STR_YEAR at baseline'],
    [['--baseline', '2023', '--target', '+30%', '--by', '2030'], 'STR_REDUCTION_RANGE'],
    [['--baseline', '2023', '--target', '-30%', '--by', '2030', '--shape', 'cubic'], 'STR_SHAPE at --shape'],
  ])('bad options %j: one line %s, exit 2', async (opts, expected) => {
    const r = await run(['trajectory', ...files, ...opts]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toContain(expected);
  });

  it('campaigns of different organisations or a document without totals: exit 2', async () => {
    const other = await file('other.json', doc(2026, 800, 'Ville B'));
    const r = await run(['trajectory', ...files, other, '--baseline', '2023', '--target', '-30%', '--by', '2030']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('different organisations');
    const broken = await file('broken.json', { meta: { period: { start: '2026-01-01' } } });
    const r2 = await run(['trajectory', ...files, broken, '--baseline', '2023', '--target', '-30%', '--by', '2030']);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('STR_FIELD at');
    expect(r2.err).toContain('broken.json.totals');
  });
});
