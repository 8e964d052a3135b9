package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind backlog bound: with PostgreSQL cut off, a member refuses writes once its backlog
 * reaches {@code stemcache.write-behind.max-backlog-entries} or {@code max-backlog-mb}, with an error naming
 * the setting; what it accepted is stored when PostgreSQL returns, and it accepts writes again. A failed
 * reading of the backlog does not freeze the bound; a refused guest write deletes none of the guest's
 * entries; removals are never refused. (Full-size entries in a small heap: {@link BacklogHeapIT}.)
 */
class BacklogLimitIT {

    private static final long LIMIT = 40;

    private final List<BacklogLimit> limits = new ArrayList<>();
    private NodeMembers nodes;
    private TcpProxy proxy;

    @BeforeEach
    void createDatabase() {
        nodes = new NodeMembers("backlog", 1, 50, false).throughProxy();
        proxy = nodes.proxy();
    }

    /** Then the invariant, PostgreSQL restored: a refused write never reached memory, every accepted one is stored. */
    @AfterEach
    void shutdown() {
        limits.forEach(BacklogLimit::close);
        nodes.close();
    }

    @Test
    void setAnalysis_backlogAtTheLimit_refusedWithTheSettingNamedThenAcceptedAfterTheDrain() {
        HazelcastInstance member = member();
        BacklogLimit limit = install(member, BacklogLimit.Limits.of(LIMIT, 1024), null);
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> accepted = new LinkedHashMap<>();

        proxy.cut();
        AtomicReference<RuntimeException> refusal = new AtomicReference<>();
        AtomicInteger writes = new AtomicInteger();
        // One write per poll, 10 ms apart (the sampler reads the backlog every 50 ms), until one is refused.
        paced().until(() -> {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            try {
                cache.setAnalysis(key, analysis, null);
                accepted.put(key, analysis);
            } catch (RuntimeException e) {
                refusal.set(e);
            }
            return refusal.get() != null || writes.incrementAndGet() >= 10 * LIMIT;
        });
        RuntimeException refused = refusal.get();

        assertThat(refused).as("a write beyond the limit is refused").isNotNull();
        assertThat(refused)
                .hasMessageContaining("stemcache.write-behind.max-backlog-entries=" + LIMIT)
                .hasMessageContaining("PostgreSQL is behind");
        // The sampler lags a few writes behind; the bound holds within them.
        assertThat((long) accepted.size()).isBetween(LIMIT, LIMIT + 20);
        AudioAnalysis later = TestAnalyses.withFile(base, UUID.randomUUID());
        AnalysisKey laterKey = TestAnalyses.keyOf(owner, later);
        assertThatThrownBy(() -> cache.setAnalysis(laterKey, later, null)).hasMessageContaining("PostgreSQL is behind");
        assertThat(member.getLifecycleService().isRunning()).isTrue();
        accepted.keySet().forEach(key -> assertThat(cache.getAnalysis(key)).isPresent());

        proxy.restore();
        long restoredAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> limit.backlog() == 0);
        cache.setAnalysis(laterKey, later, null);
        long acceptingAgainMillis = (System.nanoTime() - restoredAt) / 1_000_000;
        accepted.put(laterKey, later);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TableRows.count(nodes.database.dataSource()) == accepted.size());

        Map<AnalysisKey, CachedAudioAnalysis> stored = new PostgresAnalysisStore(
                        nodes.database.dataSource(), StoreSettings.defaults())
                .loadAll(accepted.keySet());
        assertThat(stored).hasSize(accepted.size());
        accepted.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        System.out.printf(
                "RESULT backlog-bound limit=%d accepted_before_refusal=%d accepting_again_ms=%d lost=%d%n",
                LIMIT, accepted.size() - 1, acceptingAgainMillis, accepted.size() - stored.size());
    }

    @Test
    void setAnalysis_backlogBytesAtTheLimit_refusedNamingTheMbSetting() {
        HazelcastInstance member = member();
        // A 100-frame entry stores ~30 KB: 1 MB is a few dozen of them.
        BacklogLimit limit = install(member, BacklogLimit.Limits.of(10_000, 1), null);
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());

        proxy.cut();
        List<AnalysisKey> accepted = new ArrayList<>();
        RuntimeException refused = writeUntilRefused(cache, owner, accepted, 1000);

        assertThat(refused).as("a write beyond 1 MB of backlog is refused").isNotNull();
        assertThat(refused)
                .hasMessageContaining("the limit is stemcache.write-behind.max-backlog-mb=1")
                .hasMessageContaining("PostgreSQL is behind");
        assertThat(limit.backlogBytes()).isBetween(1L << 20, (1L << 20) + (256L << 10));
        assertThat(limit.refusing()).isTrue();
        proxy.restore();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TableRows.count(nodes.database.dataSource()) == accepted.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> !limit.refusing());
    }

    /**
     * Issue 13: the sampler ran as a plain scheduled task, and a scheduled task that throws is never run
     * again: one failed reading froze the backlog at its last value (0 at start) and writes were never refused.
     */
    @Test
    void sampler_throwsFirst_keepsSamplingAndTheLimitStillRefuses() {
        HazelcastInstance member = member();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        BacklogSampler real = BacklogSampler.of(mapServiceContext(member), "analyses");
        BacklogLimit limit = install(member, BacklogLimit.Limits.of(LIMIT, 1024), () -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("injected: the partition table is being rebuilt");
            }
            return real.sample();
        });
        AudioCacheService cache = client();
        await().atMost(Duration.ofSeconds(10)).until(() -> limit.sampleFailures() == 3);

        proxy.cut();
        List<AnalysisKey> accepted = new ArrayList<>();
        RuntimeException refused =
                writeUntilRefused(cache, Owner.user(UUID.randomUUID()), accepted, (int) (10 * LIMIT));

        assertThat(refused)
                .as("writes are refused after the sampler failed")
                .isNotNull()
                .hasMessageContaining("stemcache.write-behind.max-backlog-entries=" + LIMIT);
        assertThat((long) accepted.size()).isBetween(LIMIT, LIMIT + 20);
        assertThat(limit.sampleFailures()).isEqualTo(3);
    }

    /**
     * Issue 13: a guest's write at its quota removed the guest's oldest entries to make room and only then
     * reached the member, which refused it: the guest lost entries for a write that never happened.
     */
    @Test
    void guestWrite_refusedAtTheLimit_deletesNoneOfTheGuestsEntries() {
        HazelcastInstance member = member();
        BacklogLimit limit = install(member, BacklogLimit.Limits.of(10_000, 1024), null);
        AudioAnalysis base = Corpus.small(100);
        int entrySize = CachedAudioAnalysis.of(
                        TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), base),
                        base,
                        null,
                        1,
                        io.stemcache.core.Precision.FLOAT64,
                        io.stemcache.core.codec.AnalysisCodec.standard(),
                        java.time.Instant.now())
                .size();
        AudioCacheService cache = StemcacheClient.service(
                nodes.client(), ClientSettings.defaults().withGuestQuotaBytes(3L * entrySize + entrySize / 2));
        Owner guest = Owner.guest(randomToken());
        List<AnalysisKey> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(guest, analysis);
            cache.setAnalysis(key, analysis, null);
            held.add(key);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TableRows.count(nodes.database.dataSource()) == 3);

        // Fill the member's backlog with a user's writes until it refuses, then the guest writes a fourth entry.
        proxy.cut();
        limits.remove(limit);
        limit.close();
        BacklogLimit small = install(member, BacklogLimit.Limits.of(5, 1024), null);
        RuntimeException refused = writeUntilRefused(cache, Owner.user(UUID.randomUUID()), new ArrayList<>(), 200);
        assertThat(refused).isNotNull();
        AudioAnalysis fourth = TestAnalyses.withFile(base, UUID.randomUUID());
        AnalysisKey fourthKey = TestAnalyses.keyOf(guest, fourth);

        assertThatThrownBy(() -> cache.setAnalysis(fourthKey, fourth, null))
                .hasMessageContaining("PostgreSQL is behind");
        for (AnalysisKey key : held) {
            assertThat(cache.getAnalysis(key))
                    .as("the guest's %s after the refused write", key)
                    .isPresent();
        }

        // Accepted again after the drain: the write is stored first, then the oldest entry makes room.
        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> !small.refusing());
        assertThat(cache.getAnalysis(fourthKey)).as("the refused write").isEmpty();
        cache.setAnalysis(fourthKey, fourth, null);
        assertThat(cache.getAnalysis(fourthKey)).isPresent();
        assertThat(cache.getAnalysis(held.get(0))).as("the oldest made room").isEmpty();
        assertThat(cache.getAnalysis(held.get(1))).isPresent();
        assertThat(cache.getAnalysis(held.get(2))).isPresent();
    }

    @Test
    void invalidateCache_whileWritesAreRefused_isNotRefused() {
        HazelcastInstance member = member();
        install(member, BacklogLimit.Limits.of(5, 1024), null);
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());

        proxy.cut();
        List<AnalysisKey> accepted = new ArrayList<>();
        assertThat(writeUntilRefused(cache, owner, accepted, 200)).isNotNull();
        AnalysisKey removed = accepted.get(0);

        assertThat(cache.invalidateCache(owner, removed.fileMetadataId())).isEqualTo(1);
        assertThat(cache.getAnalysis(removed)).isEmpty();
        proxy.restore();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TableRows.count(nodes.database.dataSource()) == accepted.size() - 1);
    }

    @Test
    void limits_belowOne_nameTheSetting() {
        assertThatThrownBy(() -> BacklogLimit.Limits.of(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stemcache.write-behind.max-backlog-entries must be at least 1, got 0");
        assertThatThrownBy(() -> BacklogLimit.Limits.of(10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stemcache.write-behind.max-backlog-mb must be at least 1 byte, got 0");
    }

    private HazelcastInstance member() {
        return nodes.member();
    }

    private BacklogLimit install(HazelcastInstance member, BacklogLimit.Limits bounds, BacklogSampler sampler) {
        BacklogLimit limit = BacklogLimit.install(member, "analyses", bounds, Duration.ofMillis(50), sampler);
        limits.add(limit);
        return limit;
    }

    private AudioCacheService client() {
        return StemcacheClient.service(nodes.client(), ClientSettings.defaults());
    }

    /** Writes new 100-frame entries until one is refused (returned) or {@code max} were accepted (null). */
    private static RuntimeException writeUntilRefused(
            AudioCacheService cache, Owner owner, List<AnalysisKey> accepted, int max) {
        AudioAnalysis base = Corpus.small(100);
        AtomicReference<RuntimeException> refusal = new AtomicReference<>();
        paced().until(() -> {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            try {
                cache.setAnalysis(key, analysis, null);
                accepted.add(key);
            } catch (RuntimeException e) {
                refusal.set(e);
            }
            return refusal.get() != null || accepted.size() >= max;
        });
        return refusal.get();
    }

    /** Writes paced by Awaitility: one per poll, 10 ms apart, on the test's thread, for at most 60 s. */
    private static ConditionFactory paced() {
        return await().atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
    }

    private static MapServiceContext mapServiceContext(HazelcastInstance member) {
        return ((MapService) ((AbstractDistributedObject<?>) member.getMap("analyses")).getService())
                .getMapServiceContext();
    }

    private static String randomToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
