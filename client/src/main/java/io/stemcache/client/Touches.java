package io.stemcache.client;

import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.TouchEntry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys this node read since the last report, sent to their members in one call per interval. A read
 * served by a near cache never reaches the member, so without this an entry hot on every API node could
 * expire there by max-idle, fall to the bottom of its LRU, and look unused to the PostgreSQL cleanup.
 */
final class Touches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Touches.class);

    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final Set<AnalysisKey> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    Touches(IMap<AnalysisKey, CachedAudioAnalysis> map, Duration interval) {
        this.map = map;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stemcache-touches");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void add(AnalysisKey key) {
        pending.add(key);
    }

    /** Sends what is pending; a failure is logged and the keys are dropped (a touch is a hint, not data). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Set<AnalysisKey> batch = ConcurrentHashMap.newKeySet();
        for (AnalysisKey key : pending) {
            if (pending.remove(key)) {
                batch.add(key);
            }
        }
        try {
            map.executeOnKeys(batch, new TouchEntry());
        } catch (RuntimeException e) {
            log.warn("Could not report {} read entries to the cluster: {}", batch.size(), e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            flush();
        } catch (RuntimeException e) {
            log.debug("Final touch report failed", e);
        }
    }
}
