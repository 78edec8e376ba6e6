/** The file adapter: a result file appears whole at `close`, never partly; `abort` leaves nothing. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('a scratch file next to the output: made once, registered, removed at close and at abort', async () => {
    const dir = await mkdtemp(join(tmp, 'scratch-'));
    const target = join(dir, 'l.csv');
    const temps = new TempRegistry();
    const out = await openFileOut(target, temps);
    const s = out.scratch!();
    expect(s).toEqual({ path: join(dir, `.l.csv.${process.pid}.tmp.rows`), output: target });
    expect(out.scratch!()).toBe(s);
    expect(await readFile(s.path, 'utf8')).toBe('');
    expect(temps.list()).toContain(s.path);
    await out.write('a\n');
    await out.close();
    expect(await readdir(dir)).toEqual(['l.csv']);
    expect(temps.list()).toEqual([]);
    // Aborted, with a folder put in the scratch file's place during the run: nothing is left at this run's names.
    const again = await openFileOut(target, temps);
    const t = again.scratch!();
    await rm(t.path);
    await mkdir(join(t.path, 'sub'), { recursive: true });
    await again.abort();
    expect(await readdir(dir)).toEqual(['l.csv']);
    expect(temps.list()).toEqual([]);
  });

  it("a scratch file that cannot be made is the output's OUT_UNWRITABLE, naming it; nothing registered", async () => {
    const dir = await mkdtemp(join(tmp, 'scratch-bad-'));
    const target = join(dir, 'l.csv');
    const path = join(dir, `.l.csv.${process.pid}.tmp.rows`);
    await mkdir(path);
    const temps = new TempRegistry();
    const out = await openFileOut(target, temps);
    const e = (() => {
      try {
        out.scratch!();
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(EmpreinteError);
    expect((e as EmpreinteError).issue).toMatchObject({
      code: 'OUT_UNWRITABLE',
      file: target,
      details: { reason: `its scratch file ${path}: it is a folder (EISDIR)` },
    });
    expect(temps.list()).toHaveLength(1); // the output's temporary file alone
    await out.abort();
    expect(await readdir(dir)).toEqual([`.l.csv.${process.pid}.tmp.rows`]); // not this run's to remove
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
