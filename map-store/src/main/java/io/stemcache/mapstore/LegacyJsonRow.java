package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Waveform;
import io.stemcache.core.json.AnalysisJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the analysis of a row the product stored as jsonb ({@code analysis_data}, {@code waveform_data}). */
final class LegacyJsonRow {

    private LegacyJsonRow() {}

    /** The row's analysis; throws IllegalArgumentException naming what is missing or malformed. */
    static AudioAnalysis analysis(
            AnalysisKey key,
            String analysisVersion,
            String analysisJson,
            String waveformJson,
            AnalysisMetadata metadata) {
        if (analysisJson == null) {
            throw new IllegalArgumentException("the row has neither a payload nor analysis_data");
        }
        if (waveformJson == null) {
            throw new IllegalArgumentException("the row has analysis_data but no waveform_data");
        }
        Map<String, double[]> series =
                inProductOrder(AnalysisJson.readAnalysisData(analysisJson), metadata.featuresExtracted());
        Waveform waveform = AnalysisJson.readWaveform(waveformJson);
        return new AudioAnalysis(key.fileMetadataId(), key.stemType(), analysisVersion, series, waveform, metadata);
    }

    /**
     * jsonb does not keep object key order (it sorts keys by length, then bytes), so the series are put
     * back in the order of {@code features_extracted}; series it does not name follow in jsonb order.
     */
    static Map<String, double[]> inProductOrder(Map<String, double[]> series, List<String> featuresExtracted) {
        LinkedHashMap<String, double[]> ordered = new LinkedHashMap<>();
        for (String feature : featuresExtracted) {
            double[] values = series.get(feature);
            if (values != null) {
                ordered.put(feature, values);
            }
        }
        series.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
