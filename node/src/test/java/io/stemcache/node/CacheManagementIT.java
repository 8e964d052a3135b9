package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's management operations against members built as the node builds them, on a real
 * PostgreSQL: warming, invalidating a file for every owner, claiming a guest's entries, owner isolation.
 */
class CacheManagementIT {

    private NodeMembers members;
    private TestHazelcastFactory factory;
    private List<PostgresAnalysisStore> stores;
    private FreshDatabase database;

    @BeforeEach
    void startDatabase() {
        members = new NodeMembers("management", 1, 50, true);
        factory = members.factory;
        stores = members.stores;
        database = members.database;
    }

    @AfterEach
    void shutdown() {
        members.close();
    }

    private HazelcastInstance member() {
        return members.member();
    }

    private HazelcastInstance lastClient;

    private AudioCacheService client() {
        lastClient = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        return StemcacheClient.service(lastClient, ClientSettings.defaults());
    }

    private static AudioAnalysis stem(UUID file, StemType stem) {
        AudioAnalysis small = Corpus.small(80);
        return new AudioAnalysis(
                file, stem, small.analysisVersion(), small.analysisData(), small.waveformData(), small.metadata());
    }

    private void writeFile(AudioCacheService cache, Owner owner, UUID file) {
        for (StemType stem : StemType.values()) {
            AudioAnalysis analysis = stem(file, stem);
            cache.setAnalysis(new AnalysisKey(owner, file, stem), analysis, null);
        }
    }

    private static Owner randomGuest() {
        return Owner.guest("guest-" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** Rows of users (the product's table) and guests (their own table) matching {@code where}. */
    private long rows(String where) {
        return TableRows.query(
                database.dataSource(),
                "SELECT (SELECT count(*) FROM audio_analysis_cache WHERE " + where
                        + ") + (SELECT count(*) FROM audio_analysis_guest_cache WHERE " + where + ")");
    }

    @Test
    void warmProject_loadsInBatches_thenEveryGetIsAHitWithoutAQuery() {
        member();
        AudioCacheService writer = client();
        Owner owner = Owner.user(UUID.randomUUID());
        List<UUID> files = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        files.forEach(file -> writeFile(writer, owner, file));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("true") == 15);
        factory.terminateAll();
        stores.clear();

        member();
        AudioCacheService cache = client();
        assertThat(cache.warmProject(owner, files)).isEqualTo(15);
        long queries = stores.get(0).metrics().loadQueries();
        long loads = stores.get(0).metrics().loads();
        assertThat(queries).as("one load query per batch, not per key").isLessThanOrEqualTo(3);

        for (UUID file : files) {
            for (StemType stem : StemType.values()) {
                assertThat(cache.getAnalysis(new AnalysisKey(owner, file, stem)))
                        .isPresent();
            }
        }
        assertThat(stores.get(0).metrics().loads())
                .as("no PostgreSQL load after warming")
                .isEqualTo(loads);
        assertThat(lastClient
                        .getMap("analyses")
                        .getLocalMapStats()
                        .getNearCacheStats()
                        .getHits())
                .as("served by this node's near cache")
                .isEqualTo(15);
    }

    @Test
    void invalidateFile_removesEveryOwnersStemsFromMemoryAndPostgres_andNothingElse() {
        member();
        member();
        AudioCacheService cache = client();
        UUID shared = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Owner alice = Owner.user(UUID.randomUUID());
        Owner guest = Owner.guest("guest-session-token-11");
        writeFile(cache, alice, shared);
        writeFile(cache, guest, shared);
        writeFile(cache, alice, other);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("true") == 15);

        assertThat(cache.invalidateFile(shared)).isEqualTo(10);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows("file_metadata_id = '" + shared + "'") == 0);
        assertThat(rows("file_metadata_id = '" + other + "'")).isEqualTo(5);
        assertThat(cache.getAnalysis(new AnalysisKey(alice, shared, StemType.DRUMS)))
                .isEmpty();
        assertThat(cache.getAnalysis(new AnalysisKey(guest, shared, StemType.BASS)))
                .isEmpty();
        assertThat(cache.getAnalysis(new AnalysisKey(alice, other, StemType.BASS)))
                .isPresent();
    }

    @Test
    void claimGuest_movesTheGuestsEntriesToTheUser_withNothingLostOrDuplicated() {
        member();
        AudioCacheService cache = client();
        Owner guest = Owner.guest("guest-session-token-12");
        UUID userId = UUID.randomUUID();
        UUID inMemory = UUID.randomUUID();
        UUID onlyInPostgres = UUID.randomUUID();
        writeFile(cache, guest, inMemory);
        writeFile(cache, guest, onlyInPostgres);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("owner_kind = 'guest'") == 10);
        IMap<AnalysisKey, CachedAudioAnalysis> map =
                factory.getAllHazelcastInstances().iterator().next().getMap("analyses");
        for (StemType stem : StemType.values()) {
            map.evict(new AnalysisKey(guest, onlyInPostgres, stem)); // evict keeps the row
        }

