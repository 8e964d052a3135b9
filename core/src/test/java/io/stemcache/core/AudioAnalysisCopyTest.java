package io.stemcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Copies of a decoded analysis: equal bit for bit, sharing no array with the entry's kept one. */
class AudioAnalysisCopyTest {

    @Test
    void copy_isBitExactAndSharesNoArray() {
        AudioAnalysis analysis = Corpus.small(200);

        AudioAnalysis copy = analysis.copy();

        Analyses.assertBitExact(analysis, copy);
        analysis.analysisData()
                .forEach((name, values) ->
                        assertThat(copy.analysisData().get(name)).isNotSameAs(values));
        assertThat(copy.waveformData().points())
                .isNotSameAs(analysis.waveformData().points());
    }

    @Test
    void analysis_handsEachCallerItsOwnArrays_sharedAnalysisTheKeptOnes() {
        AudioAnalysis small = Corpus.small(120);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), small.fileMetadataId(), small.stemType());
        CachedAudioAnalysis entry =
                CachedAudioAnalysis.of(key, small, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now());
        CachedAudioAnalysis read = new CachedAudioAnalysis(
                entry.id(),
                entry.fileMetadataId(),
                entry.stemType(),
                entry.analysisVersion(),
                entry.cacheVersion(),
                null,
                entry.precision(),
                entry.createdAt(),
                entry.updatedAt(),
                entry.metadata(),
                entry.rawSize(),
                entry.payload());

        AudioAnalysis first = read.analysis();
        first.analysisData().get("rms")[3] = -1;

        Analyses.assertBitExact(small, read.analysis());
        assertThat(read.sharedAnalysis()).isSameAs(read.sharedAnalysis());
        assertThat(read.analysis()).isNotSameAs(read.sharedAnalysis());
        Analyses.assertBitExact(small, read.sharedAnalysis());
    }
}
