/**
 * Issue 11, start-up time: the CLI bundle reads the default merges of the embedded pack from the build's V8
 * serialisations (`merge-snapshot.ts`, written by scripts/bundle.mjs, their table given through esbuild `define`).
 * The sources have no table: here snapshots are written into a temporary folder from the merge the sources compute,
 * and the table is passed to `readMergeSnapshot` or put on the global object (where the bundle's constant is read).
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActiveReferential } from '../../src/app/load-referential.js';
import { canonicalJson } from '../../src/referential/merge.js';
import { defaultMergeKey } from '../../src/referential/merge-hashes.js';
import {
  mergeSnapshotDir,
  readMergeSnapshot,
  serialiseMerge,
  type MergeSnapshots,
} from '../../src/referential/merge-snapshot.js';
import type { Referential } from '../../src/referential/model.js';
import { defaultPackDir, loadPack } from '../../src/referential/pack.js';

const global = globalThis as { __EMPREINTE_MERGE_SNAPSHOTS__?: MergeSnapshots };
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let packDir: string;
let manifestSha256: string;
let manifest: { id: string; contentHash: string };
let merged: Referential;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-snapshot-'));
  packDir = defaultPackDir();
  const manifestBytes = await readFile(join(packDir, 'manifest.json'));
  manifestSha256 = sha256(manifestBytes);
  manifest = JSON.parse(manifestBytes.toString('utf8')) as typeof manifest;
  const { referential, issues } = await loadActiveReferential({ profile: 'rcp' });
  expect(issues).toEqual([]);
  merged = referential;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete global.__EMPREINTE_MERGE_SNAPSHOTS__;
});

/** Writes `bytes` as the snapshot `file` of the rcp default merge into the temporary folder; returns its table. */
async function snapshotOf(bytes: Uint8Array, file = 'rcp.v8', profile = 'rcp'): Promise<MergeSnapshots> {
  await writeFile(join(dir, file), bytes);
  return { [defaultMergeKey(manifest, profile, undefined)]: { file, sha256: sha256(bytes), manifestSha256 } };
}

/** Every Map's keys and every object's keys, in order, through the whole value (what deep equality leaves out). */
function keyOrders(v: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  if (v instanceof Map) {
    out.push(`M:${[...v.keys()].join('|')}`);
    for (const x of v.values()) keyOrders(x, out, seen);
  } else {
    out.push(`O:${Object.keys(v).join('|')}`);
    for (const x of Object.values(v)) keyOrders(x, out, seen);
  }
  return out;
}

