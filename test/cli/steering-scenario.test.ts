/**
 * `empreinte scenario` in process: the JSON document on the example inventory (its baseline is the document of
 * `assess --summary --format json` for the same run: one engine path), and bad scenario files (one coded line, exit 2).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-cli-scenario-'));
const RUN = ['examples/inventory', '--date', '2025-06-30', '--lifetime', 'fixed'];

const run = (args: string[]) => runCli(args);

interface Totals {
  byCriterion: { criterion: string; value: number }[];
}

describe('empreinte scenario', () => {
  it('JSON: baseline = assess --summary of the same run; delta = scenario − baseline', async () => {
    const assessOut = join(tmp, 'assess.json');
    expect((await run(['assess', ...RUN, '--summary', '--format', 'json', '--out', assessOut])).code).toBe(0);
    const assessDoc = JSON.parse(await readFile(assessOut, 'utf8')) as { totals: Totals };
    const r = await run([
      'scenario',
      ...RUN,
      '--scenario',
      'examples/scenarios/laptops-longer.yaml',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      name: string;
      baseline: { totals: Totals; meta: unknown; inventory: unknown };
      scenario: { totals: Totals };
      delta: { byCriterion: { criterion: string; before: number; after: number; delta: number }[] };
    };
    expect(doc.name).toBe('Laptops kept one more year, half the desktops replaced by laptops');
    expect(doc.baseline.totals).toEqual(assessDoc.totals);
    for (const d of doc.delta.byCriterion) {
      const b = doc.baseline.totals.byCriterion.find((c) => c.criterion === d.criterion)!.value;
      const s = doc.scenario.totals.byCriterion.find((c) => c.criterion === d.criterion)!.value;
      expect(d.delta).toBe(s - b);
    }
  });

  it.each([
    ['lifetime: { type: Tablettez, addYears: 1 }', 'STR_UNKNOWN_TYPE at levers.0.lifetime.type'],
    ['replace: { from: Desktop, to: Laptop, share: 1.5 }', 'STR_SHARE_RANGE at levers.0.replace.share'],
    ['lifetime: { type: Laptop, addYears: -2 }', 'STR_LIFETIME_NEGATIVE at levers.0.lifetime.addYears'],
  ])('bad lever "%s": one line %s, exit 2, nothing on stdout', async (lever, expected) => {
    const file = join(tmp, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, `name: bad\nlevers:\n  - ${lever}\n`);
    const r = await run(['scenario', ...RUN, '--scenario', file, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toContain(`empreinte: ${expected}`);
  });
});
