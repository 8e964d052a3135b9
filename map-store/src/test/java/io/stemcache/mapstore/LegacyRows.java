package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Rows as the product wrote them before payloads: jsonb columns and metadata, owner backfilled by 019. */
final class LegacyRows {

    private LegacyRows() {}

    /** Inserts the analysis the product's way for a user key, updated at {@code updatedAt} (may be null); returns the row id. */
    static UUID insert(TableRows rows, AnalysisKey key, AudioAnalysis analysis, OffsetDateTime updatedAt) {
        return insertJson(
                rows,
                key,
                analysis,
                AnalysisJson.analysisDataJson(analysis),
                AnalysisJson.waveformJson(analysis),
                updatedAt);
    }

    /** Like {@link #insert} with the jsonb columns given as text. */
    static UUID insertJson(
            TableRows rows,
            AnalysisKey key,
            AudioAnalysis analysis,
            String analysisData,
            String waveformData,
            OffsetDateTime updatedAt) {
        UUID id = UUID.randomUUID();
        rows.update(
                """
                INSERT INTO audio_analysis_cache (id, user_id, file_metadata_id, stem_type, analysis_version,
                    sample_rate, duration, buffer_size, features_extracted, analysis_data, waveform_data,
                    analysis_duration, created_at, updated_at, owner_kind, owner_id)
                VALUES (?, ?::uuid, ?, ?, ?, ?, ?, ?, ?::text[], ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""",
                id,
                key.owner().kind().code().equals("user") ? key.owner().id() : null,
                key.fileMetadataId(),
                key.stemType().code(),
                analysis.analysisVersion(),
                analysis.metadata().sampleRate(),
                analysis.metadata().duration(),
                analysis.metadata().bufferSize(),
                "{" + String.join(",", analysis.metadata().featuresExtracted()) + "}",
                analysisData,
                waveformData,
                (int) Math.round(analysis.metadata().analysisDuration()),
                updatedAt,
                updatedAt,
                key.owner().kind().code(),
                key.owner().id());
        return id;
    }
}
