/**
 * The payload codec: a compact binary layout of an analysis, delta-coded, bit- and byte-shuffled and
 * LZ4-compressed behind a checksummed header. {@link io.stemcache.core.codec.AnalysisCodec} is the entry point.
 *
 * <h2>Format, version 1</h2>
 * Payloads are stored in PostgreSQL and outlive releases: this layout is fixed. A change needs a new
 * format version, and decoders keep reading every older one. All integers are little-endian; a
 * <em>varint</em> is unsigned LEB128 (7 bits per byte, low groups first, at most 10 bytes); a
 * <em>string</em> is a varint byte length followed by that many bytes of UTF-8.
 *
 * <h3>Header (24 bytes)</h3>
 * <pre>
 * offset size field
 *      0    4 magic       'S' 'T' 'M' 'C' (0x53 0x54 0x4D 0x43)
 *      4    1 version     1
 *      5    1 precision   0 FLOAT64, 1 FLOAT32, 2 Q16
 *      6    2 flags       0 (reserved; any set bit is refused)
 *      8    8 valueCount  float64 values in the analysis: series + points + 3 per marker (raw size / 8)
 *     16    4 bodyLength  bytes after the header; must be exactly the rest of the payload
 *     20    4 checksum    XXHash32 of the body with seed 0x53544D43
 * </pre>
 * A decoder checks, in this order: the length is at least 24 bytes, the magic, the version, the
 * precision code, the flags, bodyLength, valueCount * 8 against its limit and against
 * {@code 65536 + 4096 * payload length} (the compression ratio: no checksummed 200 bytes may claim 256 MiB), then the
 * checksum, and only then parses the body.
 *
 * <h3>Body</h3>
 * <pre>
 * envelope   16 bytes fileMetadataId (RFC 4122 byte order, as its text reads)
 *            u8 stem code: 0 master, 1 drums, 2 bass, 3 vocals, 4 other
 *            string analysisVersion (at most 256 bytes)
 *            metadata: i32 sampleRate, f64 duration, i32 bufferSize, f64 analysisDuration,
 *                      varint count (at most 4096) then that many strings featuresExtracted (at most 256 bytes each)
 *            waveform: i32 sampleRate, f64 duration
 * series     varint count (at most 4096), then per series in the analysis' order:
 *            string name (1 to 64 characters, unique), then its column at the header's precision
 * points     one exact column (pre-transform NONE), at most 2000 values, at every precision
 * markers    varint m
 *            a plane of m type bytes: bits 0-1 the type (0 beat, 1 onset, 2 peak, 3 drop),
 *              bit 2 set when the frequency column holds the marker's frequency; other bits 0
 *            u8 time layout: 1 = frame indices, m varints of zigzag(frame_i - frame_(i-1)), frame_(-1) = 0,
 *              time = (double) (frame * bufferSize) / sampleRate in 64-bit integer then float64 arithmetic,
 *              with the metadata's bufferSize and sampleRate (both positive); chosen only when it gives
 *              every time back bit-exactly. 0 = one exact column of m times (pre-transform NONE)
 *            one exact column of m intensities (NONE)
 *            one exact column of the frequencies of the markers with bit 2 set, in marker order (NONE);
 *              the others decode as the canonical NaN (0x7FF8000000000000), any other NaN is stored
 * </pre>
 * f64 is the IEEE 754 bit pattern as an i64. zigzag(d) = (d &lt;&lt; 1) ^ (d &gt;&gt; 63). The body must
 * end exactly after the markers, and its columns must hold exactly valueCount values.
 *
 * <h3>Columns</h3>
 * An <em>exact</em> column (float64, every bit kept):
 * <pre>
 * varint n, u8 pre-transform: 0 NONE, v_i = raw bits of value i
 *                             2 DELTA, v_i = zigzag(bits_i - bits_(i-1)), bits_(-1) = 0, wrapping 64-bit
 * 6 byte planes j = 0..5, n bytes each: byte i = (v_i &gt;&gt;&gt; 8j) &amp; 0xFF
 * 16 bit planes q = 0..15 for bit 48 + q, nb = ceil(n / 8) bytes each:
 *   byte g, bit j (bit 0 = least significant) = bit (48 + q) of v_(8g+j); 0 past n
 * </pre>
 * Series use DELTA, points and marker columns NONE; a decoder accepts either anywhere.
 * A FLOAT32 series: {@code varint n}, then 4 byte planes of n bytes of the float32 bits
 * ({@code (float) value}, rounded to nearest). A Q16 series: {@code varint n}, and when n &gt; 0
 * f64 min, f64 max (finite, min &lt;= max); when min == max nothing follows and every value is min,
 * else 2 byte planes (low, high) of n bytes of 16-bit codes c, value = min + c * ((max - min) / 65535).
 *
 * <h3>Planes</h3>
 * Each plane is {@code u8 mode} and its content: 0 RAW, the plane's bytes; 1 LZ4, {@code varint clen} and one
 * raw LZ4 block (no frame) of clen bytes that decompresses to exactly the plane's length; 2 CONST, one byte
 * repeated over the plane. The encoder writes CONST when every byte is equal, LZ4 when clen + 4 is less than
 * the plane's length, else RAW (and RAW for an empty plane).
 *
 * <h3>Precision and errors</h3>
 * FLOAT64 is bit-exact, NaN payloads and -0.0 included. FLOAT32 and Q16 change only the series:
 * the envelope, points and markers stay exact. FLOAT32 rounds to the nearest float32: relative error at most
 * 2^-24, absolute error at most 2^-150 below float32's normal range; finite values beyond its range are refused.
 * Q16 refuses NaN and infinities; its error is at most (max - min) / 131070, plus the float64 rounding of the
 * decoded value (half an ulp, which matters only for ranges narrow for their magnitude).
 */
package io.stemcache.core.codec;
