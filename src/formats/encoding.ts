/**
 * Text encoding detection (methodology §2.1): BOM → UTF-8; else strict UTF-8; on failure Windows-1252.
 * ISO-8859-1 can be forced; it differs from Windows-1252 only in 0x80–0x9F.
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'iso-8859-1';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Detect from a sample of the first bytes. A truncated multi-byte sequence at the sample's end is tolerated. */
export function detectEncoding(sample: Uint8Array): TextEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  let end = sample.length;
  // Do not cut a UTF-8 sequence in the middle: back off up to 3 continuation bytes.
  for (let k = 0; k < 3 && end > 0 && (sample[end - 1]! & 0xc0) === 0x80; k++) end--;
  if (end > 0 && sample[end - 1]! >= 0xc0) end--;
  try {
    utf8Strict.decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Whether the sample looks binary (NUL bytes or many control characters): such files are refused. */
export function looksBinary(sample: Uint8Array): boolean {
  const n = Math.min(sample.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** A decoder for streaming chunks; `fatal` for UTF-8 so that a late invalid byte is reported, not replaced. */
export interface ChunkDecoder {
  decode(chunk?: Uint8Array, options?: { stream?: boolean }): string;
}

export function decoderFor(enc: TextEncoding): ChunkDecoder {
  switch (enc) {
    case 'utf-8':
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    case 'utf-8-bom':
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    case 'windows-1252':
      return new TextDecoder('windows-1252');
    case 'iso-8859-1':
      // WHATWG maps the latin1 label to windows-1252; decode bytes 1:1 instead.
      return new Latin1Decoder();
  }
}

class Latin1Decoder implements ChunkDecoder {
  decode(chunk?: Uint8Array): string {
    if (!chunk) return '';
    let s = '';
    for (let i = 0; i < chunk.length; i += 8192) {
      s += String.fromCharCode(...chunk.subarray(i, Math.min(chunk.length, i + 8192)));
    }
    return s;
  }
}
