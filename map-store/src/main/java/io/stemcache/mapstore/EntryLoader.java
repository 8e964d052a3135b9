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
import java.sql.Timestamp;
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
     * A row that could not be read: its key, the {@code updated_at} it was read with (so a newer write is never
     * put aside in its place) and why. {@code quarantine} is false where the row must stay: a legacy JSON row (the
     * dead-letter table holds payloads only) or a payload of a newer format (a newer stemcache wrote it).
     */
    record Unreadable(AnalysisKey key, Timestamp updatedAt, String reason, boolean quarantine) {
    }

    /**
     * Adds the readable entries of {@code keys} to {@code entries} and the unreadable rows to {@code unreadable};
     * those are logged and counted.
     */
    int load(Connection connection, String mapName, List<AnalysisKey> keys,
             Map<AnalysisKey, CachedAudioAnalysis> entries, List<Unreadable> unreadableRows) throws SQLException {
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
                        if (key != null) {
                            byte[] payload = rows.getBytes("payload");
                            unreadableRows.add(new Unreadable(key, rows.getTimestamp("updated_at"), e.toString(),
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
        String message = "map '{}': the row of {} is unreadable; it reads as a miss: {}";
        if (e instanceof CorruptPayloadException || e instanceof IllegalArgumentException) {
            // Expected kinds of damage: the message says what is wrong, and a stack trace per read would be noise.
            log.error(message, mapName, key, e.toString());
        } else {
            log.error(message, mapName, key, e.toString(), e);
        }
    }
}
