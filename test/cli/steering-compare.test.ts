/**
 * `empreinte compare` in process on the example inventory and a copy where one line changed: PC-PORT-TECH goes from
 * 45 to 60 laptops. Only the fleet moves, so the whole change is the fleet effect, and it is 15/45 of that item's
 * footprint (its indicators are each q × (…) with q = 45 → 60).
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-cli-compare-'));
const after = join(tmp, 'after');
await cp('examples/inventory', after, { recursive: true });
const eq = join(after, 'equipements_physiques.csv');
await writeFile(
  eq,
  (await readFile(eq, 'utf8')).replace('PC-PORT-TECH;ThinkPad T14 Gen 2;45;', 'PC-PORT-TECH;ThinkPad T14 Gen 2;60;'),
);
const RUN = ['--date', '2025-06-30', '--criteria', 'CLIMATE_CHANGE'];

describe('empreinte compare', () => {
  it('one quantity changed: the change is the fleet effect, 15/45 of the item', async () => {
    const r = await runCli(['compare', 'examples/inventory', '--with', after, ...RUN, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      delta: { byCriterion: { delta: number }[]; by: { type: Record<string, Record<string, number>> } };
      inventory: {
        added: unknown[];
        removed: unknown[];
        changed: { label: string; fields: string[] }[];
        unchanged: number;
      };
      decomposition: { criterion: string; change: number; effects: Record<string, number> }[];
    };
    const explain = await runCli([
      'explain',
      'examples/inventory',
      '--item',
      'PC-PORT-TECH',
      '--format',
      'json',
      ...RUN,
    ]);
    const rows = (JSON.parse(explain.out) as { matches: { indicators: { value: number }[] }[] }).matches[0]!.indicators;
    const item = rows.reduce((s, x) => s + x.value, 0);
    expect(doc.inventory.added).toEqual([]);
    expect(doc.inventory.removed).toEqual([]);
    expect(doc.inventory.changed).toEqual([
      {
        kind: 'physical-equipment',
        label: 'PC-PORT-TECH / GLPI',
        quantityBefore: 45,
        quantityAfter: 60,
        fields: ['quantity'],
      },
    ]);
    const c = doc.decomposition[0]!;
    // item × (60/45 − 1) = item / 3
    expect(doc.delta.byCriterion[0]!.delta).toBeCloseTo(item / 3, 6);
    expect(c.change).toBeCloseTo(item / 3, 6);
    expect(c.effects['fleet']).toBeCloseTo(item / 3, 6);
    for (const e of ['scope', 'lifetime', 'equipmentFactor', 'consumption', 'pue', 'electricityMix', 'usageShare'])
      expect(c.effects[e]).toBeCloseTo(0, 9);
  });

  it('table output names the effects and the inventory diff', async () => {
    const r = await runCli(['compare', 'examples/inventory', '--with', after, ...RUN]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('fleet');
    expect(r.out).toContain('inventory: 0 added, 0 removed, 1 changed');
  });
});
