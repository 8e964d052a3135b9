package io.stemcache.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.StemcacheProperties;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The member's {@code stemcache.store.deadlettered} and {@code quarantined} counters follow its store. */
class DeadLetterMeterIT {

    @Test
    void stemcacheDeadLetterMeter_afterAPoisonEntry_countsOne_andAPutAsideRowCountsApart() throws Exception {
        TestHazelcastFactory factory = new TestHazelcastFactory();
        try (FreshDatabase database = FreshDatabase.createMigrated("deadletter_meter")) {
            HazelcastInstance member = factory.newHazelcastInstance(new Config().setClusterName("meter-test"));
            PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
            StemcacheProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("stemcache", StemcacheProperties.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new StatsConfiguration()
                    .stemcacheDeadLetterMeter(store, member, properties)
                    .bindTo(registry);

            AudioAnalysis analysis = Corpus.small(50);
            AnalysisKey key =
                    new AnalysisKey(Owner.user(UUID.randomUUID()), analysis.fileMetadataId(), analysis.stemType());
            store.storeAll(Map.of(
                    key,
                    CachedAudioAnalysis.of(
                            key,
                            analysis,
                            "sha256:\u0000",
                            1,
                            Precision.FLOAT64,
                            AnalysisCodec.standard(),
                            Instant.now())));

            assertThat(registry.get("stemcache.store.deadlettered")
                            .tags("map", "analyses", "cluster", "meter-test", "scope", "member")
                            .functionCounter()
                            .count())
                    .isEqualTo(1.0);

            // A readable row, damaged in the table, then loaded: put aside and counted apart.
            AnalysisKey good =
                    new AnalysisKey(Owner.user(UUID.randomUUID()), analysis.fileMetadataId(), analysis.stemType());
            store.storeAll(Map.of(
                    good,
                    CachedAudioAnalysis.of(
                            good,
                            analysis,
                            "sha256:ok",
                            1,
                            Precision.FLOAT64,
                            AnalysisCodec.standard(),
                            Instant.now())));
            try (java.sql.Connection connection = database.dataSource().getConnection();
                    java.sql.Statement damage = connection.createStatement()) {
                damage.executeUpdate("UPDATE audio_analysis_cache SET payload = overlay(payload placing"
                        + " '\\xdeadbeef'::bytea from 40) WHERE owner_id = '"
                        + good.owner().id() + "'");
            }
            assertThat(store.load(good)).isNull();
            assertThat(registry.get("stemcache.store.quarantined")
                            .tags("map", "analyses", "cluster", "meter-test", "scope", "member")
                            .functionCounter()
                            .count())
                    .isEqualTo(1.0);
        } finally {
            factory.terminateAll();
        }
    }
}
