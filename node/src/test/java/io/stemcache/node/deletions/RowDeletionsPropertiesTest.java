package io.stemcache.node.deletions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.node.StemcacheProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code stemcache.row-deletions.*} bind with their defaults, and a bad value stops the node naming it. */
class RowDeletionsPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StemcacheProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void noProperties_bindTheDefaults() {
        runner.run(context -> assertThat(context.getBean(StemcacheProperties.class)
                        .rowDeletions()
                        .settings("analyses"))
                .isEqualTo(DeletionSettings.defaults("analyses"))
                .isEqualTo(new DeletionSettings("analyses", RowDeletionMode.AUTO, Duration.ofSeconds(2), 500)));
    }

    @Test
    void properties_bindFromTheirNames() {
        runner.withPropertyValues(
                        "stemcache.row-deletions.mode=on",
                        "stemcache.row-deletions.poll-interval=250ms",
                        "stemcache.row-deletions.batch-size=50")
                .run(context -> assertThat(
                                context.getBean(StemcacheProperties.class).rowDeletions())
                        .isEqualTo(
                                new StemcacheProperties.RowDeletions(RowDeletionMode.ON, Duration.ofMillis(250), 50)));
    }

    @Test
    void yamlBooleans_bindAsOnAndOff() {
        // YAML reads an unquoted "mode: off" as false; Spring Boot maps it back to OFF.
        runner.withPropertyValues("stemcache.row-deletions.mode=false")
                .run(context -> assertThat(context.getBean(StemcacheProperties.class)
                                .rowDeletions()
                                .mode())
                        .isEqualTo(RowDeletionMode.OFF));
        runner.withPropertyValues("stemcache.row-deletions.mode=true")
                .run(context -> assertThat(context.getBean(StemcacheProperties.class)
                                .rowDeletions()
                                .mode())
                        .isEqualTo(RowDeletionMode.ON));
    }

    @Test
    void badValues_failStartupNamingTheProperty() {
        failsNaming("stemcache.row-deletions.mode=sometimes", "stemcache.row-deletions.mode");
        failsNaming("stemcache.row-deletions.poll-interval=0s", "stemcache.row-deletions.poll-interval must be");
        failsNaming("stemcache.row-deletions.poll-interval=2h", "stemcache.row-deletions.poll-interval must be");
        failsNaming("stemcache.row-deletions.batch-size=0", "stemcache.row-deletions.batch-size must be");
        failsNaming("stemcache.row-deletions.batch-size=10001", "stemcache.row-deletions.batch-size must be");
    }

    @Test
    void settings_badValues_areRefusedNamingTheProperty() {
        DeletionSettings defaults = DeletionSettings.defaults("analyses");
        assertThatThrownBy(() -> defaults.withPollInterval(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stemcache.row-deletions.poll-interval")
                .hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> defaults.withBatchSize(-1)).hasMessageContaining("stemcache.row-deletions.batch-size");
        assertThatThrownBy(() -> defaults.withMode(null)).hasMessageContaining("stemcache.row-deletions.mode");
    }

    private void failsNaming(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(property).contains(named);
        });
    }
}
