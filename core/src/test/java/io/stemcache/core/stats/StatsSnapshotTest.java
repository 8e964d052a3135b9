package io.stemcache.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatsSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void member_keepsOnlyWhatAMemberCounts() {
        StatsSnapshot snapshot = StatsSnapshot.member(NOW, 10, 2, 1, 1, 3, 4, 5, NOW);

        assertThat(snapshot).isEqualTo(new StatsSnapshot(NOW, 0, 0, 0, 0, 10, 2, 1, 1, 3, 4, 5, NOW));
    }

    @Test
    void constructor_negativeCounter_isRejected() {
        assertThatThrownBy(() -> StatsSnapshot.member(NOW, -1, 0, 0, 0, 0, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }

    @Test
    void constructor_withoutTime_isRejected() {
        assertThatThrownBy(() -> StatsSnapshot.service(null, 1, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("publishedAt");
    }

    @Test
    void member_publishIntervalBelowOneMillisecond_isRejectedBeforeTouchingTheCluster() {
        assertThatThrownBy(() -> StatsPublisher.member(null, () -> null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publish interval must be at least 1ms, got PT0S");
        assertThatThrownBy(() -> StatsPublisher.apiNode(null, "analyses", () -> 0, () -> 0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null");
    }
}
