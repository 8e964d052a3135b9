package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.StemType;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.ProductDeletes;
import io.stemcache.node.deletions.RowDeletionMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications sent while nobody listens are lost; the log is not. Deletes logged while no member listened
 * are applied by the first member that does, and a logged delete whose wake-up never came by the next read of
 * the log, at most a poll interval later.
 */
class DeletionCatchUpIT {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final DeletionSettings ON = DeletionSettings.defaults(NodeMembers.MAP)
            .withMode(RowDeletionMode.ON)
            .withPollInterval(POLL);

    private ProductCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = ProductCluster.onProductSchema("deletion_catch_up");
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void deletesWhileNobodyListens_areAppliedByTheFirstMemberThatListens_andTheLogIsEmptied() {
        HazelcastInstance unlistening = cluster.member(ON.withMode(RowDeletionMode.OFF));
        UUID user = cluster.user();
        UUID file = cluster.file(user);
        List<AnalysisKey> stems = cluster.cacheStems(user, file, StemType.MASTER, StemType.DRUMS, StemType.BASS);
        UUID directFile = cluster.file(user);
        AnalysisKey direct =
                cluster.cacheStems(user, directFile, StemType.VOCALS).get(0);

        cluster.update("DELETE FROM file_metadata WHERE id = ?", file);
        cluster.update("DELETE FROM audio_analysis_cache WHERE file_metadata_id = ?", directFile);

        assertThat(cluster.deletesOf(unlistening).state()).isEqualTo(ProductDeletes.State.OFF);
        assertThat(cluster.logged()).isEqualTo(4);
        assertThat(cluster.cursor()).isZero();
        assertThat(cluster.liveEntriesOf(file))
                .as("nobody applied the deletes yet")
                .hasSize(3);
        long highest = cluster.query("SELECT max(seq) FROM audio_analysis_deleted_row");

        HazelcastInstance listening = cluster.member(ON);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> cluster.liveEntriesOf(file).isEmpty()
                        && cluster.liveEntriesOf(directFile).isEmpty());
        ProductDeletes deletes = cluster.deletesOf(listening);
        assertThat(deletes.state()).isEqualTo(ProductDeletes.State.LISTENING);
        await().atMost(Duration.ofSeconds(1)).until(() -> cluster.logged() == 0);
        assertThat(cluster.cursor()).isEqualTo(highest);
        assertThat(deletes.appliedRows()).isEqualTo(4);
        assertThat(deletes.removedEntries()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(1).plusSeconds(ProductCluster.INVALIDATION_BATCH_SECONDS))
                .until(() -> ProductCluster.gone(cluster.clientGet(direct))
                        && stems.stream().allMatch(key -> ProductCluster.gone(cluster.clientGet(key))));
    }

    @Test
    void loggedDeleteWithoutAWakeUp_isAppliedWithinThePollInterval() {
        HazelcastInstance member = cluster.member(ON);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.listener() == member);
        UUID user = cluster.user();
        UUID file = cluster.file(user);
        AnalysisKey key = cluster.cacheStems(user, file, StemType.MASTER).get(0);
        long version = cluster.query("SELECT entry_version FROM audio_analysis_cache WHERE file_metadata_id = ?", file);

        // A log row written without its NOTIFY, as if the wake-up had been lost.
        cluster.update(
                "INSERT INTO audio_analysis_deleted_row (owner_kind, owner_id, file_metadata_id, stem_type,"
                        + " entry_version, cascade) VALUES ('user', ?, ?, ?, ?, false)",
                user.toString(),
                file,
                key.stemType().code(),
                version);

        // The entry leaves memory first, then the batch's log rows are deleted: both within the poll interval.
        await().atMost(POLL.plusSeconds(1))
                .until(() -> cluster.liveEntriesOf(file).isEmpty() && cluster.logged() == 0);
    }

    /**
     * Log seqs are taken when a transaction deletes, not when it commits: the listener applies a later committed
     * delete and moves the cursor past an earlier seq still uncommitted, and must apply that one when it commits.
     */
    @Test
    void deleteCommittedAfterALaterOne_isStillApplied() throws Exception {
        HazelcastInstance member = cluster.member(ON);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.listener() == member);
        UUID user = cluster.user();
        UUID slowFile = cluster.file(user);
        UUID quickFile = cluster.file(user);
        cluster.cacheStems(user, slowFile, StemType.MASTER);
        cluster.cacheStems(user, quickFile, StemType.MASTER);

        try (Connection slow = cluster.db.getConnection()) {
            slow.setAutoCommit(false);
            long slowSeq;
            try (Statement statement = slow.createStatement()) {
                statement.executeUpdate("DELETE FROM audio_analysis_cache WHERE file_metadata_id = '" + slowFile + "'");
                try (ResultSet seq = statement.executeQuery("SELECT max(seq) FROM audio_analysis_deleted_row")) {
                    seq.next();
                    slowSeq = seq.getLong(1);
                }
            }
            cluster.update("DELETE FROM audio_analysis_cache WHERE file_metadata_id = ?", quickFile);

            await().atMost(Duration.ofSeconds(2))
                    .until(() -> cluster.liveEntriesOf(quickFile).isEmpty());
            assertThat(cluster.cursor()).isGreaterThan(slowSeq);
            assertThat(cluster.liveEntriesOf(slowFile)).hasSize(1);
            slow.commit();
        }

        await().atMost(Duration.ofSeconds(2))
                .until(() -> cluster.liveEntriesOf(slowFile).isEmpty());
        assertThat(cluster.logged()).isZero();
    }
}
