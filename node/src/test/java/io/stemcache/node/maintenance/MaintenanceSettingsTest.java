package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MaintenanceSettingsTest {

    private static final MaintenanceSettings DEFAULTS = MaintenanceSettings.defaults("analyses");

    private static void rejected(UnaryOperator<MaintenanceSettings> change, String property) {
        assertThatThrownBy(() -> change.apply(DEFAULTS).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(property + " must");
    }

    @Test
    void defaults_areTheDocumentedOnes() {
        assertThat(DEFAULTS.validate())
                .isEqualTo(new MaintenanceSettings(
                        "analyses",
                        1,
                        Duration.ofSeconds(10),
                        new MaintenanceSettings.Cleanup(
                                true,
                                Duration.ofMinutes(5),
                                Duration.ofMinutes(1),
                                500,
                                Duration.ofDays(30),
                                Duration.ofHours(24),
                                0,
                                64,
                                Duration.ofDays(7))));
    }

    @Test
    void validate_badValues_nameTheirProperty() {
        rejected(s -> s.withCacheVersion(0), "stemcache.cache-version");
        rejected(s -> s.withAccessFlushInterval(Duration.ZERO), "stemcache.access-flush-interval");
        rejected(s -> s.withSchedule(true, Duration.ZERO, Duration.ofSeconds(-1)), "stemcache.cleanup.interval");
        rejected(
                s -> s.withSchedule(true, Duration.ofSeconds(-1), Duration.ofMinutes(1)),
                "stemcache.cleanup.initial-delay");
        rejected(s -> s.withBatchSize(0), "stemcache.cleanup.batch-size");
        rejected(s -> s.withBatchSize(MaintenanceSettings.MAX_BATCH_SIZE + 1), "stemcache.cleanup.batch-size");
        rejected(s -> s.withTtls(null, Duration.ofHours(1)), "stemcache.cleanup.user-ttl");
        rejected(s -> s.withTtls(Duration.ofDays(1), Duration.ZERO), "stemcache.cleanup.guest-ttl");
        rejected(s -> s.withCaps(-1, 0), "stemcache.cleanup.max-total-mb");
        rejected(s -> s.withCaps(0, -1), "stemcache.cleanup.guest-quota-mb");
        rejected(s -> s.withTombstoneRetention(Duration.ZERO), "stemcache.cleanup.tombstone-retention");
        rejected(s -> s.withTombstoneRetention(null), "stemcache.cleanup.tombstone-retention");
        assertThatThrownBy(() -> MaintenanceSettings.defaults(" ").validate())
                .hasMessageContaining("stemcache.map-name");
    }

    @Test
    void services_validateTheirSettings() {
        assertThatThrownBy(() -> new PostgresMemberServices(
                        new org.postgresql.ds.PGSimpleDataSource(), DEFAULTS.withBatchSize(-5)))
                .hasMessageContaining("stemcache.cleanup.batch-size");
    }
}
