package io.stemcache.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * The product's read path today, emulated on the API node's own stack (Tomcat, Spring MVC, the same token
 * check) for the {@code http} command: its tRPC query selects the caller's {@link LegacyRows} row, jsonb
 * arriving as text, and answers the whole row as JSON, {@code {"result":{"data":{...row...}}}}. The two
 * jsonb values are parsed and written again (streaming), as the product's JSON.parse and JSON.stringify do.
 */
@RestController
final class ProductRoute implements AutoCloseable {

    /** Where the route answers; the query names {@code fileMetadataId} and {@code stemType}. */
    static final String PATH = "/product/trpc/audioAnalysis.get";

    /** The Spring property that names the run's database. */
    static final String JDBC_PROPERTY = "stemcache.bench.product-jdbc-url";

    private static final String SELECT =
            """
            SELECT id, user_id, file_metadata_id, stem_type, analysis_version, sample_rate, duration, buffer_size,
                features_extracted, analysis_data, waveform_data, analysis_duration, created_at, updated_at
            FROM""" + " " + LegacyRows.TABLE + " WHERE user_id = ? AND file_metadata_id = ? AND stem_type = ?";

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final HikariDataSource rows;

    ProductRoute(@Value("${" + JDBC_PROPERTY + "}") String jdbcUrl) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(BenchDatabase.USER);
        pool.setPoolName("product-route");
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(1);
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        this.rows = new HikariDataSource(pool);
    }

    @GetMapping(PATH)
    void get(
            @AuthenticationPrincipal Jwt jwt,
            @RequestParam String fileMetadataId,
            @RequestParam String stemType,
            HttpServletResponse response)
            throws IOException, SQLException {
        UUID user = UUID.fromString(jwt.getSubject());
        try (Connection connection = rows.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setObject(1, user);
            select.setObject(2, UUID.fromString(fileMetadataId));
            select.setString(3, stemType);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new ResponseStatusException(
                            HttpStatus.NOT_FOUND, "no row for " + fileMetadataId + "/" + stemType);
                }
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                try (JsonGenerator out = JSON.createGenerator(ObjectWriteContext.empty(), response.getOutputStream())) {
                    writeRow(row, out);
                }
            }
        }
    }

    /** The row as drizzle-style camelCase JSON in tRPC's envelope; decimals as strings, timestamps ISO-8601. */
    private static void writeRow(ResultSet row, JsonGenerator out) throws SQLException {
        out.writeStartObject();
        out.writeName("result");
        out.writeStartObject();
        out.writeName("data");
        out.writeStartObject();
        out.writeStringProperty("id", row.getString("id"));
        out.writeStringProperty("userId", row.getString("user_id"));
        out.writeStringProperty("fileMetadataId", row.getString("file_metadata_id"));
        out.writeStringProperty("stemType", row.getString("stem_type"));
        out.writeStringProperty("analysisVersion", row.getString("analysis_version"));
        out.writeNumberProperty("sampleRate", row.getInt("sample_rate"));
        out.writeStringProperty("duration", row.getBigDecimal("duration").toPlainString());
        out.writeNumberProperty("bufferSize", row.getInt("buffer_size"));
        out.writeName("featuresExtracted");
        out.writeStartArray();
        for (String feature : (String[]) row.getArray("features_extracted").getArray()) {
            out.writeString(feature);
        }
        out.writeEndArray();
        out.writeName("analysisData");
        copy(row.getString("analysis_data"), out);
        out.writeName("waveformData");
        copy(row.getString("waveform_data"), out);
        out.writeNumberProperty("analysisDuration", row.getInt("analysis_duration"));
        out.writeStringProperty(
                "createdAt", row.getObject("created_at", OffsetDateTime.class).toString());
        out.writeStringProperty(
                "updatedAt", row.getObject("updated_at", OffsetDateTime.class).toString());
        out.writeEndObject();
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void copy(String jsonb, JsonGenerator out) {
        if (jsonb == null) {
            out.writeNull();
            return;
        }
        try (JsonParser in = JSON.createParser(ObjectReadContext.empty(), jsonb)) {
            in.nextToken();
            out.copyCurrentStructure(in);
        }
    }

    @Override
    public void close() {
        rows.close();
    }
}
