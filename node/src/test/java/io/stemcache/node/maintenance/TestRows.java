package io.stemcache.node.maintenance;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Writes and reads {@code audio_analysis_cache} rows directly, independently of the code under test. */
final class TestRows {

    private final DataSource dataSource;

    TestRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts a payload-less row of {@code size} stored bytes at {@code cacheVersion}, last read
     * {@code lastAccessedAgo} ago (a PostgreSQL interval such as {@code '31 days'}).
     */
    void insert(AnalysisKey key, int size, int cacheVersion, String lastAccessedAgo) {
        Owner owner = key.owner();
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, user_id, file_metadata_id, stem_type, size,"
                + " cache_version, last_accessed) VALUES (?, ?, ?, ?, ?, ?, ?, now() - ?::interval)",
                owner.kind().code(), owner.id(), owner.isGuest() ? null : UUID.fromString(owner.id()),
                key.fileMetadataId(), key.stemType().code(), size, cacheVersion, lastAccessedAgo);
    }

    /** Inserts one of the product's rows that stemcache adopted as 'legacy' (kept forever). */
    UUID insertLegacy(UUID file, int size, String lastAccessedAgo) {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (id, owner_kind, owner_id, file_metadata_id, stem_type, size,"
                + " cache_version, last_accessed) VALUES (?, 'legacy', ?, ?, 'drums', ?, 1, now() - ?::interval)",
                id, id.toString(), file, size, lastAccessedAgo);
        return id;
    }

    long count() {
        return count("true");
    }

    long count(String where) {
        return number("SELECT count(*) FROM audio_analysis_cache WHERE " + where);
    }

    long number(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    boolean exists(AnalysisKey key) {
        return count(where(key)) == 1;
    }

    /** The row's access count and whether it was read in the last minute. */
    long accessCount(AnalysisKey key) {
        return number("SELECT access_count FROM audio_analysis_cache WHERE " + where(key));
    }

    boolean readWithinAMinute(AnalysisKey key) {
        return count(where(key) + " AND last_accessed > now() - interval '1 minute'") == 1;
    }

    List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static String where(AnalysisKey key) {
        return "owner_kind = '" + key.owner().kind().code() + "' AND owner_id = '" + key.owner().id()
                + "' AND file_metadata_id = '" + key.fileMetadataId() + "' AND stem_type = '" + key.stemType().code() + "'";
    }
}
