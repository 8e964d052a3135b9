package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.faults.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind backlog bound: with PostgreSQL cut off, a member refuses writes once its backlog
 * reaches {@code stemcache.write-behind.max-backlog-entries}, with an error naming the setting; what it
 * accepted is stored when PostgreSQL returns, and it accepts writes again.
 */
class BacklogLimitIT {

    private static final long LIMIT = 40;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final List<BacklogLimit> limits = new ArrayList<>();
    private FreshDatabase database;
    private TcpProxy proxy;
    private HikariDataSource proxied;

    @BeforeEach
    void createDatabase() {
        database = FreshDatabase.createMigrated("backlog");
        proxy = TcpProxy.to("127.0.0.1", 5432);
        proxied = PostgresOutageIT.proxiedPool(database, proxy);
    }

    @AfterEach
    void shutdown() {
        limits.forEach(BacklogLimit::close);
        factory.terminateAll();
        proxied.close();
        proxy.close();
        database.close();
    }

    @Test
    void setAnalysis_backlogAtTheLimit_refusedWithTheSettingNamedThenAcceptedAfterTheDrain() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(proxied, StoreSettings.defaults());
        Config config = MemberConfigs.withStore(new ClasspathYamlConfig("hazelcast.yaml"), "analyses", store);
        config.getMapConfig("analyses").getMapStoreConfig().setWriteDelaySeconds(1).setWriteBatchSize(50);
        HazelcastInstance member = factory.newHazelcastInstance(config);
        BacklogLimit limit = BacklogLimit.install(member, "analyses", LIMIT, Duration.ofMillis(50));
        limits.add(limit);
        AudioCacheService cache = StemcacheClient.service(factory.newHazelcastClient(StemcacheClient.defaultConfig()),
                ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> accepted = new LinkedHashMap<>();

        proxy.cut();
        RuntimeException refused = null;
        for (int i = 0; i < 10 * LIMIT && refused == null; i++) {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            try {
                cache.setAnalysis(key, analysis, null);
                accepted.put(key, analysis);
            } catch (RuntimeException e) {
                refused = e;
            }
            PostgresOutageIT.pause(10);
        }

        assertThat(refused).as("a write beyond the limit is refused").isNotNull();
        assertThat(refused).hasMessageContaining("stemcache.write-behind.max-backlog-entries=" + LIMIT)
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
        await().atMost(Duration.ofSeconds(30)).until(() -> TableRows.count(database.dataSource()) == accepted.size());

        Map<AnalysisKey, CachedAudioAnalysis> stored = new PostgresAnalysisStore(database.dataSource(),
                StoreSettings.defaults()).loadAll(accepted.keySet());
        assertThat(stored).hasSize(accepted.size());
        accepted.forEach((key, analysis) -> Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        System.out.printf("RESULT backlog-bound limit=%d accepted_before_refusal=%d accepting_again_ms=%d lost=%d%n",
                LIMIT, accepted.size() - 1, acceptingAgainMillis, accepted.size() - stored.size());
    }

    @Test
    void install_limitBelowOne_namesTheSetting() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(proxied, StoreSettings.defaults());
        HazelcastInstance member = factory.newHazelcastInstance(
                MemberConfigs.withStore(new ClasspathYamlConfig("hazelcast.yaml"), "analyses", store));

        assertThatThrownBy(() -> BacklogLimit.install(member, "analyses", 0, Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stemcache.write-behind.max-backlog-entries must be at least 1, got 0");
    }
}