describe('default merge snapshots (issue 11)', () => {
  it('without a table (sources, compiled modules) there is no snapshot', async () => {
    expect(await readMergeSnapshot('rcp')).toBeUndefined();
  });

  it('a snapshot reads back as the merge it was made from: same values, key orders, hash text, frozen', async () => {
    const snapshots = await snapshotOf(serialiseMerge(merged));
    const read = await readMergeSnapshot('rcp', { snapshots, packDir, snapshotDir: dir });
    expect(read).toBeDefined();
    expect(isDeepStrictEqual(read, merged)).toBe(true);
    expect(keyOrders(read)).toEqual(keyOrders(merged));
    expect(canonicalJson(read)).toBe(canonicalJson(merged));
    expect(Object.isFrozen(read)).toBe(true);
    // Values the merge leaves undefined are kept as properties (`line: undefined` in a provenance).
    const item = read!.items.values().next().value!;
    expect(Object.keys(item.prov)).toEqual(Object.keys(merged.items.values().next().value!.prov));
  });

  it('the cloud tables and the CPU catalogue are deserialised on their first read, once', async () => {
    const bytes = serialiseMerge(merged);
    const snapshots = await snapshotOf(bytes);
    const read = (await readMergeSnapshot('rcp', { snapshots, packDir, snapshotDir: dir }))!;
    for (const key of ['cloud', 'cpuSpecs'] as const) {
      const property = Object.getOwnPropertyDescriptor(read, key)!;
      expect(property.get).toBeTypeOf('function');
      expect(property.enumerable).toBe(true);
      expect(merged[key]).toBeDefined();
      expect(isDeepStrictEqual(read[key], merged[key])).toBe(true);
      expect(read[key]).toBe(read[key]);
    }
    // The other properties are plain values, read with the head.
    expect(Object.getOwnPropertyDescriptor(read, 'items')!.value).toBe(read.items);
    // A merge without them (a user referential's layers may have none): nothing deferred, the same keys.
    const { cloud: _cloud, cpuSpecs: _cpuSpecs, ...rest } = merged;
    const without = { ...rest, cloud: undefined } as Referential;
    const plain = await readMergeSnapshot('rcp', {
      snapshots: await snapshotOf(serialiseMerge(without), 'without.v8'),
      packDir,
      snapshotDir: dir,
    });
    expect(Object.keys(plain!)).toEqual(Object.keys(without));
    expect(Object.getOwnPropertyDescriptor(plain, 'cloud')).toEqual({
      value: undefined,
      writable: false,
      enumerable: true,
      configurable: false,
    });
    expect(isDeepStrictEqual(plain, without)).toBe(true);
    // Cut short inside a deferred part, or shorter than its head's length (each with its own sha256 in the table):
    // refused when read, as any bytes that are not a snapshot.
    for (const [file, cut] of [
      ['short.v8', bytes.subarray(0, bytes.length - 10)],
      ['head.v8', bytes.subarray(0, 100)],
      ['empty.v8', bytes.subarray(0, 2)],
    ] as const)
      expect(
        await readMergeSnapshot('rcp', { snapshots: await snapshotOf(cut, file), packDir, snapshotDir: dir }),
      ).toBeUndefined();
  });

  it('the build puts the snapshots in dist/default-merges of the package', () => {
    expect(relative(join(packDir, '..', '..'), mergeSnapshotDir(packDir))).toBe(join('dist', 'default-merges'));
  });

  it('loadActiveReferential uses the table for the default merge of its profile only', async () => {
    // A marker snapshot (another id) shows which runs read it; its file is reached from the snapshots' folder.
    const snapshots = await snapshotOf(serialiseMerge({ ...merged, id: 'from-the-snapshot' }), 'marker.v8');
    const entry = Object.values(snapshots)[0]!;
    global.__EMPREINTE_MERGE_SNAPSHOTS__ = {
      [defaultMergeKey(manifest, 'rcp', undefined)]: {
        ...entry,
        file: relative(mergeSnapshotDir(packDir), join(dir, 'marker.v8')),
      },
    };
    const used = await loadActiveReferential({ profile: 'rcp' });
    expect(used.referential.id).toBe('from-the-snapshot');
    expect(used.issues).toEqual([]);
    expect(Object.isFrozen(used.referential)).toBe(true);
    const others = [
      await loadActiveReferential({ profile: 'numecoeval' }),
      await loadActiveReferential({ profile: 'rcp', electricity: 'ember' }),
      await loadActiveReferential({ profile: 'rcp', organisation: 'ACME' }),
      await loadActiveReferential({
        profile: 'rcp',
        referential: [join(__dirname, '..', '..', 'examples', 'referential')],
      }),
    ];
    for (const o of others) expect(o.referential.id).not.toBe('from-the-snapshot');
  });

  it('a snapshot is not used when its bytes, the manifest or the key differ, or when it cannot be read', async () => {
    const bytes = serialiseMerge(merged);
    const good = await snapshotOf(bytes);
    const [key, entry] = Object.entries(good)[0]!;
    const read = (snapshots: MergeSnapshots) => readMergeSnapshot('rcp', { snapshots, packDir, snapshotDir: dir });
    expect(await read(good)).toBeDefined();
    // The file changed after the build (same length): its sha256 is not the table's.
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 1, changed.length - 1);
    await writeFile(join(dir, 'changed.v8'), changed);
    expect(await read({ [key]: { ...entry, file: 'changed.v8' } })).toBeUndefined();
    // Missing file.
    expect(await read({ [key]: { ...entry, file: 'missing.v8' } })).toBeUndefined();
    // Another manifest than the build's (same pack id and contentHash, other bytes).
    expect(await read({ [key]: { ...entry, manifestSha256: '0'.repeat(64) } })).toBeUndefined();
    // No entry for this profile, or the pack's contentHash is not the key's.
    expect(await readMergeSnapshot('numecoeval', { snapshots: good, packDir, snapshotDir: dir })).toBeUndefined();
    const otherPack = defaultMergeKey({ ...manifest, contentHash: '1'.repeat(64) }, 'rcp', undefined);
    expect(await read({ [otherPack]: entry })).toBeUndefined();
    // Bytes that are not a V8 serialisation, with their own sha256 in the table.
    const garbage = await snapshotOf(Buffer.from('not a serialisation'), 'garbage.v8');
    expect(await read(garbage)).toBeUndefined();
  });

  it('a modified, extra or missing data file in the pack stops the run with the error loading the pack gives', async () => {
    const copy = join(dir, 'pack');
    await cp(packDir, copy, { recursive: true });
    const snapshots = await snapshotOf(serialiseMerge(merged));
    const read = () => readMergeSnapshot('rcp', { snapshots, packDir: copy, snapshotDir: dir });
    expect(await read()).toBeDefined();
    const errorOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    };
    // A data file changed after the build.
    const criteria = join(copy, 'criteria.json');
    const original = await readFile(criteria, 'utf8');
    await writeFile(criteria, original.replace('"', ' "'));
    const fromSnapshot = await errorOf(read());
    expect(fromSnapshot).toMatchObject({ issue: { code: 'REF_PACK_INVALID', file: criteria } });
    expect(fromSnapshot).toEqual(await errorOf(loadPack(copy, { trusted: true })));
    await writeFile(criteria, original);
    // A data file the manifest does not list.
    await writeFile(join(copy, 'extra.json'), '{}');
    const extra = await errorOf(read());
    expect(extra).toMatchObject({ issue: { code: 'REF_PACK_INVALID', file: join(copy, 'extra.json') } });
    expect(extra).toEqual(await errorOf(loadPack(copy, { trusted: true })));
    await rm(join(copy, 'extra.json'));
    // A data file missing (read synchronously here, asynchronously by loadPack: the same message).
    await rm(criteria);
    const missing = await errorOf(read());
    expect(missing).toMatchObject({ issue: { code: 'REF_PACK_INVALID', file: criteria } });
    expect(missing).toEqual(await errorOf(loadPack(copy, { trusted: true })));
    expect((missing as Error).message).toMatch(/cannot read: ENOENT/);
  });
});
