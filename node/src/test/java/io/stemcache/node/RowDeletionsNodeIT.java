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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The node as it runs on the product's database (migrated at start): the default mode, auto, listens because the
 * table has the product's foreign keys, and the member's counter counts the deletes it applied.
 */
@NodeUnderTest(database = "row_deletions_node", port = 16761, writeDelaySeconds = 1, productSchema = true)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"stemcache.client.enabled=false", "stemcache.row-deletions.poll-interval=200ms"})
class RowDeletionsNodeIT {

    @Autowired
    FreshDatabase database;

    /** The product's schema only: the node adopts it at start. */
    @Autowired
    HazelcastInstance hazelcast;

    @Autowired
    ProductDeletes productDeletes;

    @Autowired
    MeterRegistry registry;

    @Test
    void node_onTheProductsSchema_appliesItsDeletesAndCountsThem() {
        await().atMost(Duration.ofSeconds(10)).until(() -> productDeletes.state() == ProductDeletes.State.LISTENING);
        UUID user = ProductSchema.insertUser(database.dataSource(), "ada@example.com");
        UUID file = ProductSchema.insertFile(database.dataSource(), user, "song.wav");
        AudioAnalysis analysis =
                TestAnalyses.withFile(TestAnalyses.distinctSmall(1, 100).get(0), file);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(user), analysis);
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap(StemcacheProperties.MAP_NAME);
        map.set(
                key,
                CachedAudioAnalysis.of(
                        key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));
        map.flush();

        TableRows.execute(database.dataSource(), "DELETE FROM file_metadata WHERE id = '" + file + "'");

        await().atMost(Duration.ofSeconds(2)).until(() -> ProductCluster.gone(map.get(key)));
        assertThat(registry.get("stemcache.row.deletions.applied")
                        .tag("scope", "member")
                        .functionCounter()
                        .count())
                .isEqualTo(1.0);
        // The removal's tombstone is stored now, not at JVM exit into a dropped database (the cached context's
        // shutdown would wait for it past surefire's patience).
        map.flush();
    }
}
