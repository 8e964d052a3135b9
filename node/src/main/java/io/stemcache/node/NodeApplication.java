package io.stemcache.node;

import io.stemcache.migration.MigrationApplication;
import io.stemcache.node.database.DatabaseBootstrap;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Runs a stemcache member. With the single argument {@code migrate} it only applies the database
 * migrations and exits, for a Kubernetes job that runs before members start.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(DatabaseBootstrap.class)
public class NodeApplication {

    public static void main(String[] args) {
        // Liquibase 4.30+ phones home before every update; a cache member has no business doing that.
        if (System.getProperty("liquibase.analytics.enabled") == null) {
            System.setProperty("liquibase.analytics.enabled", "false");
        }
        if (args.length > 0 && "migrate".equals(args[0])) {
            System.exit(MigrationApplication.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(NodeApplication.class, args);
    }
}
