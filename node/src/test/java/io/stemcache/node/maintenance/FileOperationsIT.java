package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.LocalIndexStats;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.CleanupNow;
import io.stemcache.core.ops.InvalidateFile;
import io.stemcache.core.ops.OwnerKeys;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operations a client sends to any member: invalidating a file for every owner (memory and both
 * PostgreSQL tables, through the indexes), listing an owner's keys (from its own table), running the
 * cleanup.
 */
class FileOperationsIT {

    private static TestCluster cluster;
    private static HazelcastInstance member;
    private static IMap<AnalysisKey, CachedAudioAnalysis> clientMap;
    private static IExecutorService executor;

    @BeforeAll
    static void createCluster() {
        cluster = new TestCluster("file_ops");
        member = cluster.member(TestCluster.UNSCHEDULED);
        cluster.member(TestCluster.UNSCHEDULED);
        HazelcastInstance client = cluster.client();
        clientMap = TestCluster.map(client);
        executor = client.getExecutorService("stemcache-ops");
    }

    @AfterAll
    static void shutdown() {
        cluster.close();
    }

    private AnalysisKey put(Owner owner, UUID file, StemType stem) {
        AnalysisKey key = TestCluster.key(owner, file, stem);
        clientMap.set(key, TestCluster.entry(key, 1));
        return key;
    }

    @Test
    void invalidateFile_removesEveryOwnersStemsFromMemoryAndPostgres_andLeavesOtherFiles() throws Exception {
        UUID file = UUID.randomUUID();
        UUID otherFile = UUID.randomUUID();
        Owner user = TestCluster.user();
        Owner guest = TestCluster.guest();
        List<AnalysisKey> stems = List.of(
                put(user, file, StemType.MASTER),
                put(user, file, StemType.DRUMS),
                put(user, file, StemType.BASS),
                put(guest, file, StemType.MASTER),
                put(guest, file, StemType.VOCALS));
        List<AnalysisKey> kept = List.of(put(user, otherFile, StemType.MASTER), put(guest, otherFile, StemType.BASS));
        clientMap.flush();
        clientMap.evict(stems.get(2)); // in PostgreSQL only
        AnalysisKey rowOnly = TestCluster.key(TestCluster.user(), file, StemType.OTHER);
        cluster.rows.insert(rowOnly, 100, 1, "1 hour", 3);
        AnalysisKey guestRowOnly = TestCluster.key(TestCluster.guest(), file, StemType.OTHER);
        cluster.rows.insert(guestRowOnly, 100, 1, "1 hour", 5);
        cluster.rows.insertLegacy(file, 100, "1 year");
        assertThat(cluster.rows.count("file_metadata_id = '" + file + "'")).isEqualTo(8);
        assertThat(cluster.rows.countIn(TestRows.GUESTS, "file_metadata_id = '" + file + "'"))
                .isEqualTo(3);
        long fileQueriesBefore = indexQueries("fileMetadataId");

        int removed = InvalidateFile.onEveryMember(executor, file, java.time.Duration.ofSeconds(60));

        assertThat(removed)
                .as("max of entries removed (4) and rows deleted (>= 3)")
                .isBetween(4, 7);
        assertThat(indexQueries("fileMetadataId"))
                .as("the file was found by index")
                .isGreaterThan(fileQueriesBefore);
        IMap<AnalysisKey, CachedAudioAnalysis> memberMap = TestCluster.map(member);
        assertThat(memberMap.keySet(Predicates.and(
                        Predicates.equal("fileMetadataId", file.toString()), Predicates.equal("deletion", false))))
                .as("only deletion markers are left")
                .isEmpty();
        clientMap.flush();
        assertThat(cluster.rows.count("file_metadata_id = '" + file + "'"))
                .as("the legacy row stays")
                .isEqualTo(1);
        assertThat(cluster.rows.count("file_metadata_id = '" + file + "' AND owner_kind = 'legacy'"))
                .isEqualTo(1);
        assertThat(cluster.rows.countIn(TestRows.GUESTS, "file_metadata_id = '" + file + "'"))
                .isZero();
        assertThat(cluster.rows.tombstoneVersion(rowOnly))
                .as("tombstone at the row's version")
                .isEqualTo(3);
        assertThat(cluster.rows.tombstoneVersion(guestRowOnly)).isEqualTo(5);
        for (AnalysisKey key : stems) {
            assertThat(memberMap.get(key)).as("%s after invalidation", key).satisfies(FileOperationsIT::absent);
        }
        assertThat(memberMap.get(rowOnly)).satisfies(FileOperationsIT::absent);
        assertThat(memberMap.get(guestRowOnly)).satisfies(FileOperationsIT::absent);
        assertThat(kept).allSatisfy(key -> {
            assertThat(memberMap.get(key)).isNotNull();
            assertThat(cluster.rows.exists(key)).isTrue();
        });
    }

