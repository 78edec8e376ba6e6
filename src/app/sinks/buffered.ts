/**
 * Writes of many small texts gathered into larger ones before they reach a `TextOut` (a row per item, or per
 * indicator, would otherwise be one stream write each: 14 million for the long CSV of a 1M-line inventory). What is
 * written, and its order, is unchanged; `flush` passes on what is pending (call it before the last write and before
 * `close`). Back-pressure is kept: a write that reaches the underlying output returns its promise.
 */
import type { TextOut } from '../text-out.js';

/** Pending text size (UTF-16 code units) from which it is passed on. */
export const BUFFERED_CHUNK = 1 << 16;

export interface BufferedWrites {
  write(text: string): void | Promise<void>;
  flush(): void | Promise<void>;
}

export function bufferedWrites(out: TextOut, chunk = BUFFERED_CHUNK): BufferedWrites {
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
