// The JS decoder against golden payloads the Java codec writes at test time (JsDecoderTest sets STEMCACHE_GOLDEN),
// and against hostile bytes. Run: node --test test/decoder.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, readHeader, CorruptPayloadError, PayloadTooLargeError } from '../src/decoder.js';
import { xxh32 } from '../src/xxh32.js';

const golden = process.env.STEMCACHE_GOLDEN;
const cases = golden ? readFileSync(join(golden, 'cases.txt'), 'utf8').split('\n').filter(Boolean) : [];
const bytesOf = (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

test('golden payloads are there (JsDecoderTest writes them)', () => {
  assert.ok(golden, 'STEMCACHE_GOLDEN is not set: run this through JsDecoderTest');
  assert.ok(cases.length >= 3, `only ${cases.length} golden cases`);
});

for (const id of cases) {
  test(`decodes ${id} bit for bit as the Java codec does`, () => {
    const payload = readFileSync(join(golden, `${id}.payload`));
    const expected = JSON.parse(readFileSync(join(golden, `${id}.json`), 'utf8'));
    const values = readFileSync(join(golden, `${id}.f64`));
    const decoded = decode(new Uint8Array(payload));

    assert.equal(decoded.fileMetadataId, expected.fileMetadataId);
    assert.equal(decoded.stemType, expected.stemType);
    assert.equal(decoded.analysisVersion, expected.analysisVersion);
    assert.equal(decoded.precision, expected.precision);
    assert.deepEqual(decoded.metadata, expected.metadata);
    assert.equal(decoded.waveform.sampleRate, expected.waveformSampleRate);
    assert.equal(decoded.waveform.duration, expected.waveformDuration);
    assert.deepEqual(Object.keys(decoded.analysisData), expected.series.map(([name]) => name));

    let offset = 0;
    const expectColumn = (what, column) => {
      const want = values.subarray(offset, offset + column.length * 8);
      offset += column.length * 8;
      assert.ok(Buffer.from(bytesOf(column)).equals(want), `${id}: ${what} differs from the Java codec's values`);
    };
    for (const [name, length] of expected.series) {
      assert.equal(decoded.analysisData[name].length, length, `${name} length`);
      expectColumn(`series ${name}`, decoded.analysisData[name]);
    }
    assert.equal(decoded.waveform.points.length, expected.points);
    expectColumn('points', decoded.waveform.points);
    const markers = decoded.markers;
    assert.deepEqual(markers.map((m) => m.type + ('frequency' in m ? '+f' : '')), expected.markerTypes);
    expectColumn('marker times', Float64Array.from(markers, (m) => m.time));
    expectColumn('marker intensities', Float64Array.from(markers, (m) => m.intensity));
    expectColumn('marker frequencies', Float64Array.from(markers.filter((m) => 'frequency' in m), (m) => m.frequency));
    assert.equal(offset, values.length, 'every expected value was compared');
  });
}

test('decode throughput over the golden payloads (printed, not asserted: timing is the benchmark\'s job)', { skip: !golden }, () => {
  for (const precision of ['FLOAT64', 'FLOAT32', 'Q16']) {
    const payloads = cases.filter((id) => id.endsWith(precision)).map((id) => new Uint8Array(readFileSync(join(golden, `${id}.payload`))));
    let raw = 0;
    const started = performance.now();
    for (let round = 0; round < 3; round++) {
      for (const payload of payloads) raw += readHeader(payload).valueCount * 8 * (decode(payload) ? 1 : 0);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`decode ${precision}: ${(raw / 1e6 / seconds).toFixed(0)} MB/s of float64 (${payloads.length} stems x 3)`);
  }
});

// ---- hostile payloads ----

/** A small real payload to damage (a corpus stem cut to 200 frames, written by JsDecoderTest). */
function sample() {
  return new Uint8Array(readFileSync(join(golden, 'fuzz.payload')));
}

/** Rewrites bodyLength and the checksum so a damaged body reaches the parser instead of failing the checksum. */
function reseal(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(16, bytes.length - 24, true);
  view.setUint32(20, xxh32(bytes, 24, bytes.length, 0x53544d43), true);
  return bytes;
}

function header({ valueCount = 0, precision = 0, version = 1, flags = 0, body = new Uint8Array(0) } = {}) {
  const bytes = new Uint8Array(24 + body.length);
  bytes.set([0x53, 0x54, 0x4d, 0x43, version, precision], 0);
  const view = new DataView(bytes.buffer);
  view.setUint16(6, flags, true);
  view.setBigUint64(8, BigInt(valueCount), true);
  bytes.set(body, 24);
  return reseal(bytes);
}

test('every header check of section 3 names its problem', () => {
  const cases = [
    [new Uint8Array(10), /shorter than the 24-byte header/],
    [Object.assign(header(), { 0: 0x58 }), /magic/],
    [header({ version: 2 }), /format version 2/],
    [header({ precision: 3 }), /unknown precision 3/],
    [header({ flags: 1 }), /reserved flags/],
    [header({ valueCount: 2 ** 40 }), /more than the limit/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => decode(bytes), (e) => e instanceof CorruptPayloadError && message.test(e.message), String(message));
  }
  const short = header();
  new DataView(short.buffer).setUint32(16, 5, true);
  assert.throws(() => decode(short), /bodyLength 5/);
});

test('a payload claiming more than the limit is refused before anything is allocated for it', () => {
  const bomb = header({ valueCount: 2 ** 32 - 1 });
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => decode(bomb), PayloadTooLargeError);
  assert.throws(() => decode(header({ valueCount: 1 << 20 }), { maxDecodedBytes: 1 << 20 }), PayloadTooLargeError);
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'nothing the size of the claim was allocated');
  assert.equal(readHeader(header({ valueCount: 5 })).valueCount, 5);
});

