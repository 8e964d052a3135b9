package io.stemcache.migration;

import io.stemcache.node.DatabaseBootstrap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A context with only the data source and Liquibase: {@code java -jar stemcache-node.jar migrate}
 * migrates the database named by {@code spring.datasource.*} and exits 0, or non-zero on failure.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = HazelcastAutoConfiguration.class)
@Import(DatabaseBootstrap.class)
public class MigrationApplication {

    /** Migrates and returns the process exit code. */
    public static int run(String... args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MigrationApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "management.endpoints.enabled-by-default=false")
                .run(args)) {
            return SpringApplication.exit(context);
        } catch (RuntimeException e) {
            return 1;
        }
    }
}
