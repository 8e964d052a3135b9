package io.stemcache.node.deletions;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the product's own deletes of {@code audio_analysis_cache} rows (a file or user deleted, a direct
 * {@code DELETE}) remove the entries from the cluster's memory and the clients' near caches within seconds.
 * One instance per member: {@link #registerIn} attaches it, the member starts it and stops it when it shuts
 * down. One member at a time listens, the others stand by to take over.
 */
public final class ProductDeletes implements AutoCloseable {

    /** Where a member is in applying the product's deletes. */
    public enum State {
        /** Not started, or not yet able to tell whether the mode is on. */
        STARTING,
        /** The mode is off here (set, or auto on a standalone table). */
        OFF,
        /** Another member listens; this one tries to take over every poll interval. */
        STANDBY,
        /** This member holds the lock and applies the log. */
        LISTENING,
        /** The member stopped. */
        STOPPED
    }

    private static final Logger log = LoggerFactory.getLogger(ProductDeletes.class);
    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DeletionSettings settings;
    private final DeletionListener listener;
    private final AtomicReference<HazelcastInstance> member = new AtomicReference<>();
    private final AtomicReference<Thread> thread = new AtomicReference<>();

    /** Deletes applied over sessions of their own, opened like {@code dataSource}'s (see the README). */
    public ProductDeletes(DataSource dataSource, DeletionSettings settings) {
        this(ListenerConnections.like(Objects.requireNonNull(dataSource, "dataSource")), settings);
    }

    ProductDeletes(ListenerConnections connections, DeletionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener =
                new DeletionListener(connections, settings, () -> member.get().getMap(settings.mapName()));
    }

    /** Attaches this instance to a member's configuration; each member needs its own. */
    public Config registerIn(Config config) {
        config.addListenerConfig(new ListenerConfig(new Lifecycle()));
        return config;
    }

    public DeletionSettings settings() {
        return settings;
    }

    public State state() {
        return settings.mode() == RowDeletionMode.OFF ? State.OFF : listener.state();
    }

    /** Logged deletes this member applied (and removed from the log). */
    public long appliedRows() {
        return listener.appliedRows();
    }

    /** Entries this member removed from memory for them. */
    public long removedEntries() {
        return listener.removedEntries();
    }

    private void start() {
        if (settings.mode() == RowDeletionMode.OFF) {
            log.info("Row deletions: off (stemcache.row-deletions.mode=off): rows the product deletes stay in memory"
                    + " until they expire");
            return;
        }
        Thread worker = new Thread(listener, "stemcache-row-deletions-" + THREADS.incrementAndGet());
        worker.setDaemon(true);
        if (thread.compareAndSet(null, worker)) {
            log.info(
                    "Row deletions: mode {}, poll interval {}, batches of {}",
                    settings.mode().name().toLowerCase(Locale.ROOT),
                    settings.pollInterval(),
                    settings.batchSize());
            worker.start();
        }
    }

    /** Stops listening (releasing the lock at once) and waits for a batch under way; the member calls it. */
    @Override
    public void close() {
        listener.stop();
        Thread worker = thread.get();
        if (worker == null || worker == Thread.currentThread()) {
            return;
        }
        try {
            worker.join(STOP_WAIT_MILLIS);
            if (worker.isAlive()) {
                log.warn(
                        "Row deletions: the listener thread was still busy {} ms after the member began to stop",
                        STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts with the member, and stops when it begins to shut down, before its map goes. */
    private final class Lifecycle implements LifecycleListener, HazelcastInstanceAware {

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
            if (!member.compareAndSet(null, hazelcastInstance) && member.get() != hazelcastInstance) {
                throw new IllegalStateException("ProductDeletes is already attached to another member");
            }
        }

        @Override
        public void stateChanged(LifecycleEvent event) {
            switch (event.getState()) {
                case STARTED -> start();
                case SHUTTING_DOWN -> close();
                default -> {
                    // nothing to do
                }
            }
        }
    }
}
