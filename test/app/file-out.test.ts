/** The file adapter: a result file appears whole at `close`, never partly; `abort` leaves nothing. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputFile, checkOutputFolder, openFileOut } from '../../src/app/adapters/file-out.js';
import { TempRegistry } from '../../src/formats/temp-files.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-fileout-'));

describe('openFileOut', () => {
  it('writes to a registered temporary sibling and renames it at close', async () => {
    const dir = await mkdtemp(join(tmp, 'ok-'));
    const target = join(dir, 'out.json');
    const temps = new TempRegistry();
    const out = await openFileOut(target, temps);
    await out.write('{"a":');
    await out.write('1}\n');
    expect(existsSync(target)).toBe(false);
    expect(temps.list()).toHaveLength(1);
    await out.close();
    expect(await readFile(target, 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['out.json']);
    expect(temps.list()).toEqual([]);
  });

  it('abort removes the temporary file and keeps an existing target untouched', async () => {
    const dir = await mkdtemp(join(tmp, 'abort-'));
    const target = join(dir, 'out.csv');
    await writeFile(target, 'previous\n');
    const temps = new TempRegistry();
    const out = await openFileOut(target, temps);
    await out.write('partial');
    await out.abort();
    expect(await readFile(target, 'utf8')).toBe('previous\n');
    expect(await readdir(dir)).toEqual(['out.csv']);
    expect(temps.list()).toEqual([]);
  });

  it('a folder or a missing parent is OUT_UNWRITABLE before any work', async () => {
    const dir = await mkdtemp(join(tmp, 'bad-'));
    await mkdir(join(dir, 'sub'));
    for (const p of [join(dir, 'sub'), join(dir, 'missing', 'out.json')]) {
      const e = await checkOutputFile(p).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EmpreinteError);
      expect((e as EmpreinteError).issue.code).toBe('OUT_UNWRITABLE');
    }
    await writeFile(join(dir, 'file'), '');
    const e = await checkOutputFolder(join(dir, 'file', 'rejects')).catch((x: unknown) => x);
    expect((e as EmpreinteError).issue.code).toBe('OUT_UNWRITABLE');
    await expect(checkOutputFolder(join(dir, 'new', 'rejects'))).resolves.toBeUndefined();
  });
});