        assertThat(cache.claimGuest(guest.id(), userId)).isEqualTo(10);

        Owner user = Owner.user(userId);
        for (UUID file : List.of(inMemory, onlyInPostgres)) {
            for (StemType stem : StemType.values()) {
                CachedAudioAnalysis claimed =
                        cache.getAnalysis(new AnalysisKey(user, file, stem)).orElseThrow();
                Analyses.assertBitExact(stem(file, stem), claimed.analysis());
                assertThat(cache.getAnalysis(new AnalysisKey(guest, file, stem)))
                        .isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows("owner_kind = 'guest'") == 0
                        && rows("owner_kind = 'user' AND owner_id = '" + userId + "'") == 10);
        assertThat(rows("true")).as("no duplicates").isEqualTo(10);
    }

    /** Issue 13: two claims of one guest moved its entries key by key, each taking some: the guest was split. */
    @Test
    void claimGuest_byTwoUsersAtOnce_givesEveryEntryToExactlyOneOfThem() throws Exception {
        member();
        member();
        AudioCacheService writer = client();
        Owner guest = randomGuest();
        List<UUID> files = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        files.forEach(file -> writeFile(writer, guest, file));
        List<UUID> users = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<AudioCacheService> nodes = List.of(client(), client());
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService claimers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                int which = i;
                claims.add(claimers.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return nodes.get(which).claimGuest(guest.id(), users.get(which));
                }));
            }
            List<Integer> moved = List.of(
                    claims.get(0).get(60, TimeUnit.SECONDS), claims.get(1).get(60, TimeUnit.SECONDS));

            assertThat(moved).as("entries moved by each claim").containsExactlyInAnyOrder(0, 20);
            UUID winner = users.get(moved.indexOf(20));
            UUID loser = users.get(moved.indexOf(0));
            for (UUID file : files) {
                for (StemType stem : StemType.values()) {
                    assertThat(writer.getAnalysis(new AnalysisKey(Owner.user(winner), file, stem)))
                            .isPresent();
                    assertThat(writer.getAnalysis(new AnalysisKey(Owner.user(loser), file, stem)))
                            .isEmpty();
                    assertThat(writer.getAnalysis(new AnalysisKey(guest, file, stem)))
                            .isEmpty();
                }
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rows("owner_id = '" + winner + "'") == 20 && rows("owner_kind = 'guest'") == 0);
            assertThat(rows("owner_id = '" + loser + "'")).isZero();
        } finally {
            claimers.shutdownNow();
        }
    }

    /** Issue 13: a second user could take whatever a guest wrote after its first claim. */
    @Test
    void claimGuest_repeated_movesNothingMore_andAGuestClaimedByOneUserStaysTheirs() {
        member();
        AudioCacheService cache = client();
        Owner guest = randomGuest();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID before = UUID.randomUUID();
        writeFile(cache, guest, before);
        assertThat(cache.claimGuest(guest.id(), first)).isEqualTo(5);
        IMap<AnalysisKey, CachedAudioAnalysis> map =
                factory.getAllHazelcastInstances().iterator().next().getMap("analyses");
        AnalysisKey claimedKey = new AnalysisKey(Owner.user(first), before, StemType.DRUMS);
        long claimedVersion = map.get(claimedKey).version();

        assertThat(cache.claimGuest(guest.id(), first))
                .as("the same claim again")
                .isZero();
        assertThat(map.get(claimedKey).version()).as("nothing rewritten").isEqualTo(claimedVersion);

        UUID after = UUID.randomUUID();
        writeFile(cache, guest, after); // the guest session goes on writing after the claim
        assertThat(cache.claimGuest(guest.id(), second))
                .as("another user's claim")
                .isZero();
        assertThat(cache.getAnalysis(new AnalysisKey(guest, after, StemType.BASS)))
                .isPresent();
        assertThat(cache.getAnalysis(new AnalysisKey(Owner.user(second), after, StemType.BASS)))
                .isEmpty();
        assertThat(cache.getAnalysis(new AnalysisKey(Owner.user(second), before, StemType.BASS)))
                .isEmpty();

        assertThat(cache.claimGuest(guest.id(), first))
                .as("the first user's claim takes the rest")
                .isEqualTo(5);
        assertThat(cache.getAnalysis(new AnalysisKey(Owner.user(first), after, StemType.BASS)))
                .isPresent();
    }

    @Test
    void getAnalysis_ofAnotherOwner_missesEvenWhenTheRowIsInPostgres() {
        member();
        AudioCacheService cache = client();
        Owner alice = Owner.user(UUID.randomUUID());
        UUID file = UUID.randomUUID();
        writeFile(cache, alice, file);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("true") == 5);

        assertThat(cache.getAnalysis(new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.DRUMS)))
                .isEmpty();
        assertThat(cache.getAnalysis(new AnalysisKey(Owner.guest("guest-session-token-13"), file, StemType.DRUMS)))
                .isEmpty();
    }
}
