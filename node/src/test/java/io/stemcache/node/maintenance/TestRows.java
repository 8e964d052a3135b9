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

/**
 * Writes and reads the rows of {@code audio_analysis_cache} (users', legacy), {@code
 * audio_analysis_guest_cache} (guests') and {@code audio_analysis_tombstone} directly, independently of
 * the code under test. A key's row is looked up in its owner's table only, so finding it there shows
 * that it is where it belongs; {@link #count(String)} counts both tables.
 */
final class TestRows {

    static final String USERS = "audio_analysis_cache";
    static final String GUESTS = "audio_analysis_guest_cache";

    private final DataSource dataSource;

    TestRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static String table(AnalysisKey key) {
        return key.owner().isGuest() ? GUESTS : USERS;
    }

    /**
     * Inserts a payload-less row of {@code size} stored bytes at {@code cacheVersion}, last read
     * {@code lastAccessedAgo} ago (a PostgreSQL interval such as {@code '31 days'}), in its owner's table.
     */
    void insert(AnalysisKey key, int size, int cacheVersion, String lastAccessedAgo) {
        insert(key, size, cacheVersion, lastAccessedAgo, 0);
    }

    /** As {@link #insert(AnalysisKey, int, int, String)}, at {@code entryVersion}. */
    void insert(AnalysisKey key, int size, int cacheVersion, String lastAccessedAgo, long entryVersion) {
        Owner owner = key.owner();
        execute(
                "INSERT INTO " + table(key) + " (id, owner_kind, owner_id, user_id, file_metadata_id, stem_type, size,"
                        + " cache_version, last_accessed, entry_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now() - ?::interval, ?)",
                UUID.randomUUID(),
                owner.kind().code(),
                owner.id(),
                owner.isGuest() ? null : UUID.fromString(owner.id()),
                key.fileMetadataId(),
                key.stemType().code(),
                size,
                cacheVersion,
                lastAccessedAgo,
                entryVersion);
    }

    /** Inserts one of the product's rows that stemcache adopted as 'legacy' (kept forever). */
    UUID insertLegacy(UUID file, int size, String lastAccessedAgo) {
        UUID id = UUID.randomUUID();
        execute(
                "INSERT INTO audio_analysis_cache (id, owner_kind, owner_id, file_metadata_id, stem_type, size,"
                        + " cache_version, last_accessed) VALUES (?, 'legacy', ?, ?, 'drums', ?, 1, now() - ?::interval)",
                id,
                id.toString(),
                file,
                size,
                lastAccessedAgo);
        return id;
    }

    /** Inserts the tombstone of {@code key} at {@code entryVersion}, deleted {@code deletedAgo} ago. */
    void insertTombstone(AnalysisKey key, long entryVersion, String deletedAgo) {
        execute(
                "INSERT INTO audio_analysis_tombstone (owner_kind, owner_id, file_metadata_id, stem_type, entry_version,"
                        + " deleted_at) VALUES (?, ?, ?, ?, ?, now() - ?::interval)",
                key.owner().kind().code(),
                key.owner().id(),
                key.fileMetadataId(),
                key.stemType().code(),
                entryVersion,
                deletedAgo);
    }

    /** Empties both tables and the tombstones. */
    void truncate() {
        execute("TRUNCATE " + USERS + ", " + GUESTS + ", audio_analysis_tombstone");
    }

    long count() {
        return count("true");
    }

    /** Rows of both tables matching {@code where}. */
    long count(String where) {
        return countIn(USERS, where) + countIn(GUESTS, where);
    }

    long countIn(String table, String where) {
        return number("SELECT count(*) FROM " + table + " WHERE " + where);
    }

    long number(String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Whether the key's row is in its owner's table. */
    boolean exists(AnalysisKey key) {
        return countIn(table(key), where(key)) == 1;
    }

    /** The row's access count and whether it was read in the last minute. */
    long accessCount(AnalysisKey key) {
        return number("SELECT access_count FROM " + table(key) + " WHERE " + where(key));
    }

    boolean readWithinAMinute(AnalysisKey key) {
        return countIn(table(key), where(key) + " AND last_accessed > now() - interval '1 minute'") == 1;
    }

    /** The entry version of the key's tombstone, or null if it has none. */
    Long tombstoneVersion(AnalysisKey key) {
        List<String> versions = column("SELECT entry_version FROM audio_analysis_tombstone WHERE " + where(key));
        return versions.isEmpty() ? null : Long.valueOf(versions.get(0));
    }

    List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
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
        return "owner_kind = '" + key.owner().kind().code() + "' AND owner_id = '"
                + key.owner().id() + "' AND file_metadata_id = '" + key.fileMetadataId() + "' AND stem_type = '"
                + key.stemType().code() + "'";
    }
}
