package io.stemcache.node.deletions;

import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.mapstore.AnalysisStoreException;
import io.stemcache.mapstore.DeletionLog;
import io.stemcache.mapstore.LoggedDeletion;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's loop on its own PostgreSQL session: it tries the lock every poll interval; once it holds it, it
 * LISTENs and applies the log on every wake-up and at least every poll interval (wake-ups sent while nobody
 * listened are lost; the log is not). A failed session is closed, which releases the lock, and opened again
 * one poll interval later; a failed batch stays logged and is applied again. The log's SQL is map-store's
 * {@link DeletionLog}; this loop owns the session, the schedule and the memory side.
 */
final class DeletionListener implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DeletionListener.class);

    private final ListenerConnections connections;
    private final DeletionSettings settings;
    private final Supplier<IMap<AnalysisKey, CachedAudioAnalysis>> map;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicReference<ProductDeletes.State> state = new AtomicReference<>(ProductDeletes.State.STARTING);
    private final AtomicLong appliedRows = new AtomicLong();
    private final AtomicLong removedEntries = new AtomicLong();
    private volatile Connection connection;
    private boolean resolved;
    private boolean listening;

    DeletionListener(
            ListenerConnections connections,
            DeletionSettings settings,
            Supplier<IMap<AnalysisKey, CachedAudioAnalysis>> map) {
        this.connections = connections;
        this.settings = settings;
        this.map = map;
    }

    ProductDeletes.State state() {
        return state.get();
    }

    long appliedRows() {
        return appliedRows.get();
    }

    long removedEntries() {
        return removedEntries.get();
    }

    @Override
    public void run() {
        try {
            while (!stopping() && step()) {
                // each step waits for a wake-up, a poll interval or the lock
            }
        } finally {
            if (listening) {
                log.info(
                        "Row deletions: this member stops listening; another member takes over within {}",
                        settings.pollInterval());
            }
            close();
            if (state.get() != ProductDeletes.State.OFF) {
                state.set(ProductDeletes.State.STOPPED);
            }
        }
    }

    /** Ends the loop: a wait for notifications is cut short by closing the session, which releases the lock. */
    void stop() {
        stopping.countDown();
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("Aborting the row-deletion session failed", e);
            }
        }
    }

    /** One wait and what follows it; false when the loop is to end (the mode resolved to off). */
    private boolean step() {
        try {
            Connection session = session();
            if (!resolved && !resolve(session)) {
                return false;
            }
            if (!listening) {
                if (!DeletionLog.tryLock(session)) {
                    state.set(ProductDeletes.State.STANDBY);
                    pause();
                    return true;
                }
                DeletionLog.listen(session);
                listening = true;
                state.set(ProductDeletes.State.LISTENING);
                log.info(
                        "Row deletions: this member took the listener lock (backend pid {}); applying the log",
                        DeletionLog.backendPid(session));
            } else {
                session.unwrap(PGConnection.class)
                        .getNotifications((int) settings.pollInterval().toMillis());
            }
            drain(session);
        } catch (SQLException | AnalysisStoreException e) {
            if (!stopping()) {
                log.warn(
                        "Row deletions: the listener's PostgreSQL session failed ({}){}; reconnecting in {}",
                        e.getMessage(),
                        listening ? ": this member lost the listener lock" : "",
                        settings.pollInterval());
                close();
                if (resolved) {
                    state.set(ProductDeletes.State.STANDBY);
                }
                pause();
            }
        } catch (RuntimeException e) {
            if (!stopping()) {
                log.warn(
                        "Row deletions: applying a batch to memory failed; its rows stay logged and are applied again"
                                + " in {}",
                        settings.pollInterval(),
                        e);
                pause();
            }
        }
        return true;
    }

    private Connection session() throws SQLException {
        Connection current = connection;
        if (current == null) {
            current = connections.open();
            connection = current;
            if (stopping()) {
                close();
                throw new SQLException("stopping");
            }
        }
        return current;
    }

    private boolean resolve(Connection session) {
        boolean on = ModeCheck.isOn(settings.mode(), session);
        resolved = true;
        if (!on) {
            state.set(ProductDeletes.State.OFF);
        }
        return on;
    }

    /** Applies the log in batches until it is empty (or the member stops). */
    private void drain(Connection session) {
        while (!stopping()) {
            List<LoggedDeletion> batch = DeletionLog.next(session, settings.batchSize());
            if (batch.isEmpty()) {
                return;
            }
            int removed = MemoryRemovals.apply(map.get(), batch);
            DeletionLog.forget(session, batch);
            appliedRows.addAndGet(batch.size());
            removedEntries.addAndGet(removed);
            // File ids, never owner ids: a guest's id is its session token.
            log.info(
                    "Row deletions: applied {} logged deletes (seq {} to {}): {} entries removed from memory,"
                            + " files {}",
                    batch.size(),
                    batch.get(0).seq(),
                    batch.get(batch.size() - 1).seq(),
                    removed,
                    LoggedDeletion.filesOf(batch));
            if (batch.size() < settings.batchSize()) {
                return;
            }
        }
    }

    private boolean stopping() {
        return stopping.getCount() == 0;
    }

    private void pause() {
        try {
            stopping.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    /** Closing the session ends its LISTEN and releases its lock. */
    private void close() {
        Connection current = connection;
        connection = null;
        listening = false;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                log.debug("Closing the row-deletion session failed; PostgreSQL ends it when the socket goes", e);
            }
        }
    }
}
