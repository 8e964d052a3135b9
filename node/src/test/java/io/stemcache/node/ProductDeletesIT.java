package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.StemType;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.ProductDeletes;
import io.stemcache.node.deletions.RowDeletionMode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product deletes rows of its own table (a file, a user, one stem by hand): three members and a client
 * with a near cache stop serving them within the stated bound, driven by the notification alone (the poll
 * interval is longer than the bound).
 */
class ProductDeletesIT {

    private static final Logger log = LoggerFactory.getLogger(ProductDeletesIT.class);

    /** A listener is connected: the notification's latency plus one batch, generous for a shared 2-core machine. */
    static final Duration MEMORY_BOUND = Duration.ofSeconds(2);
    /** Near caches also wait for the members' invalidation batch. */
    static final Duration NEAR_CACHE_BOUND = MEMORY_BOUND.plusSeconds(ProductCluster.INVALIDATION_BATCH_SECONDS);

    private static final DeletionSettings SETTINGS = DeletionSettings.defaults(NodeMembers.MAP)
            .withMode(RowDeletionMode.ON)
            .withPollInterval(Duration.ofSeconds(30));

    private static ProductCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ProductCluster.onProductSchema("product_deletes");
        for (int i = 0; i < 3; i++) {
            cluster.member(SETTINGS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.listener() != null);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void deleteFile_removesItsStemsFromEveryMemberAndTheNearCache_andNothingElse() {
        UUID user = cluster.user();
        UUID file = cluster.file(user);
        List<AnalysisKey> stems = cluster.cacheStems(user, file, StemType.MASTER, StemType.DRUMS, StemType.BASS);
        AnalysisKey stored = cluster.cacheStems(user, file, StemType.OTHER).get(0);
        cluster.clientMap().evict(stored);
        List<AnalysisKey> kept = cluster.cacheStems(user, cluster.file(user), StemType.MASTER);
        assertThat(cluster.nearCacheEntries()).isGreaterThanOrEqualTo(4);
        long loadsBefore = loads();

        long deletedAt = System.nanoTime();
        cluster.update("DELETE FROM file_metadata WHERE id = ?", file);

        await().atMost(MEMORY_BOUND)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> cluster.liveEntriesOf(file).isEmpty());
        long inMemoryMillis = (System.nanoTime() - deletedAt) / 1_000_000;
        await().atMost(NEAR_CACHE_BOUND).pollInterval(Duration.ofMillis(5)).until(() -> allGoneFromTheNearCache(stems));
        log.info(
                "file delete left memory after {} ms and the near cache after {} ms",
                inMemoryMillis,
                (System.nanoTime() - deletedAt) / 1_000_000);
        assertThat(loads())
                .as("nothing was loaded from PostgreSQL to remove them")
                .isEqualTo(loadsBefore);
        assertThat(cluster.clientGet(stored))
                .as("the evicted stem's row went with the file")
                .isNull();
        assertThat(kept)
                .allSatisfy(
                        key -> assertThat(cluster.clientGet(key).isDeletion()).isFalse());
        await().atMost(MEMORY_BOUND).until(() -> cluster.logged() == 0);
    }

    @Test
    void deleteUser_cascadesThroughItsFiles_removingEveryStemOfEach() {
        UUID user = cluster.user();
        UUID first = cluster.file(user);
        UUID second = cluster.file(user);
        List<AnalysisKey> removed = Stream.concat(
                        cluster.cacheStems(user, first, StemType.MASTER, StemType.VOCALS).stream(),
                        cluster.cacheStems(user, second, StemType.OTHER).stream())
                .toList();
        UUID otherUser = cluster.user();
        List<AnalysisKey> kept = cluster.cacheStems(otherUser, cluster.file(otherUser), StemType.MASTER);

        cluster.update("DELETE FROM auth.users WHERE id = ?", user);

        await().atMost(MEMORY_BOUND)
                .until(() -> cluster.liveEntriesOf(first).isEmpty()
                        && cluster.liveEntriesOf(second).isEmpty());
        await().atMost(NEAR_CACHE_BOUND).until(() -> allGoneFromTheNearCache(removed));
        assertThat(kept)
                .allSatisfy(
                        key -> assertThat(cluster.clientGet(key).isDeletion()).isFalse());
    }

    @Test
    void directDeleteOfOneStem_removesThatStemOnly() {
        UUID user = cluster.user();
        UUID file = cluster.file(user);
        List<AnalysisKey> stems = cluster.cacheStems(user, file, StemType.MASTER, StemType.DRUMS, StemType.BASS);
        AnalysisKey drums = stems.get(1);

        assertThat(cluster.update(
                        "DELETE FROM audio_analysis_cache WHERE file_metadata_id = ? AND stem_type = ?",
                        file,
                        drums.stemType().code()))
                .isEqualTo(1);

        await().atMost(MEMORY_BOUND).until(() -> cluster.liveEntriesOf(file).size() == 2);
        assertThat(cluster.liveEntriesOf(file)).containsExactlyInAnyOrder(stems.get(0), stems.get(2));
        await().atMost(NEAR_CACHE_BOUND).until(() -> allGoneFromTheNearCache(List.of(drums)));
        assertThat(cluster.clientGet(stems.get(0)).isDeletion()).isFalse();
        assertThat(cluster.clientGet(stems.get(2)).isDeletion()).isFalse();
        long applied = cluster.running().stream()
                .map(cluster::deletesOf)
                .mapToLong(ProductDeletes::appliedRows)
                .sum();
        assertThat(applied).isPositive();
    }

    private static boolean allGoneFromTheNearCache(List<AnalysisKey> keys) {
        return keys.stream().allMatch(key -> ProductCluster.gone(cluster.clientGet(key)));
    }

    private static long loads() {
        return cluster.members.stores.stream()
                .mapToLong(store -> store.metrics().loads())
                .sum();
    }
}
