/**
 * Writes of many small texts gathered into larger ones before they reach a `TextOut` (a row per item, or per
 * indicator, would otherwise be one stream write each: 14 million for the long CSV of a 1M-line inventory). What is
 * written, and its order, is unchanged; `flush` passes on what is pending (call it before the last write and before
 * `close`). Back-pressure is kept: a write that reaches the underlying output returns its promise.
 *
 * When the output takes bytes (`writeBytes`: a file), each text is encoded in UTF-8 straight into a byte buffer, which
 * is handed over whole (issue 11: gathering a text of thousands of pieces then encoding it with `Buffer.from` took a
 * fifth of a long CSV's CPU time, flattening the pieces then scanning the text twice). Otherwise texts are gathered
 * as a string.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { scratchFailure } from '../adapters/file-out.js';
import type { ScratchFile, TextOut } from '../text-out.js';

/** Pending text size (UTF-16 code units) from which it is passed on; also the longest text copied into the bytes. */
export const BUFFERED_CHUNK = 1 << 16;
/** Pending byte size from which bytes are passed on (fewer, larger file writes: each costs a request to the pool). */
export const BUFFERED_BYTES = 1 << 20;

export interface BufferedWrites {
  write(text: string): void | Promise<void>;
  flush(): void | Promise<void>;
}

export function bufferedWrites(out: TextOut, chunk = BUFFERED_CHUNK, bytes = BUFFERED_BYTES): BufferedWrites {
  return out.writeBytes !== undefined
    ? byteWrites(out, out.writeBytes.bind(out), chunk, bytes)
    : textWrites(out, chunk);
}

function textWrites(out: TextOut, chunk: number): BufferedWrites {
  let pending = '';
  const flush = (): void | Promise<void> => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    return out.write(text);
  };
  return {
    write: (text) => {
      pending += text;
      if (pending.length >= chunk) return flush();
    },
    flush,
  };
}

function byteWrites(
  out: TextOut,
  writeBytes: (b: Uint8Array) => void | Promise<void>,
  chunk: number,
  bytes: number,
): BufferedWrites {
  // Room for `bytes` bytes plus one text of up to `chunk` UTF-16 code units (at most 3 bytes each in UTF-8); a longer
  // text is written on its own. The stream keeps a buffer it was given until written: a new one after each hand-over.
  const size = bytes + chunk * 3;
  let buf = Buffer.allocUnsafe(size);
  let used = 0;
  const flush = (): void | Promise<void> => {
    if (used === 0) return;
    const full = buf.subarray(0, used);
    buf = Buffer.allocUnsafe(size);
    used = 0;
    return writeBytes(full);
  };
  return {
    write: (text) => {
      if (text.length > chunk) {
        const before = flush();
        if (before !== undefined) return before.then(() => out.write(text));
        return out.write(text);
      }
      used += buf.write(text, used);
      if (used >= bytes) return flush();
    },
    flush,
  };
}

/**
 * A byte buffer rows are written into piece by piece (issue 11, the CSV sinks' fast paths): constant pieces encoded
 * once and copied (`bytes`), short texts such as numbers written byte by byte (`text`, UTF-8), longer ones encoded by
 * `Buffer.write`. No row string is built. `end` (after an item) hands the bytes over once `bytes` of them are pending
 * and returns the output's back-pressure; `flush` hands over what is pending. A cell written piece by piece can be
 * dropped and written again (`mark`, `rewind`; a formula whose text must be quoted after all). The bytes are the UTF-8 encoding of the
 * same texts (`Buffer.from(text, 'utf8')`, lone surrogates as U+FFFD).
 */
export class ByteRows {
  private buf: Buffer;
  private pos = 0;
  /** Start of the bytes kept out of hand-overs (`mark`), -1 when none. */
  private markAt = -1;
  /** A hand-over's back-pressure made in the middle of an item, returned by the next `end`. */
  private pending: Promise<void> | undefined;
  /** Bytes handed over so far. */
  private handed = 0;

  /**
   * @param consumed `writeBytes` is done with the bytes when it returns (a synchronous file write; its result is not
   *   awaited): the buffer is written again after each hand-over instead of replaced. A new buffer per hand-over costs the kernel a page fault
   *   per 4 KB touched (about 2 s of system time per GB written in a worker thread, whose freed buffers are returned
   *   to the system); a stream keeps the buffers it was given until written, so this is only for synchronous writes.
   */
  constructor(
    private readonly writeBytes: (b: Uint8Array) => void | Promise<void>,
    private readonly bytesPerWrite = BUFFERED_BYTES,
    private readonly consumed = false,
  ) {
    this.buf = Buffer.allocUnsafe(bytesPerWrite + BYTE_SLACK);
  }

  /** Room for `n` more bytes: what is pending is handed over when the buffer cannot take them. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const p = this.handOver(Math.max(this.bytesPerWrite, n) + BYTE_SLACK);
    if (p !== undefined) this.pending = this.pending === undefined ? p : this.pending.then(() => p);
  }

  /**
   * Hands over the bytes before the mark (all when none is set); those after it move to the start of the buffer, which
   * then has room for `size` more: a new one, or the same once its bytes are written (`consumed`).
   */
  private handOver(size: number): void | Promise<void> {
    const old = this.buf;
    const cut = this.markAt >= 0 ? this.markAt : this.pos;
    const kept = this.pos - cut;
    const reused = this.consumed && size + kept <= old.length;
    if (reused) {
      // Written (synchronously: nothing to wait for) before the kept bytes move over them.
      if (cut > 0) void this.writeBytes(old.subarray(0, cut));
      if (kept > 0) old.copyWithin(0, cut, this.pos);
    } else {
      this.buf = Buffer.allocUnsafe(size + kept);
      if (kept > 0) old.copy(this.buf, 0, cut, this.pos);
    }
    this.pos = kept;
    if (this.markAt >= 0) this.markAt = 0;
    this.handed += cut;
    if (cut > 0 && !reused) return this.writeBytes(old.subarray(0, cut));
  }

