// A raw LZ4 block decoder (no frame): docs/payload-format.md, section 6.2. It writes into an output of exactly
// the plane's length and never past it, so a hostile block costs no more memory than the plane it claims.
import { CorruptPayloadError } from './errors.js';

/** Decompresses src[start, end) into a new Uint8Array of exactly `length` bytes. */
export function lz4Decompress(src, start, end, length) {
  const out = new Uint8Array(length);
  let i = start;
  let o = 0;
  for (;;) {
    if (i >= end) throw new CorruptPayloadError('LZ4 block ends inside a sequence');
    const token = src[i++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b;
      do {
        if (i >= end) throw new CorruptPayloadError('LZ4 block ends inside a literal length');
        b = src[i++];
        literals += b;
      } while (b === 255);
    }
    if (literals > end - i || literals > length - o) {
      throw new CorruptPayloadError('LZ4 literals run past the block or the plane');
    }
    out.set(src.subarray(i, i + literals), o);
    i += literals;
    o += literals;
    if (i === end) {
      if (o !== length) throw new CorruptPayloadError(`LZ4 block holds ${o} bytes, the plane ${length}`);
      return out;
    }
    if (end - i < 2) throw new CorruptPayloadError('LZ4 block ends inside a match offset');
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > o) throw new CorruptPayloadError('LZ4 match offset out of range');
    let match = token & 15;
    if (match === 15) {
      let b;
      do {
        if (i >= end) throw new CorruptPayloadError('LZ4 block ends inside a match length');
        b = src[i++];
        match += b;
      } while (b === 255);
    }
    match += 4;
    if (match > length - o) throw new CorruptPayloadError('LZ4 match runs past the plane');
    if (offset >= match) {
      out.copyWithin(o, o - offset, o - offset + match);
      o += match;
    } else {
      // Overlapping its own output: byte by byte.
      for (let k = 0; k < match; k++, o++) out[o] = out[o - offset];
    }
  }
}