    @Test
    void ownerKeys_listsTheOwnersRowsOnly_inFileAndStemOrder_upToTheLimit() throws Exception {
        Owner user = TestCluster.user();
        UUID first = new UUID(0, 1);
        UUID second = new UUID(0, 2);
        put(user, second, StemType.MASTER);
        put(user, first, StemType.VOCALS);
        put(user, first, StemType.DRUMS);
        put(TestCluster.user(), first, StemType.MASTER);
        clientMap.flush();
        AnalysisKey rowOnly = TestCluster.key(user, second, StemType.BASS);
        cluster.rows.insert(rowOnly, 100, 1, "1 day");

        List<AnalysisKey> keys = executor.submit(new OwnerKeys(user, 100)).get();

        assertThat(keys)
                .containsExactly(
                        TestCluster.key(user, first, StemType.DRUMS),
                        TestCluster.key(user, first, StemType.VOCALS),
                        rowOnly,
                        TestCluster.key(user, second, StemType.MASTER));
        assertThat(executor.submit(new OwnerKeys(user, 2)).get()).hasSize(2);
        assertThat(executor.submit(new OwnerKeys(TestCluster.guest(), 10)).get())
                .isEmpty();
    }

    @Test
    void ownerKeys_ofAGuest_listsItsRowsInTheGuestTable() throws Exception {
        Owner guest = TestCluster.guest();
        UUID file = new UUID(0, 3);
        put(guest, file, StemType.MASTER);
        put(TestCluster.guest(), file, StemType.DRUMS);
        clientMap.flush();
        AnalysisKey rowOnly = TestCluster.key(guest, file, StemType.BASS);
        cluster.rows.insert(rowOnly, 100, 1, "1 hour"); // within the guest TTL: cleanupNow's test runs after

        List<AnalysisKey> keys = executor.submit(new OwnerKeys(guest, 100)).get();

        assertThat(keys).containsExactly(rowOnly, TestCluster.key(guest, file, StemType.MASTER));
        assertThat(keys).allMatch(cluster.rows::exists);
    }

    @Test
    void keysOf_badLimit_isRejectedNamingIt() {
        PostgresMemberServices services = cluster.services(0);
        assertThatThrownBy(() -> services.keysOf(TestCluster.user(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> services.keysOf(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ownerIdKeyIndex_servesQueriesByOwner() {
        Owner user = TestCluster.user();
        put(user, UUID.randomUUID(), StemType.MASTER);
        put(user, UUID.randomUUID(), StemType.DRUMS);
        put(TestCluster.guest(), UUID.randomUUID(), StemType.DRUMS);
        long before = indexQueries("__key.ownerId");

        assertThat(clientMap.keySet(Predicates.equal("__key.ownerId", user.id())))
                .hasSize(2)
                .allMatch(key -> key.owner().equals(user));
        assertThat(indexQueries("__key.ownerId")).isGreaterThan(before);
    }

    @Test
    void cleanupNow_throughTheExecutor_runsTheCleanup() throws Exception {
        AnalysisKey expired = TestCluster.key(TestCluster.guest(), UUID.randomUUID(), StemType.BASS);
        cluster.rows.insert(expired, 100, 1, "2 days");

        assertThat(executor.submit(CleanupNow.INSTANCE).get()).isEqualTo(1L);
        assertThat(cluster.rows.exists(expired)).isFalse();
    }

    /** Queries served by the index on {@code attribute}, summed over the members. */
    private long indexQueries(String attribute) {
        long queries = 0;
        for (HazelcastInstance instance : List.of(member)) {
            Map<String, LocalIndexStats> indexes =
                    TestCluster.map(instance).getLocalMapStats().getIndexStats();
            queries += indexes.entrySet().stream()
                    .filter(e -> e.getKey().contains(attribute))
                    .mapToLong(e -> e.getValue().getQueryCount())
                    .sum();
        }
        return queries;
    }

    /** Gone: nothing, or the deletion marker a removed key holds (its tombstone, when loaded back). */
    private static void absent(CachedAudioAnalysis value) {
        assertThat(value == null || value.isDeletion())
                .as("absent or a deletion marker: %s", value)
                .isTrue();
    }
}
