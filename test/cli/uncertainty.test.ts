/**
 * `empreinte assess --uncertainty` in process on the example inventory: the JSON's totals are those of
 * `assess --summary --format json` (same engine path), each criterion's nominal value is its total and lies inside
 * P5–P95; the table in French; outputs other than a summary on stdout are one coded line, exit 2. `compare` carries
 * the range of each change.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-cli-unc-'));
const RUN = ['examples/inventory', '--date', '2025-06-30'];

const run = (args: string[]) => runCli(args);

interface Range {
  nominal: number;
  p5: number;
  p50: number;
  p95: number;
  topFactors: { id: string; share: number }[];
}

describe('assess --uncertainty', () => {
  it('JSON: the totals of assess --summary, and a range around each total', async () => {
    const out = join(tmp, 'summary.json');
    expect((await run(['assess', ...RUN, '--summary', '--format', 'json', '--out', out])).code).toBe(0);
    const summary = JSON.parse(await readFile(out, 'utf8')) as {
      totals: { byCriterion: { criterion: string; value: number }[] };
    };
    const r = await run(['assess', ...RUN, '--uncertainty', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { totals: unknown; uncertainty: { criterion: string; range: Range }[] };
    expect(doc.totals).toEqual(summary.totals);
    for (const c of summary.totals.byCriterion) {
      const u = doc.uncertainty.find((x) => x.criterion === c.criterion)!;
      expect(u.range.nominal).toBeCloseTo(c.value, 6);
      expect(u.range.p5).toBeLessThan(c.value);
      expect(u.range.p95).toBeGreaterThan(c.value);
      expect(u.range.topFactors.length).toBeGreaterThan(0);
      expect(u.range.topFactors.length).toBeLessThanOrEqual(5);
    }
  });

  it('table in French; --format csv or --out: one coded line, exit 2', async () => {
    const fr = await run(['--lang', 'fr', 'assess', ...RUN, '--uncertainty']);
    expect(fr.code, fr.err).toBe(0);
    expect(fr.out).toContain('intervalles d’incertitude');
    expect(fr.out).toMatch(/CLIMATE_CHANGE\s+kg CO2 eq\s+\d+,?\d*\s+\d/);
    const csv = await run(['assess', ...RUN, '--uncertainty', '--format', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.out).toBe('');
    expect(csv.err.trim().split('\n')).toHaveLength(1);
    expect(csv.err).toMatch(/INP_BAD_ENUM.*--uncertainty/);
  });

  it('compare carries the range of the change', async () => {
    const r = await run(['compare', ...RUN, '--with', 'examples/demo-2025', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as {
      delta: { byCriterion: { criterion: string; delta: number }[] };
      uncertainty: { criterion: string; range: Range }[];
    };
    for (const d of doc.delta.byCriterion) {
      const u = doc.uncertainty.find((x) => x.criterion === d.criterion)!;
      expect(u.range.nominal).toBeCloseTo(d.delta, 6);
      expect(u.range.p5).toBeLessThanOrEqual(u.range.p95);
    }
  });
});
