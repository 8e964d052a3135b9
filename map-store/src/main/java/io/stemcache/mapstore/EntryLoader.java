package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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

    private final EntryRowReader reader;
    private final StoreMetrics metrics;
    private final Duration timeout;

    EntryLoader(AnalysisCodec codec, Duration timeout, StoreMetrics metrics) {
        this.reader = new EntryRowReader(codec);
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * Adds the readable entries of {@code keys} to {@code entries} and returns how many rows were
     * unreadable; those are logged and counted, and left in the table.
     */
    int load(Connection connection, String mapName, List<AnalysisKey> keys,
             Map<AnalysisKey, CachedAudioAnalysis> entries) throws SQLException {
        int loaded = 0;
        int unreadable = 0;
        if (!timeout.isZero()) {
            try (Statement limit = connection.createStatement()) {
                // LOCAL: for this transaction only; the pooled connection keeps its own setting.
                limit.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
            }
        }
        try (PreparedStatement load = connection.prepareStatement(AnalysisCacheTable.LOAD)) {
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
        try (PreparedStatement query = connection.prepareStatement(AnalysisCacheTable.RECENT_KEYS)) {
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
        String message = "map '{}': the row of {} is unreadable; it reads as a miss and stays in the table: {}";
        if (e instanceof CorruptPayloadException || e instanceof IllegalArgumentException) {
            // Expected kinds of damage: the message says what is wrong, and a stack trace per read would be noise.
            log.error(message, mapName, key, e.toString());
        } else {
            log.error(message, mapName, key, e.toString(), e);
        }
    }
}
