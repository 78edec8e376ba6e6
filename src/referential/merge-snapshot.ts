/**
 * Issue 11, start-up time: loading the embedded pack (13 JSON files, 2 MB: parsing them and building a row object per
 * row) and merging it with the profile layer took about a fifth of a small assessment, for a result that depends on
 * nothing but the pack's files and the profile. For the usual runs — the embedded pack and a profile layer, no user
 * referential, no organisation, no electricity dataset asked for — the build (`scripts/bundle.mjs`) merges them once
 * per profile with the very modules being bundled (`loadActiveReferential`), writes each merged `Referential` as a
 * V8 serialisation (`v8.serialize`: Maps, key order, shared objects and `undefined` values kept as they are) into
 * `dist/default-merges/`, and writes the table of those files (with their sha256) into the CLI bundle (esbuild
 * `define`). A run then reads the merge from its file instead of loading and merging the pack; the cloud archetypes
 * and the CPU catalogue, half of the bytes and unused by most runs, are deserialised on their first read (`DEFERRED`).
 *
 * The file is used only when everything it was made from is unchanged: the pack's manifest has the very bytes of the
 * build's (so its zod check would pass again), every data file still has the sha256 its manifest lists (the check
 * `loadPack` makes, `checkPackFiles`: a modified file stops the run with the same error as without the snapshot), and
 * the snapshot file has the sha256 written in the bundle. Otherwise — no table (the sources and compiled modules run
 * by tests or tsx), no entry, a file missing, changed or that this node cannot read — the pack is loaded and merged
 * as usual: the same `Referential` either way (test/referential/merge-snapshot.test.ts), only the time to build it
 * changes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Referential } from './model.js';
import { checkPackFiles, defaultPackDir, packFail, sha256 } from './pack.js';
import { defaultMergeKey } from './merge-hashes.js';

/** One default merge written by the build: its file (in the snapshots' folder) and the sha256 of its bytes and of
 * the pack manifest's bytes it was made from. */
export interface MergeSnapshotEntry {
  readonly file: string;
  readonly sha256: string;
  readonly manifestSha256: string;
}

/** The build's snapshots, keyed by `defaultMergeKey` (the pack's id and contentHash, the profile, no dataset). */
export type MergeSnapshots = Readonly<Record<string, MergeSnapshotEntry>>;

// Replaced by the build in the CLI bundle only (esbuild `define`); an undeclared global elsewhere.
declare const __EMPREINTE_MERGE_SNAPSHOTS__: MergeSnapshots | undefined;

/** The build's table, when the running code is the bundle built with it; else undefined. */
export function bundledMergeSnapshots(): MergeSnapshots | undefined {
  return typeof __EMPREINTE_MERGE_SNAPSHOTS__ === 'undefined' ? undefined : __EMPREINTE_MERGE_SNAPSHOTS__;
}

/** Folder of the build's snapshots: `dist/default-merges` of the package whose embedded pack is `packDir`. */
export function mergeSnapshotDir(packDir: string): string {
  return join(dirname(dirname(packDir)), 'dist', 'default-merges');
}

/**
 * Properties of a merged referential serialised apart and deserialised on their first read: the cloud archetypes
 * (F15) and the CPU catalogue (F15–F17), half of the snapshot's bytes, read only by runs with cloud instances or
 * servers described by their components (the engine's hooks make their models on first use). A run without them
 * deserialises about half as much, and leaves fewer young objects for the collector to copy (issue 11, start-up time).
 */
const DEFERRED: readonly string[] = ['cloud', 'cpuSpecs'] satisfies readonly (keyof Referential)[];

/** What a snapshot's head holds: the referential's keys in order, its other properties, where each deferred one is. */
interface SnapshotHead {
  readonly keys: readonly string[];
  readonly eager: Readonly<Record<string, unknown>>;
  /** Deferred property, start and end of its serialisation in the bytes after the head. */
  readonly deferred: readonly (readonly [string, number, number])[];
}

/** Bytes of the length of the head, at the start of a snapshot (unsigned, little-endian). */
const HEAD_LENGTH_BYTES = 4;

/**
 * The bytes of a snapshot of `referential` (a merge without issues: the build refuses to snapshot one with issues):
 * the byte length of the head, the head (a V8 serialisation of `SnapshotHead`), then the V8 serialisation of each
 * deferred property. Objects shared between a deferred property and the rest are not shared once read back (none
 * are: each table's rows have their own provenance objects).
 */
