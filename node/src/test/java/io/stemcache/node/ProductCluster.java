package io.stemcache.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.ProductDeletes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link NodeMembers} each with its {@link ProductDeletes}, a client with the shipped near cache, the product's
 * users and files, and the SQL tests run on the log of deleted rows and on the listener's session.
 */
final class ProductCluster implements AutoCloseable {

    /** The listener's advisory lock key ("stemrowd"), as PostgreSQL's pg_locks shows it: two 32-bit halves. */
    private static final long LOCK_KEY = 0x7374656d726f7764L;
    /** Members send near-cache invalidations this often here (Hazelcast's default is 10 s). */
    static final int INVALIDATION_BATCH_SECONDS = 1;

    private static final AudioAnalysis SMALL = Corpus.small(50);

    final NodeMembers members;
    final DataSource db;
    private final Map<HazelcastInstance, ProductDeletes> deletes = new LinkedHashMap<>();
    private HazelcastInstance client;

    private ProductCluster(FreshDatabase database) {
        members = new NodeMembers(database, 1, 50, false);
        db = database.dataSource();
    }

    /** On the product's schema (auth.users, file_metadata, foreign keys), migrated. */
    static ProductCluster onProductSchema(String purpose) {
        return new ProductCluster(ProductSchema.createMigrated(purpose));
    }

    /** On a standalone install's schema: the loose table, no foreign keys. */
    static ProductCluster onLooseSchema(String purpose) {
        return new ProductCluster(FreshDatabase.createMigrated(purpose));
    }

    HazelcastInstance member(DeletionSettings settings) {
        ProductDeletes memberDeletes = new ProductDeletes(db, settings);
        HazelcastInstance member = members.member(config -> {
            memberDeletes.registerIn(config);
            config.setProperty(
                    "hazelcast.map.invalidation.batchfrequency.seconds", Integer.toString(INVALIDATION_BATCH_SECONDS));
        });
        deletes.put(member, memberDeletes);
        return member;
    }

    ProductDeletes deletesOf(HazelcastInstance member) {
        return deletes.get(member);
    }

    /** The running members, oldest first. */
    List<HazelcastInstance> running() {
        return deletes.keySet().stream()
                .filter(member -> member.getLifecycleService().isRunning())
                .toList();
    }

    /** The running member whose ProductDeletes listens, or null. */
    HazelcastInstance listener() {
        return running().stream()
                .filter(member -> deletes.get(member).state() == ProductDeletes.State.LISTENING)
                .findFirst()
                .orElse(null);
    }

    IMap<AnalysisKey, CachedAudioAnalysis> clientMap() {
        return client().getMap(NodeMembers.MAP);
    }

    AudioCacheService service() {
        return StemcacheClient.service(client(), ClientSettings.defaults());
    }

    long nearCacheEntries() {
        return clientMap().getLocalMapStats().getNearCacheStats().getOwnedEntryCount();
    }

    private HazelcastInstance client() {
        if (client == null) {
            client = members.client();
        }
        return client;
    }

    /** Writes the stems of a file through the service, stores them, and reads each twice (into the near cache). */
    List<AnalysisKey> cacheStems(UUID user, UUID file, StemType... stems) {
        List<AnalysisKey> keys = new ArrayList<>();
        for (StemType stem : stems) {
            AnalysisKey key = new AnalysisKey(Owner.user(user), file, stem);
            service()
                    .setAnalysis(
                            key,
                            new AudioAnalysis(
                                    file,
                                    stem,
                                    SMALL.analysisVersion(),
                                    SMALL.analysisData(),
                                    SMALL.waveformData(),
                                    SMALL.metadata()),
                            null);
            keys.add(key);
        }
        clientMap().flush();
        for (AnalysisKey key : keys) {
            clientMap().get(key);
            clientMap().get(key);
        }
        return keys;
    }

    UUID user() {
        return ProductSchema.insertUser(db, "user-" + UUID.randomUUID() + "@example.com");
    }

    UUID file(UUID user) {
        return ProductSchema.insertFile(db, user, "song-" + UUID.randomUUID() + ".wav");
    }

    int update(String sql, Object... parameters) {
        try (Connection connection = db.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long query(String sql, Object... parameters) {
        try (Connection connection = db.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long logged() {
        return query("SELECT count(*) FROM audio_analysis_deleted_row");
    }

    long cursor() {
        return query("SELECT last_seq FROM audio_analysis_deletion_cursor WHERE id = 1");
    }

    /** The backend holding the listener's lock in this database, or -1. */
    long listenerPid() {
        return query(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        + " AND classid = ?::bigint::oid AND objid = ?::bigint::oid",
                LOCK_KEY >>> 32,
                LOCK_KEY & 0xffff_ffffL);
    }

    boolean sessionAlive(long pid) {
        return query("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", (int) pid) > 0;
    }

    void terminateBackend(long pid) {
        query("SELECT count(*) FROM pg_terminate_backend(?)", (int) pid);
    }

    /** The file's entries in the cluster's memory that are not a removal's marker (a query over every member). */
    Set<AnalysisKey> liveEntriesOf(UUID file) {
        IMap<AnalysisKey, CachedAudioAnalysis> map = running().get(0).getMap(NodeMembers.MAP);
        return map.keySet(Predicates.and(
                Predicates.equal("fileMetadataId", file.toString()), Predicates.equal("deletion", false)));
    }

    /** The client's read, served by its near cache when it holds the key. */
    CachedAudioAnalysis clientGet(AnalysisKey key) {
        return clientMap().get(key);
    }

    /** Gone from memory: no entry, or the marker a removed key holds. */
    static boolean gone(CachedAudioAnalysis value) {
        return value == null || value.isDeletion();
    }

    @Override
    public void close() {
        members.close();
    }
}
