package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** The operator's endpoint, called as Spring's actuator calls it, on a member over a real database. */
class StemcacheEndpointIT {

    private static TestCluster cluster;
    private static HazelcastInstance member;
    private static StemcacheEndpoint endpoint;

    @BeforeAll
    static void createCluster() {
        cluster = new TestCluster("endpoint");
        member = cluster.member(TestCluster.UNSCHEDULED.withCacheVersion(3));
        endpoint = new StemcacheEndpoint(member, cluster.services(0));
    }

    @AfterAll
    static void shutdown() {
        cluster.close();
    }

    @Test
    void cleanup_runsNow_andStatusShowsTheReport() {
        cluster.rows.insert(TestCluster.key(TestCluster.guest(), UUID.randomUUID(), StemType.BASS), 10, 3, "3 days");

        CleanupReport report = endpoint.cleanup("cleanup");

        assertThat(report.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(report.expiredGuestRows()).isEqualTo(1);
        StemcacheEndpoint.Status status = endpoint.status();
        assertThat(status.cacheVersion()).isEqualTo(3);
        assertThat(status.lastCleanup()).isEqualTo(report);
        assertThat(status.cleanupRuns().completed()).isPositive();
    }

    @Test
    void invalidate_removesTheFileForEveryOwner() {
        IMap<AnalysisKey, CachedAudioAnalysis> map = TestCluster.map(member);
        UUID file = UUID.randomUUID();
        Owner user = TestCluster.user();
        Owner guest = TestCluster.guest();
        AnalysisKey userStem = TestCluster.key(user, file, StemType.DRUMS);
        AnalysisKey guestStem = TestCluster.key(guest, file, StemType.DRUMS);
        AnalysisKey otherFile = TestCluster.key(user, UUID.randomUUID(), StemType.DRUMS);
        for (AnalysisKey key : new AnalysisKey[] {userStem, guestStem, otherFile}) {
            map.set(key, TestCluster.entry(key, 3));
        }
        map.flush();

        StemcacheEndpoint.Invalidated invalidated = endpoint.invalidate("invalidate", file.toString());

        assertThat(invalidated.fileMetadataId()).isEqualTo(file);
        assertThat(invalidated.removed()).isEqualTo(2);
        assertThat(map.get(userStem).isDeletion())
                .as("left its deletion marker")
                .isTrue();
        assertThat(map.get(guestStem).isDeletion()).isTrue();
        assertThat(map.get(otherFile)).isNotNull();
        map.flush();
        assertThat(cluster.rows.count("file_metadata_id = '" + file + "'")).isZero();
        assertThat(cluster.rows.exists(otherFile)).isTrue();
    }

    @Test
    void badRequests_areRejectedNamingTheProblem() {
        assertThatThrownBy(() -> endpoint.cleanup("vacuum"))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("unknown operation 'vacuum'");
        assertThatThrownBy(() -> endpoint.invalidate("invalidate", "not-a-uuid"))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("must be a UUID");
        assertThatThrownBy(
                        () -> endpoint.invalidate("cleanup", UUID.randomUUID().toString()))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("unknown operation");
    }
}
