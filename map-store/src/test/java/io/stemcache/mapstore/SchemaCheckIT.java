package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** init fails fast, saying what is missing, on a database the migrations have not prepared. */
class SchemaCheckIT {

    @Test
    void init_databaseWithoutTheSchema_namesTheMissingTableAndTheMigrations() {
        try (FreshDatabase empty = FreshDatabase.create("map_store_no_schema")) {
            PostgresAnalysisStore store = new PostgresAnalysisStore(empty.dataSource(), TestEntries.settings());

            assertThatThrownBy(() -> store.init(null, new Properties(), "analyses"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("schema is missing")
                    .hasMessageContaining("table audio_analysis_cache does not exist")
                    .hasMessageContaining("Liquibase migrations");
        }
    }

    @Test
    void init_tableOfTheProductNotYetMigrated_namesTheMissingColumnsAndKey() {
        try (FreshDatabase database = FreshDatabase.createMigrated("map_store_old_schema")) {
            TableRows rows = new TableRows(database.dataSource());
            PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
            assertThatCode(() -> store.init(null, new Properties(), "analyses")).doesNotThrowAnyException();

            rows.update("ALTER TABLE audio_analysis_cache DROP CONSTRAINT uq_audio_analysis_cache_key");
            assertThatThrownBy(() -> store.init(null, new Properties(), "analyses"))
                    .hasMessageContaining("no unique key on (owner_kind, owner_id, file_metadata_id, stem_type)");

            rows.update("ALTER TABLE audio_analysis_cache DROP COLUMN payload, DROP COLUMN content_hash");
            assertThatThrownBy(() -> store.init(null, new Properties(), "analyses"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lacks columns [payload, content_hash]")
                    .hasMessageContaining("Liquibase migrations");
        }
    }
}
