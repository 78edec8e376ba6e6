/**
 * Issue 9 point 5 (YAML part): a mapping file that is an alias bomb, broken YAML, a device or a huge file is a coded
 * one-line INP_MAPPING_INVALID / INP_FILE_UNREADABLE, never a stack trace nor an endless read.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/issues/catalogue.js';
import { loadMappingFile, parseMappingText } from '../../src/inventory/mapping/loader.js';
import { rejectedIssue, thrownIssue } from '../helpers/issues.js';

const dir = await mkdtemp(join(tmpdir(), 'empreinte-mapping-limits-'));

/** Nine levels of nine aliases each: 9^9 ≈ 387 million nodes once expanded. */
function aliasBomb(): string {
  const lines = ['kind: physical-equipment', 'l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let k = 1; k < 9; k++)
    lines.push(
      `l${k}: &l${k} [${Array(9)
        .fill(`*l${k - 1}`)
        .join(', ')}]`,
    );
  lines.push('fields:', '  name: Asset');
  return lines.join('\n') + '\n';
}

describe('mapping file limits', () => {
  it('refuses a YAML alias bomb with one coded line naming the file and the line of the first alias', () => {
    const t0 = Date.now();
    const i = thrownIssue(() => parseMappingText(aliasBomb(), 'bomb.yaml'));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect([i.code, i.file, i.line, i.column]).toEqual(['INP_MAPPING_INVALID', 'bomb.yaml', 3, '(document)']);
    expect(formatIssue(i)).toBe(
      'bomb.yaml:3:(document): INP_MAPPING_INVALID Mapping bomb.yaml is invalid at (document): not a usable YAML ' +
        'document: Excessive alias count indicates a resource exhaustion attack.',
    );
    expect(formatIssue(i)).not.toContain('\n');
  });

  it('keeps a few aliases working (anchors are legitimate YAML)', () => {
    const doc = parseMappingText('kind: physical-equipment\nfields:\n  name: &n Asset\n  model: *n\n', 'ok.yaml');
    expect(doc.fields).toEqual({ name: 'Asset', model: 'Asset' });
  });

  it('names the line of a YAML syntax error on one line', () => {
    const i = thrownIssue(() => parseMappingText('kind: physical-equipment\nfields: [\n', 'bad.yaml'));
    expect([i.code, i.line]).toEqual(['INP_MAPPING_INVALID', 3]);
    expect(formatIssue(i)).not.toContain('\n');
  });

  it('refuses a mapping file over 1 MiB before reading it, and a device', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, `kind: physical-equipment\n# ${'x'.repeat(1 << 20)}\n`);
    const i = await rejectedIssue(loadMappingFile(big));
    expect([i.code, i.details.reason]).toEqual([
      'INP_MAPPING_INVALID',
      `the file has ${(1 << 20) + 28} bytes; a mapping file has at most 1048576`,
    ]);
    if (existsSync('/dev/zero')) {
      expect((await rejectedIssue(loadMappingFile('/dev/zero'))).code).toBe('INP_FILE_UNREADABLE');
    }
  });
});
