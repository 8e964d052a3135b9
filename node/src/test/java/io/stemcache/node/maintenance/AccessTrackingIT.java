package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.TouchEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads reach {@code last_accessed} and {@code access_count} coalesced, in few statements, and on shutdown. */
class AccessTrackingIT {

    private TestCluster cluster;

    @BeforeEach
    void createCluster() {
        cluster = new TestCluster("access_tracking");
    }

    @AfterEach
    void shutdown() {
        cluster.close();
    }

    private List<AnalysisKey> rowsReadTwoDaysAgo(int count) {
        return rowsReadTwoDaysAgo(TestCluster.user(), count);
    }

    private List<AnalysisKey> rowsReadTwoDaysAgo(Owner owner, int count) {
        List<AnalysisKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.DRUMS);
            cluster.rows.insert(key, 100, 1, "2 days");
            keys.add(key);
        }
        return keys;
    }

    @Test
    void touched_thousandReadsOfTenKeys_areOneStatement() {
        PostgresMemberServices services =
                new PostgresMemberServices(cluster.database.dataSource(), TestCluster.UNSCHEDULED);
        List<AnalysisKey> keys = rowsReadTwoDaysAgo(10);
        AnalysisKey notStoredYet = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.BASS);
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            readers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 250; i++) {
                    services.touched(List.of(keys.get(i % keys.size())));
                }
            }));
        }
        readers.forEach(CompletableFuture::join);
        services.touched(List.of(notStoredYet));
        assertThat(services.access().pendingKeys()).isEqualTo(11);

        assertThat(services.flushAccesses()).as("rows updated").isEqualTo(10);

        assertThat(services.access().statements()).isEqualTo(1);
        assertThat(keys).allSatisfy(key -> {
            assertThat(cluster.rows.accessCount(key)).isEqualTo(100);
            assertThat(cluster.rows.readWithinAMinute(key)).isTrue();
        });
        assertThat(services.access().pendingKeys()).isZero();
        assertThat(services.flushAccesses()).as("nothing read since").isZero();
        assertThat(services.access().statements()).isEqualTo(1);
    }

    @Test
    void touched_guestsAndUsersKeys_updateTheirOwnTables_inOneStatementEach() {
        PostgresMemberServices services =
                new PostgresMemberServices(cluster.database.dataSource(), TestCluster.UNSCHEDULED);
        List<AnalysisKey> guests = rowsReadTwoDaysAgo(TestCluster.guest(), 3);
        List<AnalysisKey> users = rowsReadTwoDaysAgo(2);
        AnalysisKey unread = rowsReadTwoDaysAgo(TestCluster.guest(), 1).get(0);
        services.touched(guests);
        services.touched(guests.subList(0, 1));
        services.touched(users);

        assertThat(services.flushAccesses()).as("rows updated").isEqualTo(5);

        assertThat(services.access().statements()).as("one per table").isEqualTo(2);
        assertThat(cluster.rows.accessCount(guests.get(0))).isEqualTo(2);
        assertThat(guests.subList(1, 3))
                .allSatisfy(key -> assertThat(cluster.rows.accessCount(key)).isEqualTo(1));
        assertThat(guests).allMatch(cluster.rows::readWithinAMinute);
        assertThat(users).allSatisfy(key -> {
            assertThat(cluster.rows.accessCount(key)).isEqualTo(1);
            assertThat(cluster.rows.readWithinAMinute(key)).isTrue();
        });
        assertThat(cluster.rows.accessCount(unread)).isZero();
        assertThat(cluster.rows.readWithinAMinute(unread)).isFalse();
    }

    @Test
    void touched_onlyGuestsKeys_isOneStatementOnTheGuestTable() {
        PostgresMemberServices services =
                new PostgresMemberServices(cluster.database.dataSource(), TestCluster.UNSCHEDULED);
        List<AnalysisKey> guests = rowsReadTwoDaysAgo(TestCluster.guest(), 2);
        services.touched(guests);

        assertThat(services.flushAccesses()).isEqualTo(2);

        assertThat(services.access().statements()).isEqualTo(1);
        assertThat(cluster.rows.countIn(TestRows.GUESTS, "access_count = 1")).isEqualTo(2);
    }

    @Test
    void touchEntry_sentByAClient_reachesPostgresAfterTheFlush() {
        cluster.member(TestCluster.UNSCHEDULED.withAccessFlushInterval(Duration.ofMillis(200)));
        HazelcastInstance client = cluster.client();
        IMap<AnalysisKey, CachedAudioAnalysis> map = TestCluster.map(client);
        AnalysisKey key = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.MASTER);
        map.set(key, TestCluster.entry(key, 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.rows.exists(key));
        cluster.rows.execute("UPDATE audio_analysis_cache SET last_accessed = now() - interval '3 days'");

        for (int i = 0; i < 3; i++) {
            assertThat(map.executeOnKey(key, new TouchEntry())).isTrue();
        }
        AnalysisKey absent = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.MASTER);
        assertThat(map.executeOnKey(absent, new TouchEntry()))
                .as("no entry, nothing recorded")
                .isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.rows.accessCount(key) == 3);
        assertThat(cluster.rows.readWithinAMinute(key)).isTrue();
        assertThat(cluster.services(0).access().statements()).isLessThanOrEqualTo(3);
    }

    @Test
    void memberShutdown_writesThePendingReads() {
        HazelcastInstance member = cluster.member(TestCluster.UNSCHEDULED);
        List<AnalysisKey> keys = rowsReadTwoDaysAgo(3);
        cluster.services(0).touched(keys);
        cluster.services(0).touched(keys.subList(0, 1));

        member.shutdown();

        assertThat(cluster.rows.accessCount(keys.get(0))).isEqualTo(2);
        assertThat(keys).allMatch(cluster.rows::readWithinAMinute);
    }
}
