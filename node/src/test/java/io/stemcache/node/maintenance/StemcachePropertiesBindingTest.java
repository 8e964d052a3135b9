package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.StemcacheProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** The maintenance properties bind with their defaults, and a bad one stops the node naming it. */
class StemcachePropertiesBindingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StemcacheProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void noProperties_bindTheDefaults() {
        runner.run(context -> {
            StemcacheProperties properties = context.getBean(StemcacheProperties.class);
            assertThat(properties.cacheVersion()).isEqualTo(1);
            assertThat(properties.accessFlushInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.cleanup())
                    .isEqualTo(new MaintenanceSettings.Cleanup(
                            true,
                            Duration.ofMinutes(5),
                            Duration.ofMinutes(1),
                            500,
                            Duration.ofDays(30),
                            Duration.ofHours(24),
                            0,
                            64,
                            Duration.ofDays(7)));
        });
    }

    @Test
    void properties_bindFromTheirNames() {
        runner.withPropertyValues(
                        "stemcache.cache-version=4",
                        "stemcache.cleanup.user-ttl=7d",
                        "stemcache.cleanup.max-total-mb=2048",
                        "stemcache.cleanup.enabled=false",
                        "stemcache.cleanup.tombstone-retention=36h")
                .run(context -> {
                    StemcacheProperties properties = context.getBean(StemcacheProperties.class);
                    assertThat(properties.cacheVersion()).isEqualTo(4);
                    assertThat(properties.cleanup().userTtl()).isEqualTo(Duration.ofDays(7));
                    assertThat(properties.cleanup().tombstoneRetention()).isEqualTo(Duration.ofHours(36));
                    assertThat(properties.cleanup().maxTotalMb()).isEqualTo(2048);
                    assertThat(properties.cleanup().enabled()).isFalse();
                });
    }

    @Test
    void badValues_failStartupNamingTheProperty() {
        failsNaming("stemcache.cleanup.batch-size=0", "cleanup.batchSize");
        failsNaming("stemcache.cleanup.guest-quota-mb=-1", "cleanup.guestQuotaMb");
        failsNaming("stemcache.cache-version=0", "cacheVersion");
        failsNaming("stemcache.cleanup.interval=0s", "stemcache.cleanup.interval must be a positive duration");
        failsNaming("stemcache.cleanup.guest-ttl=-1h", "stemcache.cleanup.guest-ttl must be a positive duration");
        failsNaming(
                "stemcache.cleanup.tombstone-retention=0s",
                "stemcache.cleanup.tombstone-retention must be a positive duration");
        failsNaming("stemcache.access-flush-interval=0ms", "stemcache.access-flush-interval must be");
    }

    /** The Bean Validation refusals name the property as the constructors' do (they named the record's field only). */
    @Test
    void boundsCheckedByAnnotations_failStartupNamingTheProperty() {
        failsNaming("stemcache.cleanup.batch-size=100001", "stemcache.cleanup.batch-size must be between 1 and 100000");
        failsNaming("stemcache.cleanup.guest-quota-mb=-1", "stemcache.cleanup.guest-quota-mb must be 0 (no quota)");
        failsNaming("stemcache.cleanup.max-total-mb=-1", "stemcache.cleanup.max-total-mb must be 0 (no cap)");
        failsNaming("stemcache.cache-version=0", "stemcache.cache-version must be at least 1");
        failsNaming("stemcache.max-analysis-mb=2048", "stemcache.max-analysis-mb must be 1 to 2047");
        failsNaming("stemcache.map-name= ", "stemcache.map-name must not be blank");
    }

    /** Regression: 0 passed the property's {@code @PositiveOrZero}, then the map-store refused it naming no property. */
    @Test
    void initialLoadMaxMbZero_failsStartupNamingTheProperty() {
        failsNaming("stemcache.initial-load-max-mb=0", "stemcache.initial-load-max-mb must be at least 1");
        failsNaming("stemcache.initial-load-max-entries=-1", "stemcache.initial-load-max-entries must be 0");
    }

    /** Regression: the property allowed 1 to 1000, the map-store 1 to 10 000; now one bound, named in the refusal. */
    @Test
    void loadBatchSizeOutOfBounds_failsStartupNamingThePropertyAndTheOneBound() {
        failsNaming(
                "stemcache.load-batch-size=0",
                "stemcache.load-batch-size must be between 1 and " + StoreSettings.MAX_LOAD_BATCH_SIZE + ", got 0");
        failsNaming(
                "stemcache.load-batch-size=" + (StoreSettings.MAX_LOAD_BATCH_SIZE + 1),
                "stemcache.load-batch-size must be between 1 and 1000, got 1001");
        runner.withPropertyValues(
                        "stemcache.load-batch-size=" + StoreSettings.MAX_LOAD_BATCH_SIZE,
                        "stemcache.initial-load-max-mb=1")
                .run(context -> {
                    StemcacheProperties properties = context.getBean(StemcacheProperties.class);
                    StoreSettings store = properties.storeSettings(properties.codec());
                    assertThat(store.loadBatchSize()).isEqualTo(StoreSettings.MAX_LOAD_BATCH_SIZE);
                    assertThat(store.initialLoadMaxBytes()).isEqualTo(1L << 20);
                });
    }

    @Test
    void defaults_areWhatAMemberBindsWithoutProperties() {
        runner.run(context -> {
            StemcacheProperties bound = context.getBean(StemcacheProperties.class);
            assertThat(StemcacheProperties.defaults()).isEqualTo(bound);
            assertThat(MaintenanceSettings.defaults(bound.mapName())).isEqualTo(bound.maintenanceSettings());
            StoreSettings store = bound.storeSettings(bound.codec());
            assertThat(store.loadBatchSize()).isEqualTo(StoreSettings.DEFAULT_LOAD_BATCH_SIZE);
            assertThat(store.initialLoadMaxEntries()).isEqualTo(1000);
            assertThat(store.initialLoadMaxBytes()).isEqualTo(StoreSettings.DEFAULT_INITIAL_LOAD_MAX_BYTES);
            assertThat(store.loadTimeout()).isEqualTo(StoreSettings.DEFAULT_LOAD_TIMEOUT);
            assertThat(store.codec().limit()).isEqualTo(AnalysisCodec.DEFAULT_MAX_DECODED_BYTES);
            assertThat(bound.cleanup().guestTtl()).isEqualTo(Duration.ofHours(Owner.DEFAULT_GUEST_TTL_HOURS));
            assertThat(bound.cleanup().guestQuotaMb()).isEqualTo(Owner.DEFAULT_GUEST_QUOTA_MB);
        });
    }

    private void failsNaming(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(property).contains(named);
        });
    }
}
