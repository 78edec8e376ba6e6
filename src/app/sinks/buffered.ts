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
import type { TextOut } from '../text-out.js';

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
