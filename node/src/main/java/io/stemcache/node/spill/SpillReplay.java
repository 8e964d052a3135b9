package io.stemcache.node.spill;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.mapstore.PostgresAnalysisStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the spill files of a directory in PostgreSQL, oldest first, record by record in order, through the
 * store's own {@code storeAll}/{@code deleteAll}: a row is replaced only by a higher entry version and never
 * below its tombstone, so a file replayed twice, or entries the cluster stored meanwhile, change nothing.
 * A file for another map or database, or one a live member still holds, is left alone; a damaged record
 * ends its file (what came before is stored) and the file is kept as {@code .damaged}.
 */
final class SpillReplay {

    private static final Logger log = LoggerFactory.getLogger(SpillReplay.class);
    private static final int BATCH_ENTRIES = 50;
    private static final long BATCH_BYTES = 64L << 20;

    /** What a replay did. */
    record Result(int files, long entries, int skipped) {}

    private SpillReplay() {}

    static Result run(Path directory, SpillFile.Header header, PostgresAnalysisStore store) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, "spill-*" + SpillFile.SUFFIX)) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the spill directory " + directory, e);
        }
        files.sort(null); // names start with the time they were made
        int replayed = 0;
        int skipped = 0;
        long entries = 0;
        for (Path file : files) {
            long stored = replay(file, header, store);
            if (stored < 0) {
                skipped++;
            } else {
                replayed++;
                entries += stored;
            }
        }
        if (replayed > 0 || skipped > 0) {
            log.warn(
                    "replayed {} entries from {} spill files in {} into PostgreSQL ({} files left alone)",
                    entries,
                    replayed,
                    directory,
                    skipped);
        }
        return new Result(replayed, entries, skipped);
    }

    /** The entries stored from {@code file}, or -1 when it was left alone. */
    private static long replay(Path file, SpillFile.Header header, PostgresAnalysisStore store) {
        long stored = 0;
        String damage = null;
        try (SpillFile.Reader reader = SpillFile.Reader.open(file)) {
            if (reader == null) {
                log.info("spill file {} is held by a running member; left for later", file);
                return -1;
            }
            if (!reader.header().equals(header)) {
                log.warn(
                        "spill file {} is for map '{}' on database '{}', this member for '{}' on '{}'; left alone",
                        file,
                        reader.header().mapName(),
                        reader.header().database(),
                        header.mapName(),
                        header.database());
                return -1;
            }
            Batch batch = new Batch(store);
            while (true) {
                long offset = reader.offset();
                byte[] body;
                try {
                    body = reader.next();
                } catch (IOException e) {
                    damage = e.getMessage() + " at byte " + offset;
                    break;
                }
                if (body == null) {
                    break;
                }
                SpillRecords.Record record;
                try {
                    record = SpillRecords.decode(body);
                } catch (IOException | IllegalArgumentException e) {
                    log.error(
                            "spill file {}: the record at byte {} cannot be read ({}); it is skipped",
                            file,
                            offset,
                            e.getMessage());
                    continue;
                }
                stored += batch.add(record);
            }
            stored += batch.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the spill file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "storing the spill file " + file + " in PostgreSQL failed after " + stored
                            + " entries; the file is kept and the next start stores it again",
                    e);
        }
        try {
            if (damage != null) {
                Path kept = file.resolveSibling(file.getFileName() + ".damaged");
                Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
                log.error(
                        "spill file {} is damaged ({}): the {} entries before it were stored, the rest is lost; "
                                + "kept as {}",
                        file,
                        damage,
                        stored,
                        kept);
            } else {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("spill file " + file + " was stored but cannot be removed: " + e, e);
        }
        return stored;
    }

    /** Consecutive records stored together, in order: a key seen twice, or a delete after a store, starts a new batch. */
    private static final class Batch {

        private final PostgresAnalysisStore store;
        private final Map<AnalysisKey, CachedAudioAnalysis> stores = new LinkedHashMap<>();
        private final Set<AnalysisKey> deletes = new LinkedHashSet<>();
        private long bytes;

        Batch(PostgresAnalysisStore store) {
            this.store = store;
        }

        long add(SpillRecords.Record record) {
            boolean delete = record.value() == null;
            long flushed = 0;
            if (stores.containsKey(record.key())
                    || deletes.contains(record.key())
                    || delete && !stores.isEmpty()
                    || !delete && !deletes.isEmpty()
                    || stores.size() >= BATCH_ENTRIES
                    || bytes >= BATCH_BYTES) {
                flushed = flush();
            }
            if (delete) {
                deletes.add(record.key());
            } else {
                stores.put(record.key(), record.value());
                bytes += record.value().size();
            }
            return flushed;
        }

        long flush() {
            long count = stores.size() + deletes.size();
            if (!stores.isEmpty()) {
                store.storeAll(stores);
            }
            if (!deletes.isEmpty()) {
                store.deleteAll(deletes);
            }
            stores.clear();
            deletes.clear();
            bytes = 0;
            return count;
        }
    }
}
