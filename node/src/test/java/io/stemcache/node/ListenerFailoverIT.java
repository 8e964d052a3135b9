package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.StemType;
import io.stemcache.core.testing.Corpus;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.ProductDeletes;
import io.stemcache.node.deletions.RowDeletionMode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listening member dies, or only its PostgreSQL session does, and the product deletes rows right away:
 * another session takes the lock within the poll interval and applies them; nothing is missed, and a delete
 * applied again (at-least-once) keeps a newer write.
 */
class ListenerFailoverIT {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final DeletionSettings SETTINGS = DeletionSettings.defaults(NodeMembers.MAP)
            .withMode(RowDeletionMode.ON)
            .withPollInterval(POLL);
    /** The lock is taken over within one poll interval, then one batch; generous for a shared 2-core machine. */
    private static final Duration TAKEOVER_BOUND = POLL.plusSeconds(3);

    private ProductCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = ProductCluster.onProductSchema("listener_failover");
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void listenersMemberDies_anotherMemberTakesTheLockAndAppliesTheDeletes() {
        for (int i = 0; i < 3; i++) {
            cluster.member(SETTINGS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.listener() != null);
        UUID user = cluster.user();
        UUID file = cluster.file(user);
        List<AnalysisKey> stems = cluster.cacheStems(user, file, StemType.MASTER, StemType.DRUMS, StemType.VOCALS);
        HazelcastInstance dying = cluster.listener();
        long session = cluster.listenerPid();

        dying.getLifecycleService().terminate();
        // The member closes its session as it stops, as the operating system closes a crashed process's socket:
        // PostgreSQL ends the session and the lock goes with it.
        await().atMost(Duration.ofSeconds(2)).until(() -> !cluster.sessionAlive(session));
        cluster.update("DELETE FROM file_metadata WHERE id = ?", file);

        await().atMost(TAKEOVER_BOUND).until(() -> cluster.liveEntriesOf(file).isEmpty());
        assertThat(cluster.listener()).isNotNull().isNotSameAs(dying);
        assertThat(cluster.listenerPid()).isNotEqualTo(session).isPositive();
        await().atMost(Duration.ofSeconds(1).plusSeconds(ProductCluster.INVALIDATION_BATCH_SECONDS))
                .until(() -> stems.stream().allMatch(key -> ProductCluster.gone(cluster.clientGet(key))));
        assertThat(cluster.logged()).isZero();
    }

    @Test
    void listenersSessionIsTerminated_aNewSessionAppliesEveryDeleteOnce() {
        HazelcastInstance first = cluster.member(SETTINGS);
        cluster.member(SETTINGS);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.listener() != null);
        UUID user = cluster.user();
        UUID deletedFile = cluster.file(user);
        UUID keptFile = cluster.file(user);
        cluster.cacheStems(user, deletedFile, StemType.MASTER, StemType.DRUMS);
        List<AnalysisKey> keptStems = cluster.cacheStems(user, keptFile, StemType.MASTER, StemType.BASS);
        AnalysisKey deletedStem = keptStems.get(0);
        long deletedVersion = cluster.query(
                "SELECT entry_version FROM audio_analysis_cache" + " WHERE file_metadata_id = ? AND stem_type = ?",
                keptFile,
                deletedStem.stemType().code());
        long session = cluster.listenerPid();
        long removedBefore = removedEntries();

        cluster.terminateBackend(session);
        cluster.update("DELETE FROM file_metadata WHERE id = ?", deletedFile);
        cluster.update(
                "DELETE FROM audio_analysis_cache WHERE file_metadata_id = ? AND stem_type = ?",
                keptFile,
                deletedStem.stemType().code());

        await().atMost(TAKEOVER_BOUND)
                .until(() -> cluster.liveEntriesOf(deletedFile).isEmpty()
                        && cluster.liveEntriesOf(keptFile).equals(Set.of(keptStems.get(1))));
        assertThat(cluster.listenerPid())
                .as("a new session holds the lock")
                .isNotEqualTo(session)
                .isPositive();
        await().atMost(POLL.multipliedBy(3)).until(() -> cluster.logged() == 0);
        assertThat(removedEntries() - removedBefore).isEqualTo(3);

        // The stem is written again, and its delete is logged again, as when a batch is applied and its commit
        // fails: applying it again removes nothing newer than the row it deleted.
        AudioAnalysis small = Corpus.small(50);
        CachedAudioAnalysis newer = cluster.service()
                .setAnalysis(
                        deletedStem,
                        new AudioAnalysis(
                                keptFile,
                                deletedStem.stemType(),
                                small.analysisVersion(),
                                small.analysisData(),
                                small.waveformData(),
                                small.metadata()),
                        null);
        assertThat(newer.version()).isGreaterThan(deletedVersion);
        cluster.update(
                "INSERT INTO audio_analysis_deleted_row (owner_kind, owner_id, file_metadata_id, stem_type,"
                        + " entry_version, cascade) VALUES ('user', ?, ?, ?, ?, false)",
                user.toString(),
                keptFile,
                deletedStem.stemType().code(),
                deletedVersion);
        await().atMost(POLL.multipliedBy(3)).until(() -> cluster.logged() == 0);
        assertThat(cluster.clientGet(deletedStem).version()).isEqualTo(newer.version());
        assertThat(cluster.clientGet(deletedStem).isDeletion()).isFalse();
        assertThat(removedEntries() - removedBefore).isEqualTo(3);
        assertThat(first.getLifecycleService().isRunning()).isTrue();
    }

    private long removedEntries() {
        return cluster.running().stream()
                .map(cluster::deletesOf)
                .mapToLong(ProductDeletes::removedEntries)
                .sum();
    }
}
