package io.stemcache.node;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.node.spill.SpillingStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Flushes the write-behind queue to PostgreSQL before the member stops, then arms the spill. Spring
 * destroys this bean before the Hazelcast instance it depends on, on the same thread; Hazelcast's
 * graceful shutdown then migrates the member's partitions, queues included, to the members that stay and
 * stores what the member still holds (the last members' partitions) on that thread. If the flush failed
 * (PostgreSQL down), those last stores go to the spill directory instead of being retried and dropped.
 */
final class WriteBehindFlusher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WriteBehindFlusher.class);

    private final HazelcastInstance hazelcast;
    private final String mapName;
    private final Duration timeout;
    private final SpillingStore store;

    WriteBehindFlusher(HazelcastInstance hazelcast, String mapName, Duration timeout, SpillingStore store) {
        this.hazelcast = hazelcast;
        this.mapName = mapName;
        this.timeout = timeout;
        this.store = store;
    }

    @Override
    public void destroy() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        boolean flushed = flush();
        store.armForShutdown(!flushed);
    }

    private boolean flush() {
        long started = System.nanoTime();
        CompletableFuture<Void> flush =
                CompletableFuture.runAsync(() -> hazelcast.getMap(mapName).flush());
        try {
            flush.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "Flushed write-behind queue of map '{}' to PostgreSQL in {} ms",
                    mapName,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return true;
        } catch (TimeoutException e) {
            log.error(
                    "Write-behind flush of map '{}' did not finish within {} (stemcache.flush-timeout): PostgreSQL is "
                            + "down or behind; leaving members hand their entries to the members that stay, and what the last "
                            + "members hold goes to the spill directory {}",
                    mapName,
                    timeout,
                    store.directory());
        } catch (ExecutionException e) {
            log.error(
                    "Write-behind flush of map '{}' failed; what is still queued when the member leaves goes to the "
                            + "spill directory {}",
                    mapName,
                    store.directory(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
