package io.stemcache.bench;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The peers of the hit-rate benchmark, replayed over the same access sequence: an exact LRU cache and a
 * cache holding the most popular keys, both of the capacity stemcache's members ended up holding, and a
 * cache without a cap. Hit rates count the measured accesses only, after the same warm-up.
 */
final class CacheSimulations {

    private CacheSimulations() {}

    static double lru(int[] warmup, int[] measured, int capacity) {
        Map<Integer, Boolean> cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                return size() > capacity;
            }
        };
        for (int key : warmup) {
            cache.put(key, Boolean.TRUE);
        }
        int hits = 0;
        for (int key : measured) {
            if (cache.get(key) != null) {
                hits++;
            } else {
                cache.put(key, Boolean.TRUE);
            }
        }
        return (double) hits / measured.length;
    }

    /** Hits of a cache that always holds the {@code capacity} most popular keys: the best any policy can do here. */
    static double mostPopular(int[] measured, int capacity, Zipf zipf) {
        int hits = 0;
        for (int key : measured) {
            if (zipf.rankOf(key) < capacity) {
                hits++;
            }
        }
        return (double) hits / measured.length;
    }

    /** Hits of a cache that keeps every key once read: only first reads miss. */
    static double unbounded(int[] warmup, int[] measured) {
        BitSet seen = new BitSet();
        for (int key : warmup) {
            seen.set(key);
        }
        int hits = 0;
        for (int key : measured) {
            if (seen.get(key)) {
                hits++;
            }
            seen.set(key);
        }
        return (double) hits / measured.length;
    }

    /** The fewest entries with which exact LRU reaches {@code target} on this sequence, as a sentence. */
    static String capacityFor(double target, int[] warmup, int[] measured, int keys) {
        if (unbounded(warmup, measured) < target) {
            return String.format(
                    Locale.ROOT,
                    "no cache reaches a hit rate of %.2f here: first reads alone" + " miss %.4f of the gets",
                    target,
                    1 - unbounded(warmup, measured));
        }
        int low = 1;
        int high = keys;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (lru(warmup, measured, middle) >= target) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return String.format(
                Locale.ROOT,
                "exact LRU reaches %.2f on this sequence with %d entries (%.1f%% of" + " the keys)",
                target,
                low,
                100.0 * low / keys);
    }
}
