package io.stemcache.node;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Flushes the write-behind queue to PostgreSQL before the member stops. Hazelcast migrates a leaving
 * member's queue to the others, but when the last members stop it does not wait for dirty entries
 * (hazelcast#12874), so every member flushes on its way out. Spring destroys this bean before the
 * Hazelcast instance it depends on.
 */
final class WriteBehindFlusher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WriteBehindFlusher.class);

    private final HazelcastInstance hazelcast;
    private final String mapName;
    private final Duration timeout;

    WriteBehindFlusher(HazelcastInstance hazelcast, String mapName, Duration timeout) {
        this.hazelcast = hazelcast;
        this.mapName = mapName;
        this.timeout = timeout;
    }

    @Override
    public void destroy() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        long started = System.nanoTime();
        CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> hazelcast.getMap(mapName).flush());
        try {
            flush.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Flushed write-behind queue of map '{}' to PostgreSQL in {} ms", mapName,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (TimeoutException e) {
            log.error("Write-behind flush of map '{}' did not finish within {} (stemcache.flush-timeout); entries not "
                    + "yet stored stay with the remaining members, or are lost if this was the last one", mapName, timeout);
        } catch (ExecutionException e) {
            log.error("Write-behind flush of map '{}' failed", mapName, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
