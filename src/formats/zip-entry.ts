/**
 * Minimal ZIP reader for one entry (used by the ODS reader): finds the entry through the central directory and
 * streams it through `node:zlib` (stored or deflated, the two methods of OpenDocument packages). ZIP64 archives and
 * encrypted entries are refused. Errors are plain `Error`s; callers turn them into file issues.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

export interface ZipEntryInfo {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  readonly flags: number;
}

/** The central directory of a ZIP file (names, sizes, offsets). */
export async function zipEntries(path: string): Promise<ZipEntryInfo[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 22 + MAX_COMMENT);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('not a ZIP archive (no end of central directory)');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) throw new Error('ZIP64 archives are not supported');
    if (cdOffset + cdSize > size) throw new Error('truncated ZIP archive');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: ZipEntryInfo[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE)
        throw new Error('corrupt ZIP central directory');
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      out.push({
        flags: cd.readUInt16LE(p + 8),
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
        name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** A readable stream of an entry's uncompressed bytes. */
export async function zipEntryStream(path: string, entry: ZipEntryInfo): Promise<Readable> {
  if (entry.flags & 1) throw new Error(`entry ${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new Error(`entry ${entry.name} uses compression method ${entry.method}`);
  const fh = await open(path, 'r');
  let start: number;
  try {
    const local = Buffer.alloc(30);
    await fh.read(local, 0, 30, entry.localHeaderOffset);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`corrupt ZIP local header for ${entry.name}`);
    start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.compressedSize === 0) {
    return Readable.from([]);
  }
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  if (entry.method === 0) return raw;
  const inflate = createInflateRaw();
  raw.on('error', (e) => inflate.destroy(e));
  // A consumer that stops early destroys the inflater: release the file too, now, not at garbage collection.
  inflate.on('close', () => raw.destroy());
  return raw.pipe(inflate);
}
