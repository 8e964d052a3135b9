package io.stemcache.node.health;

import io.stemcache.mapstore.StoreMetrics;
import io.stemcache.node.BacklogLimit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * PostgreSQL as this member sees it (the {@code database} component): {@code UP}, or {@link #DEGRADED} while
 * the member cannot reach it or its write-behind stores keep failing; never {@code DOWN}, and in neither
 * probe, because the member keeps serving from memory and keeps writes in its write-behind backlog. The
 * database is checked in the background every {@code stemcache.health.database-check-interval} (while it is
 * down a check waits for the pool's connection timeout, longer than a probe may take) and the health shows
 * the last check, with the backlog and the last error.
 */
final class DatabaseHealth implements HealthIndicator, AutoCloseable {

    /** PostgreSQL is unreachable or refuses the stores; served as HTTP 200 (application.yaml's health status mapping). */
    static final Status DEGRADED = new Status(
            "DEGRADED",
            "PostgreSQL is unreachable or refusing writes: reads are served from memory, writes wait in the backlog");

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
    private static final int VALID_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final StoreMetrics store;
    private final BacklogLimit backlog;
    private final Clock clock;
    private final ScheduledExecutorService checker;
    private volatile Check last;

    /** The outcome of one check; {@code storesFailing}: stores failed since the previous check and none succeeded. */
    private record Check(
            Instant at,
            boolean reachable,
            boolean storesFailing,
            long storeBatches,
            long storeFailures,
            Instant lastSuccess,
            String lastError,
            Instant lastErrorAt,
            Instant unreachableSince) {}

    private DatabaseHealth(DataSource dataSource, StoreMetrics store, BacklogLimit backlog, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.backlog = backlog;
        this.clock = clock;
        this.checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stemcache-database-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts checking every {@code interval}, the first time at once; close it to stop. */
    static DatabaseHealth start(DataSource dataSource, StoreMetrics store, BacklogLimit backlog, Duration interval) {
        DatabaseHealth health = new DatabaseHealth(dataSource, store, backlog, Clock.systemUTC());
        health.checker.scheduleWithFixedDelay(health::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    void check() {
        Check previous = last;
        Instant now = clock.instant();
        String error = null;
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(VALID_TIMEOUT_SECONDS)) {
                error = "a pooled connection did not answer within " + VALID_TIMEOUT_SECONDS + " s";
            }
        } catch (SQLException | RuntimeException e) {
            error = describe(e);
        }
        long batches = store.storeBatches();
        long failures = store.storeFailures();
        boolean storesFailing =
                previous != null && failures > previous.storeFailures() && batches == previous.storeBatches();
        boolean reachable = error == null;
        if (reachable && storesFailing) {
            error = (failures - previous.storeFailures())
                    + " write-behind stores failed since the last check, none succeeded";
        }
        boolean healthy = reachable && !storesFailing;
        boolean wasHealthy = previous == null || (previous.reachable() && !previous.storesFailing());
        if (wasHealthy && !healthy) {
            log.warn("PostgreSQL degraded: {}; the member serves from memory and keeps writes in its backlog", error);
        } else if (!wasHealthy && healthy) {
            log.info("PostgreSQL is back (write-behind backlog: {} entries)", backlog.backlog());
        }
        last = new Check(
                now,
                reachable,
                storesFailing,
                batches,
                failures,
                reachable ? now : previous == null ? null : previous.lastSuccess(),
                error != null ? error : previous == null ? null : previous.lastError(),
                error != null ? now : previous == null ? null : previous.lastErrorAt(),
                reachable
                        ? null
                        : previous != null && previous.unreachableSince() != null ? previous.unreachableSince() : now);
    }

    @Override
    public Health health() {
        Check check = last;
        if (check == null) {
            return Health.unknown().withDetail("reason", "not checked yet").build();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reachable", check.reachable());
        details.put("storesFailing", check.storesFailing());
        details.put("writeBehindBacklog", backlog.backlog());
        details.put("backlogLimit", backlog.maxEntries());
        details.put("writeBehindBacklogBytes", backlog.backlogBytes());
        details.put("backlogLimitBytes", backlog.maxBytes());
        details.put("writesRefused", backlog.refusing());
        if (backlog.sampleFailures() > 0) {
            details.put("backlogReadFailures", backlog.sampleFailures());
        }
        details.put("storeFailures", store.storeFailures());
        details.put("lastCheck", check.at().toString());
        putIfPresent(details, "lastSuccess", check.lastSuccess());
        putIfPresent(details, "unreachableSince", check.unreachableSince());
        putIfPresent(details, "lastError", check.lastError());
        putIfPresent(details, "lastErrorAt", check.lastErrorAt());
        Status status = check.reachable() && !check.storesFailing() ? Status.UP : DEGRADED;
        return Health.status(status).withDetails(details).build();
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }

    private static void putIfPresent(Map<String, Object> details, String name, Object value) {
        if (value != null) {
            details.put(name, value.toString());
        }
    }

    /** The failure and its first cause, which says why (the pool's own message only says it timed out). */
    private static String describe(Exception e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null
                ? String.valueOf(e.getMessage())
                : e.getMessage() + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }
}
