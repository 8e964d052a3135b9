// The stemcache payload decoder: docs/payload-format.md, version 1, in plain JavaScript (browsers, workers, Node).
// It checks everything section 8 lists, in the order section 3 gives, and allocates nothing a payload claims before
// the claim is checked against the decoder's limit: a hostile payload costs at most that limit.
import { xxh32 } from './xxh32.js';
import { lz4Decompress } from './lz4.js';
import { CorruptPayloadError, PayloadTooLargeError } from './errors.js';

export { CorruptPayloadError, PayloadTooLargeError };

export const MEDIA_TYPE = 'application/vnd.stemcache.analysis';
/** The Java decoder's default limit (stemcache.client.max-analysis-mb = 256). */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;
/** Section 8's compression ratio: at most this many decoded bytes per payload byte, beyond RATIO_ALLOWANCE_BYTES. */
export const MAX_COMPRESSION_RATIO = 4096;
export const RATIO_ALLOWANCE_BYTES = 65536;
export const PRECISIONS = Object.freeze(['FLOAT64', 'FLOAT32', 'Q16']);

const HEADER = 24;
const SEED = 0x53544d43;
const STEMS = ['master', 'drums', 'bass', 'vocals', 'other'];
const MARKER_TYPES = ['beat', 'onset', 'peak', 'drop'];
const MAX_COLUMN = 268435392;
const MAX_POINTS = 2000;
const MAX_SERIES = 4096;
const MAX_FEATURES = 4096;
const MAX_STRING_BYTES = 256;
const FREQUENCY_STORED = 4;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('stemcache decoder: needs a little-endian platform');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  constructor(bytes, start, end) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  need(n, what) {
    if (n > this.end - this.pos) throw new CorruptPayloadError(`truncated: ${what} needs ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(what = 'a byte') {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  i32(what) {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(what) {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** An unsigned LEB128 varint as a BigInt (at most 10 bytes and 64 bits). */
  varintBig(what) {
    let value = 0n;
    for (let k = 0; k < 10; k++) {
      const b = this.u8(what);
      if (k === 9 && b > 1) throw new CorruptPayloadError(`${what}: varint longer than 64 bits`);
      value |= BigInt(b & 0x7f) << BigInt(7 * k);
      if ((b & 0x80) === 0) return value;
    }
    throw new CorruptPayloadError(`${what}: varint longer than 10 bytes`);
  }

  /** A varint count or length as a Number; values past 2^53 come back as Infinity (and fail every limit). */
  count(what) {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 10; k++) {
      const b = this.u8(what);
      if (k === 9 && b > 1) throw new CorruptPayloadError(`${what}: varint longer than 64 bits`);
      value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return value > Number.MAX_SAFE_INTEGER ? Infinity : value;
    }
    throw new CorruptPayloadError(`${what}: varint longer than 10 bytes`);
  }

  string(what) {
    const length = this.count(`${what} length`);
    if (length > MAX_STRING_BYTES) throw new CorruptPayloadError(`${what}: ${length} bytes, at most ${MAX_STRING_BYTES}`);
    this.need(length, what);
    let text;
    try {
      text = utf8.decode(this.bytes.subarray(this.pos, this.pos + length));
    } catch {
      throw new CorruptPayloadError(`${what}: not valid UTF-8`);
    }
    this.pos += length;
    return text;
  }

  /** A plane of `length` bytes: a Uint8Array, or for CONST the repeated byte as a number. */
  plane(length, what) {
    const mode = this.u8(`${what} plane mode`);
    if (mode === 0) {
      this.need(length, what);
      const raw = this.bytes.subarray(this.pos, this.pos + length);
      this.pos += length;
      return raw;
    }
    if (mode === 2) return this.u8(`${what} constant`);
    if (mode === 1) {
      const clen = this.count(`${what} LZ4 length`);
      if (clen === 0 || length === 0 || clen > this.end - this.pos) {
        throw new CorruptPayloadError(`${what}: bad LZ4 block length ${clen}`);
      }
      const out = lz4Decompress(this.bytes, this.pos, this.pos + clen, length);
      this.pos += clen;
      return out;
    }
    throw new CorruptPayloadError(`${what}: unknown plane mode ${mode}`);
  }
}

const byteAt = (plane, i) => (typeof plane === 'number' ? plane : plane[i]);

/** Bits 48-63 of n values from 16 bit planes, as 16-bit numbers. */
function topBits(r, n, what) {
  const nb = (n + 7) >>> 3;
  const top = new Uint16Array(n);
  for (let q = 0; q < 16; q++) {
    const plane = r.plane(nb, what);
    const bit = 1 << q;
    if (typeof plane === 'number') {
      if (plane === 0) continue;
      for (let i = 0; i < n; i++) if ((plane >>> (i & 7)) & 1) top[i] |= bit;
      continue;
    }
    // Byte by byte: most bytes of the top planes are 0 (sign, exponent and top mantissa bits barely change).
    for (let g = 0; g < nb; g++) {
      let b = plane[g];
      for (let i = g << 3; b !== 0; i++, b >>>= 1) if (b & 1) top[i] |= bit;
    }
  }
  return top;
}

/** A plane as bytes: a CONST plane filled out, so the column loops read typed arrays only. */
const bytesOf = (plane, n) => (typeof plane === 'number' ? new Uint8Array(n).fill(plane) : plane);

/** An exact column (6.3) of `n` values, already checked against the budget. Bits are kept through Uint32 words. */
function exactColumn(r, n, what) {
  const pre = r.u8(`${what} pre-transform`);
  if (pre !== 0 && pre !== 2) throw new CorruptPayloadError(`${what}: unknown pre-transform ${pre}`);
  const planes = [];
  for (let j = 0; j < 6; j++) planes.push(bytesOf(r.plane(n, what), n));
  const top = topBits(r, n, what);
  const out = new Float64Array(n);
  const words = new Uint32Array(out.buffer);
  const [p0, p1, p2, p3, p4, p5] = planes;
  if (pre === 0) {
    for (let i = 0; i < n; i++) {
      words[2 * i] = p0[i] | (p1[i] << 8) | (p2[i] << 16) | (p3[i] << 24);
      words[2 * i + 1] = p4[i] | (p5[i] << 8) | (top[i] << 16);
    }
    return out;
  }
  let prevLo = 0;
  let prevHi = 0;
  for (let i = 0; i < n; i++) {
    const lo = (p0[i] | (p1[i] << 8) | (p2[i] << 16) | (p3[i] << 24)) >>> 0;
    const hi = (p4[i] | (p5[i] << 8) | (top[i] << 16)) >>> 0;
    // unzigzag: (z >>> 1) ^ -(z & 1), then add to the previous bits, wrapping at 64 bits
    const mask = lo & 1 ? 0xffffffff : 0;
    const dLo = (((lo >>> 1) | ((hi & 1) << 31)) ^ mask) >>> 0;
    const dHi = ((hi >>> 1) ^ mask) >>> 0;
    const sumLo = prevLo + dLo;
    prevHi = (prevHi + dHi + (sumLo > 0xffffffff ? 1 : 0)) >>> 0;
    prevLo = sumLo >>> 0;
    words[2 * i] = prevLo;
    words[2 * i + 1] = prevHi;
  }
  return out;
}

function float32Column(r, n, what) {
  const planes = [];
  for (let j = 0; j < 4; j++) planes.push(bytesOf(r.plane(n, what), n));
  const bits = new Uint32Array(n);
  const [p0, p1, p2, p3] = planes;
  for (let i = 0; i < n; i++) bits[i] = p0[i] | (p1[i] << 8) | (p2[i] << 16) | (p3[i] << 24);
  return Float64Array.from(new Float32Array(bits.buffer));
}

function q16Column(r, n, what) {
  const out = new Float64Array(n);
  if (n === 0) return out;
  const min = r.f64(`${what} min`);
  const max = r.f64(`${what} max`);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new CorruptPayloadError(`${what}: Q16 range [${min}, ${max}] is not finite and ordered`);
  }
  if (min === max) {
    out.fill(min);
    return out;
  }
  const step = (max - min) / 65535;
  if (!Number.isFinite(step)) throw new CorruptPayloadError(`${what}: Q16 step is not finite`);
  const low = bytesOf(r.plane(n, what), n);
  const high = bytesOf(r.plane(n, what), n);
  for (let i = 0; i < n; i++) out[i] = min + (low[i] | (high[i] << 8)) * step;
  return out;
}

// Java's Character.isWhitespace, for analysisVersion's "not only whitespace" (String.isBlank).
const JAVA_WHITESPACE = /^[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/;

/** The header's fields (section 3), checked in the format's order up to the value count; no checksum. */
export function readHeader(payload, { maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES } = {}) {
  const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  if (bytes.length < HEADER) throw new CorruptPayloadError(`${bytes.length} bytes, shorter than the 24-byte header`);
  if (bytes[0] !== 0x53 || bytes[1] !== 0x54 || bytes[2] !== 0x4d || bytes[3] !== 0x43) {
    throw new CorruptPayloadError('not a stemcache payload (magic is not STMC)');
  }
  const version = bytes[4];
  if (version !== 1) throw new CorruptPayloadError(`format version ${version}; this decoder reads version 1`);
  const precision = bytes[5];
  if (precision > 2) throw new CorruptPayloadError(`unknown precision ${precision}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(6, true) !== 0) throw new CorruptPayloadError('reserved flags are set');
  const bodyLength = view.getUint32(16, true);
  if (bodyLength !== bytes.length - HEADER) {
    throw new CorruptPayloadError(`bodyLength ${bodyLength}, but ${bytes.length - HEADER} bytes follow the header`);
  }
  const countLo = view.getUint32(8, true);
  const countHi = view.getUint32(12, true);
  const limit = Math.floor(maxDecodedBytes / 8);
  if (countHi !== 0 || countLo > limit) {
    const claimed = countHi * 2 ** 32 + countLo;
    throw new PayloadTooLargeError(`claims ${claimed} values (${claimed * 8} bytes decoded), more than the limit of ${limit}`);
  }
  // A constant plane is 2 bytes whatever it stands for: the claim must fit the payload's own length too.
  const ratioLimit = Math.floor((RATIO_ALLOWANCE_BYTES + MAX_COMPRESSION_RATIO * bytes.length) / 8);
  if (countLo > ratioLimit) {
    throw new PayloadTooLargeError(`a payload of ${bytes.length} bytes claims ${countLo} values (${countLo * 8} bytes decoded), ` +
      `more than ${ratioLimit}: at most ${MAX_COMPRESSION_RATIO} decoded bytes per payload byte beyond the first ${RATIO_ALLOWANCE_BYTES}`);
  }
  return { bytes, version, precision: PRECISIONS[precision], valueCount: countLo, bodyLength, checksum: view.getUint32(20, true) };
}

