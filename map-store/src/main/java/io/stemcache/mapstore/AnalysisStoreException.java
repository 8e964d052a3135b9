package io.stemcache.mapstore;

/**
 * A statement of stemcache's PostgreSQL record failed; the cause is the database's error. From the
 * {@link PostgresAnalysisStore}, a batch failed as a whole and the message names it (its size and first keys);
 * Hazelcast retries failed stores. From the members' maintenance ({@link AnalysisRows}, {@link StatisticsRows},
 * {@link DeletionLog}), the message names what failed (the file, the owner, the table).
 */
public final class AnalysisStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AnalysisStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
