/**
 * A streaming ZIP writer (the container of the XLSX output, issue 11): entries are deflated with `node:zlib` as their
 * bytes arrive and written straight to a byte sink, each followed by a data descriptor (general-purpose flag bit 3:
 * CRC-32 and sizes after the data, since they are known only then); the central directory is written at the end.
 * Memory is bounded by zlib's window and the sink's backpressure, whatever the size of the entries.
 *
 * No ZIP64: an entry of 4 GiB or more (before or after compression), an archive whose central directory would start
 * beyond 4 GiB, or more than 65,534 entries (0xFFFF is ZIP64's marker) is refused with `OUT_FORMAT_LIMIT` as soon as the limit is passed (the
 * partial output is the caller's to discard: the CLI writes to a temporary file renamed only on success).
 *
 * Reproducible: every entry carries the same fixed date (1980-01-01 00:00, the DOS epoch), so the same content gives
 * the same bytes on every machine and every day. Names are written in UTF-8 (flag bit 11).
 */
import { createDeflateRaw, crc32 as zlibCrc32, type DeflateRaw } from 'node:zlib';
import { EmpreinteError, issue } from '../issues/catalogue.js';

/** Where the archive's bytes go, in order; a returned promise is awaited before the next write (backpressure). */
export type ByteSink = (chunk: Uint8Array) => void | Promise<void>;

const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
/** Bit 3: sizes and CRC in a data descriptor; bit 11: UTF-8 name. */
const FLAGS = 0x0008 | 0x0800;
const DEFLATE = 8;
const STORE = 0;
const VERSION = 20;
/** DOS time 00:00:00 and date 1980-01-01 (day 1, month 1, year 0). */
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
const MAX_32 = 0xffffffff;
/** 0xFFFF in the end record is ZIP64's marker: one entry fewer. */
const MAX_ENTRIES = 0xfffe;

/** CRC-32 (IEEE 802.3, as ZIP uses), continuing from `crc`. `zlib.crc32` when Node has it (≥ 20.15), else by table. */
export function crc32(data: Uint8Array, crc = 0): number {
  return typeof zlibCrc32 === 'function' ? zlibCrc32(data, crc) : crc32Table(data, crc);
}

