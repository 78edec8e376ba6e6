/**
 * The central directory of a ZIP file (XLSX and ODS packages): entry names, sizes and offsets; entries are then read
 * by `xlsx-zip.ts` (`zipEntryChunks`). ZIP64 archives are refused, and so are entries whose declared sizes make them
 * decompression bombs (`checkEntrySize`). Errors are plain `Error`s (or `LimitExceeded`); callers turn them into file
 * issues.
 */
import { open } from 'node:fs/promises';
import { LimitExceeded, MAX_ZIP_RATIO, ZIP_RATIO_FLOOR, grouped } from './limits.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
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

/**
 * Refuse an entry whose declared sizes make it a decompression bomb: more than `ZIP_RATIO_FLOOR` bytes inflated at a
 * ratio above `MAX_ZIP_RATIO`. The inflater also stops at the declared size (`zipEntryChunks`), so a lying header
 * gains nothing.
 */
export function checkEntrySize(entry: ZipEntryInfo): void {
  if (entry.size > ZIP_RATIO_FLOOR && entry.size > MAX_ZIP_RATIO * Math.max(1, entry.compressedSize)) {
    const ratio = Math.round(entry.size / Math.max(1, entry.compressedSize));
    throw new LimitExceeded(
      `ZIP entry ${entry.name} would inflate ${grouped(entry.compressedSize)} bytes to ${grouped(entry.size)} (${ratio}:1, ` +
        `more than ${MAX_ZIP_RATIO}:1 for an entry over ${ZIP_RATIO_FLOOR >> 20} MiB: a decompression bomb?)`,
    );
  }
}
