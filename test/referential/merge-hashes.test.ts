/**
 * Issue 11, start-up time: the CLI bundle carries the build's hash of the default merges (`merge-hashes.ts`, written by
 * scripts/bundle.mjs through esbuild `define`). The sources have no table: here a table is put on the global object
 * (where the bundle's constant would be read), to check when it is used and when it is not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadActiveReferential } from '../../src/app/load-referential.js';
import { defaultMergeKey, precomputedMergeHash } from '../../src/referential/merge-hashes.js';
import { loadDefaultPack } from '../../src/referential/pack.js';

const global = globalThis as { __EMPREINTE_MERGE_HASHES__?: Record<string, string> };
afterEach(() => {
  delete global.__EMPREINTE_MERGE_HASHES__;
});

describe('precomputed merge hashes (issue 11)', () => {
  it('without a table (sources, compiled modules) the hash is computed', async () => {
    const pack = await loadDefaultPack();
    expect(precomputedMergeHash(defaultMergeKey(pack.manifest, 'rcp', undefined))).toBeUndefined();
    const { referential } = await loadActiveReferential({ profile: 'rcp' });
    expect(referential.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the key separates the profile and the electricity dataset, whose merges have different hashes', async () => {
    const pack = await loadDefaultPack();
    const rcp = (await loadActiveReferential({ profile: 'rcp' })).referential.hash;
    const ember = (await loadActiveReferential({ profile: 'rcp', electricity: 'ember' })).referential.hash;
    const numecoeval = (await loadActiveReferential({ profile: 'numecoeval' })).referential.hash;
    expect(new Set([rcp, ember, numecoeval]).size).toBe(3);
    const keys = [
      defaultMergeKey(pack.manifest, 'rcp', undefined),
      defaultMergeKey(pack.manifest, 'rcp', 'ember'),
      defaultMergeKey(pack.manifest, 'numecoeval', undefined),
      defaultMergeKey({ ...pack.manifest, contentHash: '0'.repeat(64) }, 'rcp', undefined),
    ];
    expect(new Set(keys).size).toBe(4);
  });

  it('a table entry is used for its own default merge only: not with a user referential nor an organisation', async () => {
    const pack = await loadDefaultPack();
    const computed = (await loadActiveReferential({ profile: 'rcp' })).referential.hash;
    const marker = 'f'.repeat(64);
    global.__EMPREINTE_MERGE_HASHES__ = { [defaultMergeKey(pack.manifest, 'rcp', undefined)]: marker };
    const used = (await loadActiveReferential({ profile: 'rcp' })).referential;
    expect(used.hash).toBe(marker);
    expect((await loadActiveReferential({ profile: 'numecoeval' })).referential.hash).not.toBe(marker);
    expect((await loadActiveReferential({ profile: 'rcp', electricity: 'ember' })).referential.hash).not.toBe(marker);
    expect((await loadActiveReferential({ profile: 'rcp', organisation: 'ACME' })).referential.hash).toBe(computed);
    // Everything but the hash is merged as usual.
    delete global.__EMPREINTE_MERGE_HASHES__;
    const again = (await loadActiveReferential({ profile: 'rcp' })).referential;
    expect(again.hash).toBe(computed);
    expect([...used.items.keys()]).toEqual([...again.items.keys()]);
    expect(used.version).toBe(again.version);
  });
});