test('a small payload claiming more values than its length can hold is refused before anything is allocated (section 8, ratio)', () => {
  // Issue 13: one Q16 series of 2^25 equal values costs 16 bytes; this whole, checksummed payload is about 200.
  const envelope = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01,
    0x03, 0x31, 0x2e, 0x30, 0x40, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xd0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0x29, 0x40,
    0x00, 0x40, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
  ];
  const emptyExact = [0x00, 0x00, ...Array(22).fill(0x00)];
  const half = [0, 0, 0, 0, 0, 0, 0xe0, 0x3f]; // 0.5
  const count = 2 ** 25;
  const series = [0x01, 0x01, 0x78, 0x80, 0x80, 0x80, 0x10, ...half, ...half]; // "x", varint 2^25, min = max = 0.5
  const body = new Uint8Array([...envelope, ...series, ...emptyExact, 0x00, 0x00, 0x00, ...emptyExact, ...emptyExact, ...emptyExact]);
  const bomb = header({ valueCount: count, precision: 2, body });
  assert.ok(bomb.length < 256, `${bomb.length} bytes`);
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => decode(bomb), (e) => e instanceof PayloadTooLargeError && /at most 4096 decoded bytes per payload byte/.test(e.message));
  assert.throws(() => readHeader(bomb), PayloadTooLargeError);
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'nothing the size of the claim was allocated');
  // The bound itself, as Java computes it: (65536 + 4096 * length) / 8 values pass the header, one more does not.
  for (const length of [24, 1000, 60000]) {
    const payload = header({ body: new Uint8Array(length - 24) });
    const allowed = Math.floor((65536 + 4096 * length) / 8);
    new DataView(payload.buffer).setUint32(8, allowed, true);
    assert.equal(readHeader(payload).valueCount, allowed);
    new DataView(payload.buffer).setUint32(8, allowed + 1, true);
    assert.throws(() => readHeader(payload), PayloadTooLargeError);
  }
});

test('a damaged body fails its checksum', { skip: !golden }, () => {
  const bytes = sample();
  bytes[bytes.length - 1] ^= 0x01;
  assert.throws(() => decode(bytes), /checksum mismatch/);
});

test('truncated or mutated bodies (checksum resealed) throw CorruptPayloadError, never another error', { skip: !golden }, () => {
  const original = sample();
  let refused = 0;
  for (let cut = 24; cut < original.length; cut += Math.max(1, Math.floor(original.length / 300))) {
    assert.throws(() => decode(reseal(original.slice(0, cut))), CorruptPayloadError, `cut at ${cut}`);
    refused++;
  }
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 1500; round++) {
    const bytes = original.slice();
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) {
      // Mostly the structural start of the body, where lengths and modes live.
      const at = 24 + Math.floor(random() ** 3 * (bytes.length - 24));
      bytes[at] = Math.floor(random() * 256);
    }
    try {
      decode(reseal(bytes));
    } catch (e) {
      assert.ok(e instanceof CorruptPayloadError, `round ${round}: ${e.name}: ${e.message}`);
      refused++;
    }
  }
  assert.ok(refused > 300, `${refused} refusals`);
});

test('a lying column length, an LZ4 block past the plane and trailing bytes are refused by name', () => {
  // Envelope of the worked example (docs/payload-format.md 10.2), then hand-made series.
  const envelope = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01,
    0x03, 0x31, 0x2e, 0x30, 0x40, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xd0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0x29, 0x40,
    0x00, 0x40, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
  ];
  const emptyExact = [0x00, 0x00, ...Array(22).fill(0x00)]; // n = 0, NONE, 22 empty RAW planes
  const noMarkers = [0x00, 0x00, 0x00, ...emptyExact, ...emptyExact, ...emptyExact]; // m = 0, types, layout 0
  const body = (series) => new Uint8Array([...envelope, ...series, ...emptyExact, ...noMarkers]);
  // One series claiming 1000 values while the header allows 4.
  const lying = [0x01, 0x03, 0x72, 0x6d, 0x73, 0xe8, 0x07];
  assert.throws(() => decode(header({ valueCount: 4, body: body(lying) })), /series 'rms': 1000 values, more than the 4 left/);
  // An LZ4 plane whose block would write 255+ bytes into a 4-byte plane.
  const bomb = [0x01, 0x03, 0x72, 0x6d, 0x73, 0x04, 0x02, 0x01, 0x05, 0x1f, 0x00, 0x01, 0x00, 0x10];
  assert.throws(() => decode(header({ valueCount: 4, body: body(bomb) })), /LZ4 match runs past the plane/);
  const empty = body([0x00]);
  const padded = new Uint8Array(empty.length + 1);
  padded.set(empty);
  assert.throws(() => decode(header({ valueCount: 0, body: padded })), /bytes after the markers/);
  // And the well-formed empty analysis decodes.
  assert.deepEqual(decode(header({ valueCount: 0, body: empty })).analysisData, {});
});
