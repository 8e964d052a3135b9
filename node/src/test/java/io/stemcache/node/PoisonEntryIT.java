package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An entry PostgreSQL refuses for good (a NUL in its content hash, SQLState 22021) written through a
 * client among good ones: it lands in the dead-letter table and the rest of its partition's queue flows.
 */
class PoisonEntryIT {

    private NodeMembers members;
    private TestHazelcastFactory factory;
    private List<PostgresAnalysisStore> stores;
    private FreshDatabase database;

    @BeforeEach
    void startDatabase() {
        members = new NodeMembers("poison", 1, 50, false);
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

    @Test
    void setAnalysis_poisonAmongGoodEntries_everyOtherEntryReachesPostgresAndThePoisonIsDeadLettered() {
        member();
        member();
        AudioCacheService cache = StemcacheClient.service(
                factory.newHazelcastClient(StemcacheClient.defaultConfig()), ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(60, 100);
        AnalysisKey poison = TestAnalyses.keyOf(owner, analyses.get(30));
        for (AudioAnalysis analysis : analyses) {
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(
                    key, analysis, key.equals(poison) ? "sha256:\u0000poison" : "sha256:" + key.fileMetadataId());
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> TableRows.count(database.dataSource()) == 59
                        && TableRows.query(database.dataSource(), "SELECT count(*) FROM audio_analysis_dead_letter")
                                == 1);

        assertThat(TableRows.query(
                        database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_dead_letter"
                                + " WHERE file_metadata_id = '" + poison.fileMetadataId() + "' AND sqlstate = '22021'"
                                + " AND reason LIKE '%0x00%' AND payload IS NOT NULL"))
                .isEqualTo(1);
        assertThat(stores.stream()
                        .mapToLong(store -> store.metrics().deadLettered())
                        .sum())
                .isEqualTo(1);
        // Refused for good is not a failure: Hazelcast never had to retry.
        assertThat(stores.stream()
                        .mapToLong(store -> store.metrics().storeFailures())
                        .sum())
                .isZero();
        // The member still serves the entry from memory; PostgreSQL holds every other one bit-exact.
        assertThat(cache.getAnalysis(poison)).isPresent();
        PostgresAnalysisStore fresh = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        List<AnalysisKey> keys = analyses.stream()
                .map(analysis -> TestAnalyses.keyOf(owner, analysis))
                .toList();
        Map<AnalysisKey, io.stemcache.core.CachedAudioAnalysis> stored = fresh.loadAll(keys);
        assertThat(stored).hasSize(59).doesNotContainKey(poison);
        for (AudioAnalysis analysis : analyses) {
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            if (!key.equals(poison)) {
                Analyses.assertBitExact(analysis, stored.get(key).analysis());
            }
        }
    }
}