export function serialiseMerge(referential: Referential): Buffer {
  const eager: Record<string, unknown> = {};
  const deferred: [string, number, number][] = [];
  const parts: Buffer[] = [];
  let end = 0;
  for (const [key, value] of Object.entries(referential)) {
    if (DEFERRED.includes(key) && value !== undefined) {
      const part = serialize(value);
      deferred.push([key, end, (end += part.length)]);
      parts.push(part);
    } else eager[key] = value;
  }
  const head = serialize({ keys: Object.keys(referential), eager, deferred } satisfies SnapshotHead);
  const length = Buffer.alloc(HEAD_LENGTH_BYTES);
  length.writeUInt32LE(head.length);
  return Buffer.concat([length, head, ...parts]);
}

/**
 * The referential a snapshot's bytes hold (`serialiseMerge`), its deferred properties deserialised on their first
 * read (an enumerable getter in the property's place, the value kept once read), frozen as `mergeLayers` freezes the
 * referential it returns (its own properties only). Throws when the bytes are not a snapshot.
 */
function fromSnapshot(bytes: Buffer): Referential {
  const headLength = bytes.length >= HEAD_LENGTH_BYTES ? bytes.readUInt32LE(0) : -1;
  if (headLength < 0 || headLength > bytes.length - HEAD_LENGTH_BYTES) throw new Error('not a snapshot');
  const body = HEAD_LENGTH_BYTES + headLength;
  const head = deserialize(bytes.subarray(HEAD_LENGTH_BYTES, body)) as SnapshotHead;
  // Every deferred part within the bytes (a snapshot cut short is refused here, not when a run reads the part).
  for (const [, start, end] of head.deferred)
    if (!(start >= 0 && start <= end && body + end <= bytes.length)) throw new Error('not a snapshot');
  const out: Record<string, unknown> = {};
  for (const key of head.keys) {
    const at = head.deferred.find(([k]) => k === key);
    if (at === undefined) {
      out[key] = head.eager[key];
      continue;
    }
    const part = bytes.subarray(body + at[1], body + at[2]);
    let value: unknown;
    let read = false;
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        if (!read) {
          value = deserialize(part);
          read = true;
        }
        return value;
      },
    });
  }
  return Object.freeze(out) as unknown as Referential;
}

/**
 * The bytes of `file`, or undefined when it cannot be read. Read synchronously, as the pack's files below: about 5 MB
 * read by every run, where the promises of `readFile` cost more CPU than the few milliseconds the event loop waits.
 */
function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // not built, unreadable: the pack is loaded and merged as usual
  }
}

/**
 * The default merge of the embedded pack in `packDir` with `profile` (no user referential, no organisation, no
 * electricity dataset asked for), read from its snapshot in `snapshotDir` when `snapshots` has one made from this
 * very pack (`where`: the build's table, the embedded pack's folder and the snapshots' folder, for tests); else undefined (the caller loads and merges the pack). Throws the pack's `REF_PACK_INVALID` error when a
 * data file no longer matches its manifest, as loading the pack would.
 */
export async function readMergeSnapshot(
  profile: string,
  where: { snapshots?: MergeSnapshots; packDir?: string; snapshotDir?: string } = {},
): Promise<Referential | undefined> {
  const snapshots = where.snapshots ?? bundledMergeSnapshots();
  if (snapshots === undefined) return undefined;
  const packDir = where.packDir ?? defaultPackDir();
  const snapshotDir = where.snapshotDir ?? mergeSnapshotDir(packDir);
  const manifestBytes = readOptional(join(packDir, 'manifest.json'));
  if (manifestBytes === undefined) return undefined;
  let manifest: { id: string; contentHash: string; files: { path: string; sha256: string }[] };
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest?.id !== 'string' || typeof manifest.contentHash !== 'string') return undefined;
  const key = defaultMergeKey(manifest, profile, undefined);
  const entry = Object.hasOwn(snapshots, key) ? snapshots[key] : undefined;
  // The manifest's bytes are the build's: the manifest the build checked with zod, listing the same files.
  if (entry === undefined || sha256(manifestBytes) !== entry.manifestSha256) return undefined;
  await checkPackFiles(packDir, manifest, packFail(packDir), undefined, readFileSync);
  const bytes = readOptional(join(snapshotDir, entry.file));
  if (bytes === undefined || sha256(bytes) !== entry.sha256) return undefined;
  try {
    return fromSnapshot(bytes);
  } catch {
    return undefined; // written by a node whose serialisation this one cannot read
  }
}
