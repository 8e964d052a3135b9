package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Corpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One analysis per stem: of many callers that miss at once, one holds the lease, the others get its entry. */
class AnalysisLeasesTest {

    private static final int CALLERS = 20;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final List<AnalysisLeases> opened = new ArrayList<>();
    private final List<HazelcastInstance> clients = new ArrayList<>();
    private AudioCacheService cache;

    @BeforeEach
    void startCluster() {
        for (int i = 0; i < 2; i++) {
            Config member = new Config().setClusterName("stemcache");
            StemcacheSerialization.register(member.getSerializationConfig());
            EntryVersions.installOn(member, ClientSettings.defaults().mapName());
            factory.newHazelcastInstance(member);
        }
        // Two API nodes.
        clients.add(factory.newHazelcastClient(StemcacheClient.defaultConfig()));
        clients.add(factory.newHazelcastClient(StemcacheClient.defaultConfig()));
        cache = StemcacheClient.service(clients.get(0), ClientSettings.defaults());
    }

    @AfterEach
    void stopCluster() {
        opened.forEach(AnalysisLeases::close);
        factory.terminateAll();
    }

    private AnalysisLeases leases(int apiNode, Duration ttl) {
        AnalysisLeases leases = new AnalysisLeases(
                clients.get(apiNode % 2),
                ClientSettings.defaults().mapName(),
                ClientSettings.defaults().cacheVersion(),
                ttl);
        opened.add(leases);
        return leases;
    }

    private static AudioAnalysis analysisOf(AnalysisKey key) {
        AudioAnalysis small = Corpus.small(50);
        return new AudioAnalysis(
                key.fileMetadataId(),
                key.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                small.waveformData(),
                small.metadata());
    }

    /** {@code CALLERS} callers on both API nodes claim the key at the same moment. */
    private List<AnalysisLeases.Claim> claimTogether(AnalysisKey key, Duration ttl) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AnalysisLeases.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                AnalysisLeases leases = leases(i, ttl);
                claims.add(callers.submit(() -> {
                    start.await();
                    return leases.claim(key);
                }));
            }
            start.countDown();
            List<AnalysisLeases.Claim> results = new ArrayList<>();
            for (Future<AnalysisLeases.Claim> claim : claims) {
                results.add(claim.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void claim_by20CallersAtOnce_grantsOne_andTheOthersGetTheEntryOnceItsHolderWritesIt() throws Exception {
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.DRUMS);

        List<AnalysisLeases.Claim> claims = claimTogether(key, Duration.ofMinutes(2));

        List<AnalysisLeases.Granted> granted = claims.stream()
                .filter(AnalysisLeases.Granted.class::isInstance)
                .map(AnalysisLeases.Granted.class::cast)
                .toList();
        assertThat(granted).hasSize(1);
        assertThat(claims)
                .filteredOn(AnalysisLeases.Taken.class::isInstance)
                .hasSize(CALLERS - 1)
                .allSatisfy(claim ->
                        assertThat(((AnalysisLeases.Taken) claim).remaining()).isPositive());
        List<CompletableFuture<AnalysisLeases.Outcome>> waits = new ArrayList<>();
        for (int i = 0; i < CALLERS - 1; i++) {
            waits.add(leases(i, Duration.ofMinutes(2)).await(key, Duration.ofSeconds(30)));
        }
        assertThat(leases(0, Duration.ofMinutes(2)).isTaken(key)).isTrue();

        cache.setAnalysis(key, analysisOf(key), null);
        assertThat(leases(1, Duration.ofMinutes(2)).release(key, granted.get(0).holder()))
                .isTrue();

        for (CompletableFuture<AnalysisLeases.Outcome> wait : waits) {
            assertThat(wait.get(10, TimeUnit.SECONDS)).isInstanceOf(AnalysisLeases.Ready.class);
        }
        assertThat(leases(0, Duration.ofMinutes(2)).isTaken(key)).isFalse();
    }

    @Test
    void holderThatNeverWrites_letsItsLeaseExpire_andExactlyOneWaiterTakesOver() throws Exception {
        AnalysisKey key = new AnalysisKey(Owner.guest("guest-" + UUID.randomUUID()), UUID.randomUUID(), StemType.BASS);
        Duration ttl = Duration.ofSeconds(2);
        List<AnalysisLeases.Claim> claims = claimTogether(key, ttl);
        assertThat(claims).filteredOn(AnalysisLeases.Granted.class::isInstance).hasSize(1);
        List<CompletableFuture<AnalysisLeases.Outcome>> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(leases(i, ttl).await(key, Duration.ofSeconds(30)));
        }

        // The holder died: nobody writes or releases. One waiter gets the lease after it expires.
        CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        List<AnalysisLeases.Outcome> first = waits.stream()
                .filter(CompletableFuture::isDone)
                .map(CompletableFuture::join)
                .toList();
        assertThat(first).singleElement().isInstanceOf(AnalysisLeases.TookOver.class);
        AnalysisLeases.Granted taken = ((AnalysisLeases.TookOver) first.get(0)).lease();

        cache.setAnalysis(key, analysisOf(key), null);
        leases(0, ttl).release(key, taken.holder());

        for (CompletableFuture<AnalysisLeases.Outcome> wait : waits) {
            assertThat(wait.get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(AnalysisLeases.Ready.class, AnalysisLeases.TookOver.class);
        }
        assertThat(waits.stream().map(CompletableFuture::join).filter(AnalysisLeases.TookOver.class::isInstance))
                .as("took over once")
                .hasSize(1);
    }

    @Test
    void await_ofAKeyNobodyWrites_andWhoseLeaseStays_timesOut() throws Exception {
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.VOCALS);
        AnalysisLeases leases = leases(0, Duration.ofMinutes(2));
        assertThat(leases.claim(key)).isInstanceOf(AnalysisLeases.Granted.class);

        assertThat(leases(1, Duration.ofMinutes(2))
                        .await(key, Duration.ofMillis(800))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(AnalysisLeases.TimedOut.class);
        assertThat(leases(1, Duration.ofMinutes(2)).release(key, "not-the-holder"))
                .isFalse();
    }

    @Test
    void end_removesTheLeaseWhoeverHoldsIt_andTheNextClaimIsGranted() {
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.BASS);
        AnalysisLeases leases = leases(0, Duration.ofMinutes(2));
        assertThat(leases.claim(key)).isInstanceOf(AnalysisLeases.Granted.class);
        assertThat(leases(1, Duration.ofMinutes(2)).claim(key)).isInstanceOf(AnalysisLeases.Taken.class);

        leases(1, Duration.ofMinutes(2)).end(key);

        assertThat(leases.isTaken(key)).isFalse();
        assertThat(leases(1, Duration.ofMinutes(2)).claim(key)).isInstanceOf(AnalysisLeases.Granted.class);
    }

    @Test
    void isWritten_onlyForAnEntryOfTheCurrentCacheVersion() {
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.OTHER);
        AnalysisLeases current = leases(0, Duration.ofMinutes(2));
        AnalysisLeases newer = new AnalysisLeases(
                clients.get(1),
                ClientSettings.defaults().mapName(),
                ClientSettings.defaults().cacheVersion() + 1,
                Duration.ofMinutes(2));
        opened.add(newer);
        assertThat(current.isWritten(key)).isFalse();

        cache.setAnalysis(key, analysisOf(key), null);

        assertThat(current.isWritten(key)).isTrue();
        // Written under the older cache version: readers of the newer one miss it, so it still needs an analysis.
        assertThat(newer.isWritten(key)).isFalse();
    }
}