/**
 * Decodes a payload (ArrayBuffer or Uint8Array) into
 * {fileMetadataId, stemType, analysisVersion, precision, analysisData: {name: Float64Array},
 *  waveform: {points: Float64Array, sampleRate, duration}, markers: [{time, type, intensity, frequency?}], metadata}.
 * Throws CorruptPayloadError (or PayloadTooLargeError) naming the problem.
 */
export function decode(payload, options = {}) {
  const header = readHeader(payload, options);
  const { bytes } = header;
  if (xxh32(bytes, HEADER, bytes.length, SEED) !== header.checksum) {
    throw new CorruptPayloadError('checksum mismatch: the payload is damaged');
  }
  const r = new Reader(bytes, HEADER, bytes.length);
  let budget = header.valueCount;
  const take = (n, what, max) => {
    if (n > budget || n > max) throw new CorruptPayloadError(`${what}: ${n} values, more than the ${Math.min(budget, max)} left`);
    budget -= n;
    return n;
  };

  r.need(16, 'fileMetadataId');
  const hex = Array.from(bytes.subarray(r.pos, r.pos + 16), (b) => b.toString(16).padStart(2, '0')).join('');
  r.pos += 16;
  const fileMetadataId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const stemCode = r.u8('stem');
  if (stemCode >= STEMS.length) throw new CorruptPayloadError(`unknown stem code ${stemCode}`);
  const analysisVersion = r.string('analysisVersion');
  if (analysisVersion.length < 1 || analysisVersion.length > 20 || JAVA_WHITESPACE.test(analysisVersion)) {
    throw new CorruptPayloadError('analysisVersion must be 1 to 20 characters, not only whitespace');
  }
  const sampleRate = r.i32('metadata.sampleRate');
  const duration = r.f64('metadata.duration');
  const bufferSize = r.i32('metadata.bufferSize');
  const analysisDuration = r.f64('metadata.analysisDuration');
  const featureCount = r.count('featuresExtracted count');
  if (featureCount > MAX_FEATURES) throw new CorruptPayloadError(`${featureCount} featuresExtracted, at most ${MAX_FEATURES}`);
  const featuresExtracted = [];
  for (let i = 0; i < featureCount; i++) featuresExtracted.push(r.string(`featuresExtracted[${i}]`));
  const waveformSampleRate = r.i32('waveform.sampleRate');
  const waveformDuration = r.f64('waveform.duration');

  const seriesCount = r.count('series count');
  if (seriesCount > MAX_SERIES) throw new CorruptPayloadError(`${seriesCount} series, at most ${MAX_SERIES}`);
  const analysisData = {};
  const names = new Set();
  for (let s = 0; s < seriesCount; s++) {
    const name = r.string(`series ${s} name`);
    if (name.length < 1 || name.length > 64) throw new CorruptPayloadError(`series ${s} name must be 1 to 64 characters`);
    if (names.has(name)) throw new CorruptPayloadError(`series '${name}' appears twice`);
    names.add(name);
    const n = take(r.count(`series '${name}' length`), `series '${name}'`, MAX_COLUMN);
    analysisData[name] = header.precision === 'FLOAT64' ? exactColumn(r, n, `series '${name}'`)
      : header.precision === 'FLOAT32' ? float32Column(r, n, `series '${name}'`) : q16Column(r, n, `series '${name}'`);
  }

  const pointCount = take(r.count('waveform points length'), 'waveform points', MAX_POINTS);
  const points = exactColumn(r, pointCount, 'waveform points');

  const m = r.count('marker count');
  if (m > MAX_COLUMN || 3 * m > budget) throw new CorruptPayloadError(`${m} markers, more than the values left allow`);
  budget -= 3 * m;
  const types = r.plane(m, 'marker types');
  let stored = 0;
  for (let i = 0; i < m; i++) {
    const t = byteAt(types, i);
    if (t & 0xf8) throw new CorruptPayloadError(`marker ${i}: type byte ${t} has reserved bits set`);
    if (t & FREQUENCY_STORED) stored++;
  }
  const layout = r.u8('marker time layout');
  let times;
  if (layout === 0) {
    const n = r.count('marker times length');
    if (n !== m) throw new CorruptPayloadError(`marker times: ${n} values for ${m} markers`);
    times = exactColumn(r, n, 'marker times');
  } else if (layout === 1) {
    if (sampleRate <= 0 || bufferSize <= 0) throw new CorruptPayloadError('marker frames need a positive sampleRate and bufferSize');
    times = new Float64Array(m);
    const size = BigInt(bufferSize);
    let frame = 0n;
    for (let i = 0; i < m; i++) {
      const z = r.varintBig(`marker ${i} frame`);
      frame = BigInt.asIntN(64, frame + ((z >> 1n) ^ -(z & 1n)));
      times[i] = Number(BigInt.asIntN(64, frame * size)) / sampleRate;
    }
  } else {
    throw new CorruptPayloadError(`unknown marker time layout ${layout}`);
  }
  const intensityCount = r.count('marker intensities length');
  if (intensityCount !== m) throw new CorruptPayloadError(`marker intensities: ${intensityCount} values for ${m} markers`);
  const intensities = exactColumn(r, m, 'marker intensities');
  const frequencyCount = r.count('marker frequencies length');
  if (frequencyCount !== stored) throw new CorruptPayloadError(`marker frequencies: ${frequencyCount} values for ${stored} stored`);
  const frequencies = exactColumn(r, stored, 'marker frequencies');
  if (r.pos !== r.end) throw new CorruptPayloadError(`${r.end - r.pos} bytes after the markers`);
  if (budget !== 0) throw new CorruptPayloadError(`the columns hold ${header.valueCount - budget} values, the header claims ${header.valueCount}`);

  const markers = new Array(m);
  for (let i = 0, f = 0; i < m; i++) {
    const t = byteAt(types, i);
    const marker = { time: times[i], type: MARKER_TYPES[t & 3], intensity: intensities[i] };
    if (t & FREQUENCY_STORED) marker.frequency = frequencies[f++];
    markers[i] = marker;
  }
  return {
    fileMetadataId,
    stemType: STEMS[stemCode],
    analysisVersion,
    precision: header.precision,
    analysisData,
    waveform: { points, sampleRate: waveformSampleRate, duration: waveformDuration },
    markers,
    metadata: { sampleRate, duration, bufferSize, featuresExtracted, analysisDuration },
  };
}
