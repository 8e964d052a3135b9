package io.stemcache.core.codec;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;

// Placeholder until the measured layout lands.
final class Lz4ShuffleCodec implements AnalysisCodec {

    static final Lz4ShuffleCodec STANDARD = new Lz4ShuffleCodec(DEFAULT_MAX_DECODED_BYTES);

    private final long maxDecodedBytes;

    Lz4ShuffleCodec(long maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
    }

    @Override
    public byte[] encode(AudioAnalysis analysis, Precision precision) {
        throw new UnsupportedOperationException("codec not implemented yet, limit " + maxDecodedBytes);
    }

    @Override
    public AudioAnalysis decode(byte[] payload) {
        throw new UnsupportedOperationException("codec not implemented yet");
    }

    @Override
    public PayloadHeader header(byte[] payload) {
        throw new UnsupportedOperationException("codec not implemented yet");
    }
}
