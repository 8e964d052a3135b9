package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.ProductDeletes;
import io.stemcache.node.deletions.RowDeletionMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** stemcache.row-deletions.mode: auto follows the table (the product's has foreign keys); off never connects. */
class RowDeletionModeIT {

    private static final DeletionSettings AUTO =
            DeletionSettings.defaults(NodeMembers.MAP).withPollInterval(Duration.ofMillis(200));
    private static final String LISTENER_SESSIONS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name = 'stemcache-row-deletions'";

    @Test
    void auto_onTheProductsTable_listens() {
        try (ProductCluster cluster = ProductCluster.onProductSchema("mode_product")) {
            HazelcastInstance member = cluster.member(AUTO);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.deletesOf(member).state() == ProductDeletes.State.LISTENING);
            assertThat(cluster.listenerPid()).isPositive();
        }
    }

    @Test
    void auto_onAStandaloneTable_isOff_andLeavesNoSession() {
        try (ProductCluster cluster = ProductCluster.onLooseSchema("mode_loose")) {
            HazelcastInstance member = cluster.member(AUTO);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.deletesOf(member).state() == ProductDeletes.State.OFF);
            await().atMost(Duration.ofSeconds(2)).until(() -> cluster.query(LISTENER_SESSIONS) == 0);
            assertThat(cluster.listenerPid()).isEqualTo(-1);
        }
    }

    @Test
    void on_onAStandaloneTable_listens() {
        try (ProductCluster cluster = ProductCluster.onLooseSchema("mode_on_loose")) {
            HazelcastInstance member = cluster.member(AUTO.withMode(RowDeletionMode.ON));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.deletesOf(member).state() == ProductDeletes.State.LISTENING);
        }
    }

    @Test
    void off_neverOpensASession() {
        try (ProductCluster cluster = ProductCluster.onProductSchema("mode_off")) {
            HazelcastInstance member = cluster.member(AUTO.withMode(RowDeletionMode.OFF));

            assertThat(cluster.deletesOf(member).state()).isEqualTo(ProductDeletes.State.OFF);
            assertThat(cluster.query(LISTENER_SESSIONS)).isZero();
            assertThat(cluster.listenerPid()).isEqualTo(-1);
        }
    }
}
