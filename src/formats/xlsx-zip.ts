/**
 * Pull-based reading of one ZIP entry of a workbook, for the XLSX reader. The entry is located with the central
 * directory of `zip-entry.ts` (`zipEntries`); its bytes are read here through a `FileHandle` this module owns, one
 * positioned read at a time, and inflated with a `node:zlib` raw inflater fed chunk by chunk. Nothing runs between
 * two pulls of the consumer: when the consumer stops (`return()` on the generator, e.g. `break` in `for await`), the
 * `finally` block destroys the inflater and awaits the handle's close, so the abort resolves only once no file
 * descriptor, stream or background read is left.
 *
 * Then `xmlEntry` feeds the entry's text to a `saxes` parser, yielding after every chunk so the caller can drain what
 * its handlers collected.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import type { SaxesParser } from 'saxes';
import { LimitExceeded, MAX_XML_GAP, grouped } from './limits.js';
import { checkEntrySize, type ZipEntryInfo } from './zip-entry.js';

const LOCAL_SIGNATURE = 0x04034b50;
/** Compressed bytes read per pull (an XML part inflates to roughly 5–20 times this). */
const READ_SIZE = 64 * 1024;

/**
 * Write one chunk to the inflater and wait until zlib has processed it (its output is pushed, as 'data' events, before
 * the write callback runs; any late output stays queued in order and is drained at the next pull or after 'end').
 */
function inflate(inflater: Writable, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    const onClose = (): void => reject(new Error('inflater closed'));
    inflater.once('error', onError);
    inflater.once('close', onClose);
    inflater.write(chunk, (e) => {
      inflater.off('error', onError);
      inflater.off('close', onClose);
      if (e) reject(e);
      else resolve();
    });
  });
}

/**
 * The uncompressed bytes of `entry`, chunk by chunk (stored or deflated entries; encrypted ones refused). A
 * decompression bomb is refused from its declared sizes before any byte is inflated, and the output stops with an error
 * as soon as it exceeds the declared size.
 */
export async function* zipEntryChunks(path: string, entry: ZipEntryInfo): AsyncGenerator<Buffer, void, undefined> {
  if (entry.flags & 1) throw new Error(`entry ${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new Error(`entry ${entry.name} uses compression method ${entry.method}`);
  checkEntrySize(entry);
  let produced = 0;
  const counted = (chunk: Buffer): Buffer => {
    produced += chunk.length;
    if (produced > entry.size) {
      throw new LimitExceeded(
        `ZIP entry ${entry.name} inflates to more than its declared ${grouped(entry.size)} bytes (corrupt or forged archive)`,
      );
    }
    return chunk;
  };
  const fh = await open(path, 'r');
  const inflater = entry.method === 8 ? createInflateRaw() : undefined;
  try {
    const local = Buffer.alloc(30);
    const { bytesRead: headerRead } = await fh.read(local, 0, 30, entry.localHeaderOffset);
    if (headerRead < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
      throw new Error(`corrupt ZIP local header for ${entry.name}`);
    let position = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    let remaining = entry.compressedSize;

    const inflated: Buffer[] = [];
    let failure: Error | undefined;
    inflater?.on('data', (chunk: Buffer) => inflated.push(chunk));
    inflater?.on('error', (e: Error) => {
      failure ??= e;
    });

    while (remaining > 0) {
      const size = Math.min(READ_SIZE, remaining);
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(buffer, 0, size, position);
      if (bytesRead === 0) throw new Error(`truncated ZIP entry ${entry.name}`);
      position += bytesRead;
      remaining -= bytesRead;
      const chunk = bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
      if (!inflater) {
        yield counted(chunk);
        continue;
      }
      await inflate(inflater, chunk);
      if (failure) throw failure;
      while (inflated.length > 0) yield counted(inflated.shift()!);
    }
    if (inflater) {
      const ended = once(inflater, 'end');
      inflater.end();
      await ended; // rejects with zlib's error on a truncated deflate stream
      if (failure) throw failure;
      while (inflated.length > 0) yield counted(inflated.shift()!);
    }
  } finally {
    inflater?.destroy();
    await fh.close();
  }
}

/**
 * Bounds what `parser` buffers: a text node, a comment or one tag's attributes longer than `MAX_XML_GAP` characters
 * (no tag started meanwhile) is refused. `write` feeds the parser and checks; `opentagstart` must stay free for it.
 */
export function xmlGapGuard(parser: SaxesParser, partName: string): (text: string) => void {
  let tag = false;
  let gap = 0;
  parser.on('opentagstart', () => {
    tag = true;
  });
  return (text: string): void => {
    tag = false;
    parser.write(text);
    gap = tag ? 0 : gap + text.length; // up to one chunk late: chunks are ≤ 64 KiB of inflated data
    if (gap > MAX_XML_GAP) {
      throw new LimitExceeded(
        `more than ${MAX_XML_GAP >> 20} MiB of XML without a new element in ${partName} (XML line ${parser.line})`,
      );
    }
  };
}

/**
 * Feed the XML text of `entry` to `parser` (UTF-8, byte order mark dropped), yielding after each chunk. Throws the
 * parser's first error.
 */
export async function* xmlEntry(
  path: string,
  entry: ZipEntryInfo,
  parser: SaxesParser,
): AsyncGenerator<void, void, undefined> {
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  const write = xmlGapGuard(parser, entry.name);
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of zipEntryChunks(path, entry)) {
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    write(text);
    if (failure) throw failure;
    yield;
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw failure;
}

/** Parse a whole XML entry for the side effects of the parser's handlers. */
export async function parseXmlEntry(path: string, entry: ZipEntryInfo, parser: SaxesParser): Promise<void> {
  for await (const _ of xmlEntry(path, entry, parser)) {
    // handlers collect what they need
  }
}
