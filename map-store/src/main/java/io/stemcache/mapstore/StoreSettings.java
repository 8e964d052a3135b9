package io.stemcache.mapstore;

import io.stemcache.core.codec.AnalysisCodec;
import java.time.Duration;

/**
 * Settings of a {@link PostgresAnalysisStore}: the payload codec, how many keys one load query asks
 * for, and how much the map loads eagerly when it is first used. {@link #defaults()} suits most uses.
 *
 * @param codec                 checks stored payloads on load and encodes rows the product wrote as JSON
 * @param loadBatchSize         keys per {@code loadAll} query (1 to {@value #MAX_LOAD_BATCH_SIZE})
 * @param initialLoadMaxEntries most recently accessed entries handed to Hazelcast's initial load;
 *                              0 turns the initial load off (the map is then purely read-through)
 * @param initialLoadMaxBytes   budget of the initial load in stored (compressed) bytes, counted over
 *                              the whole cluster before backups
 * @param loadTimeout           longest a load query may run or wait for a lock before PostgreSQL cancels it
 *                              (its {@code statement_timeout}); {@link Duration#ZERO}: no limit. Hazelcast runs
 *                              one map partition's calls in order, so a load stuck behind a table lock would
 *                              hold every later call on its partition, in-memory gets included; with a limit
 *                              the load fails (the get gets an error) and the partition moves on.
 */
public record StoreSettings(
        AnalysisCodec codec,
        int loadBatchSize,
        int initialLoadMaxEntries,
        long initialLoadMaxBytes,
        Duration loadTimeout) {

    /** Keys per load query: large enough to save round trips, small enough to keep one result set modest. */
    public static final int DEFAULT_LOAD_BATCH_SIZE = 100;

    /**
     * Upper bound of {@link #loadBatchSize()}: a result set of that many ~4 MB payloads is already big. The member's
     * {@code stemcache.load-batch-size} and the chart's {@code stemcache.loadBatchSize} have the same bound.
     */
    public static final int MAX_LOAD_BATCH_SIZE = 1000;

    /** No initial load: entries come in on demand. */
    public static final int DEFAULT_INITIAL_LOAD_MAX_ENTRIES = 0;

    /** 256 MiB of stored payloads, a few dozen full stems per member in a small cluster. */
    public static final long DEFAULT_INITIAL_LOAD_MAX_BYTES = 256L << 20;

    /** {@link #DEFAULT_LOAD_TIMEOUT} in seconds. */
    public static final int DEFAULT_LOAD_TIMEOUT_SECONDS = 5;

    /** A load of a full stem takes milliseconds; five seconds means PostgreSQL is locked or overwhelmed. */
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(DEFAULT_LOAD_TIMEOUT_SECONDS);

    /** Settings with the {@linkplain #DEFAULT_LOAD_TIMEOUT default load timeout}. */
    public StoreSettings(AnalysisCodec codec, int loadBatchSize, int initialLoadMaxEntries, long initialLoadMaxBytes) {
        this(codec, loadBatchSize, initialLoadMaxEntries, initialLoadMaxBytes, DEFAULT_LOAD_TIMEOUT);
    }

    /** The standard codec, {@value #DEFAULT_LOAD_BATCH_SIZE} keys per load, no initial load, a 5 s load timeout. */
    public static StoreSettings defaults() {
        return new StoreSettings(
                AnalysisCodec.standard(),
                DEFAULT_LOAD_BATCH_SIZE,
                DEFAULT_INITIAL_LOAD_MAX_ENTRIES,
                DEFAULT_INITIAL_LOAD_MAX_BYTES);
    }

    /** A copy with another codec. */
    public StoreSettings withCodec(AnalysisCodec newCodec) {
        return new StoreSettings(newCodec, loadBatchSize, initialLoadMaxEntries, initialLoadMaxBytes, loadTimeout);
    }

    /** A copy with another load batch size. */
    public StoreSettings withLoadBatchSize(int keysPerQuery) {
        return new StoreSettings(codec, keysPerQuery, initialLoadMaxEntries, initialLoadMaxBytes, loadTimeout);
    }

    /** A copy that loads at most {@code maxEntries} entries and {@code maxBytes} stored bytes at first use. */
    public StoreSettings withInitialLoad(int maxEntries, long maxBytes) {
        return new StoreSettings(codec, loadBatchSize, maxEntries, maxBytes, loadTimeout);
    }

    /** A copy with another load timeout ({@link Duration#ZERO}: none). */
    public StoreSettings withLoadTimeout(Duration timeout) {
        return new StoreSettings(codec, loadBatchSize, initialLoadMaxEntries, initialLoadMaxBytes, timeout);
    }

    /**
     * Checks every setting and returns this; the message names the first setting that is wrong.
     *
     * @throws IllegalArgumentException if a setting is out of range
     */
    public StoreSettings validate() {
        if (codec == null) {
            throw new IllegalArgumentException("map-store setting codec must not be null");
        }
        if (loadBatchSize < 1 || loadBatchSize > MAX_LOAD_BATCH_SIZE) {
            throw new IllegalArgumentException("map-store setting loadBatchSize must be between 1 and "
                    + MAX_LOAD_BATCH_SIZE + ", got " + loadBatchSize);
        }
        if (initialLoadMaxEntries < 0) {
            throw new IllegalArgumentException("map-store setting initialLoadMaxEntries must be 0 (no initial load) "
                    + "or positive, got " + initialLoadMaxEntries);
        }
        if (loadTimeout == null || loadTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "map-store setting loadTimeout must be zero (no limit) or positive, got " + loadTimeout);
        }
        if (initialLoadMaxBytes < 1) {
            throw new IllegalArgumentException(
                    "map-store setting initialLoadMaxBytes must be positive, got " + initialLoadMaxBytes);
        }
        return this;
    }
}
