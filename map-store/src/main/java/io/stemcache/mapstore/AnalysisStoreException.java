package io.stemcache.mapstore;

/**
 * A batch of the {@link PostgresAnalysisStore} failed as a whole; the message names the batch (its size
 * and first keys) and the cause is the database's error. Hazelcast retries failed stores.
 */
public final class AnalysisStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AnalysisStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
