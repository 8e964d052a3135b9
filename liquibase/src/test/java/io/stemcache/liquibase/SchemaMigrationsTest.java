package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SchemaMigrations' argument checks and its classpath. */
class SchemaMigrationsTest {

    @Test
    void rollbackCount_zero_isRejectedBeforeConnecting() {
        assertThatThrownBy(() -> SchemaMigrations.rollbackCount(null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must be at least 1, got 0");
    }

    @Test
    void ownClasspath_findsTheMasterChangelog() throws Exception {
        assertThat(SchemaMigrations.ownClasspath()
                        .get(SchemaMigrations.MASTER_CHANGELOG)
                        .exists())
                .isTrue();
    }
}
