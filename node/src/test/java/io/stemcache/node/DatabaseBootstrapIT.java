package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.database.DatabaseBootstrap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The quick start's promise: a node on a fresh machine creates its database. */
class DatabaseBootstrapIT {

    @Test
    void createIfMissing_createsTheDatabaseOnce() {
        try (FreshDatabase server = FreshDatabase.create("bootstrap")) {
            String name =
                    "stemcache_test_created_" + UUID.randomUUID().toString().substring(0, 8);
            String url = server.jdbcUrl().replace(server.name(), name);
            try {
                DatabaseBootstrap.createIfMissing(url, "postgres", "");
                DatabaseBootstrap.createIfMissing(url, "postgres", ""); // already there: no error

                assertThat(TableRows.query(
                                server.dataSource(), "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"))
                        .isEqualTo(1);
            } finally {
                TableRows.execute(server.dataSource(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void createIfMissing_leavesUnsafeNamesAlone() {
        try (FreshDatabase server = FreshDatabase.create("bootstrap")) {
            String url = server.jdbcUrl().replace(server.name(), "bad-name;drop");
            DatabaseBootstrap.createIfMissing(url, "postgres", "");
            assertThat(TableRows.query(
                            server.dataSource(), "SELECT count(*) FROM pg_database WHERE datname LIKE 'bad-name%'"))
                    .isZero();
        }
    }
}
