package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class TransactionIT {

    @Test
    void run_driverAssertionError_becomesATransientConnectionFailure() {
        try (FreshDatabase database = FreshDatabase.create("map_store_transaction")) {
            AssertionError driverCheck =
                    new AssertionError("pgStatement.getConnection().getAutoCommit() should not throw");

            assertThatThrownBy(() -> Transaction.run(database.dataSource(), connection -> {
                        throw driverCheck;
                    }))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasCause(driverCheck)
                    .hasMessageContaining("the connection failed inside the JDBC driver");
            assertThat(DeadLetters.isPermanent(new SQLTransientConnectionException("lost", "08006", driverCheck)))
                    .isFalse();
        }
    }
}
