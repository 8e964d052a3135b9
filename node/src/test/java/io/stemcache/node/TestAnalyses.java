package io.stemcache.node;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Distinct analyses made from the corpus, and their keys. */
public final class TestAnalyses {

    private TestAnalyses() {}

    /** The same analysis under another file id. */
    public static AudioAnalysis withFile(AudioAnalysis analysis, UUID fileMetadataId) {
        return new AudioAnalysis(
                fileMetadataId,
                analysis.stemType(),
                analysis.analysisVersion(),
                analysis.analysisData(),
                analysis.waveformData(),
                analysis.metadata());
    }

    /** {@code count} small analyses (of {@code frames} frames), each of its own file. */
    public static List<AudioAnalysis> distinctSmall(int count, int frames) {
        AudioAnalysis base = Corpus.small(frames);
        List<AudioAnalysis> analyses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            analyses.add(withFile(base, UUID.randomUUID()));
        }
        return analyses;
    }

    public static AnalysisKey keyOf(Owner owner, AudioAnalysis analysis) {
        return new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
    }
}
