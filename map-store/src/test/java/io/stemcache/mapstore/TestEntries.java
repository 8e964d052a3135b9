package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Keys and entries for the store's tests, made from the corpus. */
final class TestEntries {

    static final AnalysisCodec CODEC = AnalysisCodec.standard();
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");
    static final String GUEST_TOKEN = "guest-session-0123456789abcdef";

    /** Frames of the small analyses: a few kilobytes of payload each. */
    static final int SMALL_FRAMES = 200;

    private TestEntries() {}

    static AnalysisKey userKey(UUID user, AudioAnalysis analysis) {
        return new AnalysisKey(Owner.user(user), analysis.fileMetadataId(), analysis.stemType());
    }

    /** The same analysis filed under another uploaded file. */
    static AudioAnalysis ofFile(UUID fileMetadataId, AudioAnalysis analysis) {
        return new AudioAnalysis(
                fileMetadataId,
                analysis.stemType(),
                analysis.analysisVersion(),
                analysis.analysisData(),
                analysis.waveformData(),
                analysis.metadata());
    }

    /** The key's first write (version 1), stamped {@code at}. */
    static CachedAudioAnalysis entry(AnalysisKey key, AudioAnalysis analysis, Instant at) {
        return entry(key, analysis, at, 1);
    }

    /** A write the cluster gave {@code version}, stamped {@code at}. */
    static CachedAudioAnalysis entry(AnalysisKey key, AudioAnalysis analysis, Instant at, long version) {
        return CachedAudioAnalysis.of(key, analysis, "sha256:" + key.fileMetadataId(), 1, Precision.FLOAT64, CODEC, at)
                .withVersion(version);
    }

    /** {@code count} small entries of one user, each for its own file. */
    static Map<AnalysisKey, CachedAudioAnalysis> smallEntries(int count, UUID user, Instant at) {
        AudioAnalysis small = Corpus.small(SMALL_FRAMES);
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            AudioAnalysis analysis = ofFile(UUID.randomUUID(), small);
            AnalysisKey key = userKey(user, analysis);
            entries.put(key, entry(key, analysis, at));
        }
        return entries;
    }

    static StoreSettings settings() {
        return StoreSettings.defaults();
    }
}
