package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import io.stemcache.node.deletions.ProductDeletes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The node as it runs on the product's database (migrated at start): the default mode, auto, listens because the
 * table has the product's foreign keys, and the member's counter counts the deletes it applied.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"stemcache.client.enabled=false", "stemcache.row-deletions.poll-interval=200ms"})
class RowDeletionsNodeIT {

    /** The product's schema only: the node adopts it at start. */
    private static final FreshDatabase DATABASE = ProductSchema.create("row_deletions_node");
    private static final String CLUSTER = "row-deletions-it-" + UUID.randomUUID();

    @Autowired
    HazelcastInstance hazelcast;

    @Autowired
    ProductDeletes productDeletes;

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", DATABASE::jdbcUrl);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @TestConfiguration
    static class Isolation {
        @Bean
        HazelcastConfigCustomizer isolatedCluster() {
            return IsolatedCluster.on(CLUSTER, 16761, 1);
        }
    }

    @Test
    void node_onTheProductsSchema_appliesItsDeletesAndCountsThem() {
        await().atMost(Duration.ofSeconds(10)).until(() -> productDeletes.state() == ProductDeletes.State.LISTENING);
        UUID user = ProductSchema.insertUser(DATABASE.dataSource(), "ada@example.com");
        UUID file = ProductSchema.insertFile(DATABASE.dataSource(), user, "song.wav");
        AudioAnalysis analysis = TestAnalyses.withFile(TestAnalyses.distinctSmall(1, 100).get(0), file);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(user), analysis);
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap(StemcacheProperties.MAP_NAME);
        map.set(key, CachedAudioAnalysis.of(key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(),
                Instant.now()));
        map.flush();

        TableRows.execute(DATABASE.dataSource(), "DELETE FROM file_metadata WHERE id = '" + file + "'");

        await().atMost(Duration.ofSeconds(2)).until(() -> ProductCluster.gone(map.get(key)));
        assertThat(registry.get("stemcache.row.deletions.applied").tag("scope", "member").functionCounter().count())
                .isEqualTo(1.0);
        // The removal's tombstone is stored now, not at JVM exit into a dropped database (the cached context's
        // shutdown would wait for it past surefire's patience).
        map.flush();
    }
}
