/**
 * The payload codec: a compact binary layout of an analysis, byte-shuffled and LZ4-compressed behind a
 * checksummed header. {@link io.stemcache.core.codec.AnalysisCodec} is the entry point.
 */
package io.stemcache.core.codec;