/** The table-driven CRC-32 (used when `zlib.crc32` is missing; exported for its test against zlib). */
export function crc32Table(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** `OUT_FORMAT_LIMIT` for a ZIP container limit. */
function zipLimit(what: string, limit: string): EmpreinteError {
  return new EmpreinteError(issue('OUT_FORMAT_LIMIT', { format: 'ZIP', what, limit }));
}

interface CentralRecord {
  readonly name: Buffer;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

/** An entry being written: `write` its bytes (text is UTF-8), then `close` it before opening the next one. */
export interface ZipEntryWriter {
  write(data: Uint8Array | string): Promise<void>;
  close(): Promise<void>;
}

export interface ZipEntryOptions {
  /** Store without compression (method 0) instead of deflating. */
  readonly store?: boolean;
  /** zlib level for deflated entries (default 6). */
  readonly level?: number;
}

/**
 * Writes a ZIP archive to a byte sink, one entry at a time:
 * `const zip = new ZipWriter(sink); const e = zip.entry('a.xml'); await e.write('…'); await e.close(); await zip.finish();`
 */
export class ZipWriter {
  private readonly sink: ByteSink;
  private readonly records: CentralRecord[] = [];
  private offset = 0;
  private open = false;
  private finished = false;

  constructor(sink: ByteSink) {
    this.sink = sink;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  private async emit(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.offset += chunk.length;
    await this.sink(chunk);
  }

  /** Start an entry; the previous one must be closed. */
  entry(name: string, options: ZipEntryOptions = {}): ZipEntryWriter {
    if (this.finished) throw new Error('ZIP archive already finished');
    if (this.open) throw new Error('the previous ZIP entry is not closed');
    if (this.records.length >= MAX_ENTRIES) throw zipLimit('more than 65,534 entries', '65,534 entries');
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 0xffff) throw zipLimit('an entry name this long', '65,535 bytes');
    if (this.offset >= MAX_32) throw zipLimit('an entry starting beyond 4 GiB', '4 GiB');
    this.open = true;
    const method = options.store ? STORE : DEFLATE;
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_SIGNATURE, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    // CRC-32 and sizes (14..25) stay 0: they follow the data in the descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    let failed: unknown;
    // The header's write may fail before anyone awaits it: record the failure at once (no unhandled rejection).
    let started: Promise<void> | undefined = this.emit(Buffer.concat([header, nameBytes])).catch((e: unknown) => {
      failed ??= e;
    });
    const countOut = (n: number) => {
      compressedSize += n;
      if (compressedSize >= MAX_32) throw zipLimit(`entry ${name} of 4 GiB or more compressed`, '4 GiB per entry');
    };

    // Deflated entries: zlib's output is pumped to the sink by one consumer loop, so that writes into zlib wait for
    // the sink (backpressure through `drain`).
    let deflate: DeflateRaw | undefined;
    let pump: Promise<void> | undefined;
    if (method === DEFLATE) {
      const z = createDeflateRaw({ level: options.level ?? 6 });
      deflate = z;
      pump = (async () => {
        for await (const chunk of z as AsyncIterable<Buffer>) {
          countOut(chunk.length);
          await this.emit(chunk);
        }
      })().catch((e: unknown) => {
        failed ??= e;
        z.destroy();
      });
    }

    const write = async (data: Uint8Array | string): Promise<void> => {
      if (started) {
        await started;
        started = undefined;
      }
      if (failed) throw failed;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      if (bytes.length === 0) return;
      size += bytes.length;
      if (size >= MAX_32) throw zipLimit(`entry ${name} of 4 GiB or more`, '4 GiB per entry');
      crc = crc32(bytes, crc);
      if (deflate) {
        if (!deflate.write(bytes))
          await new Promise<void>((resolve) => {
            const done = () => {
              deflate!.off('drain', done);
              deflate!.off('close', done);
              resolve();
            };
            deflate!.once('drain', done);
            deflate!.once('close', done);
          });
        if (failed) throw failed;
      } else {
        countOut(bytes.length);
        await this.emit(bytes);
      }
    };

    const close = async (): Promise<void> => {
      if (started) await started;
      if (failed) {
        deflate?.destroy();
        throw failed;
      }
      if (deflate) {
        deflate.end();
        await pump;
      }
      if (failed) throw failed;
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(DESCRIPTOR_SIGNATURE, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(compressedSize, 8);
      descriptor.writeUInt32LE(size, 12);
      await this.emit(descriptor);
      this.records.push({ name: nameBytes, method, crc: crc >>> 0, compressedSize, size, offset });
      this.open = false;
    };

    return { write, close };
  }

  /** A whole entry at once (small parts). */
  async add(name: string, data: Uint8Array | string, options: ZipEntryOptions = {}): Promise<void> {
    const e = this.entry(name, options);
    await e.write(data);
    await e.close();
  }

  /** Write the central directory and the end record; the archive is complete when this resolves. */
  async finish(): Promise<void> {
    if (this.open) throw new Error('the last ZIP entry is not closed');
    if (this.finished) return;
    this.finished = true;
    const start = this.offset;
    if (start >= MAX_32) throw zipLimit('a central directory beyond 4 GiB', '4 GiB per archive');
    const parts: Buffer[] = [];
    let length = 0;
    for (const r of this.records) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL_SIGNATURE, 0);
      h.writeUInt16LE(VERSION, 4); // made by: MS-DOS attributes, spec 2.0
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(r.method, 10);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(r.crc, 16);
      h.writeUInt32LE(r.compressedSize, 20);
      h.writeUInt32LE(r.size, 24);
      h.writeUInt16LE(r.name.length, 28);
      // extra (30), comment (32), disk (34), internal (36), external attributes (38) stay 0.
      h.writeUInt32LE(r.offset, 42);
      parts.push(h, r.name);
      length += h.length + r.name.length;
    }
    if (start + length >= MAX_32) throw zipLimit('a central directory beyond 4 GiB', '4 GiB per archive');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD_SIGNATURE, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(length, 12);
    end.writeUInt32LE(start, 16);
    parts.push(end);
    await this.emit(Buffer.concat(parts));
  }
}
