package io.stemcache.mapstore;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists a Hazelcast map of {@link CachedAudioAnalysis} entries in PostgreSQL's
 * {@code audio_analysis_cache} table, for write-behind or write-through. Writes are batched, idempotent
 * upserts that never let an older value replace a newer row; loads are batched and also read rows the
 * product wrote as JSON. The caller owns and closes the pooled {@link DataSource}; the store needs no
 * driver options (pgjdbc's {@code reWriteBatchedInserts} works but blurs {@link StoreMetrics#rowsSkippedAsOlder()}).
 */
public final class PostgresAnalysisStore
        implements MapStore<AnalysisKey, CachedAudioAnalysis>, MapLoaderLifecycleSupport {

    private static final Logger log = LoggerFactory.getLogger(PostgresAnalysisStore.class);

    private static final int KEYS_PER_DELETE = 1_000;
    private static final int KEYS_NAMED = 3;

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final StoreMetrics metrics = new StoreMetrics();
    /** SQLState of a statement PostgreSQL cancelled, here by statement_timeout. */
    private static final String QUERY_CANCELED = "57014";

    private final EntryLoader loader;
    private final DeadLetters deadLetters;
    private volatile String mapName = "(not initialised)";

    /** A store over {@code dataSource}; throws IllegalArgumentException naming a wrong setting. */
    public PostgresAnalysisStore(DataSource dataSource, StoreSettings settings) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings").validate();
        this.loader = new EntryLoader(settings.codec(), settings.loadTimeout(), metrics);
        this.deadLetters = new DeadLetters(dataSource, metrics);
    }

    /** What this store has done since it was made. */
    public StoreMetrics metrics() {
        return metrics;
    }

    /** Fails fast, naming what is missing, when the table is absent or not migrated. */
    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        this.mapName = mapName;
        SchemaCheck.verify(dataSource);
        log.info(
                "map '{}' persists to tables {} and {} ({})",
                mapName,
                AnalysisCacheTable.USERS,
                AnalysisCacheTable.GUESTS,
                settings);
    }

    @Override
    public void destroy() {
        // Nothing to close: the DataSource belongs to the caller, who closes it after Hazelcast has shut down.
    }

    @Override
    public void store(AnalysisKey key, CachedAudioAnalysis value) {
        storeAll(Map.of(key, value));
    }

    /**
     * Upserts the entries in one transaction (a JDBC batch per table, and one for deletion markers), or throws and
     * writes none of them. A row is replaced only by a higher {@link CachedAudioAnalysis#version()}, and never by a
     * version its key's tombstone covers, so replays are harmless; a marker deletes the row and keeps the tombstone. An
     * entry whose value belongs to another file or stem than its key is logged and dropped: no retry
     * could ever store it. When PostgreSQL refuses the batch for good (a data, constraint or size error),
     * its entries are stored one by one and each refused one is set aside in the dead-letter table, so
     * the queue moves on; any other failure throws and Hazelcast retries the whole batch.
     */
    @Override
    public void storeAll(Map<AnalysisKey, CachedAudioAnalysis> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<AnalysisKey> keys = new ArrayList<>(entries.size());
        entries.forEach((key, value) -> {
            if (key.fileMetadataId().equals(value.fileMetadataId()) && key.stemType() == value.stemType()) {
                keys.add(key);
            } else {
                // Storing it would file one stem's analysis under another; retrying it would block the queue.
                log.error(
                        "map '{}': not storing {}: its value is the analysis of {}/{}",
                        mapName,
                        key,
                        value.fileMetadataId(),
                        value.stemType().code());
            }
        });
        int[] counts;
        try {
            counts = keys.isEmpty()
                    ? new int[0]
                    : Transaction.run(dataSource, connection -> {
                        Transaction.markOwnDeletes(connection);
                        int[] stored = new int[keys.size()];
                        for (Map.Entry<String, List<Integer>> statement :
                                byStatement(keys, entries).entrySet()) {
                            try (PreparedStatement batch = connection.prepareStatement(statement.getKey())) {
                                for (int i : statement.getValue()) {
                                    AnalysisCacheTable.bind(batch, keys.get(i), entries.get(keys.get(i)));
                                    batch.addBatch();
                                }
                                int[] results = batch.executeBatch();
                                for (int j = 0; j < results.length; j++) {
                                    stored[statement.getValue().get(j)] = results[j];
                                }
                            }
                        }
                        return stored;
                    });
        } catch (SQLException | RuntimeException e) {
            if (!DeadLetters.isPermanent(e)) {
                metrics.storeFailed();
                throw failure("storeAll of " + describe(keys) + " failed, none of it was written", e);
            }
            log.warn(
                    "map '{}': storeAll of {} was refused ({}: {}); storing its entries one by one",
                    mapName,
                    describe(keys),
                    DeadLetters.sqlState(e),
                    reason(e));
            counts = deadLetters.storeOneByOne(mapName, keys, entries);
        }
        List<AnalysisKey> skipped = new ArrayList<>();
        int deadLettered = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == DeadLetters.DEAD_LETTERED) {
                deadLettered++;
            } else if (counts[i] == 0) {
                skipped.add(keys.get(i));
            }
        }
        metrics.batchStored(
                entries.size(),
                counts.length - skipped.size() - deadLettered,
                skipped.size(),
                entries.size() - keys.size());
        metrics.deadLettered(deadLettered);
        log.debug("map '{}': stored {}", mapName, describe(keys));
        if (!skipped.isEmpty()) {
            log.info("map '{}': kept the newer rows of {} instead of older values", mapName, describe(skipped));
        }
    }

    /** The positions of {@code keys} by the statement that stores each: upserts and markers, per table. */
    private static Map<String, List<Integer>> byStatement(
            List<AnalysisKey> keys, Map<AnalysisKey, CachedAudioAnalysis> entries) {
        Map<String, List<Integer>> statements = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            statements
                    .computeIfAbsent(
                            AnalysisCacheTable.statementOf(keys.get(i), entries.get(keys.get(i))),
                            sql -> new ArrayList<>())
                    .add(i);
        }
        return statements;
    }

    @Override
    public void delete(AnalysisKey key) {
        deleteAll(List.of(key));
    }

    /**
     * Deletes the rows of all keys in one transaction, one statement per table and {@value #KEYS_PER_DELETE} keys;
     * each deleted row leaves a tombstone at its version. (Removals through the service store deletion markers
     * instead, whose version is exact; this serves plain {@code IMap.delete} and {@code clear}.)
     */
    @Override
    public void deleteAll(Collection<AnalysisKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<AnalysisKey> all = List.copyOf(keys);
        try {
            long deleted = Transaction.run(dataSource, connection -> {
                Transaction.markOwnDeletes(connection);
                long rows = 0;
                for (Map.Entry<AnalysisCacheTable, List<AnalysisKey>> table :
                        EntryLoader.byTable(all).entrySet()) {
                    List<AnalysisKey> tableKeys = table.getValue();
                    try (PreparedStatement delete = connection.prepareStatement(table.getKey().deleteKeys)) {
                        for (int from = 0; from < tableKeys.size(); from += KEYS_PER_DELETE) {
                            AnalysisCacheTable.bindKeys(
                                    delete,
                                    tableKeys.subList(from, Math.min(tableKeys.size(), from + KEYS_PER_DELETE)));
                            rows += delete.executeUpdate();
                        }
                    }
                }
                return rows;
            });
            metrics.deleted(deleted);
            log.debug("map '{}': deleted {} rows of {}", mapName, deleted, describe(all));
        } catch (SQLException | RuntimeException e) {
            throw failure("deleteAll of " + describe(all) + " failed, none of it was deleted", e);
        }
    }

    @Override
    public CachedAudioAnalysis load(AnalysisKey key) {
        return loadAll(List.of(key)).get(key);
    }

    /**
     * Loads the entries of the keys found, one query per {@link StoreSettings#loadBatchSize()} keys. A row
     * that cannot be read is logged, counted and left in the table, and reads as a miss.
     */
    @Override
    public Map<AnalysisKey, CachedAudioAnalysis> loadAll(Collection<AnalysisKey> keys) {
        List<AnalysisKey> all = new ArrayList<>(new LinkedHashSet<>(keys));
        Map<AnalysisKey, CachedAudioAnalysis> entries = new HashMap<>();
        for (int from = 0; from < all.size(); from += settings.loadBatchSize()) {
            List<AnalysisKey> chunk = all.subList(from, Math.min(all.size(), from + settings.loadBatchSize()));
            List<EntryLoader.Unreadable> unreadable = new ArrayList<>();
            try {
                Transaction.run(dataSource, connection -> loader.load(connection, mapName, chunk, entries, unreadable));
                log.debug("map '{}': loaded {} ({} unreadable)", mapName, describe(chunk), unreadable.size());
            } catch (SQLException e) {
                boolean timedOut = QUERY_CANCELED.equals(e.getSQLState())
                        && !settings.loadTimeout().isZero();
                throw failure(
                        "loadAll of " + describe(chunk) + " failed"
                                + (timedOut
                                        ? " after the load timeout of "
                                                + settings.loadTimeout().toMillis()
                                                + " ms (stemcache.load-timeout; PostgreSQL is locked or"
                                                + " overloaded)"
                                        : ""),
                        e);
            } catch (RuntimeException e) {
                throw failure("loadAll of " + describe(chunk) + " failed", e);
            }
            deadLetters.quarantine(mapName, unreadable);
        }
        return entries;
    }

    /**
     * The keys of the most recently accessed rows, within {@link StoreSettings#initialLoadMaxEntries()}
     * and {@link StoreSettings#initialLoadMaxBytes()}; null (no initial load) when the former is 0.
     */
    @Override
    public Iterable<AnalysisKey> loadAllKeys() {
        if (settings.initialLoadMaxEntries() == 0) {
            return null;
        }
        try {
            List<AnalysisKey> keys = Transaction.run(
                    dataSource,
                    connection -> loader.recentKeys(
                            connection, mapName, settings.initialLoadMaxEntries(), settings.initialLoadMaxBytes()));
            log.info(
                    "map '{}': initial load of the {} most recently accessed entries (at most {}, {} bytes)",
                    mapName,
                    keys.size(),
                    settings.initialLoadMaxEntries(),
                    settings.initialLoadMaxBytes());
            return keys;
        } catch (SQLException | RuntimeException e) {
            throw failure("loadAllKeys failed", e);
        }
    }

    private AnalysisStoreException failure(String what, Exception e) {
        return failure(mapName, what, e);
    }

    /** Logs and returns the failure of {@code what} on map {@code mapName}, its message ending with the reason. */
    static AnalysisStoreException failure(String mapName, String what, Exception e) {
        String message = "map '" + mapName + "': " + what + ": " + reason(e);
        log.warn(message);
        return new AnalysisStoreException(message, e);
    }

    // pgjdbc's batch error repeats the statement with its parameters (guest tokens among them, unless the
    // pool sets logServerErrorDetail=false); the server's own reason is the next exception.
    static String reason(Exception e) {
        if (e instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    private static String describe(List<AnalysisKey> keys) {
        StringBuilder text =
                new StringBuilder().append(keys.size()).append(keys.size() == 1 ? " entry (" : " entries (");
        for (int i = 0; i < Math.min(KEYS_NAMED, keys.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(keys.get(i));
        }
        return text.append(keys.size() > KEYS_NAMED ? ", ...)" : ")").toString();
    }
}
