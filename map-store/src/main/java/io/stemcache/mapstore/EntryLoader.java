package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.codec.PayloadHeader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the store's read queries on a connection it is given and turns their rows into keys and entries. */
final class EntryLoader {

    // Under the store's name: operators follow one logger for everything the store does.
    private static final Logger log = LoggerFactory.getLogger(PostgresAnalysisStore.class);

    // Rows are streamed a few at a time (inside a transaction): a chunk of JSON rows can be a gigabyte of text.
    private static final int ROWS_PER_FETCH = 4;

    // Most frequently read first (access_count grows once per access flush in which a key was read), then most
    // recently, over both tables; cut by count (LIMIT) and by a running sum of stored bytes from the size column
    // (rows of the product's old format count their jsonb size), so the window never detoasts a payload. ROWS
    // framing keeps ties from being summed ahead of time.
    private static final String HOT_ROWS = """
            SELECT owner_kind, owner_id, file_metadata_id, stem_type, access_count, last_accessed, id,
                {bytes} AS bytes
            FROM %s WHERE owner_kind IN ('user', 'guest') AND last_accessed IS NOT NULL""".replace("{bytes}", AnalysisCacheTable.STORED_BYTES);

    static final String RECENT_KEYS =
            """
            SELECT owner_kind, owner_id, file_metadata_id, stem_type FROM (
                SELECT owner_kind, owner_id, file_metadata_id, stem_type, access_count, last_accessed, id,
                    sum(bytes) OVER (ORDER BY access_count DESC, last_accessed DESC, id ROWS UNBOUNDED PRECEDING)
                        AS running_bytes
                FROM (%s UNION ALL %s) stored
                ORDER BY access_count DESC, last_accessed DESC, id
                LIMIT ?) hot
            WHERE running_bytes <= ?
            ORDER BY access_count DESC, last_accessed DESC, id""".formatted(HOT_ROWS.formatted(AnalysisCacheTable.USERS), HOT_ROWS.formatted(AnalysisCacheTable.GUESTS));

    private final EntryRowReader reader;
    private final StoreMetrics metrics;
    private final Duration timeout;

    EntryLoader(AnalysisCodec codec, Duration timeout, StoreMetrics metrics) {
        this.reader = new EntryRowReader(codec);
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * A row that could not be read: its table and key, the {@code entry_version} it was read with (so a newer
     * write is never put aside in its place) and why. {@code quarantine} is false where the row must stay: a
     * legacy JSON row (the dead-letter table holds payloads only) or a payload of a newer format.
     */
    record Unreadable(AnalysisCacheTable table, AnalysisKey key, long version, String reason, boolean quarantine) {}

    /**
     * Adds the readable entries of {@code keys} to {@code entries} (a removed key's tombstone as its deletion
     * marker) and the unreadable rows to {@code unreadable}; those are logged and counted.
     */
    int load(
            Connection connection,
            String mapName,
            List<AnalysisKey> keys,
            Map<AnalysisKey, CachedAudioAnalysis> entries,
            List<Unreadable> unreadableRows)
            throws SQLException {
        if (!timeout.isZero()) {
            try (Statement limit = connection.createStatement()) {
                // LOCAL: for this transaction only; the pooled connection keeps its own setting.
                limit.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
            }
        }
        int unreadable = 0;
        for (Map.Entry<AnalysisCacheTable, List<AnalysisKey>> table :
                byTable(keys).entrySet()) {
            unreadable += load(connection, mapName, table.getKey(), table.getValue(), entries, unreadableRows);
        }
        return unreadable;
    }

    /** The keys of each table, in their order; most batches are one owner's, so one table's. */
    static Map<AnalysisCacheTable, List<AnalysisKey>> byTable(Collection<AnalysisKey> keys) {
        Map<AnalysisCacheTable, List<AnalysisKey>> tables = new LinkedHashMap<>();
        for (AnalysisKey key : keys) {
            tables.computeIfAbsent(AnalysisCacheTable.of(key.owner()), table -> new ArrayList<>())
                    .add(key);
        }
        return tables;
    }

    private int load(
            Connection connection,
            String mapName,
            AnalysisCacheTable table,
            List<AnalysisKey> keys,
            Map<AnalysisKey, CachedAudioAnalysis> entries,
            List<Unreadable> unreadableRows)
            throws SQLException {
        int loaded = 0;
        int unreadable = 0;
        try (PreparedStatement load = connection.prepareStatement(table.load)) {
            load.setFetchSize(ROWS_PER_FETCH);
            AnalysisCacheTable.bindKeys(load, keys);
            try (ResultSet rows = load.executeQuery()) {
                while (rows.next()) {
                    AnalysisKey key = null;
                    try {
                        key = EntryRowReader.key(rows);
                        entries.put(key, reader.entry(key, rows));
                        loaded++;
                    } catch (RuntimeException e) {
                        unreadable++;
                        logUnreadable(mapName, key, e);
                        if (key != null) {
                            byte[] payload = rows.getBytes("payload");
                            unreadableRows.add(new Unreadable(
                                    table,
                                    key,
                                    rows.getLong("entry_version"),
                                    e.toString(),
                                    payload != null && !PayloadHeader.isNewerFormat(payload)));
                        }
                    }
                }
            }
        }
        metrics.loaded(loaded, unreadable);
        return unreadable;
    }

    /** The keys of the most recently accessed rows within both limits, newest first. */
    List<AnalysisKey> recentKeys(Connection connection, String mapName, int maxEntries, long maxBytes)
            throws SQLException {
        List<AnalysisKey> keys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(RECENT_KEYS)) {
            query.setInt(1, maxEntries);
            query.setLong(2, maxBytes);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    try {
                        keys.add(EntryRowReader.key(rows));
                    } catch (IllegalArgumentException e) {
                        log.warn("map '{}': initial load skips a row no key can name: {}", mapName, e.getMessage());
                    }
                }
            }
        }
        return keys;
    }

    private static void logUnreadable(String mapName, AnalysisKey key, RuntimeException e) {
        String message = "map '{}': the row of {} is unreadable; it reads as a miss: {}";
        if (e instanceof CorruptPayloadException || e instanceof IllegalArgumentException) {
            // Expected kinds of damage: the message says what is wrong, and a stack trace per read would be noise.
            log.error(message, mapName, key, e.toString());
        } else {
            log.error(message, mapName, key, e.toString(), e);
        }
    }
}
