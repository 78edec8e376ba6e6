/** The validate use case without the CLI: per-file reports, file errors returned (not thrown), JSON report. */
import { describe, expect, it } from 'vitest';
import { standardDeps } from '../../src/app/deps.js';
import { pathSources } from '../../src/app/sources.js';
import { fileErrors, validate, validationReport } from '../../src/app/validate.js';

const deps = standardDeps(() => '2024-06-30');

describe('validate use case', () => {
  it('reports every file of a NumEcoEval folder, each line imported or rejected', async () => {
    const result = await validate(deps, { sources: pathSources(['test/fixtures/inventory/numecoeval']) });
    expect(result.files.length).toBeGreaterThan(3);
    for (const f of result.files) expect(f.read).toBe(f.imported + f.rejected);
    const t = result.totals;
    expect(t.read).toBe(result.files.reduce((a, f) => a + f.read, 0));
    // The non-IT file's two lines are both rejected (Clim-1: type Climatisation unknown; Onduleur: lifetime 0): that file
    // alone is failed (no silent zero, issue 11).
    expect(fileErrors(result).map((e) => [e.code, e.file, e.details])).toEqual([
      [
        'INP_ALL_LINES_REJECTED',
        'test/fixtures/inventory/numecoeval/operations-non-it.csv',
        { rejected: 2, kind: 'non-it' },
      ],
    ]);
    // The JSON report carries each issue's English message.
    const report = validationReport(result);
    const withIssues = report.files.find((f) => f.issues.length > 0);
    expect(withIssues?.issues[0]?.message).toMatch(/\S/);
  });

  it('strict mode rejects every copy of a duplicate, lenient only the later ones', async () => {
    const sources = pathSources(['test/fixtures/inventory/numecoeval']);
    const lenient = await validate(deps, { sources });
    const strict = await validate(deps, { sources, strict: true });
    expect(strict.totals.rejected).toBeGreaterThan(lenient.totals.rejected);
    expect(strict.files.some((f) => (f.issueCounts.INP_DUPLICATE_STRICT ?? 0) > 0)).toBe(true);
  });

  it('returns a file-level failure in the result instead of throwing', async () => {
    const result = await validate(deps, { sources: pathSources(['test/fixtures/cli/bad']) });
    expect(result.ok).toBe(false);
    expect(fileErrors(result).map((i) => i.code)).toEqual(['INP_FILE_KIND_UNKNOWN']);
  });
});
