// XXH32 (xxHash, 32-bit), as the payload checksum uses it: docs/payload-format.md, appendix A.
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x, r) => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a, b) => Math.imul(a, b) >>> 0;

function u32(data, i) {
  return (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
}

/** XXH32 of bytes[start, end) with the given seed, as an unsigned 32-bit number. */
export function xxh32(bytes, start, end, seed) {
  const n = end - start;
  let i = start;
  let h;
  if (n >= 16) {
    let a0 = (seed + P1 + P2) >>> 0;
    let a1 = (seed + P2) >>> 0;
    let a2 = seed >>> 0;
    let a3 = (seed - P1) >>> 0;
    const limit = end - 16;
    while (i <= limit) {
      a0 = mul(rotl((a0 + mul(u32(bytes, i), P2)) >>> 0, 13), P1);
      a1 = mul(rotl((a1 + mul(u32(bytes, i + 4), P2)) >>> 0, 13), P1);
      a2 = mul(rotl((a2 + mul(u32(bytes, i + 8), P2)) >>> 0, 13), P1);
      a3 = mul(rotl((a3 + mul(u32(bytes, i + 12), P2)) >>> 0, 13), P1);
      i += 16;
    }
    h = (rotl(a0, 1) + rotl(a1, 7) + rotl(a2, 12) + rotl(a3, 18)) >>> 0;
  } else {
    h = (seed + P5) >>> 0;
  }
  h = (h + n) >>> 0;
  while (i + 4 <= end) {
    h = mul(rotl((h + mul(u32(bytes, i), P3)) >>> 0, 17), P4);
    i += 4;
  }
  while (i < end) {
    h = mul(rotl((h + mul(bytes[i], P5)) >>> 0, 11), P1);
    i += 1;
  }
  h = mul(h ^ (h >>> 15), P2);
  h = mul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}
