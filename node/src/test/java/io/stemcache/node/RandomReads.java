package io.stemcache.node;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioCacheService;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The read side of the fault tests' load: random acknowledged keys, counted as reads, misses and errors. */
final class RandomReads {

    final AtomicLong reads = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    private RandomReads() {}

    /**
     * One read of the load (for {@link PacedLoad}): a random key of {@code readable} (a synchronized list the writer
     * fills), if it holds any, through {@code cache}, counted in {@code counts}.
     */
    static Runnable step(List<AnalysisKey> readable, AudioCacheService cache, RandomReads counts) {
        return () -> {
            AnalysisKey key;
            synchronized (readable) {
                key = readable.isEmpty()
                        ? null
                        : readable.get(ThreadLocalRandom.current().nextInt(readable.size()));
            }
            if (key != null) {
                try {
                    counts.reads.incrementAndGet();
                    if (cache.getAnalysis(key).isEmpty()) {
                        counts.misses.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    counts.errors.incrementAndGet();
                }
            }
        };
    }

    static RandomReads counts() {
        return new RandomReads();
    }
}
