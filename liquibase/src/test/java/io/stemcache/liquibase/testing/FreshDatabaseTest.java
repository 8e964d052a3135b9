package io.stemcache.liquibase.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FreshDatabase's refusals, which need no server. */
class FreshDatabaseTest {

    private final String server = System.getProperty(FreshDatabase.SERVER_PROPERTY);

    @AfterEach
    void restoreServer() {
        if (server == null) {
            System.clearProperty(FreshDatabase.SERVER_PROPERTY);
        } else {
            System.setProperty(FreshDatabase.SERVER_PROPERTY, server);
        }
    }

    @Test
    void create_purposeWithCapitals_isRejected() {
        assertThatThrownBy(() -> FreshDatabase.create("MapStore"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("purpose must be")
                .hasMessageContaining("MapStore");
    }

    @Test
    void create_purposeTooLongForADatabaseName_isRejected() {
        assertThatThrownBy(() -> FreshDatabase.create("a".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 31");
    }

    @Test
    void create_nullPurpose_isRejected() {
        assertThatThrownBy(() -> FreshDatabase.create(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_serverPropertyNotAPostgresUrl_isRejectedNamingIt() {
        System.setProperty(FreshDatabase.SERVER_PROPERTY, "jdbc:h2:mem:test");

        assertThatThrownBy(() -> FreshDatabase.create("bad_server"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stemcache.test.jdbc must look like")
                .hasMessageContaining("jdbc:h2:mem:test");
    }

    @Test
    void create_unreachableServer_failsNamingTheProperty() {
        System.setProperty(FreshDatabase.SERVER_PROPERTY, "jdbc:postgresql://127.0.0.1:1/postgres");

        assertThatThrownBy(() -> FreshDatabase.create("unreachable"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("set stemcache.test.jdbc");
    }
}
