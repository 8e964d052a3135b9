package io.stemcache.bench;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.StemType;
import io.stemcache.core.Waveform;
import io.stemcache.core.json.AnalysisJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The product's old storage, the baseline: its {@code audio_analysis_cache} table as changelog 001
 * creates it, here named {@value #TABLE}, one row per stem with the analysis in two {@code jsonb}
 * columns. Writes serialize the JSON and upsert; reads select the row and parse both columns.
 */
final class LegacyRows {

    static final String TABLE = "product_audio_analysis_cache";

    private static final String CREATE = """
            CREATE TABLE product_audio_analysis_cache (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id uuid, file_metadata_id uuid NOT NULL,
                stem_type varchar(50) NOT NULL, analysis_version varchar(20) DEFAULT '1.0', sample_rate int,
                duration decimal(10,3), buffer_size int, features_extracted text[], analysis_data jsonb,
                waveform_data jsonb, analysis_duration int, created_at timestamptz DEFAULT now(),
                updated_at timestamptz DEFAULT now(), UNIQUE (file_metadata_id, stem_type, analysis_version))""";

    private static final String UPSERT = """
            INSERT INTO product_audio_analysis_cache (user_id, file_metadata_id, stem_type, analysis_version,
                sample_rate, duration, buffer_size, features_extracted, analysis_data, waveform_data, analysis_duration)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
            ON CONFLICT (file_metadata_id, stem_type, analysis_version) DO UPDATE SET
                analysis_data = EXCLUDED.analysis_data, waveform_data = EXCLUDED.waveform_data,
                duration = EXCLUDED.duration, analysis_duration = EXCLUDED.analysis_duration, updated_at = now()""";

    private static final String SELECT = """
            SELECT analysis_version, sample_rate, duration, buffer_size, features_extracted, analysis_duration,
                analysis_data, waveform_data
            FROM product_audio_analysis_cache WHERE user_id = ? AND file_metadata_id = ? AND stem_type = ?""";

    private static final String COLUMN_SIZE = "SELECT pg_column_size(analysis_data) + pg_column_size(waveform_data)"
            + " FROM product_audio_analysis_cache WHERE file_metadata_id = ? AND stem_type = ?";

    private LegacyRows() {}

    static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE);
        }
    }

    /** Serializes the analysis as the product did and upserts its row (auto-commit: one transaction). */
    static void upsert(Connection connection, UUID user, AudioAnalysis analysis) throws SQLException {
        AnalysisMetadata metadata = analysis.metadata();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setObject(1, user);
            upsert.setObject(2, analysis.fileMetadataId());
            upsert.setString(3, analysis.stemType().code());
            upsert.setString(4, analysis.analysisVersion());
            upsert.setInt(5, metadata.sampleRate());
            upsert.setBigDecimal(6, BigDecimal.valueOf(metadata.duration()).setScale(3, RoundingMode.HALF_UP));
            upsert.setInt(7, metadata.bufferSize());
            upsert.setArray(
                    8,
                    connection.createArrayOf(
                            "text", metadata.featuresExtracted().toArray()));
            upsert.setString(9, AnalysisJson.analysisDataJson(analysis));
            upsert.setString(10, AnalysisJson.waveformJson(analysis));
            upsert.setInt(11, (int) Math.round(metadata.analysisDuration()));
            upsert.executeUpdate();
        }
    }

    /** Selects the row and parses it into the model, as the product's read path did; null if absent. */
    static AudioAnalysis read(Connection connection, UUID user, UUID fileId, StemType stem) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setObject(1, user);
            select.setObject(2, fileId);
            select.setString(3, stem.code());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                List<String> features = Arrays.asList((String[]) row.getArray(5).getArray());
                AnalysisMetadata metadata = new AnalysisMetadata(
                        row.getInt(2), row.getBigDecimal(3).doubleValue(), row.getInt(4), features, row.getInt(6));
                Map<String, double[]> series = inOrder(AnalysisJson.readAnalysisData(row.getString(7)), features);
                Waveform waveform = AnalysisJson.readWaveform(row.getString(8));
                return new AudioAnalysis(fileId, stem, row.getString(1), series, waveform, metadata);
            }
        }
    }

    /** Bytes PostgreSQL stores for the two jsonb values of a row (after TOAST compression). */
    static long storedBytes(Connection connection, UUID fileId, StemType stem) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COLUMN_SIZE)) {
            select.setObject(1, fileId);
            select.setString(2, stem.code());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no " + TABLE + " row for " + fileId + "/" + stem.code());
                }
                return row.getLong(1);
            }
        }
    }

    // jsonb sorts object keys, so the series come back in another order: restore the product's.
    private static Map<String, double[]> inOrder(Map<String, double[]> series, List<String> features) {
        Map<String, double[]> ordered = new LinkedHashMap<>();
        for (String feature : features) {
            double[] values = series.get(feature);
            if (values != null) {
                ordered.put(feature, values);
            }
        }
        series.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