  /** Bytes written so far, handed over or not (where the next byte goes in the whole output). */
  get offset(): number {
    return this.handed + this.pos;
  }

  /** Where the next bytes start: a cell that may have to be written again (`rewind`) or kept (`unmark`). */
  mark(): void {
    this.markAt = this.pos;
  }

  /** Keeps what was written since the mark. */
  unmark(): void {
    this.markAt = -1;
  }

  /** Drops what was written since the mark (never handed over: the bytes after a mark stay in the buffer). */
  rewind(): void {
    if (this.markAt < 0) throw new Error('ByteRows.rewind without mark');
    this.pos = this.markAt;
    this.markAt = -1;
  }

  /** `n` bytes of `src` from `start` as they are (a number's text kept by `NumberBytes`, a row a worker rendered). */
  copy(src: Uint8Array, start: number, n: number): void {
    this.room(n);
    const buf = this.buf;
    const pos = this.pos;
    // Longer than any number's text: a row (the view costs an allocation, worth it past a few dozen bytes).
    if (n > 32) buf.set(src.subarray(start, start + n), pos);
    else for (let i = 0; i < n; i++) buf[pos + i] = src[start + i]!;
    this.pos = pos + n;
  }

  /** Bytes as they are (a constant piece encoded once by `utf8`). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    const pos = this.pos;
    // A copy by `set` costs about as much as 16 bytes copied one by one (a call into the runtime), then stays flat.
    if (n > 16) buf.set(b, pos);
    else for (let i = 0; i < n; i++) buf[pos + i] = b[i]!;
    this.pos = pos + n;
  }

  /** The decimal digits of an integer from 0 to 2^31 - 1 (as `String` writes it); returns the first one's code. */
  uint(x: number): number {
    this.room(10);
    const buf = this.buf;
    let n = 1;
    for (let y = x; y >= 10; y = (y / 10) | 0) n++;
    const end = this.pos + n;
    let y = x;
    for (let i = end - 1; i >= this.pos; i--) {
      const q = (y / 10) | 0;
      buf[i] = 48 + y - q * 10;
      y = q;
    }
    const first = buf[this.pos]!;
    this.pos = end;
    return first;
  }

  /** One byte (an ASCII character: delimiter, line end). */
  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A text in UTF-8. */
  text(s: string): void {
    const n = s.length;
    this.room(n * 3);
    if (n > 24) {
      this.pos += this.buf.write(s, this.pos);
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) buf[pos++] = c;
      else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 63);
        buf[pos++] = 0x80 | (c & 63);
      } else {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[pos++] = 0xf0 | (cp >> 18);
          buf[pos++] = 0x80 | ((cp >> 12) & 63);
          buf[pos++] = 0x80 | ((cp >> 6) & 63);
          buf[pos++] = 0x80 | (cp & 63);
          i++;
        } else {
          // A lone surrogate: U+FFFD, as Buffer.from writes it.
          buf[pos++] = 0xef;
          buf[pos++] = 0xbf;
          buf[pos++] = 0xbd;
        }
      }
    }
    this.pos = pos;
  }

  /** After an item: hands the bytes over once enough are pending; the output's back-pressure, if any. */
  end(): void | Promise<void> {
    return this.release(this.pos >= this.bytesPerWrite);
  }

  /** Hands over what is pending. */
  flush(): void | Promise<void> {
    return this.release(this.pos > 0);
  }

  private release(handOver: boolean): void | Promise<void> {
    const before = this.pending;
    this.pending = undefined;
    const p = handOver ? this.handOver(this.bytesPerWrite + BYTE_SLACK) : undefined;
    if (before === undefined) return p;
    return p === undefined ? before : before.then(() => p);
  }
}

/** Room kept beyond `bytesPerWrite` so that an item's rows rarely need a hand-over of their own. */
const BYTE_SLACK = 1 << 16;

/** The UTF-8 bytes of a constant piece (written with `ByteRows.bytes`). */
export const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * The main thread's reads of the scratch file a worker appends its rows to (part-rows.ts): one buffer, refilled from
 * where the next range starts. A failure to open or read it, or a file shorter than the ranges announced, is the
 * output's `OUT_UNWRITABLE` (`scratchFailure`), as a failure to write the output would be.
 */
export class SpillReader {
  private fd: number | undefined;
  private readonly buf: Buffer;
  /** The file's bytes `[bufAt, bufAt + bufLen)` are in `buf`. */
  private bufAt = 0;
  private bufLen = 0;

  constructor(
    private readonly scratch: ScratchFile,
    bufferBytes = BUFFERED_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }

  /** The file's bytes `[start, end)` into `w`, at most a buffer at a time. */
  copy(w: ByteRows, start: number, end: number): void {
    while (start < end) {
      if (start < this.bufAt || start >= this.bufAt + this.bufLen) this.fill(start);
      const n = Math.min(end, this.bufAt + this.bufLen) - start;
      w.copy(this.buf, start - this.bufAt, n);
      start += n;
    }
  }

  private fill(at: number): void {
    this.bufAt = at;
    this.bufLen = 0;
    try {
      this.fd ??= openSync(this.scratch.path, 'r');
      this.bufLen = readSync(this.fd, this.buf, 0, this.buf.length, at);
    } catch (e) {
      throw scratchFailure(this.scratch, e);
    }
    // The worker wrote the range before announcing it: the file was cut short by someone else.
    if (this.bufLen === 0)
      throw scratchFailure(this.scratch, new Error(`ends at byte ${at}, before the rows announced`));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
