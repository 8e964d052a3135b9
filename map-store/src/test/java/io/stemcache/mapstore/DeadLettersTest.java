package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLettersTest {

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22001", "22P02", "23514", "23502", "54000"})
    void isPermanent_dataConstraintAndLimitStates_true(String state) {
        assertThat(DeadLetters.isPermanent(new SQLException("refused", state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "53300", "57P01", "57P03", "40001", "40P01", "55P03", "42703", "XX000"})
    void isPermanent_connectionResourceRollbackLockSchemaStates_false(String state) {
        assertThat(DeadLetters.isPermanent(new SQLException("try again", state)))
                .isFalse();
    }

    @Test
    void isPermanent_batchError_readsTheServerStateOnItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 3 failed", "22021", new int[0]);
        batch.setNextException(new SQLException("invalid byte sequence", "22021"));
        assertThat(DeadLetters.isPermanent(batch)).isTrue();
        BatchUpdateException down = new BatchUpdateException("batch failed", "08006", new int[0]);
        assertThat(DeadLetters.isPermanent(down)).isFalse();
    }

    @Test
    void isPermanent_poolTimeoutOrNoState_false() {
        assertThat(DeadLetters.isPermanent(new SQLTransientConnectionException("pool timed out", "08003")))
                .isFalse();
        assertThat(DeadLetters.isPermanent(new SQLException("no state"))).isFalse();
        assertThat(DeadLetters.isPermanent(new IllegalStateException("pool closed")))
                .isFalse();
    }

    @Test
    void isPermanent_bindingRefusesTheValue_true() {
        assertThat(DeadLetters.isPermanent(new IllegalArgumentException("Invalid UUID string")))
                .isTrue();
    }
}
