/**
 * The texts of numbers kept encoded (issue 11, the CSV sinks' fast paths): the long CSV writes about 85 million numbers
 * for a 1M-line inventory, most of them repeated (the factors, PUE, lifetimes and shares of an item's slots, the
 * reference items' factors across items), and the wide CSV millions of rounded values of few distinct texts. A number's
 * text, as the formatter given writes it, is kept in a fixed table indexed by a hash of the number's 64 bits: a
 * number met again is copied from the table instead of being converted and encoded again. The table has a fixed size
 * (`1 << bits` entries of at most `NUMBER_TEXT_WIDTH` bytes): a number whose entry holds another number replaces it,
 * so no input grows it. Integers (line numbers, quantities, lifetimes) are written digit by digit when the format
 * writes them as `String` does. Same bytes as writing `format(x)` with `ByteRows.text` (test/app/number-bytes.test.ts).
 */
import type { ByteRows } from './buffered.js';

/** Longest text kept (bytes): `String` of a double is at most 24 characters (`-1.2345678901234567e-308`). */
export const NUMBER_TEXT_WIDTH = 24;

export class NumberBytes {
  private readonly shift: number;
  /** The number of each entry, as its two 32-bit halves (exact: -0, NaN payloads and 0 told apart). */
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  /** Length of each entry's text; 0 = empty entry. */
  private readonly len: Uint8Array;
  /** The entries' texts, `NUMBER_TEXT_WIDTH` bytes each. */
  private readonly texts: Uint8Array;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  /**
   * @param format the text of a number (its bytes are those of the text in UTF-8; texts longer than
   *   `NUMBER_TEXT_WIDTH` or not ASCII are written without being kept)
   * @param bits the table has `1 << bits` entries (1–20)
   */
  constructor(
    private readonly format: (x: number) => string,
    bits = 12,
    /** Whether `format` writes integers from 0 to 2^31 - 1 as `String` does: they are then written directly. */
    private readonly integersAsString = false,
  ) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 20) throw new RangeError(`bits must be 1–20, not ${bits}`);
    const size = 1 << bits;
    this.shift = 32 - bits;
    this.lo = new Uint32Array(size);
    this.hi = new Uint32Array(size);
    this.len = new Uint8Array(size);
    this.texts = new Uint8Array(size * NUMBER_TEXT_WIDTH);
  }

  /** Number of entries of the table (its bound). */
  get capacity(): number {
    return this.len.length;
  }

  /** Writes the text of `x` to `w`; returns its first character's code (NaN for an empty text). */
  write(w: ByteRows, x: number): number {
    if (this.integersAsString && (x | 0) === x && x >= 0) return w.uint(x); // -0 too: `String(-0)` is '0'.
    this.f64[0] = x;
    const lo = this.u32[0]!;
    const hi = this.u32[1]!;
    const i = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
    const n = this.len[i]!;
    const at = i * NUMBER_TEXT_WIDTH;
    if (n !== 0 && this.lo[i] === lo && this.hi[i] === hi) {
      w.copy(this.texts, at, n);
      return this.texts[at]!;
    }
    const s = this.format(x);
    const m = s.length;
    if (m > 0 && m <= NUMBER_TEXT_WIDTH && ascii(s)) {
      const texts = this.texts;
      for (let k = 0; k < m; k++) texts[at + k] = s.charCodeAt(k);
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.len[i] = m;
      w.copy(texts, at, m);
    } else w.text(s);
    return s.charCodeAt(0);
  }
}

function ascii(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) > 0x7f) return false;
  return true;
}
