package io.stemcache.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis peer through Jedis: byte values under keys with a run-specific prefix, all of which are
 * deleted on {@link #close()} (also when the run fails or is interrupted).
 */
final class BenchRedis implements AutoCloseable {

    static final String DEFAULT_ADDRESS = "127.0.0.1:6379";

    private final JedisPooled redis;
    private final String prefix;
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final Thread cleanOnExit = new Thread(this::close, "delete-bench-redis-keys");
    private boolean closed;

    private BenchRedis(JedisPooled redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Connects to {@code host:port} and checks the server answers. */
    static BenchRedis connect(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new UsageException("option --redis must be host:port, got '" + address + "'");
        }
        JedisPooled redis =
                new JedisPooled(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        try {
            redis.ping();
        } catch (RuntimeException e) {
            redis.close();
            throw new IllegalStateException("Redis at " + address + " does not answer: " + e.getMessage(), e);
        }
        String prefix = "stemcache-bench:"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36)
                        .toLowerCase(Locale.ROOT) + ":";
        BenchRedis bench = new BenchRedis(redis, prefix);
        Runtime.getRuntime().addShutdownHook(bench.cleanOnExit);
        return bench;
    }

    void set(String key, byte[] value) {
        String full = prefix + key;
        written.add(full);
        redis.set(full.getBytes(StandardCharsets.UTF_8), value);
    }

    byte[] get(String key) {
        return redis.get((prefix + key).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanOnExit);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook itself running.
        }
        try {
            if (!written.isEmpty()) {
                redis.del(written.toArray(String[]::new));
            }
        } finally {
            redis.close();
        }
    }
}
