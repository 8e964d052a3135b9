package io.stemcache.core.codec;

import io.stemcache.core.Precision;

/** What a payload's header says: format version, precision, raw and compressed body sizes. */
public record PayloadHeader(int formatVersion, Precision precision, int bodyLength, int compressedLength) {
}
