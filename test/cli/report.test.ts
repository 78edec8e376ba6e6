/** What the commands print while a run goes: the referential rows ignored, capped at 20 lines and a count. */
import { describe, expect, it } from 'vitest';
import { printIgnoredRows } from '../../src/cli/report.js';
import { issue } from '../../src/issues/catalogue.js';

describe('printIgnoredRows', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, k) =>
      issue('REF_REQUIRED', { field: 'valeur' }, { file: 'ref/facteurs.csv', line: k + 2 }),
    );

  it('prints each ignored row as a warning line with its place', () => {
    const out: string[] = [];
    printIgnoredRows((s) => out.push(s), rows(2), 'en');
    expect(out).toEqual([
      "warning: ref/facteurs.csv:2:1: REF_REQUIRED Row 2: field 'valeur' is mandatory. (row ignored)\n",
      "warning: ref/facteurs.csv:3:1: REF_REQUIRED Row 3: field 'valeur' is mandatory. (row ignored)\n",
    ]);
  });

  it('prints the first 20, then how many more', () => {
    const out: string[] = [];
    printIgnoredRows((s) => out.push(s), rows(25), 'en');
    expect(out).toHaveLength(21);
    expect(out[19]).toContain('ref/facteurs.csv:21:1:');
    expect(out[20]).toBe('warning: 5 more referential rows ignored\n');
  });
});
