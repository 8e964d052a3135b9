package io.stemcache.node.spill;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.mapstore.PostgresAnalysisStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's map-store: {@link PostgresAnalysisStore}, except for the stores Hazelcast makes while the
 * member shuts down after its write-behind flush failed. Hazelcast's last act on a leaving member is to
 * store, on the thread that shuts it down, what is still queued in the partitions it holds (those of the
 * last members: with no member left to migrate them to); with PostgreSQL down it retried each entry for
 * seconds and then dropped it. Once {@linkplain #armForShutdown armed}, those stores go to a spill file in
 * the spill directory instead, forced to disk before the member exits, and {@link #replay()} stores them
 * in PostgreSQL when a member starts on that directory. Stores on any other thread (the write-behind
 * queue's own, while partitions still migrate) are PostgreSQL's as usual: what fails there stays queued
 * and migrates to a member that stays.
 */
public final class SpillingStore implements MapStore<AnalysisKey, CachedAudioAnalysis>, MapLoaderLifecycleSupport {

    private static final Logger log = LoggerFactory.getLogger(SpillingStore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long FORCE_EVERY_BYTES = 16L << 20;

    private final PostgresAnalysisStore store;
    private final Path directory;
    private final SpillFile.Header header;
    private volatile Thread armed;
    private volatile boolean databaseDown;
    private SpillFile.Writer writer;
    private long unforcedBytes;

    private SpillingStore(PostgresAnalysisStore store, Path directory, SpillFile.Header header) {
        this.store = store;
        this.directory = directory;
        this.header = header;
    }

    /**
     * The store for map {@code mapName} on database {@code database} (its name, as {@code current_database()}
     * answers), spilling to {@code directory}, which is created if missing and must be writable.
     */
    public static SpillingStore open(PostgresAnalysisStore store, Path directory, String mapName, String database) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "stemcache.write-behind.spill-dir " + directory + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException(
                    "stemcache.write-behind.spill-dir " + directory + " is not writable: a member "
                            + "stopping while PostgreSQL is down could not keep its write-behind queue");
        }
        return new SpillingStore(store, directory, new SpillFile.Header(mapName, database));
    }

    public Path directory() {
        return directory;
    }

    /**
     * Stores every spill file of this map and database found in the directory in PostgreSQL, then deletes
     * it; call it before the member starts. Answers the entries stored; throws if PostgreSQL refuses (the file
     * stays for the next start).
     */
    public long replay() {
        return SpillReplay.run(directory, header, store).entries();
    }

    /**
     * From now on, stores made on the calling thread (the one that goes on to shut Hazelcast down) that
     * PostgreSQL does not take go to the spill file; with {@code postgresBehind} (the flush just failed) they
     * do not try PostgreSQL first.
     */
    public void armForShutdown(boolean postgresBehind) {
        databaseDown = postgresBehind;
        armed = Thread.currentThread();
    }

    private boolean spilling() {
        return armed == Thread.currentThread();
    }

    @Override
    public void store(AnalysisKey key, CachedAudioAnalysis value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<AnalysisKey, CachedAudioAnalysis> entries) {
        if (!spilling()) {
            store.storeAll(entries);
            return;
        }
        if (!databaseDown && tryPostgres(() -> store.storeAll(entries))) {
            return;
        }
        spill(
                entries.entrySet().stream()
                        .map(entry -> SpillRecords.store(entry.getKey(), entry.getValue()))
                        .toList(),
                entries.size());
    }

    @Override
    public void delete(AnalysisKey key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<AnalysisKey> keys) {
        if (!spilling()) {
            store.deleteAll(keys);
            return;
        }
        if (!databaseDown && tryPostgres(() -> store.deleteAll(keys))) {
            return;
        }
        spill(keys.stream().map(SpillRecords::delete).toList(), keys.size());
    }

    /** True when PostgreSQL took it; false (and PostgreSQL counts as down for the rest of the shutdown) if not. */
    private boolean tryPostgres(Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            databaseDown = true;
            log.warn(
                    "PostgreSQL refused a store while the member shuts down ({}); what Hazelcast still holds goes to "
                            + "the spill directory {}",
                    e.getMessage(),
                    directory);
            return false;
        }
    }

    private synchronized void spill(List<byte[]> records, int entries) {
        try {
            if (writer == null) {
                String name = "spill-" + header.mapName() + "-" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "-"
                        + UUID.randomUUID() + SpillFile.SUFFIX;
                writer = new SpillFile.Writer(directory.resolve(name), header);
                log.warn(
                        "PostgreSQL is unreachable while the member shuts down: the entries of map '{}' it still holds "
                                + "go to {}",
                        header.mapName(),
                        writer.path());
            }
            for (byte[] record : records) {
                writer.append(record);
                unforcedBytes += record.length;
            }
            if (unforcedBytes >= FORCE_EVERY_BYTES) {
                writer.force();
                unforcedBytes = 0;
            }
        } catch (IOException e) {
            // Hazelcast retries the batch, then drops it: nothing else can keep it now.
            throw new UncheckedIOException(
                    "cannot spill " + entries + " entries of map '" + header.mapName() + "' to " + directory
                            + " (stemcache.write-behind.spill-dir)",
                    e);
        }
    }

    @Override
    public CachedAudioAnalysis load(AnalysisKey key) {
        return store.load(key);
    }

    @Override
    public Map<AnalysisKey, CachedAudioAnalysis> loadAll(Collection<AnalysisKey> keys) {
        return store.loadAll(keys);
    }

    @Override
    public Iterable<AnalysisKey> loadAllKeys() {
        return store.loadAllKeys();
    }

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        store.init(hazelcastInstance, properties, mapName);
    }

    /** Hazelcast calls it after its last stores at shutdown: the spill file is forced and closed here. */
    @Override
    public void destroy() {
        synchronized (this) {
            if (writer != null) {
                try {
                    writer.close();
                    log.warn(
                            "spilled {} entries ({} MB) of map '{}' to {}: PostgreSQL was unreachable when the member "
                                    + "stopped; a member started with stemcache.write-behind.spill-dir={} stores them",
                            writer.records(),
                            writer.bytes() >> 20,
                            header.mapName(),
                            writer.path(),
                            directory);
                } catch (IOException e) {
                    log.error("closing the spill file {} failed; what it holds may be incomplete", writer.path(), e);
                }
                writer = null;
            }
        }
        store.destroy();
    }
}
