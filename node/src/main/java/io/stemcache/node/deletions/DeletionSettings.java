package io.stemcache.node.deletions;

import java.time.Duration;
import java.util.Objects;

/**
 * How a member applies the product's deletes ({@code stemcache.row-deletions.*}); the constructor refuses bad
 * values with a message naming the property.
 *
 * @param mapName the analysis map
 * @param mode whether the deletes are applied at all
 * @param pollInterval how often the listening member reads the log without a wake-up, and how often the others
 *                     try to take over
 * @param batchSize logged rows applied per transaction
 */
public record DeletionSettings(String mapName, RowDeletionMode mode, Duration pollInterval, int batchSize) {

    /** {@link #DEFAULT_POLL_INTERVAL} in milliseconds. */
    public static final int DEFAULT_POLL_INTERVAL_MILLIS = 2000;

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(DEFAULT_POLL_INTERVAL_MILLIS);
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** The largest batch: a batch's file ids go into one in-memory query. */
    public static final int MAX_BATCH_SIZE = 10_000;

    private static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);
    /** pgjdbc waits for notifications at most an int of milliseconds. */
    private static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);

    public DeletionSettings {
        Objects.requireNonNull(mapName, "mapName");
        check(mode, pollInterval, batchSize);
    }

    /** The defaults: mode auto, every 2 s, 500 rows a batch. */
    public static DeletionSettings defaults(String mapName) {
        return new DeletionSettings(mapName, RowDeletionMode.AUTO, DEFAULT_POLL_INTERVAL, DEFAULT_BATCH_SIZE);
    }

    public DeletionSettings withMode(RowDeletionMode newMode) {
        return new DeletionSettings(mapName, newMode, pollInterval, batchSize);
    }

    public DeletionSettings withPollInterval(Duration interval) {
        return new DeletionSettings(mapName, mode, interval, batchSize);
    }

    public DeletionSettings withBatchSize(int size) {
        return new DeletionSettings(mapName, mode, pollInterval, size);
    }

    /** Throws IllegalArgumentException naming the {@code stemcache.row-deletions.*} property that is wrong. */
    public static void check(RowDeletionMode mode, Duration pollInterval, int batchSize) {
        if (mode == null) {
            throw new IllegalArgumentException("stemcache.row-deletions.mode must be auto, on or off");
        }
        if (pollInterval == null
                || pollInterval.compareTo(MIN_POLL_INTERVAL) < 0
                || pollInterval.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new IllegalArgumentException("stemcache.row-deletions.poll-interval must be between "
                    + MIN_POLL_INTERVAL.toMillis() + "ms and 1h, got " + pollInterval);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("stemcache.row-deletions.batch-size must be between 1 and "
                    + MAX_BATCH_SIZE + ", got " + batchSize);
        }
    }
}
